"""Which visible cells withhold a question's figure: the drivers and the effort, which only
some respondents answer ("Bilmiyorum" is no answer).

A cell shows a question's mean when at least ``min_cell`` answered it. But the question adds
up along the cube like everything else: a province's answers minus those its districts show
are the answers of the district that shows none, or of a hidden cell. Counts of answers are
not published, yet a mean printed in full is a fraction whose denominator gives them away,
so the audit assumes they are known. Each question is audited as the respondents are
(admin.disclosure, rule 5), by a linear program over every published figure: each cell
whose few answers are withheld may hold an answer above the scale's lowest and one below
its highest. Where not, the question is withheld in one more visible cell nearby (the one
with the fewest answers), until none is narrow. Hiding the whole cell is never needed: the
cells' counts are protected already.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping

from admin.disclosure import SLACK, CellKey, Equation, cheapest, inherited, published
from admin.ranges import programs_of_blocks

log = logging.getLogger(__name__)

Answers = tuple[int, float]  # how many answered a question in a cell, and the sum of answers
PARTS = ("count", "answers", "sum")


def withheld(counts: Mapping[CellKey, int], answers: Mapping[CellKey, Answers],
             hidden: set[CellKey], equations: list[Equation], min_cell: int,
             scale: tuple[float, float]) -> set[CellKey]:
    """The cells whose figure for this question is not shown: the hidden ones, those with
    fewer than ``min_cell`` answers, and as many more as protecting those takes."""
    def answered(cell: CellKey) -> int:
        return answers.get(cell, (0, 0.0))[0]

    concealed = set(hidden) | {cell for cell in counts if answered(cell) < min_cell}
    few = {cell for cell in counts if 0 < answered(cell) < min_cell}
    of_cell: dict[CellKey, list[Equation]] = {}
    for equation in equations:
        for cell in (equation[0], *equation[1]):
            of_cell.setdefault(cell, []).append(equation)
    by_answers = {cell: answered(cell) for cell in counts}
    open_cells = {cell for cell in counts if published(cell)}
    while True:
        narrow = _narrow(counts, answers, hidden, concealed, few, equations, scale)
        added = False
        for cell, block in narrow:
            for near in ([cell], block):
                around = [c for near_cell in near for total, children in of_cell.get(
                    near_cell, []) for c in (*children, total)]
                choice = cheapest(by_answers, around, concealed, open_cells)
                if choice is not None:
                    concealed.add(choice)
                    added = True
                    break
        if not added:
            if narrow:
                log.warning("disclosure: %d cells keep a question's answers narrow with "
                            "nothing left to withhold", len(narrow))
            return concealed


def _narrow(counts: Mapping[CellKey, int], answers: Mapping[CellKey, Answers],
            hidden: set[CellKey], concealed: set[CellKey], few: set[CellKey],
            equations: list[Equation], scale: tuple[float, float]
            ) -> list[tuple[CellKey, list[CellKey]]]:
    low, high = scale
    links = ({"answers": 1.0, "count": -1.0}, {"answers": low, "sum": -1.0},
             {"sum": 1.0, "answers": -high})
    either_way = ({"sum": 1.0, "answers": -low}, {"answers": high, "sum": -1.0})

    def value(cell: CellKey, part: str) -> float:
        if part == "count":
            return float(counts[cell])
        return float(answers.get(cell, (0, 0.0))[0 if part == "answers" else 1])

    def bounds(cell: CellKey) -> dict[str, tuple[float, float]]:
        # A visible cell's respondents are published: only its answers are unknown.
        count = ((1.0 if published(cell) else 0.0, math.inf) if cell in hidden
                 else (float(counts[cell]),) * 2)
        return {"count": count, "answers": (0.0, math.inf), "sum": (0.0, math.inf)}

    def shown_value(form: dict[str, float]) -> Callable[[CellKey], bool]:
        return lambda shown: sum(c * value(shown, part) for part, c in form.items()) < 1

    narrow = []
    for cells, program in programs_of_blocks(equations, concealed, few, PARTS, links, value,
                                             bounds):
        for cell in cells:
            # The true answers are one solution: only where they all lie at one end can
            # the largest be below 1.
            if cell in few and any(
                    shown_value(form)(cell) and program.maximum(cell, form) < 1 - SLACK
                    and not inherited(cell, shown_value(form), counts, concealed)
                    for form in either_way):
                narrow.append((cell, cells))
    return narrow
