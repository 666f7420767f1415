"""Errors as RFC 9457 problem details: one JSON shape for every 4xx the server gives, so a
client (the dashboard, a script, a proxy's log) reads them all the same way:

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "page must be a whole number from 1 to 100000"}

served as application/problem+json. Handlers raise aiohttp's HTTP exceptions with the detail
as their text; the middleware turns them (and the router's 404 and 405, and the 413 of a body
over the limit) into problem details."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from aiohttp import web

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def problem(status: int, detail: str, **headers: str) -> web.Response:
    """A problem details response."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail}
    return web.json_response(body, status=status, headers=headers, content_type=MEDIA_TYPE)


@web.middleware
async def problem_details(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type == MEDIA_TYPE:
            raise
        detail = error.text if error.text and error.content_type == "text/plain" else ""
        if not detail or detail == f"{error.status}: {error.reason}":
            detail = error.reason  # aiohttp's own text, e.g. "404: Not Found"
        kept = {name: value for name, value in error.headers.items()
                if name in ("Retry-After", "WWW-Authenticate", "Allow")}
        return problem(error.status, detail, **kept)
