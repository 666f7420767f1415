"""The report to the centre delivered: each administrator in IZDES_ADMIN_TELEGRAM_IDS gets
the PDF of their scope (Türkiye, or their province) for the latest released period, once.

Only the latest released period is delivered: a bot that was down when a period was
released sends it when it comes back, but a first deployment does not send a backlog of
old periods. Each (survey, period, administrator) is claimed in the database before it is
sent (storage.deliveries), so several bot processes on one database send it once in all.

A failure to send one is logged (its kind and the scope, never who) and does not stop the
others. An administrator who cannot be sent anything (blocked the bot, never wrote to it:
``Undeliverable``) is not tried again for that period; any other failure (Telegram or the
network down, a report that could not be made) is tried again on a later round, at most
MAX_ATTEMPTS times in all, then given up. A claim whose process stopped before it could
send is taken again after RETRY_AFTER.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from admin.pdf_report.content import NoReport, ReportContent, load_content
from admin.pdf_report.pages import report_pdf
from admin.publish import Publication, latest_period
from admin.tokens import Scope
from conversations.survey import Survey
from storage import deliveries
from storage.database import Database

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
KIND_WORDS = {"month": "aylık", "quarter": "üç aylık", "year": "yıllık"}


@dataclass(frozen=True)
class Recipient:
    """An administrator: their Telegram id (only in memory, from the settings), the keyed
    code the database knows them by, and what they may see."""

    user_id: int
    code: str
    scope: Scope


class Undeliverable(Exception):
    """This recipient cannot be sent anything now and will not be soon (they blocked the
    bot, or never started it): not tried again for this period."""


# (Telegram user id, the PDF, its file name, its caption): sends it or raises.
Send = Callable[[int, bytes, str, str], Awaitable[None]]


@dataclass(frozen=True)
class Claimed:
    """A recipient this process may send the report to now, and which attempt it is."""

    recipient: Recipient
    attempt: int


async def deliver_latest(db: Database, survey: Survey, publication: Publication,
                         recipients: Sequence[Recipient], send: Send,
                         now: datetime) -> dict[str, int]:
    """Send the latest released period's report to every recipient who has not had it;
    returns how many went each way (sent, failed, retry, empty), for the log."""
    period = await latest_period(db, survey, publication)
    if period is None or not recipients:
        return {}
    claimed = [c for r in recipients if (c := await _claim(db, survey, period, r, now))]
    outcome: dict[str, int] = {}
    for scope in dict.fromkeys(str(c.recipient.scope) for c in claimed):
        ours = [c for c in claimed if str(c.recipient.scope) == scope]
        for status in await _deliver_scope(db, survey, publication, period, ours, send, now):
            outcome[status] = outcome.get(status, 0) + 1
    return outcome


async def _claim(db: Database, survey: Survey, period: str, recipient: Recipient,
                 now: datetime) -> Claimed | None:
    async with db.transaction() as session:  # committed at once: other processes see it
        attempt = await deliveries.claim(session, survey.key, period, recipient.code,
                                         str(recipient.scope), now, RETRY_AFTER, MAX_ATTEMPTS)
    return Claimed(recipient, attempt) if attempt else None


async def _deliver_scope(db: Database, survey: Survey, publication: Publication, period: str,
                         claimed: list[Claimed], send: Send, now: datetime) -> list[str]:
    """One scope's report made once, and sent to each of its claimed recipients."""
    scope = claimed[0].recipient.scope
    try:
        content = dataclasses.replace(
            await load_content(db, survey, publication, period, scope.province),
            comments=[], comments_total=0, comments_left_out=True)
        # fpdf2 works for seconds on a national report: in a thread, not on the event loop.
        pdf = await asyncio.to_thread(report_pdf, content)
    except NoReport:  # nothing released in this scope for the period
        log.info("report delivery %s %s (%s): nothing to report", survey.key, period, scope)
        return [await _settle(db, survey, period, c, deliveries.EMPTY, now) for c in claimed]
    except Exception as error:
        log.warning("report delivery %s %s (%s): the report could not be made: %s",
                    survey.key, period, scope, type(error).__name__)
        return [await _again_or_give_up(db, survey, period, c, now) for c in claimed]
    filename, caption = _naming(content, publication.of(survey).kind)
    return [await _send_one(db, survey, period, c, send, pdf, filename, caption, now)
            for c in claimed]


def _naming(content: ReportContent, kind: str) -> tuple[str, str]:
    """The file's name and the message's caption (Turkish, as the report)."""
    words = KIND_WORDS.get(kind, "")
    caption = f"İZDES {words} raporu — {content.period} — {content.scope}".replace("  ", " ")
    return f"izdes-rapor-{content.period}-{content.province or 'tr'}.pdf", caption


async def _send_one(db: Database, survey: Survey, period: str, claimed: Claimed, send: Send,
                    pdf: bytes, filename: str, caption: str, now: datetime) -> str:
    scope = claimed.recipient.scope
    try:
        await send(claimed.recipient.user_id, pdf, filename, caption)
    except Undeliverable as error:
        log.warning("report delivery %s %s to an administrator (%s) failed: %s; not tried "
                    "again", survey.key, period, scope, error)
        return await _settle(db, survey, period, claimed, deliveries.FAILED, now)
    except Exception as error:
        log.warning("report delivery %s %s to an administrator (%s) failed: %s",
                    survey.key, period, scope, type(error).__name__)
        return await _again_or_give_up(db, survey, period, claimed, now)
    return await _settle(db, survey, period, claimed, deliveries.SENT, now)


async def _again_or_give_up(db: Database, survey: Survey, period: str, claimed: Claimed,
                            now: datetime) -> str:
    if claimed.attempt >= MAX_ATTEMPTS:
        return await _settle(db, survey, period, claimed, deliveries.FAILED, now)
    async with db.transaction() as session:
        await deliveries.release_claim(session, survey.key, period, claimed.recipient.code,
                                       now)
    return "retry"


async def _settle(db: Database, survey: Survey, period: str, claimed: Claimed, status: str,
                  now: datetime) -> str:
    async with db.transaction() as session:
        await deliveries.settle(session, survey.key, period, claimed.recipient.code, status,
                                now)
    return status
