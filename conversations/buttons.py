"""Compact callback data: "kind.session.turn.arg", well under Telegram's 64 bytes.

Our own encoding (not PTB's arbitrary callback data) survives restarts and lets several bot
processes share one database. Session and turn let the engine tell a current button from a
stale one (an earlier question, an earlier survey, a double tap) or a forged one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSWER, BACK, SKIP, PAGE, DONE = "a", "b", "s", "p", "d"
CONSENT, ERASE, NEW_SURVEY, LANGUAGE, NOTICE = "k", "e", "n", "l", "g"

_PATTERN = re.compile(r"^([abspdkenlg])\.(\d{1,12})\.(\d{1,6})\.([A-Za-z0-9_]{0,24})$")


@dataclass(frozen=True)
class Tap:
    kind: str
    session: int
    turn: int
    arg: str


def encode(kind: str, session: int = 0, turn: int = 0, arg: str = "") -> str:
    data = f"{kind}.{session}.{turn}.{arg}"
    if not _PATTERN.match(data):
        raise ValueError(f"cannot encode callback data {data!r}")
    return data


def decode(data: str) -> Tap | None:
    """The tap a callback carries, or None when the data is not ours (forged or garbled)."""
    found = _PATTERN.match(data or "")
    if not found:
        return None
    kind, session, turn, arg = found.groups()
    return Tap(kind, int(session), int(turn), arg)
