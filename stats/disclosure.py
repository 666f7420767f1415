"""Which published cells are hidden: small-cell suppression over every table at once.

Everything the project publishes about answers is a cell of one cube per survey and period
(stats.periods): a place and a service. A place is a path down the country's hierarchy,
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
   ``min_cell - 1`` possible counts, and sums of scores at least ``4 x (min_cell - 2)`` apart;
   the program knows what the mean's interval and the share give away too (the sum of
   squares and the number satisfied, tied to the scores as 1-5 scores allow);
5. in that program, each small cell may hold someone who scored above 1 and someone below
   5, someone satisfied and someone not: no one's answer follows from what is published.

The driver and effort questions are answered by some respondents only; their figures are
withheld cell by cell as stats.withholding decides.

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
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from typing import NamedTuple

from stats.cube import CellKey, Equation, Path
from stats.ranges import Audit, CellRow, Check, Form, Model, component_indices

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


class Tally(NamedTuple):
    """What a cell's published figures give away by adding up: its respondents, the sum and
    the sum of squares of their overall scores (n, the mean and its interval) and how many
    were satisfied (the share)."""

    count: int  # type: ignore[assignment]  # tuple.count, never called on a Tally
    sum: float
    squares: float
    satisfied: int


def protect(tallies: Mapping[CellKey, Tally], min_cell: int, equations: list[Equation],
            sensitive: Collection[CellKey] = frozenset()) -> set[CellKey]:
    """The hidden cells among ``tallies`` (zero-count cells left out). ``sensitive`` cells
    are hidden and protected as small ones whatever their count (a single unit's staff).
    Deterministic: the same cells give the same hidden cells."""
    counts = {cell: tally.count for cell, tally in tallies.items()}
    small = {cell for cell, n in counts.items() if 0 < n < min_cell or (
        n > 0 and cell in sensitive)}
    hidden = {cell for cell in counts if cell in small or not published(cell)}
    open_cells = set(counts)
    neighbours = Neighbours(equations, counts, open_cells)

    def hide_near(cells: Iterable[CellKey]) -> bool:
        choice = neighbours.cheapest(cells, hidden)
        if choice is not None:
            hidden.add(choice)
        return choice is not None

    known: set[CellKey] = set()  # hidden cells that the published figures determine
    audit = Audit()  # rules 4 and 5
    while True:
        _close_equations(counts, min_cell, equations, small, hidden, open_cells, known)
        blocks, known = _solved(equations, hidden)
        added = False
        for block in blocks:
            if block & small:
                added |= hide_near(block)
        if added:
            continue
        narrow = audit.narrow(respondent_model(tallies, hidden), equations, small,
                              lambda cell: _checks(cell, tallies, min_cell, hidden))
        for cell, its_block in narrow:
            # Its own equations may be all hidden already: then the bound comes from further
            # away in its block.
            added |= hide_near([cell]) or hide_near(its_block)
        if not added:
            # Nothing was left to hide (every cell near it is hidden already): say so.
            exposed = {cell for cell, _ in narrow} | (known & small)
            if exposed:
                log.warning("disclosure: %d small cells keep a narrow range with nothing "
                            "left to hide", len(exposed))
            return hidden


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
            choice = cheapest(counts, children, hidden, open_cells)
            if choice is None:
                choice = cheapest(counts, [total], hidden, open_cells)
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


class Neighbours:
    """The cells sharing an equation with some cells, to hide (or withhold a question in)
    next: the cheapest visible sibling, else the cheapest visible total."""

    def __init__(self, equations: list[Equation], costs: Mapping[CellKey, int],
                 open_cells: set[CellKey]) -> None:
        self._equations = equations
        self._costs = costs
        self._open = open_cells
        self._of_cell: dict[CellKey, list[int]] = defaultdict(list)
        for index, (total, children) in enumerate(equations):
            for cell in (total, *children):
                self._of_cell[cell].append(index)

    def cheapest(self, cells: Iterable[CellKey], concealed: set[CellKey]) -> CellKey | None:
        equations_of = sorted({i for cell in cells for i in self._of_cell.get(cell, ())})
        siblings = {c for i in equations_of for c in self._equations[i][1]}
        totals = {self._equations[i][0] for i in equations_of}
        return (cheapest(self._costs, siblings, concealed, self._open)
                or cheapest(self._costs, totals, concealed, self._open))


def cheapest(counts: Mapping[CellKey, int], candidates: Iterable[CellKey],
              hidden: set[CellKey], open_cells: set[CellKey]) -> CellKey | None:
    """The cell to hide next: one of this release, visible, the smallest (then by key)."""
    choices = [cell for cell in candidates if cell in open_cells and cell not in hidden]
    return min(choices, key=lambda cell: (counts[cell], cell)) if choices else None


# Each hidden cell's unknowns: how many of its respondents gave each overall score. The parts
# the published figures add up are forms over them: respondents, the sum of their scores (n
# and the mean), its sum of squares (the mean's interval) and the satisfied (the share).
SCORES = (1, 2, 3, 4, 5)
HISTOGRAM = tuple(f"s{k}" for k in SCORES)
PARTS = {"count": {f"s{k}": 1.0 for k in SCORES},
         "sum": {f"s{k}": float(k) for k in SCORES},
         "squares": {f"s{k}": float(k * k) for k in SCORES},
         "satisfied": {"s4": 1.0, "s5": 1.0}}
# Rule 5: whatever is published, each small cell may hold someone who scored above 1 and
# someone below 5, someone satisfied and someone not: no one's answer follows. Each way as a
# form over the unknowns, and whether the real cell holds someone that way.
EITHER_WAY: dict[str, tuple[dict[str, float], Callable[[Tally], bool]]] = {
    "above 1": ({"s2": 1.0, "s3": 1.0, "s4": 1.0, "s5": 1.0}, lambda t: t.sum > t.count),
    "below 5": ({"s1": 1.0, "s2": 1.0, "s3": 1.0, "s4": 1.0}, lambda t: t.sum < 5 * t.count),
    "satisfied": ({"s4": 1.0, "s5": 1.0}, lambda t: t.satisfied > 0),
    "not satisfied": ({"s1": 1.0, "s2": 1.0, "s3": 1.0}, lambda t: t.satisfied < t.count),
}


def respondent_model(tallies: Mapping[CellKey, Tally], hidden: Container[CellKey]) -> Model:
    """The hidden cells' scores as unknowns, the rest as published; a listed cell holds at
    least one respondent."""
    at_least_one = (CellRow(PARTS["count"], 1.0, math.inf),)
    return Model(parts=PARTS,
                 unknowns=lambda cell: HISTOGRAM if cell in hidden else (),
                 value=lambda cell, part: getattr(tallies[cell], part),
                 cell_rows=lambda cell: at_least_one if published(cell) else (),
                 largest=max((tally.count for tally in tallies.values()), default=0))


def _checks(cell: CellKey, tallies: Mapping[CellKey, Tally], min_cell: int,
            hidden: set[CellKey]) -> list[Check]:
    tally = tallies[cell]
    checks = [Check(cell, "count", PARTS["count"], tally.count, min_cell - 2),
              Check(cell, "sum", PARTS["sum"], tally.sum, 4 * (min_cell - 2))]
    ways = {way: (form, lambda shown, holds=holds: holds(tallies[shown]))
            for way, (form, holds) in EITHER_WAY.items()}
    return checks + way_checks(cell, ways, tallies, hidden)


def way_checks(cell: CellKey, ways: Mapping[str, tuple[Form, Callable[[CellKey], bool]]],
               present: Container[CellKey], concealed: Container[CellKey]) -> list[Check]:
    """Rule 5's checks for one cell: ``ways`` gives each way's form and whether a cell holds
    someone that way. The true figures are one solution of the program: only a way no one
    in the cell answered needs solving, unless a larger visible cell shows it of everyone."""
    return [Check(cell, way, form, 0.0) for way, (form, holds) in ways.items()
            if not holds(cell) and not inherited(cell, _negated(holds), present, concealed)]


def _negated(holds: Callable[[CellKey], bool]) -> Callable[[CellKey], bool]:
    return lambda cell: not holds(cell)


def ancestors(cell: CellKey) -> Iterator[CellKey]:
    """The cells holding all of this one's respondents, itself left out."""
    period, place, service = cell
    for depth in range(len(place) + 1):
        for outer in {service, ALL_SERVICES}:
            if (place[:depth], outer) != (place, service):
                yield period, place[:depth], outer


def inherited(cell: CellKey, shows_it: Callable[[CellKey], bool], present: Container[CellKey],
              concealed: Container[CellKey]) -> bool:
    """Whether a visible cell holding this one's respondents already shows what would pin
    them (all scored 1, say): then it is published knowledge about everyone there, which no
    hiding around this cell can take back."""
    return any(outer in present and outer not in concealed and shows_it(outer)
               for outer in ancestors(cell))


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
    return [[rows[i] for i in indices] for indices in component_indices(rows)]


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
