"""Generated completed responses, in SQL, shaped like a national campaign's.

- Place: a district drawn by population (conversations.population: TÜİK figures via
  turkiye-api), so İstanbul gets about a fifth of the answers and Bayburt a few in a thousand;
  three in ten skip the district question.
- Service: trafik 28 %, nüfus 24 %, emniyet 16 %, 112 12 %, jandarma 10 %, göç 10 %; channel
  in person 60 %, online 20 %, phone 20 % (112 has none).
- Time: two years back from now, more in recent months (the campaign grows), any time of day.
- Scores: overall 1-5 around 3.7 with a fixed effect per province and service, so cells
  differ; the seven drivers follow the overall with noise, one in twenty "don't know"; effort
  1-7 falls as satisfaction rises. One response in a hundred is flagged as automated.

Written straight into the tables, as responses from before the rollup existed would be:
storage.rollups.ensure_rollup then sums them.
"""

from __future__ import annotations

from collections.abc import Callable

import asyncpg

from conversations.population import district_residents

CHUNK = 250_000
PLACE_SLOTS = 100_000
SERVICES = [("trafik", 28), ("nufus", 24), ("emniyet", 16), ("acil112", 12),
            ("jandarma", 10), ("goc", 10)]
DRIVERS = ["timeliness", "information", "knowledge", "courtesy", "fairness", "equal_treatment",
           "outcome"]  # hizmet's report drivers (five before its version 2)


def place_slots() -> list[tuple[int, str, str]]:
    """(slot, plate, district id): each district holds slots in proportion to its people."""
    districts = [(plate, str(district), population)
                 for plate, district, population in district_residents()]
    people = sum(p for _, _, p in districts)
    slots, taken, cumulative = [], 0, 0
    for plate, district, population in districts:
        cumulative += population
        upto = max(taken + 1, round(cumulative / people * PLACE_SLOTS))
        slots += [(slot, plate, district) for slot in range(taken, upto)]
        taken = upto
    return slots


SETUP = """
CREATE TEMP TABLE bench_places (slot int PRIMARY KEY, plate text, district text);
CREATE TEMP TABLE bench_services (slot int PRIMARY KEY, service text);
CREATE TEMP TABLE bench_effects (plate text, service text, effect float8,
                                 PRIMARY KEY (plate, service));
"""

EFFECTS = """
INSERT INTO bench_effects
SELECT p.plate, s.service, (random() + random() + random() - 1.5) * 0.8
FROM (SELECT DISTINCT plate FROM bench_places) AS p
CROSS JOIN (SELECT DISTINCT service FROM bench_services) AS s
"""

RESPONDENTS = """
INSERT INTO respondents (id, key_hash, language, consent_version, consented_at, created_at)
SELECT g, md5(g::text) || md5((-g)::text), 'tr', '1', now(), now()
FROM generate_series($1::bigint, $2::bigint) AS g
"""

RESPONSES = """
INSERT INTO responses (id, respondent_id, survey_key, survey_version, status, step, turn,
                       service, channel, province, district, started_at, updated_at,
                       completed_at, flagged_automated)
SELECT r.g, r.g, 'hizmet', 1, 'completed', NULL, 20, s.service,
       CASE WHEN s.service = 'acil112' THEN NULL WHEN r.c < 0.6 THEN 'in_person'
            WHEN r.c < 0.8 THEN 'online' ELSE 'phone' END,
       p.plate, CASE WHEN r.d < 0.3 THEN NULL ELSE p.district END,
       r.at - interval '3 minutes', r.at, r.at, r.f < 0.01
FROM (SELECT g, random() AS c, random() AS d, random() AS f,
             floor(random() * $3)::int AS place, floor(random() * 100)::int AS svc,
             now() - 730 * (1 - sqrt(random())) * interval '1 day' AS at
      FROM generate_series($1::bigint, $2::bigint) AS g) AS r
JOIN bench_places p ON p.slot = r.place
JOIN bench_services s ON s.slot = r.svc
"""

ANSWERS = """
INSERT INTO answers (response_id, question_id, value, score, answered_at)
SELECT r.id, a.question_id, coalesce(a.score::int::text, 'na'), a.score, r.completed_at
FROM (SELECT r.id, r.completed_at,
             least(5, greatest(1, round(3.7 + e.effect
                   + (random() + random() + random() - 1.5) * 2.4))) AS overall
      FROM responses r JOIN bench_effects e ON e.plate = r.province AND e.service = r.service
      WHERE r.id BETWEEN $1 AND $2) AS r
CROSS JOIN LATERAL (VALUES
    ('overall', r.overall),
    {drivers},
    ('effort', least(7, greatest(1, round(8.5 - 1.3 * r.overall + (random() - 0.5) * 3))))
) AS a (question_id, score)
"""

DRIVER = ("('{name}', CASE WHEN random() < 0.05 THEN NULL "
          "ELSE least(5, greatest(1, round(r.overall + (random() - 0.5) * 2.6))) END)")


async def generate(connection: asyncpg.Connection, responses: int,
                   progress: Callable[[str], None] = lambda _: None) -> int:
    """Write ``responses`` completed responses and their answers; returns the answers."""
    await connection.execute(SETUP)
    places = place_slots()
    await connection.copy_records_to_table("bench_places", records=places)
    service_slots = [(slot, name) for name, share in SERVICES for slot in range(share)]
    await connection.copy_records_to_table(
        "bench_services", records=[(i, name) for i, (_, name) in enumerate(service_slots)])
    await connection.execute(EFFECTS)
    answers_sql = ANSWERS.format(drivers=",\n    ".join(DRIVER.format(name=d) for d in DRIVERS))
    answers = 0
    for first in range(1, responses + 1, CHUNK):
        last = min(responses, first + CHUNK - 1)
        await connection.execute(RESPONDENTS, first, last)
        await connection.execute(RESPONSES, first, last, len(places))
        status = await connection.execute(answers_sql, first, last)
        answers += int(status.split()[-1])
        if (last // CHUNK) % 4 == 0 or last == responses:
            progress(f"  {last:,} responses written")
    for table in ("respondents", "responses", "answers"):
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))")
    return answers
