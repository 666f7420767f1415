"""A throwaway PostgreSQL database per benchmark run, dropped afterwards."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("IZDES_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
_numbers = itertools.count(1)


@asynccontextmanager
async def throwaway_database() -> AsyncIterator[str]:
    """Yields the SQLAlchemy URL (postgresql+asyncpg) of a new, empty database."""
    name = f"izdes_bench_{os.getpid()}_{next(_numbers)}"
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(ADMIN_URL).set(drivername="postgresql+asyncpg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def plain_url(sqlalchemy_url: str) -> str:
    """The same database as an asyncpg DSN."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


async def count_rows(sqlalchemy_url: str, table: str) -> int:
    connection = await asyncpg.connect(plain_url(sqlalchemy_url))
    try:
        return await connection.fetchval(f"SELECT count(*) FROM {table}")
    finally:
        await connection.close()


async def transactions(sqlalchemy_url: str) -> int:
    """Transactions ended in this database so far (PostgreSQL's statistics lag up to ~1 s)."""
    name = make_url(sqlalchemy_url).database
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        return await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", name)
    finally:
        await connection.close()
