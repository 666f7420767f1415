"""The throughput benchmark: İZDES against the two reference bots, in one run.

    .venv/bin/python -m bench.run            # full: about 5 minutes
    .venv/bin/python -m bench.run --quick    # a few seconds per measurement (smoke check)

Scenarios (docs/benchmarks.md says why each exists):
    a  far-away Telegram: every Bot API answer delayed 50 ms, long polling
    b  local, long polling
    c  local, webhook
    d  local, long polling, one citizen: latency without queueing
    e  (only with --only e) 50 ms, one citizen: the step time that bounds scenario a
    f  (only with --only f) local, webhook, two İZDES processes sharing the port
    g  (only with --only g) local, long polling, with an echo bot tuned as İZDES tunes PTB
Each bot runs as its own process against a Bot API double in a process of its own, with 50
citizens in a closed loop (zero think time). Every figure of İZDES is also printed as a ratio
to the references measured in the same run, which is what the targets are stated in.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field, replace
from datetime import date

from bench.bots import ECHO, ECHO_TUNED, IZDES, IZDES_TWO, TEXTBOOK, BotKind
from bench.measure import Plan, Result, measure
from bench.procs import machine, wait_until_quiet
from bench.report import print_report


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    delay: float  # seconds the Bot API double waits before every answer
    webhook: bool
    bots: list[BotKind] = field(default_factory=list)  # İZDES first, then the references
    # The textbook bot handles one update at a time: at 50 ms a round of 50 citizens takes
    # several seconds, so a shorter window would catch no step at all.
    min_seconds: float = 0.0
    citizens: int | None = None  # instead of the plan's
    max_seconds: float | None = None


SCENARIOS = [
    Scenario("a", "50 ms, polling", 0.05, False, [IZDES, TEXTBOOK], min_seconds=12.0),
    Scenario("b", "local, polling", 0.0, False, [IZDES, ECHO, TEXTBOOK]),
    Scenario("c", "local, webhook", 0.0, True, [IZDES, ECHO]),
    # One citizen: no queueing, so the latency is the bot's own time per step. With 50
    # citizens and zero think time, latency = 50 / throughput (Little's law) instead.
    Scenario("d", "1 citizen, polling", 0.0, False, [IZDES, ECHO], citizens=1,
             max_seconds=8.0),
    # Not in the default run: the time one step takes when every Bot API call costs 50 ms,
    # which bounds scenario a's throughput at 50 / that time, however fast the CPU.
    Scenario("e", "50 ms, 1 citizen", 0.05, False, [IZDES, TEXTBOOK], citizens=1,
             min_seconds=10.0, max_seconds=10.0),
    # Not in the default run: scale-out on one host, two İZDES processes sharing the webhook
    # port (IZDES_HTTP_REUSE_PORT), against the echo bot's one process.
    Scenario("f", "webhook, 2 processes", 0.0, True, [IZDES_TWO, ECHO]),
    # Not in the default run: what PTB and one Bot API call cost when PTB is tuned as İZDES
    # tunes it (aiohttp requests, updates handled concurrently); not a target.
    Scenario("g", "local, polling, tuned PTB", 0.0, False, [IZDES, ECHO, ECHO_TUNED]),
]


async def run(plan: Plan, only: str, patience: float) -> list[Result]:
    results = []
    for scenario in SCENARIOS:
        if scenario.key not in only:
            continue
        seconds = min(max(plan.seconds, scenario.min_seconds), scenario.max_seconds or 1e9)
        scenario_plan = replace(plan, seconds=seconds,
                                citizens=scenario.citizens or plan.citizens)
        for kind in scenario.bots:
            load = await wait_until_quiet(patience)
            print(f"  {scenario.key} {scenario.title}: {kind.name} (other load before: "
                  f"{load:.0f}% of a core) ...", flush=True)
            result = await measure(f"{scenario.key} {scenario.title}", kind,
                                   delay=scenario.delay, webhook=scenario.webhook,
                                   plan=scenario_plan)
            print(f"    {result.per_second:.1f} updates/s, p99 {result.p99_ms:.0f} ms",
                  flush=True)
            results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="İZDES throughput benchmark")
    parser.add_argument("--quick", action="store_true", help="3 s per measurement (smoke test)")
    parser.add_argument("--seconds", type=float, help="measuring window per bot (default 15)")
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--only", default="abcd", help="scenarios to run, e.g. 'a' or 'bc'")
    parser.add_argument("--patience", type=float, default=10.0,
                        help="seconds to wait for other programs to go quiet before each bot")
    args = parser.parse_args()
    plan = Plan(args.citizens, 1.5, 3.0) if args.quick else Plan(args.citizens)
    if args.seconds:
        plan = replace(plan, seconds=args.seconds)
    print(f"İZDES benchmark, {date.today()}, {machine()}; {plan.citizens} citizens, "
          f"{plan.warmup:g} s warm-up + {plan.seconds:g} s measured per bot", flush=True)
    started = time.perf_counter()
    results = asyncio.run(run(plan, args.only, 0.0 if args.quick else args.patience))
    print_report(results)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
