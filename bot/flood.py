"""Per-user flood control: at most N updates a minute; one polite warning, then silence.

Kept in memory, per process: it protects this process and the database from one chat
flooding it. (Behind several webhook workers each applies the limit on its own share.)
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections.abc import Callable
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]
SWEEP_EVERY = 1000  # checks between sweeps of idle users, so memory stays flat


class FloodGuard:
    def __init__(
        self, limit: int = 30, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        # Each person's update times in the window, oldest first, as a packed array: a deque
        # costs 600 bytes empty and each float 24 more, and a campaign brings tens of
        # thousands of people a minute (docs/benchmarks.md has the figures).
        self._recent: dict[int, array] = {}
        self._warned: set[int] = set()
        self._checks = 0

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        self._checks += 1
        if self._checks % SWEEP_EVERY == 0:
            self._sweep(now)
        recent = self._recent.get(user_id)
        if recent is None:
            recent = self._recent[user_id] = array("d")
        del recent[:bisect_right(recent, now - self.window)]  # those a window old or more
        if len(recent) < self.limit:
            recent.append(now)
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def _sweep(self, now: float) -> None:
        idle = [user for user, times in self._recent.items()
                if not times or now - times[-1] >= self.window]
        for user_id in idle:
            del self._recent[user_id]
            self._warned.discard(user_id)

    def __len__(self) -> int:
        return len(self._recent)
