"""SqlSurveyStore: the engine's storage interface (conversations.ports) on SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.state import Erasure, RespondentState, SessionState
from storage.models import Answer, ProcessedEvent, Respondent, Response, utcnow

DIMENSIONS = ("service", "channel", "province", "district")


def _dialect_insert(session: AsyncSession, model: type, values: dict):
    """INSERT in the dialect at hand: both PostgreSQL's and SQLite's know ON CONFLICT."""
    dialect = session.bind.dialect.name if session.bind else "postgresql"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values)


def insert_ignoring_duplicates(session: AsyncSession, model: type, values: dict):
    """INSERT ... ON CONFLICT DO NOTHING."""
    return _dialect_insert(session, model, values).on_conflict_do_nothing()


def upsert(session: AsyncSession, model: type, values: dict, keys: list[str], updates: dict):
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET updates."""
    return _dialect_insert(session, model, values).on_conflict_do_update(
        index_elements=keys, set_=updates)


class SqlSurveyStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_event(self, event_id: str) -> bool:
        # A webhook may have stored the update already (processed_at still empty): claim it.
        claimed = await self.session.execute(
            update(ProcessedEvent)
            .where(ProcessedEvent.event_id == event_id, ProcessedEvent.processed_at.is_(None))
            .values(processed_at=utcnow(), payload=None)
        )
        if claimed.rowcount:
            return True
        inserted = await self.session.execute(
            insert_ignoring_duplicates(
                self.session, ProcessedEvent, {"event_id": event_id, "processed_at": utcnow()}
            )
        )
        return bool(inserted.rowcount)

    async def earlier_unhandled(self, key: str, sequence: int) -> bool:
        found = await self.session.scalar(
            select(ProcessedEvent.event_id).where(
                ProcessedEvent.respondent_key == key, ProcessedEvent.sequence < sequence,
                ProcessedEvent.processed_at.is_(None),
            ).limit(1)
        )
        return found is not None

    async def lock_respondent(self, key: str) -> RespondentState | None:
        row = await self.session.scalar(
            select(Respondent).where(Respondent.key_hash == key).with_for_update()
        )
        return _respondent_state(row) if row else None

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

    async def active_session(self, respondent_id: int) -> SessionState | None:
        row = await self.session.scalar(
            select(Response).where(
                Response.respondent_id == respondent_id, Response.status == "active"
            )
        )
        if row is None:
            return None
        answers = (await self.session.execute(
            select(Answer.question_id, Answer.value, Answer.answered_at)
            .where(Answer.response_id == row.id)
        )).all()
        state = _session_state(row, {qid: value for qid, value, _ in answers})
        state.answered_at = {qid: _aware(at) for qid, _, at in answers}
        return state

    async def start_session(
        self, respondent_id: int, survey_key: str, survey_version: int, at: datetime
    ) -> SessionState:
        row = Response(
            respondent_id=respondent_id, survey_key=survey_key, survey_version=survey_version,
            status="active", turn=0, started_at=at, updated_at=at,
        )
        self.session.add(row)
        await self.session.flush()
        return _session_state(row, {})

    async def save_answer(
        self, session_id: int, question_id: str, value: str, score: float | None, at: datetime
    ) -> None:
        values = {"response_id": session_id, "question_id": question_id, "value": value,
                  "score": score, "answered_at": at}
        await self.session.execute(
            upsert(self.session, Answer, values, ["response_id", "question_id"],
                   {"value": value, "score": score, "answered_at": values["answered_at"]})
        )

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
        if state.status != "active":
            values["completed_at"] = at
        await self.session.execute(
            update(Response).where(Response.id == state.id).values(**values)
        )

    async def delete_session(self, session_id: int) -> None:
        await self.session.execute(delete(Answer).where(Answer.response_id == session_id))
        await self.session.execute(delete(Response).where(Response.id == session_id))

    async def remember_message(self, session_id: int, turn: int, message_ref: str) -> None:
        await self.session.execute(
            update(Response)
            .where(Response.id == session_id, Response.turn == turn)
            .values(message_ref=message_ref)
        )

    async def last_completed(
        self, respondent_id: int, survey_key: str, service: str | None
    ) -> datetime | None:
        query = select(func.max(Response.completed_at)).where(
            Response.respondent_id == respondent_id, Response.survey_key == survey_key,
            Response.status == "completed",
        )
        if service is not None:
            query = query.where(Response.service == service)
        return _aware(await self.session.scalar(query))

    async def erase_respondent(self, respondent_id: int) -> Erasure:
        response_ids = select(Response.id).where(Response.respondent_id == respondent_id)
        answers = await self.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.response_id.in_(response_ids))
        )
        await self.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
        responses = await self.session.execute(
            delete(Response).where(Response.respondent_id == respondent_id)
        )
        await self.session.execute(delete(Respondent).where(Respondent.id == respondent_id))
        return Erasure(responses=responses.rowcount, answers=answers or 0, consent=True)


def _respondent_state(row: Respondent) -> RespondentState:
    return RespondentState(
        id=row.id, language=row.language, consent_version=row.consent_version,
        consented_at=row.consented_at,
    )


def _session_state(row: Response, answers: dict[str, str]) -> SessionState:
    return SessionState(
        id=row.id, respondent_id=row.respondent_id, survey_key=row.survey_key,
        survey_version=row.survey_version, status=row.status, step=row.step, turn=row.turn,
        message_ref=row.message_ref, answers=answers,
        dimensions={d: getattr(row, d) for d in DIMENSIONS},
        updated_at=_aware(row.updated_at), started_at=_aware(row.started_at),
        flagged_automated=row.flagged_automated,
    )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
