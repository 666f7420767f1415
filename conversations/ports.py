"""The interfaces the engine needs from storage; ``storage.repository`` implements them."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from conversations.links import LinkPlace, LinkReach, Reach
from conversations.messages import Shown
from conversations.state import Erasure, RespondentState, SessionState


class SurveyStore(Protocol):
    """Reads and writes one respondent's state inside one transaction."""

    async def claim_event(self, event_id: str) -> bool:
        """Record that an incoming event is handled; False when it already was (a duplicate)."""

    async def lock_respondent(self, key: str) -> RespondentState | None:
        """The respondent with this pseudonymous key, locked until the transaction ends."""

    async def in_order_session(
        self, key: str, sequence: int | None, respondent_id: int | None
    ) -> tuple[bool, SessionState | None]:
        """In one round trip: whether this respondent has a stored, unhandled event that came
        before ``sequence`` (never, when it is None), and the session in progress of
        ``respondent_id`` (None when it is None)."""

    async def create_respondent(
        self, key: str, language: str, consent_version: str
    ) -> RespondentState: ...

    async def record_consent(self, respondent_id: int, consent_version: str) -> None: ...

    async def set_language(self, respondent_id: int, language: str) -> None: ...

    async def active_session(self, respondent_id: int) -> SessionState | None: ...

    async def start_session(
        self, respondent_id: int, survey_key: str, survey_version: int, at: datetime,
        link: LinkPlace | None = None,
    ) -> SessionState: ...

    async def save_answer(
        self, session_id: int, question_id: str, value: str, score: float | None, at: datetime
    ) -> None: ...

    async def drop_answers(self, session_id: int, question_ids: list[str]) -> None: ...

    async def save_session(self, session: SessionState, at: datetime) -> None:
        """Write status, step, turn, message_ref, dimensions and the automation flag back."""

    async def delete_session(self, session_id: int) -> None: ...

    async def remember_messages(self, shown: list[Shown]) -> None:
        """Note which message shows each question (ignored where the turn moved on)."""

    async def erase_respondent(self, respondent_id: int) -> Erasure: ...

    async def last_completed(
        self, respondent_id: int, survey_key: str, service: str | None
    ) -> datetime | None:
        """When this respondent last completed this survey (for this service, if given)."""

    async def carried_answers(
        self, respondent_id: int, question_ids: Sequence[str]
    ) -> dict[str, tuple[str, datetime]]:
        """The respondent's latest answer (value, when given) to each of these questions, in
        any of their responses still kept."""

    async def find_link(self, payload: str, at: datetime) -> LinkPlace | None:
        """The enabled, unexpired link with this start payload."""

    async def count_reach(self, link_id: int, counted: Reach, at: datetime) -> None:
        """One more person "opened", "consented" or "completed" through a link this week."""

    async def link_reach(self, stats_digest: str) -> LinkReach | None:
        """A link's weekly counts, by the digest of its stats code."""


class StoreFactory(Protocol):
    def __call__(self, *, single_statement: bool = False
                 ) -> AbstractAsyncContextManager[SurveyStore]:
        """Open a transaction; commit when the block ends normally, roll back otherwise.
        ``single_statement``: the block writes once, and may run without a transaction."""
