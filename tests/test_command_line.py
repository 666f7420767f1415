"""What an operator sees of `izdes` itself: a mistake or an outage told in one line with a
non-zero exit (no traceback), where `izdes run` listens, and `izdes chat` ending on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.settings import Settings
from tests.cli import izdes, run_izdes
from tests.conftest import TEST_SECRET, free_port, new_postgres_database
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
    # In a cell of two staff each would read the other's answers off the figures.
    ("staff_min_cell", "2", "IZDES_STAFF_MIN_CELL: Input should be greater than or equal to 3"),
    # base64's + / = : Telegram refuses them in setWebhook, so they are refused at start
    ("webhook_secret", "a+b/c=", "IZDES_WEBHOOK_SECRET: must be 1 to 256 characters of A-Z"),
])
def test_an_invalid_setting_is_told_in_one_line(tmp_path, setting, value, says):
    settings = {setting: value}
    url = settings.pop("database_url", sqlite_url(tmp_path))
    result = run_izdes(url, "report", **settings)
    assert one_line(result).startswith(f"izdes: invalid setting {says}")
    assert result.returncode == 2
    assert value not in result.stderr  # a value may be a secret: never shown


def test_secrets_can_come_from_files(tmp_path):
    """Docker secrets: IZDES_<NAME>_FILE holds the secret itself, its line end aside, checked
    as the variable is; a mistake is told in one line that shows no secret."""
    url = sqlite_url(tmp_path)
    izdes(url, "links", "list")  # the database knows TEST_SECRET, given as a variable
    key_file = tmp_path / "secret_key"
    key_file.write_text(TEST_SECRET + "\n")
    izdes(url, "links", "list", secret_key="", secret_key_file=str(key_file))  # the same key

    both = run_izdes(url, "links", "list", secret_key_file=str(key_file))
    assert one_line(both) == ("izdes: invalid setting IZDES_SECRET_KEY and "
                              "IZDES_SECRET_KEY_FILE are both set: set one")
    missing = tmp_path / "no such secret"
    result = run_izdes(url, "links", "list", secret_key="", secret_key_file=str(missing))
    assert one_line(result) == (f"izdes: invalid setting IZDES_SECRET_KEY_FILE: cannot read "
                                f"{missing} (No such file or directory)")
    assert result.returncode == 2
    key_file.write_text("short\n")
    result = run_izdes(url, "links", "list", secret_key="", secret_key_file=str(key_file))
    assert one_line(result).startswith("izdes: invalid setting IZDES_SECRET_KEY: at least 16")
    assert "short" not in result.stderr


PASSWORD = "Ab@c/d:e#f%1"  # what a URL cannot hold as it is


async def test_a_database_password_apart_from_the_url_may_hold_any_character():
    """IZDES_DATABASE_PASSWORD: put into the URL as it was, such a password made the host
    unreadable (the bot looped on socket.gaierror); apart, it is only the password."""
    async with new_postgres_database("izdes_password") as url:
        bare = make_url(url).set(password=None).render_as_string()
        result = await asyncio.to_thread(run_izdes, bare, "db", "upgrade",
                                         database_password=PASSWORD)
        assert result.returncode == 0, result.stderr
    settings = Settings(_env_file=None, database_url=bare, database_password=PASSWORD)
    address = make_url(settings.database_address())
    assert address.password == PASSWORD and address.host == make_url(url).host
    assert address.database == make_url(url).database


def test_an_unreachable_database_is_told_without_the_password_given_apart():
    url = f"postgresql+asyncpg://izdes@127.0.0.1:{free_port()}/izdes"
    result = run_izdes(url, "report", database_password=PASSWORD)
    assert one_line(result).startswith(f"izdes: cannot reach the database at "
                                       f"{url.replace('izdes@', 'izdes:***@')} (")
    assert PASSWORD not in result.stderr and "Ab%40c" not in result.stderr


async def test_a_webhook_the_bot_api_refuses_is_told_in_one_line(tmp_path, telegram):
    """The start stops cleanly after the application started: no "This Application is still
    running!", no unclosed HTTP sessions under the one line."""
    telegram.fail_next("setWebhook", error_code=400, retry_after=None,
                       description="Bad Request: bad webhook: An HTTPS URL must be provided "
                                   "for webhook")
    result = await asyncio.to_thread(
        run_izdes, sqlite_url(tmp_path), "run", bot_token=telegram.token,
        bot_api_url=telegram.root_url, http_port=str(free_port()), log_level="WARNING",
        webhook_url="http://bot.example/telegram/webhook")
    assert one_line(result) == (
        "izdes: the Bot API refused the webhook (Bad webhook: an https url must be provided "
        "for webhook): check IZDES_WEBHOOK_URL, a public https URL")
    assert result.returncode == 1


async def test_a_port_in_use_is_told_in_one_line(tmp_path, telegram):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = await asyncio.to_thread(
            run_izdes, sqlite_url(tmp_path), "run", bot_token=telegram.token,
            bot_api_url=telegram.root_url, http_port=str(port), log_level="WARNING")
    assert one_line(result) == (f"izdes: cannot listen on 127.0.0.1:{port} (Address already "
                                "in use): check IZDES_HTTP_HOST and IZDES_HTTP_PORT")


def test_a_report_of_an_unknown_survey_is_told_in_one_line(tmp_path):
    result = run_izdes(sqlite_url(tmp_path), "report", "--survey", "nope")
    assert one_line(result) == "izdes: no survey with a report is called 'nope'"


