"""Scores at national scale: releases and the admin API on millions of generated responses
in PostgreSQL.

    .venv/bin/python -m bench.scores_at_scale [--responses 10000000] [--requests 50] [--keep]
    .venv/bin/python -m bench.scores_at_scale --database izdes_scale_NNN [--rebuild]

In a throwaway database it generates completed responses the way a national campaign would
bring them (bench/generate.py: provinces and districts by population, six services, two years
with growth, scores with a province and service effect), then rolls them up as the first
start after the rollup migration does, releases every month that has ended as the running bot
does (admin.publish: cells summed, hidden together, audited by linear programming, stored), and
measures over real HTTP (GET /api/v1/..., with a national token):

- how long releasing a month takes, and how many cells it holds and hides;
- the published scores at the groupings the dashboard and reports use, and what changed
  (every province × service against the month before and the same month a year earlier),
  p50 and p95 over --requests requests each;
- new responses completing through the storage layer: the cost of counting one (it changes
  no published figure: the month it falls in is not released yet);
- the published table exported as CSV.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import secrets
import statistics
import time
from datetime import UTC, datetime

import aiohttp
import asyncpg
from aiohttp import web

from admin.api import build_admin_api
from admin.publish import Publication, publish_due
from admin.sign_in import SignIn
from admin.tokens import Scope, create_token
from bench.generate import generate
from bench.procs import free_port
from conversations.survey import builtin_surveys
from storage.database import Database
from storage.migrate import downgrade, prepare, upgrade
from storage.repository import open_survey_store
from storage.rollups import reported

BEFORE_ROLLUPS = "0005"
ADMIN_URL = os.environ.get("IZDES_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

QUERIES = [
    ("scores?group_by=province,service", "scores: province × service"),
    ("scores?group_by=province", "scores: province"),
    ("scores?group_by=province,period&service=trafik", "scores: province × 12 months, trafik"),
    ("scores?group_by=district&province=34", "scores: districts of İstanbul"),
    ("scores?group_by=region,service", "scores: region × service"),
    ("scores?group_by=link&province=06", "scores: muhtar links of Ankara"),
    ("provinces/06", "province page: Ankara"),
    ("drivers", "key drivers, national"),
    ("drivers?province=35&service=nufus", "key drivers: İzmir, nüfus"),
    ("changes?group_by=province,service", "changes: province × service, month before"),
    ("changes?group_by=province,service&against=year", "changes: province × service, year before"),
]


async def timed_gets(http: aiohttp.ClientSession, url: str, times: int) -> tuple[list[float],
                                                                                 dict]:
    took, body = [], {}
    for _ in range(times):
        started = time.perf_counter()
        async with http.get(url) as response:
            assert response.status == 200, (response.status, await response.text())
            body = await response.json()
        took.append((time.perf_counter() - started) * 1000)
    return took, body


async def cpu_per_get(http: aiohttp.ClientSession, url: str, times: int) -> float:
    """This process's CPU time per request (server and client both run here): what a request
    costs whatever else the machine is doing, which wall-clock times on a shared one do not
    tell."""
    started = time.process_time()
    await timed_gets(http, url, times)
    return (time.process_time() - started) * 1000 / times


def p95(values: list[float]) -> float:
    ranked = sorted(values)
    return ranked[max(0, round(0.95 * len(ranked)) - 1)]


def _verdicts(body: dict) -> str:
    """What a comparison found: its tests and their verdicts, and the cells not compared."""
    if "false_discovery_rate" not in body:
        return ""
    found: dict[str, int] = {}
    for row in body["rows"]:
        for figure in (row["satisfied_share"], row["mean"], *row["drivers"].values()):
            found[figure["verdict"]] = found.get(figure["verdict"], 0) + 1
    hidden = sum(row["n_after"] is None for row in body["rows"])
    return (f"   {body['false_discovery_rate']['comparisons']} tests: "
            + ", ".join(f"{count} {verdict}" for verdict, count in sorted(found.items()))
            + f"; {hidden} cells not compared")


async def complete_new_responses(db: Database, count: int) -> float:
    """Responses completed through the storage layer, as the engine does; ms per completion
    (the whole last transaction: last answer, session saved, rollup counted)."""
    from conversations.survey import builtin_surveys

    survey = builtin_surveys()["hizmet"]
    answers = {"service": "trafik", "recency": "d7", "channel": "online",
               "traffic_purpose": "fine", "province": "06", "overall": "2",
               "timeliness": "3", "knowledge": "4", "courtesy": "5", "fairness": "1",
               "outcome": "2", "effort": "6"}
    took = []
    for number in range(count):
        now = datetime.now(UTC)
        async with open_survey_store(db, reported(builtin_surveys())) as store:
            respondent = await store.create_respondent(f"arriving-{number}", "tr", "1")
            session = await store.start_session(respondent.id, survey.key, survey.version,
                                                now, None)
            path = [q for q in survey.path(answers) if q.id in answers]
            for question in path[:-1]:
                value = answers[question.id]
                choice = question.choice(value)
                await store.save_answer(session.id, question.id, value,
                                        choice.score if choice else None, now)
                if question.dimension:
                    session.dimensions[question.dimension] = value
        started = time.perf_counter()
        async with open_survey_store(db, reported(builtin_surveys())) as store:
            last = path[-1]
            await store.save_answer(session.id, last.id, answers[last.id],
                                    last.choice(answers[last.id]).score, now)
            session.status, session.step = "completed", None
            await store.save_session(session, now)
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


async def main(responses: int, requests: int, reuse: str | None, keep: bool,
               rebuild: bool) -> None:
    name = reuse or f"izdes_scale_{os.getpid()}"
    admin = await asyncpg.connect(ADMIN_URL)
    if not reuse:
        await admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    db = Database(f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}")
    runner = None
    try:
        raw = await asyncpg.connect(f"{base}/{name}")
        # The answers are written at the schema before the rollup (migration 0005), so that
        # what follows is the first start after upgrading a database that holds them.
        if reuse:
            if rebuild:
                await downgrade(db.engine, BEFORE_ROLLUPS)
            responses = await raw.fetchval("SELECT count(*) FROM responses")
            print(f"reusing {name}: {responses:,} responses")
        else:
            await upgrade(db.engine, BEFORE_ROLLUPS)
            started = time.perf_counter()
            answers = await generate(raw, responses, progress=print)
            print(f"generated {responses:,} completed responses ({answers:,} answers) in "
                  f"{time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        # Migrates to the newest schema and sums the cells from the answers.
        await prepare(db, builtin_surveys())
        cells = {table: await raw.fetchval(f"SELECT count(*) FROM {table}") for table in
                 ("score_cells", "score_cells_channel", "score_cells_daily", "score_cells_local")}
        print(f"migrated, rollup built from the answers in {time.perf_counter() - started:.0f} s"
              ": " + ", ".join(f"{table} {count:,} rows" for table, count in cells.items()))
        await raw.execute("VACUUM ANALYZE")
        sizes = await raw.fetch(
            "SELECT relname, pg_total_relation_size(oid) AS bytes FROM pg_class "
            "WHERE relname IN ('responses', 'answers', 'score_cells', 'score_cells_channel', "
            "'score_cells_daily', 'score_cells_local') ORDER BY relname")
        print("sizes: " + ", ".join(f"{r['relname']} {r['bytes'] / 2**20:,.0f} MB"
                                    for r in sizes))

        started = time.perf_counter()
        released = await publish_due(db, builtin_surveys(), Publication(10),
                                     datetime.now(UTC))
        took = time.perf_counter() - started
        counts = await raw.fetchrow(
            "SELECT count(*) AS cells, count(*) FILTER (WHERE hidden AND listed) AS hidden, "
            "count(*) FILTER (WHERE listed) AS listed FROM released_cells")
        print(f"released {len(released)} months in {took:,.0f} s "
              f"({took / max(1, len(released)):,.1f} s a month): {counts['cells']:,} cells, "
              f"{counts['listed']:,} listed, {counts['hidden']:,} of them hidden")

        port = free_port()
        app = web.Application()
        key = secrets.token_bytes(32)
        app.add_subapp("/api/v1", build_admin_api(db, builtin_surveys(), Publication(10),
                                                  SignIn(db, key, 1_000_000)))
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        token = await create_token(db, key, Scope(None), "bench")
        # As the bot serves (bot/runner.py, IZDES_FREEZE_STARTUP_OBJECTS): what start-up
        # built is kept out of full collections, which would otherwise walk it every few
        # requests that make many objects (a comparison of every province and service).
        gc.freeze()
        root = f"http://127.0.0.1:{port}/api/v1"
        async with aiohttp.ClientSession(
                headers={"Authorization": f"Bearer {token}"}) as http:
            await timed_gets(http, f"{root}/scores?group_by=province,service", 3)  # warm up
            print(f"\nGET /api/v1/..., {requests} requests each, one at a time:")
            print(f"{'request':<46} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}")
            for query, label in QUERIES:
                took_ms, body = await timed_gets(http, f"{root}/{query}", requests)
                cpu = await cpu_per_get(http, f"{root}/{query}", 10)
                rows = len(body.get("rows", body.get("drivers", body.get("trend", []))))
                print(f"{label:<46} {rows:>6} {statistics.median(took_ms):>8.1f} "
                      f"{p95(took_ms):>8.1f} {cpu:>8.1f}{_verdicts(body)}")

            url = f"{root}/scores?group_by=province,service"
            _, before = await timed_gets(http, url, 1)
            per_completion = await complete_new_responses(db, 200)
            _, after = await timed_gets(http, url, 1)
            assert before == after, "a completion changed a published figure"
            print(f"\n200 responses completed meanwhile: {per_completion:.1f} ms median for "
                  f"the completing transaction; no published figure changed")

            started = time.perf_counter()
            async with http.get(f"{root}/export.csv") as response:
                size = len(await response.read())
            print(f"\npublished table as CSV: {size / 2**10:,.0f} KB in "
                  f"{(time.perf_counter() - started) * 1000:,.0f} ms")
    finally:
        if runner is not None:
            await runner.cleanup()
        await db.close()
        if keep or reuse:
            print(f"kept database {name} (--database {name} measures it again)")
        else:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--database", help="measure a database kept by an earlier --keep")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --database: take it back to the schema before the rollup "
                             "and time the upgrade again")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.responses, arguments.requests, arguments.database,
                     arguments.keep, arguments.rebuild))
