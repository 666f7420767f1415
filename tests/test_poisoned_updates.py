"""Stored updates that cannot be handled: a malformed one never stops the bot or the updates
behind it, and a step that failed on the database is tried again once it answers."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy import select, text

import bot.runner
from storage import inbox
from storage.models import ProcessedEvent
from storage.retention import apply_retention
from tests.conftest import METRICS_TOKEN, RunningBot, bot_settings
from tests.stored import answers_of, store_updates, the_response, within
from tests.survey_steps import consent

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


OUTAGE_TABLE = "CREATE TABLE test_outage (armed INTEGER)"
OUTAGE_TRIGGER = {
    "sqlite": ["""CREATE TRIGGER test_outage_answers BEFORE INSERT ON answers
                  WHEN EXISTS (SELECT 1 FROM test_outage)
                  BEGIN SELECT RAISE(ABORT, 'storage unavailable'); END"""],
    "postgresql": ["""CREATE FUNCTION test_outage_fail() RETURNS trigger AS $$
                      BEGIN
                        IF EXISTS (SELECT 1 FROM test_outage) THEN
                          RAISE EXCEPTION 'storage unavailable';
                        END IF;
                        RETURN NEW;
                      END $$ LANGUAGE plpgsql""",
                   """CREATE TRIGGER test_outage_answers BEFORE INSERT ON answers
                      FOR EACH ROW EXECUTE FUNCTION test_outage_fail()"""],
}


async def run_sql(db, *statements: str) -> None:
    async with db.transaction() as session:
        for statement in statements:
            await session.execute(text(statement))


async def test_a_step_that_failed_on_the_database_is_handled_once_it_is_back(
        telegram, db, monkeypatch):
    monkeypatch.setattr(bot.runner, "REPLAY_AFTER", 0.2)
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        await run_sql(db, OUTAGE_TABLE, *OUTAGE_TRIGGER[db.engine.dialect.name])
        citizen = telegram.citizen(3703, language_code="en")
        await citizen.send("/start")
        await citizen.next_message()
        await citizen.press("✅ I agree")
        await citizen.next_message()
        await citizen.press("Yes")  # 18 or older
        await citizen.next_message()
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

