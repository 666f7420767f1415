"""Data a fixture builds, built once per test process and database, and put back for each
later test that asks for it.

Releasing a month (inserting the answers, summing the cells, suppressing and auditing) takes
a second or more, and dozens of tests start from the same released months. The first test
builds them as before; the rows every table then holds are kept, and a later test on the same
database gets exactly those rows back, copied table by table, instead of building them again.
It is only done where the build's input is as it was the first time: every table empty (as
each test finds it) but those a build neither reads nor writes, where other fixtures may have
put something first (an admin's token, what a running bot keeps). IZDES_TEST_SNAPSHOTS=0
builds every time.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import Integer, Table, delete, func, insert, select, text

from storage.database import Database
from storage.models import Base, ScoreRollup

T = TypeVar("T")
# (database url, what was built) -> (what the build returned, each table's rows)
_built: dict[tuple[str, str], tuple[Any, dict[str, list[dict[str, Any]]]]] = {}
ENABLED = os.environ.get("IZDES_TEST_SNAPSHOTS") != "0"
# Tables no build reads or writes: tokens, the key's fingerprint, the inbox and the audit.
ASIDE = frozenset({"admin_tokens", "key_fingerprints", "processed_events", "audit_log"})


async def built_once(db: Database, name: str, build: Callable[[], Awaitable[T]]) -> T:
    """What ``build()`` returns, and the rows it leaves in ``db``; built on this process's
    first call for this database and ``name``, put back on the later ones."""
    if not ENABLED or not await _emptied(db):
        return await build()
    key = (db.url, name)
    if key in _built:
        value, rows = _built[key]
        await _put_back(db, rows)
        return copy.deepcopy(value)
    aside = await _counts(db, ASIDE)
    value = await build()
    if await _counts(db, ASIDE) != aside:
        raise AssertionError(f"{name} wrote to {sorted(ASIDE)}: it cannot be put back")
    _built[key] = (copy.deepcopy(value), await _rows(db))
    return value


def _tables() -> list[Table]:
    """The tables a build fills, in an order their references allow."""
    return [table for table in Base.metadata.sorted_tables if table.name not in ASIDE]


async def _counts(db: Database, names: frozenset[str]) -> list[int]:
    async with db.transaction() as session:
        return [await session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables if table.name in names]


async def _emptied(db: Database) -> bool:
    """Whether the database is as a test finds it: nothing in the tables a build fills but
    the rollups' register, which the tests' clean-up keeps."""
    async with db.transaction() as session:
        for table in _tables():
            if table is not ScoreRollup.__table__ and await session.scalar(
                    select(func.count()).select_from(table)):
                return False
    return True


async def _rows(db: Database) -> dict[str, list[dict[str, Any]]]:
    async with db.transaction() as session:
        return {table.name: [dict(row) for row in (await session.execute(
            select(table).order_by(*table.primary_key.columns))).mappings()]
            for table in _tables()}


async def _put_back(db: Database, rows: dict[str, list[dict[str, Any]]]) -> None:
    async with db.transaction() as session:
        await session.execute(delete(ScoreRollup.__table__))  # the build's register, as left
        for table in _tables():
            if rows[table.name]:
                await session.execute(insert(table), copy.deepcopy(rows[table.name]))
        if db.engine.dialect.name == "postgresql":
            for table in _tables():
                await _sequence_after_rows(session, table)


async def _sequence_after_rows(session, table: Table) -> None:
    """Rows put back with their ids: the table's sequence goes on after them, as it would
    have after the build."""
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and isinstance(columns[0].type, Integer):
        column = columns[0]  # a serial column's sequence; NULL (nothing done) for others
        await session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
            f"(SELECT COALESCE(MAX({column.name}), 0) + 1 FROM {table.name}), false)"))
