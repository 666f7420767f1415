"""The admin HTTP API under /api/v1 (aiohttp), mounted on the bot's own web server.

Every endpoint needs "Authorization: Bearer <token>". A province-scoped token sees only its
province: the province filter is taken from the token on the server, and asking for another
province is refused with 403. Failed sign-ins are rate-limited per client address
(admin/sign_in.py). Errors are problem details (admin/problems.py). Every data access is
written to the audit log (who, what, when), never with answer text.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from aiohttp import web

from admin import changes as what_changed
from admin import microdata
from admin.exports import write_workbook
from admin.findings_api import add_findings_routes
from admin.links import district_name
from admin.openapi import OPENAPI
from admin.pdf_report.content import load_content
from admin.pdf_report.pages import report_pdf
from admin.problems import problem_details
from admin.proposals import published_cells, text_questions
from admin.publish import Publication, latest_period, reach_shown
from admin.report import INDICATIVE_JSON
from admin.scope import CALLER, province_for
from admin.scores import GROUPS, ScoreRequest, key_drivers, score_rows
from admin.sign_in import SignIn
from admin.survey_list import surveys_body
from admin.tables import table_header, table_rows
from admin.two_sides import staff_beside
from conversations.i18n import Texts
from conversations.places import province_by_plate
from conversations.reach import REACH_MINIMUM, coarse_count
from conversations.survey import DEFAULT_SURVEY, Survey
from stats import periods
from storage import admin_store, comments, releases
from storage.database import Database
from storage.links import list_links

log = logging.getLogger(__name__)

DB_KEY = web.AppKey("db", Database)
PUBLICATION_KEY = web.AppKey("publication", Publication)
SURVEYS_KEY: web.AppKey[Mapping[str, Survey]] = web.AppKey("surveys")
TREND_PERIODS = 12  # a trend: the chosen period and the eleven before it
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_admin_api(db: Database, surveys: Mapping[str, Survey], publication: Publication,
                    sign_in: SignIn) -> web.Application:
    app = web.Application(middlewares=[problem_details, sign_in.middleware])
    app[DB_KEY] = db
    app[SURVEYS_KEY] = surveys
    app[PUBLICATION_KEY] = publication
    app.router.add_get("/openapi.json", openapi)
    app.router.add_get("/surveys", survey_list)
    app.router.add_get("/scores", scores)
    app.router.add_get("/changes", change_view)
    app.router.add_get("/provinces/{plate}", province_page)
    app.router.add_get("/links", link_list)
    app.router.add_get("/comments", comment_list)
    app.router.add_get("/drivers", driver_view)
    app.router.add_get("/export.csv", export_csv)
    app.router.add_get("/export.xlsx", export_xlsx)
    app.router.add_get("/report.pdf", report_pdf_view)
    app.router.add_get("/microdata/responses.csv", microdata_csv)
    app.router.add_get("/microdata/responses.xlsx", microdata_xlsx)
    app.router.add_get("/microdata/comments.csv", microdata_comments)
    add_findings_routes(app, db, surveys, publication)  # /findings: admin/findings_api.py
    return app


def _survey(request: web.Request) -> Survey:
    key = request.query.get("survey", DEFAULT_SURVEY)
    survey = request.app[SURVEYS_KEY].get(key)
    if survey is None or survey.report is None:
        raise web.HTTPBadRequest(text=f"unknown survey {key!r}")
    return survey


def _service(request: web.Request, survey: Survey) -> str | None:
    value = request.query.get("service") or None
    if value is not None and not (survey.has_question("service")
                                  and survey.question("service").choice(value)):
        raise web.HTTPBadRequest(text=f"unknown service {value!r}")
    return value


async def _period(request: web.Request, survey: Survey) -> str | None:
    """The period asked for, or the latest released; None when nothing is released yet."""
    kind = request.app[PUBLICATION_KEY].of(survey).kind
    if "from" in request.query or "to" in request.query:
        raise web.HTTPBadRequest(
            text=f"from and to are not accepted: figures are published by whole {kind}s "
                 "that have ended; ask with period=, e.g. "
                 f"period={periods.latest(datetime.now(UTC), kind, 1)[0]}")
    try:
        return await latest_period(request.app[DB_KEY], survey, request.app[PUBLICATION_KEY],
                                   request.query.get("period"))
    except periods.BadPeriod as error:
        raise web.HTTPBadRequest(text=str(error)) from error


def _group_by(request: web.Request, groups: tuple[str, ...]) -> tuple[str, ...]:
    group_by = tuple(g for g in request.query.get("group_by", "province,service").split(",") if g)
    unknown = [g for g in group_by if g not in groups]
    if not group_by or unknown or len(set(group_by)) != len(group_by):
        raise web.HTTPBadRequest(text=f"group_by takes any of {', '.join(groups)}")
    return group_by


def _trend(period: str) -> tuple[str, ...]:
    return tuple(periods.trailing(period, TREND_PERIODS))


async def _audit(request: web.Request, action: str, parameters: dict) -> None:
    caller = request[CALLER]
    async with request.app[DB_KEY].transaction() as session:
        await admin_store.record_access(session, caller.token_id, action, parameters)
    log.info("admin access: token %s %s %s", caller.token_id, action, parameters)


def _published(request: web.Request, survey: Survey, period: str | None, **body) -> web.Response:
    return web.json_response({"min_cell": request.app[PUBLICATION_KEY].of(survey).min_cell,
                              "survey": survey.key, "period": period,
                              "intervals": INDICATIVE_JSON, **body})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


async def survey_list(request: web.Request) -> web.Response:
    """The citizens' surveys a page may show (admin.survey_list), in Turkish."""
    return web.json_response(surveys_body(request.app[SURVEYS_KEY], Texts("tr")))


