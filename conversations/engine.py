"""The survey engine: takes one input from a respondent, returns what to show next.

It knows nothing of Telegram or SQL. Each input is handled in one storage transaction: the
respondent's row is locked first, so inputs of one respondent are applied one after another
even when several processes share the database, and an answer is committed before the
channel shows the next question. What each kind of input does is in conversations/flows/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from conversations import buttons
from conversations.conversation import Conversation, Settings, consented
from conversations.flows import consent, erasure, language, muhtar
from conversations.flows.session_life import settle_session
from conversations.flows.survey_step import (
    INVITATION_ONLY,
    answered_recently,
    begin,
    invited,
    step_of,
)
from conversations.i18n import N_
from conversations.links import Reach
from conversations.messages import (
    Command,
    Inbound,
    Other,
    Press,
    Reply,
    Shown,
    Start,
    SurveyEvent,
    Text,
    Tracking,
)
from conversations.notice import MINISTRY, NOTICE_VERSION, NoticeFacts, help_text, welcome
from conversations.ports import StoreFactory
from conversations.state import SessionState
from conversations.survey import DEFAULT_SURVEY, Survey, builtin_surveys

TO_RATE = N_("To rate a service, press the button below.")


class OutOfOrder(Exception):
    """An earlier event of the same respondent is stored but not yet handled (by another
    process, say). The caller waits a moment and tries again; nothing was changed."""


class SurveyEngine:
    def __init__(
        self,
        stores: StoreFactory,
        surveys: dict[str, Survey] | None = None,
        *,
        default_survey: str = DEFAULT_SURVEY,
        session_ttl: timedelta = timedelta(days=3),
        repeat_after: timedelta = timedelta(days=30),
        min_seconds_per_answer: float = 1.0,
        notice_version: int = NOTICE_VERSION,
        notice: NoticeFacts = MINISTRY,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._stores = stores
        surveys = surveys if surveys is not None else builtin_surveys()
        if default_survey not in surveys:
            raise ValueError(f"unknown default survey {default_survey!r}")
        self.settings = Settings(surveys, default_survey, session_ttl, repeat_after,
                                 min_seconds_per_answer, notice_version, notice)
        self.clock = clock

    @property
    def surveys(self) -> dict[str, Survey]:
        return self.settings.surveys

    async def handle(self, inbound: Inbound) -> Reply:
        """Apply one input and return the reply; duplicates of a handled event return nothing."""
        async with self._stores() as store:
            if inbound.event_id and not await store.claim_event(inbound.event_id):
                return Reply(duplicate=True)
            respondent = await store.lock_respondent(inbound.respondent)
            # Checked under the respondent's lock: whoever handles the earlier event holds it.
            # The session is read in the same round trip; only a consented respondent has one.
            earlier, session = await store.in_order_session(
                inbound.respondent, inbound.sequence,
                respondent.id if respondent is not None and consented(
                    respondent, self.settings.notice_version) else None)
            if earlier:
                raise OutOfOrder
            c = Conversation(self.settings, store, inbound, respondent, self.clock())
            return await _respond(c, session)

    async def message_shown(self, tracking: Tracking, message_ref: str) -> None:
        """The channel showed the question of ``tracking`` in message ``message_ref``."""
        await self.messages_shown([Shown(tracking, message_ref)])

    async def messages_shown(self, shown: list[Shown]) -> None:
        """Several questions' message ids at once (a channel that collects them): one
        statement. A question whose turn has moved on is left alone."""
        if shown:
            async with self._stores(single_statement=True) as store:
                await store.remember_messages(shown)


async def _respond(c: Conversation, session: SessionState | None) -> Reply:
    """``session``: the respondent's session in progress, read under their lock. It is
    written back if the input changed it (a new one always is)."""
    if c.consented:
        c.session = session
        await settle_session(c)
    before = c.session
    saved = _snapshot(before)
    c.note_context()  # after the snapshot: a step it moves on is saved
    _note_shown_question(c)
    match c.inbound.event:
        case Start(payload=payload):
            await on_start(c, payload)
        case Press(data=data):
            await on_press(c, data)
        case Command(name="help"):
            on_help(c)
        case Command(name="cancel"):
            await on_cancel(c)
        case Command(name="erase"):
            erasure.ask_erase_confirmation(c)
        case Command(name="language"):
            language.show_language_menu(c)
        case Command(name="privacy"):
            consent.show_full_notice(c)
        case Command(name="stats", argument=argument):
            await muhtar.on_stats_code(c, argument)
        case Text(text=text):
            await on_text(c, text)
        case Other():
            on_other(c)
    if c.session is not None and (c.session is not before or _snapshot(c.session) != saved):
        await c.store.save_session(c.session, c.now)
    return c.reply


# ---- one handler per kind of input ---------------------------------------------------------

async def on_start(c: Conversation, payload: str | None) -> None:
    survey_key, link = await muhtar.start_target(c, payload)
    if link:
        await c.store.count_reach(link.id, Reach.OPENED, c.now)
    survey = c.settings.surveys[survey_key]
    if not invited(survey, link):  # the staff survey's own deep link, say
        c.say(c.t._(INVITATION_ONLY))
        survey_key, link = c.settings.default_survey, None
        if c.consented and step_of(c) is None:
            c.offer_survey(c.t._(TO_RATE))
            return
    survey = c.settings.surveys[survey_key]
    step = step_of(c)
    # A unit's staff consent under the staff's notice each time they start (once a quarter
    # at most): it has a purpose of its own, which a citizen's earlier consent did not cover.
    staff = step is None and survey.audience == "staff"
    if staff and c.consented and await answered_recently(c, survey, link.service if link
                                                          else None):
        return  # told so: no notice to agree to for nothing
    if not c.consented or staff:
        # The notice's button carries the link on, so consent starts the linked survey.
        consent.show_notice(c, payload if link and payload else survey_key, survey)
    elif step is not None:
        step.reshow(c.t._("Welcome back! Let's continue where you left off."))
    else:
        await begin(c, survey_key, note=welcome(c.t, c.settings.surveys[survey_key].welcome),
                    link=link)


async def on_text(c: Conversation, text: str) -> None:
    if not c.consented:
        consent.show_notice(c, c.settings.default_survey)
    elif (step := step_of(c)) is None:
        c.offer_survey(c.t._(TO_RATE))
    else:
        await step.on_text(text)


def on_other(c: Conversation) -> None:
    if not c.consented:
        consent.show_notice(c, c.settings.default_survey)
    elif (step := step_of(c)) is None:
        c.offer_survey(c.t._(TO_RATE))
    else:
        step.reshow(c.t._("Sorry, I can only read text and button presses here."))


def on_help(c: Conversation) -> None:
    if (step := step_of(c)) is not None:
        step.reshow(help_text(c.t))
    else:
        c.say(help_text(c.t))


async def on_cancel(c: Conversation) -> None:
    step = step_of(c)
    if step is None:
        c.say(c.t._("There is no survey in progress. Send /start to begin one."))
        return
    step.retire_question_message()
    c.note_event(SurveyEvent.CANCELLED, step.session)
    await c.store.delete_session(step.session.id)
    c.session = None
    c.say(c.t._("The survey was cancelled and the answers you gave in it were deleted. "
                "Send /start to begin again."))


async def on_press(c: Conversation, data: str) -> None:
    tap = buttons.decode(data)
    step = step_of(c)
    if tap is None:
        on_stale_press(c)
    elif tap.kind == buttons.CONSENT:
        await consent.on_consent_press(c, tap)
    elif tap.kind == buttons.NOTICE:
        await consent.on_notice_press(c, tap.arg)
    elif tap.kind == buttons.ERASE:
        await erasure.on_erase_press(c, tap.arg == "y")
    elif tap.kind == buttons.LANGUAGE:
        if not await language.on_language_press(c, tap.arg):
            on_stale_press(c)
    elif not c.consented:
        consent.show_notice(c, c.settings.default_survey)
    elif tap.kind == buttons.NEW_SURVEY:
        await on_new_survey_press(c, tap.arg)
    elif step is None or (tap.session, tap.turn) != (step.session.id, step.session.turn):
        on_stale_press(c)
    elif tap.kind == buttons.ANSWER:
        await step.on_answer_press(tap.arg)
    elif tap.kind == buttons.BACK:
        step.on_back_press()
    elif tap.kind == buttons.SKIP:
        await step.on_skip_press()
    elif tap.kind == buttons.DONE:
        await step.on_done_press()
    elif tap.kind == buttons.PAGE:
        step.on_page_press(tap.arg)


def on_stale_press(c: Conversation) -> None:
    if (step := step_of(c)) is not None:
        step.on_stale_press()
        return
    c.reply.toast = c.t._("That button belongs to an earlier question.")
    if c.consented:
        c.offer_survey(c.t._(TO_RATE))
    else:
        consent.show_notice(c, c.settings.default_survey)


async def on_new_survey_press(c: Conversation, survey_key: str) -> None:
    if (step := step_of(c)) is not None:
        step.reshow(c.t._("You have a survey in progress. Let's finish it first."))
    else:
        surveys = c.settings.surveys
        await begin(c, survey_key if survey_key in surveys else c.settings.default_survey)


# ---- before the input ----------------------------------------------------------------------

def _note_shown_question(c: Conversation) -> None:
    """The channel says which message shows the current question, if it had not been
    stored yet: saved with this step instead of in a write of its own."""
    shown, session = c.inbound.shown, c.session
    if (shown is not None and session is not None
            and shown.tracking == Tracking(session.id, session.turn)):
        session.message_ref = shown.message_ref


def _snapshot(session: SessionState | None) -> tuple[object, ...] | None:
    if session is None:
        return None
    return (session.status, session.step, session.turn, session.message_ref,
            session.flagged_automated, tuple(sorted(session.dimensions.items())))
