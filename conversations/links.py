"""Muhtars' links: a start payload that places a citizen's answers in a neighbourhood.

A payload is a random id, not an encoding of the place: nothing in it can be changed to
point elsewhere, and one that is not in the database (mistyped, tampered with, disabled or
expired) simply starts the normal survey. Telegram allows 1-64 characters of A-Z a-z 0-9 _ -
in a deep link; ours are 21, and start with a capital letter so that no survey key (always
lower case) can be mistaken for one. Each link also has a stats code for the muhtar: it shows
how many people the link reached, never what they answered.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from conversations.survey import Survey

PAYLOAD_PREFIX = "M"
PAYLOAD_LENGTH = 21  # "M" and 20 random letters and digits: 119 bits
_PAYLOAD = re.compile(rf"^{PAYLOAD_PREFIX}[A-Za-z0-9]{{{PAYLOAD_LENGTH - 1}}}$")
_PAYLOAD_ALPHABET = string.ascii_letters + string.digits

# Stats codes are typed by hand from a printed slip: capitals and digits without look-alikes
# (no I, L, O, 0, 1), in groups of four; 12 characters of 31 symbols are 59 bits.
STATS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_STATS_LENGTH = 12

# The dimensions a link can fix, and so the questions it lets a citizen skip.
FIXABLE = ("province", "district", "service")


def new_payload() -> str:
    return PAYLOAD_PREFIX + "".join(secrets.choice(_PAYLOAD_ALPHABET)
                                    for _ in range(PAYLOAD_LENGTH - 1))


def is_link_payload(payload: str | None) -> bool:
    return bool(payload and _PAYLOAD.match(payload))


def new_stats_code() -> str:
    code = "".join(secrets.choice(STATS_ALPHABET) for _ in range(_STATS_LENGTH))
    return "-".join(code[i:i + 4] for i in range(0, _STATS_LENGTH, 4))


def normalize_stats_code(typed: str) -> str | None:
    """The code as stored, from what a muhtar typed (any case, spaces or dashes)."""
    cleaned = re.sub(r"[\s\-_.]", "", typed or "").upper()
    if len(cleaned) != _STATS_LENGTH or any(c not in STATS_ALPHABET for c in cleaned):
        return None
    return cleaned


def stats_code_digest(code: str) -> str:
    """What the database keeps of a stats code (SHA-256 of its normal form): a leaked table
    does not hand out the codes, and a code is found by an indexed lookup."""
    normal = normalize_stats_code(code)
    if normal is None:
        raise ValueError("not a stats code")
    return hashlib.sha256(normal.encode()).hexdigest()


@dataclass(frozen=True)
class LinkPlace:
    """Where a link's answers belong, and what it fixes."""

    id: int
    province: str  # plate code, "34"
    district: str | None = None  # district id, as the district question stores it
    mahalle: str | None = None
    service: str | None = None
    survey_key: str | None = None
    label: str | None = None  # the muhtarlık's or unit's name, as on its poster

    def presets(self, survey: Survey) -> dict[str, str]:
        """Answers the link gives for the survey: question id -> value, for each question
        whose dimension the link fixes."""
        fixed = {"province": self.province, "district": self.district,
                 "service": self.service}
        return {q.id: value for q in survey.questions if q.dimension in FIXABLE
                and (value := fixed[q.dimension]) is not None}


@dataclass(frozen=True)
class NewLink:
    payload: str
    stats_digest: str
    label: str
    province: str
    district: str | None = None
    mahalle: str | None = None
    service: str | None = None
    survey_key: str | None = None
    valid_until: date | None = None


# Türkiye keeps UTC+3 all year (since 2016): a link's last day and a muhtar's weeks are
# Turkish calendar days, whatever the server's clock zone.
TURKEY = timezone(timedelta(hours=3), "TRT")
class Reach(StrEnum):
    """Whom a link's reach counts, week by week."""

    OPENED = "opened"
    CONSENTED = "consented"
    COMPLETED = "completed"


COUNTED = tuple(reach.value for reach in Reach)


def turkish_day(moment: datetime) -> date:
    return moment.astimezone(TURKEY).date()


def week_of(moment: datetime) -> date:
    """The Monday (Turkish calendar) of the week ``moment`` falls in."""
    day = turkish_day(moment)
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekCounts:
    week: date  # the Monday the week starts on
    opened: int
    consented: int
    completed: int


@dataclass(frozen=True)
class LinkReach:
    """A link's counts of people, by week as stored (conversations.reach shows them coarse,
    by month)."""

    label: str
    province: str
    district: str | None
    mahalle: str | None
    weeks: tuple[WeekCounts, ...]
    survey_key: str | None = None

    @property
    def opened(self) -> int:
        return sum(w.opened for w in self.weeks)

    @property
    def consented(self) -> int:
        return sum(w.consented for w in self.weeks)

    @property
    def completed(self) -> int:
        return sum(w.completed for w in self.weeks)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.opened if self.opened else None
