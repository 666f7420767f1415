"""Apply Alembic migrations from code (`izdes db upgrade`, the bot at start-up, the tests)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.survey import Survey
from storage.database import Database
from storage.keys import SECRET_KEY, check_fingerprint
from storage.rollups import ensure_rollup, reported

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x495A444553  # "IZDES": the advisory lock taken while migrating


def alembic_config(url: str) -> Config:
    config = Config(str(resources.files("storage") / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _alembic(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _alembic(engine, command.downgrade, revision)


async def _alembic(engine: AsyncEngine, run: Callable[[Config, str], None],
                   revision: str) -> None:
    """An Alembic command on one of the engine's connections, in one transaction."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def _run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        run(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes starting together on one database (webhook workers): the
            # first migrates, the others wait here and then find nothing to do. SQLite's
            # BEGIN IMMEDIATE already serialises them (storage/database.py).
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": MIGRATION_LOCK})
        await connection.run_sync(_run)


async def prepare(db: Database, surveys: Mapping[str, Survey],
                  key_fingerprint: str | None = None) -> None:
    """Everything a database needs before the bot or a command uses it: the newest schema,
    the secret key it was made with (KeyMismatch for another), and score rollups summed under
    the surveys' current report definitions."""
    await db.ensure_reachable()  # first: a database that is down is told in plain words
    await upgrade(db.engine)
    if key_fingerprint is not None:
        async with db.transaction() as session:
            await check_fingerprint(session, SECRET_KEY, key_fingerprint)
    rebuilt = []
    for survey_key, measures in reported(surveys).items():
        async with db.transaction() as session:
            if await ensure_rollup(session, survey_key, measures):
                rebuilt.append(survey_key)
    if rebuilt:
        log.info("score rollups rebuilt from the answers", extra={"surveys": rebuilt})


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the database is at the newest migration (for readiness checks)."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))

    def _current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        heads = await connection.run_sync(_current)
    return heads == set(script.get_heads())
