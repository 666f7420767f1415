"""What one survey step costs İZDES in round trips: SQL statements, transactions, Bot API calls.

    .venv/bin/python -m bench.anatomy [--steps 45]

Runs the real bot in this process (as the tests do) against the benchmark's Bot API double,
with a listener on the SQLAlchemy engine, takes one citizen through a survey to warm up, then
counts per step over the next `steps` steps. Counting, not timing: the figures do not depend
on the machine, and explain the CPU per update that bench.run measures.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections import Counter
from typing import Any

from sqlalchemy import event

import storage.database
from bench.bots import SECRET_KEY
from bench.citizens import izdes_policy, take_step
from bench.pg import throwaway_database
from bench.procs import free_port
from bench.world import BenchTelegram
from bot.runner import serve
from bot.settings import Settings

WARM_UP_STEPS = 17  # /start, consent and a whole survey: every statement compiled once


def count_statements(counts: Counter[str]) -> None:
    """Make every engine the bot creates report its statements, commits and checkouts."""
    create = storage.database.create_engine

    def counting_engine(url: str, **options: Any):
        engine = create(url, **options)

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def on_statement(_conn, _cursor, statement, _params, _context, _many) -> None:
            words = re.sub(r"\s+", " ", statement).split(" ")
            selects = words[0] == "SELECT" and "FROM" in words  # not pg_advisory_lock(...)
            after = words[words.index("FROM") + 1:] if selects else words[1:]
            table = next((w for w in after if w.islower() and w.isidentifier()), "")
            counts[f"SQL {words[0]} {table}".strip()] += 1

        @event.listens_for(engine.sync_engine, "commit")
        def on_commit(_conn) -> None:
            counts["transactions (commits)"] += 1

        @event.listens_for(engine.sync_engine.pool, "checkout")
        def on_checkout(*_args) -> None:
            counts["pool checkouts"] += 1

        return engine

    storage.database.create_engine = counting_engine  # Database() looks it up when called


async def run(steps: int) -> None:
    counts: Counter[str] = Counter()
    count_statements(counts)
    fake = BenchTelegram("123456789:BENCH-token_for_the_benchmark")
    await fake.start()
    async with throwaway_database() as url:
        settings = Settings(
            _env_file=None, bot_token=fake.token, bot_api_url=fake.root_url, database_url=url,
            secret_key=SECRET_KEY, http_port=free_port(), max_messages_per_second=0,
            min_seconds_per_answer=0, repeat_days=0, max_updates_per_minute=100_000,
            log_level="WARNING",
        )
        stop = asyncio.Event()
        bot = asyncio.create_task(serve(settings, stop))
        while not fake.method_counts.get("getUpdates"):  # polled: the double has no event
            if bot.done():
                await bot  # the bot failed to start: say why instead of waiting for ever
            await asyncio.sleep(0.05)
        citizen = fake.citizen(4242)
        for step in range(WARM_UP_STEPS):
            await take_step(citizen, izdes_policy(citizen, step), 5.0)
        await asyncio.sleep(0.3)  # the last step's bookkeeping (closing the update)
        counts.clear()
        calls = fake.method_counts.copy()
        for step in range(WARM_UP_STEPS, WARM_UP_STEPS + steps):
            await take_step(citizen, izdes_policy(citizen, step), 5.0)
        await asyncio.sleep(0.3)
        stop.set()
        await bot
    await fake.stop()
    api = Counter({m: n - calls[m] for m, n in fake.method_counts.items() if n > calls[m]})
    print(f"Per survey step (mean of {steps} steps, one citizen, long polling):")
    for name, count in counts.most_common():
        print(f"  {count / steps:5.2f}  {name}")
    for method, count in api.most_common():
        print(f"  {count / steps:5.2f}  Bot API {method}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=45)
    asyncio.run(run(parser.parse_args().steps))


if __name__ == "__main__":
    main()
