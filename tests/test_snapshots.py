"""The tests' snapshots (tests/snapshots.py) put back exactly what the build left, and the
database goes on from there as it would have: a test on a put-back release sees what it
would have seen on a fresh one."""

from __future__ import annotations

from sqlalchemy import delete

from storage.models import Base, ScoreRollup
from tests.findings_data import _release_month
from tests.snapshots import _rows, built_once
from tests.stored import insert_completed, last_month


async def _emptied(db) -> None:
    """As the db fixture leaves it after a test."""
    async with db.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table is not ScoreRollup.__table__:
                await session.execute(delete(table))


async def test_what_is_put_back_is_what_the_build_left_and_ids_go_on_after_it(db):
    built = []

    async def build() -> list[str]:
        built.append(1)
        await _release_month(db)
        return ["released"]

    name = f"test_snapshots.{id(db)}"  # this test's own, whatever ran before in the process
    assert await built_once(db, name, build) == ["released"]
    left = await _rows(db)
    await insert_completed(db, "hizmet", [{"service": "nufus", "province": "34"}],
                           at=last_month(), prefix="after-build")
    after_build = await _rows(db)
    await _emptied(db)

    assert await built_once(db, name, build) == ["released"]
    assert built == [1]  # put back, not built again
    assert await _rows(db) == left
    await insert_completed(db, "hizmet", [{"service": "nufus", "province": "34"}],
                           at=last_month(), prefix="after-build")
    assert _ids(await _rows(db)) == _ids(after_build)  # as after the build itself


def _ids(rows: dict[str, list[dict]]) -> dict[str, list]:
    return {table: [row.get("id") for row in listed] for table, listed in rows.items()}
