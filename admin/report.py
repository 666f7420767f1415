"""`izdes report`: satisfaction by province and service, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from conversations.i18n import Texts
from conversations.places import province_by_plate
from conversations.survey import Survey
from storage.aggregates import ScoreRow, scores_by_province_and_service
from storage.database import Database

FORMATS = ("table", "csv", "json")


async def load_scores(
    db: Database, survey: Survey, include_flagged: bool = False
) -> list[ScoreRow]:
    spec = survey.report
    if spec is None:
        raise SystemExit(f"survey {survey.key!r} defines no report")
    return await scores_by_province_and_service(
        db, survey.key, overall=spec.overall, satisfied_min=spec.satisfied_min,
        drivers=spec.drivers, effort=spec.effort, include_flagged=include_flagged,
    )


def render(rows: list[ScoreRow], survey: Survey, fmt: str, t: Texts) -> str:
    if fmt == "json":
        return json.dumps({"survey": survey.key, "rows": [_record(r) for r in rows]},
                          ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        records = [_record(r, flat=True) for r in rows]
        header = list(_record(ScoreRow(None, None, 0, None, None, {
            d: None for d in survey.report.drivers}, None), flat=True))
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return buffer.getvalue()
    return _table(rows, survey, t)


def _record(row: ScoreRow, flat: bool = False) -> dict:
    province = province_by_plate(row.province) if row.province else None
    record = {
        "province": row.province,
        "province_name": province.name if province else None,
        "service": row.service,
        "n": row.n,
        "mean": _round(row.mean_overall, 2),
        "satisfied_share": _round(row.satisfied_share, 3),
    }
    drivers = {k: _round(v, 2) for k, v in row.drivers.items()}
    if flat:
        record.update({f"driver_{k}": v for k, v in drivers.items()})
    else:
        record["drivers"] = drivers
    record["effort"] = _round(row.effort, 2)
    return record


def _table(rows: list[ScoreRow], survey: Survey, t: Texts) -> str:
    if not rows:
        return t._("No completed responses yet.")
    headers = [t._("Province"), t._("Service"), "n", t._("Mean (1-5)"), t._("Share satisfied"),
               *(t._(survey.question(d).short or d) for d in survey.report.drivers),
               t._("Ease (1-7)")]
    service = survey.question("service") if survey.has_question("service") else None

    def service_label(value: str | None) -> str:
        choice = service.choice(value) if service and value else None
        return t._(choice.label) if choice else (value or "-")

    def number(value: float | None) -> str:
        return "-" if value is None else t.decimal(value, 2)

    body = [
        [
            (province_by_plate(r.province).name if r.province else "-"),
            service_label(r.service), r.n, number(r.mean_overall),
            "-" if r.satisfied_share is None else t.percent(r.satisfied_share),
            *(number(r.drivers[d]) for d in survey.report.drivers), number(r.effort),
        ]
        for r in rows
    ]
    return tabulate(body, headers=headers, disable_numparse=True)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
