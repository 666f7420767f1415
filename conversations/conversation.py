"""One input being handled: who sent it, what is known of them, and the reply being built.

The flows (conversations/flows/) read and change it: the survey step, consent and the
notice, language, erasure, the muhtar's link and stats. The engine (conversations/engine.py)
makes one per input and sends the input to its flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from conversations import buttons
from conversations.i18n import Texts, choose_locale
from conversations.messages import (
    Button,
    Edit,
    Inbound,
    Keyboard,
    Reply,
    Send,
    SurveyEvent,
    Tracking,
)
from conversations.notice import NoticeFacts
from conversations.ports import SurveyStore
from conversations.state import RespondentState, SessionState
from conversations.survey import Survey


@dataclass(frozen=True)
class Settings:
    """What the engine was configured with, as the flows need it."""

    surveys: dict[str, Survey]
    default_survey: str
    session_ttl: timedelta
    repeat_after: timedelta
    min_seconds_per_answer: float
    notice_version: int
    notice: NoticeFacts


def consented(respondent: RespondentState | None, notice_version: int) -> bool:
    """Consent was given to the notice as it reads now (a changed notice asks again)."""
    return respondent is not None and respondent.consent_version == str(notice_version)


class Conversation:
    def __init__(self, settings: Settings, store: SurveyStore, inbound: Inbound,
                 respondent: RespondentState | None, now: datetime) -> None:
        self.settings = settings
        self.store = store
        self.inbound = inbound
        self.respondent = respondent
        locale = respondent.language if respondent else choose_locale(inbound.language_hint)
        self.t = Texts(locale)
        self.session: SessionState | None = None
        self.reply = Reply()
        self.now = now

    @property
    def consented(self) -> bool:
        return consented(self.respondent, self.settings.notice_version)

    def note_context(self) -> None:
        """Give the survey in progress what its conditions may know without asking
        (conversations.survey.CONTEXT: the language it is read in, whether it came through a
        muhtar's link). It is never stored:
        each step is given it afresh, so a language changed with /dil counts at once.

        The question being asked may stop applying then (language support, for someone who
        switched to Turkish), or may have under a survey changed since the session began:
        the session moves on to the next question that applies, and the buttons on screen
        become stale, so that none of them answers a question it was not made for."""
        session = self.session
        survey = self.settings.surveys.get(session.survey_key) if session else None
        if session is None or survey is None:
            return
        session.answers.update(survey.context_answers(self.t.locale, session.link is not None))
        if session.step is None or not survey.has_question(session.step):
            return
        if survey.question(session.step).applies(session.answers):
            return
        fixed = fixed_questions(survey, session)
        instead = (survey.next_after(session.step, session.answers, fixed)
                   or survey.previous_before(session.step, session.answers, fixed))
        if instead is not None:
            session.step = instead.id
            session.turn += 1

    def say(self, text: str, keyboard: Keyboard = (), tracking: Tracking | None = None) -> None:
        self.reply.actions.append(Send(self.t.paragraphs(text), keyboard, tracking))

    def edit(self, ref: str, text: str | None, keyboard: Keyboard = (),
             tracking: Tracking | None = None) -> None:
        """Change a message already shown; ``text`` None takes its buttons away."""
        text = None if text is None else self.t.paragraphs(text)
        self.reply.actions.append(Edit(ref, text, keyboard, tracking))

    def note_event(self, event: SurveyEvent, session: SessionState) -> None:
        """A survey started, ended or was dropped: counted in the metrics. Not a staff
        survey's: a live count that moves as one of a unit's few staff answers dates their
        answer to the minute, and the staff are told nothing finer than a quarter is seen."""
        survey = self.settings.surveys.get(session.survey_key)
        if survey is not None and survey.audience == "staff":
            return
        self.reply.events.append((event, session.survey_key, session.dimensions.get("service")))

    def offer_survey(self, text: str) -> None:
        self.say(text, keyboard=(
            # button
            (Button(self.t._("Rate a service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=self.settings.default_survey)),),
        ))


def fixed_questions(survey: Survey, session: SessionState) -> frozenset[str]:
    """Questions the citizen is never asked in this session: those its muhtar's link
    answered, and those about the person answered in an earlier response (carried: their
    answer predates the session)."""
    link = frozenset(session.link.presets(survey)) if session.link else frozenset()
    started = session.started_at
    carried = frozenset(
        qid for qid in survey.carried
        if started is not None and (at := session.answered_at.get(qid)) and at < started)
    return link | carried
