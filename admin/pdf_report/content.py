"""What the PDF report holds, read only from released (disclosure-controlled) cells, exactly
as the API serves them (admin.scores as /scores and /drivers, admin.changes, and the comments
of published cells as /comments, in the order of their text): a hidden cell comes without
figures, and without comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from admin.changes import ChangeRequest, NotReleased, change_table
from admin.proposals import published_cells, text_questions
from admin.publish import Publication, latest_period
from admin.reevaluation import re_evaluation_of
from admin.report import report_groups
from admin.scores import KeyDrivers, ScoreRequest, key_drivers, score_rows
from conversations.places import province_by_plate
from conversations.survey import Survey
from stats import periods
from storage import comments, findings
from storage.database import Database

FINDINGS_SHOWN = 40  # the most recent; the register (dashboard, API) has them all
SIGNIFICANT = ("better", "worse")  # verdicts after Benjamini-Hochberg worth reporting
TREND_SHOWN = 6  # released periods in the trend, the chosen one the last
TREND_LOOKED_AT = 12  # how far back they are looked for (a period may not be released)
COMMENTS_SHOWN = 8  # the first distinct texts of /comments: text order, not time
READ_FOR_DISTINCT = 25  # how many pages' worth of comments are read to find them


@dataclass(frozen=True)
class ReportContent:
    survey: Survey
    period: str
    scope: str  # "Türkiye" or the province's name
    province: str | None
    made: datetime
    min_cell: int
    rows: list[dict]  # one per service, as /scores?group_by=service
    base: str | None  # the period compared with; None when it was not released
    changes: list[dict]  # cells with a significant change of mean or share
    findings: list[dict]  # the scope's findings: fields, overdue, re-evaluation verdict
    findings_total: int
    trend: list[dict]  # all services, one per released period, oldest first (/scores)
    key: KeyDrivers  # the scope's key drivers, all services (/drivers)
    comments: list[dict]  # the first of the scope's published comments, in text order
    comments_total: int
    provinces: list[dict] | None  # the national report's map: all services by province
    # The copy sent in Telegram leaves citizens' words out (admin.report_delivery): they
    # stay on the dashboard and its download, not in chats on Telegram's servers abroad.
    comments_left_out: bool = False


class NoReport(LookupError):
    """Nothing to report: the text says why (no released period, an unknown province)."""


async def load_content(db: Database, survey: Survey, publication: Publication,
                       period: str | None, province: str | None) -> ReportContent:
    """The report of a released period for Türkiye or one province; NoReport otherwise."""
    place = province_by_plate(province) if province else None
    if province and place is None:
        raise NoReport(f"no province has the plate code {province!r}")
    period = await latest_period(db, survey, publication, period)
    if period is None:
        raise NoReport("no period has been released yet")
    plate = place.plate if place else None
    rows = await score_rows(db, ScoreRequest(survey, _by_service(survey), (period,), plate))
    if not rows:
        raise NoReport(f"{period} has not been released")
    base, changes = await _significant_changes(db, survey, period, plate)
    total, shown = await _findings(db, survey, publication, plate)
    comments_total, sample = await _comments(db, survey, period, plate)
    return ReportContent(survey, period, place.name if place else "Türkiye", plate,
                         datetime.now(UTC), publication.of(survey).min_cell, rows, base,
                         changes, shown, total, await _trend(db, survey, period, plate),
                         await key_drivers(db, survey, period, plate, None), sample,
                         comments_total,
                         None if plate else await _provinces(db, survey, period))


async def _trend(db: Database, survey: Survey, period: str, province: str | None
                 ) -> list[dict]:
    """The last released periods up to this one, all services, as /scores?group_by=period."""
    looked_at = tuple(periods.trailing(period, TREND_LOOKED_AT))
    rows = await score_rows(db, ScoreRequest(survey, ("period",), looked_at, province))
    return rows[-TREND_SHOWN:]


async def _provinces(db: Database, survey: Survey, period: str) -> list[dict]:
    """Every listed province of the period, all services, as /scores?group_by=province."""
    try:
        return await score_rows(db, ScoreRequest(survey, ("province",), (period,)))
    except ValueError:  # a survey not published by province has no map
        return []


async def _comments(db: Database, survey: Survey, period: str, province: str | None
                    ) -> tuple[int, list[dict]]:
    """How many comments the scope's published cells have, and the first of them in the
    order of their text, as the first page of /comments (never those of a hidden cell)."""
    async with db.transaction() as session:
        shown = await published_cells(session, survey, period, province)
        total, first = await comments.page_of_comments(
            session, survey.key, text_questions(survey), periods.start_of(period),
            periods.end_of(period), shown, 1, COMMENTS_SHOWN * READ_FOR_DISTINCT)
    return total, _distinct(first)[:COMMENTS_SHOWN]


def _distinct(items: list[dict]) -> list[dict]:
    """Each text once, where it first comes: a text many wrote ("Teşekkürler") would fill
    the sample."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if (text := item["text"].casefold()) not in seen:
            seen.add(text)
            kept.append(item)
    return kept


async def _findings(db: Database, survey: Survey, publication: Publication,
                    province: str | None) -> tuple[int, list[dict]]:
    """The scope's findings of this survey, the most recent first, each with the verdict of
    its re-evaluation (None until its action has been taken and a period released since)."""
    kind = publication.of(survey).kind
    async with db.transaction() as session:
        _, records = await findings.list_findings(session, findings.Filters(province=province))
        ours = [r for r in records if r.fields["survey_key"] == survey.key]
        shown = []
        for record in ours[:FINDINGS_SHOWN]:
            result, _ = await re_evaluation_of(session, record.fields, kind)
            shown.append({**record.fields, "overdue": record.overdue,
                          "verdict": result["verdict"] if result else None})
    return len(ours), shown


def _by_service(survey: Survey) -> tuple[str, ...]:
    return ("service",) if survey.has_dimension("service") else ()


async def _significant_changes(db: Database, survey: Survey, period: str,
                               province: str | None) -> tuple[str | None, list[dict]]:
    # By province and service (for one province, its services): where a problem is found
    # and turned into a finding. Nationally the false discovery rate is held across all
    # the cells compared, as on the dashboard's "what changed".
    try:
        table = await change_table(db, ChangeRequest(survey, period, "previous",
                                                     report_groups(survey), province))
    except NotReleased:
        return None, []
    significant = [row for row in table.rows
                   if any(row[k]["verdict"] in SIGNIFICANT
                          for k in ("mean", "satisfied_share"))]
    return table.base, significant
