"""Which more cells to conceal so that a narrow cell gains room: the cheapest way, by a linear
program over one part of every cell of the cube.

A concealed cell is narrow when published cells around it pin it. For it to move by ``d``,
cells around it must move too, so that every equation still adds up: a sibling by ``-d``,
that sibling's other total or a sibling of its own by ``+d``, and so on, until the moves
close on concealed cells. Fischetti and Salazar's model of secondary suppression (the one
behind tau-ARGUS's optimal method) asks for the cheapest set of cells to conceal such that
such a move exists; its linear relaxation lets each cell move within what it can hold, a
visible cell at a cost per unit of what concealing it loses, a concealed cell for free. One
solve gives a whole cycle of partners at once, where concealing the cheapest neighbour, one
per round, needed dozens of rounds to close the same cycle (docs/statistics.md).

Only the cheapest partners are chosen here; whether they suffice is what the audit
(stats.ranges) then checks over every part together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy

from stats.cube import CellKey, Equation
from stats.ranges import linear_program, quiet_solver

SLACK = 1e-7
CONCEALED_COST = 1e-3  # moving a concealed cell costs next to nothing: short cycles first


class Movements:
    """How far each cell's value of one part may move from the true one, tied by the cube's
    equations. Each cell has two columns, its move up and its move down."""

    def __init__(self, cells: Sequence[CellKey], equations: Iterable[Equation],
                 room: Callable[[CellKey], tuple[float, float]],
                 cost: Callable[[CellKey], float]) -> None:
        import highspy

        self._highspy = highspy
        self.cells = list(cells)
        self._index = {cell: i for i, cell in enumerate(self.cells)}
        self._room = [room(cell) for cell in self.cells]  # (down, up)
        entries: list[list[tuple[int, float]]] = [[] for _ in range(2 * len(self.cells))]
        rows = 0
        for total, children in equations:
            for cell, sign in ((total, 1.0), *((child, -1.0) for child in children)):
                up = 2 * self._index[cell]
                entries[up].append((rows, sign))
                entries[up + 1].append((rows, -sign))
            rows += 1
        costs = [float(cost(cell)) for cell in self.cells]
        lp = linear_program(entries, [each for each in costs for _ in (0, 1)],
                            [bound for down, up in self._room for bound in (up, down)],
                            [0.0] * rows, [0.0] * rows)
        self._solver = quiet_solver()
        self._solver.passModel(lp)
        self._concealed: set[CellKey] = set()

    def conceal(self, cells: Iterable[CellKey]) -> None:
        """These cells move for free from now on."""
        new = [self._index[cell] for cell in cells
               if cell in self._index and cell not in self._concealed]
        self._concealed.update(self.cells[i] for i in new)
        columns = numpy.array([2 * i + side for i in new for side in (0, 1)], dtype=numpy.int32)
        if len(columns):
            self._solver.changeColsCost(len(columns), columns,
                                        numpy.full(len(columns), CONCEALED_COST))

    def partners(self, cell: CellKey, by: float) -> list[CellKey] | None:
        """The visible cells that must move for ``cell`` to move by ``by`` at the least cost,
        or None where no move that far exists even with every cell concealed."""
        highspy = self._highspy
        i = self._index[cell]
        moving, still = (2 * i, 2 * i + 1) if by > 0 else (2 * i + 1, 2 * i)
        down, up = self._room[i]
        self._solver.changeColBounds(moving, abs(by), abs(by))
        self._solver.changeColBounds(still, 0.0, 0.0)
        self._solver.run()
        feasible = self._solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
        point = numpy.array(self._solver.getSolution().col_value) if feasible else None
        self._solver.changeColBounds(2 * i, 0.0, up)
        self._solver.changeColBounds(2 * i + 1, 0.0, down)
        if point is None:
            return None
        moved = point[0::2] + point[1::2] > SLACK
        return [self.cells[j] for j in numpy.flatnonzero(moved)
                if j != i and self.cells[j] not in self._concealed]


def room_of(true: Mapping[CellKey, float], most: Mapping[CellKey, float]
            ) -> Callable[[CellKey], tuple[float, float]]:
    """How far each cell of a part that counts or sums answers may move down and up: from
    its true value down to none, and up to the most it can hold."""
    return lambda cell: (max(true[cell], 0.0), max(most[cell] - true[cell], 0.0))
