"""Three released months around a finding's action (before, the action's, after), for the
re-evaluation tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import driver_answers
from tests.snapshots import built_once
from tests.stored import insert_completed, publish


def month_ago(count: int) -> datetime:
    """Noon on the 10th of the month ``count`` months before this one (UTC)."""
    moment = datetime.now(UTC).replace(day=10, hour=12, minute=0, second=0, microsecond=0)
    for _ in range(count):
        moment = (moment.replace(day=1) - timedelta(days=1)).replace(day=10)
    return moment


BEFORE, ACTION, AFTER = (month_ago(3), month_ago(2), month_ago(1))
MONTH = {when: when.strftime("%Y-%m") for when in (BEFORE, ACTION, AFTER)}
# (plate, service) -> (answers, how many satisfied) in each month. After the action İstanbul's
# registry worsens, Ankara's improves, İzmir's is too small to tell; Bursa's traffic cell has
# 3 answers after it and is hidden (with Adana's, which protects it).
CELLS = {
    BEFORE: {("34", "nufus"): (40, 36), ("06", "nufus"): (40, 8), ("35", "nufus"): (12, 6),
             ("34", "trafik"): (12, 6), ("06", "trafik"): (12, 6), ("35", "trafik"): (12, 6),
             ("16", "trafik"): (12, 6)},
    ACTION: {("34", "nufus"): (12, 6), ("06", "nufus"): (12, 6), ("35", "nufus"): (12, 6)},
    AFTER: {("34", "nufus"): (40, 8), ("06", "nufus"): (40, 36), ("35", "nufus"): (12, 7),
            ("34", "trafik"): (12, 6), ("06", "trafik"): (12, 6), ("35", "trafik"): (12, 6),
            ("16", "trafik"): (3, 1), ("01", "trafik"): (10, 5)},
}


async def release_months(db) -> None:
    """The three months' answers, released (built once per test process, then put
    back: tests/snapshots.py)."""
    await built_once(db, "reevaluation_data.release_months", lambda: _release_months(db))


async def _release_months(db) -> None:
    number = 0
    for when, cells in CELLS.items():
        for (plate, service), (count, satisfied) in cells.items():
            answers = []
            for index in range(count):
                number += 1
                answers.append({
                    "service": service, "recency": "d7", "channel": "in_person",
                    "province": plate, "traffic_purpose": "fine", "appointment": "no",
                    "wait_time": "lt15", "overall": "5" if index < satisfied else "2",
                    **driver_answers(number), "effort": str(1 + number % 7)})
            await insert_completed(db, "hizmet", answers, at=when,
                                   prefix=f"{MONTH[when]}-{plate}-{service}")
    await publish(db)
