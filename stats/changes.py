"""A cell compared between two periods: how each figure changed, how precisely, and whether
the change is clear once many cells are compared at once. From the totals of the two cells
alone (sums, never rows); standard library only.

- `share_change`: the share satisfied, after minus before, with Newcombe's hybrid score
  interval (built from the two Wilson intervals: Newcombe 1998, method 10) and the pooled
  two-proportion z test.
- `mean_change`: a mean, after minus before, with Welch's interval and test (unequal
  variances, Welch-Satterthwaite degrees of freedom); the difference alone when a side keeps
  no sum of squares (the effort), rather than a test with a spread made up.
- `compare`: both, for the overall score, each driver and the effort of two cells' totals.
- `largest_spread`: the largest spread a mean of bounded answers allows (Bhatia-Davis), for a
  conservative test from the mean alone.
- `benjamini_hochberg`: q-values controlling the false discovery rate over a family of tests.
- `verdict`: better, worse, no clear change, not tested, too few answers.
- `judge`: every figure of a table of compared cells with its q-value and verdict, the
  false discovery rate controlled over all of them at once.
- `needed_per_period`: answers each period needs to detect a change in a share (power).

Every figure here is "higher is better": the share satisfied, the overall mean, the drivers
(agreement) and the ease (7 very easy).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist
from typing import Literal, NamedTuple

from stats.student_t import quantile, two_sided_p
from stats.survey_statistics import DRIVER_SCALE, CellTotals, wilson_interval

ALPHA = 0.05
"""The false discovery rate controlled over a family of comparisons (two-sided)."""
TWO_PROPORTION = "two-proportion z"
WELCH = "welch"


class Moments(NamedTuple):
    """What a mean needs: n answers, their sum and, when kept, the sum of their squares.
    (Named tuples, this and Change: a table compares thousands, and they are made fastest.)"""

    n: int
    total: float
    total_sq: float | None = None

    @property
    def mean(self) -> float:
        return self.total / self.n

    def variance(self) -> float | None:
        """The sample variance (n - 1); None without a sum of squares or a second answer."""
        if self.total_sq is None or self.n < 2:
            return None
        return max(0.0, (self.total_sq - self.total * self.total / self.n) / (self.n - 1))


class Change(NamedTuple):
    """One figure of a cell in two periods. ``difference`` is after minus before; ``ci95``
    its 95 % interval and ``p_value`` its two-sided test (``test`` names it), both None when
    the figure allows no test."""

    before: float
    after: float
    difference: float
    ci95: tuple[float, float] | None
    p_value: float | None
    test: str | None

    def scaled(self, factor: float, shift: float = 0.0) -> Change:
        """The change on another scale, value -> (value + shift) * factor (a driver's 1-5 to
        0-100: shift -1, factor 25); the test is the same."""
        ci = None if self.ci95 is None else (self.ci95[0] * factor, self.ci95[1] * factor)
        return Change((self.before + shift) * factor, (self.after + shift) * factor,
                      self.difference * factor, ci, self.p_value, self.test)


@dataclass(frozen=True)
class CellChanges:
    """Every figure of a cell compared; None where a side has no answer to compare."""

    share: Change | None
    mean: Change | None
    drivers: dict[str, Change | None] = field(default_factory=dict)
    effort: Change | None = None

    def changes(self) -> list[Change | None]:
        return [self.share, self.mean, *self.drivers.values(), self.effort]


# --------------------------------------------------------------------------- one figure


def share_change(before: tuple[int, int], after: tuple[int, int]) -> Change | None:
    """The share satisfied, each side given as (satisfied, n); None when a side has no one.

    Newcombe's hybrid score interval for after - before, from the Wilson intervals (l, u) of
    each share: d - sqrt((p2 - l2)² + (u1 - p1)²) to d + sqrt((u2 - p2)² + (p1 - l1)²). The
    test is the pooled two-proportion z test; two sides that are both all or none satisfied
    differ by nothing, p = 1."""
    (s1, n1), (s2, n2) = before, after
    wilson1, wilson2 = wilson_interval(s1, n1), wilson_interval(s2, n2)
    if wilson1 is None or wilson2 is None:
        return None
    p1, p2 = s1 / n1, s2 / n2
    difference = p2 - p1
    low = difference - math.hypot(p2 - wilson2[0], wilson1[1] - p1)
    high = difference + math.hypot(wilson2[1] - p2, p1 - wilson1[0])
    pooled = (s1 + s2) / (n1 + n2)
    spread = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    p_value = 1.0 if spread == 0.0 else math.erfc(abs(difference) / spread / math.sqrt(2.0))
    return Change(p1, p2, difference, (low, high), p_value, TWO_PROPORTION)


def mean_change(before: Moments, after: Moments) -> Change | None:
    """A mean, after minus before, with Welch's 95 % interval and two-sided test; None when a
    side has no answer, no test when a side has no spread kept (or one answer only).

    Two sides without any spread (everyone gave the same answer on each side) differ exactly:
    the interval is the difference itself, p is 0 (1 when they are equal)."""
    if before.n < 1 or after.n < 1:
        return None
    difference = after.mean - before.mean
    var1, var2 = before.variance(), after.variance()
    if var1 is None or var2 is None:
        return Change(before.mean, after.mean, difference, None, None, None)
    e1, e2 = var1 / before.n, var2 / after.n
    if e1 + e2 == 0.0:
        return Change(before.mean, after.mean, difference, (difference, difference),
                      1.0 if difference == 0.0 else 0.0, WELCH)
    error = math.sqrt(e1 + e2)
    df = (e1 + e2) ** 2 / (e1 * e1 / (before.n - 1) + e2 * e2 / (after.n - 1))
    half = quantile(df) * error
    return Change(before.mean, after.mean, difference, (difference - half, difference + half),
                  two_sided_p(difference / error, df), WELCH)


def largest_spread(moments: Moments, low: float, high: float) -> Moments:
    """The same answers with the largest sum of squares their mean allows on [low, high]:
    a variance of at most (mean - low)(high - mean) (Bhatia and Davis 2000), all answers at
    either end. A test with it is conservative: its interval is never narrower than with the
    true spread, and it needs nothing but the count and the mean."""
    mean = min(high, max(low, moments.mean))
    return Moments(moments.n, moments.total,
                   moments.n * ((mean - low) * (high - mean) + mean * mean))


# --------------------------------------------------------------------------- a cell


def overall_moments(totals: CellTotals) -> Moments:
    return Moments(totals.n, totals.overall_sum, totals.overall_sumsq)


def driver_moments(totals: CellTotals, name: str) -> Moments:
    """A driver's answers on 1-5 ("don't know" is none); its sum of squares is the first of
    its pair sums (CellTotals.pairs), None where they were not kept."""
    count, total = totals.drivers.get(name, (0, 0.0))
    pairs = totals.pairs.get(name)
    return Moments(count, total, pairs[0] if pairs else None)


def effort_moments(totals: CellTotals) -> Moments:
    """The ease answers (1-7): the totals keep no sum of their squares, so no test."""
    return Moments(totals.effort_n, totals.effort_sum)


DriverSpread = Literal["kept", "largest"]


def compare(before: CellTotals, after: CellTotals, drivers: Iterable[str],
            driver_spread: DriverSpread = "kept") -> CellChanges:
    """Every figure of a cell, after against before. Drivers on 0-100 as published; their
    spread is the one kept in the totals, or with ``"largest"`` the largest their mean
    allows (`largest_spread`), when the kept one must not be disclosed."""
    low, high = DRIVER_SCALE

    def driver(name: str) -> Change | None:
        first, second = driver_moments(before, name), driver_moments(after, name)
        if not first.n or not second.n:
            return None
        if driver_spread == "largest":
            first, second = largest_spread(first, low, high), largest_spread(second, low, high)
        change = mean_change(first, second)
        return None if change is None else change.scaled(100.0 / (high - low), -low)

    return CellChanges(
        share=share_change((before.satisfied, before.n), (after.satisfied, after.n)),
        mean=mean_change(overall_moments(before), overall_moments(after)),
        drivers={name: driver(name) for name in drivers},
        effort=mean_change(effort_moments(before), effort_moments(after)))


# --------------------------------------------------------------------------- many cells


class Verdict(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NO_CLEAR_CHANGE = "no_clear_change"
    NOT_TESTED = "not_tested"
    TOO_FEW_ANSWERS = "too_few_answers"


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """The Benjamini-Hochberg adjusted p-values (q-values) of a family of tests, in their
    order: calling every test with q <= alpha a finding keeps the expected share of false
    findings among them at most alpha (independent or positively dependent tests)."""
    count = len(p_values)
    order = sorted(range(count), key=lambda i: p_values[i])
    adjusted = [1.0] * count
    running = 1.0
    for rank in range(count, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * count / rank)
        adjusted[index] = running
    return adjusted


def verdict(change: Change | None, q_value: float | None, alpha: float = ALPHA) -> Verdict:
    """What a reader may say of a change: too few answers (a side had none to compare), not
    tested (no test possible), better or worse (q at most alpha), or no clear change."""
    if change is None:
        return Verdict.TOO_FEW_ANSWERS
    if change.p_value is None or q_value is None:
        return Verdict.NOT_TESTED
    if q_value > alpha or change.difference == 0.0:
        return Verdict.NO_CLEAR_CHANGE
    return Verdict.BETTER if change.difference > 0.0 else Verdict.WORSE


class Finding(NamedTuple):
    """A figure compared, with its q-value over the table's family and its verdict."""

    change: Change | None
    q_value: float | None
    verdict: Verdict


