"""The test suite's Bot API double, made fit for long runs with thousands of updates.

FakeTelegram is built for tests: it keeps every call, message, edit and transcript line, checks
its own output against api.json, and wakes every waiting citizen on every change (one
asyncio.Condition for the whole world). At hundreds of updates a second with 50 citizens that
costs more CPU than the bot under test and grows without bound. These subclasses keep the
wire behaviour (same HTTP API, same request validation against api.json, same answers) and
change only the bookkeeping: a bounded history and one wake-up per chat.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from typing import Any

from aiohttp import web

from tests.telegram_double import BotMessage, Citizen, FakeTelegram

KEEP_MESSAGES = 32  # the bot only edits its latest question; older messages can go


class BenchCitizen(Citizen):
    """A citizen whose driver waits on its own event, not on the whole world's."""

    # Zero think time: act the moment the step's new message arrives, edits or not.
    settle_before_acting = False

    def __init__(self, fake: FakeTelegram, user_id: int, **kwargs: Any) -> None:
        super().__init__(fake, user_id, **kwargs)
        self.received = 0  # bot messages so far (never trimmed)
        self.expect = 1  # the count that completes the current step
        self.done_at = 0.0  # perf_counter() when message number `expect` arrived
        self.edits = 0
        self._news = asyncio.Event()

    async def add_bot_message(self, message: BotMessage) -> None:
        self.messages.append(message)
        if len(self.messages) > KEEP_MESSAGES:
            del self.messages[:-KEEP_MESSAGES]
        self.received += 1
        if self.received == self.expect:
            self.done_at = time.perf_counter()
            self._news.set()

    async def record_edit(self, message: BotMessage) -> None:
        self.edits += 1  # the live message is already changed; no snapshot needed

    async def add_callback_answer(self, params: dict[str, Any]) -> None:
        self.callback_answers.append(params)
        if len(self.callback_answers) > KEEP_MESSAGES:
            del self.callback_answers[:-KEEP_MESSAGES]

    def _acted(self) -> None:
        self.wrote = True
        # The base class keeps a transcript and the citizen's own messages for test failure
        # reports; here they would only grow.
        self._events.clear()
        if len(self._own) > KEEP_MESSAGES:
            self._own.clear()

    async def wait_for_step(self, timeout: float) -> bool:  # noqa: ASYNC109
        """True once message number `expect` has arrived (see done_at), False on timeout."""
        while self.received < self.expect:
            self._news.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self._news.wait()
            except TimeoutError:
                return self.received >= self.expect
        return True


class BenchTelegram(FakeTelegram):
    """FakeTelegram with bounded memory and per-chat wake-ups; counts calls per method."""

    def __init__(self, token: str, *, delay: float = 0.0) -> None:
        super().__init__(token, delay=delay)
        self.calls: deque[tuple[str, dict[str, Any]]] = deque(maxlen=64)  # type: ignore[assignment]
        self.method_counts: Counter[str] = Counter()

    def citizen(self, user_id: int, **kwargs: Any) -> BenchCitizen:  # type: ignore[override]
        found = self._citizens.get(user_id)
        if found is None:
            options = {"first_name": "Ayşe", "language_code": "tr", "username": None, **kwargs}
            found = self._citizens[user_id] = BenchCitizen(self, user_id, **options)
        assert isinstance(found, BenchCitizen)
        return found

    def forget(self, user_id: int) -> None:
        """Drop a citizen who is done (the memory benchmark visits 100,000 of them)."""
        self._citizens.pop(user_id, None)

    def self_check(self, type_name: str, value: dict[str, Any]) -> None:
        # The test suite checks that what the double builds is valid; re-checking every
        # message here would make the double, not the bot, the bottleneck.
        pass

    async def _handle(self, request: web.Request) -> web.Response:
        self.method_counts[request.match_info["method"]] += 1
        return await super()._handle(request)
