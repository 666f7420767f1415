"""`izdes demo` on a database: refuse one holding what the demo did not make, write the
dataset in one transaction (what an earlier run made is replaced), sum the score rollups,
release the ended periods, make findings of the named trends, and give a national token to
sign in with."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from admin.demo.dataset import Dataset, DemoResponse
from admin.demo.findings import make_findings
from admin.demo.size import DemoSize
from admin.demo.trends import NAMED_TRENDS, NamedTrend
from admin.publish import Publication, publish_due
from admin.scores import ScoreRequest, score_rows
from admin.tokens import Scope, create_token
from conversations.links import stats_code_digest
from conversations.notice import NOTICE_VERSION
from conversations.state import Status
from conversations.survey import DEFAULT_SURVEY, Survey
from storage import demo
from storage.admin_store import list_tokens, revoke_token
from storage.database import Database
from storage.migrate import prepare
from storage.models import Answer, Link, LinkWeek, Respondent, Response
from storage.rollups import rebuild, reported

TOKEN_NAME = "izdes demo"


class Refused(Exception):
    """The database holds what the demo did not make: it is left as it was."""


@dataclass(frozen=True)
class TrendFigures:
    """A named trend's cell as released: its mean in the first and the last period (None
    where the cell is hidden)."""

    trend: NamedTrend
    first: tuple[str, float | None]
    last: tuple[str, float | None]


@dataclass
class Filled:
    dataset: Dataset
    released: list[str] = field(default_factory=list)
    trends: list[TrendFigures] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)  # ids in the findings register
    token: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # write (and make), release


async def fill_demo(db: Database, surveys: Mapping[str, Survey], size: DemoSize, now: datetime,
                    publication: Publication, key_fingerprint: str, token_key: bytes,
                    workers: int = 1, told: Callable[[str], None] = lambda _: None) -> Filled:
    """Fill ``db`` (Refused, before anything is changed, when it holds data of people)."""
    await db.ensure_reachable()
    async with db.connection() as connection:  # before migrating: an old database stays so
        await _refuse_unless_demo(connection)
    await prepare(db, surveys, key_fingerprint)
    clock = _Clock()
    filled = Filled(Dataset(size, now, surveys))
    async with db.transaction() as session:
        await _refuse_unless_demo(await session.connection())
        await demo.clear_demo(session)
        await _write(session, filled.dataset)
        for key, measures in reported(surveys).items():
            await rebuild(session, key, measures)
    filled.seconds["write"] = clock.lap()
    told(f"written in {filled.seconds['write']:.1f} s; releasing the periods that have ended "
         "(a sparse month takes a minute or more)")
    filled.released = await publish_due(db, surveys, publication, now, workers=workers,
                                        told=lambda done: told(f"released {done}"))
    filled.seconds["release"] = clock.lap()
    chosen = _periods_of(DEFAULT_SURVEY, filled.released)
    filled.trends = await _trend_figures(db, surveys[DEFAULT_SURVEY], chosen)
    async with db.transaction() as session:  # made from the released figures, as an analyst
        filled.findings = await make_findings(session, DEFAULT_SURVEY, chosen, now)
    filled.token = await _token(db, token_key)
    return filled


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self) -> float:
        """Seconds since the last lap (or the start)."""
        now = time.perf_counter()
        took, self.last = now - self.last, now
        return took


async def _refuse_unless_demo(connection: AsyncConnection) -> None:
    found = await demo.not_demo(connection)
    if found is not None:
        raise Refused(found)


async def _write(session: AsyncSession, dataset: Dataset) -> None:
    links = await demo.add_rows(session, Link.__table__, [{
        "payload": made.payload, "stats_digest": stats_code_digest(made.stats_code),
        "label": made.link.label, "province": made.link.plate,
        "district": made.link.district_id, "mahalle": made.link.mahalle, "service": None,
        # A link to the default survey names none, as `izdes links create` makes it.
        "survey_key": None if made.link.survey_key == DEFAULT_SURVEY else made.link.survey_key,
        "valid_until": None, "created_at": made.created_at, "disabled_at": None, "demo": True,
    } for made in dataset.links])
    for month in dataset.by_month():
        respondents = await demo.add_rows(session, Respondent.__table__, [{
            "key_hash": r.respondent_key, "language": r.language,
            "consent_version": str(NOTICE_VERSION), "consented_at": r.started_at,
            "created_at": r.started_at} for r in month])
        responses = await demo.add_rows(session, Response.__table__, [
            _response_row(r, respondent, links)
            for r, respondent in zip(month, respondents, strict=True)])
        await demo.add_rows(session, Answer.__table__, [
            {"response_id": response_id, "question_id": qid, "value": value, "score": score,
             "answered_at": at}
            for r, response_id in zip(month, responses, strict=True)
            for qid, value, score, at in r.answers], numbered=False)
    await demo.add_rows(session, LinkWeek.__table__, [
        {"link_id": links[link], "week": week, "opened": opened, "consented": consented,
         "completed": completed}
        for link, week, opened, consented, completed in dataset.reach()], numbered=False)


def _response_row(r: DemoResponse, respondent_id: int, links: list[int]) -> dict:
    return {"respondent_id": respondent_id, "survey_key": r.survey.key,
            "survey_version": r.survey.version, "status": Status.COMPLETED.value, "step": None,
            "turn": len(r.answers), "message_ref": None, **r.dimensions,
            "started_at": r.started_at, "updated_at": r.completed_at,
            "completed_at": r.completed_at,
            "link_id": links[r.link] if r.link is not None else None, "mahalle": r.mahalle,
            "flagged_automated": r.flagged, "demo": True}


def _periods_of(survey_key: str, released: list[str]) -> list[str]:
    """The periods of one survey among those released ("survey period"), in order."""
    return sorted(period for key, _, period in (r.partition(" ") for r in released)
                  if key == survey_key)


async def _trend_figures(db: Database, survey: Survey, chosen: list[str]
                         ) -> list[TrendFigures]:
    if not chosen:
        return []
    found = []
    for trend in NAMED_TRENDS:
        rows = await score_rows(db, ScoreRequest(survey, ("period",), tuple(chosen),
                                                 trend.province, trend.service))
        means = {row["period"]: row["mean"] for row in rows}
        found.append(TrendFigures(trend, (chosen[0], means.get(chosen[0])),
                                  (chosen[-1], means.get(chosen[-1]))))
    return found


async def _token(db: Database, key: bytes) -> str:
    """A national token to sign in on the dashboard; an earlier run's is revoked."""
    async with db.transaction() as session:
        for token in await list_tokens(session):
            if token.name == TOKEN_NAME and token.revoked_at is None:
                await revoke_token(session, token.id)
    return await create_token(db, key, Scope(None), TOKEN_NAME)
