"""`izdes report`: the API's scores by province and service, as a table, CSV or JSON.

The same statistics and suppression as everywhere else (admin.scores)."""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from admin.publish import Publication, latest_period
from admin.scores import ScoreRequest, score_rows
from conversations.i18n import N_, Texts
from conversations.survey import Survey
from storage.database import Database

# Respondents come through posters and links: they choose to answer, they are not drawn at
# random, so an interval says how precise a figure is only among people like them.
INDICATIVE = N_("Intervals are indicative: respondents volunteer (posters, links), they "
                "are not a random sample.")
INDICATIVE_JSON = ("indicative: respondents volunteer (posters, links), they are not a "
                   "random sample")


async def load_scores(db: Database, survey: Survey, publication: Publication,
                      period: str | None = None) -> tuple[str | None, list[dict]]:
    """The published province by service table of a period (default: the latest released),
    and that period; BadPeriod for a period that is not of the published kind."""
    period = await latest_period(db, survey, publication, period)
    if period is None:
        return None, []
    return period, await score_rows(db, ScoreRequest(survey, report_groups(survey), (period,)))


def report_groups(survey: Survey) -> tuple[str, ...]:
    """By province and service; by province alone for a survey without services (the
    neighbourhood, the school bus)."""
    return ("province", "service") if survey.has_dimension("service") else ("province",)


def render(rows: list[dict], survey: Survey, fmt: str, t: Texts, min_cell: int,
           period: str | None) -> str:
    if fmt == "json":
        return json.dumps({"min_cell": min_cell, "survey": survey.key, "period": period,
                           "intervals": INDICATIVE_JSON, "rows": rows},
                          ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(rows, survey)
    if period is None:
        return t._("No period has been published yet: figures appear once a period has "
                   "ended.")
    table = _table(rows, survey, t, min_cell)
    if rows:
        table += "\n\n" + t._(INDICATIVE)
    return t._("Period: {period}").format(period=period) + "\n" + table


def _flat(row: dict, survey: Survey) -> dict:
    flat = {k: v for k, v in row.items() if k not in ("drivers", "mean_ci95", "satisfied_ci95")}
    for name, interval in (("mean", row["mean_ci95"]), ("satisfied", row["satisfied_ci95"])):
        flat[f"{name}_ci95_low"], flat[f"{name}_ci95_high"] = interval or (None, None)
    flat.update({f"driver_{d}": row["drivers"].get(d) for d in survey.report.drivers})
    return flat


def _csv(rows: list[dict], survey: Survey) -> str:
    return csv_of([_flat(r, survey) for r in rows])


def csv_of(flat: list[dict]) -> str:
    """Flat rows as CSV, their keys as the header ("" when there is no row)."""
    buffer = io.StringIO()
    if flat:
        writer = csv.DictWriter(buffer, fieldnames=list(flat[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
    return buffer.getvalue()


def _table(rows: list[dict], survey: Survey, t: Texts, min_cell: int) -> str:
    if not rows:
        return t._("No completed responses yet.")
    drivers = survey.report.drivers
    by_service = survey.has_dimension("service")
    effort = survey.report.effort is not None
    headers = [t._("Province"), *([t._("Service")] if by_service else []), "n",
               t._("Mean (1-5)"), t._("95 percent interval"), t._("Share satisfied"),
               *(t._(survey.question(d).short or d) + " (0-100)" for d in drivers),
               *([t._("Ease (1-7)")] if effort else [])]

    def number(value: float | None, digits: int = 2) -> str:
        return decimal_or_dash(t, value, digits)

    def interval(bounds: list[float] | None) -> str:
        return "-" if not bounds else f"{number(bounds[0])}–{number(bounds[1])}"

    fewer = t._("fewer than {count}").format(count=t.number(min_cell))
    body = []
    for r in rows:
        place = [r.get("province_name") or "-",
                 *([service_label(survey, t, r.get("service"))] if by_service else [])]
        if r["suppressed"]:
            body.append([*place, fewer, *["" for _ in range(len(headers) - len(place) - 1)]])
            continue
        share = "-" if r["satisfied_share"] is None else t.percent(r["satisfied_share"])
        # A period released before a driver was asked has no figure for it: "-".
        body.append([*place, t.number(r["n"]), number(r["mean"]), interval(r["mean_ci95"]),
                     share, *(number(r["drivers"].get(d), 0) for d in drivers),
                     *([number(r["effort"])] if effort else [])])
    return tabulate(body, headers=headers, disable_numparse=True)


def service_label(survey: Survey, t: Texts, value: str | None) -> str:
    """A service as the reader's language names it; "-" for all services."""
    service = survey.question("service") if survey.has_question("service") else None
    choice = service.choice(value) if service and value else None
    return t._(choice.label) if choice else (value or "-")


def decimal_or_dash(t: Texts, value: float | None, digits: int = 2) -> str:
    return "-" if value is None else t.decimal(value, digits)
