"""The province a signed-in caller may see: every endpoint asks the same question."""

from __future__ import annotations

from aiohttp import web

from admin.tokens import Caller
from conversations.places import province_by_plate

# Who is calling, set by the sign-in middleware (admin.sign_in) on every API request.
CALLER = web.RequestKey("caller", Caller)


def province_for(request: web.Request, asked: str | None) -> str | None:
    """The province the caller may see: the one asked for (None: all) for a national token,
    its own whatever it asks for a province token; 400 for an unknown province and 403 for
    another province than the token's."""
    caller = request[CALLER]
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
