"""Free-text comments for admins: already scrubbed when stored; only those of published cells
of a period, ordered by their text so that the order says nothing about when they came."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Result, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.state import Status
from storage.models import Answer, Response


async def page_of_comments(
    session: AsyncSession, survey_key: str, question_ids: list[str], start: datetime, end: datetime,
    cells: Sequence[tuple[str, str]], page: int, per_page: int,
) -> tuple[int, list[dict[str, str]]]:
    """The comments of responses completed in [start, end) in these (province, service)
    cells: their number and one page."""
    if not cells:
        return 0, []
    where = [Response.survey_key == survey_key, Response.status == Status.COMPLETED,
             Response.flagged_automated.is_(False),
             Response.completed_at >= start, Response.completed_at < end,
             tuple_(Response.province, Response.service).in_(list(cells)),
             Answer.question_id.in_(question_ids)]
    joined = select(Response.province, Response.service, Answer.value).join(
        Answer, Answer.response_id == Response.id).where(*where)
    total = await session.scalar(select(func.count()).select_from(joined.subquery()))
    rows = await session.execute(joined.order_by(Answer.value, Answer.id)
                                 .limit(per_page).offset((page - 1) * per_page))
    items = [{"province": province, "service": service, "text": text}
             for province, service, text in _in_cells(rows)]
    return total or 0, items


async def all_texts(session: AsyncSession, survey_key: str, question_ids: list[str],
                    start: datetime, end: datetime) -> list[str]:
    """Every comment of responses completed in [start, end), in the order of their text."""
    query = (select(Answer.value).join(Response, Answer.response_id == Response.id)
             .where(Response.survey_key == survey_key, Response.status == Status.COMPLETED,
                    Response.flagged_automated.is_(False), Response.completed_at >= start,
                    Response.completed_at < end, Answer.question_id.in_(question_ids))
             .order_by(Answer.value))
    return list(await session.scalars(query))


def comment_ref(period: str, province: str, service: str, text: str) -> str:
    """A stable reference to one published comment or staff proposal, made only of what is
    published about it: never its id or time, which would say when it came. For the findings
    register, to attach a staff proposal to a finding as a proposed solution (admin.proposals
    resolves it, and only while its cell is published)."""
    joined = "\x1f".join((period, province, service or "", text))
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


async def texts_of_cells(session: AsyncSession, survey_key: str, question_ids: list[str],
                         start: datetime, end: datetime, cells: Sequence[tuple[str, str]]
                         ) -> list[tuple[str, str, str]]:
    """(province, service, text) of every comment of responses completed in [start, end) in
    these (province, service) cells, in the order of their text."""
    if not cells:
        return []
    query = (select(Response.province, Response.service, Answer.value)
             .join(Answer, Answer.response_id == Response.id)
             .where(Response.survey_key == survey_key, Response.status == Status.COMPLETED,
                    Response.flagged_automated.is_(False), Response.completed_at >= start,
                    Response.completed_at < end,
                    tuple_(Response.province, Response.service).in_(list(cells)),
                    Answer.question_id.in_(question_ids))
             .order_by(Answer.value))
    return [(province, service, text) for province, service, text in
            _in_cells(await session.execute(query))]


def _in_cells(rows: Result[str | None, str | None, str]) -> Result[str, str, str]:
    """Rows of comments selected by the IN on (province, service) in given cells: that
    admits no NULL, so both are strings, though a response may have neither."""
    return cast(Result[str, str, str], rows)
