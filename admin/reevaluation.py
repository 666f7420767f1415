"""A finding's re-evaluation as the API, `izdes findings show` and the dashboard show it,
computed when the finding is read from the released cells of its place and service
(stats.reevaluation says which periods are pooled and why that discloses nothing new)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from stats import periods
from stats.changes import ALPHA, Change
from stats.published_changes import ReleasedSide
from stats.reevaluation import DETECTED_CHANGE, POWER, ReEvaluation, Window, re_evaluate
from storage.finding_status import RE_EVALUATED, StatusChange
from storage.releases import read_cell, released_periods

NO_ACTION = "no action date yet: a finding is re-evaluated once its action has been taken"
NONE_SINCE = ("no whole period has been released since the action's ({period}): the "
              "re-evaluation compares the periods released after it with as many before it")
NOTE = ("one test of the share satisfied at 5 %, so no false discovery rate to control; "
        "the drivers' intervals use the largest spread their published means allow")


async def re_evaluation_of(session: AsyncSession, fields: dict[str, Any], kind: str
                           ) -> tuple[dict[str, Any] | None, str | None]:
    """(the re-evaluation as shown, None) or (None, why there is none yet)."""
    action_date: date | None = fields["action_date"]
    if action_date is None:
        return None, NO_ACTION
    action_period = periods.containing(action_date.strftime("%Y-%m"), kind)
    result = await _computed(session, fields, action_period)
    if result is None:
        return None, NONE_SINCE.format(period=action_period)
    return shown(action_period, result), None


async def with_result(session: AsyncSession, fields: dict[str, Any], change: StatusChange,
                      kind: str) -> StatusChange:
    """A re-evaluation recorded without a result of its own gets the one computed now (when
    there is one), so that the history keeps what the figures said when it was recorded."""
    if change.status != RE_EVALUATED or change.result is not None:
        return change
    computed, _ = await re_evaluation_of(session, fields, kind)
    return dataclasses.replace(change, result=computed)


async def _computed(session: AsyncSession, fields: dict[str, Any], action_period: str
                    ) -> ReEvaluation | None:
    released = await released_periods(session, fields["survey_key"])
    wanted = [p for p in released if p != action_period]
    rows = await read_cell(session, fields["survey_key"], fields["place"], fields["service"],
                           wanted)
    cells = {period: ReleasedSide(row.hidden, row.figures, row.totals)
             for period, row in rows.items()}
    return re_evaluate(action_period, released, cells, list(fields["drivers"]))


def shown(action_period: str, result: ReEvaluation) -> dict[str, Any]:
    changes = result.changes
    return {
        "action_period": action_period,
        "windows": {"before": _window(result.before), "after": _window(result.after)},
        "satisfied_share": _change(changes.share if changes else None),
        "mean": _change(changes.mean if changes else None),
        "drivers": {name: _change(change)
                    for name, change in (changes.drivers.items() if changes else ())},
        "alpha": ALPHA, "verdict": result.verdict.value,
        "detectable_change": DETECTED_CHANGE, "power": POWER,
        "needed_per_window": result.needed_per_window,
        "answers_needed": result.answers_needed, "note": NOTE}


def _window(window: Window) -> dict[str, Any]:
    return {"periods": list(window.periods), "pooled": list(window.pooled),
            "left_out": list(window.left_out),
            "n": window.totals.n if window.totals else None}


def _change(change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {"before": change.before, "after": change.after, "difference": change.difference,
            "ci95": list(change.ci95) if change.ci95 else None, "p_value": change.p_value,
            "test": change.test}
