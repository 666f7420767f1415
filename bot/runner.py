"""`izdes run`: migrate, start PTB and our aiohttp server, serve until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import math
import os
import signal
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp.log import access_logger
from telegram.error import BadRequest
from telegram.ext import Application

from admin.publish import publish_due
from admin.telegram_report import parse_admin_ids
from bot.aiohttp_request import UpdatesRequest
from bot.application import build_application, initialized, publish_commands
from bot.flood import FloodGuard
from bot.handlers import AdminAccess, Services
from bot.intake import ALLOWED_UPDATES, UpdateIntake
from bot.logs import quiet_libraries
from bot.metrics import Metrics
from bot.report_delivery import Delivery, report_delivery
from bot.settings import Settings
from bot.shown import ShownQuestions
from bot.stopping import sleep_until_stopped
from bot.web import build_web_app, log_addresses
from conversations.engine import SurveyEngine
from conversations.pseudonym import Pseudonymizer
from conversations.survey import DEFAULT_SURVEY, Survey, builtin_surveys
from storage.database import Database
from storage.migrate import prepare
from storage.repository import survey_stores
from storage.retention import apply_retention

log = logging.getLogger(__name__)

RETENTION_EVERY = 3600.0  # seconds
DELIVERY_EVERY = 600.0  # seconds between looks for a report not yet delivered (a cheap query)
REPLAY_AFTER = 30.0  # seconds an update may stay stored but unhandled before it is retried
UPKEEP_GRACE = 10.0  # seconds the upkeep may take to end its round when the bot stops


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the bot until ``stop`` is set (or a signal arrives), then drain and shut down."""
    stop = stop or _stop_on_signals()
    quiet_libraries()
    db = Database(settings.database_address(), pool_size=settings.db_pool_size)
    try:
        surveys = builtin_surveys()  # loaded once, passed to whoever needs them
        await prepare(db, surveys, settings.key_fingerprint())
        metrics = Metrics()
        admins = AdminAccess(db, parse_admin_ids(settings.admin_telegram_ids),
                             settings.publication(), surveys[DEFAULT_SURVEY])
        engine = SurveyEngine(survey_stores(db, surveys), surveys, **settings.engine_options())
        services = Services(engine, Pseudonymizer(settings.secret_key_bytes()),
                            FloodGuard(limit=settings.max_updates_per_minute), metrics,
                            ShownQuestions(engine), admins)
        updates_request = UpdatesRequest(metrics, connection_pool_size=1)
        application = build_application(settings, services, updates_request)
        intake = UpdateIntake(application, db, metrics, services.pseudonymizer,
                              updates_request)
        async with initialized(application):  # initialize ... shutdown
            async with started(application):
                await publish_commands(application)
                await _serve_started(settings, application, intake, db, services, surveys,
                                     stop)
            # started() has stopped the application: what was queued is handled.
            await services.shown.flush()  # the questions' message ids still waiting
    finally:
        await db.close()


async def _serve_started(settings: Settings, application: Application, intake: UpdateIntake,
                         db: Database, services: Services, surveys: Mapping[str, Survey],
                         stop: asyncio.Event) -> None:
    """Our web server and the updates' intake, until ``stop``; then everything in flight is
    finished, and no new webhook update is taken."""
    # aiohttp closes a connection that has not sent a whole request's headers within
    # keepalive_timeout of connecting or of its last answer: the header time limit.
    runner = web.AppRunner(build_web_app(settings, intake, db, services.metrics, surveys,
                                         application.bot.username),
                           keepalive_timeout=settings.http_read_timeout,
                           access_log=access_logger if settings.access_log else None)
    await runner.setup()
    try:
        await _listen(runner, settings)
        log_addresses(runner)
        await intake.replay_unhandled()
        poller = await _start_receiving(settings, application, intake, stop)
        delivery = report_delivery(settings.report_delivery,
                                   services.admins.scopes if services.admins else {},
                                   services.pseudonymizer, db, surveys[DEFAULT_SURVEY],
                                   settings.publication(), application.bot)
        upkeep = asyncio.create_task(_maintain(db, surveys, intake, settings, delivery, stop),
                                     name="upkeep")
        noting = asyncio.create_task(services.shown.run(stop), name="shown-questions")
        log.info("bot running (%s)", "webhook" if settings.webhook_mode else "long polling")
        with (startup_objects_frozen() if settings.freeze_startup_objects
              else contextlib.nullcontext()):
            await stop.wait()
        log.info("stopping: finishing updates in flight")
        await noting  # ends by itself once stop is set, never in the middle of a write
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        await _finish_upkeep(upkeep)
    finally:
        await runner.cleanup()  # no new webhook updates from here on


@contextlib.asynccontextmanager
async def started(application: Application) -> AsyncIterator[Application]:
    """The application started, and stopped again however the block ends (it then handles
    what is queued). A start that failed after ``application.start()`` (a webhook the Bot API
    refused, a port in use) used to end in PTB's "This Application is still running!" and
    unclosed HTTP sessions, under the one line that says what is wrong."""
    await application.start()
    try:
        yield application
    finally:
        await application.stop()


