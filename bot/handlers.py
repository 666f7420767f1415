"""Telegram handlers: thin. Each turns one kind of update into an engine input.

Data flows one way: update -> these callbacks -> engine (-> storage) -> render.show_reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from telegram import Chat, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from admin.publish import Publication
from admin.telegram_report import Refused, build_report
from admin.tokens import Scope
from bot.flood import FloodGuard, Verdict
from bot.intake import CHANNEL, claimed_by_step, event_id, is_database_error, step_failed
from bot.metrics import Metrics
from bot.render import show_reply
from conversations.commands import START, words_of
from conversations.engine import OutOfOrder, SurveyEngine
from conversations.i18n import Texts, choose_locale
from conversations.messages import Command, Event, Inbound, Other, Press, Reply, Start, Text
from conversations.pseudonym import Pseudonymizer
from conversations.survey import Survey
from storage import admin_store
from storage.database import Database

if TYPE_CHECKING:
    from bot.shown import ShownQuestions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    engine: SurveyEngine
    pseudonymizer: Pseudonymizer
    flood: FloodGuard
    metrics: Metrics
    # Question messages whose ids wait for the chat's next step (bot.shown).
    shown: ShownQuestions
    admins: AdminAccess | None = None


@dataclass(frozen=True)
class AdminAccess:
    """Administrators in Telegram (IZDES_ADMIN_TELEGRAM_IDS) and what they may see."""

    db: Database
    scopes: dict[int, Scope]
    publication: Publication
    survey: Survey  # the one /rapor reports on


def register_handlers(application: Application, services: Services) -> None:
    """Every handler, in order: PTB runs the first matching handler of the group.

    Commands come before the text handler, or "/iptal" would be read as an answer; the
    catch-all for stickers, photos and the like comes last so it only gets what nothing else
    took. Only private chats are served: in groups and channels the bot stays silent.
    """
    application.bot_data["services"] = services
    private = filters.ChatType.PRIVATE
    # Administrators' /rapor comes before the catch-all for unknown commands; for anyone not
    # listed, /rapor is just an unknown command and they stay in the citizen survey.
    admin_only = filters.User(user_id=list(services.admins.scopes)) if (
        services.admins and services.admins.scopes) else None
    application.add_handlers([
        *([CommandHandler("rapor", on_report_command, filters=private & admin_only)]
          if admin_only else []),
        CommandHandler(START, on_start_command, filters=private),
        CommandHandler(words_of("cancel"), on_cancel_command, filters=private),
        CommandHandler(words_of("help"), on_help_command, filters=private),
        CommandHandler(words_of("erase"), on_erase_command, filters=private),
        CommandHandler(words_of("language"), on_language_command, filters=private),
        CommandHandler(words_of("privacy"), on_privacy_command, filters=private),
        CommandHandler(words_of("stats"), on_stats_command, filters=private),
        CallbackQueryHandler(on_button_press),
        MessageHandler(private & filters.UpdateType.EDITED, on_edited_message),
        MessageHandler(private & filters.COMMAND, on_unknown_command),
        MessageHandler(private & filters.TEXT, on_text_message),
        MessageHandler(private, on_other_message),
    ])


async def on_report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services: Services = context.bot_data["services"]
    access, user, chat = services.admins, update.effective_user, update.effective_chat
    scope = access.scopes[user.id]
    t = Texts(choose_locale(user.language_code))
    argument = context.args[0] if context.args else None
    try:
        report = await build_report(access.db, access.survey, scope, argument,
                                    access.publication, t)
    except Refused as refusal:
        await context.bot.send_message(chat.id, str(refusal) or t._(
            "Usage: /rapor, /rapor <plate code>, or /rapor <service> "
            "(emniyet, jandarma, trafik, acil112, nufus, goc)."))
        return
    async with access.db.transaction() as session:
        await admin_store.record_access(session, None, "telegram:/rapor",
                                        {"scope": str(scope), "argument": argument})
    await context.bot.send_message(chat.id, report.text)
    if report.chart_png:
        await context.bot.send_photo(chat.id, report.chart_png, filename="izdes-rapor.png")
    if report.csv_bytes:
        await context.bot.send_document(chat.id, report.csv_bytes, filename="izdes-rapor.csv")


async def on_start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else None
    await _handle(update, context, Start(payload))


async def on_cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("cancel"))


async def on_help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("help"))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("help"))


async def on_erase_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("erase"))


async def on_language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("language"))


async def on_privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Command("privacy"))


async def on_stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A muhtar's /istatistik <code>: the code is read by the engine, never logged."""
    code = " ".join(context.args) if context.args else None
    await _handle(update, context, Command("stats", code))


