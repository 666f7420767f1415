"""The province a signed-in caller may see: every endpoint asks the same question."""

from __future__ import annotations

from aiohttp import web

from admin.tokens import Caller
from conversations.places import province_by_plate


def province_for(request: web.Request, asked: str | None) -> str | None:
    """The province the caller may see: the one asked for (None: all) for a national token,
    its own whatever it asks for a province token; 400 for an unknown province and 403 for
    another province than the token's."""
    caller: Caller = request["caller"]
    if asked:
        province = province_by_plate(asked)
        if province is None:
            raise web.HTTPBadRequest(text=f"unknown province {asked!r}")
        asked = province.plate
    if caller.scope.national:
        return asked
    if asked and asked != caller.scope.province:
        raise web.HTTPForbidden(text="this token is limited to another province")
    return caller.scope.province
