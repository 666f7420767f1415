"""One measurement: a bot, a Bot API double, 50 citizens in a closed loop, a timed window."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from bench.bots import BotKind, start_bots
from bench.pg import count_rows, throwaway_database, transactions
from bench.procs import (
    Process,
    cpu_seconds,
    machine_busy_seconds,
    memory_mb,
    postgres_cpu_seconds,
    start_double,
)


@dataclass(frozen=True)
class Plan:
    citizens: int = 50
    warmup: float = 5.0  # seconds of load before the window: connections, caches, first /start
    seconds: float = 15.0  # the measuring window


@dataclass
class Result:
    scenario: str
    bot: BotKind
    steps: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_update: float
    peak_rss_mb: float
    bot_cpu_pct: float  # of one core, during the window
    double_cpu_pct: float
    postgres_cpu_pct: float
    other_cpu_pct: float  # everything else on the machine (other programs: noise)
    api_calls_per_update: float  # Bot API requests the bot made, per update
    db_transactions_per_update: float | None
    problems: dict[str, int]  # timeouts, failures, extra messages, API violations
    stored_answers: int | None = None


@contextlib.asynccontextmanager
async def _database(needed: bool) -> AsyncIterator[str | None]:
    if not needed:
        yield None
        return
    async with throwaway_database() as url:
        yield url


async def measure(scenario: str, kind: BotKind, *, delay: float, webhook: bool,
                  plan: Plan) -> Result:
    double = await start_double(delay)
    try:
        async with _database(kind.needs_database) as database_url:
            bots = start_bots(kind, double, webhook=webhook, database_url=database_url)
            pids = [bot.pid for bot in bots]
            try:
                for bot in bots:
                    await double.wait_for_bot(bot, webhook)
                await _until_all_running(bots)
                await double.call("/crowd/start", {"policy": kind.policy,
                                                   "citizens": plan.citizens})
                await asyncio.sleep(plan.warmup)
                for bot in bots:
                    bot.check_alive()
                calls_before = sum((await double.call("/status"))["calls"].values())
                tx_before = await transactions(database_url) if database_url else 0
                before = _cpu(pids, double.process.pid)
                await double.call("/measure/begin")
                await asyncio.sleep(plan.seconds)
                stats = await double.call("/measure/end")
                after = _cpu(pids, double.process.pid)
                peak = sum(memory_mb(pid, "VmHWM") for pid in pids)
                status = await double.call("/status")
                tx_after = await transactions(database_url) if database_url else 0
                await double.call("/crowd/stop")
            finally:
                for bot in bots:
                    bot.stop()
            stored = await count_rows(database_url, "answers") if database_url else None
    finally:
        double.process.stop()
    wall = after[0] - before[0]
    bot_cpu, double_cpu, pg_cpu, busy = (after[i] - before[i] for i in (1, 2, 3, 4))
    other_cpu = max(0.0, busy - bot_cpu - double_cpu - pg_cpu)
    steps = stats["steps"]
    per_update = 1 / steps if steps else float("nan")
    api_calls = (sum(status["calls"].values()) - calls_before) * per_update
    db_transactions = (tx_after - tx_before) * per_update if database_url else None
    problems = {
        "timeouts": stats["timeouts"], "failures": stats["failures"],
        "extra messages": stats["extra_messages"],
        "API violations": len(status["violations"]) + len(status["internal_errors"]),
    }
    return Result(
        scenario, kind, steps, stats["per_second"], stats["p50_ms"], stats["p95_ms"],
        stats["p99_ms"], bot_cpu * 1000 / steps if steps else float("nan"), peak,
        100 * bot_cpu / wall, 100 * double_cpu / wall, 100 * pg_cpu / wall,
        100 * other_cpu / wall, api_calls, db_transactions,
        {name: count for name, count in problems.items() if count}, stored,
    )


def _cpu(bot_pids: list[int], double_pid: int) -> tuple[float, ...]:
    """The bot's figure is the sum over its processes."""
    return (time.perf_counter(), sum(cpu_seconds(pid) for pid in bot_pids),
            cpu_seconds(double_pid), postgres_cpu_seconds(), machine_busy_seconds())


async def _until_all_running(bots: list[Process], timeout: float = 60) -> None:  # noqa: ASYNC109
    """Several İZDES processes set the same webhook: wait until each says it runs."""
    if len(bots) == 1:
        return
    deadline = time.perf_counter() + timeout
    while not all("bot running" in bot.log.read_text(errors="replace") for bot in bots):
        if time.perf_counter() > deadline:
            raise RuntimeError("not every bot process started:\n" + bots[-1].tail())
        for bot in bots:
            bot.check_alive()
        await asyncio.sleep(0.1)
