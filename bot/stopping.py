"""Waiting that a stop cuts short: the background loops' sleep."""

import asyncio


async def sleep_until_stopped(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
