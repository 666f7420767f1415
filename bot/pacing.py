"""Outgoing pacing within Telegram's published limits; it delays messages, never drops them.

PTB's AIORateLimiter paces the bot overall (about 30 messages a second) and each group (20 a
minute), and retries after a 429. Telegram also asks for about one message a second in one
private chat, with short bursts allowed: that part is added here, as a token bucket per chat.
"""

from __future__ import annotations

from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

MESSAGE_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
PRUNE_AT = 10_000  # chats with a limiter before idle ones are forgotten (memory stays flat)


class PacedRateLimiter(AIORateLimiter):
    def __init__(self, *, private_rate: float, private_burst: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._private_rate = private_rate
        self._private_burst = max(1, private_burst)
        self._private: dict[int, AsyncLimiter] = {}

    async def process_request(self, callback, args, kwargs, endpoint, data,  # type: ignore[no-untyped-def]
                              rate_limit_args):
        chat_id = data.get("chat_id")
        if (self._private_rate <= 0 or endpoint not in MESSAGE_METHODS
                or not isinstance(chat_id, int) or chat_id <= 0):
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                  rate_limit_args)
        async with self._limiter_for(chat_id):
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                 rate_limit_args)

    def _limiter_for(self, chat_id: int) -> AsyncLimiter:
        limiter = self._private.get(chat_id)
        if limiter is None:
            if len(self._private) >= PRUNE_AT:
                self._private = {c: lim for c, lim in self._private.items()
                                 if not lim.has_capacity(self._private_burst)}
            # A bucket of `burst` messages refilled at `rate` a second.
            limiter = AsyncLimiter(self._private_burst, self._private_burst / self._private_rate)
            self._private[chat_id] = limiter
        return limiter
