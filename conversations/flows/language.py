"""/dil: the respondent picks Turkish, English or Arabic; answers stay, only the words
change."""

from __future__ import annotations

from conversations import buttons
from conversations.conversation import Conversation
from conversations.flows.consent import show_notice
from conversations.flows.survey_step import step_of
from conversations.i18n import LANGUAGE_NAMES, SUPPORTED_LOCALES, Texts
from conversations.messages import Button


def show_language_menu(c: Conversation) -> None:
    c.say(
        c.t._("Choose your language:"),
        keyboard=(tuple(
            Button(name, buttons.encode(buttons.LANGUAGE, arg=code))
            for code, name in LANGUAGE_NAMES.items()
        ),),
    )


async def on_language_press(c: Conversation, language: str) -> bool:
    """False where the button names no language we speak (the caller treats it as stale)."""
    if language not in SUPPORTED_LOCALES:
        return False
    c.t = Texts(language)
    if c.inbound.message_ref:
        c.edit(c.inbound.message_ref, f"✅ {LANGUAGE_NAMES[language]}")
    if not c.consented or c.respondent is None:
        show_notice(c, c.settings.default_survey)
        return True
    await c.store.set_language(c.respondent.id, language)
    c.respondent.language = language
    c.note_context()
    if (step := step_of(c)) is not None:
        step.reshow(c.t._("The language was changed. Let's continue."))
    else:
        c.offer_survey(c.t._("The language was changed."))
    return True