async def scores(request: web.Request) -> web.Response:
    survey = _survey(request)
    group_by = _group_by(request, GROUPS)
    province = province_for(request, request.query.get("province"))
    service = _service(request, survey)
    period = await _period(request, survey)
    await _audit(request, "scores", {"group_by": list(group_by), "province": province,
                                     "service": service, "period": period})
    if period is None:
        return _published(request, survey, None, rows=[])
    chosen = _trend(period) if "period" in group_by else (period,)
    try:
        rows = await score_rows(request.app[DB_KEY],
                                ScoreRequest(survey, group_by, chosen, province, service))
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from error
    return _published(request, survey, period, rows=rows)


async def change_view(request: web.Request) -> web.Response:
    """Each cell of a released period against the period before or a year before: both
    figures, the difference with its interval, a test, and a verdict with the false
    discovery rate controlled over the response (admin.changes)."""
    survey = _survey(request)
    group_by = _group_by(request, what_changed.GROUPS)
    against = request.query.get("against", "previous")
    if against not in periods.AGAINST:
        raise web.HTTPBadRequest(text="against takes previous (the period before) or year "
                                      "(the same period a year earlier)")
    province = province_for(request, request.query.get("province"))
    service = _service(request, survey)
    period = await _period(request, survey)
    await _audit(request, "changes", {"group_by": list(group_by), "against": against,
                                      "province": province, "service": service,
                                      "period": period})
    if period is None:
        return _published(request, survey, None, **what_changed.change_body(None, against))
    try:
        table = await what_changed.change_table(request.app[DB_KEY], what_changed.ChangeRequest(
            survey, period, against, group_by, province, service))
    except what_changed.NotReleased as error:
        raise web.HTTPNotFound(text=str(error)) from error
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from error
    return _published(request, survey, period, **what_changed.change_body(table, against))


async def province_page(request: web.Request) -> web.Response:
    survey = _survey(request)
    plate = province_for(request, request.match_info["plate"])
    period = await _period(request, survey)
    await _audit(request, "province", {"province": plate, "period": period})
    db = request.app[DB_KEY]
    province = province_by_plate(plate)
    by_service = trend = []
    if period is not None and survey.has_dimension("service"):
        by_service = await score_rows(db, ScoreRequest(survey, ("service",), (period,), plate))
    if period is not None:
        trend = await score_rows(db, ScoreRequest(survey, ("period",), _trend(period), plate))
    # The staff of the unit that gives each service, beside it (İZDES1).
    staff = await staff_beside(db, request.app[SURVEYS_KEY], survey,
                               request.app[PUBLICATION_KEY], plate, period)
    return _published(request, survey, period, province=plate, province_name=province.name,
                      services=by_service, trend=trend, staff=staff)


