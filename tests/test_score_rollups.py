"""Scores come from the rollup (sums per month and cell, kept as responses complete) and must
be exactly what the answers give: for every grouping, date range and flag filter, after
erasures, and after a rebuild from the answers."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from conversations.engine import SurveyEngine
from conversations.messages import Command, Inbound, Press
from conversations.pseudonym import Pseudonymizer
from conversations.survey import builtin_surveys
from storage.cell_totals import Filters, measures_of
from storage.database import Database
from storage.models import (
    ScoreRollup,
    channel_score_cells,
    daily_score_cells,
    local_score_cells,
    province_score_cells,
)
from storage.repository import survey_stores
from storage.rollups import cell_totals, ensure_rollup
from tests.conftest import TEST_SECRET
from tests.snapshots import built_once
from tests.stored import within
from tests.test_report import DRIVERS, take_survey

MEASURES = measures_of(builtin_surveys()["hizmet"])
PLACES = [("06", "Çankaya"), ("34", "Kadıköy"), ("34", None), ("35", "Bornova")]


class Clock:
    """The engine's clock: each input a few seconds after the last, from a chosen moment."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.step = timedelta(seconds=5)

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


async def answer_over_four_months(db) -> tuple[SurveyEngine, Clock, Pseudonymizer]:
    """36 responses from January to April 2026 (UTC), in three provinces, two services, with
    and without a district, in person and online; three answered too fast (flagged). The
    engine and its clock as the last answer left them (answered once per test process, then
    put back: tests/snapshots.py)."""
    clock = Clock()
    engine = SurveyEngine(survey_stores(db, builtin_surveys()), clock=clock)
    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    clock.now, clock.step = await built_once(
        db, "test_score_rollups.answer_over_four_months",
        lambda: _answer_over_four_months(engine, clock, pseudonyms))
    return engine, clock, pseudonyms


async def _answer_over_four_months(engine: SurveyEngine, clock: Clock,
                                   pseudonyms: Pseudonymizer) -> tuple[datetime, timedelta]:
    rng = random.Random(11)
    for number in range(36):
        # Some complete in the last hours of a month or the first of the next.
        clock.now = (datetime(2026, 1, 2, tzinfo=UTC) + timedelta(days=3.3 * number)
                     - timedelta(minutes=3))
        clock.step = timedelta(seconds=0.1 if number % 12 == 5 else 5)
        plate, district = PLACES[number % len(PLACES)]
        answers = {"service": rng.choice(["trafik", "nufus"]), "recency": "d7",
                   "channel": rng.choice(["in_person", "online"]), "traffic_purpose": "fine",
                   "nufus_purpose": "id_card", "appointment": "no", "wait_time": "lt15",
                   "province": plate,
                   "overall": str(rng.randint(1, 5)),
                   **{d: rng.choice(["1", "2", "3", "4", "5", "na"]) for d in DRIVERS},
                   "effort": str(rng.randint(1, 7))}
        if district:
            answers["district"] = district
        await take_survey(engine, pseudonyms.key_for("rollup", number), answers)
    return clock.now, clock.step


GROUPINGS = [("province", "service"), ("month",), ("district",), ("channel", "service"),
             ("province", "month"), ()]
RANGES = [
    (None, None),
    (datetime(2026, 2, 1), datetime(2026, 4, 1)),              # whole months
    (datetime(2026, 1, 15, 12), datetime(2026, 3, 20)),        # months and edges
    (datetime(2026, 2, 3), datetime(2026, 2, 20)),             # inside one month
    (datetime(2026, 3, 1, 1, 30, tzinfo=UTC), None),           # open-ended
    (None, datetime(2026, 2, 1, 3, tzinfo=UTC)),
]


async def every_view(db) -> dict:
    views = {}
    for group_by in GROUPINGS:
        for date_from, date_to in RANGES:
            for flagged in (False, True):
                filters = Filters("hizmet", date_from=date_from, date_to=date_to,
                                  include_flagged=flagged)
                # The drivers' correlation sums are read only when asked for.
                views[group_by, date_from, date_to, flagged] = await within(
                    db, cell_totals, MEASURES, group_by, filters, pairs=flagged)
    views["province 34"] = await within(
        db, cell_totals, MEASURES, ("service",), Filters("hizmet", province="34", service="trafik"))
    return views


