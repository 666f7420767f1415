"""Who has been sent which period's report (admin.report_delivery): a claim per survey,
period and recipient, taken before sending, so that of several bot processes on one
database only one sends it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReportDelivery
from storage.statements import insert_ignoring_duplicates, rowcount

CLAIMED, SENT, FAILED, EMPTY = "claimed", "sent", "failed", "empty"


async def claim(session: AsyncSession, survey_key: str, period: str, recipient: str,
                scope: str, now: datetime, retry_after: timedelta, max_attempts: int) -> int:
    """Which attempt at sending the report this caller's is, or 0: it may not send it now.
    It may when no one has claimed it yet, or when a claim older than ``retry_after`` was
    left unsent (its process stopped, or sending failed for now) and has been tried fewer
    than ``max_attempts`` times. Of two callers at once, one wins."""
    first = await session.execute(insert_ignoring_duplicates(session, ReportDelivery, {
        "survey_key": survey_key, "period": period, "recipient": recipient, "scope": scope,
        "status": CLAIMED, "attempts": 1, "claimed_at": now}))
    if rowcount(first) == 1:
        return 1
    # Claimed before: taken again only where the row still reads as left behind. The
    # condition is checked on the row as it is when the update holds it, so one wins.
    table = ReportDelivery.__table__.c
    result = await session.execute(
        update(ReportDelivery)
        .where(table.survey_key == survey_key, table.period == period,
               table.recipient == recipient, table.status == CLAIMED,
               table.claimed_at < now - retry_after, table.attempts < max_attempts)
        .values(claimed_at=now, attempts=table.attempts + 1, scope=scope)
        .execution_options(synchronize_session=False))
    if rowcount(result) != 1:
        return 0
    attempts = await session.scalar(select(table.attempts).where(
        table.survey_key == survey_key, table.period == period, table.recipient == recipient))
    return int(attempts or 0)


async def settle(session: AsyncSession, survey_key: str, period: str, recipient: str,
                 status: str, now: datetime) -> None:
    """The claim's outcome: sent, failed (given up) or empty (nothing to report)."""
    table = ReportDelivery.__table__.c
    await session.execute(
        update(ReportDelivery)
        .where(table.survey_key == survey_key, table.period == period,
               table.recipient == recipient)
        .values(status=status, sent_at=now if status == SENT else None)
        .execution_options(synchronize_session=False))


async def release_claim(session: AsyncSession, survey_key: str, period: str, recipient: str,
                        now: datetime) -> None:
    """Sending failed for now: the claim counts from now, and is taken again once it has
    waited its time (claim's ``retry_after``)."""
    table = ReportDelivery.__table__.c
    await session.execute(
        update(ReportDelivery)
        .where(table.survey_key == survey_key, table.period == period,
               table.recipient == recipient)
        .values(claimed_at=now)
        .execution_options(synchronize_session=False))

