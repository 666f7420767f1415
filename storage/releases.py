"""Released periods and their cells (admin.publish writes them, every output reads them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.state import Status
from storage.models import Release, ReleasedCell, Response


@dataclass(frozen=True)
class CellRow:
    period: str
    place: str  # the path joined by "/": "" for Türkiye, "TR5/06/1234" for a district
    service: str
    depth: int
    province: str
    listed: bool
    hidden: bool
    totals: dict[str, Any] | None
    figures: dict[str, Any] | None


async def first_completion(session: AsyncSession, survey_key: str) -> datetime | None:
    return await session.scalar(
        select(func.min(Response.completed_at)).where(Response.survey_key == survey_key,
                                                      Response.status == Status.COMPLETED))


async def released_periods(session: AsyncSession, survey_key: str) -> set[str]:
    return set(await session.scalars(
        select(Release.period).where(Release.survey_key == survey_key)))


async def store_release(session: AsyncSession, survey_key: str, period: str, min_cell: int,
                        cells: Sequence[CellRow]) -> None:
    """One period's cells, in one transaction with the release that marks it done."""
    session.add(Release(survey_key=survey_key, period=period, min_cell=min_cell))
    await session.flush()
    if cells:
        await session.execute(insert(ReleasedCell), [
            {"survey_key": survey_key, "period": cell.period, "place": cell.place,
             "service": cell.service, "depth": cell.depth, "province": cell.province,
             "listed": cell.listed, "hidden": cell.hidden, "totals": cell.totals,
             "figures": cell.figures} for cell in cells])


async def read_cells(session: AsyncSession, survey_key: str, periods: Sequence[str], depth: int,
                     province: str | None, service: str | None, with_totals: bool = False
                     ) -> list[CellRow]:
    """The listed cells of these periods at one depth of place (0 Türkiye ... 4 a link),
    within a province if given; of one service ("" for all services) or, with None, of
    each service. Their totals (never published; a large JSON) only ``with_totals``."""
    where = [ReleasedCell.survey_key == survey_key, ReleasedCell.period.in_(periods),
             ReleasedCell.depth == depth, ReleasedCell.listed.is_(True)]
    if province is not None:
        where.append(ReleasedCell.province == province)
    where.append(ReleasedCell.service != "" if service is None
                 else ReleasedCell.service == service)
    cells = ReleasedCell.__table__.c
    # Core rows, not ORM objects: a year's trend by province is a thousand cells.
    totals = cells.totals if with_totals else literal(None)
    query = (select(cells.period, cells.place, cells.service, cells.depth, cells.province,
                    cells.listed, cells.hidden, totals, cells.figures)
             .where(*where).order_by(cells.period, cells.place, cells.service))
    connection = await session.connection()
    return [CellRow(*row) for row in await connection.execute(query)]


async def read_comparable(session: AsyncSession, survey_key: str, periods: Sequence[str],
                          depth: int, province: str | None, service: str | None
                          ) -> list[CellRow]:
    """The listed cells of these periods as read_cells cuts them, with only what a comparison
    of periods needs (admin.changes): of a visible cell the totals of its overall score, its
    drivers and effort, and which of them its figures show; of a hidden cell nothing. Read
    as parts of the JSON, not whole: the key-driver view and the pair sums are most of it."""
    cells = ReleasedCell.__table__.c
    totals, figures = cells.totals, cells.figures
    where = [cells.survey_key == survey_key, cells.period.in_(periods), cells.depth == depth,
             cells.listed.is_(True),
             cells.service != "" if service is None else cells.service == service]
    if province is not None:
        where.append(cells.province == province)
    query = (select(cells.period, cells.place, cells.service, cells.depth, cells.province,
                    cells.hidden, totals["n"].as_integer(), totals["overall_sum"].as_float(),
                    totals["overall_sumsq"].as_float(), totals["satisfied"].as_integer(),
                    totals["drivers"], totals["effort_n"].as_integer(),
                    totals["effort_sum"].as_float(), figures["drivers"],
                    figures["effort"].as_float())
             .where(*where).order_by(cells.period, cells.place, cells.service))
    connection = await session.connection()
    found = []
    for (period, place, cell_service, cell_depth, cell_province, hidden, n, overall_sum,
         overall_sumsq, satisfied, drivers, effort_n, effort_sum, shown_drivers,
         shown_effort) in await connection.execute(query):
        visible = not hidden
        found.append(CellRow(
            period, place, cell_service, cell_depth, cell_province, True, hidden,
            {"n": n, "overall_sum": overall_sum, "overall_sumsq": overall_sumsq,
             "satisfied": satisfied, "drivers": drivers or {}, "effort_n": effort_n or 0,
             "effort_sum": effort_sum or 0.0} if visible else None,
            {"n": n, "drivers": shown_drivers or {}, "effort": shown_effort}
            if visible else None))
    return found


async def latest_release(session: AsyncSession, survey_key: str, periods: Sequence[str]
                         ) -> str | None:
    """The most recent of these periods that has been released."""
    return await session.scalar(
        select(func.max(Release.period)).where(Release.survey_key == survey_key,
                                               Release.period.in_(periods)))


async def read_cell(session: AsyncSession, survey_key: str, place: str, service: str,
                    periods: Sequence[str]) -> dict[str, CellRow]:
    """One listed cell (a place's path, a service or "") in these periods, with its totals,
    by period; a period where it is not listed is absent."""
    cells = ReleasedCell.__table__.c
    query = (select(cells.period, cells.place, cells.service, cells.depth, cells.province,
                    cells.listed, cells.hidden, cells.totals, cells.figures)
             .where(cells.survey_key == survey_key, cells.place == place,
                    cells.service == service, cells.period.in_(periods),
                    cells.listed.is_(True)))
    connection = await session.connection()
    return {row.period: CellRow(*row) for row in await connection.execute(query)}


async def latest_releases(session: AsyncSession) -> dict[str, str]:
    """Each survey's most recent released period (periods of one kind sort as text)."""
    rows = await session.execute(select(Release.survey_key, func.max(Release.period))
                                 .group_by(Release.survey_key))
    return {survey: period for survey, period in rows}