async def driver_view(request: web.Request) -> web.Response:
    """Which driver goes most with overall satisfaction: what to fix first."""
    survey = _survey(request)
    province = province_for(request, request.query.get("province"))
    service = _service(request, survey)
    period = await _period(request, survey)
    await _audit(request, "drivers", {"province": province, "service": service,
                                      "period": period})
    found = None if period is None else await key_drivers(request.app[DB_KEY], survey, period,
                                                          province, service)
    if found is None or found.n is None:
        return _published(request, survey, period, n=None, suppressed=True, drivers=[])
    return _published(request, survey, period, n=found.n, suppressed=False,
                      drivers=found.drivers)


async def link_list(request: web.Request) -> web.Response:
    """Muhtars' links and how many people opened each (coarse, as their muhtars see it:
    conversations.reach.coarse_count). Not how many agreed or completed: those live counts
    would bound the released link cells (/scores?group_by=link) from outside the audit."""
    plate = province_for(request, request.query.get("province"))
    await _audit(request, "links", {"province": plate})
    async with request.app[DB_KEY].transaction() as session:
        links = await list_links(session, province=plate)
    # A unit's invitation is no muhtar's link: its reach would count one unit's staff.
    links = [link for link in links
             if reach_shown(request.app[SURVEYS_KEY], link.survey_key)]
    return web.json_response({"reach_minimum": REACH_MINIMUM, "links": [
        {"id": link.id, "label": link.label, "province": link.province,
         "district": link.district, "district_name": district_name(link.district),
         "mahalle": link.mahalle, "service": link.service, "survey": link.survey_key,
         "valid_until": link.valid_until.isoformat() if link.valid_until else None,
         "disabled": link.disabled_at is not None, "opened": coarse_count(link.opened)}
        for link in links
    ]})


def _page_number(request: web.Request, name: str, default: int, highest: int) -> int:
    value = request.query.get(name) or str(default)
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= highest:
        raise web.HTTPBadRequest(text=f"{name} must be a whole number from 1 to {highest}")
    return int(value)


async def comment_list(request: web.Request) -> web.Response:
    """Comments of the cells published in a period (province by service), in the order of
    their text: nothing about when they were written but the period."""
    survey = _survey(request)
    province = province_for(request, request.query.get("province"))
    service = _service(request, survey)
    period = await _period(request, survey)
    page = _page_number(request, "page", 1, 100_000)
    per_page = _page_number(request, "per_page", 20, 100)
    await _audit(request, "comments", {"province": province, "service": service,
                                       "period": period, "page": page})
    total, items = 0, []
    if period is not None:
        async with request.app[DB_KEY].transaction() as session:
            shown = await published_cells(session, survey, period, province, service)
            total, items = await comments.page_of_comments(
                session, survey.key, text_questions(survey), periods.start_of(period),
                periods.end_of(period), shown, page, per_page)
    # Each with its reference, by which a finding can name it (admin.proposals).
    return _published(request, survey, period, page=page, per_page=per_page, total=total,
                      items=[{**item, "period": period, "ref": comments.comment_ref(
                          period, item["province"], item["service"], item["text"])}
                          for item in items])


async def _table(request: web.Request, action: str) -> tuple[Survey, str | None, list[list]]:
    survey = _survey(request)
    province = province_for(request, request.query.get("province"))
    period = await _period(request, survey)
    await _audit(request, action, {"province": province, "period": period})
    if period is None:
        return survey, None, []
    rows = await table_rows(request.app[DB_KEY], survey, period, province)
    return survey, period, rows


async def export_csv(request: web.Request) -> web.Response:
    """The published table of a period (every listed cell in the caller's scope), as CSV."""
    survey, period, rows = await _table(request, "export.csv")
    return _csv_response([table_header(survey), *rows], f"izdes-{survey.key}-{period}.csv")


