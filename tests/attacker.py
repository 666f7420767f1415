"""An analyst who wants what is hidden: given every figure a token can read, solve by linear
programming (scipy's HiGHS) for the smallest and largest count and sum of scores each hidden
cell can have.

The attacker is given more than a real one has: every cell of the cube that exists, also those
never listed (the part of a district no link reached), and the rule that each total is the sum
of its parts along place, service and period. A listed cell holds at least one respondent; every
respondent's overall score is between 1 and 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from admin.disclosure import CellKey, Equation


@dataclass(frozen=True)
class Seen:
    """What the attacker read about one cell: n and the mean, or nothing (hidden)."""

    listed: bool
    n: int | None = None
    mean: float | None = None


@dataclass(frozen=True)
class Range:
    count: tuple[float, float]
    total: tuple[float, float]


def feasible_ranges(seen: dict[CellKey, Seen], equations: list[Equation],
                    targets: list[CellKey]) -> dict[CellKey, Range]:
    """For each target cell, the range of its count and of its sum of overall scores that is
    consistent with everything seen."""
    cells = sorted(seen)
    index = {cell: i for i, cell in enumerate(cells)}
    width = 2 * len(cells)  # count of cell i at 2i, its sum of scores at 2i + 1
    rows: list[dict[int, float]] = []
    values: list[float] = []
    for total, children in equations:
        for offset in (0, 1):
            row = {2 * index[total] + offset: 1.0}
            for child in children:
                row[2 * index[child] + offset] = row.get(2 * index[child] + offset, 0) - 1.0
            rows.append(row)
            values.append(0.0)
    bounds = []
    for cell in cells:
        shown = seen[cell]
        if shown.n is not None:
            bounds += [(shown.n, shown.n), (shown.mean * shown.n, shown.mean * shown.n)]
        else:
            bounds += [(1 if shown.listed else 0, None), (0, None)]
    # 1 x count <= sum <= 5 x count
    inequalities: list[dict[int, float]] = []
    for i in range(len(cells)):
        inequalities.append({2 * i: 1.0, 2 * i + 1: -1.0})
        inequalities.append({2 * i + 1: 1.0, 2 * i: -5.0})
    a_eq, a_ub = _matrix(rows, width), _matrix(inequalities, width)
    b_ub = numpy.zeros(len(inequalities))
    ranges = {}
    for target in targets:
        found = []
        for offset in (0, 1):
            objective = numpy.zeros(width)
            objective[2 * index[target] + offset] = 1.0
            ends = []
            for sign in (1.0, -1.0):
                result = linprog(sign * objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq,
                                 b_eq=values, bounds=bounds, method="highs")
                assert result.status in (0, 3), result.message  # 3: unbounded above
                ends.append(sign * result.fun if result.status == 0 else numpy.inf)
            found.append((ends[0], ends[1]))
        ranges[target] = Range(found[0], found[1])
    return ranges


def _matrix(rows: list[dict[int, float]], width: int):
    matrix = lil_matrix((len(rows), width))
    for r, row in enumerate(rows):
        for column, value in row.items():
            matrix[r, column] = value
    return matrix.tocsr()
