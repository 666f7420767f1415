"""What operators watch: health, readiness, metrics, structured logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from storage.database import Database
from storage.migrate import is_current
from tests.conftest import (
    METRICS_TOKEN,
    RunningBot,
    bot_settings,
    free_port,
    new_postgres_database,
)
from tests.survey_steps import answer_after_province, answer_until_province, type_province

ROOT = Path(__file__).resolve().parent.parent


async def fetch(url: str, token: str | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as answer:
        return answer.status, await answer.text()


async def test_readiness_checks_the_database_and_migrations(bot):
    status, body = await fetch(f"{bot.http_url}/readyz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "migrations": "current"}


async def test_metrics_are_served_only_to_the_scraper_and_name_no_service(bot, telegram, db):
    assert (await fetch(f"{bot.http_url}/metrics"))[0] == 401
    assert (await fetch(f"{bot.http_url}/metrics", "wrong"))[0] == 401
    citizen = telegram.citizen(9001)
    await answer_until_province(citizen)
    await type_province(citizen, "Tokat")
    await answer_after_province(citizen)
    # A step is counted once its reply is shown, edits and all: the closing message may
    # arrive a moment before.
    for _ in range(50):
        status, text = await fetch(f"{bot.http_url}/metrics", METRICS_TOKEN)
        if 'izdes_surveys_total{event="completed"' in text:
            break
        await asyncio.sleep(0.1)
    assert status == 200
    # A live count per service would tell which service the person answering now used.
    assert "trafik" not in text and "service=" not in text
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines()
                 if line and not line.startswith("#"))
    assert float(lines["izdes_updates_received_total"]) == 19  # every tap and text, once
    assert float(lines['izdes_surveys_total{event="started",survey="hizmet"}']) == 1
    assert float(lines['izdes_surveys_total{event="completed",survey="hizmet"}']) == 1
    assert float(lines['izdes_replies_sent_total{kind="send"}']) >= 19
    assert float(lines["izdes_step_seconds_count"]) >= 18
    assert "izdes_telegram_429_total 0.0" in text
    assert "izdes_database_errors_total" in text
    unset = RunningBot(bot_settings(telegram, db.url, metrics_token=None), telegram)
    await unset.start()
    try:
        assert (await fetch(f"{unset.http_url}/metrics", METRICS_TOKEN))[0] == 404
    finally:
        await unset.stop()


async def test_429_answers_are_counted(bot, telegram):
    telegram.fail_next("sendMessage", error_code=429, retry_after=1)
    citizen = telegram.citizen(9002)
    await citizen.send("/start")
    await citizen.next_message()
    _, text = await fetch(f"{bot.http_url}/metrics", METRICS_TOKEN)
    assert "izdes_telegram_429_total 1.0" in text


async def test_the_images_health_check_asks_readyz_where_the_bot_listens(bot):
    """docker/healthcheck.py, the image's HEALTHCHECK: it follows IZDES_HTTP_PORT."""
    def check(port: int) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "IZDES_HTTP_HOST": "0.0.0.0", "IZDES_HTTP_PORT": str(port)}
        return subprocess.run([sys.executable, str(ROOT / "docker" / "healthcheck.py")],
                              env=env, capture_output=True, text=True, timeout=30)

    assert (await asyncio.to_thread(check, bot.settings.http_port)).returncode == 0
    elsewhere = await asyncio.to_thread(check, free_port())  # nothing listens there
    assert elsewhere.returncode == 1 and elsewhere.stderr.startswith("not ready: ")


async def test_requests_are_logged_only_when_asked(telegram, db, caplog):
    """One line per request would be one per webhook update (gigabytes a day at a few hundred
    a second): off unless IZDES_ACCESS_LOG is set."""
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    for asked in (False, True):
        caplog.clear()
        running = RunningBot(bot_settings(telegram, db.url, access_log=asked), telegram)
        await running.start()
        try:
            assert (await fetch(f"{running.http_url}/healthz"))[0] == 200
        finally:
            await running.stop()
        logged = [r for r in caplog.records if r.name == "aiohttp.access"]
        assert len(logged) == (1 if asked else 0), logged


def test_logs_are_json_lines_when_not_on_a_terminal(tmp_path):
    probe = ("import logging; from bot.logs import configure_logging; configure_logging('INFO');"
             "logging.getLogger('bot.probe').info('update %s handled', 42)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=os.getcwd(), check=True)
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "update 42 handled" and record["level"] == "INFO"
    assert record["logger"] == "bot.probe" and "time" in record


@contextlib.asynccontextmanager
async def _new_database(dialect: str, tmp_path) -> AsyncIterator[str]:
    if dialect == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
        return
    async with new_postgres_database("izdes_new") as url:
        yield url


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_processes_starting_together_on_a_new_database_all_come_up(dialect, tmp_path):
    """Several workers started at once on an empty database (three `izdes db upgrade`
    processes): one migrates, the others wait and find nothing left to do; none fails on a
    table another one just created."""
    async with _new_database(dialect, tmp_path) as url:
        env = {**os.environ, "IZDES_DATABASE_URL": url}
        workers = [await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "upgrade", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            for _ in range(3)]
        outputs = [(await worker.communicate())[0].decode() for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0, 0], outputs
        db = Database(url)
        try:
            assert await is_current(db.engine)
        finally:
            await db.close()


def test_the_generated_key_is_kept_apart_from_the_database(tmp_path, monkeypatch):
    """With the key, a Telegram id is found from its stored code by trying them all (400,000
    a second): a copy of the database's folder must not carry the key with it."""
    from bot.settings import Settings

    data, config = tmp_path / "data", tmp_path / "config"
    data.mkdir()
    monkeypatch.chdir(data)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("IZDES_SECRET_KEY", raising=False)
    (data / "izdes.secret").write_text("a key generated by an earlier version\n")

    key = Settings(_env_file=None).secret_key_bytes()
    assert key == b"a key generated by an earlier version"  # kept, not lost
    assert list(data.iterdir()) == []  # moved out of the database's folder
    kept = config / "izdes" / "secret"
    assert Settings(_env_file=None).secret_key_bytes() == key

    kept.unlink()
    fresh = Settings(_env_file=None).secret_key_bytes()
    assert len(fresh) >= 32 and kept.stat().st_mode & 0o077 == 0
    assert list(data.iterdir()) == []


def test_a_second_database_with_its_own_old_key_is_not_given_the_first_ones(tmp_path,
                                                                           monkeypatch):
    from bot.settings import Settings

    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("IZDES_SECRET_KEY", raising=False)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "izdes.secret").write_text(f"the key of {name}, made long enough")
    monkeypatch.chdir(tmp_path / "a")
    assert Settings(_env_file=None).secret_key_bytes() == b"the key of a, made long enough"
    monkeypatch.chdir(tmp_path / "b")
    with pytest.raises(SystemExit, match="two secret keys"):
        Settings(_env_file=None).secret_key_bytes()
    assert (tmp_path / "b" / "izdes.secret").exists()  # b's key untouched
