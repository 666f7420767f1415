"""The survey engine: takes one input from a respondent, returns what to show next.

It knows nothing of Telegram or SQL. Each input is handled in one storage transaction: the
respondent's row is locked first, so inputs of one respondent are applied one after another
even when several processes share the database, and an answer is committed before the
channel shows the next question.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from conversations import buttons, place_questions
from conversations.i18n import LANGUAGE_NAMES, SUPPORTED_LOCALES, Texts, choose_locale
from conversations.keyboards import QuestionView
from conversations.links import (
    FIXABLE,
    LinkPlace,
    is_link_payload,
    normalize_stats_code,
    stats_code_digest,
)
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
    Shown,
    Start,
    Text,
    Tracking,
)
from conversations.notice import NOTICE_VERSION, help_text, welcome, welcome_with_notice
from conversations.ports import StoreFactory, SurveyStore
from conversations.reach import reach_text
from conversations.scrub import scrub
from conversations.state import RespondentState, SessionState, Status
from conversations.survey import DEFAULT_SURVEY, PLACE_KINDS, Question, Survey, builtin_surveys
from conversations.text_input import clean_free_text, echo, fold, preview

KeyboardFactory = Callable[[], Keyboard]


def _consented(respondent: RespondentState | None, notice_version: int) -> bool:
    """Consent was given to the notice as it reads now (a changed notice asks again)."""
    return respondent is not None and respondent.consent_version == str(notice_version)


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
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._stores = stores
        self.surveys = surveys if surveys is not None else builtin_surveys()
        if default_survey not in self.surveys:
            raise ValueError(f"unknown default survey {default_survey!r}")
        self.default_survey = default_survey
        self.session_ttl = session_ttl
        self.repeat_after = repeat_after
        self.min_seconds_per_answer = min_seconds_per_answer
        self.notice_version = notice_version
        self.clock = clock

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
                respondent.id if _consented(respondent, self.notice_version) else None)
            if earlier:
                raise OutOfOrder
            conversation = _Conversation(self, store, inbound, respondent)
            return await conversation.respond(session)

    async def message_shown(self, tracking: Tracking, message_ref: str) -> None:
        """The channel showed the question of ``tracking`` in message ``message_ref``."""
        await self.messages_shown([Shown(tracking, message_ref)])

    async def messages_shown(self, shown: list[Shown]) -> None:
        """Several questions' message ids at once (a channel that collects them): one
        statement. A question whose turn has moved on is left alone."""
        if shown:
            async with self._stores(single_statement=True) as store:
                await store.remember_messages(shown)


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
        self.now = engine.clock()

    # ---- entry ---------------------------------------------------------------------------

    async def respond(self, session: SessionState | None) -> Reply:
        """``session``: the respondent's session in progress, read under their lock."""
        event = self.inbound.event
        if self.consented:
            self.session = session
            await self.expire_abandoned_session()
        self._saved = _snapshot(self.session)
        self.note_shown_question()
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
            case Command(name="language"):
                self.show_language_menu()
            case Command(name="stats", argument=argument):
                await self.on_stats_code(argument)
            case Text(text=text):
                await self.on_text(text)
            case Other():
                await self.on_other()
        if self.session and _snapshot(self.session) != self._saved:
            await self.store.save_session(self.session, self.now)
        return self.reply

    @property
    def consented(self) -> bool:
        return _consented(self.respondent, self.engine.notice_version)

    def note_shown_question(self) -> None:
        """The channel says which message shows the current question, if it had not been
        stored yet: saved with this step instead of in a write of its own."""
        shown, session = self.inbound.shown, self.session
        if (shown is not None and session is not None
                and shown.tracking == Tracking(session.id, session.turn)):
            session.message_ref = shown.message_ref

    async def expire_abandoned_session(self) -> None:
        session = self.session
        if session is None or session.updated_at is None:
            return
        if self.now - session.updated_at <= self.engine.session_ttl:
            return
        session.status, session.step = Status.EXPIRED, None
        await self.store.save_session(session, self.now)
        self.note_event("expired")
        self.session = None
        days = max(1, round(self.engine.session_ttl / timedelta(days=1)))
        self.say(self.t.ngettext(
            "Your earlier survey was closed after {days} day without an answer. "
            "You are welcome to start again.",
            "Your earlier survey was closed after {days} days without an answer. "
            "You are welcome to start again.",
            days,
        ).format(days=self.t.number(days)))

    @property
    def survey(self) -> Survey:
        assert self.session is not None
        return self.engine.surveys[self.session.survey_key]

    # ---- handlers, one per kind of input -------------------------------------------------

    async def on_start(self, payload: str | None) -> None:
        survey_key, link = await self.start_target(payload)
        if link:
            await self.store.count_reach(link.id, "opened", self.now)
        if not self.consented:
            # The notice's button carries the link on, so consent starts the linked survey.
            self.show_notice(payload if link else survey_key)
        elif self.session:
            self.reshow(self.t._("Welcome back! Let's continue where you left off."))
        else:
            await self.begin(survey_key, note=welcome(self.t), link=link)

    async def start_target(self, payload: str | None) -> tuple[str, LinkPlace | None]:
        """The survey a start payload asks for, and the muhtar's link it came through.
        An unknown, tampered, disabled or expired link starts the normal survey."""
        link = await self.store.find_link(payload, self.now) if is_link_payload(
            payload) else None
        if link and link.survey_key in self.engine.surveys:
            return link.survey_key, link
        if link:
            return self.engine.default_survey, link
        if payload in self.engine.surveys:
            return payload, None
        return self.engine.default_survey, None

    async def on_text(self, text: str) -> None:
        if not self.consented:
            self.show_notice(self.engine.default_survey)
        elif not self.session:
            self.offer_survey(self.t._("To rate a service, press the button below."))
        else:
            question = self.survey.question(self.session.step)
            if question.kind in PLACE_KINDS:
                await self.on_place_text(question, text)
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
        self.note_event("cancelled")
        await self.store.delete_session(self.session.id)
        self.session = None
        self.say(
            self.t._(
                "The survey was cancelled and the answers you gave in it were deleted. "
                "Send /start to begin again."
            )
        )

    async def on_stats_code(self, typed: str | None) -> None:
        """A muhtar asks how far their link reached (/istatistik <code>)."""
        code = normalize_stats_code(typed or "")
        reach = await self.store.link_reach(stats_code_digest(code)) if code else None
        if reach is None:
            self.say(self.t._(
                "Please send /istatistik followed by the stats code printed on your muhtar "
                "slip, for example: /istatistik ABCD-EFGH-JKMN"
            ) if not typed else self.t._(
                "No link has this stats code. Please check it against your muhtar slip."))
        else:
            self.say(reach_text(self.t, reach))
        if self.session:
            self.reshow()

    async def on_press(self, data: str) -> None:
        tap = buttons.decode(data)
        if tap is None:
            await self.on_stale_press()
        elif tap.kind == buttons.CONSENT:
            await self.on_consent(tap)
        elif tap.kind == buttons.ERASE:
            await self.on_erase(tap.arg == "y")
        elif tap.kind == buttons.LANGUAGE:
            await self.on_language_press(tap.arg)
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
        if 0 <= tap.session < len(SUPPORTED_LOCALES):  # the language the notice was read in
            self.t = Texts(SUPPORTED_LOCALES[tap.session])
        pressed = self.inbound.message_ref
        if tap.arg == "0":
            if pressed:
                self.edit(pressed, None)
            self.say(
                self.t._(
                    "No problem: nothing was stored. If you change your mind, send /start."
                )
            )
            return
        if tap.turn != self.engine.notice_version:  # the notice changed since it was shown
            self.show_notice(tap.arg)
            return
        if pressed:  # the notice stays in the chat, with the choice made
            self.edit(pressed, f"{welcome_with_notice(self.t)}\n✅ {self.t._('I agree')}")
        await self.give_consent()
        if self.session:
            self.reshow(self.t._("Thank you. Let's continue where you left off."))
        else:
            survey_key, link = await self.start_target(tap.arg)
            await self.begin(survey_key, note=self.t._("Thank you. Let's begin."), link=link)

    async def on_language_press(self, language: str) -> None:
        if language not in SUPPORTED_LOCALES:
            await self.on_stale_press()
            return
        self.t = Texts(language)
        if self.inbound.message_ref:
            self.edit(self.inbound.message_ref, f"✅ {LANGUAGE_NAMES[language]}")
        if not self.consented:
            self.show_notice(self.engine.default_survey)
            return
        await self.store.set_language(self.respondent.id, language)
        self.respondent.language = language
        if self.session:  # answers stay; only the words change
            self.reshow(self.t._("The language was changed. Let's continue."))
        else:
            self.offer_survey(self.t._("The language was changed."))

    async def on_new_survey(self, survey_key: str) -> None:
        if self.session:
            self.reshow(self.t._("You have a survey in progress. Let's finish it first."))
        else:
            key = survey_key if survey_key in self.engine.surveys else self.engine.default_survey
            await self.begin(key)

    async def on_answer_press(self, value: str) -> None:
        question = self.survey.question(self.session.step)
        if question.kind in PLACE_KINDS:
            option = place_questions.option_for(question, self.session.answers, value)
            if option is None:
                await self.on_stale_press()
            else:
                await self.answer(question, option.value, option.label, None)
            return
        choice = question.choice(value)
        if choice is None:
            await self.on_stale_press()
            return
        await self.answer(question, choice.value, self.t._(choice.label), choice.score)

    async def on_back_press(self) -> None:
        session = self.session
        previous = self.survey.previous_before(session.step, session.answers, self.fixed)
        if previous is None:
            self.reshow()
            return
        session.step = previous.id
        session.turn += 1
        ref = self.inbound.message_ref
        text, keyboard = self.view.render(previous)
        # Back rewrites the question message in place, so the chat keeps one live question.
        self.edit(ref, text, keyboard, Tracking(session.id, session.turn))
        session.message_ref = ref

    async def on_skip_press(self) -> None:
        question = self.survey.question(self.session.step)
        if not question.optional:
            await self.on_stale_press()
            return
        await self.answer(question, None, self.t._("Skipped"), None)

    def on_page_press(self, page_arg: str) -> None:
        question = self.survey.question(self.session.step)
        if question.kind not in PLACE_KINDS or not page_arg.isdigit():
            return
        text, _ = self.view.render(question)
        self.edit(self.inbound.message_ref, text, self.view.place_keyboard(question, int(page_arg)))

    async def on_choice_text(self, question: Question, text: str) -> None:
        typed = fold(text)
        for choice in question.choices:
            if typed in (fold(self.t._(choice.label)), fold(choice.value)):
                await self.answer(question, choice.value, self.t._(choice.label), choice.score)
                return
        self.reshow(self.t._("Please choose one of the buttons below."))

    async def on_place_text(self, question: Question, text: str) -> None:
        status, found = place_questions.match_typed(question, self.session.answers, text)
        if status == "found":
            await self.answer(question, found[0].value, found[0].label, None)
        elif status == "ambiguous":
            self.reshow(
                self.t._("Which of these did you mean?"),
                keyboard=lambda: self.view.candidates_keyboard(question, found),
            )
        elif question.kind == "province":
            self.reshow(
                self.t._(
                    "I could not find a province called “{text}”. Please type its name or "
                    "plate code (1-81), or choose it below."
                ).format(text=self.t.isolate(echo(text)))
            )
        else:
            province = place_questions.province_name(question, self.session.answers)
            self.reshow(
                self.t._(
                    "I could not find a district called “{text}” in {province}. Please type "
                    "its name again, choose it below, or press Skip."
                ).format(text=self.t.isolate(echo(text)), province=self.t.isolate(province))
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
                ).format(length=self.t.number(len(cleaned)),
                         limit=self.t.number(question.max_length))
            )
        else:
            # Identity numbers, phones, e-mails, IBANs and plates never reach the database;
            # the chat record shows the citizen what was kept.
            kept = scrub(cleaned)
            await self.answer(question, kept, preview(kept), None)

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
            ).format(count=self.t.number(erased.responses))
        if pressed:
            self.edit(pressed, text)
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
                # button
                (Button(self.t._("Yes, delete everything"),
                        buttons.encode(buttons.ERASE, arg="y")),),
                # button
                (Button(self.t._("No, keep them"), buttons.encode(buttons.ERASE, arg="n")),),
            ),
        )

    def show_language_menu(self) -> None:
        self.say(
            self.t._("Choose your language:"),
            keyboard=(tuple(
                Button(name, buttons.encode(buttons.LANGUAGE, arg=code))
                for code, name in LANGUAGE_NAMES.items()
            ),),
        )

    def show_notice(self, survey_key: str) -> None:
        language = SUPPORTED_LOCALES.index(self.t.locale)
        version = self.engine.notice_version
        self.say(
            welcome_with_notice(self.t),
            keyboard=(
                # button
                (Button("✅ " + self.t._("I agree"),
                        buttons.encode(buttons.CONSENT, language, version, survey_key)),),
                # button
                (Button(self.t._("No, thank you"),
                        buttons.encode(buttons.CONSENT, language, version, "0")),),
            ),
        )

    def offer_survey(self, text: str) -> None:
        self.say(text, keyboard=(
            # button
            (Button(self.t._("Rate a service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=self.engine.default_survey)),),
        ))

    async def give_consent(self) -> None:
        if self.respondent is None:
            self.respondent = await self.store.create_respondent(
                self.inbound.respondent, self.t.locale, str(self.engine.notice_version)
            )
        else:
            await self.store.record_consent(self.respondent.id, str(self.engine.notice_version))
            self.respondent.consent_version = str(self.engine.notice_version)
        self.session = await self.store.active_session(self.respondent.id)

    async def begin(self, survey_key: str, note: str | None = None,
                    link: LinkPlace | None = None) -> None:
        survey = self.engine.surveys[survey_key]
        presets = link.presets(survey) if link else {}
        service = link.service if link and survey.has_dimension("service") else None
        if (service or not survey.has_dimension("service")) and await self.answered_recently(
                survey_key, service):
            return
        session = await self.store.start_session(self.respondent.id, survey.key, survey.version,
                                                 self.now, link)
        self.session = session
        if link:
            await self.store.count_reach(link.id, "consented", self.now)
            await self.apply_link(link, presets)
        first = survey.next_after(None, session.answers, self.fixed)
        if first is None:
            raise ValueError(f"survey {survey_key!r} asks nothing of a new respondent")
        session.step = first.id
        self._saved = None  # a new session is always written
        self.note_event("started")
        self.ask(note)

    async def apply_link(self, link: LinkPlace, presets: dict[str, str]) -> None:
        """Answer for the citizen what the link already says: where (and perhaps which
        service). Those questions are skipped; the answers are stored like any other."""
        session = self.session
        for question_id, value in presets.items():
            session.answers[question_id] = value
            await self.store.save_answer(session.id, question_id, value, None, self.now)
        session.dimensions.update(
            {d: getattr(link, d) for d in FIXABLE if getattr(link, d) is not None})

    @property
    def fixed(self) -> frozenset[str]:
        """Questions the session's link answered, which the citizen is never asked."""
        session = self.session
        if session is None or session.link is None:
            return frozenset()
        return frozenset(session.link.presets(self.survey))

    async def answer(
        self, question: Question, value: str | None, label: str, score: float | None
    ) -> None:
        """Store one answer, show it in place of the buttons, and move on."""
        session, survey = self.session, self.survey
        if question.dimension == "service" and await self.answered_recently(survey.key, value):
            return
        changed = session.answers.get(question.id) != value
        if value is None:
            session.answers.pop(question.id, None)
            await self.store.drop_answers(session.id, [question.id])
        else:
            session.answers[question.id] = value
            session.answered_at[question.id] = self.now
            await self.store.save_answer(session.id, question.id, value, score, self.now)
        if question.dimension:
            session.dimensions[question.dimension] = value
        await self.forget_answers(self.answers_made_obsolete(question, changed))
        self.record_answer_in_chat(question, label)
        choice = question.choice(value) if value is not None else None
        following = survey.next_after(question.id, session.answers, self.fixed)
        if choice is not None and choice.ends:
            self.finish(Status.SCREENED_OUT, self.t._(choice.ends))
        elif following is None:
            session.flagged_automated = self.looks_automated()
            if session.link:
                await self.store.count_reach(session.link.id, "completed", self.now)
            self.finish(Status.COMPLETED, self.t._(
                "Thank you! Your answers have been recorded. They help improve this service "
                "in your province."
            ))
        else:
            session.step = following.id
            self.ask()

    async def answered_recently(self, survey_key: str, service: str | None) -> bool:
        """One completed response per service (or survey) per repeat period: say when the
        citizen may answer again, and keep them where they are."""
        last = await self.store.last_completed(self.respondent.id, survey_key, service)
        if last is None or self.now - last >= self.engine.repeat_after:
            return False
        note = self.t._(
            "You already rated this on {date}. So that the results stay fair, you can rate it "
            "again from {next_date}."
        ).format(date=self.t.isolate(self.t.date(last)),
                 next_date=self.t.isolate(self.t.date(last + self.engine.repeat_after)))
        if self.session:
            self.reshow(note)
        else:
            self.say(note)
        return True

    def looks_automated(self) -> bool:
        """Median time between answers under the threshold: faster than anyone reads."""
        session = self.session
        answered = [at for qid, at in session.answered_at.items() if qid not in self.fixed]
        moments = sorted([session.started_at, *answered] if session.started_at else answered)
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(moments)]
        return bool(gaps) and statistics.median(gaps) < self.engine.min_seconds_per_answer

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
        for qid in question_ids:
            self.session.answers.pop(qid)
            self.session.answered_at.pop(qid, None)
            if self.survey.has_question(qid) and self.survey.question(qid).dimension:
                self.session.dimensions[self.survey.question(qid).dimension] = None
        await self.store.drop_answers(self.session.id, question_ids)

    def record_answer_in_chat(self, question: Question, label: str) -> None:
        """Edit the question message to show the answer: the chat reads as a clean record."""
        ref = self.inbound.message_ref if isinstance(self.inbound.event, Press) else None
        ref = ref or self.session.message_ref
        if ref:
            text = self.t._(question.text_for(self.session.answers))
            self.edit(ref, f"{text}\n✅ {self.t.isolate(label)}")
        self.session.message_ref = None

    def finish(self, status: Status, text: str) -> None:
        self.session.status = status
        self.session.step = None
        self.note_event(status)
        self.say(text, keyboard=(
            # button
            (Button(self.t._("Rate another service"),
                    buttons.encode(buttons.NEW_SURVEY, arg=self.engine.default_survey)),),
        ))

    def ask(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Send the current question as a new message whose buttons carry a new turn."""
        session = self.session
        session.turn += 1  # before any button is made: buttons carry the new turn
        question = self.survey.question(session.step)
        text, default_keyboard = self.view.render(question)
        if note:
            text = f"{note}\n\n{text}"
        self.say(text, keyboard() if keyboard is not None else default_keyboard,
                 Tracking(session.id, session.turn))

    def reshow(self, note: str | None = None, keyboard: KeyboardFactory | None = None) -> None:
        """Show the current question again (with a note); the old copy loses its buttons."""
        self.retire_question_message()
        self.ask(note, keyboard)

    def retire_question_message(self) -> None:
        if self.session and self.session.message_ref:
            self.edit(self.session.message_ref, None)
            self.session.message_ref = None

    def note_event(self, event: str) -> None:
        session = self.session
        self.reply.events.append((event, session.survey_key, session.dimensions.get("service")))

    def say(self, text: str, keyboard: Keyboard = (), tracking: Tracking | None = None) -> None:
        self.reply.actions.append(Send(self.t.paragraphs(text), keyboard, tracking))

    def edit(self, ref: str, text: str | None, keyboard: Keyboard = (),
             tracking: Tracking | None = None) -> None:
        text = None if text is None else self.t.paragraphs(text)
        self.reply.actions.append(Edit(ref, text, keyboard, tracking))

    @property
    def view(self) -> QuestionView:
        """The session's questions as the respondent sees them now."""
        return QuestionView(self.t, self.survey, self.session, self.fixed)


def _snapshot(session: SessionState | None) -> tuple | None:
    if session is None:
        return None
    return (session.status, session.step, session.turn, session.message_ref,
            session.flagged_automated, tuple(sorted(session.dimensions.items())))
