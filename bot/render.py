"""Show the engine's reply in Telegram: answer the tap, apply edits, send messages."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from conversations.i18n import Texts, choose_locale
from conversations.messages import Edit, Keyboard, Reply, Send, Shown

if TYPE_CHECKING:
    from bot.shown import ShownQuestions

log = logging.getLogger(__name__)

# Edits that fail for these reasons change nothing the citizen needs: the message already shows
# it, or it is gone. The next question must still be sent.
_HARMLESS_EDIT_ERRORS = ("message is not modified", "message to edit not found",
                         "message can't be edited")


def inline_markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


async def show_reply(
    bot: Bot, chat_id: int, reply: Reply, shown: ShownQuestions,
    query: CallbackQuery | None = None,
) -> None:
    """Answer the tap, apply the edits and send the new messages all at once: one round trip
    to Telegram per step instead of three in a row (Telegram is 40-80 ms away from Türkiye).
    An edit changes a message where it stands, so the chat reads in order whichever lands
    first; new messages go out one after another. ``shown`` collects the new questions'
    message ids."""
    if reply.duplicate:
        return  # handled (and answered) when it first arrived
    messages = _show_actions(bot, chat_id, reply, shown)
    if query is None:
        await messages
        return
    sent, tapped = await asyncio.gather(messages, _answer_tap(query, reply.toast),
                                        return_exceptions=True)
    if isinstance(sent, BaseException):
        raise sent  # the error handler apologises
    if isinstance(tapped, BaseException):
        # The reply went out; the spinner on the button stops by itself.
        log.warning("could not answer the tap: %s", type(tapped).__name__)


async def _show_actions(bot: Bot, chat_id: int, reply: Reply, shown: ShownQuestions) -> None:
    edits = [action for action in reply.actions if isinstance(action, Edit)]
    sends = [action for action in reply.actions if not isinstance(action, Edit)]

    async def send_in_order() -> None:
        for action in sends:
            await _send(bot, chat_id, action, shown)

    if not edits:
        await send_in_order()
        return
    done = await asyncio.gather(send_in_order(), *(_edit(bot, chat_id, e) for e in edits),
                                return_exceptions=True)
    for outcome in done:  # everything was tried; the first failure goes to the error handler
        if isinstance(outcome, BaseException):
            raise outcome


async def _answer_tap(query: CallbackQuery, toast: str | None) -> None:
    try:
        await query.answer(toast)
    except BadRequest as error:
        # A tap handled late (after an outage) is too old to answer; the reply still counts.
        log.debug("tap not answered: %s", error.message)


async def _send(bot: Bot, chat_id: int, action: Send, shown: ShownQuestions) -> None:
    message = await bot.send_message(chat_id, action.text,
                                     reply_markup=inline_markup(action.keyboard))
    if action.tracking is not None:
        shown.add(chat_id, Shown(action.tracking, str(message.message_id)))


async def _edit(bot: Bot, chat_id: int, action: Edit) -> None:
    message_id = int(action.message_ref)
    markup = inline_markup(action.keyboard)
    try:
        if action.text is None:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
        else:
            await bot.edit_message_text(action.text, chat_id, message_id, reply_markup=markup)
    except BadRequest as error:
        if not any(reason in error.message.lower() for reason in _HARMLESS_EDIT_ERRORS):
            raise
        log.debug("edit skipped: %s", error.message)


async def send_apology(bot: Bot, chat_id: int, language_code: str | None) -> None:
    """"Something went wrong, try again in a moment", in the citizen's language. Never raises:
    when Telegram cannot be reached either, there is nothing more to do."""
    t = Texts(choose_locale(language_code))
    try:
        await bot.send_message(chat_id, t._(
            "Sorry, something went wrong on our side. Please try again in a moment."))
    except Exception as error:
        log.warning("could not send the apology: %s", type(error).__name__)
