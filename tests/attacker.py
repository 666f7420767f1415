"""An analyst who wants what is hidden: given every figure a token can read, solve by linear
programming (scipy's HiGHS) for how far each hidden cell's figures can range.

The attacker is given more than a real one has: every cell of the cube that exists, also those
never listed (the part of a district no link reached), the rule that each total is the sum of
its parts along place, service and period, and each visible cell's sum of squared scores (which
its mean's interval gives away unless clipped). A listed cell holds at least one respondent;
every overall score is a whole number from 1 to 5, satisfied means 4 or 5.

The same model, with a question's answers in place of the overall scores, serves for a driver
or the effort (``question_ranges``): a visible cell shows how many answered and their sum, or
nothing; who answered is at most everyone in the cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from admin.disclosure import CellKey, Equation

PARTS = ("count", "sum", "squares", "satisfied")
# What whole scores from 1 to 5 imply for a cell's parts: each row is a form <= 0.
FACTS = [
    {"count": 1, "sum": -1}, {"sum": 1, "count": -5}, {"satisfied": 1, "count": -1},
    {"count": 1, "satisfied": 3, "sum": -1},  # satisfied scored at least 4, the rest at least 1
    {"sum": 1, "count": -3, "satisfied": -2},  # the rest at most 3
    {"squares": 1, "sum": -6, "count": 5},  # (x - 1)(x - 5) <= 0
    *({"sum": 2 * k + 1, "count": -k * (k + 1), "squares": -1} for k in (1, 2, 3, 4)),
]
# Whether the cell may hold someone above 1, below 5, satisfied, not satisfied.
EITHER_WAY = {"above 1": {"sum": 1, "count": -1}, "below 5": {"count": 5, "sum": -1},
              "satisfied": {"satisfied": 1}, "not satisfied": {"count": 1, "satisfied": -1}}


@dataclass(frozen=True)
class Seen:
    """What the attacker read about one cell: n, the mean, the share satisfied and the sum
    of squares, or nothing (hidden)."""

    listed: bool
    n: int | None = None
    mean: float | None = None
    satisfied_share: float | None = None
    squares: float | None = None


@dataclass(frozen=True)
class Range:
    count: tuple[float, float]
    total: tuple[float, float]
    either_way: dict[str, float]  # the largest value of each EITHER_WAY form


def feasible_ranges(seen: dict[CellKey, Seen], equations: list[Equation],
                    targets: list[CellKey]) -> dict[CellKey, Range]:
    """For each target cell, the range of its count and of its sum of overall scores, and
    whether someone in it may have answered either way, consistent with everything seen."""
    bounds: dict[CellKey, dict[str, tuple[float | None, float | None]]] = {}
    for cell, shown in seen.items():
        if shown.n is None:
            bounds[cell] = {part: (1 if part == "count" and shown.listed else 0, None)
                            for part in PARTS}
            continue
        known = {"count": shown.n, "sum": shown.mean * shown.n if shown.n else 0,
                 "squares": shown.squares,
                 "satisfied": None if shown.satisfied_share is None else round(
                     shown.satisfied_share * shown.n)}
        bounds[cell] = {part: (0, None) if value is None else (value, value)
                        for part, value in known.items()}
    program = _Program(sorted(seen), PARTS, equations, FACTS, bounds)
    return {target: Range(program.range(target, {"count": 1}),
                          program.range(target, {"sum": 1}),
                          {name: program.range(target, form)[1]
                           for name, form in EITHER_WAY.items()})
            for target in targets}


def question_ranges(counts: dict[CellKey, int | None], answers: dict[CellKey, tuple | None],
                    listed: dict[CellKey, bool], equations: list[Equation],
                    targets: list[CellKey], scale: tuple[int, int]) -> dict[CellKey, dict]:
    """For a driver or the effort: ``counts`` the respondents of each cell (None: hidden),
    ``answers`` (how many answered, their sum) or None where not shown. For each target,
    the largest number of answers above the scale's lowest and below its highest it may
    hold, as sums: {"above lowest": ..., "below highest": ...}."""
    low, high = scale
    bounds = {}
    for cell in counts:
        n = counts[cell]
        shown = answers.get(cell)
        bounds[cell] = {
            "count": ((1 if listed[cell] else 0), None) if n is None else (n, n),
            "answers": (0, None) if shown is None else (shown[0], shown[0]),
            "sum": (0, None) if shown is None else (shown[1], shown[1])}
    facts = [{"answers": 1, "count": -1}, {"answers": low, "sum": -1},
             {"sum": 1, "answers": -high}]
    program = _Program(sorted(counts), ("count", "answers", "sum"), equations, facts, bounds)
    return {target: {"above lowest": program.range(target, {"sum": 1, "answers": -low})[1],
                     "below highest": program.range(target, {"answers": high, "sum": -1})[1]}
            for target in targets}


class _Program:
    """Every cell's parts as variables; each equation holds for each part; each fact holds
    for each cell."""

    def __init__(self, cells, parts, equations, facts, bounds):
        self.index = {(cell, part): i * len(parts) + j
                      for i, cell in enumerate(cells) for j, part in enumerate(parts)}
        self.width = len(self.index)
        rows = []
        for total, children in equations:
            for part in parts:
                row = {self.index[total, part]: 1.0}
                for child in children:
                    row[self.index[child, part]] = row.get(self.index[child, part], 0) - 1.0
                rows.append(row)
        inequalities = [{self.index[cell, part]: float(c) for part, c in fact.items()}
                        for cell in cells for fact in facts]
        self.a_eq, self.b_eq = _matrix(rows, self.width), numpy.zeros(len(rows))
        self.a_ub = _matrix(inequalities, self.width)
        self.b_ub = numpy.zeros(len(inequalities))
        self.bounds = [bounds[cell][part] for cell in cells for part in parts]

    def range(self, cell, form) -> tuple[float, float]:
        objective = numpy.zeros(self.width)
        for part, coefficient in form.items():
            objective[self.index[cell, part]] = coefficient
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(sign * objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq,
                             b_eq=self.b_eq, bounds=self.bounds, method="highs")
            assert result.status in (0, 3), result.message  # 3: unbounded
            ends.append(sign * result.fun if result.status == 0 else sign * -numpy.inf)
        return ends[0], ends[1]


def _matrix(rows: list[dict[int, float]], width: int):
    matrix = lil_matrix((len(rows), width))
    for r, row in enumerate(rows):
        for column, value in row.items():
            matrix[r, column] = value
    return matrix.tocsr()
