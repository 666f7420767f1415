"""Aggregation for scores: the sufficient statistics of each cell, from the raw answers.

An inner query pivots each completed response's answers into one row (overall, drivers,
effort); the outer one groups those rows by the requested dimensions and returns counts, sums
and sums of squares (in TOTALS order), from which stats.survey_statistics derives every
figure. storage.rollups keeps the same sums per period and cell as responses complete, and
reads them instead wherever it can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Label,
    Select,
    SQLColumnExpression,
    case,
    func,
    literal,
    select,
)

from conversations.state import Status
from conversations.survey import Survey
from stats.survey_statistics import CellTotals
from storage.models import DRIVER_SLOTS, DRIVER_SUMS, SCORE_SUMS, Answer, Response
from storage.statements import Columns

# The order of the sums in every totals row, raw or rolled up: the rollup's value columns.
TOTALS = SCORE_SUMS
# What only the key-driver view needs: the other readers skip summing them.
PAIR_SUMS = frozenset(f"d{slot}_{part}" for slot in range(DRIVER_SLOTS)
                      for part in ("sumsq", "cross", "osum", "osumsq"))
# A column, an ORM attribute or an expression over them: what a query groups or filters by.
Expression = SQLColumnExpression[Any]


@dataclass(frozen=True)
class Measures:
    """Which questions of a survey are measured, from its report definition."""

    overall: str
    satisfied_min: float
    drivers: tuple[str, ...]
    effort: str | None


def measures_of(survey: Survey) -> Measures:
    spec = survey.report
    if spec is None:
        raise ValueError(f"survey {survey.key!r} defines no report")
    return Measures(spec.overall, spec.satisfied_min, spec.drivers, spec.effort)


@dataclass(frozen=True)
class Filters:
    survey_key: str
    province: str | None = None
    service: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    include_flagged: bool = False


PERIOD_FORMATS = {"month": ("%Y-%m", "YYYY-MM"), "day": ("%Y-%m-%d", "YYYY-MM-DD")}


def period_of(dialect: str, period: str = "month") -> ColumnElement[str]:
    """A response's month (YYYY-MM) or day (YYYY-MM-DD) in UTC, the time zone of the from/to
    filters too."""
    sqlite_format, postgresql_format = PERIOD_FORMATS[period]
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", Response.completed_at), postgresql_format)
    return func.strftime(sqlite_format, Response.completed_at)


def dimension_columns(dialect: str) -> dict[str, Expression]:
    return {"province": Response.province, "district": Response.district,
            "service": Response.service, "channel": Response.channel,
            "month": period_of(dialect), "link": Response.link_id,
            "mahalle": Response.mahalle}


def grouped_totals(measures: Measures, where: list[ColumnElement[bool]],
                   dimensions: Mapping[str, Expression], sign: int = 1,
                   pairs: bool = True) -> Select[*Columns]:
    """The totals (in TOTALS order) of the completed responses matching ``where``, one row
    per combination of ``dimensions``: the raw source, and what the rollup is summed from."""
    rows = per_response_rows(measures, where, dimensions).subquery()
    return totals_over(rows, measures, {name: rows.c[name] for name in dimensions}, sign,
                       pairs)


def per_response_rows(measures: Measures, where: list[ColumnElement[bool]],
                      dimensions: Mapping[str, Expression]) -> Select[*Columns]:
    """One row per completed response matching ``where``: ``dimensions`` by name, then its
    scores side by side (overall, d_0, d_1, ..., effort)."""
    labelled: list[Label[Any]] = [column.label(name) for name, column in dimensions.items()]
    return _per_response(measures, where, labelled, list(dimensions.values()))


def totals_over(rows: FromClause, measures: Measures, keys: Mapping[str, Expression],
                sign: int = 1, pairs: bool = True) -> Select[*Columns]:
    """The totals (in TOTALS order) per combination of ``keys`` of ``per_response_rows``
    (as a subquery or a table holding them); taken away when ``sign`` is -1; PAIR_SUMS
    left at 0 unless ``pairs``."""
    overall, effort = rows.c.overall, rows.c.effort
    drivers = [rows.c[f"d_{i}"] for i in range(len(measures.drivers))]
    sums: dict[str, ColumnElement[Any]] = {
        "n": func.count(overall), "overall_sum": func.sum(overall),
        "overall_sumsq": func.sum(overall * overall),
        "satisfied": func.sum(case((overall >= measures.satisfied_min, 1), else_=0)),
        "effort_n": func.count(effort), "effort_sum": func.sum(effort),
    }
    for slot in range(DRIVER_SLOTS):
        if slot >= len(drivers):
            sums.update({f"d{slot}_{part}": literal(0) for part in DRIVER_SUMS})
            continue
        driver = drivers[slot]
        paired = case((driver.is_not(None), overall))  # overall where the driver is answered
        sums.update({
            f"d{slot}_n": func.count(driver), f"d{slot}_sum": func.sum(driver),
            f"d{slot}_sumsq": func.sum(driver * driver),
            f"d{slot}_cross": func.sum(driver * overall),
            f"d{slot}_osum": func.sum(paired), f"d{slot}_osumsq": func.sum(paired * paired),
        })
    if not pairs:
        sums.update(dict.fromkeys(PAIR_SUMS, literal(0)))
    # SUM over no value is NULL (a driver every respondent skipped): 0 in the cells.
    totals: list[ColumnElement[Any]] = [func.coalesce(sums[name], 0) for name in TOTALS]
    if sign != 1:
        totals = [total * sign for total in totals]
    labelled: list[Label[Any]] = [column.label(name) for name, column in keys.items()]
    return (select(*labelled, *(total.label(name) for total, name in zip(totals, TOTALS,
                                                                         strict=True)))
            .where(overall.is_not(None)).group_by(*keys.values()))


def totals_of(measures: Measures, values: Any, pairs: bool = True) -> CellTotals:
    """CellTotals from one row of sums in TOTALS order (the pair sums only with ``pairs``)."""
    sums = dict(zip(TOTALS, values, strict=True))
    drivers = {d: (int(sums[f"d{i}_n"] or 0), float(sums[f"d{i}_sum"] or 0))
               for i, d in enumerate(measures.drivers)}
    paired = {d: _pair_sums(sums, i) for i, d in enumerate(measures.drivers)} if pairs else {}
    return CellTotals(
        n=int(sums["n"] or 0), overall_sum=float(sums["overall_sum"] or 0),
        overall_sumsq=float(sums["overall_sumsq"] or 0), satisfied=int(sums["satisfied"] or 0),
        drivers=drivers, effort_n=int(sums["effort_n"] or 0),
        effort_sum=float(sums["effort_sum"] or 0), pairs=paired,
    )


def _pair_sums(sums: Mapping[str, Any], slot: int) -> tuple[float, float, float, float]:
    """A driver's correlation sums (x², x·overall, overall, overall²), 0 for none."""
    sumsq, cross, osum, osumsq = (float(sums[f"d{slot}_{part}"] or 0)
                                  for part in ("sumsq", "cross", "osum", "osumsq"))
    return sumsq, cross, osum, osumsq