async def export_xlsx(request: web.Request) -> web.StreamResponse:
    """The same table as export.csv, as an Excel workbook with numbers as numbers."""
    survey, period, rows = await _table(request, "export.xlsx")
    return await _workbook(request, survey.key, table_header(survey), _each(rows),
                           f"izdes-{survey.key}-{period}.xlsx")


async def report_pdf_view(request: web.Request) -> web.Response:
    """The report to the centre (admin.pdf_report) for the caller's scope: Türkiye, or the
    province asked for or the token's own, from released cells only."""
    survey = _survey(request)
    province = province_for(request, request.query.get("province"))
    period = await _period(request, survey)
    await _audit(request, "report.pdf", {"province": province, "period": period})
    if period is None:
        raise web.HTTPNotFound(text="no period has been released yet")
    content = await load_content(request.app[DB_KEY], survey, request.app[PUBLICATION_KEY],
                                 period, province)
    body = await asyncio.to_thread(report_pdf, content)
    return web.Response(body=body, content_type="application/pdf", headers={
        "Content-Disposition":
            f'attachment; filename="izdes-{province or "tr"}-{period}.pdf"'})


async def _workbook(request: web.Request, title: str, header: list[str], rows,
                    filename: str) -> web.StreamResponse:
    """Rows as an Excel workbook, written to a temporary file and sent in chunks."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        await write_workbook(file.name, title, header, rows)
        response = web.StreamResponse(headers={
            "Content-Type":
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{filename}"',
        })
        await response.prepare(request)
        while chunk := file.read(64 * 1024):
            await response.write(chunk)
    await response.write_eof()
    return response


async def _each(rows: list[list]):
    for row in rows:
        yield row


async def _microdata(request: web.Request, action: str) -> tuple[Survey, str]:
    """The survey and period of a row-level download, for a microdata token only; audited
    with who it was given to and what for."""
    caller = request[CALLER]
    if not caller.scope.microdata:
        raise web.HTTPForbidden(text="responses row by row need a microdata token "
                                     "(izdes admin token create --scope microdata)")
    survey = _survey(request)
    if survey.report is not None and not survey.report.row_level:
        raise web.HTTPForbidden(text=f"the {survey.key} survey is never given out row by "
                                     "row: its respondents are few in each unit")
    period = await _period(request, survey)
    async with request.app[DB_KEY].transaction() as session:
        released = await releases.released_periods(session, survey.key)
    if period is None or period not in released:
        raise web.HTTPNotFound(text="that period has not been released: only periods that "
                                    "have ended are")
    await _audit(request, action, {"period": period, "name": caller.name,
                                   "purpose": caller.purpose})
    return survey, period


def _csv_response(rows: list[list], filename: str) -> web.Response:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return web.Response(body=buffer.getvalue().encode(), headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"'})


async def microdata_csv(request: web.Request) -> web.Response:
    survey, period = await _microdata(request, "microdata.responses.csv")
    header, rows = await microdata.response_rows(
        request.app[DB_KEY], survey, period, request.app[PUBLICATION_KEY].of(survey).min_cell)
    return _csv_response([header] + [row async for row in rows],
                         f"izdes-{survey.key}-{period}-responses.csv")


async def microdata_xlsx(request: web.Request) -> web.StreamResponse:
    survey, period = await _microdata(request, "microdata.responses.xlsx")
    header, rows = await microdata.response_rows(
        request.app[DB_KEY], survey, period, request.app[PUBLICATION_KEY].of(survey).min_cell)
    return await _workbook(request, survey.key, header, rows,
                           f"izdes-{survey.key}-{period}-responses.xlsx")


async def microdata_comments(request: web.Request) -> web.Response:
    survey, period = await _microdata(request, "microdata.comments.csv")
    rows = await microdata.comment_rows(request.app[DB_KEY], survey, period)
    return _csv_response([["period", "comment"], *rows],
                         f"izdes-{survey.key}-{period}-comments.csv")
