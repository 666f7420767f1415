"""The engine's store (conversations.ports) in memory: for running and testing the engine
without a database, and the plainest reading of what the port promises.

tests/test_survey_store.py holds this store and the SQL one (storage.repository, on SQLite
and PostgreSQL) to the same contract. One transaction at a time: each runs on a copy of the
data, kept when the block ends normally and dropped when it raises, as a database would.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from conversations.links import (
    COUNTED,
    LinkPlace,
    LinkReach,
    NewLink,
    Reach,
    WeekCounts,
    turkish_day,
    week_of,
)
from conversations.messages import Shown
from conversations.ports import StoreFactory
from conversations.state import Erasure, RespondentState, SessionState, Status


@dataclass
class _Response:
    session: SessionState
    scores: dict[str, float | None] = field(default_factory=dict)
    completed_at: datetime | None = None


@dataclass
class _Link:
    new: NewLink
    place: LinkPlace
    disabled: bool = False
    weeks: dict[date, dict[str, int]] = field(default_factory=dict)


@dataclass
class _Data:
    respondents: dict[str, RespondentState] = field(default_factory=dict)  # by key
    responses: dict[int, _Response] = field(default_factory=dict)
    handled: set[str] = field(default_factory=set)  # event ids
    waiting: dict[str, tuple[str, int]] = field(default_factory=dict)  # event id -> key, seq
    links: dict[str, _Link] = field(default_factory=dict)  # by payload
    last_id: int = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


class MemoryStores:
    """The data, and the engine's StoreFactory over it: ``SurveyEngine(MemoryStores())``."""

    def __init__(self) -> None:
        self._data = _Data()
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self, *, single_statement: bool = False
                       ) -> AsyncIterator[MemoryStore]:
        async with self._lock:
            working = copy.deepcopy(self._data)
            yield MemoryStore(working)
            self._data = working  # not reached when the block raised: rolled back

    def store_incoming(self, event_id: str, key: str, sequence: int) -> None:
        """A channel stored an event that is not handled yet (bot.intake does so); one stored
        or handled before is left as it is (a redelivery)."""
        if event_id not in self._data.handled:
            self._data.waiting.setdefault(event_id, (key, sequence))

    def add_link(self, new: NewLink) -> LinkPlace:
        place = LinkPlace(id=self._data.next_id(), province=new.province,
                          district=new.district, mahalle=new.mahalle, service=new.service,
                          survey_key=new.survey_key, label=new.label)
        self._data.links[new.payload] = _Link(new, place)
        return place

    def sessions(self) -> list[SessionState]:
        """Every response kept, as the engine last saved it, oldest first."""
        return [copy.deepcopy(r.session) for _, r in sorted(self._data.responses.items())]

    def respondent(self, key: str) -> RespondentState | None:
        found = self._data.respondents.get(key)
        return replace(found) if found else None

    def disable_link(self, link_id: int) -> None:
        for link in self._data.links.values():
            link.disabled |= link.place.id == link_id


