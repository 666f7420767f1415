"""The findings register in the admin API, under /api/v1/findings.

    GET  /findings                    list (filters: province, service, status, overdue,
                                      reported, due=reevaluation; paged)
    POST /findings                    make one (JSON body)           201, Location
    GET  /findings/{id}               one, with evidence, proposals, history and its
                                      re-evaluation (admin.reevaluation) computed now
    POST /findings/{id}/proposals     add a proposed solution         201
    POST /findings/{id}/status        move it on (storage.finding_status)
    POST /findings/{id}/reported      mark it reported to the centre (the ministry only)

Scopes as everywhere: a governor's office token works in its own province, a national token
everywhere. Naming another province (a filter, a new finding's place) is 403, as in the
rest of the API: that says nothing about what is there. A finding of another province is
404, exactly as one that does not exist: its number would otherwise tell that it exists.
Every write is audited with the change, in its transaction (never the analyst's text);
reads are audited like every data access.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from admin.bodies import read_in_time
from admin.findings import finding_json, new_finding, parse_day, services_of, survey_of
from admin.proposals import proposal_in
from admin.publish import Publication, latest_period
from admin.reevaluation import re_evaluation_of, with_result
from admin.scope import CALLER, province_for
from admin.units import staff_survey
from conversations.survey import Survey
from stats.periods import BadPeriod
from storage import admin_store, findings
from storage.database import Database
from storage.finding_status import (
    RE_EVALUATED,
    STATUSES,
    Actor,
    FindingConflict,
    FindingError,
    FindingForbidden,
    StatusChange,
)

DB_KEY = web.AppKey("findings_db", Database)
SURVEYS_KEY: web.AppKey[Mapping[str, Survey]] = web.AppKey("findings_surveys")
PUBLICATION_KEY = web.AppKey("findings_publication", Publication)
LARGEST_ID = 2**63 - 1  # a BIGINT; a longer number is no finding, not a database error
NEW_FIELDS = {"survey", "period", "province", "district", "service", "drivers", "problem",
              "proposals", "responsible_unit", "due_date"}
# No "result": a re-evaluation's result is computed here from the released figures, never
# taken from the caller (a province could otherwise record "improved" as if computed).
STATUS_FIELDS = {"status", "action_date", "action", "note"}


def add_findings_routes(app: web.Application, db: Database, surveys: Mapping[str, Survey],
                        publication: Publication) -> None:
    app[DB_KEY] = db
    app[SURVEYS_KEY] = surveys
    app[PUBLICATION_KEY] = publication
    app.router.add_get("/findings", list_findings)
    app.router.add_post("/findings", create_finding)
    app.router.add_get(r"/findings/{id:\d+}", show_finding)
    app.router.add_post(r"/findings/{id:\d+}/proposals", add_proposal)
    app.router.add_post(r"/findings/{id:\d+}/status", change_status)
    app.router.add_post(r"/findings/{id:\d+}/reported", mark_reported)


def _actor(request: web.Request) -> Actor:
    caller = request[CALLER]
    return Actor(caller.name, caller.token_id, caller.scope.province)


def _yes_or_no(request: web.Request, name: str) -> bool | None:
    value = request.query.get(name)
    if value in (None, ""):
        return None
    if value not in ("true", "false"):
        raise web.HTTPBadRequest(text=f"{name} takes true or false, not {value!r}")
    return value == "true"


def _whole(request: web.Request, name: str, default: int, highest: int) -> int:
    value = request.query.get(name) or str(default)
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= highest:
        raise web.HTTPBadRequest(text=f"{name} must be a whole number from 1 to {highest}")
    return int(value)


def _finding_id(request: web.Request) -> int:
    number = int(request.match_info["id"])
    if number > LARGEST_ID:
        raise _not_found(number)
    return number


def _not_found(number: int) -> web.HTTPNotFound:
    return web.HTTPNotFound(text=f"no finding {number} (or none this token may see)")


async def _body(request: web.Request, allowed: set[str]) -> dict[str, Any]:
    """The JSON object of a write: only the fields it takes."""
    text = await read_in_time(request, request.text)
    try:
        body = json.loads(text or "{}")
    except ValueError as error:
        raise web.HTTPBadRequest(text="the request body is no JSON") from error
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="the request body must be a JSON object")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise web.HTTPBadRequest(text=f"unknown field {unknown[0]!r}; this takes "
                                      f"{', '.join(sorted(allowed))}")
    return body


def _text(body: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise web.HTTPBadRequest(text=f"{name} must be a string")
    return value


def _texts(body: Mapping[str, Any], name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise web.HTTPBadRequest(text=f"{name} must be a list of strings")
    return value


async def _audit(session: AsyncSession, request: web.Request, action: str,
                 parameters: dict) -> None:
    await admin_store.record_access(session, request[CALLER].token_id, action, parameters)


def _refused(error: FindingError) -> web.HTTPException:
    if isinstance(error, FindingForbidden):
        return web.HTTPForbidden(text=str(error))
    if isinstance(error, FindingConflict):
        return web.HTTPConflict(text=str(error))
    return web.HTTPBadRequest(text=str(error))


async def list_findings(request: web.Request) -> web.Response:
    status = request.query.get("status") or None
    if status is not None and status not in STATUSES:
        raise web.HTTPBadRequest(text=f"status takes one of {', '.join(STATUSES)}")
    service = request.query.get("service") or None
    if service is not None and service not in services_of(request.app[SURVEYS_KEY]):
        raise web.HTTPBadRequest(text=f"unknown service {service!r}")
    due = request.query.get("due") or None
    if due is not None and due not in findings.DUE:
        raise web.HTTPBadRequest(text=f"due takes {', '.join(findings.DUE)}")
    filters = findings.Filters(
        province=province_for(request, request.query.get("province")), service=service,
        status=status, overdue=_yes_or_no(request, "overdue"),
        reported=_yes_or_no(request, "reported"), due=due)
    page = _whole(request, "page", 1, 100_000)
    per_page = _whole(request, "per_page", 50, 200)
    async with request.app[DB_KEY].transaction() as session:
        await _audit(session, request, "findings", {**dataclasses.asdict(filters), "page": page})
        total, rows = await findings.list_findings(session, filters,
                                                   offset=(page - 1) * per_page, limit=per_page)
    # The caller's own scope: the dashboard offers what the token may do (a button to report
    # to the centre) without probing for it.
    return web.json_response({"total": total, "page": page, "per_page": per_page,
                              "scope": str(request[CALLER].scope),
                              "today": findings.today().isoformat(),
                              "findings": [finding_json(row) for row in rows]})


async def _shown(request: web.Request, session: AsyncSession, number: int, status: int = 200
                 ) -> web.Response:
    record = await findings.find(session, number, _actor(request).province)
    if record is None:
        raise _not_found(number)
    shown = finding_json(record, full=True)
    caller = request[CALLER]
    if not caller.scope.national:
        # Which of the ministry's tokens did what is the ministry's to know (its audit); a
        # province sees the names, and the numbers of its own tokens only.
        for event in shown["history"]:
            if event["token_id"] != caller.token_id:
                event["token_id"] = None
    shown["re_evaluation"], shown["re_evaluation_reason"] = await re_evaluation_of(
        session, record.fields, _kind_of(request, record))
    return web.json_response(shown, status=status)


async def show_finding(request: web.Request) -> web.Response:
    number = _finding_id(request)
    async with request.app[DB_KEY].transaction() as session:
        await _audit(session, request, "finding", {"finding": number})
        return await _shown(request, session, number)


async def create_finding(request: web.Request) -> web.Response:
    body = await _body(request, NEW_FIELDS)
    actor = _actor(request)
    province = _text(body, "province") or actor.province
    if province is None:
        raise web.HTTPBadRequest(text="province is required: the plate code or the name")
    try:
        survey = survey_of(request.app[SURVEYS_KEY], _text(body, "survey"))
        period = _text(body, "period") or await latest_period(
            request.app[DB_KEY], survey, request.app[PUBLICATION_KEY])
        if period is None:
            raise FindingError(f"{survey.key} has no released period yet: findings are made "
                               "about published figures")
        new = new_finding(
            survey, request.app[PUBLICATION_KEY].of(survey).kind, period=period, province=province,
            district=_text(body, "district"), service=_text(body, "service"),
            drivers=_texts(body, "drivers"), problem=_text(body, "problem") or "",
            proposals=_texts(body, "proposals"),
            responsible_unit=_text(body, "responsible_unit") or "",
            due_date=_text(body, "due_date", required=True) or "")
        if not actor.national and new.province != actor.province:
            raise web.HTTPForbidden(text="this token is limited to another province")
        async with request.app[DB_KEY].transaction() as session:
            number = await findings.create_finding(session, new, actor)
            await _audit(session, request, "finding.create",
                         {"finding": number, "province": new.province})
            response = await _shown(request, session, number, status=201)
    except FindingError as error:
        raise _refused(error) from error
    response.headers["Location"] = f"/api/v1/findings/{number}"
    return response


async def add_proposal(request: web.Request) -> web.Response:
    """A proposed solution: typed ("text"), or a published staff proposal named by its
    reference ("staff_proposal", from /comments?survey=personel; "period" its quarter,
    the latest released by default), whose words are taken as published."""
    number = _finding_id(request)
    body = await _body(request, {"text", "staff_proposal", "period"})
    ref = _text(body, "staff_proposal")
    if ref is None:
        text, source = _text(body, "text", required=True) or "", findings.ANALYST
    elif "text" in body:
        raise web.HTTPBadRequest(text="give text or staff_proposal, not both")
    else:
        survey = staff_survey(request.app[SURVEYS_KEY])
        try:
            period = await latest_period(request.app[DB_KEY], survey,
                                         request.app[PUBLICATION_KEY], _text(body, "period"))
        except BadPeriod as error:
            raise web.HTTPBadRequest(text=str(error)) from error
    try:
        async with request.app[DB_KEY].transaction() as session:
            if ref is not None:
                # Only a proposal of the finding's own province: its staff's words are for
                # that province's register (and its governor's office's eyes) only.
                record = await findings.find(session, number, _actor(request).province)
                if record is None:
                    raise _not_found(number)
                found = period and await proposal_in(session, survey, period, ref,
                                                     record.fields["province"])
                if not found:
                    raise web.HTTPNotFound(text=f"no published staff proposal {ref!r} in "
                                                f"{period or 'any released period'} that "
                                                "this token may see")
                text, source = found["text"], findings.STAFF
            proposal = await findings.add_proposal(
                session, number, text, _actor(request), source, ref)
            if proposal is None:
                raise _not_found(number)
            await _audit(session, request, "finding.proposal",
                         {"finding": number, "proposal": proposal})
            return await _shown(request, session, number, status=201)
    except FindingError as error:
        raise _refused(error) from error


async def change_status(request: web.Request) -> web.Response:
    number = _finding_id(request)
    body = await _body(request, STATUS_FIELDS)
    try:
        action_date = _text(body, "action_date")
        change = StatusChange(
            status=_text(body, "status", required=True) or "",
            action_date=parse_day(action_date, "action_date") if action_date else None,
            action=_text(body, "action"), note=_text(body, "note"))
        async with request.app[DB_KEY].transaction() as session:
            if change.status == RE_EVALUATED:
                change = await _with_result(request, session, number, change)
            if not await findings.change_status(session, number, change, _actor(request)):
                raise _not_found(number)
            await _audit(session, request, "finding.status",
                         {"finding": number, "status": change.status})
            return await _shown(request, session, number)
    except FindingError as error:
        raise _refused(error) from error


async def _with_result(request: web.Request, session: AsyncSession, number: int,
                       change: StatusChange) -> StatusChange:
    record = await findings.find(session, number, _actor(request).province)
    if record is None:
        raise _not_found(number)
    return await with_result(session, record.fields, change, _kind_of(request, record))


def _kind_of(request: web.Request, record: findings.FindingRecord) -> str:
    """The kind of period the finding's survey is published by: a quarter for the staff's
    whatever the deployment's IZDES_PERIOD."""
    return request.app[PUBLICATION_KEY].kind_of(request.app[SURVEYS_KEY],
                                                record.fields["survey_key"])


async def mark_reported(request: web.Request) -> web.Response:
    number = _finding_id(request)
    await _body(request, set())
    try:
        async with request.app[DB_KEY].transaction() as session:
            if not await findings.mark_reported(session, number, _actor(request)):
                raise _not_found(number)
            await _audit(session, request, "finding.reported", {"finding": number})
            return await _shown(request, session, number)
    except FindingError as error:
        raise _refused(error) from error
