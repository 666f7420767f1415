"""Arabic names of the 81 provinces and of the larger districts.

Many citizens who answer in Arabic are Syrians living in Türkiye: they write "غازي عنتاب",
"اسطنبول" or "أورفا", and read Arabic faster than Turkish on a button. Data:
``data/arabic_names.csv`` (sources and licences in ``data/SOURCES.md``): for each place its
Arabic names as they are written, the one shown on buttons first (provinces only: district
buttons keep the Turkish names on the signs).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources


@cache
def _rows() -> tuple[dict[str, str], ...]:
    resource = resources.files("conversations") / "data" / "arabic_names.csv"
    return tuple(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))))


def _shown_first(row: Mapping[str, str]) -> bool:
    return row["shown"] != "yes"  # sorts the shown name (False) before the others


@cache
def _province_names() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[Mapping[str, str]]] = {}
    for row in _rows():
        if not row["district_id"]:
            grouped.setdefault(row["plate"], []).append(row)
    return {plate: tuple(r["arabic"] for r in sorted(rows, key=_shown_first))
            for plate, rows in grouped.items()}


@cache
def _district_names() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for row in _rows():
        if row["district_id"]:
            grouped.setdefault(row["district_id"], []).append(row["arabic"])
    return {district_id: tuple(names) for district_id, names in grouped.items()}


def province_names(plate: str) -> tuple[str, ...]:
    """A province's Arabic names (plate "27": "غازي عنتاب", "عنتاب", ...), the one shown on
    buttons first; empty for an unknown plate."""
    return _province_names().get(plate, ())


def shown_province_name(plate: str) -> str | None:
    """The Arabic name on a province's button, None for an unknown plate."""
    names = province_names(plate)
    return names[0] if names else None


def district_names(district_id: int | str) -> tuple[str, ...]:
    """A district's Arabic names; empty for most small districts, which have none on file."""
    return _district_names().get(str(district_id), ())