async def test_run_says_where_the_dashboard_api_and_health_check_listen(tmp_path, telegram):
    env = {**os.environ, "IZDES_DATABASE_URL": sqlite_url(tmp_path),
           "IZDES_SECRET_KEY": TEST_SECRET, "IZDES_BOT_TOKEN": telegram.token,
           "IZDES_BOT_API_URL": telegram.root_url, "IZDES_HTTP_PORT": str(free_port())}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        said = await asyncio.wait_for(_addresses(process), 30)
        async with aiohttp.ClientSession() as http:
            async with http.get(said["health check"]) as answer:
                assert answer.status == 200 and (await answer.json())["status"] == "ok"
            async with http.get(said["dashboard"]) as answer:
                assert answer.status == 200 and answer.content_type == "text/html"
            async with http.get(said["admin API"] + "scores") as answer:
                assert answer.status == 401  # there, asking for a token
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _addresses(process: asyncio.subprocess.Process) -> dict[str, str]:
    """What `izdes run` logged as "<what>: <url>" for the dashboard, the admin API and the
    health check (a JSON log line each, stderr not being a terminal)."""
    said: dict[str, str] = {}
    while len(said) < 3:
        line = await process.stderr.readline()
        assert line, "izdes run ended before it said where it listens"
        found = re.fullmatch(r"(dashboard|admin API|health check): (http://\S+)",
                             json.loads(line)["message"])
        if found:
            said[found.group(1)] = found.group(2)
    return said


def test_chat_ends_on_the_first_ctrl_c_and_says_ctrl_d_ends(tmp_path):
    env = {**os.environ, "IZDES_DATABASE_URL": sqlite_url(tmp_path),
           "IZDES_SECRET_KEY": TEST_SECRET}
    terminal, its_end = pty.openpty()  # a terminal, as a survey author has
    process = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--user", "author"],
                               stdin=its_end, stdout=its_end, stderr=its_end, env=env)
    os.close(its_end)
    try:
        before = _read(terminal, until="› ")  # the prompt
        _wait_until_reading(process.pid)
        process.send_signal(signal.SIGINT)  # Ctrl-C
        exit_code = process.wait(timeout=15)
        after = _read(terminal)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(terminal)
    assert "Ctrl-D" in before and "Aydınlatma metni" in before
    assert exit_code in (0, 130)
    assert "Traceback" not in after and len(after.strip().splitlines()) <= 1, after


# The number of the read system call, for /proc/PID/syscall.
READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}


def _wait_until_reading(pid: int, timeout: float = 30) -> None:
    """Until the program is blocked reading its terminal (fd 0), as it is when a person
    presses Ctrl-C. A signal that lands after the prompt is written but before the read
    begins is noticed only when the read returns, in any program that reads a terminal: a
    window of microseconds that a person never hits and a test on a busy machine does."""
    reading = f"{READ_SYSCALL[os.uname().machine]} 0x0 "
    deadline = time.monotonic() + timeout
    while not any(_syscall(thread).startswith(reading)
                  for thread in Path(f"/proc/{pid}/task").iterdir()):
        assert time.monotonic() < deadline, "the program never waited for a line"
        time.sleep(0.01)  # polling what the kernel shows, not guessing a delay


def _syscall(thread: Path) -> str:
    with contextlib.suppress(OSError):  # the thread ended
        return (thread / "syscall").read_text()
    return ""


def _read(terminal: int, until: str | None = None, timeout: float = 30) -> str:
    """What the program wrote to its terminal: up to ``until``, or until it closed."""
    seen = b""
    deadline = time.monotonic() + timeout
    while until is None or until.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {until!r} within {timeout} s: {seen.decode(errors='replace')}"
        if not select.select([terminal], [], [], left)[0]:
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # EIO: the program ended and closed the terminal
            chunk = b""
        if not chunk:
            if until is None:
                break
            raise AssertionError(f"the program ended: {seen.decode(errors='replace')}")
        seen += chunk
    with contextlib.suppress(UnicodeDecodeError):
        return seen.decode()
    return seen.decode(errors="replace")


def test_a_database_refuses_a_key_it_was_not_made_with(tmp_path):
    """A worker or a command started with another key would find no returning respondent
    and make admin tokens that never work: refused in one line, until told otherwise."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'izdes.db'}"
    izdes(url, "links", "list")  # made with TEST_SECRET
    wrong = run_izdes(url, "links", "list", secret_key="another-key-0123456789abcdef")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert wrong.stderr.strip().count("\n") == 0
    assert "IZDES_SECRET_KEY is not the key this database" in wrong.stderr
    izdes(url, "db", "forget-key", secret_key="another-key-0123456789abcdef")
    izdes(url, "links", "list", secret_key="another-key-0123456789abcdef")  # now its key
    assert run_izdes(url, "links", "list").returncode == 1  # and the old one is refused


async def test_stats_publish_says_what_it_released_and_nothing_of_its_solver(db):
    """HiGHS prints a banner on standard output the first time a process makes a solver:
    the bot's log lines (JSON) and the commands' reports go there, so nothing else may."""
    from tests.stored import insert_completed, last_month
    from tests.test_changes_api import _answers

    await insert_completed(db, "hizmet", [_answers("34", "nufus", n, 2 + n % 4)
                                          for n in range(12)] + [
        _answers("06", "nufus", n, 3) for n in range(3)], at=last_month())
    # A new interpreter: the banner comes with a process's first solver.
    result = await asyncio.to_thread(run_izdes, db.url, "stats", "publish", fresh=True)
    assert result.returncode == 0, result.stderr
    assert f"hizmet {last_month().strftime('%Y-%m')}" in result.stdout
    assert "HiGHS" not in result.stdout + result.stderr
