"""Comments and staff proposals as they are published: only those of the province-by-service
cells a released period shows, in the order of their text (never of their time), each with a
reference made of what is published about it (storage.comments.comment_ref).

A finding's proposed solution can be a staff proposal, named by its reference
(POST /findings/{id}/proposals with "staff_proposal", `izdes findings proposal --staff`):
``published_proposal`` gives the proposal back only while its cell is published, so a finding
never carries the words of a cell too small to show (4 staff of a unit type, say).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.survey import Survey
from stats import periods
from storage import comments, releases
from storage.database import Database


def text_questions(survey: Survey) -> list[str]:
    """The free-text questions: a citizen's comment, a staff member's proposal."""
    return [q.id for q in survey.questions if q.kind == "text"]


async def published_cells(session: AsyncSession, survey: Survey, period: str,
                          province: str | None = None, service: str | None = None
                          ) -> list[tuple[str, str]]:
    """The (province, service) cells the period shows, whose comments may be read."""
    cells = await releases.read_cells(session, survey.key, (period,), 2, province, service)
    return [(c.province, c.service) for c in cells if not c.hidden]


async def published_proposal(db: Database, survey: Survey, period: str, ref: str,
                             province: str | None = None) -> dict | None:
    """The published comment or proposal with this reference (of ``province`` only, when
    given), as /comments shows it; None when there is none, or its cell is not published."""
    async with db.transaction() as session:
        return await proposal_in(session, survey, period, ref, province)


async def proposal_in(session: AsyncSession, survey: Survey, period: str, ref: str,
                      province: str | None = None) -> dict | None:
    """published_proposal, in the caller's transaction."""
    cells = await published_cells(session, survey, period, province)
    found = await comments.texts_of_cells(
        session, survey.key, text_questions(survey), periods.start_of(period),
        periods.end_of(period), cells)
    return next(({"province": plate, "service": service, "period": period, "text": text,
                  "ref": ref}
                 for plate, service, text in found
                 if comments.comment_ref(period, plate, service, text) == ref), None)
