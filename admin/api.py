"""The admin HTTP API under /api/v1 (aiohttp), mounted on the bot's own web server.

Every endpoint needs "Authorization: Bearer <token>". A province-scoped token sees only its
province: the province filter is taken from the token on the server, and asking for another
province is refused with 403. Failed sign-ins are rate-limited per client address. Every data
access is written to the audit log (who, what, when), never with answer text.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web

from admin import exports
from admin.links import district_name
from admin.openapi import OPENAPI
from admin.scores import GROUPS, ScoreRequest, score_rows
from admin.survey_statistics import key_drivers_of
from admin.tokens import Caller, authenticate
from conversations.places import province_by_plate
from conversations.survey import DEFAULT_SURVEY, Survey, builtin_surveys
from storage import admin_store, comments
from storage.cell_totals import Filters, measures_of
from storage.database import Database
from storage.links import list_links
from storage.rollups import cell_totals

log = logging.getLogger(__name__)

DB_KEY = web.AppKey("db", Database)
MIN_CELL_KEY = web.AppKey("min_cell", int)
FAILURES_KEY = web.AppKey("failures", dict)
FAILED_SIGN_INS_ALLOWED = 10  # per client address per minute
FAILURE_WINDOW = 60.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_admin_api(db: Database, min_cell: int) -> web.Application:
    app = web.Application(middlewares=[_authenticate])
    app[DB_KEY] = db
    app[MIN_CELL_KEY] = min_cell
    app[FAILURES_KEY] = defaultdict(deque)
    app.router.add_get("/openapi.json", openapi)
    app.router.add_get("/scores", scores)
    app.router.add_get("/provinces/{plate}", province_page)
    app.router.add_get("/links", link_list)
    app.router.add_get("/comments", comment_list)
    app.router.add_get("/drivers", driver_view)
    app.router.add_get("/export.csv", export_csv)
    app.router.add_get("/export.xlsx", export_xlsx)
    return app


def _json_error(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    failures: dict[str, deque[float]] = request.app[FAILURES_KEY]
    client = request.remote or "?"
    recent = failures[client]
    now = time.monotonic()
    while recent and now - recent[0] >= FAILURE_WINDOW:
        recent.popleft()
    if len(recent) >= FAILED_SIGN_INS_ALLOWED:
        retry = int(FAILURE_WINDOW - (now - recent[0])) + 1
        return _json_error(429, "too many failed sign-ins", **{"Retry-After": str(retry)})
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    caller = await authenticate(request.app[DB_KEY], token.strip()) if (
        scheme.lower() == "bearer" and token) else None
    if caller is None:
        recent.append(now)
        return _json_error(401, "a valid bearer token is required",
                           **{"WWW-Authenticate": "Bearer"})
    if not recent:
        failures.pop(client, None)
    request["caller"] = caller
    return await handler(request)


class Forbidden(Exception):
    pass


def _province_for(request: web.Request, asked: str | None) -> str | None:
    """The province the caller may see: theirs, whatever they ask; 403 for any other."""
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


def _survey(request: web.Request) -> Survey:
    key = request.query.get("survey", DEFAULT_SURVEY)
    survey = builtin_surveys().get(key)
    if survey is None or survey.report is None:
        raise web.HTTPBadRequest(text=f"unknown survey {key!r}")
    return survey


def _date(request: web.Request, name: str) -> datetime | None:
    value = request.query.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise web.HTTPBadRequest(text=f"{name} must be a date (YYYY-MM-DD)") from error


def _filters(request: web.Request, survey: Survey) -> Filters:
    return Filters(
        survey_key=survey.key,
        province=_province_for(request, request.query.get("province")),
        service=request.query.get("service") or None,
        date_from=_date(request, "from"),
        date_to=_date(request, "to"),
        include_flagged=request.query.get("include_flagged") == "true",
    )


async def _audit(request: web.Request, action: str, parameters: dict) -> None:
    caller: Caller = request["caller"]
    await admin_store.record_access(request.app[DB_KEY], caller.token_id, action, parameters)
    log.info("admin access: token %s %s %s", caller.token_id, action, parameters)


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


async def scores(request: web.Request) -> web.Response:
    survey = _survey(request)
    group_by = tuple(g for g in request.query.get("group_by", "province,service").split(",") if g)
    unknown = [g for g in group_by if g not in GROUPS]
    if not group_by or unknown or len(set(group_by)) != len(group_by):
        raise web.HTTPBadRequest(text=f"group_by takes any of {', '.join(GROUPS)}")
    filters = _filters(request, survey)
    await _audit(request, "scores", {"group_by": list(group_by), **_described(filters)})
    min_cell = request.app[MIN_CELL_KEY]
    try:
        rows = await score_rows(request.app[DB_KEY],
                                ScoreRequest(survey, group_by, filters, min_cell))
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from error
    return web.json_response({"min_cell": min_cell, "survey": survey.key, "rows": rows})


async def province_page(request: web.Request) -> web.Response:
    survey = _survey(request)
    plate = _province_for(request, request.match_info["plate"])
    filters = Filters(survey_key=survey.key, province=plate)
    await _audit(request, "province", {"province": plate})
    db, min_cell = request.app[DB_KEY], request.app[MIN_CELL_KEY]
    by_service = await score_rows(db, ScoreRequest(survey, ("service",), filters, min_cell))
    by_month = await score_rows(db, ScoreRequest(survey, ("month",), filters, min_cell))
    province = province_by_plate(plate)
    return web.json_response({
        "min_cell": min_cell, "province": plate, "province_name": province.name,
        "services": by_service, "trend": by_month,
    })


async def driver_view(request: web.Request) -> web.Response:
    """Which driver goes most with overall satisfaction: what to fix first."""
    survey = _survey(request)
    filters = _filters(request, survey)
    await _audit(request, "drivers", _described(filters))
    min_cell = request.app[MIN_CELL_KEY]
    cells = await cell_totals(request.app[DB_KEY], measures_of(survey), (), filters,
                              pairs=True)
    totals = cells.get(())
    if totals is None or totals.n < min_cell:
        return web.json_response({"min_cell": min_cell, "n": None, "suppressed": True,
                                  "drivers": []})
    ranked = key_drivers_of(totals)
    return web.json_response({
        "min_cell": min_cell, "n": totals.n, "suppressed": False,
        "drivers": [{"driver": d, "correlation": r, "pairs": n} for d, r, n in ranked],
    })


async def link_list(request: web.Request) -> web.Response:
    """Muhtars' links and their reach; per-link scores come from /scores?group_by=link."""
    plate = _province_for(request, request.query.get("province"))
    await _audit(request, "links", {"province": plate})
    links = await list_links(request.app[DB_KEY], province=plate)
    return web.json_response({"links": [
        {"id": link.id, "label": link.label, "province": link.province,
         "district": link.district, "district_name": district_name(link.district),
         "mahalle": link.mahalle, "service": link.service, "survey": link.survey_key,
         "valid_until": link.valid_until.isoformat() if link.valid_until else None,
         "disabled": link.disabled_at is not None, "opened": link.opened,
         "consented": link.consented, "completed": link.completed}
        for link in links
    ]})


