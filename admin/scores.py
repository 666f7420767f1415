"""Scores as published everywhere (API, dashboard, `izdes report`, /rapor, exports): the cells
of released periods (admin.publish), read as they were decided, so every cell reads the same
in every table and for every token that may see it."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.places import district_by_id, province_by_plate, region_name
from conversations.reach import place_line
from conversations.survey import Survey
from stats.disclosure import UNSTATED
from stats.release import PLACE_DEPTHS, SERVICE_DEPTH
from storage.database import Database
from storage.links import link_labels
from storage.releases import CellRow, read_cells

# Places are a hierarchy (Türkiye, region, province, district, muhtar link): a table is cut
# at one of its levels, by service or not, for one period or several.
PLACES = ("region", "province", "district", "link")
GROUPS = (*PLACES, "service", "period")
_DEPTH = {"region": 1, "province": 2, "district": 3, "link": 4}


@dataclass(frozen=True)
class ScoreRequest:
    survey: Survey
    group_by: tuple[str, ...]
    periods: tuple[str, ...]
    province: str | None = None
    service: str | None = None


def depth_of(group_by: tuple[str, ...], province: str | None) -> int:
    """The level of place a table is cut at."""
    depths = [_DEPTH[g] for g in group_by if g in _DEPTH]
    if 1 in depths and (province or len(depths) > 1):
        raise ValueError("group by region alone, or by province, district or link")
    return max(depths, default=2 if province else 0)


def cut_of(survey: Survey, group_by: tuple[str, ...], province: str | None,
           service: str | None) -> tuple[int, str | None]:
    """The level of place and the service filter of a table (None: each service); ValueError
    for a cut that is not published (the staff survey stops at the province)."""
    depth = depth_of(group_by, province)
    finest = survey.report.finest_place if survey.report else "link"
    if depth > PLACE_DEPTHS[finest]:
        raise ValueError(f"the {survey.key} survey is published down to the {finest} only")
    if depth > SERVICE_DEPTH and ("service" in group_by or service):
        raise ValueError("figures by service go down to the province; districts and links "
                         "are for all services")
    return depth, None if "service" in group_by and not service else (service or "")


async def score_rows(db: Database, request: ScoreRequest) -> list[dict]:
    """One row per listed cell, hidden ones with no figure, in the published JSON shape."""
    if "period" not in request.group_by and len(request.periods) != 1:
        raise ValueError("one period, or group_by=period")
    depth, service = cut_of(request.survey, request.group_by, request.province,
                            request.service)
    async with db.transaction() as session:
        cells = await read_cells(session, request.survey.key, request.periods, depth,
                                 request.province, service)
        links = await link_labels(session, link_ids(cells))
    blank = hidden_figures(request.survey)
    return [{**place_fields(cell, depth, links), "service": cell.service or None,
             "period": cell.period, **_figures(cell, blank)} for cell in cells]


def link_ids(cells: list[CellRow]) -> list[int]:
    """The muhtar links among these cells (their labels: storage.links.link_labels)."""
    return sorted({int(c.place.split("/")[3]) for c in cells if c.depth == 4})


def hidden_figures(survey: Survey) -> dict:
    drivers = survey.report.drivers if survey.report else ()
    return {"n": None, "mean": None, "mean_ci95": None, "satisfied_share": None,
            "satisfied_ci95": None, "drivers": dict.fromkeys(drivers), "effort": None,
            "suppressed": True}


def _figures(cell: CellRow, blank: dict) -> dict:
    if cell.hidden or cell.figures is None:
        return dict(blank)
    return {k: v for k, v in cell.figures.items() if k != "key_drivers"}


def place_fields(cell: CellRow, depth: int, links: dict) -> dict:
    """Where a cell is, at the level of place of its table, with names."""
    place = cell.place.split("/") if cell.place else []
    fields: dict = {}
    if depth == 1:
        fields.update(region=place[0], region_name=region_name(place[0]))
    if depth >= 2:
        province = province_by_plate(place[1])
        fields.update(province=place[1], province_name=province.name if province else None)
    if depth >= 3:
        district = district_by_id(place[2]) if place[2] != UNSTATED else None
        fields.update(district=district and place[2],
                      district_name=district.name if district else None)
    if depth == 4:
        link = links.get(int(place[3]))
        fields.update(link=place[3], link_label=link.label if link else None,
                      link_place=place_line(link) if link else None)
    return fields


@dataclass(frozen=True)
class KeyDrivers:
    """The key-driver view of one cell as /drivers serves it: None for n when the cell is not
    published. ``drivers`` are its correlations with overall satisfaction, highest first, and
    ``scores`` the published driver scores of the same cell (as /scores gives them)."""

    n: int | None
    drivers: list[dict]
    scores: dict[str, float | None]


async def key_drivers(db: Database, survey: Survey, period: str, province: str | None,
                      service: str | None) -> KeyDrivers:
    """The key drivers of Türkiye or a province, of one service or all (None or "")."""
    async with db.transaction() as session:
        cells = await read_cells(session, survey.key, (period,), depth_of((), province),
                                 province, service or "")
    figures = cells[0].figures if cells and not cells[0].hidden else None
    if figures is None or figures.get("n") is None:
        return KeyDrivers(None, [], {})
    return KeyDrivers(figures["n"], list(figures.get("key_drivers", [])),
                      dict(figures.get("drivers") or {}))
