"""How long hiding a month's cells takes (admin.release), without a database.

    .venv/bin/python -m bench.release_at_scale [--answers 2000 20000 400000]

A month's answers are spread over the 973 districts by a Zipf-like weight (a tenth name no
district) and over six services; the release sums the cube, hides it (admin.disclosure: the
rules and the linear-programming audit) and makes the figures. Sparse months are the
expensive case: most cells are small.
"""

from __future__ import annotations

import argparse
import random
import time

from admin.release import Atom, cells_of_atoms, release
from admin.survey_statistics import CellTotals
from conversations.places import districts_of, provinces

SERVICES = {"trafik": 5, "nufus": 3, "goc": 1, "emniyet": 3, "asayis": 1, "acil112": 2}


def month_of_answers(count: int, seed: int = 1) -> list[Atom]:
    rng = random.Random(seed)
    districts = [(p.plate, str(d.district_id)) for p in provinces() for d in districts_of(p.plate)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(districts))]
    rng.shuffle(weights)
    counts: dict[tuple, int] = {}
    for index in rng.choices(range(len(districts)), weights=weights, k=count):
        service = rng.choices(list(SERVICES), weights=list(SERVICES.values()))[0]
        plate, district = districts[index]
        key = (plate, district if rng.random() > 0.1 else None, service)
        counts[key] = counts.get(key, 0) + 1
    return [Atom(plate, district, None, service, CellTotals(n, 3.5 * n, 13.0 * n, n // 2))
            for (plate, district, service), n in counts.items()]


def main(sizes: list[int]) -> None:
    print(f"{'answers':>9} {'atoms':>7} {'cells':>7} {'small':>7} {'hidden':>7} {'seconds':>8}")
    for size in sizes:
        atoms = month_of_answers(size)
        started = time.perf_counter()
        cells = release(cells_of_atoms("2026-04", atoms), 10)
        took = time.perf_counter() - started
        small = sum(cell.totals.n < 10 for cell in cells)
        hidden = sum(cell.hidden for cell in cells)
        print(f"{size:>9,} {len(atoms):>7,} {len(cells):>7,} {small:>7,} {hidden:>7,} "
              f"{took:>8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, nargs="+", default=[2000, 20000, 400000])
    main(parser.parse_args().answers)
