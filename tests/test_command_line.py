"""What an operator sees of `izdes` itself: a mistake or an outage told in one line with a
non-zero exit (no traceback)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from tests.cli import run_izdes
from tests.conftest import free_port
from tests.telegram_double import FakeTelegram

WRONG_TOKEN = "999999:not-the-bot-token"


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'izdes.db'}"


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed command printed, after checking it failed."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# Without a Bot API token these need the network: `links create` asks Telegram its username.
TELEGRAM_COMMANDS = [("run",), ("links", "create", "--province", "34")]


@pytest.mark.parametrize("command", TELEGRAM_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_no_network_is_told_in_one_line(tmp_path, command):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_izdes(sqlite_url(tmp_path), *command, bot_token=WRONG_TOKEN,
                       bot_api_url=closed, http_port=str(free_port()), log_level="WARNING")
    assert one_line(result) == (f"izdes: cannot reach the Bot API at {closed}: check the "
                                "network or IZDES_BOT_API_URL")


@pytest.mark.parametrize("command", TELEGRAM_COMMANDS, ids=lambda c: " ".join(c[:2]))
async def test_a_refused_token_is_told_in_one_line_without_the_token(tmp_path, command):
    async with FakeTelegram() as telegram:  # its token is another one
        result = await asyncio.to_thread(
            run_izdes, sqlite_url(tmp_path), *command, bot_token=WRONG_TOKEN,
            bot_api_url=telegram.root_url, http_port=str(free_port()), log_level="WARNING")
    assert one_line(result) == "izdes: the Bot API refused the token: check IZDES_BOT_TOKEN"
    assert "not-the-bot-token" not in result.stderr


@pytest.mark.parametrize("command", [("run",), ("report",)])
def test_an_unreachable_database_is_told_in_one_line_without_the_password(command):
    port = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://izdes:hunter2@127.0.0.1:{port}/izdes"
    result = run_izdes(url, *command, bot_token=WRONG_TOKEN, http_port=str(free_port()),
                       log_level="WARNING")
    line = one_line(result)
    assert line.startswith(f"izdes: cannot reach the database at "
                           f"postgresql+asyncpg://izdes:***@127.0.0.1:{port}/izdes ("), line
    assert line.endswith("): check the network or IZDES_DATABASE_URL"), line
    assert "hunter2" not in result.stderr


def test_a_sqlite_file_that_cannot_be_opened_is_told_in_one_line(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'no such folder' / 'izdes.db'}"
    assert one_line(run_izdes(url, "report")) == (
        f"izdes: cannot reach the database at {url} (unable to open database file): check "
        "the network or IZDES_DATABASE_URL")


@pytest.mark.parametrize(("setting", "value", "says"), [
    ("http_port", "eighty", "IZDES_HTTP_PORT: Input should be a valid integer"),
    ("session_ttl", "soon", "IZDES_SESSION_TTL: Input should be a valid timedelta"),
    ("database_url", "the-database", "IZDES_DATABASE_URL: not a database URL"),
    ("secret_key", "s3cr3t", "IZDES_SECRET_KEY: at least 16 characters"),
])
def test_an_invalid_setting_is_told_in_one_line(tmp_path, setting, value, says):
    settings = {setting: value}
    url = settings.pop("database_url", sqlite_url(tmp_path))
    result = run_izdes(url, "report", **settings)
    assert one_line(result).startswith(f"izdes: invalid setting {says}")
    assert result.returncode == 2
    assert value not in result.stderr  # a value may be a secret: never shown


def test_a_report_of_an_unknown_survey_is_told_in_one_line(tmp_path):
    result = run_izdes(sqlite_url(tmp_path), "report", "--survey", "nope")
    assert one_line(result) == "izdes: no survey with a report is called 'nope'"
