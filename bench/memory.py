"""Memory stays flat: the bot's RSS with 1,000 and then 100,000 stored sessions.

    .venv/bin/python -m bench.memory [--visits 1000] [--sessions 100000]

Sessions are generated straight into a throwaway PostgreSQL database with SQL (respondents who
consented, an active survey stopped at the overall-satisfaction question, six answers each),
keyed exactly as the bot keys Telegram users, so that simulated citizens can come back to them.
One bot process (long polling, pacing off) then sees the same traffic in each phase: `visits`
distinct stored respondents come back (/start resumes their survey) and answer the question
shown, 50 at a time. Phases:
    warm-up x4  `visits` people never seen before read the notice and decline (nothing is
                stored): caches, pools, the allocator and whatever the bot keeps per recent
                user fill up (RSS rises for about 5,000 new users, then stays level)
    warm-up 5   the 1,000 stored sessions, each visited
    1k          1,000 stored sessions visited again                           -> RSS
    (99,000 more sessions inserted while the bot runs)
    100k x2     `visits` respondents never seen before, out of all 100,000    -> RSS
The growth from 1k to the higher 100k figure is the figure of target 3.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from datetime import UTC, datetime

import asyncpg

from bench.bots import IZDES, SECRET_KEY, start_bot
from bench.citizens import DECLINE
from bench.pg import plain_url, throwaway_database
from bench.procs import Double, Process, machine, memory_mb, start_double
from bot.intake import CHANNEL
from conversations.notice import NOTICE_VERSION
from conversations.pseudonym import Pseudonymizer
from conversations.survey import builtin_surveys
from storage.database import Database
from storage.migrate import upgrade

SURVEY = "hizmet"
# What a respondent stopped at the overall-satisfaction question has answered (Trafik path).
ANSWERS = [("adult", "yes"), ("service", "trafik"), ("recency", "d7"), ("channel", "in_person"),
           ("province", "34"), ("traffic_purpose", "accident")]
TARGET_MB = 10.0
STRANGERS = 10_000_001  # user ids of warm-up visitors, above any stored respondent's


async def migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db.engine)
    finally:
        await db.close()


async def store_sessions(url: str, user_ids: range) -> None:
    """Respondents with an active survey and a few answers each, as the bot would have left
    them; one COPY and two INSERT ... SELECT, so 100,000 take seconds."""
    pseudonymizer = Pseudonymizer(SECRET_KEY.encode())
    now = datetime.now(UTC)
    respondents = [(pseudonymizer.key_for(CHANNEL, uid), "tr", str(NOTICE_VERSION), now, now)
                   for uid in user_ids]
    version = builtin_surveys()[SURVEY].version
    connection = await asyncpg.connect(plain_url(url))
    try:
        async with connection.transaction():
            after = await connection.fetchval("SELECT coalesce(max(id), 0) FROM respondents")
            await connection.copy_records_to_table(
                "respondents", records=respondents,
                columns=["key_hash", "language", "consent_version", "consented_at", "created_at"])
            # message_ref: the question message, long gone from the simulated chat (the bot
            # tries to tidy it away, Telegram answers "not found", as it would after days).
            await connection.execute(
                """INSERT INTO responses (respondent_id, survey_key, survey_version, status,
                       step, turn, message_ref, service, channel, province, started_at,
                       updated_at)
                   SELECT id, $2, $3, 'active', 'overall', 7, '17', 'trafik', 'in_person', '34',
                          $4, $4
                   FROM respondents WHERE id > $1""", after, SURVEY, version, now)
            values = ", ".join(f"('{question}', '{value}')" for question, value in ANSWERS)
            await connection.execute(
                f"""INSERT INTO answers (response_id, question_id, value, score, answered_at)
                    SELECT r.id, a.question, a.value, NULL, $2
                    FROM responses r CROSS JOIN (VALUES {values}) AS a(question, value)
                    WHERE r.respondent_id > $1""", after, now)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def phase(name: str, double: Double, bot: Process, user_ids: list[int],
                stored: int, press: str | None = None) -> tuple[str, int, int, float, dict]:
    result = await double.call("/visit", {"user_ids": user_ids, "workers": 50, "press": press})
    bot.check_alive()
    await asyncio.sleep(2)  # let in-flight work finish before reading RSS
    rss = memory_mb(bot.pid)
    print(f"  {name}: {stored:,} stored sessions, {len(user_ids):,} visits, "
          f"{result['per_second']:.0f} updates/s, RSS {rss:.1f} MB", flush=True)
    return name, stored, len(user_ids), rss, result


async def run(sessions: int, visits: int, warmups: int, seed: int) -> None:
    rng = random.Random(seed)
    first = range(1, 1001)
    rows = []
    async with throwaway_database() as url:
        await migrate(url)
        await store_sessions(url, first)
        double = await start_double(0.0)
        bot = start_bot(IZDES, double, webhook=False, database_url=url)
        try:
            await double.wait_for_bot(bot, webhook=False)
            print(f"  bot started, RSS {memory_mb(bot.pid):.1f} MB", flush=True)
            # New people first: each reads the notice and declines (nothing is stored), so
            # whatever the bot keeps per recent user reaches its level before 1k is read.
            strangers = iter(range(STRANGERS, STRANGERS + warmups * visits))
            for number in range(warmups):
                rows.append(await phase(f"warm-up {number + 1}", double, bot,
                                        [next(strangers) for _ in range(visits)], len(first),
                                        press=DECLINE))
            rows.append(await phase(f"warm-up {warmups + 1}", double, bot,
                                    rng.sample(list(first), len(first)), len(first)))
            again = rng.sample(list(first), min(visits, len(first)))
            rows.append(before := await phase("1k", double, bot, again, len(first)))
            await store_sessions(url, range(1001, sessions + 1))
            unseen = rng.sample(range(1001, sessions + 1), 2 * visits)
            after = []
            for number, chunk in enumerate((unseen[:visits], unseen[visits:]), start=1):
                label = f"{sessions // 1000}k #{number}"
                after.append(await phase(label, double, bot, chunk, sessions))
            rows += after
            peak = memory_mb(bot.pid, "VmHWM")
        finally:
            bot.stop()
            double.process.stop()
    print()
    print(f"{'phase':<10} {'stored sessions':>16} {'visits':>7} {'updates/s':>10} "
          f"{'RSS MB':>7} {'problems':>9}")
    for name, stored, count, rss, result in rows:
        problems = result["timeouts"] + result["failures"]
        print(f"{name:<10} {stored:>16,} {count:>7,} {result['per_second']:>10.0f} "
              f"{rss:>7.1f} {problems:>9}")
    growth = max(row[3] for row in after) - before[3]
    verdict = "met" if growth < TARGET_MB else "MISSED"
    print(f"\nRSS growth from {len(first):,} to {sessions:,} stored sessions: {growth:+.1f} MB "
          f"(target < {TARGET_MB:g} MB: {verdict}); peak RSS {peak:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description="İZDES memory benchmark")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1000,
                        help="respondents who come back in each phase")
    parser.add_argument("--warmups", type=int, default=4,
                        help="warm-up phases of new visitors who decline (nothing stored)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"İZDES memory benchmark, {datetime.now(UTC).date()}, {machine()}", flush=True)
    asyncio.run(run(args.sessions, args.visits, args.warmups, args.seed))


if __name__ == "__main__":
    main()
