"""Which message shows each chat's current question, on its way to the database.

The id of a question's message is only known once Telegram has answered the sendMessage,
after the step's transaction committed. Writing it at once cost a connection checkout and a
statement of its own on every step. Instead it waits here: the chat's next update carries it
into its own step's transaction (``Inbound.shown``), and the ids no update came for within
``FLUSH_AFTER`` seconds are written together, in one statement.

What a crash loses is only cosmetic: without the id, a question answered by typing keeps its
buttons (a tap on them is recognised as stale by its turn). Memory stays flat: an entry lives
until the chat's next update or the next flush.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.stopping import sleep_until_stopped
from conversations.engine import SurveyEngine
from conversations.messages import Shown

log = logging.getLogger(__name__)

FLUSH_EVERY = 0.5  # seconds between looks for ids that waited long enough
# Seconds an id waits for the chat's next update. Longer means fewer writes; shorter means a
# worker that did not send the question (several webhook workers) learns the id sooner.
FLUSH_AFTER = 1.0


class ShownQuestions:
    def __init__(self, engine: SurveyEngine,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._clock = clock
        self._pending: dict[int, tuple[Shown, float]] = {}

    def add(self, chat_id: int, shown: Shown) -> None:
        """A question was sent; an older one of the same chat is moot (its turn is over)."""
        self._pending[chat_id] = (shown, self._clock())

    def take(self, chat_id: int) -> Shown | None:
        """For the chat's next update, which stores it with its step."""
        entry = self._pending.pop(chat_id, None)
        return entry[0] if entry else None

    def give_back(self, chat_id: int, shown: Shown | None) -> None:
        """The step did not commit (or was a duplicate): keep the id for the next one, unless
        a newer question was sent meanwhile."""
        if shown is not None:
            self._pending.setdefault(chat_id, (shown, self._clock()))

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self, older_than: float = 0.0) -> None:
        """Write the ids that waited at least ``older_than`` seconds, in one statement."""
        now = self._clock()
        due = {chat: entry for chat, entry in self._pending.items()
               if now - entry[1] >= older_than}
        if not due:
            return
        for chat in due:
            del self._pending[chat]
        try:
            await self._engine.messages_shown([shown for shown, _ in due.values()])
        except Exception as error:
            for chat, entry in due.items():
                self._pending.setdefault(chat, entry)
            log.warning("could not note %d question messages: %s", len(due),
                        type(error).__name__)

    async def run(self, stop: asyncio.Event) -> None:
        """Flush what waited long enough, until ``stop`` (the runner flushes the rest once
        the last updates are handled)."""
        while not stop.is_set():
            await sleep_until_stopped(stop, FLUSH_EVERY)
            await self.flush(FLUSH_AFTER)
