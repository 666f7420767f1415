"""An analyst who wants what is hidden: given every figure a token can read, solve for how far
each hidden cell's figures can range (scipy's HiGHS, as a mixed-integer program). The tests
build one ``Attacker`` per release and ask it about the cells that must stay wide.

The attacker is given more than a real one has: every cell of the cube that exists, also those
never listed (the part of a district no link reached), the rule that each total is the sum of
its parts along place, service and period, and each visible cell's sum of squared scores (which
its mean's interval gives away unless clipped). A listed cell holds at least one respondent.
It reasons as one who knows the scores are whole: each cell's unknowns are how many of its
respondents gave each overall score from 1 to 5 (satisfied means 4 or 5), whole numbers, so
whatever whole scores alone allow, it finds. Where HiGHS cannot settle a whole-number program
in two seconds (rare: when sums of squares make it a knapsack), the attacker falls back to its
linear relaxation, which is what stats.ranges certifies: such a check is no stronger than the
audit it tests.

Given a driver's or the effort's answers where shown, each cell also has how many gave each answer
on the question's scale; no more answered than the cell has respondents, and a visible cell
shows how many answered and their sum, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from stats.cube import CellKey, Equation

SCORES = (1, 2, 3, 4, 5)
UNBOUNDED = 10**4  # no cell holds this many; a range reaching a tenth of it has no end
OPTIONS = {"time_limit": 2.0}  # seconds a program; then the linear relaxation answers
# Each part of a cell as a sum over its histogram of overall scores.
PARTS = {"count": {f"s{k}": 1 for k in SCORES}, "sum": {f"s{k}": k for k in SCORES},
         "squares": {f"s{k}": k * k for k in SCORES}, "satisfied": {"s4": 1, "s5": 1}}
# Whether the cell may hold someone above 1, below 5, satisfied, not satisfied.
EITHER_WAY = {"above 1": {"s2": 1, "s3": 1, "s4": 1, "s5": 1},
              "below 5": {"s1": 1, "s2": 1, "s3": 1, "s4": 1},
              "satisfied": {"s4": 1, "s5": 1}, "not satisfied": {"s1": 1, "s2": 1, "s3": 1}}


@dataclass(frozen=True)
class Seen:
    """What the attacker read about one cell: n, the mean, the share satisfied and the sum
    of squares, or nothing (hidden)."""

    listed: bool
    n: int | None = None
    mean: float | None = None
    satisfied_share: float | None = None
    squares: float | None = None

    def known(self) -> dict[str, float]:
        if self.n is None:
            return {}
        found = {"count": self.n, "sum": round(self.mean * self.n) if self.n else 0}
        if self.squares is not None:
            found["squares"] = self.squares
        if self.satisfied_share is not None:
            found["satisfied"] = round(self.satisfied_share * self.n)
        return found


def answer_forms(scale: tuple[float, float]) -> dict[str, dict[str, int]]:
    """A question's parts and ways as forms over how many gave each answer."""
    values = range(int(scale[0]), int(scale[1]) + 1)
    return {"answers": {f"a{v}": 1 for v in values},
            "sum": {f"a{v}": v for v in values},
            "above lowest": {f"a{v}": 1 for v in values if v > scale[0]},
            "below highest": {f"a{v}": 1 for v in values if v < scale[1]}}


