"""SQL building blocks shared by the repositories: dialect-aware upserts, UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast, overload

from sqlalchemy import CursorResult, Result, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import Base

Values = dict[str, Any] | list[dict[str, Any]]  # one row, or several in one statement
Target = type[Base] | Table  # a mapped class, or a table
DialectInsert = postgresql.Insert | sqlite.Insert  # both know ON CONFLICT
Columns = tuple[Any, ...]  # a row's values, as in Result[*Columns]: any number, any type


def dialect_of(bound: AsyncSession | AsyncConnection) -> str:
    """The SQL dialect ("postgresql" or "sqlite") of a session or a connection."""
    if isinstance(bound, AsyncConnection):
        return bound.dialect.name
    return bound.bind.dialect.name if bound.bind else "postgresql"


def dialect_insert(dialect: str, model: Target) -> DialectInsert:
    """INSERT in the given dialect: both PostgreSQL's and SQLite's know ON CONFLICT."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def _dialect_insert(session: AsyncSession, model: Target, values: Values) -> DialectInsert:
    return dialect_insert(dialect_of(session), model).values(values)


def insert_ignoring_duplicates(session: AsyncSession, model: Target, values: Values
                               ) -> DialectInsert:
    """INSERT ... ON CONFLICT DO NOTHING."""
    return _dialect_insert(session, model, values).on_conflict_do_nothing()


def upsert(session: AsyncSession, model: Target, values: dict[str, Any], keys: list[str],
           updates: dict[str, Any]) -> DialectInsert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET updates."""
    return _dialect_insert(session, model, values).on_conflict_do_update(
        index_elements=keys, set_=updates)


def rowcount(result: Result[*Columns]) -> int:
    """How many rows an INSERT, UPDATE or DELETE run by a session touched. The session's
    execute() is typed as returning a Result; for these statements it is a CursorResult,
    which alone has the count."""
    return cast(CursorResult[*Columns], result).rowcount


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
@overload
def as_utc(moment: datetime | None) -> datetime | None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
