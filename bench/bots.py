"""The three bots under test and how each is started (always as its own process)."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from bench.procs import Double, Process, free_port, log_dir, start_process

_STARTED = itertools.count(1)  # tells apart the log files of processes sharing a port
WEBHOOK_SECRET = "bench-webhook-secret_0123456789"
SECRET_KEY = "bench-secret-key-0123456789abcdef"


@dataclass(frozen=True)
class BotKind:
    name: str  # as shown in the table
    module: str
    policy: str  # bench.citizens.POLICIES
    needs_database: bool
    processes: int = 1  # İZDES only: several `izdes run` sharing one port (webhook mode)

    @property
    def ours(self) -> bool:
        return self.module == "bot"


IZDES = BotKind("izdes", "bot", "izdes", needs_database=True)
ECHO = BotKind("echo (PTB)", "bench.reference_echo", "echo", needs_database=False)
TEXTBOOK = BotKind("textbook", "bench.reference_survey", "textbook", needs_database=False)
ECHO_TUNED = BotKind("echo (tuned)", "bench.reference_echo_tuned", "echo", needs_database=False)
# Two İZDES processes on one port (IZDES_HTTP_REUSE_PORT): the kernel spreads the double's
# webhook connections between them; each chat's order is kept through the database.
IZDES_TWO = BotKind("izdes x2", "bot", "izdes", needs_database=True, processes=2)


def start_bots(kind: BotKind, double: Double, *, webhook: bool,
               database_url: str | None = None) -> list[Process]:
    """``kind.processes`` processes of the bot; several share one port."""
    if kind.processes == 1:
        return [start_bot(kind, double, webhook=webhook, database_url=database_url)]
    port = free_port()
    return [start_bot(kind, double, webhook=webhook, database_url=database_url, port=port,
                      extra_env={"IZDES_HTTP_REUSE_PORT": "1"})
            for _ in range(kind.processes)]


def start_bot(kind: BotKind, double: Double, *, webhook: bool,
              database_url: str | None = None, extra_env: dict[str, str] | None = None,
              port: int | None = None) -> Process:
    port = port or free_port()
    env = {
        "IZDES_BOT_TOKEN": double.token,
        "IZDES_BOT_API_URL": double.api,
        "IZDES_HTTP_HOST": "127.0.0.1",
        "IZDES_HTTP_PORT": str(port),
    }
    if webhook:
        env["IZDES_WEBHOOK_URL"] = f"http://127.0.0.1:{port}/telegram/webhook"
        env["IZDES_WEBHOOK_SECRET"] = WEBHOOK_SECRET
    args = ["-m", kind.module]
    if kind.ours:
        assert database_url is not None
        args.append("run")
        env.update({
            "IZDES_DATABASE_URL": database_url,
            "IZDES_SECRET_KEY": SECRET_KEY,
            # The targets measure the bot's own capacity: pacing off (a bot with raised
            # limits), no speed flagging, repeat surveys allowed, flood control out of the way
            # of a closed loop with zero think time.
            "IZDES_MAX_MESSAGES_PER_SECOND": "0",
            "IZDES_MIN_SECONDS_PER_ANSWER": "0",
            "IZDES_REPEAT_DAYS": "0",
            "IZDES_MAX_UPDATES_PER_MINUTE": "100000",
        })
    if kind is TEXTBOOK:
        env["BENCH_PICKLE_FILE"] = str(log_dir() / f"textbook_{port}.pickle")
    env.update(extra_env or {})
    name = f"{kind.policy}_{'webhook' if webhook else 'polling'}_{port}_{next(_STARTED)}"
    if profile_dir := os.environ.get("BENCH_PROFILE"):
        # Where the time goes: cProfile writes <name>.prof when the bot exits on SIGTERM.
        args = ["-m", "cProfile", "-o", str(Path(profile_dir) / f"{name}.prof"), *args]
    return start_process(name, args, env)
