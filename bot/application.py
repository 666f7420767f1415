"""The python-telegram-bot Application: built here, started and stopped by bot.runner."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.aiohttp_request import AiohttpRequest, UpdatesRequest
from bot.handlers import Services, register_handlers
from bot.ordering import ChatOrderedUpdateProcessor
from bot.pacing import PacedRateLimiter
from bot.render import send_apology
from bot.settings import Settings
from conversations.commands import COMMANDS, START, START_MENU
from conversations.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, Texts

log = logging.getLogger(__name__)


def build_application(settings: Settings, services: Services,
                      updates_request: UpdatesRequest | None = None) -> Application:
    """``updates_request``: the request object for getUpdates, if the caller wants to read
    the raw updates off it (bot.intake)."""
    if settings.bot_token is None:
        raise SystemExit("IZDES_BOT_TOKEN is not set: get a token from @BotFather (see README).")
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(f"{settings.api_root}/bot")
        .base_file_url(f"{settings.api_root}/file/bot")
        # aiohttp, not PTB's default httpx: a fraction of the CPU per request (see
        # docs/benchmarks.md). A pool near the number of chats in flight.
        .request(AiohttpRequest(services.metrics,
                                connection_pool_size=settings.concurrent_chats + 4))
        .get_updates_request(updates_request or UpdatesRequest(services.metrics,
                                                               connection_pool_size=1))
        .concurrent_updates(ChatOrderedUpdateProcessor(settings.concurrent_chats))
        .updater(None)  # updates come in through bot.intake (stored first)
    )
    if settings.max_messages_per_second > 0:
        builder = builder.rate_limiter(PacedRateLimiter(
            overall_max_rate=settings.max_messages_per_second, max_retries=5,
            private_rate=settings.private_chat_messages_per_second,
            private_burst=settings.private_chat_burst,
        ))
    application = builder.build()
    register_handlers(application, services)
    application.add_error_handler(on_error)
    return application


@asynccontextmanager
async def initialized(application: Application) -> AsyncIterator[Application]:
    """``async with application``, which also closes the bot's HTTP sessions when the start
    fails (getMe: no network, a refused token). PTB's shutdown skips an application that never
    finished initialising, and the garbage collector then logged "Unclosed client session"
    under the error."""
    try:
        await application.initialize()
    except BaseException:
        await application.bot.shutdown()  # its requests were initialised before getMe
        raise
    async with application:
        yield application


async def publish_commands(application: Application) -> None:
    """The command menu citizens see in Telegram: Turkish by default, and in each other
    language for users whose Telegram app is set to it."""
    for locale in SUPPORTED_LOCALES:
        t = Texts(locale)
        await application.bot.set_my_commands(
            [BotCommand(START, t._(START_MENU)),
             *(BotCommand(spec.words[0], t._(spec.menu)) for spec in COMMANDS if spec.menu)],
            language_code=None if locale == DEFAULT_LOCALE else locale,
        )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without personal data, and tell the citizen to try again."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    services = context.application.bot_data.get("services")
    if services is not None:
        services.metrics.errors.labels(type(error).__name__).inc()
    log.error("update %s failed: %s", update_id, type(error).__name__,
              exc_info=(type(error), error, error.__traceback__) if error else None)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    intake = context.application.bot_data.get("intake")
    if intake is not None:  # once per update, however often it is tried again
        await intake.apologise([update])
        return
    user = update.effective_user
    await send_apology(context.bot, update.effective_chat.id,
                       user.language_code if user else None)