def whole_periods(date_from: datetime | None, date_to: datetime | None, period: str
                  ) -> tuple[datetime | None, datetime | None] | None:
    """The months or days (UTC) wholly inside [date_from, date_to): the start of the first and
    the end of the last, None where the range is open; None if there is no such period."""
    first = end = None
    if date_from is not None:
        start = period_start(date_from, period)
        first = start if start == in_utc(date_from) else _next(start, period)
    if date_to is not None:
        end = period_start(date_to, period)
    if first is not None and end is not None and first >= end:
        return None
    return first, end


def in_utc(moment: datetime) -> datetime:
    """A filter's moment in UTC; a date without a time zone is read as UTC, as stored."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def period_start(moment: datetime, period: str) -> datetime:
    day = in_utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.replace(day=1) if period == "month" else day


def _next(start: datetime, period: str) -> datetime:
    if period == "day":
        return start + timedelta(days=1)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def _score_of(question_id: str) -> ColumnElement[float | None]:
    return func.max(case((Answer.question_id == question_id, Answer.score)))


def _per_response(measures: Measures, where: list[ColumnElement[bool]],
                  labelled: Sequence[Label[Any]], grouped: Sequence[Expression]
                  ) -> Select[*Columns]:
    """One row per completed response: its dimensions and its scores side by side."""
    return (
        select(
            *labelled,
            _score_of(measures.overall).label("overall"),
            *(_score_of(d).label(f"d_{i}") for i, d in enumerate(measures.drivers)),
            (_score_of(measures.effort) if measures.effort
             else literal(None, Float())).label("effort"),
        )
        .select_from(Response)
        .join(Answer, Answer.response_id == Response.id)
        .where(*where)
        .group_by(Response.id, *grouped)
    )


def conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The completed responses the filters select."""
    where = [*selecting(filters, Response.survey_key, Response.flagged_automated,
                        Response.province, Response.service),
             Response.status == Status.COMPLETED]
    if filters.date_from:
        where.append(Response.completed_at >= filters.date_from)
    if filters.date_to:
        where.append(Response.completed_at < filters.date_to)
    return where


def selecting(filters: Filters, survey_key: SQLColumnExpression[str],
              flagged: SQLColumnExpression[bool], province: SQLColumnExpression[str | None],
              service: SQLColumnExpression[str | None]) -> list[ColumnElement[bool]]:
    """The filters but the dates, on these columns (of the responses, or of rollup cells)."""
    where = [survey_key == filters.survey_key]
    if not filters.include_flagged:
        where.append(flagged.is_(False))
    if filters.province:
        where.append(province == filters.province)
    if filters.service:
        where.append(service == filters.service)
    return where
