"""What the engine knows about a respondent and their survey in progress.

Plain data: ``storage/`` fills these from the database and writes them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from conversations.links import LinkPlace


class Status(StrEnum):
    """Where a survey response stands; stored as its value."""

    ACTIVE = "active"
    COMPLETED = "completed"
    SCREENED_OUT = "screened_out"  # a screening answer ended it (not counted)
    EXPIRED = "expired"  # abandoned for longer than the session lifetime


@dataclass
class RespondentState:
    id: int
    language: str
    consent_version: str | None
    consented_at: datetime | None


@dataclass
class SessionState:
    """One response to one survey: where the respondent is and what they answered."""

    id: int
    respondent_id: int
    survey_key: str
    survey_version: int
    status: Status
    step: str | None  # id of the question being asked
    # Incremented every time a question message is shown; buttons carry it, so a tap on an
    # older message (or a second tap on the same one) is recognised as stale.
    turn: int
    message_ref: str | None  # the channel's id of the message showing the current question
    answers: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str | None] = field(default_factory=dict)
    updated_at: datetime | None = None  # last change, for expiring abandoned surveys
    started_at: datetime | None = None
    answered_at: dict[str, datetime] = field(default_factory=dict)
    flagged_automated: bool = False
    link: LinkPlace | None = None  # the muhtar's link it was started from


@dataclass(frozen=True)
class Erasure:
    """What /sil removed, so the citizen can be told."""

    responses: int
