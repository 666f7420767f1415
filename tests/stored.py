"""What the database holds, read back the way the tests need it."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Answer, Response
from storage.repository import open_survey_store
from storage.rollups import reported


async def within(db, read_or_write, *args, **kwargs):
    """Call a storage function in a transaction of its own, as the admin side does (the
    caller owns the transaction)."""
    async with db.transaction() as session:
        return await read_or_write(session, *args, **kwargs)


async def store_updates(db, events) -> list[str]:
    """Store raw updates the way the intake does."""
    from storage import inbox

    async with db.connection(single_statement=True) as connection:
        return await inbox.store_incoming(connection, events)


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


async def insert_completed(db, survey_key: str, responses: list[dict[str, str]],
                           link=None, prefix: str = "generated", at=None) -> None:
    """Completed responses written through the storage layer in one transaction: fast test
    data for reports (the engine-driven path is tested elsewhere). They complete ``at``
    (default now), under respondents named from ``prefix``."""
    from datetime import UTC, datetime, timedelta

    from conversations.survey import builtin_surveys
    from storage.repository import DIMENSIONS

    survey = builtin_surveys()[survey_key]
    now = at or datetime.now(UTC)
    async with open_survey_store(db, reported(builtin_surveys())) as store:
        for number, answers in enumerate(responses):
            respondent = await store.create_respondent(f"{prefix}-{number}", "tr", "1")
            session = await store.start_session(respondent.id, survey.key, survey.version,
                                                now - timedelta(minutes=5), link)
            for question in survey.path(answers):
                value = answers.get(question.id)
                if value is None:
                    continue
                choice = question.choice(value)
                await store.save_answer(session.id, question.id, value,
                                        choice.score if choice else None, now)
                if question.dimension in DIMENSIONS:
                    session.dimensions[question.dimension] = value
            session.status, session.step = "completed", None
            await store.save_session(session, now)


def last_month(day: int = 10):
    """A moment in the month before this one (UTC): a period that has ended."""
    from datetime import UTC, datetime, timedelta

    first = datetime.now(UTC).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return (first - timedelta(days=1)).replace(day=day)


async def publish(db, min_cell: int = 10, now=None) -> list[str]:
    """Release every period that has ended by ``now`` (default: now; a later moment closes
    the current month too), as the bot does hourly."""
    from datetime import UTC, datetime

    from admin.publish import Publication, publish_due
    from conversations.survey import builtin_surveys

    return await publish_due(db, builtin_surveys(), Publication(min_cell),
                             now or datetime.now(UTC))


def next_month():
    """A moment in the month after this one: publishing then releases this month."""
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC).replace(day=28) + timedelta(days=10)
