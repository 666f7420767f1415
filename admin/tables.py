"""The published table of a period, one row per listed cell in a caller's scope: what the
exports hold (no response-level rows), with numbers as numbers."""

from __future__ import annotations

from admin.exports import neutralise
from admin.publish import finest_depth
from admin.scores import ScoreRequest, depth_of, score_rows
from conversations.survey import Survey
from stats.release import SERVICE_DEPTH
from storage.database import Database

TABLE_COLUMNS = ["period", "level", "region", "province", "province_name", "district",
                 "district_name", "link", "link_label", "service", "n", "mean",
                 "mean_ci95_low", "mean_ci95_high", "satisfied_share", "satisfied_ci95_low",
                 "satisfied_ci95_high", "effort", "suppressed"]
_LEVELS = {"national": (), "region": ("region",), "province": ("province",),
           "district": ("district",), "link": ("link",)}


def table_header(survey: Survey) -> list[str]:
    return TABLE_COLUMNS + [f"driver_{d}" for d in survey.report.drivers]


async def table_rows(db: Database, survey: Survey, period: str, province: str | None
                     ) -> list[list]:
    """Every listed cell of the period: Türkiye, its regions and provinces for the whole
    country, or a province with its districts and links (as deep as the survey publishes);
    each for all services and by service."""
    levels = ("province", "district", "link") if province else (
        "national", "region", "province")
    rows = []
    for level in levels:
        places = _LEVELS[level]
        if depth_of(places, province) > finest_depth(survey):
            continue
        by_service = depth_of(places, province) <= SERVICE_DEPTH
        for group_by in (places, (*places, "service")) if by_service else (places,):
            found = await score_rows(db, ScoreRequest(survey, group_by, (period,), province))
            rows += [_row(level, cell, survey) for cell in found]
    return rows


def _row(level: str, cell: dict, survey: Survey) -> list:
    mean_ci = cell["mean_ci95"] or (None, None)
    share_ci = cell["satisfied_ci95"] or (None, None)
    texts = [cell["period"], level, cell.get("region"), cell.get("province"),
             cell.get("province_name"), cell.get("district"), cell.get("district_name"),
             cell.get("link"), cell.get("link_label"), cell.get("service")]
    return [neutralise(v) if v is not None else "" for v in texts] + [
        cell["n"], cell["mean"], *mean_ci, cell["satisfied_share"], *share_ci, cell["effort"],
        "yes" if cell["suppressed"] else "no",
        *(cell["drivers"].get(d) for d in survey.report.drivers)]

