"""Releasing periods: when a period has ended, its cells are summed, hidden together
(stats.release, stats.disclosure) and stored; from then on every output reads them.

Run at start and hourly by the bot, and by `izdes stats publish`. Several workers may try
the same period at once: the first to store it wins, the others find it done.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from conversations.survey import Survey
from stats import periods
from stats.disclosure import published
from stats.release import (
    PLACE_DEPTHS,
    Atom,
    OneUnitCells,
    ReleasedCell,
    cells_of_atoms,
    dominated_cells,
    release,
)
from stats.survey_statistics import CellTotals
from storage import releases
from storage.cell_totals import Filters, measures_of
from storage.database import Database
from storage.links import units_of_links
from storage.rollups import cell_totals

log = logging.getLogger(__name__)

ATOM_DIMENSIONS = ("province", "district", "link", "service")
TEN_YEARS = {"month": 120, "quarter": 40, "year": 10}


@dataclass(frozen=True)
class Publication:
    """How figures are published: the smallest cell shown, and the kind of period; the
    staff's smallest cell (IZDES_STAFF_MIN_CELL) for surveys whose report asks for it."""

    min_cell: int
    kind: str = "month"
    staff_min_cell: int = 5

    def of(self, survey: Survey) -> Publication:
        """How this survey's figures are published: its report may fix its own kind of
        period and take the staff's smallest cell (conversations.survey.ReportSpec)."""
        report = survey.report
        if report is None:
            return self
        min_cell = self.staff_min_cell if report.min_cell == "staff" else self.min_cell
        return dataclasses.replace(self, min_cell=min_cell, kind=report.period or self.kind)

    def kind_of(self, surveys: Mapping[str, Survey], survey_key: str) -> str:
        """The kind of period the survey of this key is published by (a finding names its
        survey by key); the deployment's for a survey no longer loaded."""
        survey = surveys.get(survey_key)
        return self.of(survey).kind if survey else self.kind


def reach_shown(surveys: Mapping[str, Survey], survey_key: str | None) -> bool:
    """Whether a link's reach may be shown (Survey.link_reach_shown); a link without a
    survey, or with one no longer known, starts the default survey."""
    survey = surveys.get(survey_key) if survey_key else None
    return survey is None or survey.link_reach_shown


def finest_depth(survey: Survey) -> int:
    """The deepest place (stats.release.PLACE_DEPTHS) a survey's figures are published at:
    a survey of a unit's staff stops at the province, where a link would be one unit."""
    return PLACE_DEPTHS[survey.report.finest_place if survey.report else "link"]


async def publish_due(db: Database, surveys: Mapping[str, Survey], publication: Publication,
                      now: datetime, offload: bool = False, workers: int = 1,
                      told: Callable[[str], None] = lambda _: None) -> list[str]:
    """Release every period that has ended and is not released yet; returns them as
    "survey period", and tells each as it is stored. With ``offload`` (the running bot) the
    hiding is worked out in another process: on sparse data it takes seconds of CPU, which
    would stop the bot's event loop. ``workers`` processes hide that many periods at once
    (`izdes demo`: a year of months released together, each a minute of CPU when sparse)."""
    due = await _due(db, surveys, publication, now)
    if not due:
        return []
    if not offload and workers == 1:
        return [done for survey, period in due if (done := await _publish(
            db, survey, period, publication.of(survey).min_cell, None, told))]
    # spawn, not fork: the bot has threads (the database driver's, the resolver's).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        made = await asyncio.gather(*(_publish(db, survey, period,
                                               publication.of(survey).min_cell, pool, told)
                                      for survey, period in due))
    return [done for done in made if done]


async def _due(db: Database, surveys: Mapping[str, Survey], publication: Publication,
               now: datetime) -> list[tuple[Survey, str]]:
    """The periods of each reported survey (of the kind it is published by) that have ended
    and are not released, in order."""
    due = []
    for key, survey in surveys.items():
        if survey.report is None:
            continue
        kind = publication.of(survey).kind
        async with db.transaction() as session:
            first = await releases.first_completion(session, key)
            released = await releases.released_periods(session, key)
        if first is not None:
            due += [(survey, period) for period in periods.due(periods.month_of(first), now, kind)
                    if period not in released]
    return due