async def _listen(runner: web.AppRunner, settings: Settings) -> None:
    try:
        await web.TCPSite(runner, settings.http_host, settings.http_port,
                          reuse_port=settings.http_reuse_port or None).start()
    except OSError as error:  # asyncio's strerror repeats the address: the system's words
        raise CannotListen(f"{settings.http_host}:{settings.http_port}",
                           os.strerror(error.errno) if error.errno else str(error)) from error


class CannotListen(Exception):
    """Our web server cannot listen where it is told to (the port is taken, say)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(where, reason)
        self.where, self.reason = where, reason


class WebhookRefused(Exception):
    """The Bot API refused setWebhook; the message is its description of why."""


async def serve_dashboard(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """The web server alone, without Telegram: the dashboard, the admin API and the muhtar's
    page on the configured database, until ``stop`` is set or a signal arrives (`izdes demo
    --serve`: a newcomer sees the figures without a bot token)."""
    stop = stop or _stop_on_signals()
    quiet_libraries()
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    try:
        surveys = builtin_surveys()
        await prepare(db, surveys, settings.key_fingerprint())
        runner = web.AppRunner(build_web_app(settings, None, db, Metrics(), surveys),
                               keepalive_timeout=settings.http_read_timeout)
        await runner.setup()
        await web.TCPSite(runner, settings.http_host, settings.http_port).start()
        log_addresses(runner)
        await stop.wait()
        await runner.cleanup()
    finally:
        await db.close()


@contextlib.contextmanager
def startup_objects_frozen() -> Iterator[None]:
    """Leave what startup built out of the garbage collector's full collections while the bot
    serves. The modules, catalogs, survey definitions, compiled statements and PTB's objects
    (about 175,000) never die, yet every full collection walked them all: about 100 ms with
    the event loop stopped, a dozen times a minute under load, which was the whole tail of
    the step latency (docs/benchmarks.md). Steps in flight keep their objects across young
    collections, so full collections come often; frozen, each takes a few milliseconds."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # collectable again once the bot stops (tests start many in one process)


async def _start_receiving(settings, application, intake, stop) -> asyncio.Task | None:
    bot = application.bot
    if settings.webhook_mode:
        try:
            await bot.set_webhook(
                settings.webhook_url, secret_token=settings.webhook_secret_token(),
                allowed_updates=ALLOWED_UPDATES,
                max_connections=min(40, settings.db_pool_size * 2),
            )
        except BadRequest as error:  # a URL Telegram will not call, say
            raise WebhookRefused(error.message) from error
        return None
    # Never drop pending updates: they are citizens' answers.
    await bot.delete_webhook(drop_pending_updates=False)
    return asyncio.create_task(intake.poll(stop), name="telegram-polling")


async def _maintain(db: Database, surveys: Mapping[str, Survey], intake: UpdateIntake,
                    settings: Settings, delivery: Delivery | None,
                    stop: asyncio.Event) -> None:
    """Hourly, periods that have ended are released (admin.publish) and retention applied;
    every ten minutes (and at once after a release) the latest period's report is sent to
    the administrators who have not had it (bot.report_delivery); every half minute,
    updates stored but left unhandled (the database failed while handling them) are
    handled again."""
    last_retention = last_delivery = -math.inf  # at start, however recently the machine booted
    loop = asyncio.get_running_loop()
    replaying = False  # the start has just replayed everything: the first round does not
    while not stop.is_set():
        try:
            if loop.time() - last_retention >= RETENTION_EVERY:
                now = datetime.now(UTC)
                released = await publish_due(db, surveys, settings.publication(), now,
                                             offload=True)
                if released:
                    log.info("released: %s", ", ".join(released))
                    last_delivery = -math.inf
                async with db.transaction() as session:
                    result = await apply_retention(
                        session, now=now, keep=timedelta(days=settings.retention_days))
                last_retention = loop.time()
                log.info("retention: %s", result)
        except Exception as error:  # the database may be down: try again next round
            log.warning("release and retention postponed: %s", type(error).__name__)
        if delivery is not None and loop.time() - last_delivery >= DELIVERY_EVERY:
            try:  # apart: whatever stops one must not stop the others
                await delivery.run(datetime.now(UTC))
            except Exception as error:
                log.warning("report delivery postponed: %s", type(error).__name__)
            finally:  # a failing round is tried again in DELIVERY_EVERY, not every round
                last_delivery = loop.time()
        try:
            if replaying:
                await intake.replay_unhandled(older_than=timedelta(seconds=REPLAY_AFTER))
            replaying = True
        except Exception as error:
            log.warning("replay postponed: %s", type(error).__name__)
        await sleep_until_stopped(stop, REPLAY_AFTER)


async def _finish_upkeep(upkeep: asyncio.Task) -> None:
    """Let the upkeep end its round (it stops by itself once stop is set): cancelled in the
    middle of a transaction, it left SQLite's write lock held until the process ended, and
    the next writer waited out its busy timeout. A round that takes too long is cancelled."""
    try:
        await asyncio.wait_for(asyncio.shield(upkeep), UPKEEP_GRACE)
    except TimeoutError:
        upkeep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upkeep


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
