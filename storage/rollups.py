"""Score rollups: the cells' sums per period, kept as responses complete, read for scores.

A national campaign puts millions of responses (and seven times as many answers) in the
database; pivoting them all on every request would take seconds. Four grains of cells hold
the same sums the raw query computes (storage.cell_totals.TOTALS), per survey, period (UTC)
and flag: ``score_cells`` per month, province and service (about twenty thousand rows for the
whole country over two years), ``score_cells_channel`` by channel too, ``score_cells_daily``
the same per day, and ``score_cells_local`` per month down to the district, link and mahalle
(hundreds of thousands). All four change in the transaction that completes a response, and in
the one that erases a respondent, so the published figures never lag behind the answers.
``score_rollups`` records the report definition the sums were made under: the scores read the
cells only while it matches the survey as loaded, and ``ensure_rollup`` (at every start)
rebuilds a survey whose report definition changed, or which has never been rolled up, from its
answers.

``cell_totals`` answers whole months from the coarsest grain that holds the grouping, the
whole days before and after them from the daily cells (national groupings), the hours left
over from the answers, and merges them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTable, DropTable

from conversations.survey import Survey
from stats.survey_statistics import CellTotals, merge_totals
from storage.cell_totals import (
    PAIR_SUMS,
    PERIOD_FORMATS,
    TOTALS,
    Expression,
    Filters,
    Measures,
    conditions,
    dimension_columns,
    grouped_totals,
    in_utc,
    measures_of,
    per_response_rows,
    period_of,
    selecting,
    totals_of,
    totals_over,
    whole_periods,
)
from storage.models import (
    CELL_KEY_TYPES,
    Response,
    ScoreRollup,
    channel_score_cells,
    daily_score_cells,
    local_score_cells,
    province_score_cells,
    utcnow,
)
from storage.statements import Columns, DialectInsert, dialect_insert, dialect_of

# Each published dimension but the month, as the cells key it: no NULL in a primary key, so
# "none" is '' (or link 0) in the cells and None again when read.
_CELL_KEYS = {"province": "province", "district": "district", "service": "service",
              "channel": "channel", "link": "link_id", "mahalle": "mahalle"}
_NONE = {"link_id": 0}
_NATIONAL = frozenset({"province", "service", "channel", "month"})


@dataclass(frozen=True)
class Grain:
    table: Table
    period: str  # "month" or "day"
    dimensions: frozenset[str]  # the published dimensions its cells keep apart

    def key(self, dimension: str) -> ColumnElement[Any]:
        """The cells' column (or expression) for a published dimension."""
        if dimension == "month":
            period = self.table.c.period
            return period if self.period == "month" else func.substr(period, 1, 7)
        return self.table.c[_CELL_KEYS[dimension]]


# Coarsest first: a request reads, for each period, the first grain that holds its grouping.
GRAINS = (
    Grain(province_score_cells, "month", frozenset({"province", "service", "month"})),
    Grain(channel_score_cells, "month", _NATIONAL),
    Grain(daily_score_cells, "day", _NATIONAL),
    Grain(local_score_cells, "month", frozenset({*_CELL_KEYS, "month"})),
)
# Prebuilt per dialect, survey and grain (the key is _adding's arguments): completion is hot.
_STATEMENTS: dict[tuple[str, str, str, Measures, str, int], DialectInsert] = {}


def definition_of(measures: Measures) -> str:
    """What the cells' columns mean: the rollup is valid only under the same definition."""
    return json.dumps({"format": 1, "overall": measures.overall,
                       "satisfied_min": measures.satisfied_min,
                       "drivers": list(measures.drivers), "effort": measures.effort})


Reported = Mapping[str, Measures]  # the surveys whose figures are published, by key
TotalsRow = Sequence[Any]  # a cell's keys (as many as it is grouped by), then its TOTALS


def reported(surveys: Mapping[str, Survey]) -> dict[str, Measures]:
    """Each survey with a report section, with what its figures are made of."""
    return {key: measures_of(survey) for key, survey in surveys.items()
            if survey.report is not None}


def _response_keys(dialect: str, dimensions: frozenset[str], periods: dict[str, str]
                   ) -> dict[str, Expression]:
    """The cell keys of a response, by column name: ``periods`` names the period columns
    (a grain has one, "period") and which period each holds."""
    columns = dimension_columns(dialect)
    keys: dict[str, Expression] = {"survey_key": Response.survey_key}
    keys.update({name: period_of(dialect, period) for name, period in periods.items()})
    for dimension, key in _CELL_KEYS.items():
        if dimension in dimensions:
            keys[key] = func.coalesce(columns[dimension], literal(_NONE.get(key, "")))
    keys["flagged"] = Response.flagged_automated
    return keys