class Attacker:
    """Each cell's histograms as whole variables, where not all its parts are seen (a seen
    cell's histogram has no bearing on the others: only its parts enter the equations); each
    equation holds for each part."""

    def __init__(self, seen: dict[CellKey, Seen], equations: list[Equation],
                 answers: dict[CellKey, tuple[int, float]] | None = None,
                 scale: tuple[float, float] | None = None) -> None:
        """``answers``: for a driver or the effort, how many answered and their sum, where
        shown; ``scale``: its lowest and highest answer."""
        values = range(int(scale[0]), int(scale[1]) + 1) if scale else ()
        answers = answers or {}
        respondent_parts = dict(PARTS)
        answer_parts = {"answers": {f"a{v}": 1 for v in values},
                        "answer_sum": {f"a{v}": v for v in values}} if values else {}
        self.known = {}  # (cell, part) -> value
        self.index = {}  # (cell, name) -> column
        for cell in sorted(seen):
            known = seen[cell].known()
            names = [f"s{k}" for k in SCORES] if set(known) != set(PARTS) else []
            for part in PARTS:
                if not names:
                    self.known[cell, part] = known[part]
            if answer_parts and cell in answers:
                self.known[cell, "answers"], self.known[cell, "answer_sum"] = answers[cell]
            elif answer_parts:
                names += [f"a{v}" for v in values]
            for name in names:
                self.index[cell, name] = len(self.index)
        self.width = len(self.index)
        parts = {**respondent_parts, **answer_parts}
        rows, lower, upper = [], [], []

        def add(row: dict[int, float], low: float, high: float) -> None:
            rows.append(row)
            lower.append(low)
            upper.append(high)

        for total, children in equations:
            for part, form in parts.items():
                row: dict[int, float] = {}
                rest = 0.0
                for cell, sign in ((total, 1.0), *((child, -1.0) for child in children)):
                    if (cell, part) in self.known:
                        rest -= sign * self.known[cell, part]
                        continue
                    for column, c in self._row(cell, form).items():
                        row[column] = row.get(column, 0.0) + sign * c
                if row:
                    add(row, rest, rest)
                else:
                    assert abs(rest) < 1e-6, (total, part, rest)
        for cell in sorted(seen):
            known = seen[cell].known()
            for part, value in known.items():  # what is seen of a cell with unknowns
                if (cell, part) not in self.known and (cell, "s1") in self.index:
                    add(self._row(cell, parts[part]), value, value)
            if seen[cell].n is None and seen[cell].listed:
                add(self._row(cell, parts["count"]), 1.0, numpy.inf)
            if answer_parts and (cell, f"a{values[0]}") in self.index:
                # No more answered than there are respondents.
                row = self._row(cell, parts["answers"])
                if (cell, "count") in self.known:
                    add(row, -numpy.inf, self.known[cell, "count"])
                else:
                    for column, c in self._row(cell, parts["count"]).items():
                        row[column] = -c
                    add(row, -numpy.inf, 0.0)
        self._blocks = _blocks(self.width, rows, lower, upper)

    def _row(self, cell, form) -> dict[int, float]:
        return {self.index[cell, name]: float(c) for name, c in form.items()}

    def _program(self, cell: CellKey, form: dict[str, float]):
        """The block of unknowns that the cell's belong to (the others cannot bear on it),
        and the form as its objective."""
        columns, constraints = self._blocks[self.index[cell, next(iter(form))]]
        objective = numpy.zeros(len(columns))
        for column, c in self._row(cell, form).items():
            objective[columns[column]] = c
        return objective, constraints

    def range(self, cell: CellKey, form: dict[str, int]) -> tuple[float, float]:
        """The smallest and largest value of a form over a cell's histogram."""
        return -self._largest(cell, form, -1.0), self._largest(cell, form, 1.0)

    def spans(self, cell: CellKey, form: dict[str, int], width: float,
              true: float | None = None) -> bool:
        """Whether the form's range is at least ``width`` wide. Given the true value, which
        lies in it, a solution ``width`` away settles that, usually, without optimising."""
        if true is not None and (self._reaches(cell, form, true + width) or self._reaches(
                cell, {name: -c for name, c in form.items()}, -(true - width))):
            return True
        low, high = self.range(cell, form)
        return high - low >= width - 1e-6

    def possible(self, cell: CellKey, form: dict[str, int]) -> bool:
        """Whether someone in the cell may have answered as the form counts. Where HiGHS
        cannot tell in time, the linear relaxation answers (see the module docstring)."""
        found = self._reaches(cell, form, 1)
        return found if found is not None else self._optimum(cell, form, False) >= 1 - 1e-6

    def _reaches(self, cell: CellKey, form: dict[str, int], value: float) -> bool | None:
        """Whether a whole solution has the form at ``value`` or more: a search for one
        solution, much faster than for the largest. None where it is not found in time."""
        row, constraints = self._program(cell, form)
        result = milp(numpy.zeros(len(row)), integrality=numpy.ones(len(row)),
                      bounds=Bounds(0, UNBOUNDED),
                      constraints=[constraints, LinearConstraint(row, value, numpy.inf)],
                      options=OPTIONS)
        assert result.status in (0, 1, 2), result.message  # 1: out of time, 2: infeasible
        return {0: True, 2: False}.get(result.status)

    def _largest(self, cell: CellKey, form: dict[str, int], sign: float) -> float:
        """The largest value of ``sign`` times the form, a whole number or infinity. The
        linear relaxation bounds it; where a whole solution meets that bound (nearly
        always) it is the answer, found far faster than by optimising over whole numbers.
        Where the optimum is not proven in time, the relaxation's."""
        signed = {name: sign * c for name, c in form.items()}
        relaxed = self._optimum(cell, signed, integral=False)
        if relaxed == numpy.inf:
            return relaxed
        bound = numpy.floor(relaxed + 1e-6)
        if self._reaches(cell, signed, bound):
            return bound
        found = self._optimum(cell, signed, integral=True)
        return bound if found is None else found  # out of time: the relaxation's bound

    def _optimum(self, cell: CellKey, form: dict[str, float], integral: bool) -> float | None:
        """The largest value of the form, or None where HiGHS runs out of time."""
        objective, constraints = self._program(cell, form)
        # Bounded, so that HiGHS tells an unbounded range from an infeasible program.
        result = milp(-objective, integrality=numpy.full(len(objective), int(integral)),
                      bounds=Bounds(0, UNBOUNDED), constraints=constraints, options=OPTIONS)
        if result.status == 1:
            return None
        assert result.status == 0, result.message
        return numpy.inf if -result.fun >= UNBOUNDED / 10 else -result.fun


def _blocks(width: int, rows: list[dict[int, float]], lower: list[float], upper: list[float]
            ) -> dict[int, tuple[dict[int, int], LinearConstraint]]:
    """For each unknown, its connected block: the unknowns sharing rows with it, each with
    its place in the block, and the block's rows."""
    parent = list(range(width))

    def root(column: int) -> int:
        while parent[column] != column:
            parent[column] = parent[parent[column]]
            column = parent[column]
        return column

    for row in rows:
        first, *others = row
        for other in others:
            parent[root(other)] = root(first)
    members: dict[int, list[int]] = {}
    for column in range(width):
        members.setdefault(root(column), []).append(column)
    of_block: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        of_block.setdefault(root(next(iter(row))), []).append(r)
    blocks = {}
    for top, columns in members.items():
        place = {column: i for i, column in enumerate(columns)}
        chosen = of_block.get(top, [])
        matrix = lil_matrix((max(len(chosen), 1), len(columns)))
        for i, r in enumerate(chosen):
            for column, value in rows[r].items():
                matrix[i, place[column]] = value
        low = [lower[r] for r in chosen] or [0.0]
        high = [upper[r] for r in chosen] or [0.0]
        block = (place, LinearConstraint(matrix.tocsr(), low, high))
        for column in columns:
            blocks[column] = block
    return blocks
