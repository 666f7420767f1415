"""What a finding may become next, and what each move needs (storage.findings applies it).

    open --action taken (its date, what was done)--> action_taken
    action_taken --re-evaluated (a note, or a re-evaluation's result)--> re_evaluated
    re_evaluated --closed (a note if wished)--> closed, as "done"

and two more moves, each with a note saying why, so that the record tells what happened
rather than being bent to fit:

- closed from open, as "not_actionable": nothing the unit can do (the cause lies elsewhere,
  the service was reorganised). Not from action_taken: once something was done, its effect
  is re-evaluated first, even if only to write that it cannot be measured.
- reopened (back to open) from action_taken, re_evaluated or closed: the action fell
  through, the re-evaluation showed no improvement, or a closed problem came back. The last
  action, re-evaluation and closing are cleared for the next round; the history keeps them.

Anything else (skipping a step, moving to the status it has) is refused with a sentence
naming the moves there are. Plain data in, field changes out: no SQL here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from stats import periods

OPEN, ACTION_TAKEN, RE_EVALUATED, CLOSED = "open", "action_taken", "re_evaluated", "closed"
STATUSES = (OPEN, ACTION_TAKEN, RE_EVALUATED, CLOSED)
DONE, NOT_ACTIONABLE = "done", "not_actionable"  # how a closed finding was closed
MOVES = {
    OPEN: (ACTION_TAKEN, CLOSED),
    ACTION_TAKEN: (RE_EVALUATED, OPEN),
    RE_EVALUATED: (CLOSED, OPEN),
    CLOSED: (OPEN,),
}
# What a reopening clears: the last round's action, re-evaluation and closing.
ROUND = ("action_date", "action", "re_evaluated_at", "re_evaluation_note",
         "re_evaluation_result", "closed_at", "closed_as", "closing_note")
LONGEST_TEXT = 4000  # characters of a problem, an action, a note, a proposal
LONGEST_NAME = 100  # who acted; a responsible unit takes two of these


class FindingError(ValueError):
    """Why a finding, or a change to one, was refused: one sentence an operator can act on."""


class FindingConflict(FindingError):
    """The change does not fit the finding as it stands (a move the status machine does not
    have, a second report to the centre, a proposal for a closed finding)."""


class FindingForbidden(FindingError):
    """The caller may not do this (only the ministry reports to the centre; a governor's
    office makes findings of its own province only)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a token (its id and name; ``province`` None for the ministry's), or an
    operator at the command line (``token_id`` None), who acts for the ministry."""

    name: str
    token_id: int | None = None
    province: str | None = None

    @property
    def national(self) -> bool:
        return self.province is None

    @property
    def via(self) -> str:
        return "cli" if self.token_id is None else "api"


@dataclass(frozen=True)
class StatusChange:
    """A move asked for: the new status and what it comes with."""

    status: str
    action_date: date | None = None
    action: str | None = None
    note: str | None = None
    result: Mapping[str, Any] | None = None


def checked_text(value: str | None, what: str, longest: int = LONGEST_TEXT,
                 required: bool = True) -> str | None:
    """Text as kept: trimmed, within its length, with no control characters but line breaks
    and tabs (they would reach terminals and spreadsheets as commands, not text)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise FindingError(f"{what} is empty: write it in a sentence or more")
        return None
    if len(text) > longest:
        raise FindingError(f"{what} is {len(text)} characters long; at most {longest} are "
                           "kept")
    if any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in text):
        raise FindingError(f"{what} holds control characters; only text, line breaks and "
                           "tabs are kept")
    return text


def moved(current: Mapping[str, Any], change: StatusChange, today: date, now: datetime
          ) -> dict[str, Any]:
    """The fields a finding in ``current`` gets from ``change`` (FindingError or
    FindingConflict when the move is not allowed or lacks what it needs)."""
    status = current["status"]
    if change.status not in STATUSES:
        raise FindingError(f"status {change.status!r} is none of {', '.join(STATUSES)}")
    if change.status not in MOVES[status]:
        raise FindingConflict(_no_move(status, change.status))
    if change.status == ACTION_TAKEN:
        return _action_taken(change, today, current["period"])
    if change.status == RE_EVALUATED:
        return _re_evaluated(change, now)
    if change.status == CLOSED:
        return _closed(status, change, now)
    note = checked_text(change.note, "the reason for reopening (note)")
    return {"status": OPEN, "reopen_note": note, **dict.fromkeys(ROUND)}


def _no_move(status: str, wanted: str) -> str:
    if wanted == status:
        return f"the finding is {status} already"
    allowed = " or ".join(MOVES[status])
    hint = {(ACTION_TAKEN, CLOSED): "; re-evaluate the action first",
            (OPEN, RE_EVALUATED): "; record the action taken first"}.get((status, wanted), "")
    return f"a finding that is {status} moves to {allowed}, not to {wanted}{hint}"


def _action_taken(change: StatusChange, today: date, period: str) -> dict[str, Any]:
    if change.action_date is None:
        raise FindingError("the action needs its date (YYYY-MM-DD): when it was taken")
    if change.action_date > today:
        raise FindingError(f"the action date {change.action_date} is in the future: record "
                           "an action once it has been taken")
    # The re-evaluation compares the periods after the action with those before it: an
    # action before the figures that found the problem would count them as its effect.
    first = periods.start_of(period).date()
    if change.action_date < first:
        raise FindingError(f"the action date {change.action_date} is before the finding's "
                           f"period {period} began ({first}): the action answers the "
                           "problem its figures showed")
    action = checked_text(change.action, "what was done (action)")
    return {"status": ACTION_TAKEN, "action_date": change.action_date, "action": action}


def _re_evaluated(change: StatusChange, now: datetime) -> dict[str, Any]:
    note = checked_text(change.note, "the re-evaluation note", required=False)
    if note is None and not change.result:
        raise FindingError("a re-evaluation needs a note saying what it found (or the "
                           "result of one)")
    return {"status": RE_EVALUATED, "re_evaluated_at": now, "re_evaluation_note": note,
            "re_evaluation_result": dict(change.result) if change.result else None}


def _closed(status: str, change: StatusChange, now: datetime) -> dict[str, Any]:
    if status == OPEN:
        note = checked_text(change.note, "closing an open finding means nothing can be done: "
                            "the reason (note)")
        return {"status": CLOSED, "closed_at": now, "closed_as": NOT_ACTIONABLE,
                "closing_note": note}
    note = checked_text(change.note, "the closing note", required=False)
    return {"status": CLOSED, "closed_at": now, "closed_as": DONE, "closing_note": note}