async def _publish(db: Database, survey: Survey, period: str, min_cell: int,
                   pool: Executor | None, told: Callable[[str], None]) -> str | None:
    """Release one period: "survey period", or None when another worker stored it first."""
    cells = await _release_of(db, survey, period, min_cell, pool)
    try:
        async with db.transaction() as session:
            await releases.store_release(session, survey.key, period, min_cell,
                                         [_row(cell) for cell in cells])
    except IntegrityError:
        log.info("release %s %s: made by another worker", survey.key, period)
        return None
    told(done := f"{survey.key} {period}")
    return done


def filters_of(survey: Survey, period: str) -> Filters:
    """The completed, unflagged responses of a survey in a period."""
    return Filters(survey_key=survey.key, date_from=periods.start_of(period),
                   date_to=periods.end_of(period))


async def _release_of(db: Database, survey: Survey, period: str, min_cell: int,
                      pool: Executor | None) -> list[ReleasedCell]:
    deepest = finest_depth(survey)
    largest_unit = survey.report.largest_unit_share if survey.report else None
    # Below the finest place nothing is released, so its dimensions are not even summed;
    # the link is, where the cells one unit dominates are hidden.
    dimensions = ATOM_DIMENSIONS if deepest > PLACE_DEPTHS["province"] else (
        "province", "link", "service") if largest_unit else ("province", "service")
    async with db.transaction() as session:
        totals = await cell_totals(session, measures_of(survey), dimensions,
                                   filters_of(survey, period), pairs=True)
        units = await units_of_links(session, survey.key) if largest_unit else {}
    atoms = [_atom(dict(zip(dimensions, key, strict=True)), cell)
             for key, cell in totals.items()]
    cells = cells_of_atoms(period, atoms, deepest)
    one_unit = dominated_cells(period, atoms, deepest, largest_unit,
                               lambda link: units.get(link, link)) if largest_unit else (
        OneUnitCells())
    if pool is None:
        return release(cells, min_cell, one_unit)
    return await asyncio.get_running_loop().run_in_executor(pool, release, cells, min_cell,
                                                            one_unit)


def _atom(keys: dict[str, str | None], totals: CellTotals) -> Atom:
    link = keys.get("link")
    return Atom(keys["province"], keys.get("district"), int(link) if link else None,
                keys["service"], totals)


async def latest_period(db: Database, survey: Survey, publication: Publication,
                        asked: str | None = None) -> str | None:
    """The period asked for (checked to be of the kind the survey is published by;
    BadPeriod otherwise), or the latest released one; None when none is."""
    publication = publication.of(survey)
    if asked:
        return periods.parse(asked, publication.kind)
    # The last ten years' periods (120 quarters went back before 2000, which no period is).
    recent = periods.latest(datetime.now(UTC), publication.kind, TEN_YEARS[publication.kind])
    async with db.transaction() as session:
        return await releases.latest_release(session, survey.key, recent)


def _row(cell: ReleasedCell) -> releases.CellRow:
    """A cell as stored: a hidden cell keeps its count only, not the sums of its answers (a
    cell of one would keep that person's scores, with place and month, for good); a visible
    one keeps no sums of a driver or the effort it does not show (a few people's answers)."""
    period, place, service = cell.key
    if cell.hidden:
        totals: dict = {"n": cell.totals.n}
    else:
        shown = cell.figures["drivers"]
        totals = dataclasses.asdict(dataclasses.replace(
            cell.totals,
            drivers={d: v for d, v in cell.totals.drivers.items() if shown.get(d) is not None},
            pairs={d: v for d, v in cell.totals.pairs.items() if shown.get(d) is not None}))
        if cell.figures["effort"] is None:
            totals["effort_n"], totals["effort_sum"] = 0, 0.0
    return releases.CellRow(
        period=period, place="/".join(place), service=service, depth=len(place),
        province=place[1] if len(place) >= 2 else "", listed=published(cell.key),
        hidden=cell.hidden, totals=totals, figures=cell.figures)

