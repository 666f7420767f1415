"""Retention (KVKK): linkable data is kept no longer than needed.

- Responses started more than IZDES_RETENTION_DAYS ago are anonymised: the link to the
  respondent is cut, the answers stay in the statistics.
- Respondents (the pseudonymous key, language and consent record) older than that with no
  linked response left are deleted.
- Raw stored updates (which carry Telegram ids and names until handled) are deleted after
  seven days at the latest; handled ones already had their payload cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import inbox
from storage.models import Respondent, Response
from storage.statements import rowcount

RAW_UPDATES_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class RetentionResult:
    responses_anonymised: int
    respondents_deleted: int
    raw_updates_deleted: int


async def apply_retention(
    session: AsyncSession, *, now: datetime, keep: timedelta,
    raw_updates: timedelta = RAW_UPDATES_KEPT,
) -> RetentionResult:
    cutoff = now - keep
    anonymised = await session.execute(
        update(Response)
        .where(Response.started_at < cutoff, Response.respondent_id.is_not(None))
        .values(respondent_id=None, message_ref=None)
    )
    linked = exists(select(Response.id).where(Response.respondent_id == Respondent.id))
    deleted = await session.execute(
        delete(Respondent).where(Respondent.created_at < cutoff, ~linked)
    )
    raw = await inbox.purge(session, now - raw_updates)
    return RetentionResult(rowcount(anonymised), rowcount(deleted), raw)
