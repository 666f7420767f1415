"""PostgreSQL unreachable for a while: no crash, a polite note, nothing acknowledged lost,
and the bot recovers by itself."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import RunningBot, bot_settings
from tests.stored import answers_of, the_response
from tests.survey_steps import read_notice, tap
from tests.tcp_proxy import TcpProxy

OUTAGE = 5.0  # seconds; the mechanism is the same for 30


@pytest.fixture
async def proxied_bot(telegram, db):
    url = make_url(db.url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("an embedded SQLite database cannot become unreachable")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    through_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
    running = RunningBot(bot_settings(telegram, through_proxy), telegram)
    await running.start()
    yield running, proxy
    await running.stop()
    await proxy.cut()


async def test_the_bot_survives_a_database_outage_and_catches_up(proxied_bot, telegram, db):
    bot, proxy = proxied_bot
    citizen = telegram.citizen(8001, language_code="en")
    await citizen.send("/start")
    await read_notice(citizen)
    await tap(citizen, "✅ I agree")
    await tap(citizen, "Yes")  # 18 or older
    await tap(citizen, "Traffic")  # acknowledged before the outage

    await proxy.cut()
    await citizen.press("In the last 7 days")
    sorry = await citizen.next_message(timeout=15)
    assert "Please try again in a moment" in sorry.text
    await asyncio.sleep(OUTAGE)
    assert not bot.task.done(), "the bot must not crash"

    await proxy.restore()
    following = await citizen.next_message(timeout=20)  # handled once the database is back
    assert "How did you use the service?" in following.text
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers == {"adult": "yes", "service": "trafik", "recency": "d7"}
    await tap(citizen, "By phone")  # and the survey goes on


async def test_a_database_restart_while_idle_goes_unnoticed(proxied_bot, telegram, db):
    _, proxy = proxied_bot
    citizen = telegram.citizen(8002, language_code="en")
    await citizen.send("/start")
    await read_notice(citizen)
    await tap(citizen, "✅ I agree")
    await tap(citizen, "Yes")  # 18 or older
    await tap(citizen, "Traffic")

    await proxy.cut()  # every pooled connection dies, as in a restart of PostgreSQL...
    await proxy.restore()  # ...which is back before the citizen's next tap
    following = await tap(citizen, "In the last 7 days")
    assert "How did you use the service?" in following.text
    assert (await citizen.next_edit()).text.endswith("✅ In the last 7 days")
    await citizen.expect_silence(0.5)  # and no apology
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers == {"adult": "yes", "service": "trafik", "recency": "d7"}
