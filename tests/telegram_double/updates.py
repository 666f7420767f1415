"""The queue of updates for getUpdates, with Telegram's offset and long-poll rules."""

from __future__ import annotations

from typing import Any

from .waits import Changes

# What Telegram sends when allowed_updates is an empty list or was never set.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Superseded(Exception):
    """A newer getUpdates call arrived while this one was waiting."""


def update_kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    def __init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._changes = Changes()
        self.allowed_updates: list[str] = []  # [] means Telegram's default set
        self._newest_poll = 0
        self._closed = False
        self.polls_waiting = 0  # long polls parked until an update comes or they time out

    def __len__(self) -> int:
        return len(self._updates)

    def allows(self, update: dict[str, Any]) -> bool:
        kind = update_kind(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in NOT_BY_DEFAULT

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Telegram keeps the previous setting when allowed_updates is not passed."""
        if allowed is not None:
            self.allowed_updates = list(allowed)

    async def put(self, update: dict[str, Any]) -> None:
        self._updates.append(update)
        await self._changes.notify()

    async def until_polled(self, within: float) -> bool:
        """Whether a long poll is parked waiting, within ``within`` s."""
        return await self._changes.wait_for(lambda: self.polls_waiting > 0, within)

    def clear(self) -> None:
        self._updates.clear()

    def reopen(self) -> None:
        self._closed = False

    async def close(self) -> None:
        """Release every waiting long poll so that the server can shut down at once."""
        self._closed = True
        await self._changes.notify()

    async def poll(self, offset: int | None, limit: int, wait: float) -> list[dict[str, Any]]:
        """Confirm updates before `offset`, then return up to `limit` pending ones, waiting up
        to `wait` s for the first. Raises Superseded if another poll starts meanwhile
        (Telegram answers the older one with 409)."""
        self._confirm(offset)
        self._newest_poll += 1
        mine = self._newest_poll

        def ready() -> bool:
            return self._closed or mine != self._newest_poll or bool(self._deliverable())

        if wait > 0 and not ready():
            self.polls_waiting += 1
            await self._changes.notify()
            try:
                await self._changes.wait_for(ready, wait)
            finally:
                self.polls_waiting -= 1
        if mine != self._newest_poll:
            raise Superseded
        return self._deliverable()[:limit]

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:  # -N: keep only the last N updates, forget the rest
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _deliverable(self) -> list[dict[str, Any]]:
        # Telegram never creates updates the bot did not subscribe to, so they just vanish.
        self._updates = [u for u in self._updates if self.allows(u)]
        return list(self._updates)
