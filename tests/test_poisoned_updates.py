"""Stored updates that cannot be handled: a malformed one never stops the bot or the updates
behind it, and a step that failed on the database is tried again once it answers."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select, text

import bot.runner
from storage import inbox
from storage.models import ProcessedEvent
from storage.retention import apply_retention
from tests.conftest import METRICS_TOKEN, RunningBot, bot_settings
from tests.stored import answers_of, store_updates, the_response, within
from tests.survey_steps import (
    answer_until_comment,
    answer_until_province,
    consent,
    read_notice,
    type_province,
)

POISON = {"update_id": 900010, "message": "garbage"}


async def stored_event(db, event_id: str) -> ProcessedEvent | None:
    async with db.transaction() as session:
        return await session.scalar(select(ProcessedEvent)
                                    .where(ProcessedEvent.event_id == event_id))


async def metrics_of(running: RunningBot) -> str:
    async with aiohttp.ClientSession() as http, http.get(
            f"{running.http_url}/metrics",
            headers={"Authorization": f"Bearer {METRICS_TOKEN}"}) as answer:
        return await answer.text()


def start_message(telegram, citizen) -> dict:
    citizen.wrote = True
    return {"update_id": telegram.next_update_id(), "message": {
        "message_id": citizen.new_message_id(), "date": int(time.time()),
        "chat": citizen.chat_json, "from": citizen.user_json, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def test_a_malformed_webhook_update_is_refused_and_never_stored(telegram, db):
    port = bot_settings(telegram, db.url).http_port
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    settings = bot_settings(telegram, db.url, http_port=port, webhook_url=url)
    running = RunningBot(settings, telegram)
    await running.start()
    try:
        headers = {"X-Telegram-Bot-Api-Secret-Token": settings.webhook_secret_token()}
        async with aiohttp.ClientSession() as http, http.post(
                url, json=POISON, headers=headers) as answer:
            assert answer.status == 400
        assert await stored_event(db, "tg:900010") is None
        # One PTB reads but our handling chokes on (an id that is a list): stored, then
        # quarantined with the error's kind, not closed as if handled.
        odd = start_message(telegram, telegram.citizen(3705))
        odd["message"]["from"]["id"] = [3705]
        async with aiohttp.ClientSession() as http, http.post(
                url, json=odd, headers=headers) as answer:
            assert answer.status == 200
        for _ in range(50):
            stored = await stored_event(db, f"tg:{odd['update_id']}")
            if stored is not None and stored.processed_at is not None:
                break
            await asyncio.sleep(0.05)
        assert stored.quarantined == "failed: TypeError"
        citizen = telegram.citizen(3701)
        await consent(citizen)  # and the bot goes on serving
    finally:
        await running.stop()


async def test_a_malformed_stored_update_is_quarantined_and_the_bot_starts(telegram, db):
    """One stored before this check existed (or by any other way): at the next start it is
    set aside with its reason, the update stored after it is handled, /metrics counts it,
    and retention deletes it like any raw update."""
    citizen = telegram.citizen(3702)
    good = start_message(telegram, citizen)
    await store_updates(db, [inbox.Incoming("tg:900010", POISON),
                             inbox.Incoming(f"tg:{good['update_id']}", good)])
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        assert "KVKK" in (await citizen.next_message()).text  # the one behind it is served
        poisoned = await stored_event(db, "tg:900010")
        assert poisoned.quarantined == "unparsable" and poisoned.processed_at is not None
        assert 'izdes_updates_quarantined_total{reason="unparsable"} 1.0' in (
            await metrics_of(running))
        await running.restart()  # nothing left to trip over
    finally:
        await running.stop()
    later = datetime.now(UTC) + timedelta(days=8)
    await within(db, apply_retention, now=later, keep=timedelta(days=730))
    assert await stored_event(db, "tg:900010") is None


async def test_a_stored_payload_python_cannot_read_is_quarantined_too(telegram, db):
    """JSON nested deeper than Python reads (PostgreSQL's json accepts 5,000 levels), or on
    SQLite no JSON at all: it must not stop the bot from starting."""
    nested = '{"update_id": 900020, "x": ' + "[" * 1500 + "]" * 1500 + "}"
    rows = [("tg:900020", nested)]
    if db.engine.dialect.name == "sqlite":
        rows.append(("tg:900021", "this is {not json"))
    async with db.transaction() as session:
        for event_id, payload in rows:
            await session.execute(text(
                "INSERT INTO processed_events (event_id, received_at, payload) "
                "VALUES (:id, :at, CAST(:payload AS json))"
                if db.engine.dialect.name == "postgresql" else
                "INSERT INTO processed_events (event_id, received_at, payload) "
                "VALUES (:id, :at, :payload)"),
                {"id": event_id, "at": datetime.now(UTC), "payload": payload})
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        citizen = telegram.citizen(3704)
        await citizen.send("/start")
        await citizen.next_message()  # served
        async with db.transaction() as session:
            reasons = set((await session.execute(
                select(ProcessedEvent.event_id, ProcessedEvent.quarantined))).all())
        assert reasons >= {(event_id, "unparsable") for event_id, _ in rows}
    finally:
        await running.stop()


# A switch on the answers table: while test_outage holds a row, writing an answer fails
# with a real database error (a trigger), on SQLite and PostgreSQL alike.
OUTAGE_ON = {
    "sqlite": ["CREATE TABLE test_outage (armed INTEGER)",
               """CREATE TRIGGER test_outage_answers BEFORE INSERT ON answers
                  WHEN EXISTS (SELECT 1 FROM test_outage)
                  BEGIN SELECT RAISE(ABORT, 'storage unavailable'); END"""],
    "postgresql": ["CREATE TABLE test_outage (armed INTEGER)",
                   """CREATE FUNCTION test_outage_fail() RETURNS trigger AS $$
                      BEGIN
                        IF EXISTS (SELECT 1 FROM test_outage) THEN
                          RAISE EXCEPTION 'storage unavailable';
                        END IF;
                        RETURN NEW;
                      END $$ LANGUAGE plpgsql""",
                   """CREATE TRIGGER test_outage_answers BEFORE INSERT ON answers
                      FOR EACH ROW EXECUTE FUNCTION test_outage_fail()"""],
}
OUTAGE_OFF = {
    "sqlite": ["DROP TRIGGER IF EXISTS test_outage_answers", "DROP TABLE IF EXISTS test_outage"],
    "postgresql": ["DROP TRIGGER IF EXISTS test_outage_answers ON answers",
                   "DROP FUNCTION IF EXISTS test_outage_fail()",
                   "DROP TABLE IF EXISTS test_outage"],
}


@pytest.fixture
async def outage_switch(db):
    """The switch installed, off; removed afterwards (the database outlives the test)."""
    await run_sql(db, *OUTAGE_ON[db.engine.dialect.name])
    yield
    await run_sql(db, *OUTAGE_OFF[db.engine.dialect.name])


async def agree_in_english(citizen) -> None:
    """/start, agree, 18 or older: the service question is next."""
    await citizen.send("/start")
    await read_notice(citizen)
    await citizen.press("✅ I agree")
    await citizen.next_message()
    await citizen.press("Yes")
    await citizen.next_message()


async def run_sql(db, *statements: str) -> None:
    async with db.transaction() as session:
        for statement in statements:
            await session.execute(text(statement))


async def test_a_step_that_failed_on_the_database_is_handled_once_it_is_back(
        telegram, db, monkeypatch, outage_switch):
    monkeypatch.setattr(bot.runner, "REPLAY_AFTER", 0.2)
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        citizen = telegram.citizen(3703, language_code="en")
        await agree_in_english(citizen)
        await run_sql(db, "INSERT INTO test_outage VALUES (1)")  # answers cannot be written
        await citizen.press("Traffic")
        assert "try again" in (await citizen.next_message()).text
        await run_sql(db, "DELETE FROM test_outage")  # the database is back
        following = await citizen.next_message(timeout=10)  # no second tap
        assert "When did you last use" in following.text, citizen.transcript()
        assert await answers_of(db, (await the_response(db)).id) == {"adult": "yes",
                                                                     "service": "trafik"}
    finally:
        await running.stop()



async def test_a_failed_write_does_not_put_the_citizens_words_in_the_log(telegram, db, caplog,
                                                                       outage_switch):
    """SQLAlchemy writes a failed statement's parameters into its error, which is logged."""
    caplog.set_level(logging.INFO)
    comment = "memur bey çok kabaydı ve beni bekletti"
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        citizen = telegram.citizen(3714)
        await answer_until_province(citizen)
        await type_province(citizen, "Van")
        await answer_until_comment(citizen)
        await run_sql(db, "INSERT INTO test_outage VALUES (1)")
        await citizen.send(comment)
        await citizen.next_message()  # the apology
    finally:
        await running.stop()
    logged = [record for record in caplog.records
              if comment in record.getMessage()
              or (record.exc_info and comment in str(record.exc_info[1]))]
    assert logged == []


async def test_a_step_that_keeps_failing_is_set_aside_after_a_few_tries_with_one_apology(
        telegram, db, outage_switch):
    """A write the database refuses every time (it answers, so it is not down): tried a few
    times, then quarantined, so the person's next taps do not wait on it; one apology."""
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        citizen = telegram.citizen(3706, language_code="en")
        await agree_in_english(citizen)
        await run_sql(db, "INSERT INTO test_outage VALUES (1)")
        tapped = await citizen.press("Traffic")
        for _ in range(150):
            stored = await stored_event(db, f"tg:{tapped}")
            if stored is not None and stored.quarantined:
                break
            await asyncio.sleep(0.1)
        assert stored.quarantined.startswith("failed: ") and stored.attempts == 3
        assert "try again" in (await citizen.next_message()).text
        apologies = [m for m in citizen.messages if "try again" in (m.text or "")]
        assert len(apologies) == 1, citizen.transcript()
        await run_sql(db, "DELETE FROM test_outage")
        await citizen.press("Traffic")  # the citizen taps again, and goes on at once
        assert "When did you last use" in (await citizen.next_message()).text
    finally:
        await running.stop()
