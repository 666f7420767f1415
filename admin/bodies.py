"""Reading a request's body: within a time limit, and only where a handler wants it.

Only the webhook and the muhtar page take a body, and each reads it after it has checked
what it can (the webhook's secret) — never the server for every request: 300 strangers each
sending a megabyte to any path would otherwise have it all held in memory. A body that
arrives too slowly gets 408, one that cannot be decoded (a broken gzip) 400, never a 500."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

READ_TIMEOUT_KEY = web.AppKey("read_timeout", float)
DEFAULT_SECONDS = 15.0
T = TypeVar("T")


async def read_in_time(request: web.Request, read: Callable[[], Awaitable[T]]) -> T:
    """``read()`` (request.read, request.post ...) within the server's read timeout."""
    seconds = request.config_dict.get(READ_TIMEOUT_KEY, DEFAULT_SECONDS)
    try:
        async with asyncio.timeout(seconds):
            return await read()
    except TimeoutError:
        raise web.HTTPRequestTimeout(
            text=f"the request body did not arrive within {seconds:g} s",
            headers={"Connection": "close"}) from None
    except (RequestPayloadError, ValueError, LookupError) as error:
        # ValueError: a malformed multipart or text; LookupError: a charset nobody knows
        raise web.HTTPBadRequest(text="the request body could not be read") from error
