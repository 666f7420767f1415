"""Waiting, on the one event loop, until the simulated world reaches some state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Changes:
    """Anyone who changes watched state calls notify(); waiters re-check their predicate."""

    def __init__(self) -> None:
        self._condition = asyncio.Condition()

    async def notify(self) -> None:
        async with self._condition:
            self._condition.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """True as soon as predicate() holds; False if it still does not after `seconds` s."""
        try:
            async with asyncio.timeout(seconds), self._condition:
                await self._condition.wait_for(predicate)
        except TimeoutError:
            return predicate()
        return True
