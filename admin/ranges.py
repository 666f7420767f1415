"""How far a hidden cell's figures can range, given everything published: one linear program
per connected block of hidden cells (HiGHS via highspy), as an attacker would pose it.

Each cell of the block has the same named parts (its count, its sum of scores, ...). Every
part adds up along the cube's equations (a total is the sum of its children), so each
equation gives one row per part: the hidden members' parts equal what the published members
leave. Each cell's parts are further tied by ``links``, linear forms that are at most zero
(a sum of 1-5 scores lies between the count and five times it), and bounded per cell.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

CellKey = Hashable  # a cell of the cube (admin.disclosure)

Form = Mapping[str, float]  # a linear form over a cell's parts: {"sum": 1, "count": -5}
Equation = tuple[CellKey, list[CellKey]]  # a total and the cells that add up to it


def programs_of_blocks(equations: Sequence[Equation], unknown: set[CellKey],
                       targets: set[CellKey], parts: Sequence[str], links: Sequence[Form],
                       value: Callable[[CellKey, str], float],
                       bounds: Callable[[CellKey], Mapping[str, tuple[float, float]]]
                       ) -> list[tuple[list[CellKey], BlockProgram]]:
    """The program of each connected block of ``unknown`` cells that holds a target: the
    known members of each equation (``value`` of each part) are moved to its right side."""
    rows: list[dict[CellKey, float]] = []
    values: list[dict[str, float]] = []
    for total, children in equations:
        row = {cell: -1.0 for cell in children if cell in unknown}
        if total in unknown:
            row[total] = 1.0
        if not row:
            continue
        rows.append(row)
        shown = [cell for cell in children if cell not in unknown]
        values.append({part: sum(value(cell, part) for cell in shown)
                       - (0.0 if total in unknown else value(total, part)) for part in parts})
    found = []
    for indices in component_indices(rows):
        cells = sorted({cell for i in indices for cell in rows[i]})  # type: ignore[type-var]
        if targets.intersection(cells):
            program = BlockProgram(cells, parts, [rows[i] for i in indices],
                                   [values[i] for i in indices], links,
                                   {cell: bounds(cell) for cell in cells})
            found.append((cells, program))
    return found


def component_indices(rows: Sequence[Mapping[CellKey, object]]) -> list[list[int]]:
    """The rows (by index) of each connected block: rows sharing a cell are together.
    Indices, as two equations can have the same hidden members and other published ones."""
    parent: dict[CellKey, CellKey] = {}

    def root(key: CellKey) -> CellKey:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        first, *others = row
        for other in others:
            parent[root(other)] = root(first)
    grouped: dict[CellKey, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        grouped[root(next(iter(row)))].append(index)
    return [grouped[key] for key in sorted(grouped)]  # type: ignore[type-var]


class BlockProgram:
    """The linear program of one block. Only the objective changes between solves, so each
    solve starts from the last basis (primal simplex, no presolve: about 1 ms a solve)."""

    def __init__(self, cells: Sequence[CellKey], parts: Sequence[str],
                 rows: Sequence[Mapping[CellKey, float]],
                 values: Sequence[Mapping[str, float]], links: Sequence[Form],
                 bounds: Mapping[CellKey, Mapping[str, tuple[float, float]]]) -> None:
        import highspy

        self._highspy = highspy
        self._parts = list(parts)
        self._column = {(cell, part): i * len(parts) + j
                        for i, cell in enumerate(cells) for j, part in enumerate(parts)}
        columns: list[list[tuple[int, float]]] = [[] for _ in self._column]
        lower: list[float] = []
        upper: list[float] = []
        for row, value in zip(rows, values, strict=True):
            for part in parts:
                for cell, coefficient in row.items():
                    columns[self._column[cell, part]].append((len(lower), coefficient))
                lower.append(value[part])
                upper.append(value[part])
        for cell in cells:
            for link in links:
                for part, coefficient in link.items():
                    columns[self._column[cell, part]].append((len(lower), coefficient))
                lower.append(-highspy.kHighsInf)
                upper.append(0.0)
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = len(columns), len(lower)
        model.col_cost_ = [0.0] * len(columns)
        model.col_lower_ = [bounds[cell][part][0] for cell in cells for part in parts]
        model.col_upper_ = [_finite_or_inf(bounds[cell][part][1], highspy)
                            for cell in cells for part in parts]
        model.row_lower_, model.row_upper_ = lower, upper
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        starts, positions, coefficients = [0], [], []
        for column in columns:
            for position, coefficient in sorted(column):
                positions.append(position)
                coefficients.append(coefficient)
            starts.append(len(positions))
        model.a_matrix_.start_, model.a_matrix_.index_ = starts, positions
        model.a_matrix_.value_ = coefficients
        self._solver = highspy.Highs()
        self._solver.setOptionValue("output_flag", False)
        self._solver.setOptionValue("presolve", "off")
        self._solver.setOptionValue("simplex_strategy", 4)
        self._solver.passModel(model)

    def minimum(self, cell: CellKey, form: Form) -> float:
        return self._optimum(cell, form, self._highspy.ObjSense.kMinimize, -math.inf)

    def maximum(self, cell: CellKey, form: Form) -> float:
        return self._optimum(cell, form, self._highspy.ObjSense.kMaximize, math.inf)

    def _optimum(self, cell: CellKey, form: Form, sense: Any, unbounded: float) -> float:
        highspy = self._highspy
        columns = [(self._column[cell, part], coefficient) for part, coefficient in form.items()]
        for column, coefficient in columns:
            self._solver.changeColCost(column, coefficient)
        self._solver.changeObjectiveSense(sense)
        self._solver.run()
        status = self._solver.getModelStatus()
        optimum = self._solver.getInfo().objective_function_value  # before the costs change
        for column, _ in columns:
            self._solver.changeColCost(column, 0.0)
        if status == highspy.HighsModelStatus.kOptimal:
            return optimum
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return unbounded
        raise RuntimeError(f"disclosure audit: the linear program ended {status}")


def _finite_or_inf(value: float, highspy: Any) -> float:
    return value if math.isfinite(value) else highspy.kHighsInf
