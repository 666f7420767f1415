"""Time the scores query on many generated responses in PostgreSQL.

    .venv/bin/python -m bench.scores_at_scale [--responses 1000000]

Generates completed responses (81 provinces, 6 services, 24 months; overall, five drivers and
effort answered) straight in SQL in a throwaway database, then times
GET /api/v1/scores?group_by=province,service's query path (admin.scores.score_rows) and a plain
GROUP BY over the raw answers for reference. Prints medians of 5 runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import asyncpg

from admin.scores import ScoreRequest, score_rows
from conversations.survey import builtin_surveys
from storage.cell_totals import Filters
from storage.database import Database
from storage.migrate import upgrade

ADMIN_URL = os.environ.get("IZDES_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")

GENERATE = """
INSERT INTO respondents (id, key_hash, language, consent_version, consented_at, created_at)
SELECT g, md5(g::text) || md5((g + 1)::text), 'tr', '1', now(), now()
FROM generate_series(1, $1) AS g;
INSERT INTO responses (id, respondent_id, survey_key, survey_version, status, turn, service,
                       channel, province, started_at, updated_at, completed_at,
                       flagged_automated)
SELECT g, g, 'hizmet', 1, 'completed', 20,
       (ARRAY['emniyet','jandarma','trafik','acil112','nufus','goc'])[1 + g % 6],
       'in_person', lpad((1 + (g::bigint * 7919) % 81)::text, 2, '0'),
       ts, ts, ts, false
FROM (SELECT g, now() - ((g % 730) || ' days')::interval AS ts
      FROM generate_series(1, $1) AS g) AS s;
INSERT INTO answers (response_id, question_id, value, score, answered_at)
SELECT r, q, v::text, v, now()
FROM (SELECT g AS r, q,
             CASE WHEN q = 'effort' THEN 1 + (g * 31 + length(q)) % 7
                  ELSE 1 + (g * 17 + length(q) * 3 + g % 5) % 5 END AS v
      FROM generate_series(1, $1) AS g,
           unnest(ARRAY['overall','timeliness','knowledge','courtesy','fairness','outcome',
                        'effort']) AS q) AS a;
"""

PLAIN = """
SELECT r.province, r.service, count(*), avg(a.score)
FROM responses r JOIN answers a ON a.response_id = r.id
WHERE r.survey_key = 'hizmet' AND r.status = 'completed' AND a.question_id = 'overall'
GROUP BY r.province, r.service
"""


async def main(responses: int) -> None:
    name = f"izdes_scale_{os.getpid()}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    db = Database(url)
    try:
        await upgrade(db.engine)
        raw = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}")
        started = time.perf_counter()
        for statement in filter(str.strip, GENERATE.split(";")):
            await raw.execute(statement, responses)
        await raw.execute("ANALYZE")
        print(f"generated {responses:,} responses ({responses * 7:,} answers) in "
              f"{time.perf_counter() - started:.0f} s")
        request = ScoreRequest(builtin_surveys()["hizmet"], ("province", "service"),
                               Filters(survey_key="hizmet"), 10)
        ours, plain = [], []
        for _ in range(5):
            started = time.perf_counter()
            rows = await score_rows(db, request)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            await raw.fetch(PLAIN)
            plain.append(time.perf_counter() - started)
        print(f"scores (province x service, {len(rows)} cells, intervals and suppression): "
              f"median {statistics.median(ours) * 1000:.0f} ms")
        print(f"plain GROUP BY over the overall answers: median "
              f"{statistics.median(plain) * 1000:.0f} ms")
        await raw.close()
    finally:
        await db.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().responses))
