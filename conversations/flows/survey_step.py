"""The survey in progress: asking a question, taking its answer (a button, typed text, a
place), Back, Skip, pages of places, and finishing. A Step always has its session."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

from conversations import buttons, place_questions
from conversations.conversation import Conversation, fixed_questions
from conversations.i18n import N_, SUPPORTED_LOCALES, Texts
from conversations.keyboards import QuestionView
from conversations.links import FIXABLE, LinkPlace, Reach
from conversations.messages import Button, Keyboard, Press, SurveyEvent, Tracking
from conversations.notice import staff_reassurance
from conversations.scrub import scrub
from conversations.state import SessionState, Status
from conversations.survey import PLACE_KINDS, SEVERAL, Question, Survey
from conversations.text_input import clean_free_text, echo, fold, is_skip_word, preview

KeyboardFactory = Callable[[], Keyboard]
THANKS = N_("Thank you! Your answers have been recorded. They help improve this service in "
            "your province.")


@cache
def skip_labels() -> tuple[str, ...]:
    """The Skip button's label in every language: a citizen may type what they see on it,
    whatever the bot's language."""
    return tuple(Texts(locale)._("Skip") for locale in SUPPORTED_LOCALES)


def step_of(c: Conversation) -> Step | None:
    """The survey in progress, if there is one."""
    return Step(c, c.session) if c.session is not None else None


INVITATION_ONLY = N_(
    "This survey is for the staff of provincial units: it opens only with the link their "
    "unit received. To rate a public service you used, press the button below.")


def invited(survey: Survey, link: LinkPlace | None) -> bool:
    """Whether a survey may start: an invitation-only one only through a link of its own
    that says the unit (its service)."""
    return not survey.invitation_only or (
        link is not None and link.survey_key == survey.key and link.service is not None)


async def begin(c: Conversation, survey_key: str, note: str | None = None,
                link: LinkPlace | None = None) -> None:
    """Start a survey for a consented respondent (unless they answered it too recently) and
    ask its first question; a muhtar's link answers the questions it can."""
    assert c.respondent is not None
    survey = c.settings.surveys[survey_key]
    if not invited(survey, link):
        c.offer_survey(c.t._(INVITATION_ONLY))
        return
    presets = link.presets(survey) if link else {}
    service = link.service if link and survey.has_dimension("service") else None
    if (service or survey.once_per or not survey.has_dimension("service")) and (
            await answered_recently(c, survey, service)):
        return
    if survey.audience == "staff":  # every time, whatever notice they agreed to before
        note = "\n\n".join(filter(None, [note, staff_intro(c, link)]))
    session = await c.store.start_session(c.respondent.id, survey.key, survey.version, c.now,
                                          link)
    c.session = session
    step = Step(c, session)
    if link:
        await c.store.count_reach(link.id, Reach.CONSENTED, c.now)
        await step.apply_link(link, presets)
    await step.carry_answers()
    c.note_context()  # the first question asked may depend on it (the link's mahalle)
    first = survey.next_after(None, session.answers, step.fixed)
    if first is None:
        raise ValueError(f"survey {survey_key!r} asks nothing of a new respondent")
    session.step = first.id
    c.note_event(SurveyEvent.STARTED, session)
    step.ask(note)


def staff_intro(c: Conversation, link: LinkPlace | None) -> str:
    """Said to a unit's staff before the first question: whose staff are asked, and who will
    see what they answer."""
    unit = c.t._("This survey is for the staff of: {unit}.").format(
        unit=c.t.isolate(link.label)) if link and link.label else ""
    return "\n\n".join(filter(None, [unit, staff_reassurance(c.t, c.settings.notice)]))


def next_quarter(moment: datetime) -> datetime:
    """The first instant of the calendar quarter after ``moment``'s (UTC, as figures are
    published)."""
    moment = moment.astimezone(UTC)
    month = (moment.month - 1) // 3 * 3 + 4
    return datetime(moment.year + (month > 12), (month - 1) % 12 + 1, 1, tzinfo=UTC)


async def answered_recently(c: Conversation, survey: Survey, service: str | None) -> bool:
    """One completed response per service (or survey) per repeat period, or per person and
    quarter for a survey answered ``once_per: quarter``: say when they may answer again,
    and keep them where they are."""
    assert c.respondent is not None
    quarterly = survey.once_per == "quarter"
    last = await c.store.last_completed(c.respondent.id, survey.key,
                                        None if quarterly else service)
    if last is None:
        return False
    again = next_quarter(last) if quarterly else last + c.settings.repeat_after
    if c.now >= again:
        return False
    if quarterly:
        note = c.t._(
            "You already answered this survey this quarter, on {date}. So that each person "
            "counts once, you can answer it again from {next_date}.")
    else:
        note = c.t._(
            "You already rated this on {date}. So that the results stay fair, you can rate "
            "it again from {next_date}.")
    note = note.format(date=c.t.isolate(c.t.date(last)),
                       next_date=c.t.isolate(c.t.date(again)))
    if (step := step_of(c)) is not None:
        step.reshow(note)
    else:
        c.say(note)
    return True


