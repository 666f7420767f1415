"""Reading Bot API parameters off an HTTP request, the ways Telegram accepts them.

PTB 22's HTTPXRequest POSTs application/x-www-form-urlencoded (multipart/form-data when a file
is uploaded), with str values as they are and every other value JSON-encoded; Telegram also
takes a JSON body or a query string, so those work too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes = field(repr=False)
    content_type: str | None = None

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes)"


class WireError(Exception):
    """The request body cannot be read as Bot API parameters."""


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of the request: query string first, then the body (body wins)."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await _json_body(request))
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update(await _form_body(request))
    elif await request.read():
        raise WireError(f"unsupported Content-Type {request.content_type!r}")
    return params


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.read() or b"{}")
    except ValueError as exc:
        raise WireError(f"can't parse JSON body: {exc}") from exc
    if not isinstance(body, dict):
        raise WireError("JSON body must be an object")
    return body


async def _form_body(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    form = await request.post()
    for name, value in form.items():
        if name in params:
            raise WireError(f"parameter {name!r} given twice")
        if isinstance(value, web.FileField):
            params[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
        else:
            params[name] = value
    return params
