"""A finding re-evaluated: its cell in equal windows of released periods before and after the
period its action was taken in, compared (stats.changes), with a verdict and, where the
answers are too few to tell, how many more the window after needs.

- `windows`: the periods pooled on each side: k whole released periods after the action's
  period and the k just before it, the action's own period in neither (it mixes days before
  and after the action). k is the number of whole periods released since the action, at
  most `LONGEST_WINDOW` of the published kind.
- `pooled`: a window's published cells summed. Only published cells are pooled: each of
  their totals follows from its published figures (n and the share give the number
  satisfied; n, the mean and its interval the sum of squares; a driver's mean and count its
  sum: docs/statistics.md, "Why a comparison discloses nothing new"), so their sums, and any
  comparison of two sums, disclose nothing the published cells did not. A hidden period, or
  one without the cell, is left out and named; a driver is pooled only where every pooled
  period shows it, or a withheld driver would be the pool less the periods shown.
- `re_evaluate`: both windows compared; the verdict is that of the share satisfied, the
  figure the power calculation is about: one finding, one test at alpha 0.05, so no false
  discovery rate to control (that is for the tables of many cells, stats.changes.judge).

Every figure here is "higher is better", as in stats.changes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stats import periods
from stats.changes import ALPHA, CellChanges, compare, needed_per_period
from stats.published_changes import ReleasedSide, shown_side, stored_totals
from stats.survey_statistics import CellTotals

# The longest window on each side, by the published kind. Longer windows would reach back
# into another season and another year's staff and rules, so a change found would say less
# about the action; a quarter or a year is long enough alone.
LONGEST_WINDOW = {"month": 3, "quarter": 1, "year": 1}
DETECTED_CHANGE = 0.10  # the change in the share satisfied the window after should detect
POWER = 0.80


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_MEASURABLE_CHANGE = "no_measurable_change"
    WORSE = "worse"
    NOT_ENOUGH_ANSWERS = "not_enough_answers"


@dataclass(frozen=True)
class Window:
    """The periods of one side and, of them, those pooled (published) and left out."""

    periods: tuple[str, ...]
    pooled: tuple[str, ...]
    left_out: tuple[str, ...]
    totals: CellTotals | None  # None when no period of the window is published
    drivers: tuple[str, ...] = ()  # the drivers every pooled period shows


@dataclass(frozen=True)
class ReEvaluation:
    before: Window
    after: Window
    changes: CellChanges | None  # None when a window has nothing published
    verdict: Verdict
    needed_per_window: int | None  # to detect DETECTED_CHANGE; None without a share before
    answers_needed: int | None  # the window after's shortfall of that while there are not
    # enough answers to tell; 0 once a change was found or could have been


def windows(action_period: str, released: Collection[str]) -> tuple[list[str], list[str]]:
    """(before, after): k periods each; k is 0 (both empty) until a whole period after the
    action's has been released. Periods are released in order, so those since the action
    are the run of released ones after it."""
    kind = periods.kind_of(action_period)
    after: list[str] = []
    period = periods.containing(periods.end_of(action_period).strftime("%Y-%m"), kind)
    while period in released and len(after) < LONGEST_WINDOW[kind]:
        after.append(period)
        period = periods.containing(periods.end_of(period).strftime("%Y-%m"), kind)
    if not after:
        return [], []
    return periods.trailing(periods.previous(action_period), len(after)), after


def pooled(window: Sequence[str], cells: Mapping[str, ReleasedSide], drivers: Sequence[str]
           ) -> Window:
    """The window's published cells summed (a hidden or absent period left out)."""
    used = [p for p in window if shown_side(cells.get(p)) is not None]
    left_out = tuple(p for p in window if p not in used)
    if not used:
        return Window(tuple(window), (), left_out, None)
    sides = [cells[p] for p in used]
    shown = tuple(name for name in drivers
                  if all((s.figures or {}).get("drivers", {}).get(name) is not None
                         for s in sides))
    parts = [stored_totals(s.totals or {}) for s in sides]
    totals = CellTotals(
        n=sum(t.n for t in parts), overall_sum=sum(t.overall_sum for t in parts),
        overall_sumsq=sum(t.overall_sumsq for t in parts),
        satisfied=sum(t.satisfied for t in parts),
        drivers={name: (sum(t.drivers.get(name, (0, 0.0))[0] for t in parts),
                        sum(t.drivers.get(name, (0, 0.0))[1] for t in parts))
                 for name in shown})
    return Window(tuple(window), tuple(used), left_out, totals, shown)


def re_evaluate(action_period: str, released: Collection[str],
                cells: Mapping[str, ReleasedSide], drivers: Sequence[str]
                ) -> ReEvaluation | None:
    """The finding's cell (``cells``: its released side by period) re-evaluated; None until
    a whole period after the action's has been released."""
    before_periods, after_periods = windows(action_period, released)
    if not after_periods:
        return None
    before = pooled(before_periods, cells, drivers)
    after = pooled(after_periods, cells, drivers)
    if before.totals is None or after.totals is None:
        return ReEvaluation(before, after, None, Verdict.NOT_ENOUGH_ANSWERS, None, None)
    both = [name for name in drivers if name in before.drivers and name in after.drivers]
    compared = compare(before.totals, after.totals, both, driver_spread="largest")
    changes = CellChanges(compared.share, compared.mean,
                          {name: compared.drivers.get(name) for name in drivers})
    share_before = before.totals.satisfied / before.totals.n
    needed = needed_per_period(share_before, DETECTED_CHANGE, ALPHA, POWER)
    short = max(0, needed - after.totals.n)
    found = _verdict(changes, short)
    return ReEvaluation(before, after, changes, found, needed,
                        short if found is Verdict.NOT_ENOUGH_ANSWERS else 0)


def _verdict(changes: CellChanges, short: int) -> Verdict:
    """Improved or worse when the share's test finds a change at alpha; otherwise no
    measurable change only once the window after has the answers to have found one."""
    share = changes.share
    if share is None or share.p_value is None:
        return Verdict.NOT_ENOUGH_ANSWERS
    if share.p_value <= ALPHA and share.difference != 0.0:
        return Verdict.IMPROVED if share.difference > 0.0 else Verdict.WORSE
    return Verdict.NOT_ENOUGH_ANSWERS if short > 0 else Verdict.NO_MEASURABLE_CHANGE
