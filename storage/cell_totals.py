"""Aggregation for scores: the sufficient statistics of each cell, computed in the database.

One pass: an inner query pivots each completed response's answers into one row (overall,
drivers, effort); the outer query groups those rows by the requested dimensions and returns
counts, sums and sums of squares, from which admin.survey_statistics derives every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, literal, select

from admin.survey_statistics import CellTotals
from storage.database import Database
from storage.models import Answer, Response

DIMENSIONS = ("province", "district", "service", "channel", "month", "link", "mahalle")


@dataclass(frozen=True)
class Measures:
    """Which questions of a survey are measured, from its report definition."""

    overall: str
    satisfied_min: float
    drivers: tuple[str, ...]
    effort: str | None


@dataclass(frozen=True)
class Filters:
    survey_key: str
    province: str | None = None
    service: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    include_flagged: bool = False


def _month(dialect: str) -> ColumnElement:
    if dialect == "postgresql":
        return func.to_char(Response.completed_at, "YYYY-MM")
    return func.strftime("%Y-%m", Response.completed_at)


async def cell_totals(
    db: Database, measures: Measures, group_by: tuple[str, ...], filters: Filters
) -> dict[tuple[str | None, ...], CellTotals]:
    dialect = db.engine.dialect.name
    columns = {"province": Response.province, "district": Response.district,
               "service": Response.service, "channel": Response.channel,
               "month": _month(dialect), "link": Response.link_id,
               "mahalle": Response.mahalle}

    per_response = _per_response(measures, filters, [columns[d].label(d) for d in group_by],
                                 [columns[d] for d in group_by]).subquery()
    overall = per_response.c.overall
    query = select(
        *(per_response.c[d] for d in group_by),
        func.count(overall), func.sum(overall), func.sum(overall * overall),
        func.sum(case((overall >= measures.satisfied_min, 1), else_=0)),
        *(x for i in range(len(measures.drivers))
          for x in (func.count(per_response.c[f"d_{i}"]), func.sum(per_response.c[f"d_{i}"]))),
        func.count(per_response.c.effort), func.sum(per_response.c.effort),
    ).where(overall.is_not(None)).group_by(*(per_response.c[d] for d in group_by))
    async with db.transaction() as session:
        rows = (await session.execute(query)).all()
    width = len(group_by)
    result: dict[tuple[str | None, ...], CellTotals] = {}
    for row in rows:
        values = row[width:]
        drivers = {
            d: (int(values[4 + 2 * i]), float(values[5 + 2 * i] or 0))
            for i, d in enumerate(measures.drivers)
        }
        result[tuple(row[:width])] = CellTotals(
            n=int(values[0]), overall_sum=float(values[1] or 0),
            overall_sumsq=float(values[2] or 0), satisfied=int(values[3] or 0),
            drivers=drivers, effort_n=int(values[-2]), effort_sum=float(values[-1] or 0),
        )
    return result


def _score_of(question_id: str):
    return func.max(case((Answer.question_id == question_id, Answer.score)))


def _per_response(measures: Measures, filters: Filters, labelled: list, grouped: list):
    """One row per completed response: its dimensions and its scores side by side."""
    return (
        select(
            *labelled,
            _score_of(measures.overall).label("overall"),
            *(_score_of(d).label(f"d_{i}") for i, d in enumerate(measures.drivers)),
            (_score_of(measures.effort) if measures.effort else literal(None)).label("effort"),
        )
        .select_from(Response)
        .join(Answer, Answer.response_id == Response.id)
        .where(*conditions(filters))
        .group_by(Response.id, *grouped)
    )


async def driver_pairs(
    db: Database, measures: Measures, filters: Filters
) -> list[tuple[float, dict[str, float | None]]]:
    """(overall, {driver: score or None}) per completed response, for the key-driver view."""
    query = _per_response(measures, filters, [], [])
    async with db.transaction() as session:
        rows = (await session.execute(query)).all()
    return [
        (float(row.overall), {d: row[1 + i] for i, d in enumerate(measures.drivers)})
        for row in rows if row.overall is not None
    ]


def conditions(filters: Filters) -> list[ColumnElement]:
    conditions = [Response.survey_key == filters.survey_key, Response.status == "completed"]
    if not filters.include_flagged:
        conditions.append(Response.flagged_automated.is_(False))
    if filters.province:
        conditions.append(Response.province == filters.province)
    if filters.service:
        conditions.append(Response.service == filters.service)
    if filters.date_from:
        conditions.append(Response.completed_at >= filters.date_from)
    if filters.date_to:
        conditions.append(Response.completed_at < filters.date_to)
    return conditions
