"""Raw updates kept between their arrival and their handling (crash safety): the only
module that writes processed_events.

An update's life in the table: stored on arrival (store_incoming: its payload, sender and
order), claimed by the survey step that handles it, in the step's own transaction (claim),
forgotten with the rest of the person's data when they erase it (forget_sender),
or else closed once nothing took it (mark_handled); replayed while neither happened
(unhandled); quarantined when it cannot be parsed or handled (quarantine), so that nothing
behind it waits; and purged by retention (purge). The bot's side of the same life is
bot/intake.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, Update, bindparam, cast, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import ProcessedEvent, utcnow
from storage.statements import dialect_insert, dialect_of, rowcount


@dataclass(frozen=True)
class Incoming:
    event_id: str
    payload: dict[str, Any]
    respondent_key: str | None = None  # keyed hash of the sender, for per-person order
    sequence: int | None = None


_events = ProcessedEvent.__table__
# Built once per dialect: every polled batch or webhook update runs it (the ORM's bulk insert
# built and compiled a statement each time, more CPU than storing the batch).
_STORE = {dialect: dialect_insert(dialect, _events).on_conflict_do_nothing()
          .returning(_events.c.event_id) for dialect in ("postgresql", "sqlite")}
# Closing an update (claimed, closed, quarantined) keeps its id, which makes a redelivery a
# duplicate, and nothing else: neither what it said nor whose it was.
_CLOSED = {"payload": None, "respondent_key": None}
_CLAIM = (
    update(_events)
    .where(_events.c.event_id == bindparam("claimed"), _events.c.processed_at.is_(None))
    .values(processed_at=bindparam("now"), **_CLOSED)
)
_CLAIM_UNSTORED = {dialect: dialect_insert(dialect, _events).values(
    event_id=bindparam("claimed"), processed_at=bindparam("now")).on_conflict_do_nothing()
    for dialect in ("postgresql", "sqlite")}
# Whether a person has an earlier update stored and not yet handled: a one-row subquery for
# the survey step's first statement (storage.repository).
EARLIER_UNHANDLED = select(exists().where(
    _events.c.respondent_key == bindparam("key"), _events.c.sequence < bindparam("sequence"),
    _events.c.processed_at.is_(None),
).label("earlier")).subquery("probe")


async def store_incoming(connection: AsyncConnection, events: Sequence[Incoming]
                         ) -> list[str]:
    """Keep updates until handled; returns the ids that were new (duplicates are skipped).
    One statement for the whole batch: the caller may run it without a transaction
    (Database.connection(single_statement=True))."""
    if not events:
        return []
    now = utcnow()
    rows = [{"event_id": e.event_id, "payload": e.payload, "received_at": now,
             "respondent_key": e.respondent_key, "sequence": e.sequence} for e in events]
    result = await connection.execute(_STORE[dialect_of(connection)], rows)
    stored = set(result.scalars())
    return [e.event_id for e in events if e.event_id in stored]


async def unhandled(session: AsyncSession, older_than: timedelta | None = None
                    ) -> list[tuple[str, object]]:
    """Updates stored but not yet handled (the process stopped in between, or their step
    failed while the database did), oldest first: their event ids and payloads; UNREADABLE
    for a payload that is no JSON Python can read (nested too deep, say). Each is decoded
    here, one by one, so that one such row cannot stop the others from being read."""
    query = (
        select(ProcessedEvent.event_id, cast(ProcessedEvent.payload, Text))
        .where(ProcessedEvent.processed_at.is_(None), ProcessedEvent.payload.is_not(None))
        .order_by(ProcessedEvent.received_at, ProcessedEvent.sequence, ProcessedEvent.event_id)
    )
    if older_than is not None:
        query = query.where(ProcessedEvent.received_at < utcnow() - older_than)
    rows = await session.execute(query)
    return [(event_id, _decoded(text)) for event_id, text in rows]


UNREADABLE = object()


def _decoded(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return UNREADABLE


def _still_open(event_id: str) -> Update:
    """An update of this stored update while it is neither handled nor set aside."""
    return update(_events).where(_events.c.event_id == event_id,
                                 _events.c.processed_at.is_(None))


async def mark_handled(connection: AsyncConnection, event_id: str) -> None:
    """Close an update no survey step claimed (a group message, a bot): never replay it.
    One statement, like store_incoming."""
    await connection.execute(_still_open(event_id).values(processed_at=utcnow(), **_CLOSED))


async def failed_attempt(connection: AsyncConnection, event_id: str) -> int:
    """Count a failed attempt at handling an update still open; how many there have been (0
    for an update not stored, or closed meanwhile)."""
    counted = await connection.execute(
        _still_open(event_id).values(attempts=_events.c.attempts + 1)
        .returning(_events.c.attempts))
    return counted.scalar() or 0


async def quarantine(connection: AsyncConnection, event_id: str, reason: str) -> None:
    """Close an update that cannot be parsed or handled, with the reason (an error's kind,
    never its text, which may quote the sender): it is not replayed, and the same person's
    later updates do not wait for it. Like any closed update it keeps nothing of the person
    (the payload would hold their Telegram id, name and words)."""
    await connection.execute(_still_open(event_id).values(
        processed_at=utcnow(), quarantined=reason[:120], **_CLOSED))


async def forget_sender(connection: AsyncConnection, respondent_key: str) -> None:
    """Erasure (/sil): no handled update stays linked to the person. Closed updates keep
    nothing of anyone now; this unlinks those closed by earlier versions. Their ids stay,
    so that a redelivery of one (Telegram's answer lost, a batch polled again) is still a
    duplicate and does not start over what was erased. Updates not handled yet are the
    person's later input, handled as it comes."""
    await connection.execute(
        update(_events)
        .where(_events.c.respondent_key == respondent_key, _events.c.processed_at.is_not(None))
        .values(**_CLOSED))


async def claim(connection: AsyncConnection, event_id: str) -> bool:
    """In the survey step's transaction: the update is handled by this step. False when it
    was handled before (a redelivery, a replay). An update the intake did not store (the
    terminal's, a test's) is recorded as handled here."""
    now = utcnow()
    claimed = await connection.execute(_CLAIM, {"claimed": event_id, "now": now})
    if claimed.rowcount:
        return True
    inserted = await connection.execute(_CLAIM_UNSTORED[dialect_of(connection)],
                                        {"claimed": event_id, "now": now})
    return bool(inserted.rowcount)


async def purge(session: AsyncSession, received_before: datetime) -> int:
    """Retention: raw updates are kept a short while only."""
    deleted = await session.execute(delete(_events).where(_events.c.received_at
                                                           < received_before))
    return rowcount(deleted)