@dataclass(frozen=True)
class Judged:
    """Every figure of a compared cell, judged."""

    share: Finding
    mean: Finding
    drivers: dict[str, Finding]
    effort: Finding


def judge(cells: Sequence[CellChanges | None], drivers: Sequence[str],
          alpha: float = ALPHA) -> tuple[list[Judged], int]:
    """Each cell's figures with q-values over every test of the table (Benjamini-Hochberg),
    and how many tests that family holds. A cell that could not be compared (None) has too
    few answers in every figure."""
    tested = [change for cell in cells if cell is not None for change in cell.changes()
              if change is not None and change.p_value is not None]
    q_values = benjamini_hochberg([change.p_value or 0.0 for change in tested])
    # Changes are values (two can be equal): each is known by its identity here.
    q_of = {id(change): q for change, q in zip(tested, q_values, strict=True)}

    def finding(change: Change | None) -> Finding:
        q = None if change is None else q_of.get(id(change))
        return Finding(change, q, verdict(change, q, alpha))

    judged = []
    for cell in cells:
        if cell is None:
            cell = CellChanges(None, None, dict.fromkeys(drivers), None)
        judged.append(Judged(finding(cell.share), finding(cell.mean),
                             {name: finding(cell.drivers.get(name)) for name in drivers},
                             finding(cell.effort)))
    return judged, len(tested)


