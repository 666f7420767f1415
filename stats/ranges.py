"""How far a hidden cell's figures can range, given everything published: one linear program
per connected block of hidden cells (HiGHS via highspy), as an attacker would pose it.

Each hidden cell has a few unknowns of its own, whole numbers in truth: how many of its
respondents gave each overall score (``s1`` ... ``s5``), and for a driver how many gave each
answer. Its published parts (its count, sum of scores, ...) are linear forms over them, so a
cell's possible parts are exactly what whole scores allow, not a looser box around them.
Every part adds up along the cube's equations (a total is the sum of its children): each
equation gives one row per part, its unknown members' parts equal to what the published
members leave. The program is the relaxation of the attacker's integer program: its ranges,
rounded inward to whole numbers, are what the audit reads.

``failing`` decides many checks ("this cell's count spans at least 8") with few solves:
every solution is a feasible point, and a range is at least as wide as the values any two
feasible points give, so one solve maximising many cells' counts together settles all the
cells it pushes far enough. Only what such batches leave open is solved cell by cell.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy

from stats.cube import CellKey, Equation

Form = Mapping[str, float]  # a linear form over a cell's unknowns: {"s4": 1, "s5": 1}
Column = tuple[CellKey, str]  # one unknown of one cell
SLACK = 1e-6


@dataclass(frozen=True)
class CellRow:
    """A constraint on one cell's unknowns: ``lower <= form <= upper``."""

    form: Form
    lower: float
    upper: float


@dataclass(frozen=True)
class Model:
    """What a cube's cells hold for one audit: each cell's unknowns (none where all is
    published), its published parts as forms over the unknowns, their true values, and
    constraints of each cell's own."""

    parts: Mapping[str, Form]
    unknowns: Callable[[CellKey], Sequence[str]]
    value: Callable[[CellKey, str], float]
    cell_rows: Callable[[CellKey], Iterable[CellRow]]
    largest: float  # no unknown exceeds this (the most respondents in any cell)

    def unknown(self, cell: CellKey, part: str) -> bool:
        have = self.unknowns(cell)
        return bool(have) and all(name in have for name in self.parts[part])


class Audit:
    """Rounds of checks over a cube while more cells are hidden (or a question withheld):
    each round, the checks that fail, with their block. Hiding more only widens ranges, so a
    check that held holds in every later round; and a block with the same cells and checks as
    before fails as before, unsolved again."""

    def __init__(self) -> None:
        self._settled: set[tuple[CellKey, str]] = set()
        self._failed: dict[tuple[frozenset[CellKey], frozenset[tuple[CellKey, str]]],
                          list[Failure]] = {}

    def failures(self, model: Model, equations: Sequence[Equation], targets: set[CellKey],
                 checks_of: Callable[[CellKey], Iterable[Check]]
                 ) -> list[tuple[Failure, list[CellKey]]]:
        found: list[tuple[Failure, list[CellKey]]] = []
        for cells, rows in blocks(model, equations, targets):
            checks = [check for cell in cells if cell in targets for check in checks_of(cell)
                      if (cell, check.name) not in self._settled]
            key = (frozenset(cells), frozenset((check.cell, check.name) for check in checks))
            if key not in self._failed:
                failed = failing(BlockProgram(model, cells, rows), checks) if checks else []
                left = {(failure.check.cell, failure.check.name) for failure in failed}
                self._settled.update((check.cell, check.name) for check in checks
                                     if (check.cell, check.name) not in left)
                self._failed[key] = failed
            found.extend((failure, cells) for failure in self._failed[key])
        return found

    def narrow(self, model: Model, equations: Sequence[Equation], targets: set[CellKey],
               checks_of: Callable[[CellKey], Iterable[Check]]
               ) -> list[tuple[CellKey, list[CellKey]]]:
        """The cells whose checks fail, each once, with its block."""
        narrow = {failure.check.cell: cells for failure, cells in self.failures(
            model, equations, targets, checks_of)}
        return list(narrow.items())


Rows = list[tuple[dict[Column, float], float]]


