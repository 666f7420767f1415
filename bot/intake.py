"""An update's life in the bot: its event id; stored before it is handled, by webhook or
long polling; closed once handled; replayed while not. (storage.inbox keeps it in the
database; the survey step claims it there, in its own transaction.)

Telegram forgets an update once we answer the webhook with 200, or once the next getUpdates
confirms it. Storing it first means a crash between arrival and handling loses nothing: the
update is handled after the restart. Its id doubles as the idempotency key, so a redelivered
update changes nothing twice.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from datetime import timedelta

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Chat, Update
from telegram.error import Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes, TypeHandler

from admin.bodies import read_in_time
from admin.problems import problem
from bot.aiohttp_request import UpdatesRequest
from bot.metrics import Metrics
from bot.render import send_apology
from bot.stopping import sleep_until_stopped
from conversations.pseudonym import Pseudonymizer
from storage import inbox
from storage.database import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25  # seconds getUpdates waits for news
STORE_RETRY = 2.0  # seconds between attempts to store a batch while the database is down
RETRY_AFTER = (1.0, 3.0, 9.0)  # seconds before a step that failed on the database goes again
MOST_ATTEMPTS = 3  # failures on a database that answered before an update is quarantined
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CHANNEL = "tg"  # also the pseudonymizer's channel for Telegram users


def event_id(update_id: int) -> str:
    return f"{CHANNEL}:{update_id}"


def claimed_by_step(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The survey step marked this update handled in its own transaction (storage.inbox
    .claim): there is nothing left to close. One context serves every handler group of an
    update, so the closing handler (group 99) sees the mark."""
    context.claimed_by_step = True  # type: ignore[attr-defined]


def step_failed(context: ContextTypes.DEFAULT_TYPE, error: BaseException) -> None:
    """The survey step raised and changed nothing: the closing handler leaves the update
    open to be tried again if the database failed, and quarantines it otherwise (the same
    input would fail the same way, and the person's later updates would wait on it)."""
    context.step_failure = error  # type: ignore[attr-defined]


def is_database_error(error: BaseException) -> bool:
    """SQLAlchemy's errors, and the connection errors of a database that is down."""
    return isinstance(error, SQLAlchemyError | OSError | ConnectionError)


