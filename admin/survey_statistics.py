"""Figures shown for a cell of the satisfaction table, with confidence intervals and disclosure
control: the one place where the admin API, the dashboard, exports and Telegram reports get them.

Everything works on per-cell sufficient statistics (count, sum, sum of squares), so the database
aggregates and no raw rows are needed, except for the key-driver view, which needs pairs.
Standard library only.

- `t_critical`, `t_interval`: Student t interval of a mean (sample sd with n - 1).
- `wilson_interval`: Wilson score interval of a share.
- `cell_stats`: every figure of one cell, or none of them when the cell is suppressed.
- `suppress`: primary and secondary small-cell suppression over a table published with margins;
  `withheld_totals` and `recoverable` audit the result.
- `table_stats`: the two together, for a whole table and its margin totals.
- `key_drivers`: correlation of each driver with overall satisfaction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist
from typing import Any

Key = tuple[str, ...]
Margin = tuple[int, ...]

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
    t = _cornish_fisher(df, z)
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


def _cornish_fisher(df: int, z: float) -> float:
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


# --------------------------------------------------------------------------- suppression


@dataclass(frozen=True)
class Cell:
    key: Key
    """E.g. (province, service)."""
    n: int


class _Table:
    """Non-empty cells grouped along each margin."""

    def __init__(self, cells: Iterable[Cell], margins: Sequence[Margin]) -> None:
        self.n: dict[Key, int] = {}
        width: int | None = None
        for cell in cells:
            if cell.n < 0:
                raise ValueError(f"negative count in cell {cell.key!r}")
            if cell.key in self.n:
                raise ValueError(f"duplicate cell {cell.key!r}")
            if width is not None and len(cell.key) != width:
                raise ValueError(f"cell {cell.key!r} has not {width} dimensions")
            width = len(cell.key)
            if cell.n > 0:
                self.n[cell.key] = cell.n
        self.margins = [tuple(m) for m in margins]
        for margin in self.margins:
            if width is not None and any(not 0 <= i < width for i in margin):
                raise ValueError(f"margin {margin!r} out of range for {width} dimensions")
        # (margin index, group key) -> sorted members; cell -> its groups
        self.groups: dict[tuple[int, Key], list[Key]] = defaultdict(list)
        self.groups_of: dict[Key, list[tuple[int, Key]]] = defaultdict(list)
        for key in sorted(self.n):
            for index, margin in enumerate(self.margins):
                group = (index, tuple(key[i] for i in margin))
                self.groups[group].append(key)
                self.groups_of[key].append(group)
        self.order = sorted(self.groups)

    def lone(self, key: Key) -> bool:
        """Whether the cell is the only non-empty cell of one of its groups (so that group's
        total equals the cell)."""
        return any(len(self.groups[g]) == 1 for g in self.groups_of[key])

    def pick(self, candidates: Iterable[Key], hidden: set[Key]) -> Key | None:
        """The cell to hide next: visible, preferably not alone in another group (its total
        would show it anyway), then the smallest, then the first by key."""
        visible = [k for k in candidates if k not in hidden]
        if not visible:
            return None
        return min(visible, key=lambda k: (self.lone(k), self.n[k], k))

    def withheld(self, hidden: set[Key]) -> set[tuple[int, Key]]:
        return {g for g in self.order if len(self.groups[g]) == 1 and self.groups[g][0] in hidden}

    def close_singletons(self, hidden: set[Key]) -> None:
        changed = True
        while changed:
            changed = False
            for group in self.order:
                members = self.groups[group]
                if sum(k in hidden for k in members) != 1:
                    continue
                choice = self.pick(members, hidden)
                if choice is not None:
                    hidden.add(choice)
                    changed = True

    def recoverable(self, hidden: set[Key]) -> set[Key]:
        """Hidden cells whose count is a linear combination of published figures (visible cells
        and margin totals other than the withheld ones), by exact elimination per connected
        component of hidden cells."""
        withheld = self.withheld(hidden)
        constraints = [
            [k for k in self.groups[g] if k in hidden]
            for g in self.order if g not in withheld
        ]
        constraints = [c for c in constraints if c]
        found: set[Key] = set()
        for component in _components(constraints):
            found |= _determined(component)
        return found


def _components(constraints: list[list[Key]]) -> list[list[list[Key]]]:
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for members in constraints:
        first = root(members[0])
        for other in members[1:]:
            parent[root(other)] = first
    grouped: dict[Key, list[list[Key]]] = defaultdict(list)
    for members in constraints:
        grouped[root(members[0])].append(members)
    return [grouped[r] for r in sorted(grouped)]


def _determined(constraints: list[list[Key]]) -> set[Key]:
    """Variables fixed by the equations sum(members) = known: those whose row of the reduced
    row echelon form has no free variable. Integer rows, kept small by their gcd."""
    rows = [dict.fromkeys(members, 1) for members in constraints]
    pivots: dict[Key, dict[Key, int]] = {}
    for row in rows:
        for var, row_pivot in pivots.items():
            if var in row:
                _eliminate(row, row_pivot, var)
        if not row:
            continue
        var = min(row)
        for other in pivots.values():
            if var in other:
                _eliminate(other, row, var)
        pivots[var] = row
    return {var for var, row in pivots.items() if len(row) == 1}


def _eliminate(target: dict[Key, int], source: dict[Key, int], var: Key) -> None:
    a, b = source[var], target[var]
    for key in list(target):
        target[key] *= a
    for key, value in source.items():
        new = target.get(key, 0) - b * value
        if new:
            target[key] = new
        else:
            target.pop(key, None)
    divisor = math.gcd(*target.values()) if target else 1
    if divisor > 1:
        for key in target:
            target[key] //= divisor


def suppress(
    cells: list[Cell], min_cell: int, margins: list[tuple[int, ...]], *, strict: bool = True
) -> set[tuple[str, ...]]:
    """Keys of the cells to hide in a table published together with totals along `margins`.

    `margins` lists the visible totals as the key positions they keep: [(0,)] means a total per
    key[0] (e.g. per province) is shown, [(0,), (1,)] per province and per service, [()] a grand
    total. A margin group is the set of cells sharing those key positions. Cells with n == 0
    are absent, never hidden.

    1. Primary: every cell with 0 < n < min_cell is hidden.
    2. Secondary: a hidden cell alone among the hidden cells of a group would be its total minus
       the visible cells. So in every group with exactly one hidden cell, another non-empty cell
       of the group is hidden too: the smallest one (ties broken by key), but preferring one
       that is not the only non-empty cell of some other group, as that group's total would show
       it anyway. Groups are visited in order (margin, group key) and the pass repeats until
       nothing changes, since each new hidden cell can leave another group with one hidden cell.
    3. With `strict` (default), the table is then audited by exact linear algebra (see
       `recoverable`): a hidden cell can still be solved from several totals at once, e.g. the
       one hidden cell linking two blocks of hidden cells of a two-way table. For each such
       cell, in key order, one more cell is hidden: among the visible cells sharing a group
       with its block of connected hidden cells, the first by the order of step 2. Step 2 then
       runs again, and so on until no cell is recoverable except any that the totals alone
       determine (recoverable even with every cell hidden; `recoverable` lists them).

    Afterwards every group has zero or at least two hidden cells, except a group whose only
    non-empty cell is hidden: its total equals that cell and must be withheld as well
    (`withheld_totals`; when the cell is a primary one, that total is below min_cell anyway).
    Not covered: bounds (a hidden cell is known to be >= 1 and a primary one < min_cell, so e.g.
    two hidden cells summing to 2 are both 1), and totals of higher levels than `margins`.
    """
    table = _Table(cells, margins)
    hidden = {key for key, n in table.n.items() if n < min_cell}
    inherent: set[Key] | None = None  # recoverable even with every cell hidden
    while True:
        table.close_singletons(hidden)
        if not strict:
            return hidden
        leaks = table.recoverable(hidden)
        if leaks and inherent is None:
            inherent = table.recoverable(set(table.n))
        done: set[Key] = set()
        added = False
        for leak in sorted(leaks - (inherent or set())):
            if leak in done:
                continue
            block = _block(table, hidden, leak)
            done |= block
            near = {k for member in block for g in table.groups_of[member]
                    for k in table.groups[g]}
            choice = table.pick(sorted(near), hidden)
            if choice is not None:
                hidden.add(choice)
                added = True
        if not added:
            return hidden


def _block(table: _Table, hidden: set[Key], start: Key) -> set[Key]:
    """The hidden cells connected to `start` through groups."""
    block = {start}
    queue = [start]
    while queue:
        key = queue.pop()
        for group in table.groups_of[key]:
            for other in table.groups[group]:
                if other in hidden and other not in block:
                    block.add(other)
                    queue.append(other)
    return block


def withheld_totals(
    cells: list[Cell], hidden: set[tuple[str, ...]], margins: list[tuple[int, ...]]
) -> set[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Margin totals that must not be published: (margin, group key) of each group whose only
    non-empty cell is hidden, so that its total is that cell."""
    table = _Table(cells, margins)
    return {(table.margins[index], group) for index, group in table.withheld(set(hidden))}


