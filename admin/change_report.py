"""`izdes report changes`: what changed against the period before or a year earlier, as a
table, CSV or JSON; the same comparisons as /api/v1/changes (admin.changes)."""

from __future__ import annotations

import json

from tabulate import tabulate

from admin.changes import ChangeRequest, ChangeTable, change_body, change_table
from admin.publish import Publication, latest_period
from admin.report import INDICATIVE, csv_of, decimal_or_dash, report_groups, service_label
from conversations.i18n import N_, Texts
from conversations.survey import Survey
from storage.database import Database

VERDICTS = {"better": N_("better"), "worse": N_("worse"),
            "no_clear_change": N_("no clear change"), "not_tested": N_("not tested"),
            "too_few_answers": N_("too few answers")}
ARROWS = {"better": "↑", "worse": "↓"}
AGAINST = {"previous": N_("the period before"), "year": N_("the same period a year earlier")}
_FIELDS = ("before", "after", "difference", "p_value", "q_value", "test", "verdict")


async def load_changes(db: Database, survey: Survey, publication: Publication,
                       period: str | None, against: str, province: str | None
                       ) -> ChangeTable | None:
    """The comparison of a period (default: the latest released) by province and service,
    or by province for a survey without services; None when nothing is released.
    BadPeriod or NotReleased say what is wrong."""
    period = await latest_period(db, survey, publication, period)
    if period is None:
        return None
    return await change_table(db, ChangeRequest(survey, period, against,
                                                group_by=report_groups(survey),
                                                province=province))


def render_changes(table: ChangeTable | None, against: str, survey: Survey, fmt: str,
                   t: Texts, min_cell: int) -> str:
    if fmt == "json":
        return json.dumps({"min_cell": min_cell, "survey": survey.key,
                           "period": table.period if table else None,
                           **change_body(table, against)}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(table.rows if table else [], survey)
    if table is None:
        return t._("No period has been published yet: figures appear once a period has "
                   "ended.")
    heading = t._("Period: {period}, against {base} ({which})").format(
        period=table.period, base=table.base, which=t._(AGAINST[against]))
    if not table.rows:
        return heading + "\n" + t._("No completed responses yet.")
    notes = [t._("Verdicts hold the false discovery rate at 5 % across the {count} "
                 "comparisons of this table (Benjamini-Hochberg); each interval is the "
                 "comparison's own.").format(count=t.number(table.comparisons)),
             t._("Drivers are tested with the largest spread their mean allows, as the spread "
                 "of their answers is not published: only clear changes show."),
             t._("The ease is compared without a test: the spread of its answers is not "
                 "kept."),
             t._(INDICATIVE)]
    return "\n".join([heading, _table(table.rows, survey, t), "", *notes])


def _flat(row: dict, survey: Survey) -> dict:
    flat = {k: v for k, v in row.items()
            if k not in ("satisfied_share", "mean", "drivers", "effort")}
    figures = {"satisfied_share": row["satisfied_share"], "mean": row["mean"],
               **{f"driver_{d}": row["drivers"][d] for d in survey.report.drivers},
               "effort": row["effort"]}
    for name, figure in figures.items():
        low, high = figure["ci95"] or (None, None)
        flat.update({f"{name}_{field}": figure[field] for field in _FIELDS[:3]})
        flat.update({f"{name}_ci95_low": low, f"{name}_ci95_high": high})
        flat.update({f"{name}_{field}": figure[field] for field in _FIELDS[3:]})
    return flat


def _csv(rows: list[dict], survey: Survey) -> str:
    return csv_of([_flat(r, survey) for r in rows])


def _table(rows: list[dict], survey: Survey, t: Texts) -> str:
    headers = [t._("Province"), t._("Service"), "n", t._("Share satisfied"),
               t._("Change in points (95 percent interval)"), t._("Verdict"), t._("Mean (1-5)"),
               t._("Change (95 percent interval)"), t._("Verdict"),
               t._("Drivers that changed"), t._("Ease (1-7)")]
    return tabulate([_line(r, survey, t) for r in rows], headers=headers,
                    disable_numparse=True)


def _line(row: dict, survey: Survey, t: Texts) -> list[str]:
    place = [row.get("province_name") or row.get("region_name") or "-",
             service_label(survey, t, row.get("service"))]
    share, mean = row["satisfied_share"], row["mean"]
    if share["verdict"] == "too_few_answers":
        return [*place, "-", "", "", t._(VERDICTS["too_few_answers"]), "", "", "", "", ""]

    def percent(value: float) -> str:
        return t.percent(value)

    def points(value: float) -> str:  # a difference of shares, in percentage points
        return _signed(t.decimal(value * 100, 1))

    def number(value: float) -> str:
        return _signed(decimal_or_dash(t, value))

    def changed(figure: dict, value, difference) -> list[str]:
        if figure["before"] is None:
            return ["-", "", t._(VERDICTS[figure["verdict"]])]
        low, high = figure["ci95"] or (None, None)
        interval = "" if low is None else f" ({difference(low)} – {difference(high)})"
        return [f"{value(figure['before'])} → {value(figure['after'])}",
                difference(figure["difference"]) + interval, t._(VERDICTS[figure["verdict"]])]

    drivers = [f"{t._(survey.question(d).short or d)} {ARROWS[f['verdict']]}"
               for d, f in row["drivers"].items() if f["verdict"] in ARROWS]
    effort = row["effort"]
    ease = "-" if effort["before"] is None else (
        f"{decimal_or_dash(t, effort['before'])} → {decimal_or_dash(t, effort['after'])}")
    return [*place, f"{t.number(row['n_before'])} → {t.number(row['n_after'])}",
            *changed(share, percent, points),
            *changed(mean, lambda v: decimal_or_dash(t, v), number),
            ", ".join(drivers) or "-", ease]


def _signed(text: str) -> str:
    """A difference always with its sign: +0,20 as -0,20."""
    return text if text.lstrip("\u200e\u200f").startswith(("-", "−")) else "+" + text
