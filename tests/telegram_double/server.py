"""FakeTelegram: the aiohttp server PTB talks to, and the simulated world behind it."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter, defaultdict, deque
from typing import Any

import aiohttp
from aiohttp import web

from . import errors, payloads
from .chat import Citizen
from .errors import ApiError
from .methods import HANDLERS
from .spec import Spec
from .updates import UpdateQueue
from .waits import Changes
from .wire import WireError, read_params

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class FakeTelegram:
    """A Bot API server on 127.0.0.1 that checks every request against api.json."""

    def __init__(
        self,
        token: str = "123456789:TEST-token_for_tests",
        *,
        bot_username: str = "izdes_test_bot",
        delay: float = 0.0,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.delay = delay  # seconds before each answer; settable while running
        self.violations: list[str] = []
        self.api_errors: list[str] = []  # real-API errors answered that are not violations
        self.internal_errors: list[str] = []  # bugs of the double itself
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.updates = UpdateQueue()
        self.changes = Changes()
        self._busy: Counter[int] = Counter()  # requests being answered, by chat
        self.most_chats_at_once = 0  # the most chats with a request being answered together
        self.arrived: list[str] = []  # methods as requests arrive (calls: as they are answered)
        self.spec = Spec.load()
        self.root_url = ""
        self._citizens: dict[int, Citizen] = {}
        self._open_queries: dict[str, Citizen] = {}
        self._query_numbers = itertools.count(1)
        self._update_ids = itertools.count(10_001)
        self._failures: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    # --- lifecycle -----------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1") -> None:
        """Listen on ``host`` (another address than this machine's loopback for a bot in a
        container: tests/docker_stack.py), on a port the system chooses."""
        self.updates.reopen()
        app = web.Application(client_max_size=60 * 1024 * 1024)  # Bot API uploads: 50 MB
        app.router.add_route("*", "/{bot_token}/{method}", self._handle)
        # A short shutdown timeout: long polls are released by stop() anyway.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.root_url = f"http://{host}:{port}"
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        await self.updates.close()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- the simulated world ---------------------------------------------------------

    @property
    def bot_from(self) -> dict[str, Any]:
        return payloads.bot_user(self.bot_id, self.bot_username)

    def citizen(
        self,
        user_id: int,
        *,
        first_name: str = "Ayşe",
        language_code: str | None = "tr",
        username: str | None = None,
    ) -> Citizen:
        """The citizen in the private chat `user_id` (created on first use)."""
        if user_id not in self._citizens:
            self._citizens[user_id] = Citizen(
                self,
                user_id,
                first_name=first_name,
                language_code=language_code,
                username=username,
            )
        return self._citizens[user_id]

    def chat_for(self, chat_id: int | str) -> Citizen:
        """The chat a method targets, refused as Telegram refuses it."""
        # "@username" only addresses public chats (channels, supergroups), never a user.
        found = None if isinstance(chat_id, str) else self._citizens.get(chat_id)
        if found is None or not found.wrote:
            raise ApiError(400, errors.CHAT_NOT_FOUND)
        if found.blocked:
            raise ApiError(403, errors.BLOCKED)
        return found

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def new_callback_query_id(self, citizen: Citizen) -> str:
        query_id = f"{citizen.user_id}{next(self._query_numbers):08d}"
        self._open_queries[query_id] = citizen
        return query_id

    def take_callback_query(self, query_id: str) -> Citizen | None:
        """The citizen whose open query this is; None if unknown or answered already."""
        return self._open_queries.pop(query_id, None)

    def pending_updates(self) -> int:
        return len(self.updates)

    async def deliver(self, update: dict[str, Any]) -> int | None:
        """POST the update to the webhook (returns the HTTP status) or queue it for getUpdates
        (returns None). Updates the bot did not subscribe to are dropped (None)."""
        self.self_check("Update", update)
        if self.webhook is None:
            await self.updates.put(update)
            return None
        if not self.updates.allows(update):
            return None
        assert self._session is not None, "FakeTelegram.start() was not awaited"
        headers = {}
        if self.webhook.get("secret_token"):
            headers[SECRET_HEADER] = self.webhook["secret_token"]
        async with self._session.post(self.webhook["url"], json=update, headers=headers) as res:
            return res.status

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        retry_after: int | None = 1,
        description: str = "Too Many Requests: retry after 1",
    ) -> None:
        """Answer the next valid call of `method` with this error instead of doing it."""
        self._failures[method].append(ApiError(error_code, description, retry_after=retry_after))

    def assert_no_violations(self) -> None:
        problems = self.violations + [f"(double bug) {e}" for e in self.internal_errors]
        if problems:
            listing = "\n".join(f"  - {p}" for p in problems)
            raise AssertionError(f"{len(problems)} Bot API violation(s):\n{listing}")

    def self_check(self, type_name: str, value: dict[str, Any]) -> None:
        """What the double itself builds must be valid too, or PTB tests prove nothing."""
        for problem in self.spec.check_object(type_name, value):
            self.internal_errors.append(problem)

    # --- HTTP ------------------------------------------------------------------------

    def busy(self, chat_id: int) -> bool:
        """Whether a Bot API request about this chat is being answered right now."""
        return self._busy.get(chat_id, 0) > 0

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.arrived.append(method)
        await self.changes.notify()
        chat = await _chat_of(request)
        if chat is not None:
            self._busy[chat] += 1
            self.most_chats_at_once = max(self.most_chats_at_once, len(self._busy))
        try:
            return await self._answer(request, method)
        finally:
            if chat is not None:
                self._busy[chat] -= 1
                if not self._busy[chat]:
                    del self._busy[chat]
                await self.changes.notify()

    async def _answer(self, request: web.Request, method: str) -> web.Response:
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        try:
            result = await self._serve(request, method)
        except ApiError as exc:
            self._record_error(method, exc)
            return web.json_response(exc.body(), status=exc.error_code)
        except Exception as exc:
            log.exception("FakeTelegram failed on %s", method)
            self.internal_errors.append(f"{method}: {exc!r}")
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                status=500,
            )
        return web.json_response({"ok": True, "result": result})

    async def _serve(self, request: web.Request, method: str) -> Any:
        if request.match_info["bot_token"] != f"bot{self.token}":
            wrong = f"wrong token in URL {request.path!r}"
            raise ApiError(401, errors.UNAUTHORIZED, violation=True, problems=[wrong])
        try:
            raw = await read_params(request)
        except WireError as exc:
            raise ApiError(400, f"Bad Request: {exc}", violation=True) from None
        if method not in self.spec.methods:
            self.calls.append((method, raw))
            unknown = f"unknown method (not in {self.spec.version})"
            raise ApiError(404, errors.METHOD_NOT_FOUND, violation=True, problems=[unknown])
        params = self.spec.coerce(method, raw)
        self.calls.append((method, params))
        problems = self.spec.check_method(method, params)
        if problems:
            description = "Bad Request: " + "; ".join(problems)
            raise ApiError(400, description, violation=True, problems=problems)
        if self._failures[method]:
            raise self._failures[method].popleft()
        handler = HANDLERS.get(method)
        return True if handler is None else await handler(self, params)

    def _record_error(self, method: str, exc: ApiError) -> None:
        lines = [f"{method}: {problem}" for problem in exc.problems]
        (self.violations if exc.violation else self.api_errors).extend(lines)


async def _chat_of(request: web.Request) -> int | None:
    """The chat a request is about, if it names one. Only the query string and a form body
    are looked at (aiohttp keeps that body for later); an upload's files are left unread."""
    chat = request.query.get("chat_id")
    if chat is None and request.content_type == "application/x-www-form-urlencoded":
        chat = (await request.post()).get("chat_id")
    try:
        return int(chat) if chat is not None else None
    except (ValueError, TypeError):
        return None