async def cells(db) -> list[tuple]:
    """Every non-empty cell of both grains."""
    found = []
    async with db.transaction() as session:
        for table in (province_score_cells, channel_score_cells, daily_score_cells,
                      local_score_cells):
            rows = await session.execute(select(table).where(table.c.n != 0)
                                         .order_by(*table.primary_key.columns))
            found += [(table.name, *row) for row in rows]
    return found


async def mark_rollup_stale(db) -> None:
    """As if the cells had been summed under another report definition (drivers renamed)."""
    async with db.transaction() as session:
        await session.execute(update(ScoreRollup).where(ScoreRollup.survey_key == "hizmet")
                              .values(definition='{"format": 1, "drivers": ["old"]}'))


async def test_scores_from_the_rollup_are_exactly_those_of_the_answers(db):
    await answer_over_four_months(db)
    from_rollup = await every_view(db)
    assert sum(t.n for t in from_rollup[(), None, None, True].values()) == 36
    assert sum(t.n for t in from_rollup[(), None, None, False].values()) == 33
    assert set(from_rollup[("month",), None, None, True]) == {
        ("2026-01",), ("2026-02",), ("2026-03",), ("2026-04",)}
    summed_as_completed = await cells(db)

    await mark_rollup_stale(db)  # the scores now read the answers themselves
    assert await every_view(db) == from_rollup

    assert await within(db, ensure_rollup, "hizmet", MEASURES)
    assert await cells(db) == summed_as_completed  # rebuilt from the answers: the same sums
    assert await every_view(db) == from_rollup
    assert not await within(db, ensure_rollup, "hizmet", MEASURES)


async def test_erasing_a_respondent_takes_their_answers_out_of_the_scores(db):
    engine, _, pseudonyms = await answer_over_four_months(db)
    before = await within(db, cell_totals, MEASURES, ("province",), Filters("hizmet"))

    who = pseudonyms.key_for("rollup", 1)  # answered in İstanbul, Kadıköy
    reply = await engine.handle(Inbound(who, Command("erase")))
    yes = reply.actions[-1].keyboard[0][0].data
    await engine.handle(Inbound(who, Press(yes), message_ref="1"))

    after = await within(db, cell_totals, MEASURES, ("province",), Filters("hizmet"))
    assert after[("34",)].n == before[("34",)].n - 1
    assert after[("06",)] == before[("06",)]
    await mark_rollup_stale(db)
    assert await within(db, cell_totals, MEASURES, ("province",), Filters("hizmet")) == after


async def test_a_response_counts_in_the_scores_the_moment_it_completes(db):
    engine, clock, pseudonyms = await answer_over_four_months(db)
    april = Filters("hizmet", date_from=datetime(2026, 4, 1), date_to=datetime(2026, 5, 1))
    before = await within(db, cell_totals, MEASURES, ("province",), april)

    clock.now, clock.step = datetime(2026, 4, 29, 12, tzinfo=UTC), timedelta(seconds=5)
    answers = {"service": "nufus", "recency": "d7", "channel": "online",
               "nufus_purpose": "address", "appointment": "no", "province": "35",
               "overall": "2", **{d: "3" for d in DRIVERS}, "effort": "4"}
    await take_survey(engine, pseudonyms.key_for("rollup", "late"), answers)

    after = await within(db, cell_totals, MEASURES, ("province",), april)
    assert after[("35",)].n == before.get(("35",), replace(after[("35",)], n=0)).n + 1
    assert after[("35",)].overall_sum - (before[("35",)].overall_sum
                                         if ("35",) in before else 0) == 2


async def test_workers_starting_together_rebuild_once(db):
    await answer_over_four_months(db)
    summed_as_completed = await cells(db)
    await mark_rollup_stale(db)
    other = Database(db.url)  # a second worker, with its own connections
    try:
        first, second = await asyncio.gather(within(db, ensure_rollup, "hizmet", MEASURES),
                                             within(other, ensure_rollup, "hizmet", MEASURES))
    finally:
        await other.close()
    assert sorted([first, second]) == [False, True]
    assert await cells(db) == summed_as_completed