async def comment_list(request: web.Request) -> web.Response:
    survey = _survey(request)
    filters = _filters(request, survey)
    page = max(1, int(request.query.get("page", "1") or 1))
    per_page = min(100, max(1, int(request.query.get("per_page", "20") or 20)))
    await _audit(request, "comments", {**_described(filters), "page": page})
    questions = [q.id for q in survey.questions if q.kind == "text"]
    total, items = await comments.page_of_comments(
        request.app[DB_KEY], filters, questions, page, per_page)
    return web.json_response({"page": page, "per_page": per_page, "total": total,
                              "items": items})


async def export_csv(request: web.Request) -> web.StreamResponse:
    survey = _survey(request)
    filters = _filters(request, survey)
    await _audit(request, "export.csv", _described(filters))
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="izdes-{survey.key}.csv"',
    })
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header, rows = exports.response_rows(request.app[DB_KEY], survey, filters)
    buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer.writerow(header)
    async for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            await response.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    await response.write(buffer.getvalue().encode())
    await response.write_eof()
    return response


async def export_xlsx(request: web.Request) -> web.StreamResponse:
    """The same rows as export.csv, as an Excel workbook (admin.exports.write_workbook),
    written to a temporary file and then sent in chunks."""
    survey = _survey(request)
    filters = _filters(request, survey)
    await _audit(request, "export.xlsx", _described(filters))
    header, rows = exports.response_rows(request.app[DB_KEY], survey, filters)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        await exports.write_workbook(file.name, survey.key, header, rows)
        response = web.StreamResponse(headers={
            "Content-Type":
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="izdes-{survey.key}.xlsx"',
        })
        await response.prepare(request)
        while chunk := file.read(64 * 1024):
            await response.write(chunk)
    await response.write_eof()
    return response


def _described(filters: Filters) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in vars(filters).items() if v not in (None, False)}
