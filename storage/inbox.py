"""Raw updates kept between their arrival and their handling (crash safety)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from storage.database import Database
from storage.models import ProcessedEvent, utcnow
from storage.statements import dialect_insert, dialect_of


@dataclass(frozen=True)
class Incoming:
    event_id: str
    payload: dict
    respondent_key: str | None = None  # keyed hash of the sender, for per-person order
    sequence: int | None = None


_events = ProcessedEvent.__table__
# Built once per dialect: every polled batch or webhook update runs it (the ORM's bulk insert
# built and compiled a statement each time, more CPU than storing the batch).
_STORE = {dialect: dialect_insert(dialect, _events).on_conflict_do_nothing()
          .returning(_events.c.event_id) for dialect in ("postgresql", "sqlite")}


async def store_incoming(db: Database, events: Sequence[Incoming]) -> list[str]:
    """Keep updates until handled; returns the ids that were new (duplicates are skipped)."""
    if not events:
        return []
    now = utcnow()
    rows = [{"event_id": e.event_id, "payload": e.payload, "received_at": now,
             "respondent_key": e.respondent_key, "sequence": e.sequence} for e in events]
    # One statement for the whole batch (and on PostgreSQL no transaction around it).
    async with db.connection(single_statement=True) as connection:
        result = await connection.execute(_STORE[dialect_of(connection)], rows)
        stored = set(result.scalars())
    return [e.event_id for e in events if e.event_id in stored]


async def unhandled(db: Database, older_than: timedelta | None = None) -> list[dict]:
    """Payloads stored but not yet handled (the process stopped in between), oldest first."""
    query = (
        select(ProcessedEvent.payload)
        .where(ProcessedEvent.processed_at.is_(None), ProcessedEvent.payload.is_not(None))
        .order_by(ProcessedEvent.received_at, ProcessedEvent.event_id)
    )
    if older_than is not None:
        query = query.where(ProcessedEvent.received_at < utcnow() - older_than)
    async with db.transaction() as session:
        rows = await session.scalars(query)
        return [row for row in rows if row]


async def mark_handled(db: Database, event_id: str) -> None:
    """Close an update no survey step claimed (a group message, a bot): never replay it."""
    async with db.connection(single_statement=True) as connection:
        await connection.execute(
            update(_events)
            .where(_events.c.event_id == event_id, _events.c.processed_at.is_(None))
            .values(processed_at=utcnow(), payload=None)
        )
