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
    in_district: int = 0  # responses the filters select in its province and district


# Shuffling by a permutation of the ids: multiplying by a key modulo a prime larger than
# any id is one-to-one, and id * key stays within 64 bits on both databases.
SHUFFLE_PRIME = 2_147_483_647


async def completed_responses(session: AsyncSession, filters: Filters,
                              shuffle: int | None = None) -> AsyncIterator[ExportedResponse]:
    """Stream responses with their answers without loading them all: in the order they came,
    or, with a ``shuffle`` key (1 to SHUFFLE_PRIME - 1), in an order that says nothing about
    it to whoever does not know the key."""
    # Each response's district count comes from the same statement as the response, so that
    # a district told as "fewer than min_cell" cannot disagree with the rows sent (an erasure
    # between two statements could make it 9 rows under a count of 10).
    selected = (
        select(Response.id, Response.completed_at, Response.province, Response.district,
               Response.service, Response.channel, Response.flagged_automated,
               func.count().over(partition_by=(Response.province, Response.district))
               .label("in_district"))
        .where(*conditions(filters)).subquery()
    )
    order = selected.c.id if shuffle is None else (selected.c.id * shuffle) % SHUFFLE_PRIME
    query = (
        select(selected, Answer.question_id, Answer.value)
        .join(Answer, Answer.response_id == selected.c.id)
        .order_by(order, selected.c.id)
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
                                           row.flagged_automated, {}, row.in_district)
            assert current is not None  # made above, at the response's first row
            current.answers[row.question_id] = row.value
    if current is not None:
        yield current
