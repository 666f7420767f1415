"""A released month for the findings tests: last month's answers in four provinces, so that
some cells are published and some hidden."""

from __future__ import annotations

from tests.conftest import driver_answers
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish

PERIOD = last_month().strftime("%Y-%m")
# Released last month: İstanbul's traffic cell is hidden with Bursa's 3 (their sum would
# give Bursa away); the others are published.
DATA = {("34", "trafik"): 12, ("34", "nufus"): 12, ("06", "trafik"): 12, ("06", "nufus"): 12,
        ("35", "trafik"): 12, ("35", "nufus"): 12, ("16", "trafik"): 3}


async def release_month(db) -> None:
    """Last month's answers in four provinces, released (built once per test
    process, then put back: tests/snapshots.py)."""
    await built_once(db, "findings_data.release_month", lambda: _release_month(db))


async def _release_month(db) -> None:
    number = 0
    for (plate, service), count in DATA.items():
        answers = []
        for _ in range(count):
            number += 1
            answers.append({"service": service, "recency": "d7", "channel": "in_person",
                            "province": plate, "traffic_purpose": "fine", "appointment": "no",
                            "wait_time": "lt15", "overall": str(1 + number % 5),
                            **driver_answers(number), "effort": str(1 + number % 7)})
        await insert_completed(db, "hizmet", answers, at=last_month(),
                               prefix=f"{plate}-{service}")
    await publish(db)
