"""SqlSurveyStore: the engine's storage interface (conversations.ports) on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.links import LinkPlace, LinkReach
from conversations.state import Erasure, RespondentState, SessionState
from storage import links
from storage.models import Answer, ProcessedEvent, Respondent, Response, utcnow
from storage.statements import as_utc, insert_ignoring_duplicates, upsert

DIMENSIONS = ("service", "channel", "province", "district")


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
        state.answered_at = {qid: as_utc(at) for qid, _, at in answers}
        if row.link_id is not None:
            state.link = await links.link_place(self.session, row.link_id)
        return state

    async def start_session(
        self, respondent_id: int, survey_key: str, survey_version: int, at: datetime,
        link: LinkPlace | None = None,
    ) -> SessionState:
        row = Response(
            respondent_id=respondent_id, survey_key=survey_key, survey_version=survey_version,
            status="active", turn=0, started_at=at, updated_at=at,
            link_id=link.id if link else None, mahalle=link.mahalle if link else None,
        )
        self.session.add(row)
        await self.session.flush()
        state = _session_state(row, {})
        state.link = link
        return state

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
        return as_utc(await self.session.scalar(query))

    async def find_link(self, payload: str, at: datetime) -> LinkPlace | None:
        return await links.find_valid_link(self.session, payload, at)

    async def count_reach(self, link_id: int, counted: str, at: datetime) -> None:
        await links.count_reach(self.session, link_id, counted, at)

    async def link_reach(self, stats_digest: str) -> LinkReach | None:
        return await links.reach_by_digest(self.session, stats_digest)

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
        updated_at=as_utc(row.updated_at), started_at=as_utc(row.started_at),
        flagged_automated=row.flagged_automated,
    )
