"""/sil: everything linked to the respondent is erased, after they confirm."""

from __future__ import annotations

from conversations import buttons
from conversations.conversation import Conversation
from conversations.flows.survey_step import step_of
from conversations.messages import Button


def ask_erase_confirmation(c: Conversation) -> None:
    if c.respondent is None:
        c.say(c.t._("We hold no data linked to you."))
        return
    c.say(
        c.t._("Do you want to permanently delete your answers and consent record? "
              "This cannot be undone."),
        keyboard=(
            # button
            (Button(c.t._("Yes, delete everything"), buttons.encode(buttons.ERASE, arg="y")),),
            # button
            (Button(c.t._("No, keep them"), buttons.encode(buttons.ERASE, arg="n")),),
        ),
    )


async def on_erase_press(c: Conversation, confirmed: bool) -> None:
    pressed = c.inbound.message_ref
    if not confirmed:
        text = c.t._("Nothing was deleted.")
    elif c.respondent is None:
        text = c.t._("We hold no data linked to you.")
    else:
        # No count: a survey begun and left, or screened out, is a "response" to the
        # database and not to the citizen, who would read "5 responses" after none.
        await c.store.erase_respondent(c.respondent.id)
        c.session = None
        text = c.t._(
            "Everything linked to you has been deleted: your survey answers and your consent "
            "record. Statistics already published stay as they are; your answers are left "
            "out of those published from now on. Send /start to take part again.")
    if pressed:
        c.edit(pressed, text)
    else:
        c.say(text)
    if not confirmed and (step := step_of(c)) is not None:
        step.reshow()