def blocks(model: Model, equations: Sequence[Equation], targets: set[CellKey]
           ) -> list[tuple[list[CellKey], Rows]]:
    """The rows of each connected block of cells with unknowns that holds a target."""
    rows: Rows = []
    for total, children in equations:
        for part, form in model.parts.items():
            row: dict[Column, float] = {}
            known = 0.0
            for cell, sign in ((total, 1.0), *((child, -1.0) for child in children)):
                if model.unknown(cell, part):
                    for name, coefficient in form.items():
                        row[cell, name] = row.get((cell, name), 0.0) + sign * coefficient
                else:
                    known -= sign * model.value(cell, part)
            if row:
                rows.append((row, known))
    cell_sets = [{cell for cell, _ in row} for row, _ in rows]
    found = []
    for indices in component_indices(cell_sets):
        cells = sorted({cell for i in indices for cell in cell_sets[i]})
        if targets.intersection(cells):
            found.append((cells, [rows[i] for i in indices]))
    return found


def component_indices(rows: Sequence[Iterable[CellKey]]) -> list[list[int]]:
    """The rows (by index) of each connected block: rows sharing a cell are together.
    Indices, as two equations can have the same hidden members and other published ones."""
    parent: dict[CellKey, CellKey] = {}

    def root(key: CellKey) -> CellKey:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    firsts = []
    for row in rows:
        first, *others = row
        firsts.append(first)
        for other in others:
            parent[root(other)] = root(first)
    grouped: dict[CellKey, list[int]] = defaultdict(list)
    for index, first in enumerate(firsts):
        grouped[root(first)].append(index)
    return [grouped[key] for key in sorted(grouped)]


class BlockProgram:
    """The linear program of one block. Only the objective changes between solves, so each
    solve starts from the last basis (primal simplex, no presolve: about 1 ms a solve)."""

    def __init__(self, model: Model, cells: Sequence[CellKey],
                 rows: Sequence[tuple[Mapping[Column, float], float]]) -> None:
        import highspy

        self._highspy = highspy
        self.column = {(cell, name): 0 for cell in cells for name in model.unknowns(cell)}
        for index, key in enumerate(self.column):
            self.column[key] = index
        entries: list[list[tuple[int, float]]] = [[] for _ in self.column]
        lower: list[float] = []
        upper: list[float] = []

        def add(row: Mapping[Column, float], low: float, high: float) -> None:
            for key, coefficient in row.items():
                entries[self.column[key]].append((len(lower), coefficient))
            lower.append(low)
            upper.append(high)

        for row, known in rows:
            add(row, known, known)
        for cell in cells:
            for cell_row in model.cell_rows(cell):
                add({(cell, name): c for name, c in cell_row.form.items()},
                    _finite(cell_row.lower, highspy), _finite(cell_row.upper, highspy))
        lp = linear_program(entries, [0.0] * len(entries), [float(model.largest)] * len(entries),
                            lower, upper)
        self._solver = quiet_solver()
        self._solver.setOptionValue("presolve", "off")
        self._solver.setOptionValue("simplex_strategy", 4)
        self._solver.passModel(lp)

    def solve(self, objective: Mapping[Column, float], maximise: bool) -> numpy.ndarray:
        """A solution optimising ``objective`` (all unknowns are bounded, so there is one)."""
        highspy = self._highspy
        indices = numpy.array([self.column[key] for key in objective], dtype=numpy.int32)
        costs = numpy.array(list(objective.values()), dtype=numpy.float64)
        self._solver.changeColsCost(len(indices), indices, costs)
        self._solver.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        self._solver.run()
        if self._solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # A warm start can end wrongly after many objective changes: solve afresh.
            self._solver.clearSolver()
            self._solver.run()
        status = self._solver.getModelStatus()
        point = numpy.array(self._solver.getSolution().col_value)
        self._solver.changeColsCost(len(indices), indices, numpy.zeros(len(indices)))
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"disclosure audit: the linear program ended {status}")
        return point

    def at(self, point: numpy.ndarray, cell: CellKey, form: Form) -> float:
        return float(sum(c * point[self.column[cell, name]] for name, c in form.items()))


