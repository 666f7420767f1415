"""Shared fixtures: a real database per backend (SQLite and PostgreSQL), the Bot API double,
and the real bot process-in-a-task talking to it over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url

from admin.tokens import token_key
from bot.runner import CannotListen, serve
from bot.settings import Settings
from conversations.survey import builtin_surveys
from storage.database import Database
from storage.migrate import prepare
from storage.models import Base, ScoreRollup
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish
from tests.telegram_double import FakeTelegram

POSTGRES_ADMIN_URL = os.environ.get(
    "IZDES_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("IZDES_TEST_REQUIRE_POSTGRES") == "1"
TEST_SECRET = "test-secret-key-0123456789abcdef"
# What the bot under test hashes admin tokens with (Settings.admin_token_key).
TOKEN_KEY = token_key(TEST_SECRET.encode())
METRICS_TOKEN = "test-metrics-token"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heavy tests first: started last, they would leave one process running alone at
    the end of make test (pytest-xdist hands out tests in this order)."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


async def _postgres_reachable() -> bool:
    try:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(request, tmp_path_factory) -> AsyncIterator[str]:
    """A fresh database for this test run, migrated once with Alembic (so migrations are tested)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'izdes.db'}"
        await _migrate(url)
        yield url
        return
    async with new_postgres_database("izdes_test") as url:
        await _migrate(url)
        yield url


@contextlib.asynccontextmanager
async def new_postgres_database(prefix: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards; the test
    is skipped when PostgreSQL is unreachable, or fails if IZDES_TEST_REQUIRE_POSTGRES=1."""
    if not await _postgres_reachable():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+asyncpg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await prepare(db, builtin_surveys())
    finally:
        await db.close()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test database; emptied after each test, so tests do not see each other's data."""
    database = Database(database_url)
    yield database
    await emptied(database)
    await database.close()


async def emptied(database: Database) -> None:
    """Every table emptied, as a test leaves the database for the next."""
    async with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            # Which report definitions the score cells were summed under stays: emptied
            # cells are still right for emptied answers, and scores keep reading them.
            if table is not ScoreRollup.__table__:
                await session.execute(delete(table))


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()
    fake.assert_no_violations()


# The offices the admin tests sign in as: a key, its scope and the token's name.
OFFICES = {"national": ("national", "Bakanlık"), "istanbul": ("province:34", "İstanbul Valiliği"),
           "ankara": ("province:06", "Ankara Valiliği")}


async def office_tokens(db: Database, *offices: str) -> dict[str, str]:
    """A new admin token for each office named (OFFICES), by its key."""
    from admin.tokens import create_token, parse_scope

    made = {}
    for office in offices:
        scope, name = OFFICES[office]
        made[office] = await create_token(db, TOKEN_KEY, parse_scope(scope), name)
    return made


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningBot:
    """The real bot (PTB + our aiohttp server) running in this event loop."""

    settings: Settings
    telegram: FakeTelegram
    task: asyncio.Task | None = None
    stop_event: asyncio.Event | None = None

    async def start(self) -> None:
        for attempt in range(3):
            try:
                return await self._start()
            except CannotListen as error:
                if error.reason != os.strerror(errno.EADDRINUSE) or attempt == 2:
                    raise
                # Another process took the port between free_port() and the bot's listen
                # (a client's connection may be given the same number): another port.
                self.settings = self.settings.model_copy(update={"http_port": free_port()})

    async def _start(self) -> None:
        ready_before = len(self.telegram.calls)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(serve(self.settings, self.stop_event))
        wanted = "setWebhook" if self.settings.webhook_mode else "getUpdates"
        for _ in range(500):
            if any(m == wanted for m, _ in self.telegram.calls[ready_before:]):
                return
            if self.task.done():
                self.task.result()  # raise what went wrong
            await asyncio.sleep(0.01)
        raise AssertionError(f"the bot did not call {wanted} within 5 s")

    async def stop(self) -> None:
        if self.task is None:
            return
        self.stop_event.set()
        await asyncio.wait_for(self.task, timeout=15)
        self.task = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def http_url(self) -> str:
        return f"http://{self.settings.http_host}:{self.settings.http_port}"


def bot_settings(telegram: FakeTelegram, database_url: str, **overrides) -> Settings:
    values = {
        "bot_token": telegram.token,
        "bot_api_url": telegram.root_url,
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "http_host": "127.0.0.1",
        "http_port": free_port(),
        # Tests tap faster than people; the per-chat pacing has its own test.
        "private_chat_messages_per_second": 0,
        # Each start's full collection walks the test process's whole heap (about 0.13 s,
        # some 50 s of CPU over the suite); bench.engine_step measures what freezing buys.
        "freeze_startup_objects": False,
        "metrics_token": METRICS_TOKEN,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
async def bot(telegram: FakeTelegram, db: Database) -> AsyncIterator[RunningBot]:
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    yield running
    with contextlib.suppress(Exception):
        await running.stop()


DRIVERS = ["timeliness", "information", "knowledge", "courtesy", "fairness", "equal_treatment",
           "outcome"]
# How each driver's answer steps with the response's number: the five of version 1 as they
# always did, the two of version 2 at other strides, so that no two drivers go alike with the
# overall score (the key-driver view ranks them).
STRIDES = {"timeliness": (1, 0), "knowledge": (1, 1), "courtesy": (1, 2), "fairness": (1, 3),
           "outcome": (1, 4), "information": (2, 1), "equal_treatment": (3, 2)}


def driver_answers(number: int) -> dict[str, str]:
    """The answers of response ``number`` to every driver, 1-5."""
    return {d: str(1 + (STRIDES[d][0] * number + STRIDES[d][1]) % 5) for d in DRIVERS}
CELLS = {("34", "trafik"): 12, ("34", "nufus"): 12, ("06", "trafik"): 11, ("06", "nufus"): 3,
         ("35", "trafik"): 10, ("35", "nufus"): 10}


@pytest.fixture
async def survey_data(db):
    """58 responses last month in a 3 x 2 table, released; one cell is too small to
    publish."""
    return await built_once(db, "conftest.survey_data", lambda: _survey_data(db))


async def _survey_data(db):
    expected: dict[tuple[str, str], list[dict]] = {}
    everyone = []
    number = 0
    for (plate, service), count in CELLS.items():
        for i in range(count):
            number += 1
            answers = {"service": service, "recency": "d7", "channel": "in_person",
                       "province": plate, "traffic_purpose": "fine", "appointment": "no",
                       "wait_time": "lt15", "overall": str(1 + (number * 7 + i) % 5),
                       **driver_answers(number),
                       "effort": str(1 + number % 7),
                       "comment": "=HYPERLINK(\"http://x\") tel [TEL]" if i == 0
                       else "Teşekkürler;=cmd|' /C calc'!A0" if i == 1
                       else f"yorum {number}"}
            everyone.append(answers)
            expected.setdefault((plate, service), []).append(answers)
    await insert_completed(db, "hizmet", everyone, at=last_month())
    await publish(db)
    return expected


