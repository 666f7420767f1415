"""Figures shown for a cell of the satisfaction table, with confidence intervals: what
stats.release publishes for each cell that stats.disclosure leaves visible.

Everything works on per-cell sufficient statistics (count, sum, sum of squares), so the database
aggregates and no raw rows are needed, except for the key-driver view, which needs pairs.
Standard library only.

- `t_critical`, `t_interval`: Student t interval of a mean (sample sd with n - 1).
- `wilson_interval`: Wilson score interval of a share.
- `cell_stats`: every figure of one cell, or none of them when the cell is suppressed.
- `key_drivers`: correlation of each driver with overall satisfaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist
from typing import Any

Z95 = 1.959963984540054
"""Two-sided 95 % standard normal quantile."""

MIN_DRIVER_PAIRS = 10
"""`key_drivers` leaves out drivers with fewer pairs than this."""

_EXACT_T_MAX_DF = 1000
"""Up to this many degrees of freedom `t_critical` inverts the exact t distribution; above it the
Cornish-Fisher expansion is used, whose error there is below 1e-12 for confidence <= 0.999."""


# --------------------------------------------------------------------------- intervals


def _z(confidence: float) -> float:
    _check_confidence(confidence)
    if confidence == 0.95:
        return Z95
    return NormalDist().inv_cdf((1.0 + confidence) / 2.0)


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")


def wilson_interval(
    successes: int, n: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Wilson score interval for the share `successes / n`; None when n == 0.

    5/10 -> (0.237, 0.763), 0/10 -> (0, 0.278), 81/100 -> (0.722, 0.875).
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return None
    z = _z(confidence)
    p = successes / n
    z2n = z * z / n
    denominator = 1.0 + z2n
    centre = (p + z2n / 2.0) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z2n / (4.0 * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def t_interval(
    n: int, total: float, total_sq: float, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Student t interval for the mean of `n` values with sum `total` and sum of squares
    `total_sq` (sample standard deviation with n - 1); None when n < 2. Not clipped."""
    if n < 2:
        return None
    mean = total / n
    variance = max(0.0, (total_sq - total * total / n) / (n - 1))
    half = t_critical(n - 1, confidence) * math.sqrt(variance / n)
    return mean - half, mean + half


def t_critical(df: int, confidence: float = 0.95) -> float:
    """Two-sided Student t quantile: P(|T| <= t) == confidence for T with `df` degrees of freedom.

    Exact up to float rounding for df <= 1000: Newton's method on the closed-form t distribution
    function for integer df (Abramowitz & Stegun 26.7.3-4), started from the Cornish-Fisher
    expansion (A&S 26.7.5); df 1 and 2 have closed forms. Above 1000 the expansion alone is
    accurate to better than 1e-12.
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"df must be a positive integer, got {df!r}")
    _check_confidence(confidence)
    return _t_critical(df, float(confidence))


@lru_cache(maxsize=4096)
def _t_critical(df: int, confidence: float) -> float:
    if df == 1:
        return math.tan(math.pi * confidence / 2.0)
    if df == 2:
        return confidence * math.sqrt(2.0 / (1.0 - confidence * confidence))
    z = _z(confidence)
    t = cornish_fisher(df, z)
    if df > _EXACT_T_MAX_DF:
        return t
    # P(|T| <= t) is increasing and concave in t > 0 and the quantile exceeds z, so Newton's
    # method from any point >= z (clamped there) converges monotonically.
    log_norm = (math.lgamma((df + 1) / 2.0) - math.lgamma(df / 2.0)
                - 0.5 * math.log(df * math.pi))
    for _ in range(100):
        density = math.exp(log_norm - (df + 1) / 2.0 * math.log1p(t * t / df))
        step = (_t_central(t, df) - confidence) / (2.0 * density)
        new = max(z, t - step)
        if abs(new - t) <= 1e-14 * t:
            return new
        t = new
    return t  # pragma: no cover - converges in a handful of steps


def cornish_fisher(df: float, z: float) -> float:
    """The t quantile for ``df`` degrees of freedom (whole or not) whose normal quantile is
    ``z``, by the Cornish-Fisher expansion (A&S 26.7.5); error below 1e-12 above 1000 df."""
    z2 = z * z
    g1 = (z2 + 1.0) * z / 4.0
    g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0
    g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
    g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df


def _t_central(t: float, df: int) -> float:
    """P(|T| <= t) for integer df, by the finite series of A&S 26.7.3 (odd) and 26.7.4 (even)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    term = total = 1.0
    if df % 2:
        if df == 1:
            return 2.0 * theta / math.pi
        for k in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


