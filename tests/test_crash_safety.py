"""The bot as a separate process: kill -9 loses no acknowledged answer; SIGTERM drains."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from tests.conftest import TEST_SECRET, free_port
from tests.stored import answers_of, the_response
from tests.survey_steps import consent, tap


async def start_bot_process(telegram, database_url: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "IZDES_BOT_TOKEN": telegram.token, "IZDES_BOT_API_URL": telegram.root_url,
        "IZDES_DATABASE_URL": database_url, "IZDES_SECRET_KEY": TEST_SECRET,
        "IZDES_HTTP_PORT": str(free_port()), "IZDES_LOG_LEVEL": "WARNING",
    }
    polls_before = sum(1 for method, _ in telegram.calls if method == "getUpdates")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    for _ in range(300):
        if sum(1 for method, _ in telegram.calls if method == "getUpdates") > polls_before:
            return process
        if process.returncode is not None:
            raise AssertionError((await process.stderr.read()).decode())
        await asyncio.sleep(0.05)
    process.kill()
    raise AssertionError("the bot process did not start polling within 15 s")


STEPS = [("Trafik", "en son ne zaman aldınız?"),
         ("Son 7 gün içinde", "Hizmeti nasıl aldınız?"),
         ("Yüz yüze", "Hizmeti hangi ilde aldınız?")]


@pytest.mark.parametrize("answered", [1, 2, 3])
async def test_kill_9_loses_no_acknowledged_answer(telegram, db, answered):
    process = await start_bot_process(telegram, db.url)
    citizen = telegram.citizen(7000 + answered)
    try:
        await consent(citizen)
        for label, _ in STEPS[:answered]:
            await tap(citizen, label)  # acknowledged: the next question arrived
        process.kill()  # SIGKILL: no chance to clean up
        await process.wait()
        process = await start_bot_process(telegram, db.url)
        await citizen.send("/start")
        resumed = await citizen.next_message()
        assert STEPS[answered - 1][1] in resumed.text, citizen.transcript()
        answers = await answers_of(db, (await the_response(db)).id)
        assert len(answers) == 1 + answered  # and 18 or older
    finally:
        process.kill()
        await process.wait()


async def test_sigterm_finishes_the_update_in_flight_then_stops(telegram, db):
    process = await start_bot_process(telegram, db.url)
    citizen = telegram.citizen(7100)
    try:
        await consent(citizen)
        telegram.delay = 0.4  # every Bot API call now takes 0.4 s
        before = len(telegram.arrived)
        await citizen.press("Göç İdaresi")
        # The bot is showing its reply to the tap: the next question is on its way to
        # Telegram, not yet answered (each call takes 0.4 s).
        assert await telegram.changes.wait_for(
            lambda: "sendMessage" in telegram.arrived[before:], 10)
        signalled = len(telegram.calls)
        process.send_signal(signal.SIGTERM)
        following = await citizen.next_message(timeout=10)
        assert "en son ne zaman aldınız?" in following.text
        # The next question was still to be sent when the signal came: the update was in
        # flight, and the bot finished it before stopping.
        assert "sendMessage" in [method for method, _ in telegram.calls[signalled:]]
        assert await asyncio.wait_for(process.wait(), timeout=20) == 0
        answers = await answers_of(db, (await the_response(db)).id)
        assert answers == {"adult": "yes", "service": "goc"}
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
