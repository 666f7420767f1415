"""Free-text comments for admins: already scrubbed when stored; month, not exact time."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.cell_totals import Filters, conditions
from storage.database import Database
from storage.models import Answer, Response


async def page_of_comments(
    db: Database, filters: Filters, question_ids: list[str], page: int, per_page: int
) -> tuple[int, list[dict]]:
    where = [*conditions(filters), Answer.question_id.in_(question_ids)]
    base = select(Response.province, Response.service, Response.completed_at, Answer.value).join(
        Answer, Answer.response_id == Response.id).where(*where)
    async with db.transaction() as session:
        total = await session.scalar(
            select(func.count()).select_from(Response).join(
                Answer, Answer.response_id == Response.id).where(*where))
        rows = await session.execute(
            base.order_by(Response.completed_at.desc(), Response.id.desc())
            .limit(per_page).offset((page - 1) * per_page))
        items = [
            {"province": province, "service": service,
             "month": completed.strftime("%Y-%m") if completed else None, "text": text}
            for province, service, completed, text in rows
        ]
    return total or 0, items