# --------------------------------------------------------------------------- power


def needed_per_period(share: float, change: float = 0.10, alpha: float = ALPHA,
                      power: float = 0.80) -> int:
    """Answers each of two periods needs for the two-sided two-proportion z test at ``alpha``
    to find, with probability ``power``, a change of ``change`` in a share now at ``share``:
    n = (z(1 - alpha/2) sqrt(2 p̄ (1 - p̄)) + z(power) sqrt(p1 (1 - p1) + p2 (1 - p2)))² /
    change² (Fleiss, Levin and Paik 2003, eq. 4.14, without continuity correction), for the
    change up or down, whichever needs more among those that stay within 0-1."""
    if not 0.0 <= share <= 1.0 or not 0.0 < change <= 1.0:
        raise ValueError(f"need a share in 0-1 and a change in (0, 1], got {share}, {change}")
    if not 0.0 < alpha < 1.0 or not 0.0 < power < 1.0:
        raise ValueError(f"need alpha and power in (0, 1), got {alpha}, {power}")
    normal = NormalDist()
    z_alpha, z_power = normal.inv_cdf(1.0 - alpha / 2.0), normal.inv_cdf(power)
    needs = []
    for other in (share + change, share - change):
        if not -1e-12 <= other <= 1.0 + 1e-12:
            continue
        other = min(1.0, max(0.0, other))
        mean = (share + other) / 2.0
        root = (z_alpha * math.sqrt(2.0 * mean * (1.0 - mean))
                + z_power * math.sqrt(share * (1.0 - share) + other * (1.0 - other)))
        needs.append(root * root / (change * change))
    if not needs:
        raise ValueError(f"a change of {change} leaves 0-1 both ways from {share}")
    return math.ceil(max(needs) - 1e-9)
