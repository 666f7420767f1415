"""Data a fixture builds, built once per test run and database backend, and put back for
each later test that asks for it.

Releasing a month (inserting the answers, summing the cells, suppressing and auditing) takes
a second or more, and dozens of tests start from the same released months. The first test
builds them as before; the rows every table then holds are kept (in memory, and in a file
the run's other test processes read), and a later test gets exactly those rows back, copied
table by table, instead of building them again.

It is only done where the build's input is as it was the first time: every table empty (as
each test finds it) but those a build neither reads nor needs empty, where other fixtures may
have put something first (an admin's token, what a running bot keeps). A build may fill one
of those too (the demo makes a token) if it was empty: its rows are put back beside what is
there, unless a key of theirs already holds something else (then it is built again).
IZDES_TEST_SNAPSHOTS=0 builds every time.
"""

from __future__ import annotations

import copy
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Integer, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.models import Base, ScoreRollup

T = TypeVar("T")
Rows = dict[str, list[dict[str, Any]]]
ENABLED = os.environ.get("IZDES_TEST_SNAPSHOTS") != "0"
# Tables no build reads: tokens, the key's fingerprint, the inbox and the audit.
ASIDE = frozenset({"admin_tokens", "key_fingerprints", "processed_events", "audit_log"})
# The rollups' register (which definition the score cells were summed under) is left as the
# test finds it, as the tests' clean-up leaves it: the cells put back are right for the
# answers put back whatever it says, and a stale one must not travel to other processes.
REGISTER = ScoreRollup.__tablename__
# What a test may find in a table before the build: anything else means another input.
MAY_HOLD = ASIDE | {REGISTER}
# (backend, what was built) -> (what the build returned, the rows of the tables it filled)
_built: dict[tuple[str, str], tuple[Any, Rows]] = {}
# Shared by the processes of one pytest-xdist run; None without xdist.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID")
_FOLDER = Path(tempfile.gettempdir()) / f"izdes-snapshots-{_RUN}" if _RUN else None


async def built_once(db: Database, name: str, build: Callable[[], Awaitable[T]]) -> T:
    """What ``build()`` returns, and the rows it leaves in ``db``: built the first time in
    this run for this backend and ``name``, put back after."""
    if not ENABLED:
        return await build()
    counts = await _counts(db)
    if any(counts[table] for table in counts if table not in MAY_HOLD):
        return await build()
    key = (db.engine.dialect.name, name)
    found = _built.get(key) or _read(key)
    if found is not None:
        _built[key] = found
        rows = await _beside(db, found[1], counts)
        if rows is not None:
            await _put_back(db, rows)
            return copy.deepcopy(found[0])
    value = await build()
    after = await _counts(db)
    if any(after[table] != counts[table] for table in ASIDE if counts[table]):
        return value  # it added to what another fixture put there: not to be put back
    filled = {table for table in after if table not in MAY_HOLD
              or (table in ASIDE and after[table] and not counts[table])}
    _built[key] = (copy.deepcopy(value), await _rows(db, filled))
    _write(key, _built[key])
    return value


async def _beside(db: Database, rows: Rows, counts: dict[str, int]) -> Rows | None:
    """The rows to put back beside what other fixtures put in the tables set aside: the
    build's rows that are not there already; None where one of its rows' keys holds
    something else (a token of another fixture where the build made its own)."""
    there = await _rows(db, {table for table in rows if table in ASIDE and counts[table]})
    wanted = dict(rows)
    for table, present in there.items():
        keys = [column.name for column in Base.metadata.tables[table].primary_key.columns]
        held = {tuple(row[k] for k in keys): row for row in present}
        wanted[table] = []
        for row in rows[table]:
            same = held.get(tuple(row[k] for k in keys))
            if same is None:
                wanted[table].append(row)
            elif same != row:
                return None
    return wanted


def _tables() -> list[Table]:
    """Every table, in an order their references allow."""
    return list(Base.metadata.sorted_tables)


async def _counts(db: Database) -> dict[str, int]:
    async with db.transaction() as session:
        return {table.name: await session.scalar(select(func.count()).select_from(table)) or 0
                for table in _tables()}


async def _rows(db: Database, names: set[str] | None = None) -> Rows:
    """Each table's rows (those named), in the order of their keys."""
    async with db.transaction() as session:
        return {table.name: [dict(row) for row in (await session.execute(
            select(table).order_by(*table.primary_key.columns))).mappings()]
            for table in _tables() if names is None or table.name in names}


async def _put_back(db: Database, rows: Rows) -> None:
    async with db.transaction() as session:
        for table in _tables():
            if rows.get(table.name):
                await session.execute(insert(table), copy.deepcopy(rows[table.name]))
                if db.engine.dialect.name == "postgresql":
                    await _sequence_after_rows(session, table)


async def _sequence_after_rows(session: AsyncSession, table: Table) -> None:
    """Rows put back with their ids: the table's sequence goes on after them, as it would
    have after the build."""
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and isinstance(columns[0].type, Integer):
        column = columns[0]  # a serial column's sequence; NULL (nothing done) for others
        await session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
            f"(SELECT COALESCE(MAX({column.name}), 0) + 1 FROM {table.name}), false)"))


def _path(key: tuple[str, str]) -> Path | None:
    return _FOLDER / f"{key[0]}-{key[1]}.pickle" if _FOLDER else None


def _read(key: tuple[str, str]) -> tuple[Any, Rows] | None:
    path = _path(key)
    if path is None or not path.exists():
        return None
    return pickle.loads(path.read_bytes())  # written by this run's own processes


def _write(key: tuple[str, str], built: tuple[Any, Rows]) -> None:
    path = _path(key)
    if path is not None:
        if not path.parent.exists():
            _forget_earlier_runs()
        path.parent.mkdir(exist_ok=True)
        unfinished = path.with_suffix(f".{os.getpid()}")
        unfinished.write_bytes(pickle.dumps(built))
        unfinished.replace(path)  # whole, or not there: another process may be reading


def _forget_earlier_runs() -> None:
    """Earlier runs' snapshots (a day old: a run takes minutes), which nothing reads again."""
    for folder in Path(tempfile.gettempdir()).glob("izdes-snapshots-*"):
        if time.time() - folder.stat().st_mtime > 86_400:
            shutil.rmtree(folder, ignore_errors=True)
