"""Which visible cells withhold a question's figure: the drivers and the effort, which only
some respondents answer ("Bilmiyorum" is no answer).

A cell shows a question's mean when at least ``min_cell`` answered it. But the question adds
up along the cube like everything else: a province's answers minus those its districts show
are the answers of the district that shows none, or of a hidden cell. Counts of answers are
not published, yet a mean printed in full is a fraction whose denominator gives them away,
so the audit assumes they are known. Each question is audited as the respondents are
(stats.disclosure, rules 4 and 5), by a linear program over every published figure: each cell
with few answers keeps a wide range of answers and sums, and room for an answer above the
scale's lowest and one below its highest. Where not, the question is also withheld in the
visible cells that the cheapest way of moving the cell that far goes through
(stats.secondary), until none is narrow. Hiding the whole cell is never needed: the cells'
counts are protected already.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Iterable, Mapping

from stats.cube import CellKey, Equation
from stats.disclosure import (
    HISTOGRAM,
    PARTS,
    Neighbours,
    Tally,
    published,
    respondent_model,
    way_checks,
)
from stats.ranges import SLACK, Audit, CellRow, Check, Failure, Model
from stats.secondary import Movements, room_of

log = logging.getLogger(__name__)

Answers = tuple[int, float]  # how many answered a question in a cell, and the sum of answers


def withheld(tallies: Mapping[CellKey, Tally], answers: Mapping[CellKey, Answers],
             hidden: set[CellKey], equations: list[Equation], min_cell: int,
             scale: tuple[float, float], sensitive: Collection[CellKey] = frozenset()
             ) -> set[CellKey]:
    """The cells whose figure for this question is not shown: the hidden ones, those with
    fewer than ``min_cell`` answers, and as many more as protecting those and the
    ``sensitive`` cells' answers (stats.disclosure.protect) takes."""
    def answered(cell: CellKey) -> int:
        return answers.get(cell, (0, 0.0))[0]

    few = {cell for cell in tallies
           if 0 < answered(cell) < min_cell or (answered(cell) > 0 and cell in sensitive)}
    concealed = set(hidden) | few | {cell for cell in tallies if answered(cell) < min_cell}
    open_cells = {cell for cell in tallies if published(cell)}
    partners = _Partners(tallies, answers, equations, scale, concealed, open_cells)
    near = Neighbours(equations, {cell: answered(cell) for cell in tallies}, open_cells)
    audit = Audit()
    while True:
        failures = audit.failures(
            question_model(tallies, answers, hidden, concealed, scale), equations, few,
            lambda cell: _checks(cell, tallies, answers, concealed, min_cell, scale))
        added = set()
        for failure, block in failures:
            more = partners.of(failure, concealed)
            if not more:
                # The one-part programs see no move: one neighbour more, of the cell or else
                # of its block (its own equations may all be withheld already).
                choice = (near.cheapest([failure.check.cell], concealed)
                          or near.cheapest(block, concealed))
                more = [choice] if choice is not None else []
            concealed.update(more)
            partners.conceal(more)
            added.update(more)
        if not added:
            if failures:
                log.warning("disclosure: %d cells keep a question's answers narrow with "
                            "nothing left to withhold", len(failures))
            return concealed


class _Partners:
    """The cheapest cells to withhold together for a failing check (stats.secondary): one
    program for the number of answers, one for their sum."""

    def __init__(self, tallies: Mapping[CellKey, Tally], answers: Mapping[CellKey, Answers],
                 equations: list[Equation], scale: tuple[float, float],
                 concealed: set[CellKey], open_cells: set[CellKey]) -> None:
        cells = sorted(tallies)
        shown = {cell: answers.get(cell, (0, 0.0)) for cell in cells}
        # By part: each cell's true value, and the most it could hold (all its respondents
        # answering, at the top of the scale).
        self._true = {"answers": {cell: float(shown[cell][0]) for cell in cells},
                      "answer_sum": {cell: float(shown[cell][1]) for cell in cells}}
        self._most = {"answers": {cell: float(tallies[cell].count) for cell in cells},
                      "answer_sum": {cell: scale[1] * tallies[cell].count for cell in cells}}
        self._open = open_cells

        def cost(cell: CellKey) -> float:
            return 1.0 + self._true["answers"][cell]

        self._movements = {
            part: Movements(cells, equations, room_of(self._true[part], self._most[part]), cost)
            for part in self._true}
        self.conceal(concealed)

    def conceal(self, cells: Iterable[CellKey]) -> None:
        cells = list(cells)
        for movements in self._movements.values():
            movements.conceal(cells)

    def of(self, failure: Failure, concealed: set[CellKey]) -> list[CellKey]:
        """The visible cells to withhold so that the check's cell may move as far as it
        must; none where the program finds no move (the caller then looks nearby)."""
        found: list[CellKey] = []
        for part, by in self._moves(failure):
            more = self._movements[part].partners(failure.check.cell, by) or []
            found.extend(cell for cell in more if cell in self._open
                         and cell not in concealed and cell not in found)
        return found

    def _moves(self, failure: Failure) -> list[tuple[str, float]]:
        """How far the cell must move, and in which part, for the check to hold: a way no
        one answered is one answer away (the sum up by one above the lowest, down by one below
        the highest); a width is shared between up and down as the cell's own room allows."""
        check, cell = failure.check, failure.check.cell
        if check.width is None:
            return [("answer_sum", 1.0 if check.name == "above lowest" else -1.0)]
        low = math.ceil(failure.low - SLACK)
        high = math.floor(failure.high + SLACK)
        need = check.width - (high - low)
        room_up = max(self._most[check.name][cell] - high, 0.0)
        up = min(room_up, math.ceil(need / 2))
        down = min(max(low, 0.0), need - up)
        up = min(room_up, need - down)
        true = self._true[check.name][cell]
        return [(check.name, move) for move in (high + up - true, low - down - true)
                if (move > 0 and up > 0) or (move < 0 and down > 0)]