def _cell_source(dialect: str, grain: Grain, measures: Measures,
                 where: list[ColumnElement[bool]], sign: int = 1
                 ) -> tuple[Select[*Columns], list[str]]:
    """The grain's rows for the completed responses matching ``where``, and their keys."""
    keys = _response_keys(dialect, grain.dimensions, {"period": grain.period})
    return grouped_totals(measures, where, keys, sign), list(keys)


def _adding(dialect: str, grain: Grain, survey_key: str, measures: Measures, by: str,
            sign: int) -> DialectInsert:
    """INSERT ... SELECT ... ON CONFLICT DO UPDATE adding (or, sign -1, taking away) the
    sums of one response (``by`` "response") or of all a respondent's ("respondent")."""
    cache_key = (dialect, grain.table.name, survey_key, measures, by, sign)
    if cache_key not in _STATEMENTS:
        match = Response.id if by == "response" else Response.respondent_id
        where = [*conditions(Filters(survey_key=survey_key, include_flagged=True)),
                 match == bindparam("matching")]
        source, keys = _cell_source(dialect, grain, measures, where, sign)
        statement = dialect_insert(dialect, grain.table).from_select([*keys, *TOTALS], source)
        _STATEMENTS[cache_key] = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: grain.table.c[name] + statement.excluded[name] for name in TOTALS})
    return _STATEMENTS[cache_key]


async def count_completed(session: AsyncSession, surveys: Reported, survey_key: str,
                          response_id: int) -> None:
    """Add a response that has just completed to its cells (same transaction)."""
    measures = surveys.get(survey_key)
    if measures is None:
        return
    connection = await session.connection()
    for grain in GRAINS:
        statement = _adding(dialect_of(session), grain, survey_key, measures, "response", 1)
        await connection.execute(statement, {"matching": response_id})


async def uncount_respondent(session: AsyncSession, surveys: Reported,
                             respondent_id: int) -> None:
    """Take a respondent's completed responses out of their cells, before they are erased."""
    connection = await session.connection()
    for survey_key, measures in surveys.items():
        for grain in GRAINS:
            statement = _adding(dialect_of(session), grain, survey_key, measures,
                                "respondent", -1)
            await connection.execute(statement, {"matching": respondent_id})


async def is_current(session: AsyncSession, survey_key: str, measures: Measures) -> bool:
    built = await session.scalar(
        select(ScoreRollup.definition).where(ScoreRollup.survey_key == survey_key))
    return built == definition_of(measures)


async def ensure_rollup(session: AsyncSession, survey_key: str, measures: Measures) -> bool:
    """Rebuild a survey's cells if its report definition is not the one they were summed
    under (or it was never rolled up). Whether it was rebuilt."""
    if await is_current(session, survey_key, measures):
        return False
    await _lock_cells(session)
    # Workers started together: the one that waited for the lock finds it done.
    if await is_current(session, survey_key, measures):
        return False
    await rebuild(session, survey_key, measures)
    return True


async def _lock_cells(session: AsyncSession) -> None:
    """PostgreSQL: completions in other workers wait until rebuilt cells are committed, and
    a rebuild sees every completion committed before it: none is counted twice or lost.
    (SQLite has one writer at a time anyway.)"""
    if dialect_of(session) == "postgresql":
        tables = ", ".join(grain.table.name for grain in GRAINS)
        await session.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))


async def rebuild(session: AsyncSession, survey_key: str, measures: Measures) -> None:
    """Sum a survey's cells afresh from its answers, in the caller's transaction."""
    dialect = dialect_of(session)
    await _lock_cells(session)  # again is harmless: the lock is this transaction's already
    # Each response's answers are pivoted once, into a scratch table every grain sums from:
    # on ten million responses the pivot is most of the work.
    keys = _response_keys(dialect, GRAINS[-1].dimensions, {"day": "day", "month": "month"})
    scores = ["overall", *(f"d_{i}" for i in range(len(measures.drivers))), "effort"]
    scratch = Table("score_rebuild", MetaData(),
                    *(Column(name, CELL_KEY_TYPES.get(name, String(10))) for name in keys),
                    *(Column(name, Float) for name in scores), prefixes=["TEMPORARY"])
    await session.execute(CreateTable(scratch))
    rows = per_response_rows(measures, conditions(
        Filters(survey_key=survey_key, include_flagged=True)), keys)
    await session.execute(insert(scratch).from_select([*keys, *scores], rows))
    for grain in GRAINS:
        await session.execute(delete(grain.table).where(grain.table.c.survey_key == survey_key))
        grain_keys = {name: scratch.c[name] for name in grain.table.primary_key.columns.keys()
                      if name != "period"}
        grain_keys["period"] = scratch.c[grain.period]
        await session.execute(insert(grain.table).from_select(
            [*grain_keys, *TOTALS], totals_over(scratch, measures, grain_keys)))
    await session.execute(DropTable(scratch))
    definition = definition_of(measures)
    await session.execute(
        dialect_insert(dialect, ScoreRollup).values(
            survey_key=survey_key, definition=definition, built_at=utcnow()
        ).on_conflict_do_update(index_elements=["survey_key"],
                                set_={"definition": definition, "built_at": utcnow()}))


