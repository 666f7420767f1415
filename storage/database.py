"""Engine and sessions, built by a function (never at import time)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # hide_parameters: SQLAlchemy puts a failed statement's parameters in the error's text,
    # and errors are logged: a citizen's comment or code must not end up in the logs.
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _use_immediate_transactions(engine)
        return engine
    # A fixed pool, no overflow: under load more steps want a connection than the pool holds,
    # and overflow connections are closed as soon as they are returned, so every step beyond
    # the pool paid for a new PostgreSQL backend and re-prepared its statements (a third of
    # the bot's CPU at 50 citizens). Steps beyond the pool now wait their turn for a
    # connection instead; no code path holds one connection while asking for another (the
    # suite passes with a pool of one).
    # No JIT: it compiles a query that reads the answers of a few thousand responses (a
    # date range's leftover hours) for longer than the query then runs.
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, hide_parameters=True,
                                 connect_args={"server_settings": {"jit": "off"}})
    _skip_closed_connections(engine)
    return engine


def _skip_closed_connections(engine: AsyncEngine) -> None:
    """At checkout, replace a pooled connection the server closed (PostgreSQL restarted).

    Not pre-ping, which costs a round trip on every checkout: asyncpg marks a connection
    closed as soon as the server's goodbye arrives, so asking it costs nothing. A connection
    that dies in use fails its transaction, which rolls back, and the update is handled
    again from the inbox.
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(_dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        if record.driver_connection.is_closed():
            raise DisconnectionError("the server closed this pooled connection")


def _use_immediate_transactions(engine: AsyncEngine) -> None:
    """SQLite: take the write lock when a transaction begins.

    With the driver's deferred BEGIN, two transactions that read and then write deadlock and
    one fails at once with "database is locked"; BEGIN IMMEDIATE makes the second wait instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class DatabaseUnreachable(Exception):
    """No connection to the database could be opened: it is down, its address is wrong, or
    it refused the credentials. ``where`` is the URL with its password hidden."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class Database:
    """The application's handle on the database."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def connection(self, *, single_statement: bool = False
                         ) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction, committed when the block ends without error, for
        Core statements that need no ORM session. ``single_statement``: for one write that
        stands alone; on PostgreSQL it runs in autocommit, which spares the BEGIN and COMMIT
        round trips of an explicit transaction."""
        if single_statement and self.engine.dialect.name == "postgresql":
            async with self.engine.connect() as connection:
                yield await connection.execution_options(isolation_level="AUTOCOMMIT")
            return
        async with self.engine.begin() as connection:
            yield connection

    async def ensure_reachable(self) -> None:
        """Open one connection, so that a database that cannot be reached at all is told
        apart from whatever fails later (DatabaseUnreachable, with the driver's reason)."""
        try:
            if self.engine.dialect.name == "sqlite":
                # With sqlite3 itself, in this thread: when aiosqlite fails to open a file,
                # its worker thread outlives the failure, and often printed a traceback
                # ("Event loop is closed") after the command's own message.
                arguments, options = self.engine.dialect.create_connect_args(self.engine.url)
                # The dialect's own arguments for this very call; typeshed's overloads cannot match
                # a list of positional arguments against their types.
                sqlite3.connect(*arguments, **options).close()  # type: ignore[call-overload]
            else:
                async with self.engine.connect():
                    pass
        except (OSError, DBAPIError, sqlite3.Error) as error:  # refused, no host; bad login
            # The driver's own words: SQLAlchemy's text adds the SQL and a link to its docs.
            reason = error.orig if isinstance(error, DBAPIError) else error
            where = self.engine.url.render_as_string(hide_password=True)
            first_line = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
            raise DatabaseUnreachable(where, first_line) from error

    async def close(self) -> None:
        await self.engine.dispose()