def question_model(tallies: Mapping[CellKey, Tally], answers: Mapping[CellKey, Answers],
                   hidden: set[CellKey], concealed: set[CellKey], scale: tuple[float, float]
                   ) -> Model:
    """The respondents' model (stats.disclosure) with how many gave each answer to the
    question: unknowns of a hidden cell beside its scores, no more than its respondents,
    and the only unknowns of a visible cell that withholds the question, no more than its
    published n."""
    respondents = respondent_model(tallies, hidden)
    forms = _answer_forms(scale)
    answer_parts = {part: forms[part] for part in ("answers", "answer_sum")}
    answered_only = tuple(answer_parts["answers"])
    both = (*HISTOGRAM, *answered_only)
    no_more_than_count = {**answer_parts["answers"],
                          **{name: -c for name, c in PARTS["count"].items()}}

    def unknowns(cell: CellKey) -> tuple[str, ...]:
        return both if cell in hidden else answered_only if cell in concealed else ()

    def value(cell: CellKey, part: str) -> float:
        if part in answer_parts:
            return float(answers.get(cell, (0, 0.0))[0 if part == "answers" else 1])
        return respondents.value(cell, part)

    def cell_rows(cell: CellKey) -> list[CellRow]:
        if cell in hidden:
            return [CellRow(no_more_than_count, -math.inf, 0.0), *respondents.cell_rows(cell)]
        return [CellRow(answer_parts["answers"], 0.0, float(tallies[cell].count))]

    return Model(parts={**respondents.parts, **answer_parts}, unknowns=unknowns, value=value,
                 cell_rows=cell_rows, largest=respondents.largest)


def _checks(cell: CellKey, tallies: Mapping[CellKey, Tally],
            answers: Mapping[CellKey, Answers], concealed: set[CellKey], min_cell: int,
            scale: tuple[float, float]) -> list[Check]:
    """As a hidden cell's respondents: at least ``min_cell - 1`` possible numbers of answers,
    sums of answers as far apart as ``min_cell - 2`` answers at either end of the scale, and
    room for an answer above the lowest and one below the highest."""
    low, high = scale
    forms = _answer_forms(scale)
    answered, total = answers[cell]

    def shown(cell: CellKey) -> Answers:
        return answers.get(cell, (0, 0.0))

    ways = {"above lowest": (forms["above lowest"],
                             lambda c: shown(c)[1] > low * shown(c)[0]),
            "below highest": (forms["below highest"],
                              lambda c: shown(c)[1] < high * shown(c)[0])}
    return [Check(cell, "answers", forms["answers"], answered, min_cell - 2),
            Check(cell, "answer_sum", forms["answer_sum"], total, (high - low) * (min_cell - 2)),
            *way_checks(cell, ways, tallies, concealed)]


def _answer_forms(scale: tuple[float, float]) -> dict[str, dict[str, float]]:
    """A question's parts, and its ways of answering, as forms over how many gave each
    answer."""
    low, high = scale
    values = range(int(low), int(high) + 1)
    return {"answers": {f"a{v}": 1.0 for v in values},
            "answer_sum": {f"a{v}": float(v) for v in values},
            "above lowest": {f"a{v}": 1.0 for v in values if v > low},
            "below highest": {f"a{v}": 1.0 for v in values if v < high}}