def recoverable(
    cells: list[Cell], hidden: set[tuple[str, ...]], margins: list[tuple[int, ...]]
) -> set[tuple[str, ...]]:
    """Hidden cells whose count can still be computed exactly from what is published: the
    visible cells and every margin total except `withheld_totals` (linear combinations of
    totals, not only one total minus its visible cells; bounds are not considered)."""
    table = _Table(cells, margins)
    return table.recoverable(set(hidden) & set(table.n))


@dataclass(frozen=True)
class TableStats:
    cells: dict[Key, CellStats]
    margins: dict[Margin, dict[Key, CellStats]]
    """Margin -> group key -> figures of the group's total."""


def table_stats(
    totals: Mapping[tuple[str, ...], CellTotals],
    min_cell: int,
    margins: list[tuple[int, ...]],
    *,
    strict: bool = True,
    margin_figures: bool = True,
) -> TableStats:
    """Figures of every cell and of every margin total, with suppression applied throughout:
    cells hidden by `suppress`, and margin totals that are below min_cell or withheld.
    Without `margin_figures` the totals are still taken into account in the suppression,
    but their own figures are not computed (`TableStats.margins` is empty)."""
    cells = [Cell(key, t.n) for key, t in totals.items()]
    hidden = suppress(cells, min_cell, margins, strict=strict)
    cell_figures = {
        key: cell_stats(t, min_cell, hidden=key in hidden) for key, t in totals.items()
    }
    if not margin_figures:
        return TableStats(cell_figures, {})
    withheld = withheld_totals(cells, hidden, margins)
    figures: dict[Margin, dict[Key, CellStats]] = {}
    for margin in margins:
        margin = tuple(margin)
        parts: dict[Key, list[CellTotals]] = defaultdict(list)
        for key, t in totals.items():
            parts[tuple(key[i] for i in margin)].append(t)
        figures[margin] = {
            group: cell_stats(merge_totals(parts[group]), min_cell,
                              hidden=(margin, group) in withheld)
            for group in sorted(parts)
        }
    return TableStats(cell_figures, figures)


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