async def on_button_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    message = query.message
    if message is None or message.chat.type != Chat.PRIVATE:
        await query.answer()
        return
    await _handle(update, context, Press(query.data or ""), message_ref=str(message.message_id))


async def on_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle(update, context, Text(update.effective_message.text or ""))


async def on_edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    # An edit of an earlier message cannot change an answer already given; say so.
    await _handle(update, context, Other("edited_message"))


async def on_other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    kind = next((k for k in ("sticker", "photo", "voice", "location", "contact", "document",
                             "video", "audio", "animation", "video_note", "poll", "dice")
                 if message is not None and getattr(message, k, None)), "other")
    await _handle(update, context, Other(kind))


async def _handle(
    update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event,
    message_ref: str | None = None,
) -> None:
    """One citizen's input through the engine. Whatever it raises marks the update failed, so
    that it is retried (the database) or quarantined (anything else), not closed."""
    try:
        await _step(update, context, event, message_ref)
    except Exception as error:
        step_failed(context, error)
        raise


async def _step(
    update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event, message_ref: str | None,
) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return
    services: Services = context.bot_data["services"]
    verdict = services.flood.check(user.id)
    if verdict != "ok":
        await _refuse_flood(update, context, verdict)
        return
    shown = services.shown.take(chat.id)
    inbound = Inbound(
        respondent=services.pseudonymizer.key_for(CHANNEL, user.id),
        event=event,
        event_id=event_id(update.update_id),
        language_hint=user.language_code,
        message_ref=message_ref,
        sequence=update.update_id,
        shown=shown,
    )
    started = time.perf_counter()
    try:
        reply = await _handle_in_order(services.engine, inbound)
        claimed_by_step(context)
        if reply.duplicate:
            services.shown.give_back(chat.id, shown)
    except Exception as error:
        services.shown.give_back(chat.id, shown)
        # Nothing was stored (the transaction rolled back); _handle marks the update failed
        # and the error handler apologises.
        if is_database_error(error):
            # Handled again once storage is back, and the tap answered then (a tap can be
            # answered once; Telegram's client stops the spinner by itself meanwhile).
            services.metrics.database_errors.labels("handling").inc()
        elif update.callback_query is not None:
            await update.callback_query.answer()  # quarantined: never handled again
        raise
    await show_reply(context.bot, chat.id, reply, services.shown, update.callback_query)
    for event, survey, _service in reply.events:  # no service: see docs/operations.md
        services.metrics.surveys.labels(event, survey).inc()
    sent = Counter(type(action).__name__.lower() for action in reply.actions)
    for kind, count in sent.items():
        services.metrics.replies_sent.labels(kind).inc(count)
    services.metrics.step_seconds.observe(time.perf_counter() - started)
    # Only the update id and the kind of input: never who sent it or what they wrote.
    log.debug("update %s (%s) handled in %.0f ms%s", update.update_id, type(event).__name__,
              (time.perf_counter() - started) * 1000, " (duplicate)" if reply.duplicate else "")


async def _refuse_flood(
    update: Update, context: ContextTypes.DEFAULT_TYPE, verdict: Verdict
) -> None:
    """Too many updates from one person: say so once, then ignore them for a while."""
    if update.callback_query is not None:
        await update.callback_query.answer()  # stop the spinner, nothing else
    if verdict == "warn":
        t = Texts(choose_locale(update.effective_user.language_code))
        await context.bot.send_message(update.effective_chat.id, t._(
            "You are sending messages very quickly. Please wait a minute, then continue: "
            "your answers so far are saved."))




ORDER_PAUSE = 0.05  # seconds between looks for an earlier update of the same person
ORDER_PATIENCE = 100  # looks (5 s): after that the earlier one is presumed stuck, go ahead


async def _handle_in_order(engine: SurveyEngine, inbound: Inbound) -> Reply:
    """Handle after the same person's earlier stored updates, even when another worker has
    them (several webhook workers on one database). Within one process the chat-ordered
    update processor already keeps the order, so this rarely waits."""
    for _ in range(ORDER_PATIENCE):
        try:
            return await engine.handle(inbound)
        except OutOfOrder:
            await asyncio.sleep(ORDER_PAUSE)
    # The earlier update's worker may have died; it is replayed later and will then be a
    # stale input, answered gently. Better than holding this citizen up for longer.
    return await engine.handle(replace(inbound, sequence=None))