class UpdateIntake:
    def __init__(self, application: Application, db: Database, metrics: Metrics,
                 pseudonymizer: Pseudonymizer,
                 updates_request: UpdatesRequest | None = None) -> None:
        self.application = application
        self.updates_request = updates_request  # getUpdates' raw answers, when given
        self.db = db
        self.metrics = metrics
        self.pseudonymizer = pseudonymizer
        self._apologised: set[int] = set()
        self._retries: dict[int, int] = {}  # update id -> times queued again after a failure
        application.bot_data["intake"] = self  # the error handler apologises through it
        self._waiting: list[tuple[inbox.Incoming, asyncio.Future[bool]]] = []
        self._storing: asyncio.Task | None = None
        # Runs after the survey handlers (group 0), for every update: closes those that no
        # handler claimed, so they are not replayed at the next start.
        application.add_handler(TypeHandler(Update, self._close_update), group=99)

    async def accept(self, payloads: list[dict], parsed: list[Update]) -> None:
        """Store the updates, then queue the new ones for handling. Raises if storing fails.
        ``parsed``: the same updates as PTB reads them."""
        try:
            async with self.db.connection(single_statement=True) as connection:
                stored = await inbox.store_incoming(connection,
                                                    [self._incoming(p) for p in payloads])
        except Exception:
            self.metrics.database_errors.labels("storing").inc()
            raise
        self.metrics.updates_received.inc(len(stored))
        fresh = set(stored)
        for index, payload in enumerate(payloads):
            if event_id(payload["update_id"]) in fresh:
                await self.application.update_queue.put(parsed[index])

    async def accept_one(self, payload: dict, update: Update) -> None:
        """One webhook update (``update``: PTB's reading of ``payload``): stored together
        with the others arriving meanwhile (see _store_together), then queued if it is new.
        Raises if storing fails."""
        try:
            fresh = await self._store_together(self._incoming(payload))
        except Exception:
            self.metrics.database_errors.labels("storing").inc()
            raise
        if fresh:
            self.metrics.updates_received.inc()
            await self.application.update_queue.put(update)

    async def _store_together(self, incoming: inbox.Incoming) -> bool:
        """Group commit: while one INSERT is on its way to the database, the updates that
        arrive wait and then go in the next one, together. Under a burst of webhook requests
        that is one statement (and one commit to disk) for many updates instead of one each;
        a lone update goes at once. True if the update was new."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((incoming, future))
        if self._storing is None or self._storing.done():
            self._storing = asyncio.create_task(self._store_waiting(), name="store-updates")
        return await future

    async def _store_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._store_batch(batch)
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch[0][1], error)
                    continue
                # An update the database refuses must not fail the others with it: each goes
                # again on its own (during an outage they simply all fail again).
                for entry in batch:
                    try:
                        await self._store_batch([entry])
                    except Exception as alone:
                        _fail(entry[1], alone)

    async def _store_batch(self, batch: list[tuple[inbox.Incoming, asyncio.Future[bool]]]
                           ) -> None:
        async with self.db.connection(single_statement=True) as connection:
            stored = set(await inbox.store_incoming(connection,
                                                    [incoming for incoming, _ in batch]))
        for incoming, future in batch:
            if not future.done():  # its request may have been cancelled meanwhile
                # The same update twice in one batch (a redelivery): new only once.
                future.set_result(incoming.event_id in stored)
            stored.discard(incoming.event_id)

    def _incoming(self, payload: dict) -> inbox.Incoming:
        sender = next((payload[kind]["from"].get("id") for kind in ALLOWED_UPDATES
                       if isinstance(payload.get(kind), dict)
                       and isinstance(payload[kind].get("from"), dict)), None)
        return inbox.Incoming(
            event_id(payload["update_id"]), payload,
            self.pseudonymizer.key_for(CHANNEL, sender) if sender is not None else None,
            int(payload["update_id"]),
        )

    async def replay_unhandled(self, older_than: timedelta | None = None) -> int:
        """Queue what was stored but not handled: before the last stop, or (older_than) while
        the database failed. Handling is idempotent, so a replay of an update that is still
        in the queue changes nothing."""
        async with self.db.transaction() as session:
            stored = await inbox.unhandled(session, older_than)
        replayed = 0
        for stored_id, payload in stored:
            update = self.parsed(payload)
            if update is None:
                await self._quarantine(stored_id, "unparsable")
                continue
            await self.application.update_queue.put(update)
            replayed += 1
        if replayed:
            log.info("replaying %d stored updates", replayed)
        return replayed

    def parsed(self, payload: object) -> Update | None:
        """The update PTB makes of a payload; None when it makes none (not Telegram's)."""
        try:
            update = Update.de_json(payload, self.application.bot)  # type: ignore[arg-type]
            int(update.update_id)
        except Exception:  # PTB raises whatever the malformed part makes it raise
            return None
        return update

    async def _quarantine(self, stored_id: str, reason: str) -> None:
        async with self.db.connection(single_statement=True) as connection:
            await inbox.quarantine(connection, stored_id, reason)
        self.metrics.updates_quarantined.labels(reason.split(":")[0]).inc()
        log.warning("update %s quarantined: %s", stored_id, reason)

    async def _close_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if getattr(context, "claimed_by_step", False):
            return
        failure = getattr(context, "step_failure", None)
        if failure is not None and is_database_error(failure):
            await self._try_again_later(update, failure)
            return
        try:
            if failure is not None:
                await self._quarantine(event_id(update.update_id),
                                       f"failed: {type(failure).__name__}")
                return
            async with self.db.connection(single_statement=True) as connection:
                await inbox.mark_handled(connection, event_id(update.update_id))
        except Exception as error:
            # Left open, it is replayed later; handling is idempotent, so that is harmless.
            log.warning("could not close update %s: %s", update.update_id, type(error).__name__)

    async def _try_again_later(self, update: Update, failure: BaseException) -> None:
        """A step that failed on the database: tried again soon, and by the upkeep's replay
        once the database answers. A failure on a database that answered is counted; after
        MOST_ATTEMPTS the update is quarantined (the same input fails the same way, and the
        person's later updates would wait for it each time)."""
        stored_id = event_id(update.update_id)
        try:
            async with self.db.connection(single_statement=True) as connection:
                attempts = await inbox.failed_attempt(connection, stored_id)
        except Exception:
            attempts = 0  # the database is down: nothing is counted, it waits
        if attempts >= MOST_ATTEMPTS:
            await self._quarantine(stored_id, f"failed: {type(failure).__name__}")
            return
        retries = self._retries.get(update.update_id, 0)
        if retries < len(RETRY_AFTER):
            self._retries[update.update_id] = retries + 1
            asyncio.get_running_loop().call_later(
                RETRY_AFTER[retries], self.application.update_queue.put_nowait, update)
        else:
            self._retries.pop(update.update_id, None)  # the upkeep's replay takes over
        if len(self._retries) > 10_000:  # only an outage's updates are ever here
            self._retries.clear()

    async def poll(self, stop: asyncio.Event) -> None:
        """Long polling: fetch, store, confirm (by asking for the next offset), repeat."""
        bot = self.application.bot
        offset: int | None = None
        delay = 1.0
        while not stop.is_set():
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES,
                    read_timeout=POLL_TIMEOUT + 10,
                )
                if updates and not await self._store_or_apologise(updates):
                    # The database is down. The offset stays, so Telegram keeps the batch and
                    # hands it over again; it is handled once the database is back.
                    await sleep_until_stopped(stop, STORE_RETRY)
                    continue
                if updates:
                    offset = updates[-1].update_id + 1
                delay = 1.0
            except RetryAfter as error:
                await sleep_until_stopped(stop, _seconds(error.retry_after))
            except (NetworkError, TimedOut, Conflict, OSError) as error:
                log.warning("polling paused %.0fs: %s", delay, type(error).__name__)
                await sleep_until_stopped(stop, delay)
                delay = min(delay * 2, 30.0)
            except Exception:  # keep polling whatever happens; the error is logged
                log.exception("polling failed")
                await sleep_until_stopped(stop, delay)
                delay = min(delay * 2, 30.0)

    async def _store_or_apologise(self, updates: list[Update]) -> bool:
        try:
            await self.accept(self._payloads_of(updates), updates)
        except Exception as error:
            log.warning("could not store %d updates: %s", len(updates), type(error).__name__)
            await self.apologise(updates)
            return False
        return True

    def _payloads_of(self, updates: list[Update]) -> list[dict]:
        """The updates as Telegram sent them, or as PTB gives them back."""
        raw = self.updates_request.take_result() if self.updates_request else None
        if raw is not None and [p.get("update_id") for p in raw] == [
                u.update_id for u in updates]:
            return raw
        return [u.to_dict() for u in updates]

    async def apologise(self, updates: list[Update]) -> None:
        """Tell each citizen, once per update, that we could not take their input just now."""
        for update in updates:
            chat, user = update.effective_chat, update.effective_user
            if (chat is None or user is None or user.is_bot or chat.type != Chat.PRIVATE
                    or update.update_id in self._apologised):
                continue
            self._apologised.add(update.update_id)
            # The tap itself is answered when it is handled, once storage is back.
            await send_apology(self.application.bot, chat.id, user.language_code)
        if len(self._apologised) > 100_000:  # the ids only matter during one outage
            self._apologised.clear()

    def webhook_handler(self, secret: str):
        """The webhook's request handler: only requests carrying ``secret`` are Telegram's."""
        if not secret:
            raise ValueError("a webhook needs a secret")
        expected = secret.encode()

        async def receive_update(request: web.Request) -> web.Response:
            # surrogateescape: a header with bytes that are no UTF-8 compares (unequal),
            # instead of raising
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
            if not hmac.compare_digest(given, expected):
                return problem(403, "the secret token is missing or wrong")
            body = await read_in_time(request, request.read)
            try:
                payload = json.loads(body)
            except (ValueError, RecursionError):  # RecursionError: nested too deep
                return problem(400, "the body is not JSON")
            update = self.parsed(payload) if _has_update_id(payload) else None
            if update is None:  # never stored: it could only stop the updates behind it
                return problem(400, "the body is not a Telegram update")
            try:
                await self.accept_one(payload, update)
            except Exception as error:
                # Not stored: a non-2xx answer makes Telegram deliver it again later.
                log.warning("could not store an update: %s", type(error).__name__)
                await self.apologise([update])
                return web.Response(status=503)
            return web.Response(status=200)

        return receive_update


def _has_update_id(payload: object) -> bool:
    """An update id as Telegram gives them: a whole number the database can keep."""
    update_id = payload.get("update_id") if isinstance(payload, dict) else None
    return type(update_id) is int and 0 <= update_id < 2**63


def _fail(future: asyncio.Future, error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
