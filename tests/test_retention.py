"""Retention: linkable data older than IZDES_RETENTION_DAYS goes; the statistics stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from conversations.engine import SurveyEngine
from conversations.survey import builtin_surveys
from storage import inbox
from storage.models import ProcessedEvent, Respondent, Response
from storage.repository import survey_stores
from storage.retention import apply_retention
from tests.cli import izdes
from tests.stored import count, store_updates, within
from tests.test_engine_sessions import complete_112, stepping_clock


async def age(db, model, column, days: int) -> None:
    async with db.transaction() as session:
        await session.execute(update(model).values(
            {column: datetime.now(UTC) - timedelta(days=days)}))


async def test_old_responses_are_unlinked_and_old_respondents_deleted(db):
    engine = SurveyEngine(survey_stores(db, builtin_surveys()), clock=stepping_clock(4))
    await complete_112(engine, "old timer")
    await age(db, Response, "started_at", 800)
    await age(db, Respondent, "created_at", 800)
    before = json.loads(izdes(db.url, "report", "--format", "json"))["rows"]

    result = await within(db, apply_retention, now=datetime.now(UTC), keep=timedelta(days=730))

    assert (result.responses_anonymised, result.respondents_deleted) == (1, 1)
    assert await count(db, Respondent) == 0
    async with db.transaction() as session:
        response = await session.scalar(select(Response))
    assert response.respondent_id is None and response.status == "completed"
    # Aggregates do not change: the answers are still counted, just linked to no one.
    assert json.loads(izdes(db.url, "report", "--format", "json"))["rows"] == before


async def test_recent_data_is_kept(db):
    engine = SurveyEngine(survey_stores(db, builtin_surveys()), clock=stepping_clock(4))
    await complete_112(engine, "recent")
    result = await within(db, apply_retention, now=datetime.now(UTC), keep=timedelta(days=730))
    assert result == type(result)(0, 0, 0)
    assert await count(db, Respondent) == 1


async def test_raw_updates_are_deleted_within_seven_days(db):
    await store_updates(db, [inbox.Incoming("tg:1", {"update_id": 1})])
    await store_updates(db, [inbox.Incoming("tg:2", {"update_id": 2})])
    async with db.transaction() as session:
        await session.execute(update(ProcessedEvent).where(ProcessedEvent.event_id == "tg:1")
                              .values(received_at=datetime.now(UTC) - timedelta(days=8)))
    result = await within(db, apply_retention, now=datetime.now(UTC), keep=timedelta(days=730))
    assert result.raw_updates_deleted == 1
    async with db.transaction() as session:
        assert list(await session.scalars(select(ProcessedEvent.event_id))) == ["tg:2"]


def test_izdes_db_purge_reports_what_it_did(db):
    output = izdes(db.url, "db", "purge")
    assert "anonymised responses: 0" in output
