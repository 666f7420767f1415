"""What the engine receives from a channel and what it asks the channel to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class SurveyEvent(StrEnum):
    """What happened to a survey, for the metrics (Reply.events)."""

    STARTED = "started"
    COMPLETED = "completed"
    SCREENED_OUT = "screened_out"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Start:
    payload: str | None = None


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    data: str


# conversations.commands lists them with the words that name them
CommandName = Literal["cancel", "help", "erase", "language", "privacy", "stats"]


@dataclass(frozen=True)
class Command:
    name: CommandName
    argument: str | None = None  # what followed the command ("/istatistik ABCD-...")


@dataclass(frozen=True)
class Other:
    """Anything the survey cannot read: a sticker, photo, voice note, location..."""

    kind: str


Event = Start | Text | Press | Command | Other


@dataclass(frozen=True)
class Inbound:
    respondent: str  # pseudonymous key, never a raw channel id
    event: Event
    event_id: str | None = None  # for deduplication; None when the channel has no ids
    language_hint: str | None = None
    message_ref: str | None = None  # for Press: the message that carries the button
    # The channel's order of this event (Telegram's update_id): handled only after the same
    # respondent's stored events with a lower number. None: no ordering to keep.
    sequence: int | None = None
    # The message the channel showed the current question in, when it has not reported it
    # yet (SurveyEngine.messages_shown): stored with this event's step.
    shown: Shown | None = None


@dataclass(frozen=True)
class Button:
    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Tracking:
    """Ask the channel to report the id of the message it sends, for later edits."""

    session_id: int
    turn: int


@dataclass(frozen=True)
class Shown:
    """The channel showed the question of ``tracking`` in message ``message_ref``."""

    tracking: Tracking
    message_ref: str


@dataclass(frozen=True)
class Send:
    text: str
    keyboard: Keyboard = ()
    tracking: Tracking | None = None


@dataclass(frozen=True)
class Edit:
    message_ref: str
    text: str | None  # None: keep the text, change only the keyboard
    keyboard: Keyboard = ()
    tracking: Tracking | None = None


@dataclass
class Reply:
    actions: list[Send | Edit] = field(default_factory=list)
    toast: str | None = None  # a short note shown on the tapped button (callback answer)
    # The event was handled before (a redelivered update): the channel must not answer again.
    duplicate: bool = False
    # What happened to surveys, for metrics: (event, survey key, service or None).
    events: list[tuple[SurveyEvent, str, str | None]] = field(default_factory=list)
