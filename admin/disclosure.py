"""Which published cells are hidden: small-cell suppression over every table at once.

Everything the project publishes about answers is a cell of one cube per survey and period
(admin.periods): a place and a service. A place is a path down the country's hierarchy,
``()`` for Türkiye, then the NUTS-1 region, the province's plate, the district and the muhtar
link: ``("TR5", "06", "1234", "17")``. A service is ``""`` for all services. Any table a
caller can ask for - by province, by service, by district within a province, by month within
a year, a province's services, a link's figures - is a set of cells of this cube, and every
cell reads the same in every table, because its figures are decided once, when its period is
released, and stored.

Each cell equals the sum of its children along each dimension: a province the sum of its
districts, all services the sum of the services. So hiding a
small cell alone protects nothing: its parent minus its visible siblings is the cell
("differencing"). ``protect`` hides, besides every cell with fewer than ``min_cell``
respondents (primary suppression), enough other cells that

1. no equation has exactly one hidden member (it would be the difference of the others),
   unless that member is an unstated part (below) that is not small;
2. in every equation, the other hidden members of a small hidden cell can give up at least
   ``min_cell - 2`` respondents (or include its parent), so the cell may hold anything from
   one to ``min_cell - 1`` respondents as far as that equation tells;
3. no small cell's count is a linear combination of published figures, across all equations
   together (exact integer elimination over each connected block of hidden cells);
4. no small cell's range is narrower than that, as a linear program over all equations
   and bounds together finds it (HiGHS, over each connected block): at least
   ``min_cell - 1`` possible counts, and sums of scores at least ``4 x (min_cell - 2)`` apart.

What a caller cannot see is not published at all: the part of a district reached by no muhtar
link, and responses without a district or a service, are cells with a "?" in their key; they
take part in the equations (their totals are what the published cells add up to) but are
never listed, so they count as hidden from the start. Periods do not overlap (one kind of
period is published), so each period's cube is protected on its own.

tests/test_disclosure.py and tests/test_disclosure_api.py check the outcome against an
attacker who solves for every hidden cell by linear programming over everything a token can
read.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

Path = tuple[str, ...]
CellKey = tuple[str, Path, str]  # (period, place, service)
Equation = tuple[CellKey, list[CellKey]]  # a total and the cells that add up to it

log = logging.getLogger(__name__)

UNSTATED = "?"  # a place or service not stated: part of the sums, never published
ALL_SERVICES = ""
PLACE_LEVELS = ("national", "region", "province", "district", "link")


def published(cell: CellKey) -> bool:
    """Whether a cell may be listed at all: its place and service are stated (a muhtar link
    is listed even where its district is not known)."""
    _, place, service = cell
    return service != UNSTATED and not (place and place[-1] == UNSTATED)


def place_level(place: Path) -> str:
    return PLACE_LEVELS[len(place)]


def equations(cells: Iterable[CellKey]) -> list[Equation]:
    """Each total with the cells that add up to it, along place and service, among
    ``cells``."""
    members: dict[tuple[CellKey, int], list[CellKey]] = defaultdict(list)
    present = set(cells)
    for cell in sorted(present):
        period, place, service = cell
        parents = [
            (period, place[:-1], service) if place else None,
            (period, place, ALL_SERVICES) if service != ALL_SERVICES else None,
        ]
        for dimension, total in enumerate(parents):
            if total is not None and total in present:
                members[(total, dimension)].append(cell)
    return [(total, children) for (total, _), children in sorted(members.items())]


def protect(counts: Mapping[CellKey, int], sums: Mapping[CellKey, float], min_cell: int,
            equations: list[Equation]) -> set[CellKey]:
    """The hidden cells among ``counts`` (respondents per cell, zero-count cells left out;
    ``sums`` their sums of overall scores). Deterministic: the same cells give the same
    hidden cells."""
    small = {cell for cell, n in counts.items() if 0 < n < min_cell}
    hidden = {cell for cell in counts if cell in small or not published(cell)}
    open_cells = set(counts)
    of_cell: dict[CellKey, list[int]] = defaultdict(list)
    for index, (total, children) in enumerate(equations):
        for cell in (total, *children):
            of_cell[cell].append(index)

    def hide_near(cells: Iterable[CellKey]) -> bool:
        """Hide the cheapest visible cell sharing an equation with one of ``cells``."""
        equations_of = sorted({i for cell in cells for i in of_cell[cell]})
        siblings = {c for i in equations_of for c in equations[i][1]}
        totals = {equations[i][0] for i in equations_of}
        choice = (_cheapest(counts, siblings, hidden, open_cells)
                  or _cheapest(counts, totals, hidden, open_cells))
        if choice is not None:
            hidden.add(choice)
        return choice is not None

    known: set[CellKey] = set()  # hidden cells that the published figures determine
    while True:
        _close_equations(counts, min_cell, equations, small, hidden, open_cells, known)
        blocks, known = _solved(equations, hidden)
        added = False
        for block in blocks:
            if block & small:
                added |= hide_near(block)
        if added:
            continue
        for cell, block in narrow_ranges(counts, sums, min_cell, equations, hidden, small):
            # Its own equations may be all hidden already: then the bound comes from further
            # away in its block.
            added |= hide_near([cell]) or hide_near(block)
        if not added:
            _warn_if_exposed(counts, sums, min_cell, equations, hidden, small)
            return hidden


def _warn_if_exposed(counts: Mapping[CellKey, int], sums: Mapping[CellKey, float],
                     min_cell: int, equations: list[Equation], hidden: set[CellKey],
                     small: set[CellKey]) -> None:
    """Nothing was left to hide (every cell near it is hidden already): say so, never
    silently."""
    exposed = [cell for cell, _ in narrow_ranges(counts, sums, min_cell, equations, hidden,
                                                 small)]
    exposed += sorted(_solved(equations, hidden)[1] & small)
    if exposed:
        log.warning("disclosure: %d small cells keep a narrow range with nothing left to hide",
                    len(exposed))


def _close_equations(counts: Mapping[CellKey, int], min_cell: int, equations: list[Equation],
                     small: set[CellKey], hidden: set[CellKey], open_cells: set[CellKey],
                     known: set[CellKey]) -> None:
    """Rules 1 and 2 of the module docstring, until no equation needs another hidden cell;
    a hidden cell in ``known`` gives no room, as its value follows from what is published."""
    changed = True
    while changed:
        changed = False
        for total, children in equations:
            if not _needs_more(counts, min_cell, total, children, small, hidden, known):
                continue
            choice = _cheapest(counts, children, hidden, open_cells)
            if choice is None:
                choice = _cheapest(counts, [total], hidden, open_cells)
            if choice is not None:
                hidden.add(choice)
                changed = True


def _needs_more(counts: Mapping[CellKey, int], min_cell: int, total: CellKey,
                children: list[CellKey], small: set[CellKey], hidden: set[CellKey],
                known: set[CellKey]) -> bool:
    members = [total, *children]
    concealed = [cell for cell in members if cell in hidden and cell not in known]
    if not concealed:
        return False
    if len(concealed) == 1:
        # A lone hidden cell is the difference of the others. For an unstated part that is
        # not small that harms no one (it is never listed); as it is then known, it gives no
        # room to the small cells it shares other equations with.
        return published(concealed[0]) or concealed[0] in small
    if total in concealed:
        return False  # a hidden child can grow with its hidden total
    room = sum(counts.get(cell, 0) - 1 for cell in concealed)
    return any(room - (counts[cell] - 1) < min_cell - 2 for cell in concealed if cell in small)


def _cheapest(counts: Mapping[CellKey, int], candidates: Iterable[CellKey],
              hidden: set[CellKey], open_cells: set[CellKey]) -> CellKey | None:
    """The cell to hide next: one of this release, visible, the smallest (then by key)."""
    choices = [cell for cell in candidates if cell in open_cells and cell not in hidden]
    return min(choices, key=lambda cell: (counts[cell], cell)) if choices else None


def narrow_ranges(counts: Mapping[CellKey, int], sums: Mapping[CellKey, float],
                  min_cell: int, equations: list[Equation], hidden: set[CellKey],
                  small: set[CellKey]) -> list[tuple[CellKey, list[CellKey]]]:
    """Small hidden cells whose range, as a linear program over every published figure
    finds it (rule 4), is narrower than the protection: fewer than ``min_cell - 1`` possible
    counts, or sums of scores less than ``4 x (min_cell - 2)`` apart; each with the hidden
    cells of its block."""
    rows, values = [], []
    for total, children in equations:
        row = {cell: -1.0 for cell in children if cell in hidden}
        if total in hidden:
            row[total] = 1.0
        if not row:
            continue
        rows.append(row)
        shown = [c for c in children if c not in hidden]
        values.append((sum(counts[c] for c in shown) - (0 if total in hidden else counts[total]),
                       sum(sums[c] for c in shown) - (0 if total in hidden else sums[total])))
    narrow = []
    for indices in _component_indices(rows):
        component = [rows[i] for i in indices]
        cells = sorted({cell for row in component for cell in row})
        targets = [cell for cell in cells if cell in small]
        if not targets:
            continue
        ranges = _ranges(cells, component, [values[i] for i in indices], targets)
        for cell in targets:
            (count_low, count_high), (sum_low, sum_high) = ranges[cell]
            if count_high - count_low < min_cell - 2 - 1e-6 or (
                    sum_high - sum_low < 4 * (min_cell - 2) - 1e-6):
                narrow.append((cell, cells))
    return narrow


def _ranges(cells: list[CellKey], rows: list[dict[CellKey, float]],
            values: list[tuple[float, float]], targets: list[CellKey]
            ) -> dict[CellKey, tuple[tuple[float, float], tuple[float, float]]]:
    """Smallest and largest count and sum of scores of each target: counts of listed cells at
    least 1, every score between 1 and 5. One HiGHS model per block, re-solved with another
    objective for each end (a warm start: a fraction of a millisecond each)."""
    import highspy

    index = {cell: i for i, cell in enumerate(cells)}
    columns: list[list[tuple[int, float]]] = [[] for _ in range(2 * len(cells))]
    lower, upper = [], []
    for r, (row, (count_value, sum_value)) in enumerate(zip(rows, values, strict=True)):
        for cell, coefficient in row.items():
            columns[2 * index[cell]].append((2 * r, coefficient))
            columns[2 * index[cell] + 1].append((2 * r + 1, coefficient))
        lower += [count_value, sum_value]
        upper += [count_value, sum_value]
    first = 2 * len(rows)
    for i in range(len(cells)):  # count - sum <= 0 and sum - 5 count <= 0
        columns[2 * i] += [(first + 2 * i, 1.0), (first + 2 * i + 1, -5.0)]
        columns[2 * i + 1] += [(first + 2 * i, -1.0), (first + 2 * i + 1, 1.0)]
        lower += [-highspy.kHighsInf, -highspy.kHighsInf]
        upper += [0.0, 0.0]
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = len(columns), len(lower)
    model.col_cost_ = [0.0] * len(columns)
    model.col_lower_ = [float(1 if published(cell) and part == 0 else 0)
                        for cell in cells for part in (0, 1)]
    model.col_upper_ = [highspy.kHighsInf] * len(columns)
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
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    # Only the objective changes between solves, so the last basis stays feasible: primal
    # simplex from it, no presolve (about 1 ms a solve instead of 4).
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("simplex_strategy", 4)
    solver.passModel(model)
    found = {}
    for cell in targets:
        ends = []
        for column in (2 * index[cell], 2 * index[cell] + 1):
            solver.changeColCost(column, 1.0)
            ends.append((_solve(solver, highspy.ObjSense.kMinimize, 0.0),
                         _solve(solver, highspy.ObjSense.kMaximize, math.inf)))
            solver.changeColCost(column, 0.0)
        found[cell] = (ends[0], ends[1])
    return found


def _solve(solver, sense, unbounded: float) -> float:
    import highspy

    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return solver.getInfo().objective_function_value
    if status in (highspy.HighsModelStatus.kUnbounded,
                  highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return unbounded
    raise RuntimeError(f"disclosure audit: the linear program ended {status}")


def _solved(equations: list[Equation], hidden: set[CellKey]
            ) -> tuple[list[set[CellKey]], set[CellKey]]:
    """The hidden cells whose count follows from the published figures by linear algebra
    (rule 3), by connected block, and all of them."""
    rows = []
    for total, children in equations:
        row = {cell: -1 for cell in children if cell in hidden}
        if total in hidden:
            row[total] = 1
        if row:
            rows.append(row)
    blocks, known = [], set()
    for component in _components(rows):
        determined = _determined(component)
        if determined:
            known |= determined
            blocks.append(determined)
    return blocks, known


def _components(rows: list[dict[CellKey, int]]) -> list[list[dict[CellKey, int]]]:
    return [[rows[i] for i in indices] for indices in _component_indices(rows)]


def _component_indices(rows: list[dict[CellKey, int]]) -> list[list[int]]:
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
    return [grouped[key] for key in sorted(grouped)]


def _determined(rows: list[dict[CellKey, int]]) -> set[CellKey]:
    """Variables fixed by the equations (each row sums to a known value): those whose row of
    the reduced row echelon form has no other variable. Integer rows, kept small by their
    gcd."""
    pivots: dict[CellKey, dict[CellKey, int]] = {}
    for original in rows:
        row = dict(original)
        for var, pivot_row in pivots.items():
            if var in row:
                _eliminate(row, pivot_row, var)
        if not row:
            continue
        var = min(row)
        for other in pivots.values():
            if var in other:
                _eliminate(other, row, var)
        pivots[var] = row
    return {var for var, row in pivots.items() if len(row) == 1}


def _eliminate(target: dict[CellKey, int], source: dict[CellKey, int], var: CellKey) -> None:
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
