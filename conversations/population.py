"""How many people live in each district, to spread generated responses as people are spread
(`izdes demo`, bench/generate.py): İstanbul gets about a fifth, Bayburt a few in a thousand.

Data: ``data/district_population.csv``, TÜİK's figures as turkiye-api publishes them (sources
and licence in ``data/SOURCES.md``); the district ids are those of ``data/districts.csv``.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import NamedTuple


class Residents(NamedTuple):
    plate: str  # the province's plate code, "06"
    district_id: int
    population: int


@cache
def district_residents() -> tuple[Residents, ...]:
    """Every district with its population, grouped by province."""
    resource = resources.files("conversations") / "data" / "district_population.csv"
    rows = csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8")))
    return tuple(Residents(row["plate"], int(row["district_id"]), int(row["population"]))
                 for row in rows)