_told = False  # whether HiGHS has printed its banner in this process (it does so once)
_telling = threading.Lock()  # standard output is the process's: one thread redirects it


def quiet_solver() -> Any:
    """A HiGHS solver that writes nothing. Its first construction in a process prints a
    banner on the C library's standard output, before any option can be set: the bot logs
    JSON lines there (a log shipper would choke on it) and `izdes` prints its reports there,
    so it goes to /dev/null instead."""
    global _told
    import highspy

    with _telling:
        if not _told:
            sys.stdout.flush()
            kept = os.dup(1)
            try:
                with open(os.devnull, "wb") as nowhere:
                    os.dup2(nowhere.fileno(), 1)
                    highspy.Highs()  # type: ignore[no-untyped-call]  # the banner, unseen
            finally:
                os.dup2(kept, 1)
                os.close(kept)
            _told = True
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    return solver


def linear_program(columns: Sequence[Sequence[tuple[int, float]]], cost: Sequence[float],
                   upper: Sequence[float], row_lower: Sequence[float],
                   row_upper: Sequence[float]) -> Any:
    """A HiGHS model from each column's (row, coefficient) entries: columns from 0 to their
    ``upper`` bound, rows from ``row_lower`` to ``row_upper``."""
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(columns), len(row_lower)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = list(cost), [0.0] * len(columns), list(upper)
    lp.row_lower_, lp.row_upper_ = list(row_lower), list(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    starts, positions, coefficients = [0], [], []
    for column in columns:
        for position, coefficient in sorted(column):
            positions.append(position)
            coefficients.append(coefficient)
        starts.append(len(positions))
    lp.a_matrix_.start_, lp.a_matrix_.index_ = starts, positions
    lp.a_matrix_.value_ = coefficients
    return lp


@dataclass(frozen=True)
class Check:
    """What must hold of one hidden cell: its ``form`` ranges over at least ``width`` (whole
    values), or, with ``width`` None, may reach 1 (someone may have answered that way)."""

    cell: CellKey
    name: str  # checks of one name are batched together
    form: Form
    true: float  # its value in the real data, one feasible point
    width: float | None = None

    def holds(self, low: float, high: float) -> bool:
        if self.width is None:
            return math.floor(high + SLACK) >= 1
        return math.floor(high + SLACK) - math.ceil(low - SLACK) >= self.width - SLACK


class Failure(NamedTuple):
    """A check that does not hold, with how far its form ranges."""

    check: Check
    low: float
    high: float


def failing(program: BlockProgram, checks: Sequence[Check]) -> list[Failure]:
    """The checks that do not hold in ``program``, with the range each was found to have."""
    low = [check.true for check in checks]
    high = list(low)
    pending = [i for i, check in enumerate(checks) if not check.holds(low[i], high[i])]

    def absorb(point: numpy.ndarray) -> None:
        nonlocal pending
        for i in pending:
            value = program.at(point, checks[i].cell, checks[i].form)
            low[i], high[i] = min(low[i], value), max(high[i], value)
        pending = [i for i in pending if not checks[i].holds(low[i], high[i])]

    while pending:  # batches: one solve per name and direction
        before = len(pending)
        for name in sorted({checks[i].name for i in pending}):
            for maximise in (True, False):
                chosen = [i for i in pending if checks[i].name == name
                          and (maximise or checks[i].width is not None)]
                if chosen:
                    absorb(program.solve(_summed(checks[i] for i in chosen), maximise))
        if len(pending) == before:
            break
    for i in list(pending):  # then each that is left on its own
        for maximise in (True, False):
            if i in pending and (maximise or checks[i].width is not None):
                absorb(program.solve(_summed([checks[i]]), maximise))
    return [Failure(checks[i], low[i], high[i]) for i in pending]


def _summed(checks: Iterable[Check]) -> dict[Column, float]:
    objective: dict[Column, float] = defaultdict(float)
    for check in checks:
        for name, coefficient in check.form.items():
            objective[check.cell, name] += coefficient
    return objective


def _finite(value: float, highspy: Any) -> float:
    if math.isfinite(value):
        return value
    return float(highspy.kHighsInf if value > 0 else -highspy.kHighsInf)