class MemoryStore:
    """One transaction's view of the data."""

    def __init__(self, data: _Data) -> None:
        self._data = data

    async def claim_event(self, event_id: str) -> bool:
        if event_id in self._data.handled:
            return False
        self._data.handled.add(event_id)
        self._data.waiting.pop(event_id, None)
        return True

    async def lock_respondent(self, key: str) -> RespondentState | None:
        found = self._data.respondents.get(key)
        return replace(found) if found else None

    async def in_order_session(
        self, key: str, sequence: int | None, respondent_id: int | None
    ) -> tuple[bool, SessionState | None]:
        earlier = sequence is not None and any(
            waiting_key == key and waiting_sequence < sequence
            for waiting_key, waiting_sequence in self._data.waiting.values())
        session = await self.active_session(respondent_id) if respondent_id else None
        return earlier, session

    async def create_respondent(
        self, key: str, language: str, consent_version: str
    ) -> RespondentState:
        found = self._data.respondents.get(key)
        if found is None:
            found = RespondentState(self._data.next_id(), language, consent_version, None)
            self._data.respondents[key] = found
        found.consent_version, found.consented_at = consent_version, datetime.now(UTC)
        return replace(found)

    def _respondent(self, respondent_id: int) -> RespondentState:
        return next(r for r in self._data.respondents.values() if r.id == respondent_id)

    async def record_consent(self, respondent_id: int, consent_version: str) -> None:
        respondent = self._respondent(respondent_id)
        respondent.consent_version, respondent.consented_at = consent_version, datetime.now(UTC)

    async def set_language(self, respondent_id: int, language: str) -> None:
        self._respondent(respondent_id).language = language

    async def active_session(self, respondent_id: int) -> SessionState | None:
        active = [r.session for r in self._data.responses.values()
                  if r.session.respondent_id == respondent_id
                  and r.session.status == Status.ACTIVE]
        return copy.deepcopy(max(active, key=lambda s: s.id)) if active else None

    async def start_session(
        self, respondent_id: int, survey_key: str, survey_version: int, at: datetime,
        link: LinkPlace | None = None,
    ) -> SessionState:
        session = SessionState(
            id=self._data.next_id(), respondent_id=respondent_id, survey_key=survey_key,
            survey_version=survey_version, status=Status.ACTIVE, step=None, turn=0,
            message_ref=None, updated_at=at, started_at=at, link=link)
        self._data.responses[session.id] = _Response(session)
        return copy.deepcopy(session)

    async def save_answer(
        self, session_id: int, question_id: str, value: str, score: float | None, at: datetime
    ) -> None:
        response = self._data.responses[session_id]
        response.session.answers[question_id] = value
        response.session.answered_at[question_id] = at
        response.scores[question_id] = score

    async def drop_answers(self, session_id: int, question_ids: list[str]) -> None:
        response = self._data.responses[session_id]
        for question_id in question_ids:
            response.session.answers.pop(question_id, None)
            response.session.answered_at.pop(question_id, None)
            response.scores.pop(question_id, None)

    async def save_session(self, session: SessionState, at: datetime) -> None:
        response = self._data.responses[session.id]
        stored = response.session
        stored.status, stored.step, stored.turn = session.status, session.step, session.turn
        stored.message_ref, stored.updated_at = session.message_ref, at
        stored.flagged_automated = session.flagged_automated
        stored.dimensions = dict(session.dimensions)
        if session.status != Status.ACTIVE:
            response.completed_at = at

    async def delete_session(self, session_id: int) -> None:
        self._data.responses.pop(session_id, None)

    async def remember_messages(self, shown: list[Shown]) -> None:
        for one in shown:
            response = self._data.responses.get(one.tracking.session_id)
            if response is not None and response.session.turn == one.tracking.turn:
                response.session.message_ref = one.message_ref

    async def erase_respondent(self, respondent_id: int) -> Erasure:
        ids = [i for i, r in self._data.responses.items()
               if r.session.respondent_id == respondent_id]
        for i in ids:
            del self._data.responses[i]
        # Handled events keep only their ids here (a redelivery stays a duplicate); waiting
        # ones are the person's later input.
        self._data.respondents = {key: r for key, r in self._data.respondents.items()
                                  if r.id != respondent_id}
        return Erasure(responses=len(ids))

    async def last_completed(
        self, respondent_id: int, survey_key: str, service: str | None
    ) -> datetime | None:
        times = [r.completed_at for r in self._data.responses.values()
                 if r.session.respondent_id == respondent_id
                 and r.session.survey_key == survey_key
                 and r.session.status == Status.COMPLETED and r.completed_at is not None
                 and (service is None or r.session.dimensions.get("service") == service)]
        return max(times, default=None)

    async def carried_answers(
        self, respondent_id: int, question_ids: Sequence[str]
    ) -> dict[str, tuple[str, datetime]]:
        given = sorted((r.session.answered_at[qid], r.session.id, qid, r.session.answers[qid])
                       for r in self._data.responses.values()
                       if r.session.respondent_id == respondent_id
                       for qid in question_ids
                       if qid in r.session.answers and qid in r.session.answered_at)
        return {qid: (value, at) for at, _, qid, value in given}  # the latest wins

    async def find_link(self, payload: str, at: datetime) -> LinkPlace | None:
        link = self._data.links.get(payload)
        if link is None or link.disabled:
            return None
        if link.new.valid_until is not None and turkish_day(at) > link.new.valid_until:
            return None
        return link.place

    async def count_reach(self, link_id: int, counted: Reach | str, at: datetime) -> None:
        if counted not in COUNTED:
            raise ValueError(f"cannot count {counted!r}")
        link = next(link for link in self._data.links.values() if link.place.id == link_id)
        week = link.weeks.setdefault(week_of(at), dict.fromkeys(COUNTED, 0))
        week[counted] += 1

    async def link_reach(self, stats_digest: str) -> LinkReach | None:
        link = next((link for link in self._data.links.values()
                     if link.new.stats_digest == stats_digest), None)
        if link is None:
            return None
        new = link.new
        return LinkReach(label=new.label, province=new.province, district=new.district,
                         mahalle=new.mahalle, weeks=tuple(
                             WeekCounts(week, c["opened"], c["consented"], c["completed"])
                             for week, c in sorted(link.weeks.items())),
                         survey_key=new.survey_key)


if TYPE_CHECKING:  # mypy holds the memory store to the engine's port
    _STORES: StoreFactory = MemoryStores()
