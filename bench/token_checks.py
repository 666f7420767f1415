"""How long the admin API takes to check a token, by kind of token: a revoked one must not be
told from a made-up one by its time (docs/security.md), and a wrong guess must cost no more
than a right token (argon2, 0.1 s of CPU a check, is for the old hashes only).

    .venv/bin/python -m bench.token_checks                 # SQLite, 2,000 checks of each kind
    .venv/bin/python -m bench.token_checks --dialect postgresql --rounds 5000

Checks admin.tokens.authenticate as the API calls it, each kind in turn within every round
(so a slow moment of the machine falls on all kinds alike), and prints each kind's median
and 90th percentile and the ratio of each median to the made-up token's. Target: every
ratio between 0.8 and 1.25 (docs/benchmarks.md keeps the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from admin.tokens import authenticate, create_token, parse_scope
from bench.engine_step import database
from conversations.survey import builtin_surveys
from storage import admin_store
from storage.database import Database
from storage.migrate import prepare

KEY = b"bench-token-key-" * 2


async def tokens(db: Database) -> dict[str, str]:
    """One token of each kind the API meets."""
    good = await create_token(db, KEY, parse_scope("national"), "Bakanlık")
    revoked = await create_token(db, KEY, parse_scope("province:34"), "İstanbul Valiliği")
    async with db.transaction() as session:
        [record] = [r for r in await admin_store.list_tokens(session)
                    if r.name == "İstanbul Valiliği"]
        await admin_store.revoke_token(session, record.id)
    lookup = good.split("_")[1]
    return {"good": good, "revoked": revoked, "made-up secret": f"izdes_{lookup}_{'z' * 43}",
            "unknown lookup": f"izdes_{'q' * 12}_{'z' * 43}", "malformed": "not-a-token"}


async def measure(dialect: str, rounds: int) -> dict[str, list[float]]:
    async with database(dialect) as url:
        db = Database(url, pool_size=2)
        try:
            await prepare(db, builtin_surveys())
            kinds = await tokens(db)
            times: dict[str, list[float]] = {kind: [] for kind in kinds}
            for number in range(rounds + rounds // 10):  # the first tenth warms up
                for kind, token in kinds.items():
                    began = time.perf_counter()
                    await authenticate(db, KEY, token)
                    if number >= rounds // 10:
                        times[kind].append(time.perf_counter() - began)
            return times
        finally:
            await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    times = asyncio.run(measure(args.dialect, args.rounds))
    base = statistics.median(times["made-up secret"])
    print(f"token checks, {args.dialect}, {args.rounds} rounds")
    print(f"{'kind':16} {'median ms':>10} {'p90 ms':>8} {'÷ made-up':>10}")
    for kind, seconds in times.items():
        median = statistics.median(seconds)
        p90 = statistics.quantiles(seconds, n=10)[-1]
        print(f"{kind:16} {median * 1000:10.3f} {p90 * 1000:8.3f} {median / base:10.2f}")


if __name__ == "__main__":
    main()
