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

1. every such equation has no hidden member or at least two (a lone hidden member would be the
   difference of the others);
2. in every equation, the other hidden members of a small hidden cell can give up at least
   ``min_cell - 2`` respondents (or include its parent), so the cell may hold anything from
   one to ``min_cell - 1`` respondents as far as that equation tells;
3. no small cell's count is a linear combination of published figures, across all equations
   together (exact integer elimination over each connected block of hidden cells).

What a caller cannot see is not published at all: the part of a district reached by no muhtar
link, and responses without a district or a service, are cells with a "?" in their key; they
take part in the equations (their totals are what the published cells add up to) but are
never listed, so they count as hidden from the start. Periods do not overlap (one kind of
period is published), so each period's cube is protected on its own.

tests/test_disclosure_attack.py checks the outcome against an attacker who solves for every
hidden cell by linear programming over everything a token can read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

Path = tuple[str, ...]
CellKey = tuple[str, Path, str]  # (period, place, service)
Equation = tuple[CellKey, list[CellKey]]  # a total and the cells that add up to it

UNSTATED = "?"  # a place or service not stated: part of the sums, never published
ALL_SERVICES = ""
PLACE_LEVELS = ("national", "region", "province", "district", "link")


def published(cell: CellKey) -> bool:
    """Whether a cell may be listed at all (its place and service are stated)."""
    _, place, service = cell
    return UNSTATED not in place and service != UNSTATED


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


def protect(counts: Mapping[CellKey, int], min_cell: int, equations: list[Equation]
            ) -> set[CellKey]:
    """The hidden cells among ``counts`` (respondents per cell, zero-count cells left out).
    Deterministic: the same counts give the same hidden cells."""
    small = {cell for cell, n in counts.items() if 0 < n < min_cell}
    hidden = {cell for cell in counts if cell in small or not published(cell)}
    open_cells = set(counts)
    of_cell: dict[CellKey, list[int]] = defaultdict(list)
    for index, (total, children) in enumerate(equations):
        for cell in (total, *children):
            of_cell[cell].append(index)
    while True:
        _close_equations(counts, min_cell, equations, small, hidden, open_cells)
        added = False
        for block in _leaking_blocks(equations, hidden, small, of_cell):
            choice = _cheapest(counts, {cell for index in {i for c in block for i in of_cell[c]}
                                        for cell in (equations[index][0], *equations[index][1])},
                               hidden, open_cells)
            if choice is not None:
                hidden.add(choice)
                added = True
        if not added:
            return hidden


def _close_equations(counts: Mapping[CellKey, int], min_cell: int, equations: list[Equation],
                     small: set[CellKey], hidden: set[CellKey], open_cells: set[CellKey]
                     ) -> None:
    """Rules 1 and 2 of the module docstring, until no equation needs another hidden cell."""
    changed = True
    while changed:
        changed = False
        for total, children in equations:
            if not _needs_more(counts, min_cell, total, children, small, hidden):
                continue
            choice = _cheapest(counts, children, hidden, open_cells)
            if choice is None:
                choice = _cheapest(counts, [total], hidden, open_cells)
            if choice is not None:
                hidden.add(choice)
                changed = True


def _needs_more(counts: Mapping[CellKey, int], min_cell: int, total: CellKey,
                children: list[CellKey], small: set[CellKey], hidden: set[CellKey]) -> bool:
    members = [total, *children]
    concealed = [cell for cell in members if cell in hidden]
    if not concealed:
        return False
    if len(concealed) == 1:
        return True
    if total in hidden:
        return False  # a hidden child can grow with its hidden total
    room = sum(counts.get(cell, 0) - 1 for cell in concealed)
    return any(room - (counts[cell] - 1) < min_cell - 2 for cell in concealed if cell in small)


def _cheapest(counts: Mapping[CellKey, int], candidates: Iterable[CellKey],
              hidden: set[CellKey], open_cells: set[CellKey]) -> CellKey | None:
    """The cell to hide next: one of this release, visible, the smallest (then by key)."""
    choices = [cell for cell in candidates if cell in open_cells and cell not in hidden]
    return min(choices, key=lambda cell: (counts[cell], cell)) if choices else None


def _leaking_blocks(equations: list[Equation], hidden: set[CellKey], small: set[CellKey],
                    of_cell: Mapping[CellKey, list[int]]) -> list[set[CellKey]]:
    """The connected blocks of hidden cells in which a small cell's count follows from the
    published figures by linear algebra (rule 3)."""
    rows = []
    for total, children in equations:
        row = {cell: -1 for cell in children if cell in hidden}
        if total in hidden:
            row[total] = 1
        if row:
            rows.append(row)
    leaking = []
    for component in _components(rows):
        determined = _determined(component)
        if determined & small:
            leaking.append({cell for row in component for cell in row})
    return leaking


def _components(rows: list[dict[CellKey, int]]) -> list[list[dict[CellKey, int]]]:
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
    grouped: dict[CellKey, list[dict[CellKey, int]]] = defaultdict(list)
    for row in rows:
        grouped[root(next(iter(row)))].append(row)
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
