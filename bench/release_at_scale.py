"""How long hiding a month's cells takes (stats.release), without a database.

    .venv/bin/python -m bench.release_at_scale [--answers 2000 20000 400000]

A month's answers are spread over the 973 districts by a Zipf-like weight (a tenth name no
district) and over six services; the release sums the cube, hides it (stats.disclosure: the
rules and the linear-programming audit; each driver and the effort audited and withheld
where needed, stats.withholding) and makes the figures. Sparse months are the
expensive case: most cells are small.
"""

from __future__ import annotations

import argparse
import random
import time

from conversations.places import districts_of, provinces
from stats.release import Atom, cells_of_atoms, release
from stats.survey_statistics import CellTotals, merge_totals

SERVICES = {"trafik": 5, "nufus": 3, "goc": 1, "emniyet": 3, "asayis": 1, "acil112": 2}


DRIVERS = ("timeliness", "knowledge", "courtesy", "fairness", "outcome")


def month_of_answers(count: int, seed: int = 1) -> list[Atom]:
    rng = random.Random(seed)
    districts = [(p.plate, str(d.district_id)) for p in provinces() for d in districts_of(p.plate)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(districts))]
    rng.shuffle(weights)
    people: dict[tuple, list[CellTotals]] = {}
    for index in rng.choices(range(len(districts)), weights=weights, k=count):
        service = rng.choices(list(SERVICES), weights=list(SERVICES.values()))[0]
        plate, district = districts[index]
        key = (plate, district if rng.random() > 0.1 else None, service)
        people.setdefault(key, []).append(_one_answer(rng))
    return [Atom(plate, district, None, service, merge_totals(answers))
            for (plate, district, service), answers in people.items()]


def _one_answer(rng: random.Random) -> CellTotals:
    """One respondent: overall 1-5, each driver 1-5 or "don't know" (one in ten), effort."""
    overall = rng.choices(range(1, 6), weights=(1, 1, 2, 4, 3))[0]
    drivers = {name: (1, float(min(5, max(1, overall + rng.choice((-1, 0, 0, 1))))))
               for name in DRIVERS if rng.random() > 0.1}
    return CellTotals(1, float(overall), float(overall * overall), int(overall >= 4), drivers,
                      1, float(rng.randint(1, 7)))


def main(sizes: list[int]) -> None:
    print(f"{'answers':>9} {'atoms':>7} {'cells':>7} {'small':>7} {'hidden':>7} "
          f"{'drivers':>8} {'seconds':>8}")
    for size in sizes:
        atoms = month_of_answers(size)
        started = time.perf_counter()
        cells = release(cells_of_atoms("2026-04", atoms), 10)
        took = time.perf_counter() - started
        small = sum(cell.totals.n < 10 for cell in cells)
        hidden = sum(cell.hidden for cell in cells)
        shown = [cell.figures for cell in cells if not cell.hidden]
        drivers = sum(value is not None for f in shown for value in f["drivers"].values())
        print(f"{size:>9,} {len(atoms):>7,} {len(cells):>7,} {small:>7,} {hidden:>7,} "
              f"{drivers:>8,} {took:>8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, nargs="+", default=[2000, 20000, 400000])
    main(parser.parse_args().answers)
