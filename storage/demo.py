"""The demo's rows (`izdes demo`, admin/demo): what in a database was not made by it, clearing
what it made before, and writing its rows in bulk.

The demo marks what it makes: responses and links with ``demo``, respondents with a key that
starts with "demo-", which no real one does (a real key is an HMAC in hex).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    delete,
    exists,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import (
    Answer,
    Finding,
    FindingEvent,
    FindingProposal,
    Link,
    LinkWeek,
    Release,
    ReleasedCell,
    ReportDelivery,
    Respondent,
    Response,
)

KEY_PREFIX = "demo-"
CHUNK = 5_000  # rows a call: a month of answers is not handed to the driver at once


def _is_demo_respondent() -> ColumnElement[bool]:
    return Respondent.key_hash.startswith(KEY_PREFIX)


async def not_demo(connection: AsyncConnection) -> str | None:
    """What in the database the demo did not make, in a few words (None if nothing): a
    response or respondent of someone, or figures released from such responses since
    erased. Reads a database of any schema revision, so that one is refused before it is
    migrated."""
    tables = await connection.run_sync(_columns_by_table)
    if "responses" in tables:
        responses = select(Response.id)
        if "demo" in tables["responses"]:
            responses = responses.where(Response.demo.is_(False))
        if await connection.scalar(select(exists(responses))):
            return "responses not made by izdes demo"
    if "respondents" in tables and await connection.scalar(
            select(exists(select(Respondent.id).where(~_is_demo_respondent())))):
        return "respondents not made by izdes demo"
    if "releases" in tables and "responses" in tables and await connection.scalar(
            select(exists(select(Release.period)))) and not await connection.scalar(
            select(exists(select(Response.id)))):
        return "released figures not made by izdes demo"
    return None


def _columns_by_table(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {name: {column["name"] for column in inspector.get_columns(name)}
            for name in inspector.get_table_names()}


async def clear_demo(session: AsyncSession) -> None:
    """Delete what an earlier run made, and the periods released from it and the findings
    made of them (not_demo found nothing else, so every release was made from the demo's
    responses, and every finding's evidence is demo figures)."""
    for table in (FindingEvent, FindingProposal, Finding, ReportDelivery):
        await session.execute(delete(table))
    demo_responses = select(Response.id).where(Response.demo.is_(True))
    await session.execute(delete(Answer).where(Answer.response_id.in_(demo_responses)))
    await session.execute(delete(Response).where(Response.demo.is_(True)))
    demo_links = select(Link.id).where(Link.demo.is_(True))
    await session.execute(delete(LinkWeek).where(LinkWeek.link_id.in_(demo_links)))
    await session.execute(delete(Link).where(Link.demo.is_(True)))
    await session.execute(delete(Respondent).where(_is_demo_respondent()))
    await session.execute(delete(ReleasedCell))
    await session.execute(delete(Release))


async def add_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]],
                   numbered: bool = True) -> list[int]:
    """Insert rows (each with the same keys), in chunks of one statement each; ``numbered``:
    with new ids, returned in order. Reserved beforehand rather than returned by the
    insert: SQLite returns ids in the order of the rows only one row a statement."""
    connection = await session.connection()
    ids = await _reserve_ids(connection, table, len(rows)) if numbered else []
    if numbered:
        rows = [{**row, "id": new} for row, new in zip(rows, ids, strict=True)]
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(table), list(rows[start:start + CHUNK]))
    return ids


async def _reserve_ids(connection: AsyncConnection, table: Table, count: int) -> list[int]:
    if connection.dialect.name == "postgresql":
        return list(await connection.scalars(
            select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
            .select_from(func.generate_series(1, count))))
    # SQLite: the transaction holds the database's write lock (BEGIN IMMEDIATE).
    highest = (await connection.execute(
        select(func.coalesce(func.max(table.c.id), 0)))).scalar_one()  # an aggregate: one row
    return list(range(highest + 1, highest + 1 + count))
