"""The admin API's endpoints for units' invitations to the staff survey (İZDES1): a
governor's office invites its own province's units, the ministry any, and downloads each
unit's internal notice. Never a count of a unit's staff (admin.units). Added to the API's
app by bot.web, beside admin.api's endpoints, with the same sign-in, scope and audit.
"""

from __future__ import annotations

import json

from aiohttp import web

from admin.api import DB_KEY, PUBLICATION_KEY, SURVEYS_KEY, _audit
from admin.bodies import read_in_time
from admin.links import LinkSpecError
from admin.posters.unit_notice import UnitNotice, unit_notice_pdf
from admin.scope import CALLER, province_for
from admin.units import check_unit, create_invitations, invitations, staff_survey
from storage.links import link_place, list_links

BOT_USERNAME_KEY = web.AppKey("bot_username", str)  # for the t.me links of the invitations


def add_unit_routes(api: web.Application, bot_username: str) -> None:
    """GET and POST /units, GET /units/{id}/notice.pdf on the admin API's app."""
    api[BOT_USERNAME_KEY] = bot_username
    api.router.add_get("/units", unit_list)
    api.router.add_post("/units", unit_create)
    api.router.add_get("/units/{id}/notice.pdf", unit_notice)


def _username(request: web.Request) -> str:
    username = request.app[BOT_USERNAME_KEY]
    if not username:
        raise web.HTTPServiceUnavailable(text="the bot's username is not known: set "
                                              "IZDES_BOT_USERNAME")
    return username


async def unit_list(request: web.Request) -> web.Response:
    """The units' invitations in the caller's scope, with their links."""
    plate = province_for(request, request.query.get("province"))
    await _audit(request, "units", {"province": plate})
    async with request.app[DB_KEY].transaction() as session:
        links = await list_links(session, province=plate)
    found = invitations(links, request.app[SURVEYS_KEY], _username(request))
    return web.json_response({"units": [unit.as_json() for unit in found]})


async def unit_create(request: web.Request) -> web.Response:
    """Invite one unit: {"province": "34", "unit": "emniyet", "name": "...",
    "valid_until": "2027-12-31"}; a province token only for its own province."""
    raw = await read_in_time(request, request.read)
    try:
        asked = json.loads(raw or b"{}")
    except ValueError as error:
        raise web.HTTPBadRequest(text="the body must be JSON") from error
    if not isinstance(asked, dict) or not all(
            isinstance(asked.get(k, ""), str) for k in ("province", "unit", "name",
                                                         "valid_until")):
        raise web.HTTPBadRequest(text='send {"province": ..., "unit": ..., "name": ...}, '
                                      "each a string")
    try:
        spec = check_unit(asked.get("province", ""), asked.get("unit"), asked.get("name"),
                          asked.get("valid_until") or None, surveys=request.app[SURVEYS_KEY])
    except LinkSpecError as error:
        raise web.HTTPBadRequest(text=str(error)) from error
    province_for(request, spec.province.plate)  # 403 for another province
    username = _username(request)
    try:
        [created] = await create_invitations(request.app[DB_KEY], [spec], username)
    except LinkSpecError as error:  # the unit has an invitation already
        raise web.HTTPConflict(text=str(error)) from error
    await _audit(request, "units.create", {"province": spec.province.plate,
                                           "unit": spec.service, "id": created.id})
    [unit] = [u for u in invitations(await _links_of(request, spec.province.plate),
                                     request.app[SURVEYS_KEY], username) if u.id == created.id]
    return web.json_response({**unit.as_json(), "notice": f"/api/v1/units/{created.id}/"
                              "notice.pdf"}, status=201)


async def _links_of(request: web.Request, plate: str) -> list:
    async with request.app[DB_KEY].transaction() as session:
        return await list_links(session, province=plate)


async def unit_notice(request: web.Request) -> web.Response:
    """A unit's internal notice (kurum içi): A4 PDF with its QR code."""
    number = request.match_info["id"]
    if not (number.isascii() and number.isdigit() and len(number) < 19):
        raise web.HTTPNotFound(text="no such unit")
    async with request.app[DB_KEY].transaction() as session:
        place = await link_place(session, int(number))
    # Another province's unit is not there for a province's token, as a finding is not:
    # 403 would tell which numbers are units, and where.
    scope = request[CALLER].scope
    if place is None or place.survey_key != staff_survey(request.app[SURVEYS_KEY]).key or (
            not scope.national and place.province != scope.province):
        raise web.HTTPNotFound(text="no such unit")
    await _audit(request, "units.notice", {"id": place.id, "province": place.province})
    [unit] = [u for u in invitations(await _links_of(request, place.province),
                                     request.app[SURVEYS_KEY], _username(request))
              if u.id == place.id]
    pdf = unit_notice_pdf(UnitNotice(unit.label, unit.province_name, unit.url,
                                     request.app[PUBLICATION_KEY].staff_min_cell,
                                     unit.valid_until))
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="izdes-unit-{unit.id}-notice.pdf"'})
