"""Aggregation queries for reports: scores per province and service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select, true

from storage.database import Database
from storage.models import Answer, Response


@dataclass(frozen=True)
class ScoreRow:
    province: str | None
    service: str | None
    n: int
    mean_overall: float | None
    satisfied_share: float | None
    drivers: dict[str, float | None]
    effort: float | None


async def scores_by_province_and_service(
    db: Database, survey_key: str, *, overall: str, satisfied_min: float,
    drivers: tuple[str, ...], effort: str | None, include_flagged: bool = False,
) -> list[ScoreRow]:
    """One row per (province, service) over completed responses, in one pass over answers."""

    def mean_of(question_id: str):
        return func.avg(case((Answer.question_id == question_id, Answer.score)))

    satisfied = case(
        (Answer.question_id != overall, None),
        (Answer.score >= satisfied_min, 1.0),
        else_=0.0,
    )
    columns = [
        Response.province, Response.service,
        func.count(func.distinct(Response.id)).label("n"),
        mean_of(overall).label("overall"),
        func.avg(satisfied).label("satisfied"),
        *(mean_of(d).label(f"d_{d}") for d in drivers),
        (mean_of(effort) if effort else func.avg(None)).label("effort"),
    ]
    query = (
        select(*columns)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.survey_key == survey_key, Response.status == "completed")
        .where(true() if include_flagged else Response.flagged_automated.is_(False))
        .group_by(Response.province, Response.service)
        .order_by(Response.province, Response.service)
    )
    async with db.transaction() as session:
        rows = (await session.execute(query)).mappings().all()
    return [
        ScoreRow(
            province=row["province"], service=row["service"], n=row["n"],
            mean_overall=_float(row["overall"]), satisfied_share=_float(row["satisfied"]),
            drivers={d: _float(row[f"d_{d}"]) for d in drivers}, effort=_float(row["effort"]),
        )
        for row in rows
    ]


def _float(value: object) -> float | None:
    return None if value is None else float(value)
