"""SqlSurveyStore: the engine's storage interface (conversations.ports) on SQLAlchemy."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CursorResult,
    Executable,
    Row,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from conversations.links import LinkPlace, LinkReach
from conversations.messages import Shown
from conversations.ports import StoreFactory
from conversations.state import Erasure, RespondentState, SessionState, Status
from conversations.survey import Survey
from storage import findings, inbox, links, rollups
from storage.database import Database
from storage.models import Answer, Respondent, Response, utcnow
from storage.statements import (
    Columns,
    as_utc,
    dialect_insert,
    dialect_of,
    insert_ignoring_duplicates,
    rowcount,
)

DIMENSIONS = ("service", "channel", "province", "district")

# The statements of every survey step, built once. A step runs about eight of them; building
# and caching a statement afresh each time cost more CPU than running it (docs/benchmarks.md).
_respondents = Respondent.__table__
_responses, _answers = Response.__table__, Answer.__table__
_LOCK_RESPONDENT = select(
    _respondents.c.id, _respondents.c.language, _respondents.c.consent_version,
    _respondents.c.consented_at,
).where(_respondents.c.key_hash == bindparam("key")).with_for_update()
_SESSION_COLUMNS = (
    _responses.c.id, _responses.c.respondent_id, _responses.c.survey_key,
    _responses.c.survey_version, _responses.c.status, _responses.c.step, _responses.c.turn,
    _responses.c.message_ref, *(_responses.c[d] for d in DIMENSIONS), _responses.c.updated_at,
    _responses.c.started_at, _responses.c.flagged_automated, _responses.c.link_id,
)
_SESSION_WITH_ANSWERS = _responses.outerjoin(_answers, _answers.c.response_id == _responses.c.id)
_ANSWERED = (_answers.c.question_id, _answers.c.value, _answers.c.answered_at)
# The session in progress and its answers in one round trip (one row per answer).
_ACTIVE_SESSION = select(*_SESSION_COLUMNS, *_ANSWERED).select_from(_SESSION_WITH_ANSWERS).where(
    _responses.c.respondent_id == bindparam("respondent_id"), _responses.c.status == Status.ACTIVE)
# The same, with whether an earlier update of the person is still unhandled (storage.inbox):
# a one-row probe left-joined to the session, so the answer comes even when there is no
# session. A NULL sequence or respondent id makes that part empty.
_PROBE = inbox.EARLIER_UNHANDLED
_IN_ORDER_SESSION = select(_PROBE.c.earlier, *_SESSION_COLUMNS, *_ANSWERED).select_from(
    _PROBE.outerjoin(_SESSION_WITH_ANSWERS, and_(
        _responses.c.respondent_id == bindparam("respondent_id"),
        _responses.c.status == Status.ACTIVE)))
_ANSWER_COLUMNS = ("response_id", "question_id", "value", "score", "answered_at")
# By dialect, as storage.inbox builds its INSERT: an upsert needs the dialect's INSERT.
_SAVE_ANSWER = {
    dialect: dialect_insert(dialect, _answers)
    .values({column: bindparam(column) for column in _ANSWER_COLUMNS})
    .on_conflict_do_update(index_elements=["response_id", "question_id"], set_={
        "value": bindparam("value"), "score": bindparam("score"),
        "answered_at": bindparam("answered_at")})
    for dialect in ("postgresql", "sqlite")
}


_SAVED = ("status", "step", "turn", "message_ref", "updated_at", "flagged_automated",
          *DIMENSIONS)
_SAVE_SESSION = update(_responses).where(_responses.c.id == bindparam("session_id")).values(
    {column: bindparam(f"new_{column}") for column in _SAVED})
_SAVE_FINISHED_SESSION = _SAVE_SESSION.values(completed_at=bindparam("new_completed_at"))
_REMEMBER_MESSAGE = (
    update(_responses)
    .where(_responses.c.id == bindparam("session_id"), _responses.c.turn == bindparam("t"))
    .values(message_ref=bindparam("shown_in"))
)


class SqlSurveyStore:
    """On one connection, in its transaction (or in autocommit, for a single statement).

    A survey step runs prebuilt Core statements on the connection. An ORM session, which
    costs more to set up than the step's statements take to run (docs/benchmarks.md), is
    made only for what needs one (starting a session, links, rollups), on the same
    connection and in the same transaction.
    """

    def __init__(self, connection: AsyncConnection, reported: rollups.Reported) -> None:
        self.connection = connection
        self._reported = reported  # completing or erasing a response changes these cells
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = AsyncSession(bind=self.connection)
        return self._session

    async def close(self) -> None:
        """Before the transaction ends: the ORM session, if one was made, lets go of it."""
        if self._session is not None:
            await self._session.close()

    async def _run(self, statement: Executable, **parameters: Any) -> CursorResult[*Columns]:
        """A prebuilt Core statement on the connection."""
        return await self.connection.execute(statement, parameters)

    async def claim_event(self, event_id: str) -> bool:
        return await inbox.claim(self.connection, event_id)

    async def lock_respondent(self, key: str) -> RespondentState | None:
        row = (await self._run(_LOCK_RESPONDENT, key=key)).first()
        return RespondentState(*row) if row else None

    async def create_respondent(
        self, key: str, language: str, consent_version: str
    ) -> RespondentState:
        now = utcnow()
        await self.session.execute(
            insert_ignoring_duplicates(self.session, Respondent, {
                "key_hash": key, "language": language, "consent_version": consent_version,
                "consented_at": now, "created_at": now,
            })
        )
        state = await self.lock_respondent(key)
        assert state is not None
        if state.consent_version != consent_version:  # created concurrently, before consent
            await self.record_consent(state.id, consent_version)
            state.consent_version = consent_version
        return state

    async def record_consent(self, respondent_id: int, consent_version: str) -> None:
        await self.session.execute(
            update(Respondent)
            .where(Respondent.id == respondent_id)
            .values(consent_version=consent_version, consented_at=utcnow())
        )

    async def set_language(self, respondent_id: int, language: str) -> None:
        await self.session.execute(
            update(Respondent).where(Respondent.id == respondent_id).values(language=language)
        )

    async def in_order_session(
        self, key: str, sequence: int | None, respondent_id: int | None
    ) -> tuple[bool, SessionState | None]:
        rows = (await self._run(_IN_ORDER_SESSION, key=key, sequence=sequence,
                                respondent_id=respondent_id)).all()
        earlier = bool(rows[0].earlier)
        if rows[0].id is None:
            return earlier, None
        return earlier, await self._session_of(rows)

    async def active_session(self, respondent_id: int) -> SessionState | None:
        rows = (await self._run(_ACTIVE_SESSION, respondent_id=respondent_id)).all()
        return await self._session_of(rows) if rows else None

    async def _session_of(self, rows: Sequence[Row[*Columns]]) -> SessionState:
        """A session from its rows, one per answer."""
        row = rows[0]
        answered = [(r.question_id, r.value, r.answered_at) for r in rows if r.question_id]
        state = _session_state(row, row.respondent_id,
                               {qid: value for qid, value, _ in answered})
        state.answered_at = {qid: as_utc(at) for qid, _, at in answered}
        if row.link_id is not None:
            state.link = await links.link_place(self.session, row.link_id)
        return state

    async def start_session(
        self, respondent_id: int, survey_key: str, survey_version: int, at: datetime,
        link: LinkPlace | None = None,
    ) -> SessionState:
        row = Response(
            respondent_id=respondent_id, survey_key=survey_key, survey_version=survey_version,
            status=Status.ACTIVE, turn=0, started_at=at, updated_at=at,
            link_id=link.id if link else None, mahalle=link.mahalle if link else None,
        )
        self.session.add(row)
        await self.session.flush()
        state = _session_state(row, respondent_id, {})
        state.link = link
        return state

    async def save_answer(
        self, session_id: int, question_id: str, value: str, score: float | None, at: datetime
    ) -> None:
        await self._run(_SAVE_ANSWER[dialect_of(self.connection)], response_id=session_id,
                        question_id=question_id, value=value, score=score, answered_at=at)

    async def drop_answers(self, session_id: int, question_ids: list[str]) -> None:
        await self.session.execute(
            delete(Answer).where(
                Answer.response_id == session_id, Answer.question_id.in_(question_ids)
            )
        )

    async def save_session(self, state: SessionState, at: datetime) -> None:
        values = {
            "status": state.status, "step": state.step, "turn": state.turn,
            "message_ref": state.message_ref, "updated_at": at,
            "flagged_automated": state.flagged_automated,
            **{d: state.dimensions.get(d) for d in DIMENSIONS},
        }
        statement = _SAVE_SESSION
        if state.status != Status.ACTIVE:
            statement, values["completed_at"] = _SAVE_FINISHED_SESSION, at
        await self._run(statement, session_id=state.id,
                        **{f"new_{column}": value for column, value in values.items()})
        if state.status == Status.COMPLETED:
            await rollups.count_completed(self.session, self._reported, state.survey_key,
                                          state.id)

    async def delete_session(self, session_id: int) -> None:
        await self.session.execute(delete(Answer).where(Answer.response_id == session_id))
        await self.session.execute(delete(Response).where(Response.id == session_id))

    async def remember_messages(self, shown: list[Shown]) -> None:
        await self.connection.execute(_REMEMBER_MESSAGE, [
            {"session_id": s.tracking.session_id, "t": s.tracking.turn,
             "shown_in": s.message_ref} for s in shown])

    async def last_completed(
        self, respondent_id: int, survey_key: str, service: str | None
    ) -> datetime | None:
        query = select(func.max(Response.completed_at)).where(
            Response.respondent_id == respondent_id, Response.survey_key == survey_key,
            Response.status == Status.COMPLETED,
        )
        if service is not None:
            query = query.where(Response.service == service)
        return as_utc(await self.session.scalar(query))

    async def carried_answers(
        self, respondent_id: int, question_ids: Sequence[str]
    ) -> dict[str, tuple[str, datetime]]:
        rows = await self.session.execute(
            select(Answer.question_id, Answer.value, Answer.answered_at)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.respondent_id == respondent_id, Answer.question_id.in_(question_ids))
            .order_by(Answer.answered_at, Answer.response_id))
        return {qid: (value, as_utc(at)) for qid, value, at in rows}  # the latest wins

    async def find_link(self, payload: str, at: datetime) -> LinkPlace | None:
        return await links.find_valid_link(self.session, payload, at)

    async def count_reach(self, link_id: int, counted: str, at: datetime) -> None:
        await links.count_reach(self.session, link_id, counted, at)

    async def link_reach(self, stats_digest: str) -> LinkReach | None:
        return await links.reach_by_digest(self.session, stats_digest)

    async def erase_respondent(self, respondent_id: int) -> Erasure:
        key = await self.session.scalar(
            select(Respondent.key_hash).where(Respondent.id == respondent_id))
        if key is not None:
            await inbox.forget_sender(self.connection, key)
        response_ids = select(Response.id).where(Response.respondent_id == respondent_id)
        written = await self.session.scalars(select(Answer.value).where(
            Answer.response_id.in_(response_ids)))
        await findings.withdraw_staff_words(self.session, [text for text in written if text])
        await rollups.uncount_respondent(self.session, self._reported, respondent_id)
        await self.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
        responses = await self.session.execute(
            delete(Response).where(Response.respondent_id == respondent_id)
        )
        await self.session.execute(delete(Respondent).where(Respondent.id == respondent_id))
        return Erasure(responses=rowcount(responses))


def _session_state(row: Response | Row[*Columns], respondent_id: int,
                   answers: dict[str, str]) -> SessionState:
    """A session from its response, or a row of its columns. The respondent's id comes
    apart, as an int: the session was found by it, or just made for them (the column is
    NULL only once retention has anonymised the response, and then nothing finds it)."""
    return SessionState(
        id=row.id, respondent_id=respondent_id, survey_key=row.survey_key,
        survey_version=row.survey_version, status=Status(row.status), step=row.step, turn=row.turn,
        message_ref=row.message_ref, answers=answers,
        dimensions={d: getattr(row, d) for d in DIMENSIONS},
        updated_at=as_utc(row.updated_at), started_at=as_utc(row.started_at),
        flagged_automated=row.flagged_automated,
    )


@asynccontextmanager
async def open_survey_store(db: Database, reported: rollups.Reported, *,
                            single_statement: bool = False) -> AsyncIterator[SqlSurveyStore]:
    """One engine step: a transaction, committed when the block ends without error
    (``single_statement``: the caller writes once, see Database.connection())."""
    async with db.connection(single_statement=single_statement) as connection:
        store = SqlSurveyStore(connection, reported)
        try:
            yield store
        finally:
            await store.close()


def survey_stores(db: Database, surveys: Mapping[str, Survey]) -> StoreFactory:
    """The engine's StoreFactory on this database, for these surveys."""
    return functools.partial(open_survey_store, db, rollups.reported(surveys))