class Step:
    """The respondent's survey in progress, and the input being handled for it."""

    def __init__(self, c: Conversation, session: SessionState) -> None:
        self.c = c
        self.session = session

    @property
    def survey(self) -> Survey:
        return self.c.settings.surveys[self.session.survey_key]

    @property
    def fixed(self) -> frozenset[str]:
        return fixed_questions(self.survey, self.session)

    @property
    def view(self) -> QuestionView:
        return QuestionView(self.c.t, self.survey, self.session, self.fixed)

    @property
    def question(self) -> Question:
        """The question being asked."""
        assert self.session.step is not None
        return self.survey.question(self.session.step)

    # ---- input, one method per kind --------------------------------------------------------

    async def on_answer_press(self, value: str) -> None:
        question = self.question
        if question.kind in PLACE_KINDS:
            option = place_questions.option_for(question, self.session.answers, value,
                                                self.c.t.locale)
            if option is None:
                self.on_stale_press()
            else:
                await self.answer(question, option.value, option.label, None)
            return
        choice = question.choice(value)
        if choice is None:
            self.on_stale_press()
        elif question.kind == "choices":
            await self.toggle(question, choice.value)
        else:
            await self.answer(question, choice.value, self.c.t._(choice.label), choice.score)

    async def on_done_press(self) -> None:
        """The choices of a "choices" question are picked: moving on, as an answer does."""
        question = self.question
        picked = [c for c in question.choices
                  if c.value in question.picked(self.session.answers.get(question.id))]
        if question.kind != "choices" or not picked:
            self.on_stale_press()
            return
        await self.answer(question, SEVERAL.join(c.value for c in picked),
                          ", ".join(self.c.t._(c.label) for c in picked), None)

    def on_back_press(self) -> None:
        session = self.session
        assert session.step is not None
        previous = self.survey.previous_before(session.step, session.answers, self.fixed)
        if previous is None:
            self.reshow()
            return
        session.step = previous.id
        ref = self.c.inbound.message_ref
        if ref is None:  # a channel that does not say which message was tapped
            self.reshow()
            return
        session.turn += 1
        text, keyboard = self.view.render(previous)
        # Back rewrites the question message in place, so the chat keeps one live question.
        self.c.edit(ref, text, keyboard, Tracking(session.id, session.turn))
        session.message_ref = ref

    async def on_skip_press(self) -> None:
        question = self.question
        if not question.optional:
            self.on_stale_press()
            return
        await self.answer(question, None, self.c.t._("Skipped"), None)

    def on_page_press(self, page_arg: str) -> None:
        question, ref = self.question, self.c.inbound.message_ref
        if question.kind not in PLACE_KINDS or not page_arg.isdigit():
            return
        page = int(page_arg)
        if ref is None:  # a channel that does not say which message was tapped
            self.reshow(keyboard=lambda: self.view.place_keyboard(question, page))
            return
        text, _ = self.view.render(question)
        self.c.edit(ref, text, self.view.place_keyboard(question, page))

    def on_stale_press(self) -> None:
        self.c.reply.toast = self.c.t._("That button belongs to an earlier question.")
        self.reshow(self.c.t._("Please answer the current question:"))

    async def on_text(self, text: str) -> None:
        question = self.question
        if question.optional and is_skip_word(text, skip_labels()):
            await self.on_skip_press()  # typed "geç" / "skip" / "تخطي" does what the button does
        elif question.kind in PLACE_KINDS:
            await self.on_place_text(question, text)
        elif question.kind == "text":
            await self.on_free_text(question, text)
        elif question.kind == "choices":
            await self.on_choices_text(question, text)
        else:
            await self.on_choice_text(question, text)

    async def on_choice_text(self, question: Question, text: str) -> None:
        t = self.c.t
        typed = fold(text)
        for choice in question.choices:
            if typed in (fold(t._(choice.label)), fold(choice.value)):
                await self.answer(question, choice.value, t._(choice.label), choice.score)
                return
        self.reshow(t._("Please choose one of the buttons below."))

    async def on_choices_text(self, question: Question, text: str) -> None:
        """A typed label picks (or unpicks) that choice, as its button does."""
        t = self.c.t
        typed = fold(text)
        for choice in question.choices:
            if typed in (fold(t._(choice.label)), fold(choice.value)):
                await self.toggle(question, choice.value, typed=True)
                return
        self.reshow(t._("Please choose with the buttons below, then press Done."))

    async def toggle(self, question: Question, value: str, typed: bool = False) -> None:
        """Pick or unpick one choice of a "choices" question, at most max_choices of them;
        the question stays, its buttons showing what is picked, until Done."""
        c, session = self.c, self.session
        picked = question.picked(session.answers.get(question.id))
        if value in picked:
            picked.remove(value)
        elif len(picked) >= question.max_choices:
            c.reply.toast = c.t.ngettext("You can choose up to {count}.",
                                         "You can choose up to {count}.",
                                         question.max_choices).format(
                count=c.t.number(question.max_choices))
            if typed:
                self.reshow(c.reply.toast)
            return
        else:
            picked.append(value)
        kept = SEVERAL.join(ch.value for ch in question.choices if ch.value in picked)
        if kept:
            session.answers[question.id] = kept
            session.answered_at[question.id] = c.now
            await c.store.save_answer(session.id, question.id, kept, None, c.now)
        else:
            session.answers.pop(question.id, None)
            session.answered_at.pop(question.id, None)
            await c.store.drop_answers(session.id, [question.id])
        ref = None if typed else c.inbound.message_ref
        if ref is None:  # typed, or a channel that does not say which message was tapped
            self.reshow()
            return
        text, keyboard = self.view.render(question)
        c.edit(ref, text, keyboard)

    async def on_place_text(self, question: Question, text: str) -> None:
        t = self.c.t
        status, found = place_questions.match_typed(question, self.session.answers, text,
                                                    t.locale)
        if status == "found":
            await self.answer(question, found[0].value, found[0].label, None)
        elif status == "ambiguous":
            self.reshow(t._("Which of these did you mean?"),
                        keyboard=lambda: self.view.candidates_keyboard(question, found))
        elif question.kind == "province":
            self.reshow(t._(
                "I could not find a province called “{text}”. Please type its name or "
                "plate code (1-81), or choose it below."
            ).format(text=t.isolate(echo(text))))
        else:
            province = place_questions.province_name(question, self.session.answers, t.locale)
            self.reshow(t._(
                "I could not find a district called “{text}” in {province}. Please type "
                "its name again, choose it below, or press Skip."
            ).format(text=t.isolate(echo(text)), province=t.isolate(province)))

    async def on_free_text(self, question: Question, text: str) -> None:
        t = self.c.t
        cleaned = clean_free_text(text)
        if not cleaned:
            self.reshow(t._("Please write your answer as text, or press Skip."))
        elif len(cleaned) > question.max_length:
            self.reshow(t._(
                "Your message is {length} characters long; the limit is {limit}. "
                "Please shorten it and send it again."
            ).format(length=t.number(len(cleaned)), limit=t.number(question.max_length)))
        else:
            # Identity numbers, phones, e-mails, IBANs and plates never reach the database;
            # the chat record shows the citizen what was kept.
            kept = scrub(cleaned)
            await self.answer(question, kept, preview(kept), None)

    # ---- what an answer does ---------------------------------------------------------------

    async def answer(self, question: Question, value: str | None, label: str,
                     score: float | None) -> None:
        """Store one answer, show it in place of the buttons, and move on."""
        c, session, survey = self.c, self.session, self.survey
        if question.dimension == "service" and await answered_recently(c, survey, value):
            return
        changed = session.answers.get(question.id) != value
        if value is None:
            session.answers.pop(question.id, None)
            await c.store.drop_answers(session.id, [question.id])
        else:
            session.answers[question.id] = value
            session.answered_at[question.id] = c.now
            await c.store.save_answer(session.id, question.id, value, score, c.now)
        if question.dimension:
            session.dimensions[question.dimension] = value
        await self.forget_answers(self.answers_made_obsolete(question, changed))
        self.record_answer_in_chat(question, label)
        choice = question.choice(value) if value is not None else None
        following = survey.next_after(question.id, session.answers, self.fixed)
        if choice is not None and choice.erases:
            await self.erase_the_person(c.t._(choice.ends or ""))
        elif choice is not None and choice.ends:
            self.finish(Status.SCREENED_OUT, c.t._(choice.ends))
        elif following is None:
            session.flagged_automated = self.looks_automated()
            if session.link:
                await c.store.count_reach(session.link.id, Reach.COMPLETED, c.now)
            self.finish(Status.COMPLETED, c.t._(survey.thanks or THANKS))
        else:
            session.step = following.id
            self.ask()

    async def apply_link(self, link: LinkPlace, presets: dict[str, str]) -> None:
        """Answer for the citizen what the link already says: where (and perhaps which
        service). Those questions are skipped; the answers are stored like any other."""
        session = self.session
        for question_id, value in presets.items():
            session.answers[question_id] = value
            await self.c.store.save_answer(session.id, question_id, value, None, self.c.now)
        session.dimensions.update(
            {d: getattr(link, d) for d in FIXABLE if getattr(link, d) is not None})

    async def carry_answers(self) -> None:
        """Answers about the person (being 18 or over) from their earlier responses, of any
        survey with the same question, kept with the time they were given: a second service
        is rated without being asked them again. A value the survey no longer offers, or one
        that ends it, is not carried."""
        session, survey = self.session, self.survey
        if not survey.carried:
            return
        found = await self.c.store.carried_answers(session.respondent_id, survey.carried)
        for qid, (value, at) in found.items():
            choice = survey.question(qid).choice(value)
            if choice is None or choice.ends:
                continue
            session.answers[qid] = value
            session.answered_at[qid] = at
            await self.c.store.save_answer(session.id, qid, value, choice.score, at)

    def looks_automated(self) -> bool:
        """Median time between answers under the threshold: faster than anyone reads."""
        session = self.session
        answered = [at for qid, at in session.answered_at.items() if qid not in self.fixed]
        moments = sorted([session.started_at, *answered] if session.started_at else answered)
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(moments)]
        return bool(gaps) and statistics.median(gaps) < self.c.settings.min_seconds_per_answer

    def answers_made_obsolete(self, question: Question, changed: bool) -> list[str]:
        """Answers that no longer hold: to questions that stopped applying, or that build on
        an answer that just changed (a district, once the province is another)."""
        survey, answers = self.survey, self.session.answers
        dependents = survey.dependents_of(question.id) if changed else []
        return [
            qid for qid in answers
            if qid in dependents
            or not survey.has_question(qid)
            or not survey.question(qid).applies(answers)
        ]

    async def forget_answers(self, question_ids: list[str]) -> None:
        if not question_ids:
            return
        session, survey = self.session, self.survey
        for qid in question_ids:
            session.answers.pop(qid)
            session.answered_at.pop(qid, None)
            dimension = survey.question(qid).dimension if survey.has_question(qid) else None
            if dimension:
                session.dimensions[dimension] = None
        await self.c.store.drop_answers(session.id, question_ids)

    def record_answer_in_chat(self, question: Question, label: str) -> None:
        """Edit the question message to show the answer: the chat reads as a clean record."""
        inbound, session = self.c.inbound, self.session
        ref = inbound.message_ref if isinstance(inbound.event, Press) else None
        ref = ref or session.message_ref
        if ref:
            text = self.c.t._(question.text_for(session.answers))
            self.c.edit(ref, f"{text}\n✅ {self.c.t.isolate(label)}")
        session.message_ref = None

    async def erase_the_person(self, text: str) -> None:
        """A screen-out about the person (a minor): nothing of theirs is kept, not even this
        response or the consent record; they are told so, and offered nothing more."""
        self.c.note_event(SurveyEvent(Status.SCREENED_OUT.value), self.session)
        await self.c.store.erase_respondent(self.session.respondent_id)
        self.c.session = None
        self.c.say(text)

    def finish(self, status: Status, text: str) -> None:
        self.session.status = status
        self.session.step = None
        self.c.note_event(SurveyEvent(status.value), self.session)
        default = self.c.settings.default_survey
        # The neighbourhood, the school bus, the staff rated no service: not "another".
        if self.survey.key != default:
            self.c.offer_survey(text)
            return
        self.c.say(text, keyboard=(
            # button
            (Button(self.c.t._("Rate another service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=default)),),
        ))

    # ---- showing the question --------------------------------------------------------------

    def ask(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Send the current question as a new message whose buttons carry a new turn."""
        session = self.session
        session.turn += 1  # before any button is made: buttons carry the new turn
        text, default_keyboard = self.view.render(self.question)
        if note:
            text = f"{note}\n\n{text}"
        self.c.say(text, keyboard() if keyboard is not None else default_keyboard,
                   Tracking(session.id, session.turn))

    def reshow(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Show the current question again (with a note); the old copy loses its buttons."""
        self.retire_question_message()
        self.ask(note, keyboard)

    def retire_question_message(self) -> None:
        if self.session.message_ref:
            self.c.edit(self.session.message_ref, None)
            self.session.message_ref = None