async def cell_totals(
    session: AsyncSession, measures: Measures, group_by: tuple[str, ...], filters: Filters, *,
    pairs: bool = False,
) -> dict[tuple[str | None, ...], CellTotals]:
    """The totals of each cell of ``group_by``, from the rollup wherever it can answer; with
    the drivers' correlation sums only when ``pairs`` is asked for."""
    filters = replace(
        filters, date_from=filters.date_from and in_utc(filters.date_from),
        date_to=filters.date_to and in_utc(filters.date_to))
    if await is_current(session, filters.survey_key, measures):
        # Coarsest periods first: whole months, then the whole days at either end, then
        # the answers of the hours left over.
        grains = [g for g in GRAINS if g.dimensions >= set(group_by)]
        grains = [next(g for g in grains if g.period == p)
                  for p in ("month", "day") if any(g.period == p for g in grains)]
    else:
        grains = []
    rows = await _rows(session, grains, measures, group_by, filters, pairs)
    return _merged(measures, rows, len(group_by), pairs)


async def _rows(session: AsyncSession, grains: list[Grain], measures: Measures,
                group_by: tuple[str, ...], filters: Filters, pairs: bool) -> list[TotalsRow]:
    """Totals rows for [date_from, date_to): the whole periods of the first grain from its
    cells, the rest from the next grains, what none holds from the answers."""
    span = whole_periods(filters.date_from, filters.date_to, grains[0].period) if grains else None
    if span is None:
        if grains:
            return await _rows(session, grains[1:], measures, group_by, filters, pairs)
        return await _raw_rows(session, measures, group_by, filters, pairs)
    first, end = span
    rows = await _rolled_up_rows(session, grains[0], group_by, filters, first, end, pairs)
    if first is not None and filters.date_from is not None and filters.date_from < first:
        rows += await _rows(session, grains[1:], measures, group_by,
                            replace(filters, date_to=first), pairs)
    if end is not None and filters.date_to is not None and end < filters.date_to:
        rows += await _rows(session, grains[1:], measures, group_by,
                            replace(filters, date_from=end), pairs)
    return rows


async def _raw_rows(session: AsyncSession, measures: Measures, group_by: tuple[str, ...],
                    filters: Filters, pairs: bool) -> list[TotalsRow]:
    columns = dimension_columns(dialect_of(session))
    query = grouped_totals(measures, conditions(filters), {d: columns[d] for d in group_by},
                           pairs=pairs)
    return list((await session.execute(query)).all())


async def _rolled_up_rows(session: AsyncSession, grain: Grain, group_by: tuple[str, ...],
                          filters: Filters, first: datetime | None, end: datetime | None,
                          pairs: bool) -> list[TotalsRow]:
    cells = grain.table.c
    keys = [grain.key(d) for d in group_by]
    where = selecting(filters, cells.survey_key, cells.flagged, cells.province, cells.service)
    period_format = PERIOD_FORMATS[grain.period][0]
    if first is not None:
        where.append(cells.period >= first.strftime(period_format))
    if end is not None:
        where.append(cells.period < end.strftime(period_format))
    sums = [literal(0) if name in PAIR_SUMS and not pairs else func.sum(cells[name])
            for name in TOTALS]
    query = (select(*keys, *sums)
             .where(*where).group_by(*keys))
    rows = (await session.execute(query)).all()
    width = len(group_by)
    return [(*(None if value in ("", 0) else value for value in row[:width]), *row[width:])
            for row in rows]


def _merged(measures: Measures, rows: list[TotalsRow], width: int, pairs: bool
            ) -> dict[tuple[str | None, ...], CellTotals]:
    """One CellTotals per key: a key can come from the cells and from the edges' answers."""
    cells: dict[tuple[str | None, ...], list[CellTotals]] = {}
    for row in rows:
        cells.setdefault(tuple(row[:width]), []).append(
            totals_of(measures, row[width:], pairs))
    merged = {key: parts[0] if len(parts) == 1 else merge_totals(parts)
              for key, parts in cells.items()}
    # A cell emptied by erasure stays as a row of zeros: it is no cell to publish.
    return {key: cell for key, cell in merged.items() if cell.n > 0}
