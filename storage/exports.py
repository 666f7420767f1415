"""Completed responses, one at a time, for exports: constant memory however many there are."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.cell_totals import Filters, conditions
from storage.models import Answer, Response

BATCH = 1000


@dataclass
class ExportedResponse:
    completed_at: datetime | None
    province: str | None
    district: str | None
    service: str | None
    channel: str | None
    flagged_automated: bool
    answers: dict[str, str]


# Shuffling by a permutation of the ids: multiplying by a key modulo a prime larger than
# any id is one-to-one, and id * key stays within 64 bits on both databases.
SHUFFLE_PRIME = 2_147_483_647


async def completed_responses(session: AsyncSession, filters: Filters,
                              shuffle: int | None = None) -> AsyncIterator[ExportedResponse]:
    """Stream responses with their answers without loading them all: in the order they came,
    or, with a ``shuffle`` key (1 to SHUFFLE_PRIME - 1), in an order that says nothing about
    it to whoever does not know the key."""
    order = Response.id if shuffle is None else (Response.id * shuffle) % SHUFFLE_PRIME
    query = (
        select(Response.id, Response.completed_at, Response.province, Response.district,
               Response.service, Response.channel, Response.flagged_automated,
               Answer.question_id, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .where(*conditions(filters))
        .order_by(order, Response.id)
        .execution_options(yield_per=BATCH)
    )
    current: ExportedResponse | None = None
    current_id = None
    # Core rows, a batch per await: ORM rows, one per await, were four times slower
    # (docs/benchmarks.md).
    connection = await session.connection()
    result = await connection.stream(query)
    async for rows in result.partitions():
        for row in rows:
            if row.id != current_id:
                if current is not None:
                    yield current
                current_id = row.id
                current = ExportedResponse(row.completed_at, row.province, row.district,
                                           row.service, row.channel,
                                           row.flagged_automated, {})
            current.answers[row.question_id] = row.value
    if current is not None:
        yield current


async def district_counts(session: AsyncSession, filters: Filters
                          ) -> dict[tuple[str | None, str | None], int]:
    """Completed responses per (province, district) among those the filters select."""
    query = (select(Response.province, Response.district, func.count())
             .where(*conditions(filters)).group_by(Response.province, Response.district))
    return {(p, d): n for p, d, n in await session.execute(query)}
