"""Findings as administrators ask for them and read them: what the API and `izdes findings`
share. Checking a new finding against the surveys and places (storage.findings keeps it and
checks the rest), and a finding in the JSON shape the API serves and the dashboard reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from conversations.places import (
    District,
    Province,
    district_by_id,
    match_district,
    match_province,
    province_by_plate,
)
from conversations.survey import DEFAULT_SURVEY, Survey
from stats import periods
from storage.finding_status import FindingError
from storage.findings import Event, FindingRecord, NewFinding, Proposal

# A finding's fields as the API shows them, in this order; datetimes and dates in ISO 8601.
SHOWN = ("id", "survey_key", "period", "province", "district", "service", "drivers",
         "problem", "responsible_unit", "due_date", "status", "raised_by", "created_at",
         "created_by", "updated_at", "action_date", "action", "re_evaluated_at",
         "re_evaluation_note", "re_evaluation_result", "closed_at", "closed_as",
         "closing_note", "reopen_note", "reported_at", "reported_by")


def survey_of(surveys: Mapping[str, Survey], key: str | None) -> Survey:
    survey = surveys.get(key or DEFAULT_SURVEY)
    if survey is None or survey.report is None:
        raise FindingError(f"no survey with published figures is called {key!r}")
    return survey


def services_of(surveys: Mapping[str, Survey]) -> set[str]:
    """Every service any survey asks about."""
    return {choice.value for survey in surveys.values() if survey.has_question("service")
            for choice in survey.question("service").choices}


def new_finding(survey: Survey, period_kind: str, *, period: str, province: str,
                district: str | None, service: str | None, drivers: Sequence[str],
                problem: str, proposals: Sequence[str], responsible_unit: str,
                due_date: str) -> NewFinding:
    """A finding as asked for, its names checked: FindingError with what to fix."""
    try:
        period = periods.parse(period, period_kind)
    except periods.BadPeriod as error:
        raise FindingError(str(error)) from error
    place = _province(province)
    found = _district(place, district) if district else None
    return NewFinding(
        survey_key=survey.key, period=period, province=place.plate,
        district=str(found.district_id) if found else None,
        service=_service(survey, service or ""), drivers=_drivers(survey, drivers),
        problem=problem, proposals=tuple(proposals), responsible_unit=responsible_unit,
        due_date=parse_day(due_date, "due_date"))


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise FindingError(f"{what} {value!r} is no day: write it as YYYY-MM-DD") from error


def province_plate(text: str) -> str:
    """The plate of a province named by its plate code or name (FindingError if none)."""
    return _province(text).plate


def _province(text: str) -> Province:
    if text.strip().isdigit():
        found = province_by_plate(text)
    else:
        match = match_province(text)
        found = match.best if match.status == "exact" else None
    if found is None:
        raise FindingError(f"no province {text!r}: give its plate code (1-81) or its name")
    return found


def _district(province: Province, text: str) -> District:
    by_id = district_by_id(text.strip()) if text.strip().isdigit() else None
    if by_id is not None and by_id.plate == province.plate:
        return by_id
    found = match_district(province.plate, text)
    if found.status != "exact" or found.best is None:
        raise FindingError(f"no district {text!r} in {province.name}")
    return found.best


def _service(survey: Survey, service: str) -> str:
    if not service:
        return ""
    known = ([c.value for c in survey.question("service").choices]
             if survey.has_question("service") else [])
    if service not in known:
        raise FindingError(f"unknown service {service!r} in survey {survey.key} (known: "
                           f"{', '.join(known) or 'none: leave it out'})")
    return service


def _drivers(survey: Survey, drivers: Sequence[str]) -> tuple[str, ...]:
    known = survey.report.drivers if survey.report else ()
    unknown = [d for d in drivers if d not in known]
    if unknown:
        raise FindingError(f"unknown driver {unknown[0]!r} in survey {survey.key} (known: "
                           f"{', '.join(known)})")
    return tuple(dict.fromkeys(drivers))  # each once, in the order given


# ----------------------------------------------------------------------------- shown


def finding_json(record: FindingRecord, full: bool = False) -> dict[str, Any]:
    """A finding as the API shows it; ``full`` with its evidence, proposals and history."""
    fields = record.fields
    province = province_by_plate(fields["province"])
    district = district_by_id(fields["district"]) if fields["district"] else None
    shown = {name: _plain(fields[name]) for name in SHOWN}
    shown.update(survey=shown.pop("survey_key"), service=fields["service"] or None,
                 province_name=province.name if province else None,
                 district_name=district.name if district else None, overdue=record.overdue)
    if full:
        shown.update(evidence=fields["evidence"],
                     proposals=[_proposal(p) for p in record.proposals],
                     history=[_event(e) for e in record.history])
    return shown


def _proposal(proposal: Proposal) -> dict[str, Any]:
    return {"id": proposal.id, "text": proposal.text, "source": proposal.source,
            "source_ref": proposal.source_ref, "added_by": proposal.added_by,
            "added_at": _plain(proposal.added_at)}


def _event(event: Event) -> dict[str, Any]:
    return {"at": _plain(event.at), "actor": event.actor, "via": event.via,
            "token_id": event.token_id, "action": event.action, "changes": event.changes}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value
