"""The survey engine: takes one input from a respondent, returns what to show next.

It knows nothing of Telegram or SQL. Each input is handled in one storage transaction: the
respondent's row is locked first, so inputs of one respondent are applied one after another
even when several processes share the database, and an answer is committed before the
channel shows the next question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from conversations import buttons
from conversations.i18n import Texts, choose_locale
from conversations.messages import (
    Button,
    Command,
    Edit,
    Inbound,
    Keyboard,
    Other,
    Press,
    Reply,
    Send,
    Start,
    Text,
    Tracking,
)
from conversations.notice import NOTICE_VERSION, help_text, welcome, welcome_with_notice
from conversations.places import (
    Province,
    match_province,
    province_by_plate,
    provinces_sorted_by_name,
)
from conversations.ports import StoreFactory, SurveyStore
from conversations.state import RespondentState, SessionState
from conversations.survey import DEFAULT_SURVEY, Question, Survey, builtin_surveys

PROVINCES_PER_PAGE = 24
PROVINCE_COLUMNS = 3
ECHO_LIMIT = 40  # how much of an unrecognised input we quote back

# Zero-width, bidi controls and other format characters (Cf) and control characters (Cc)
# carry no meaning in a comment and can disguise text; newlines and tabs are kept.
KeyboardFactory = Callable[[], Keyboard]

_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class SurveyEngine:
    def __init__(
        self,
        stores: StoreFactory,
        surveys: dict[str, Survey] | None = None,
        *,
        default_survey: str = DEFAULT_SURVEY,
    ) -> None:
        self._stores = stores
        self.surveys = surveys if surveys is not None else builtin_surveys()
        if default_survey not in self.surveys:
            raise ValueError(f"unknown default survey {default_survey!r}")
        self.default_survey = default_survey

    async def handle(self, inbound: Inbound) -> Reply:
        """Apply one input and return the reply; duplicates of a handled event return nothing."""
        async with self._stores() as store:
            if inbound.event_id and not await store.claim_event(inbound.event_id):
                return Reply(duplicate=True)
            respondent = await store.lock_respondent(inbound.respondent)
            conversation = _Conversation(self, store, inbound, respondent)
            return await conversation.respond()

    async def message_shown(self, tracking: Tracking, message_ref: str) -> None:
        """The channel showed the question of ``tracking`` in message ``message_ref``."""
        async with self._stores() as store:
            await store.remember_message(tracking.session_id, tracking.turn, message_ref)


class _Conversation:
    """One input being handled: the respondent's state and the reply being built."""

    def __init__(
        self,
        engine: SurveyEngine,
        store: SurveyStore,
        inbound: Inbound,
        respondent: RespondentState | None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.inbound = inbound
        self.respondent = respondent
        locale = respondent.language if respondent else choose_locale(inbound.language_hint)
        self.t = Texts(locale)
        self.session: SessionState | None = None
        self.reply = Reply()

    # ---- entry ---------------------------------------------------------------------------

    async def respond(self) -> Reply:
        event = self.inbound.event
        if self.consented:
            self.session = await self.store.active_session(self.respondent.id)
        self._saved = _snapshot(self.session)
        match event:
            case Start(payload=payload):
                await self.on_start(payload)
            case Press(data=data):
                await self.on_press(data)
            case Command(name="help"):
                await self.on_help()
            case Command(name="cancel"):
                await self.on_cancel()
            case Command(name="erase"):
                self.ask_erase_confirmation()
            case Text(text=text):
                await self.on_text(text)
            case Other():
                await self.on_other()
        if self.session and _snapshot(self.session) != self._saved:
            await self.store.save_session(self.session)
        return self.reply

    @property
    def consented(self) -> bool:
        return self.respondent is not None and self.respondent.consent_version == str(
            NOTICE_VERSION
        )

    @property
    def survey(self) -> Survey:
        assert self.session is not None
        return self.engine.surveys[self.session.survey_key]

    # ---- handlers, one per kind of input -------------------------------------------------

    async def on_start(self, payload: str | None) -> None:
        survey_key = payload if payload in self.engine.surveys else self.engine.default_survey
        if not self.consented:
            self.show_notice(survey_key)
        elif self.session:
            self.reshow(self.t._("Welcome back! Let's continue where you left off."))
        else:
            await self.begin(survey_key, note=welcome(self.t))

    async def on_text(self, text: str) -> None:
        if not self.consented:
            self.show_notice(self.engine.default_survey)
        elif not self.session:
            self.offer_survey(self.t._("To rate a service, press the button below."))
        else:
            question = self.survey.question(self.session.step)
            if question.kind == "province":
                await self.on_province_text(question, text)
            elif question.kind == "text":
                await self.on_free_text(question, text)
            else:
                await self.on_choice_text(question, text)

    async def on_other(self) -> None:
        if not self.consented:
            self.show_notice(self.engine.default_survey)
        elif not self.session:
            self.offer_survey(self.t._("To rate a service, press the button below."))
        else:
            self.reshow(self.t._("Sorry, I can only read text and button presses here."))

    async def on_help(self) -> None:
        if self.session:
            self.reshow(help_text(self.t))
        else:
            self.say(help_text(self.t))

    async def on_cancel(self) -> None:
        if not self.session:
            self.say(self.t._("There is no survey in progress. Send /start to begin one."))
            return
        self.retire_question_message()
        await self.store.delete_session(self.session.id)
        self.session = None
        self.say(
            self.t._(
                "The survey was cancelled and the answers you gave in it were deleted. "
                "Send /start to begin again."
            )
        )

    async def on_press(self, data: str) -> None:
        tap = buttons.decode(data)
        if tap is None:
            await self.on_stale_press()
        elif tap.kind == buttons.CONSENT:
            await self.on_consent(tap)
        elif tap.kind == buttons.ERASE:
            await self.on_erase(tap.arg == "y")
        elif not self.consented:
            self.show_notice(self.engine.default_survey)
        elif tap.kind == buttons.NEW_SURVEY:
            await self.on_new_survey(tap.arg)
        elif not self.session or (tap.session, tap.turn) != (self.session.id, self.session.turn):
            await self.on_stale_press()
        elif tap.kind == buttons.ANSWER:
            await self.on_answer_press(tap.arg)
        elif tap.kind == buttons.BACK:
            await self.on_back_press()
        elif tap.kind == buttons.SKIP:
            await self.on_skip_press()
        elif tap.kind == buttons.PAGE:
            self.on_page_press(tap.arg)

    async def on_stale_press(self) -> None:
        self.reply.toast = self.t._("That button belongs to an earlier question.")
        if self.session:
            self.reshow(self.t._("Please answer the current question:"))
        elif self.consented:
            self.offer_survey(self.t._("To rate a service, press the button below."))
        else:
            self.show_notice(self.engine.default_survey)

    async def on_consent(self, tap: buttons.Tap) -> None:
        pressed = self.inbound.message_ref
        if tap.arg == "0":
            if pressed:
                self.reply.actions.append(Edit(pressed, None))
            self.say(
                self.t._(
                    "No problem: nothing was stored. If you change your mind, send /start."
                )
            )
            return
        if tap.turn != NOTICE_VERSION:  # the notice changed since it was shown
            self.show_notice(tap.arg)
            return
        if pressed:  # the notice stays in the chat, with the choice made
            agreed = f"{welcome_with_notice(self.t)}\n✅ {self.t._('I agree')}"
            self.reply.actions.append(Edit(pressed, agreed))
        await self.give_consent()
        if self.session:
            self.reshow(self.t._("Thank you. Let's continue where you left off."))
        else:
            survey_key = tap.arg if tap.arg in self.engine.surveys else self.engine.default_survey
            await self.begin(survey_key, note=self.t._("Thank you. Let's begin."))

    async def on_new_survey(self, survey_key: str) -> None:
        if self.session:
            self.reshow(self.t._("You have a survey in progress. Let's finish it first."))
        else:
            key = survey_key if survey_key in self.engine.surveys else self.engine.default_survey
            await self.begin(key)

    async def on_answer_press(self, value: str) -> None:
        question = self.survey.question(self.session.step)
        if question.kind == "province":
            province = province_by_plate(value)
            if province is None:
                await self.on_stale_press()
                return
            await self.answer_province(question, province)
            return
        choice = question.choice(value)
        if choice is None:
            await self.on_stale_press()
            return
        await self.answer(question, choice.value, self.t._(choice.label), choice.score)

    async def on_back_press(self) -> None:
        session = self.session
        previous = self.survey.previous_before(session.step, session.answers)
        if previous is None:
            self.reshow()
            return
        session.step = previous.id
        session.turn += 1
        ref = self.inbound.message_ref
        text, keyboard = self.render_question(previous)
        # Back rewrites the question message in place, so the chat keeps one live question.
        self.reply.actions.append(Edit(ref, text, keyboard, Tracking(session.id, session.turn)))
        session.message_ref = ref

    async def on_skip_press(self) -> None:
        question = self.survey.question(self.session.step)
        if not question.optional:
            await self.on_stale_press()
            return
        await self.answer(question, None, self.t._("Skipped"), None)

    def on_page_press(self, page_arg: str) -> None:
        question = self.survey.question(self.session.step)
        if question.kind != "province" or not page_arg.isdigit():
            return
        text, _ = self.render_question(question)
        keyboard = self.province_keyboard(int(page_arg))
        self.reply.actions.append(Edit(self.inbound.message_ref, text, keyboard))

    async def on_choice_text(self, question: Question, text: str) -> None:
        typed = _fold(text)
        for choice in question.choices:
            if typed in (_fold(self.t._(choice.label)), _fold(choice.value)):
                await self.answer(question, choice.value, self.t._(choice.label), choice.score)
                return
        self.reshow(self.t._("Please choose one of the buttons below."))

    async def on_province_text(self, question: Question, text: str) -> None:
        found = match_province(text)
        if found.best is not None:
            await self.answer_province(question, found.best)
        elif found.candidates:
            self.reshow(
                self.t._("Which of these did you mean?"),
                keyboard=lambda: self.province_candidates_keyboard(found.candidates),
            )
        else:
            self.reshow(
                self.t._(
                    "I could not find a province called “{text}”. Please type its name or "
                    "plate code (1-81), or choose it below."
                ).format(text=_echo(text))
            )

    async def on_free_text(self, question: Question, text: str) -> None:
        cleaned = clean_free_text(text)
        if not cleaned:
            self.reshow(self.t._("Please write your answer as text, or press Skip."))
        elif len(cleaned) > question.max_length:
            self.reshow(
                self.t._(
                    "Your message is {length} characters long; the limit is {limit}. "
                    "Please shorten it and send it again."
                ).format(length=len(cleaned), limit=question.max_length)
            )
        else:
            await self.answer(question, cleaned, _preview(cleaned), None)

    async def on_erase(self, confirmed: bool) -> None:
        pressed = self.inbound.message_ref
        if not confirmed:
            text = self.t._("Nothing was deleted.")
        elif self.respondent is None:
            text = self.t._("We hold no data linked to you.")
        else:
            erased = await self.store.erase_respondent(self.respondent.id)
            self.session = None
            text = self.t.ngettext(
                "Deleted: {count} survey response and your consent record. "
                "Published statistics do not change. Send /start to take part again.",
                "Deleted: {count} survey responses and your consent record. "
                "Published statistics do not change. Send /start to take part again.",
                erased.responses,
            ).format(count=erased.responses)
        if pressed:
            self.reply.actions.append(Edit(pressed, text))
        else:
            self.say(text)
        if self.session and not confirmed:
            self.reshow()

    # ---- steps ---------------------------------------------------------------------------

    def ask_erase_confirmation(self) -> None:
        if self.respondent is None:
            self.say(self.t._("We hold no data linked to you."))
            return
        self.say(
            self.t._(
                "Do you want to permanently delete your answers and consent record? "
                "This cannot be undone."
            ),
            keyboard=(
                (Button(self.t._("Yes, delete everything"), buttons.encode(buttons.ERASE,
                                                                          arg="y")),),
                (Button(self.t._("No, keep them"), buttons.encode(buttons.ERASE, arg="n")),),
            ),
        )

    def show_notice(self, survey_key: str) -> None:
        self.say(
            welcome_with_notice(self.t),
            keyboard=(
                (Button("✅ " + self.t._("I agree"),
                        buttons.encode(buttons.CONSENT, 0, NOTICE_VERSION, survey_key)),),
                (Button(self.t._("No, thank you"),
                        buttons.encode(buttons.CONSENT, 0, NOTICE_VERSION, "0")),),
            ),
        )

    def offer_survey(self, text: str) -> None:
        self.say(text, keyboard=(
            (Button(self.t._("Rate a service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=self.engine.default_survey)),),
        ))

    async def give_consent(self) -> None:
        if self.respondent is None:
            self.respondent = await self.store.create_respondent(
                self.inbound.respondent, self.t.locale, str(NOTICE_VERSION)
            )
        else:
            await self.store.record_consent(self.respondent.id, str(NOTICE_VERSION))
            self.respondent.consent_version = str(NOTICE_VERSION)
        self.session = await self.store.active_session(self.respondent.id)

    async def begin(self, survey_key: str, note: str | None = None) -> None:
        survey = self.engine.surveys[survey_key]
        session = await self.store.start_session(self.respondent.id, survey.key, survey.version)
        self.session = session
        first = survey.next_after(None, {})
        if first is None:
            raise ValueError(f"survey {survey_key!r} asks nothing of a new respondent")
        session.step = first.id
        self._saved = None  # a new session is always written
        self.ask(note)

    async def answer_province(self, question: Question, province: Province) -> None:
        await self.answer(question, province.plate, province.name, None)

    async def answer(
        self, question: Question, value: str | None, label: str, score: float | None
    ) -> None:
        """Store one answer, show it in place of the buttons, and move on."""
        session, survey = self.session, self.survey
        if value is None:
            session.answers.pop(question.id, None)
            await self.store.drop_answers(session.id, [question.id])
        else:
            session.answers[question.id] = value
            await self.store.save_answer(session.id, question.id, value, score)
        if question.dimension:
            session.dimensions[question.dimension] = value
        await self.drop_answers_off_path()
        self.record_answer_in_chat(question, label)
        choice = question.choice(value) if value is not None else None
        following = survey.next_after(question.id, session.answers)
        if choice is not None and choice.ends:
            self.finish("screened_out", self.t._(choice.ends))
        elif following is None:
            self.finish("completed", self.t._(
                "Thank you! Your answers have been recorded. They help improve this service "
                "in your province."
            ))
        else:
            session.step = following.id
            self.ask()

    async def drop_answers_off_path(self) -> None:
        """Forget answers to questions that no longer apply after a changed earlier answer."""
        session, survey = self.session, self.survey
        off_path = [
            qid for qid in session.answers
            if not survey.has_question(qid) or not survey.question(qid).applies(session.answers)
        ]
        if off_path:
            for qid in off_path:
                session.answers.pop(qid)
                dimension = survey.question(qid).dimension if survey.has_question(qid) else None
                if dimension:
                    session.dimensions[dimension] = None
            await self.store.drop_answers(session.id, off_path)

    def record_answer_in_chat(self, question: Question, label: str) -> None:
        """Edit the question message to show the answer: the chat reads as a clean record."""
        ref = self.inbound.message_ref if isinstance(self.inbound.event, Press) else None
        ref = ref or self.session.message_ref
        if ref:
            text = self.t._(question.text_for(self.session.answers))
            self.reply.actions.append(Edit(ref, f"{text}\n✅ {label}"))
        self.session.message_ref = None

    def finish(self, status: str, text: str) -> None:
        self.session.status = status
        self.session.step = None
        self.offer_another(text)

    def offer_another(self, text: str) -> None:
        self.say(text, keyboard=(
            (Button(self.t._("Rate another service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=self.engine.default_survey)),),
        ))

    def ask(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Send the current question as a new message whose buttons carry a new turn."""
        session = self.session
        session.turn += 1  # before any button is made: buttons carry the new turn
        question = self.survey.question(session.step)
        text, default_keyboard = self.render_question(question)
        if note:
            text = f"{note}\n\n{text}"
        self.reply.actions.append(
            Send(text, keyboard() if keyboard is not None else default_keyboard,
                 Tracking(session.id, session.turn))
        )

    def reshow(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Show the current question again (with a note); the old copy loses its buttons."""
        self.retire_question_message()
        self.ask(note, keyboard)

    def retire_question_message(self) -> None:
        if self.session and self.session.message_ref:
            self.reply.actions.append(Edit(self.session.message_ref, None))
            self.session.message_ref = None

    def say(self, text: str, keyboard: Keyboard = ()) -> None:
        self.reply.actions.append(Send(text, keyboard))

    # ---- rendering -----------------------------------------------------------------------

    def render_question(self, question: Question) -> tuple[str, Keyboard]:
        session, survey = self.session, self.survey
        path = survey.path(session.answers)
        position = next(i for i, q in enumerate(path, 1) if q.id == question.id)
        header = self.t._("Question {number} of {total}").format(number=position, total=len(path))
        text = f"{header}\n{self.t._(question.text_for(session.answers))}"
        if question.kind == "province":
            return text, self.province_keyboard(0)
        rows = self.choice_rows(question) if question.kind == "choice" else []
        if question.optional:
            rows.append((Button(self.t._("Skip"), self.tap(buttons.SKIP)),))
        rows += self.back_row(question)
        return text, tuple(rows)

    def choice_rows(self, question: Question) -> list[tuple[Button, ...]]:
        previous = self.session.answers.get(question.id)
        labels = [
            (("✓ " if c.value == previous else "") + self.t._(c.label), c.value)
            for c in question.choices
        ]
        return [
            tuple(Button(label, self.tap(buttons.ANSWER, value))
                  for label, value in labels[i:i + question.columns])
            for i in range(0, len(labels), question.columns)
        ]

    def province_keyboard(self, page: int) -> Keyboard:
        everything = provinces_sorted_by_name()
        pages = (len(everything) + PROVINCES_PER_PAGE - 1) // PROVINCES_PER_PAGE
        page = max(0, min(page, pages - 1))
        shown = everything[page * PROVINCES_PER_PAGE:(page + 1) * PROVINCES_PER_PAGE]
        rows = [
            tuple(Button(p.name, self.tap(buttons.ANSWER, p.plate))
                  for p in shown[i:i + PROVINCE_COLUMNS])
            for i in range(0, len(shown), PROVINCE_COLUMNS)
        ]
        nav = []
        if page > 0:
            nav.append(Button("◀", self.tap(buttons.PAGE, str(page - 1))))
        nav.append(Button(f"{page + 1}/{pages}", self.tap(buttons.PAGE, str(page))))
        if page < pages - 1:
            nav.append(Button("▶", self.tap(buttons.PAGE, str(page + 1))))
        question = self.survey.question(self.session.step)
        return (*rows, tuple(nav), *self.back_row(question))

    def province_candidates_keyboard(self, candidates: tuple[Province, ...]) -> Keyboard:
        rows = [(Button(p.name, self.tap(buttons.ANSWER, p.plate)),) for p in candidates]
        rows.append((Button(self.t._("Show all provinces"), self.tap(buttons.PAGE, "0")),))
        return tuple(rows)

    def back_row(self, question: Question) -> list[tuple[Button, ...]]:
        if self.survey.previous_before(question.id, self.session.answers) is None:
            return []
        return [(Button(self.t._("« Back"), self.tap(buttons.BACK)),)]

    def tap(self, kind: str, arg: str = "") -> str:
        return buttons.encode(kind, self.session.id, self.session.turn, arg)


def clean_free_text(text: str) -> str:
    """Remove control and invisible formatting characters; keep line breaks."""
    kept = "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    return _INVISIBLE.sub("", kept).strip()


def _fold(text: str) -> str:
    return " ".join(clean_free_text(text).casefold().split())


def _echo(text: str) -> str:
    cleaned = " ".join(clean_free_text(text).split())
    return cleaned if len(cleaned) <= ECHO_LIMIT else cleaned[: ECHO_LIMIT - 1] + "…"


def _preview(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _snapshot(session: SessionState | None) -> tuple | None:
    if session is None:
        return None
    return (session.status, session.step, session.turn, session.message_ref,
            tuple(sorted(session.dimensions.items())))
