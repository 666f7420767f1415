"""Two sides of one service (İZDES1): beside a province's services as citizens rate them, the
figures of the staff of the unit that gives each - citizens find it slow, the staff report
too few personnel. Which unit gives which service is the staff survey's counterpart
(conversations.survey.Counterpart); its figures are its own released cells, by quarter, as
every output reads them, so a hidden staff cell stays hidden here too."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from admin.publish import TEN_YEARS, Publication
from admin.scores import ScoreRequest, score_rows
from conversations.survey import Survey
from stats import periods
from storage import releases
from storage.database import Database


def staff_side(surveys: Mapping[str, Survey], survey: Survey) -> Survey | None:
    """The staff survey whose units give this survey's services, if there is one."""
    return next((s for s in surveys.values() if s.report is not None and s.counterpart
                 and s.counterpart.survey == survey.key), None)


async def staff_period(db: Database, staff: Survey, publication: Publication,
                       period: str) -> str | None:
    """The staff's latest released period that has begun by the end of the citizens'
    ``period``: the quarter of a month, or the one before while it is still running."""
    kind = publication.of(staff).kind
    last_month = periods.month_of(periods.end_of(period) - timedelta(seconds=1))
    candidates = periods.trailing(periods.containing(last_month, kind), TEN_YEARS[kind])
    async with db.transaction() as session:
        return await releases.latest_release(session, staff.key, candidates)


async def staff_beside(db: Database, surveys: Mapping[str, Survey], survey: Survey,
                       publication: Publication, plate: str, period: str | None
                       ) -> dict | None:
    """For a province page: the staff survey, its period and smallest cell, and for each
    of the citizens' services the cell of the unit that gives it in the province (None
    where none of its staff answered); None where no staff survey matches the survey."""
    staff = staff_side(surveys, survey)
    if staff is None or staff.counterpart is None:
        return None
    quarter = await staff_period(db, staff, publication, period) if period else None
    rows = await score_rows(db, ScoreRequest(staff, ("service",), (quarter,), plate)) if (
        quarter) else []
    by_unit = {row["service"]: row for row in rows}
    return {"survey": staff.key, "period": quarter,
            "min_cell": publication.of(staff).min_cell,
            "services": {service: {"unit": unit, "figures": by_unit.get(unit)}
                         for service, unit in staff.counterpart.services.items()}}