# --------------------------------------------------------------------------- one cell


DRIVER_SCALE = (1.0, 5.0)
EFFORT_SCALE = (1.0, 7.0)


@dataclass(frozen=True)
class CellTotals:
    """What the database aggregates for one cell."""

    n: int
    """Respondents with an overall-satisfaction answer (1-5)."""
    overall_sum: float
    overall_sumsq: float
    satisfied: int
    """How many of the n answered 4 or 5."""
    drivers: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Driver -> (count of answers 1-5, "don't know" excluded; their sum)."""
    effort_n: int = 0
    effort_sum: float = 0.0
    """Effort answers, 1-7."""
    pairs: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    """Driver -> over the respondents who answered it (x) and overall (y): (sum of x², sum of
    x·y, sum of y, sum of y²); with `drivers` (their count and sum of x), what a correlation
    needs (`key_drivers_of`)."""


@dataclass(frozen=True)
class CellStats:
    """Figures of one cell. When `suppressed`, every figure is None (`n` keeps the true count for
    internal use such as margins; `public()` blanks it)."""

    n: int
    mean: float | None
    mean_ci95: tuple[float, float] | None
    satisfied_share: float | None
    satisfied_ci95: tuple[float, float] | None
    drivers: dict[str, float | None]
    effort: float | None
    suppressed: bool

    def public(self) -> dict[str, Any]:
        """The cell as published: JSON-ready, with n None when suppressed."""
        return {
            "n": None if self.suppressed else self.n,
            "mean": self.mean,
            "mean_ci95": list(self.mean_ci95) if self.mean_ci95 else None,
            "satisfied_share": self.satisfied_share,
            "satisfied_ci95": list(self.satisfied_ci95) if self.satisfied_ci95 else None,
            "drivers": dict(self.drivers),
            "effort": self.effort,
            "suppressed": self.suppressed,
        }


def cell_stats(totals: CellTotals, min_cell: int, *, hidden: bool = False) -> CellStats:
    """Every figure of a cell, or none of them when it is suppressed.

    Suppressed when 0 < n < min_cell (primary suppression) or when `hidden` is set (a cell that
    `suppress` hid to protect another one). Otherwise:

    - mean: of the 1-5 answers, with a 95 % t interval clipped to [1, 5] (None when n < 2);
    - satisfied_share: share answering 4 or 5, with a 95 % Wilson interval;
    - drivers: each driver's mean on 0-100, (mean - 1) / 4 * 100, over its answers without
      "don't know"; None when it has fewer than `min_cell` (or no) answers;
    - effort: mean on 1-7; None when it has fewer than `min_cell` (or no) answers.

    A cell with n == 0 is not suppressed but has no overall figures.
    """
    if totals.n < 0 or not 0 <= totals.satisfied <= totals.n:
        raise ValueError(f"inconsistent totals: n={totals.n}, satisfied={totals.satisfied}")
    n = totals.n
    if hidden or 0 < n < min_cell:
        return CellStats(n, None, None, None, None, dict.fromkeys(totals.drivers), None, True)
    mean = mean_ci = share = share_ci = None
    if n > 0:
        mean = totals.overall_sum / n
        interval = t_interval(n, totals.overall_sum, totals.overall_sumsq)
        if interval is not None:
            mean_ci = (min(5.0, max(1.0, interval[0])), min(5.0, max(1.0, interval[1])))
        share = totals.satisfied / n
        share_ci = wilson_interval(totals.satisfied, n)
    drivers: dict[str, float | None] = {}
    for name, (count, total) in totals.drivers.items():
        shown = count > 0 and count >= min_cell
        drivers[name] = (total / count - 1.0) / 4.0 * 100.0 if shown else None
    shown = totals.effort_n > 0 and totals.effort_n >= min_cell
    effort = totals.effort_sum / totals.effort_n if shown else None
    return CellStats(n, mean, mean_ci, share, share_ci, drivers, effort, False)


def merge_totals(parts: Iterable[CellTotals]) -> CellTotals:
    """Totals of a union of cells (a margin total)."""
    n = satisfied = effort_n = 0
    overall_sum = overall_sumsq = effort_sum = 0.0
    drivers: dict[str, tuple[int, float]] = {}
    pairs: dict[str, tuple[float, float, float, float]] = {}
    for part in parts:
        n += part.n
        overall_sum += part.overall_sum
        overall_sumsq += part.overall_sumsq
        satisfied += part.satisfied
        effort_n += part.effort_n
        effort_sum += part.effort_sum
        for name, (count, total) in part.drivers.items():
            old_count, old_total = drivers.get(name, (0, 0.0))
            drivers[name] = (old_count + count, old_total + total)
        for name, sums in part.pairs.items():
            before = pairs.get(name, (0.0, 0.0, 0.0, 0.0))
            pairs[name] = (before[0] + sums[0], before[1] + sums[1], before[2] + sums[2],
                           before[3] + sums[3])
    return CellTotals(n, overall_sum, overall_sumsq, satisfied, drivers, effort_n, effort_sum,
                      pairs)


# --------------------------------------------------------------------------- key drivers


def key_drivers(
    rows: list[tuple[float, dict[str, float | None]]],
) -> list[tuple[str, float, int]]:
    """`key_drivers_of` the totals of these (overall, {driver: score or None}) rows."""
    drivers: dict[str, tuple[int, float]] = {}
    pairs: dict[str, tuple[float, float, float, float]] = {}
    for overall, answers in rows:
        if overall is None:
            continue
        for driver, value in answers.items():
            if value is None:
                continue
            x, y = float(value), float(overall)
            count, total = drivers.get(driver, (0, 0.0))
            drivers[driver] = (count + 1, total + x)
            xx, xy, ys, yy = pairs.get(driver, (0.0, 0.0, 0.0, 0.0))
            pairs[driver] = (xx + x * x, xy + x * y, ys + y, yy + y * y)
    return key_drivers_of(CellTotals(len(rows), 0.0, 0.0, 0, drivers, pairs=pairs))


def key_drivers_of(totals: CellTotals) -> list[tuple[str, float, int]]:
    """(driver, Pearson r with overall satisfaction, number of pairs) for each driver, over the
    respondents who answered both ("don't know" is no answer), highest correlation first (ties
    by name). Drivers with fewer than 10 pairs or without variance on either side are left
    out. From sums alone, so the database (or its rollup) adds them up, never the rows."""
    result: list[tuple[str, float, int]] = []
    for driver, (count, sum_x) in totals.drivers.items():
        sum_xx, sum_xy, sum_y, sum_yy = totals.pairs.get(driver, (0.0, 0.0, 0.0, 0.0))
        if count < MIN_DRIVER_PAIRS:
            continue
        # n times the co-moments; exact for the integer scores a survey records.
        sxx = count * sum_xx - sum_x * sum_x
        syy = count * sum_yy - sum_y * sum_y
        sxy = count * sum_xy - sum_x * sum_y
        if sxx <= 0 or syy <= 0:
            continue
        r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
        result.append((driver, r, count))
    result.sort(key=lambda item: (-item[1], item[0]))
    return result
