"""Where a bot's CPU goes: a cProfile dump, own time summed by library.

    BENCH_PROFILE=/tmp/prof .venv/bin/python -m bench.run --only b   # writes /tmp/prof/*.prof
    .venv/bin/python -m bench.profile /tmp/prof/izdes_polling_*.prof

Own time (tottime) adds up to the process's CPU time, unlike cumulative time, which
cProfile counts once per resumption of a coroutine and so overstates async code.
"""

from __future__ import annotations

import argparse
import pstats
from collections import Counter

from tabulate import tabulate

# First matching path fragment names the group.
GROUPS = [
    ("/bot/", "İZDES bot/ (Telegram adapter)"),
    ("/conversations/", "İZDES conversations/ (engine)"),
    ("/storage/", "İZDES storage/"),
    ("/bench/", "bench/ (reference bots)"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/asyncpg/", "asyncpg"),
    ("asyncpg.protocol", "asyncpg"),
    ("/greenlet/", "greenlet (SQLAlchemy async bridge)"),
    ("/telegram/", "python-telegram-bot"),
    ("/httpx/", "httpx/httpcore/anyio (PTB's HTTP client)"),
    ("/httpcore/", "httpx/httpcore/anyio (PTB's HTTP client)"),
    ("/anyio/", "httpx/httpcore/anyio (PTB's HTTP client)"),
    ("/h11/", "httpx/httpcore/anyio (PTB's HTTP client)"),
    ("/aiohttp/", "aiohttp (webhook server)"),
    ("/tornado/", "tornado (PTB webhook server)"),
    ("/pydantic", "pydantic"),
    ("/babel/", "Babel"),
    ("/rapidfuzz/", "rapidfuzz"),
    ("/asyncio/", "asyncio event loop"),
    ("/json/", "json"),
    ("<frozen importlib", "imports (start-up)"),
]


def group_of(filename: str, function: str) -> str:
    for fragment, name in GROUPS:
        if fragment in filename:
            return name
    if filename == "~":  # C functions: name them by what they are
        if "socket" in function or "epoll" in function or "select" in function:
            return "socket and epoll system calls"
        if "greenlet" in function:
            return "greenlet (SQLAlchemy async bridge)"
        if "marshal" in function or "compile" in function or "exec" in function:
            return "imports (start-up)"
        return "C built-ins (other)"
    return "Python standard library (other)"


def summarise(path: str, top: int) -> None:
    stats = pstats.Stats(path)
    totals: Counter[str] = Counter()
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        totals[group_of(filename, function)] += tottime
    everything = sum(totals.values())
    print(f"{path}: {everything:.1f} s CPU under cProfile")
    print(tabulate([[name, f"{seconds:.2f}", f"{100 * seconds / everything:.0f}%"]
                    for name, seconds in totals.most_common(top)],
                   headers=["where", "own s", "share"], disable_numparse=True))


def main() -> None:
    parser = argparse.ArgumentParser(description="cProfile own time by library")
    parser.add_argument("profiles", nargs="+")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    for path in args.profiles:
        summarise(path, args.top)
        print()


if __name__ == "__main__":
    main()
