"""The tests' snapshots (tests/snapshots.py) put back exactly what the build left, and the
database goes on from there as it would have: a test on a put-back release sees what it
would have seen on a fresh one."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from admin.tokens import create_token, parse_scope
from storage.models import AdminToken
from tests.conftest import TOKEN_KEY, emptied
from tests.findings_data import _release_month
from tests.snapshots import _rows, built_once
from tests.stored import insert_completed, last_month


async def test_what_is_put_back_is_what_the_build_left_and_ids_go_on_after_it(db):
    built = []

    async def build() -> list[str]:
        built.append(1)
        await _release_month(db)
        return ["released"]

    name = f"test_snapshots.{uuid.uuid4()}"  # this test's own, whatever ran before
    assert await built_once(db, name, build) == ["released"]
    left = await _rows(db)
    await insert_completed(db, "hizmet", [{"service": "nufus", "province": "34"}],
                           at=last_month(), prefix="after-build")
    after_build = await _rows(db)
    await emptied(db)

    assert await built_once(db, name, build) == ["released"]
    assert built == [1]  # put back, not built again
    assert await _rows(db) == left
    await insert_completed(db, "hizmet", [{"service": "nufus", "province": "34"}],
                           at=last_month(), prefix="after-build")
    assert _ids(await _rows(db)) == _ids(after_build)  # as after the build itself


def _ids(rows: dict[str, list[dict]]) -> dict[str, list]:
    return {table: [row.get("id") for row in listed] for table, listed in rows.items()}


async def test_a_token_the_build_made_is_there_beside_one_that_came_first(db):
    """A token the build made is put back beside another fixture's where its id is free;
    where that one has it, the build runs again: both tokens are there either way."""
    built = []

    async def build() -> None:
        built.append(1)
        await _release_month(db)
        await create_token(db, TOKEN_KEY, parse_scope("national"), "Demo")

    name = f"test_snapshots.{uuid.uuid4()}"
    await built_once(db, name, build)
    await emptied(db)
    await built_once(db, name, build)
    assert built == [1] and await _names(db) == ["Demo"]  # put back, token and all
    await emptied(db)
    await create_token(db, TOKEN_KEY, parse_scope("province:34"), "İstanbul Valiliği")
    await built_once(db, name, build)
    assert await _names(db) == ["Demo", "İstanbul Valiliği"]


async def _names(db) -> list[str]:
    async with db.transaction() as session:
        return sorted((await session.scalars(select(AdminToken.name))).all())


async def test_a_token_made_before_the_build_is_not_put_back_with_it(db):
    """The token another fixture made before the build is that fixture's, not the build's:
    a later test that makes none finds none."""
    name = f"test_snapshots.{uuid.uuid4()}"
    await create_token(db, TOKEN_KEY, parse_scope("province:34"), "İstanbul Valiliği")
    await built_once(db, name, lambda: _release_month(db))
    await emptied(db)
    await built_once(db, name, lambda: _release_month(db))
    assert await _names(db) == []
