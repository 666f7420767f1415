"""What the database holds, read back the way the tests need it."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Answer, Response


async def count(db, model) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def the_response(db) -> Response:
    async with db.transaction() as session:
        return await session.scalar(select(Response))


async def completed_responses(db) -> list[Response]:
    async with db.transaction() as session:
        return list(await session.scalars(select(Response).where(Response.status == "completed")))


async def answers_of(db, response_id: int) -> dict[str, str]:
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.question_id, Answer.value).where(Answer.response_id == response_id))
        return {qid: value for qid, value in rows}
