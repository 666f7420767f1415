"""SQL building blocks shared by the repositories: dialect-aware upserts, UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Values = dict | list[dict]  # one row, or several in one statement


def dialect_of(bound: AsyncSession | AsyncConnection) -> str:
    """The SQL dialect ("postgresql" or "sqlite") of a session or a connection."""
    if isinstance(bound, AsyncConnection):
        return bound.dialect.name
    return bound.bind.dialect.name if bound.bind else "postgresql"


def dialect_insert(dialect: str, model: type):
    """INSERT in the given dialect: both PostgreSQL's and SQLite's know ON CONFLICT."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def _dialect_insert(session: AsyncSession, model: type, values: Values):
    return dialect_insert(dialect_of(session), model).values(values)


def insert_ignoring_duplicates(session: AsyncSession, model: type, values: Values):
    """INSERT ... ON CONFLICT DO NOTHING."""
    return _dialect_insert(session, model, values).on_conflict_do_nothing()


def upsert(session: AsyncSession, model: type, values: dict, keys: list[str], updates: dict):
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET updates."""
    return _dialect_insert(session, model, values).on_conflict_do_update(
        index_elements=keys, set_=updates)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
