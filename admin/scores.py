"""Scores as published everywhere (API, `izdes report`, Telegram): the same statistics and the
same small-cell suppression, computed from the database's cell totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from admin.survey_statistics import CellTotals, merge_totals, table_stats
from conversations.places import district_by_id, province_by_plate, region_name
from conversations.reach import place_line
from conversations.survey import Survey
from storage.cell_totals import Filters, measures_of
from storage.database import Database
from storage.links import link_labels
from storage.rollups import cell_totals

# "mahalle" names repeat across the country (every province has a Cumhuriyet Mahallesi):
# group by province,district,mahalle - or by link - to keep them apart.
GROUPS = ("province", "district", "service", "month", "channel", "region", "link", "mahalle")


@dataclass(frozen=True)
class ScoreRequest:
    survey: Survey
    group_by: tuple[str, ...]
    filters: Filters
    min_cell: int


async def score_rows(db: Database, request: ScoreRequest) -> list[dict]:
    """One row per cell, suppression applied, in the published JSON shape."""
    in_sql = tuple("province" if g == "region" else g for g in request.group_by)
    if "region" in request.group_by and "province" in request.group_by:
        raise ValueError("group by region or by province, not both")
    totals = await cell_totals(db, measures_of(request.survey), in_sql, request.filters)
    if "region" in request.group_by:
        totals = _by_region(totals, in_sql.index("province"))
    totals = {tuple("" if v is None else str(v) for v in k): t for k, t in totals.items()}
    width = len(request.group_by)
    margins = [(i,) for i in range(width)] if width > 1 else [()]
    # The totals along the margins shape the suppression; only the cells are published.
    figures = table_stats(totals, request.min_cell, margins, margin_figures=False).cells
    links = await _links_named(db, request.group_by, figures)
    rows = []
    for key in sorted(figures):
        row: dict = {}
        for dimension, value in zip(request.group_by, key, strict=True):
            row.update(_dimension_fields(dimension, value or None, links))
        row.update(figures[key].public())
        rows.append(row)
    return rows


def _by_region(totals: dict, index: int) -> dict:
    grouped: dict[tuple, list[CellTotals]] = defaultdict(list)
    for key, cell in totals.items():
        province = province_by_plate(key[index]) if key[index] else None
        region = province.nuts1 if province else None
        grouped[(*key[:index], region, *key[index + 1:])].append(cell)
    return {key: merge_totals(parts) for key, parts in grouped.items()}


async def _links_named(db: Database, group_by: tuple[str, ...], figures: dict) -> dict:
    if "link" not in group_by:
        return {}
    index = group_by.index("link")
    return await link_labels(db, sorted({int(k[index]) for k in figures if k[index]}))


def _dimension_fields(dimension: str, value: str | None, links: dict) -> dict:
    fields: dict = {dimension: value}
    if dimension == "province":
        province = province_by_plate(value) if value else None
        fields["province_name"] = province.name if province else None
    elif dimension == "region":
        fields["region_name"] = region_name(value) if value else None
    elif dimension == "link":
        link = links.get(int(value)) if value else None
        fields["link_label"] = link.label if link else None
        fields["link_place"] = place_line(link) if link else None
    elif dimension == "district":
        district = district_by_id(value) if value else None
        fields["district_name"] = district.name if district else None
    return fields
