"""The notice (KVKK) and consent: shown before anything is stored, in two messages (the
notice, which is information, and the consent question, which is an act of its own); a "no"
stores nothing; a changed notice asks again. The full notice is a tap or /gizlilik away."""

from __future__ import annotations

from conversations import buttons
from conversations.conversation import Conversation
from conversations.flows import muhtar
from conversations.flows.session_life import settle_session
from conversations.flows.survey_step import begin, step_of
from conversations.i18n import SUPPORTED_LOCALES, Texts
from conversations.messages import Button
from conversations.notice import (
    consent_question,
    full_notice,
    staff_notice,
    welcome_with_notice,
)
from conversations.survey import Survey

DECLINED = "0"  # before the target on the "No, thank you" button (no survey key or payload
# starts with a digit)


def consent_button(language: int, notice_version: int, target: str,
                   declined: bool = False) -> str:
    """A consent button's data: the language the notice was read in (an index into
    SUPPORTED_LOCALES) and its version ride in the fields a survey button uses for its
    session and turn; the target is the survey or the muhtar link's payload to start (the
    "No" button carries it too, to offer it again)."""
    return buttons.encode(buttons.CONSENT, language, notice_version,
                          (DECLINED if declined else "") + target)


def show_notice(c: Conversation, target: str, survey: Survey | None = None) -> None:
    """The welcome with the notice in brief, then the consent question; ``target`` is what
    consent starts (a survey key or a link's payload), ``survey`` what it is about: a
    unit's staff (its invitation) are told what staff must know."""
    staff = survey is not None and survey.audience == "staff"
    c.say(welcome_with_notice(c.t, c.settings.notice, survey.welcome if survey else None,
                              staff),
          # button
          keyboard=((Button("📄 " + c.t._("Read the full privacy notice"),
                            buttons.encode(buttons.NOTICE, arg=target)),),))
    c.say(consent_question(c.t), keyboard=consent_keyboard(c, target))


def consent_keyboard(c: Conversation, target: str) -> tuple[tuple[Button, ...], ...]:
    language = SUPPORTED_LOCALES.index(c.t.locale)
    version = c.settings.notice_version
    return (
        # button
        (Button("✅ " + c.t._("I agree"), consent_button(language, version, target)),),
        # button
        (Button(c.t._("No, thank you"), consent_button(language, version, target, True)),),
    )


async def on_notice_press(c: Conversation, target: str) -> None:
    """The full notice's button: the staff's part too when it was shown under a unit's
    invitation (the target, a link's payload, says whose survey it opens)."""
    survey_key, _ = await muhtar.start_target(c, target) if target else (None, None)
    staff = survey_key is not None and c.settings.surveys[survey_key].audience == "staff"
    show_full_notice(c, target, staff)


def show_full_notice(c: Conversation, target: str = "", staff: bool = False) -> None:
    """The whole notice, whenever asked for (its button, /gizlilik): information only, with
    or without consent, and nothing stored. Read before consenting (its button under the
    welcome), it ends with the consent buttons, so that a long read on a phone need not
    scroll back up to them. The staff's part follows it for whoever is answering as staff,
    or pressed the button under the staff's notice."""
    step = step_of(c)
    staff = staff or (step is not None and step.survey.audience == "staff")
    text = full_notice(c.t, c.settings.notice)
    if staff:
        text = f"{text}\n\n{staff_notice(c.t, c.settings.notice)}"
    if step is not None:
        step.reshow(text)
    elif not c.consented and target:
        c.say(text, keyboard=consent_keyboard(c, target))
    else:
        c.say(text)


async def on_consent_press(c: Conversation, tap: buttons.Tap) -> None:
    language, notice_version, target = tap.session, tap.turn, tap.arg
    declined = target.startswith(DECLINED)
    target = target.removeprefix(DECLINED) if declined else target
    if 0 <= language < len(SUPPORTED_LOCALES):  # answer in the language the notice was read in
        c.t = Texts(SUPPORTED_LOCALES[language])
    pressed = c.inbound.message_ref
    if declined:
        if pressed:
            c.edit(pressed, None)
        # The survey it would have started (perhaps a muhtar's) stays a tap away.
        again = _changed_my_mind(c, target)
        if c.respondent is None:
            c.say(c.t._("No problem: nothing was stored. If you change your mind, tap the "
                        "button below."), keyboard=again)
        else:  # asked again after the notice changed: what they gave before is still here
            c.say(c.t._("Understood: nothing new was stored. What you gave before is kept "
                        "until you erase it with /sil. If you change your mind, tap the "
                        "button below."), keyboard=again)
        return
    if notice_version != c.settings.notice_version:  # the notice changed since it was shown
        survey_key, link = await muhtar.start_target(c, target)
        show_notice(c, target, c.settings.surveys[survey_key])
        return
    if pressed:  # the question stays in the chat, with the choice made
        c.edit(pressed, f"{consent_question(c.t)}\n✅ {c.t._('I agree')}")
    await give_consent(c)
    await settle_session(c)  # the session consent brings back may be stale or outdated
    if (step := step_of(c)) is not None:
        step.reshow(c.t._("Thank you. Let's continue where you left off."))
    else:
        survey_key, link = await muhtar.start_target(c, target)
        await begin(c, survey_key, note=c.t._("Thank you. Let's begin."), link=link)


def _changed_my_mind(c: Conversation, target: str) -> tuple[tuple[Button, ...], ...]:
    """A consent button for what the declined question would have started."""
    language = SUPPORTED_LOCALES.index(c.t.locale)
    # button
    return ((Button("✅ " + c.t._("I changed my mind: I agree"),
                    consent_button(language, c.settings.notice_version,
                                   target or c.settings.default_survey)),),)


async def give_consent(c: Conversation) -> None:
    version = str(c.settings.notice_version)
    if c.respondent is None:
        c.respondent = await c.store.create_respondent(c.inbound.respondent, c.t.locale, version)
    else:
        await c.store.record_consent(c.respondent.id, version)
        c.respondent.consent_version = version
    c.session = await c.store.active_session(c.respondent.id)
