"""A period's release: the cells of the cube with their totals, which of them are hidden, and
the figures of the rest, decided once when the period has ended (admin.publish stores them),
so that a response erased later changes no published figure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from conversations.places import province_by_plate
from stats.cube import CellKey, Equation, Path
from stats.disclosure import ALL_SERVICES, UNSTATED, Tally, equations, protect
from stats.survey_statistics import (
    DRIVER_SCALE,
    EFFORT_SCALE,
    CellTotals,
    cell_stats,
    key_drivers_of,
    merge_totals,
)
from stats.withholding import withheld

KEY_DRIVER_DEPTH = 2  # the key-driver view: Türkiye, a region or a province
# Figures by service go down to the province; districts and links are published for all
# services only. Below the province nearly every service cell is small: publishing them
# hid most of the cube and multiplied the work of hiding it (docs/statistics.md).
SERVICE_DEPTH = 2
# How deep a place goes (conversations.survey.ReportSpec.finest_place): Türkiye 0, a region 1.
PLACE_DEPTHS = {"province": 2, "district": 3, "link": 4}


@dataclass(frozen=True)
class Atom:
    """The totals of the responses of one period sharing province, district, link and
    service (any of them None where not stated)."""

    province: str | None
    district: str | None
    link: int | None
    service: str | None
    totals: CellTotals


@dataclass(frozen=True)
class ReleasedCell:
    key: CellKey
    totals: CellTotals
    hidden: bool
    figures: dict[str, Any] | None  # None when hidden


def place_of(province: str | None, district: str | None, link: int | None) -> Path:
    found = province_by_plate(province) if province else None
    if found is None:
        return (UNSTATED, UNSTATED, UNSTATED, UNSTATED)
    return (found.nuts1, found.plate, district or UNSTATED, str(link) if link else UNSTATED)


def cells_of_atoms(period: str, atoms: Iterable[Atom],
                   deepest: int = PLACE_DEPTHS["link"]) -> dict[CellKey, CellTotals]:
    """Every cell of one period that some response falls in, with its totals, down to the
    ``deepest`` place (a survey of a unit's staff stops at the province)."""
    parts: dict[CellKey, list[CellTotals]] = defaultdict(list)
    for atom in atoms:
        for key in _cells_of(period, atom, deepest):
            parts[key].append(atom.totals)
    return {key: merge_totals(totals) for key, totals in parts.items()}


@dataclass(frozen=True)
class OneUnitCells:
    """The cells one unit dominates (dominated_cells): by their respondents, and by who
    answered each question ("driver", name) or EFFORT, which some leave unanswered."""

    respondents: frozenset[CellKey] = frozenset()
    questions: Mapping[tuple[str, str], frozenset[CellKey]] = field(default_factory=dict)


def dominated_cells(period: str, atoms: Iterable[Atom], deepest: int, largest_share: float,
                    unit_of: Callable[[int | None], Hashable] = lambda link: link
                    ) -> OneUnitCells:
    """The cells in which one unit gives more than ``largest_share`` of the respondents, or
    of the answers to a question: their figures would be that unit's, however many answered
    (a dominance rule, with units as the contributors). ``unit_of`` names a link's unit (the
    links of one unit count as one; the responses through no link as one more)."""
    atoms = list(atoms)

    def dominated(count: Callable[[CellTotals], int]) -> frozenset[CellKey]:
        units: dict[CellKey, Counter[Hashable]] = defaultdict(Counter)
        for atom in atoms:
            for key in _cells_of(period, atom, deepest):
                units[key][unit_of(atom.link)] += count(atom.totals)
        return frozenset(key for key, by_unit in units.items() if sum(by_unit.values()) > 0
                         and max(by_unit.values()) > largest_share * sum(by_unit.values()))

    by_question = {question: dominated(_answered(answers_of))
                   for question, answers_of in _questions(a.totals for a in atoms).items()}
    return OneUnitCells(dominated(lambda totals: totals.n),
                        {question: cells for question, cells in by_question.items() if cells})


def _cells_of(period: str, atom: Atom, deepest: int) -> Iterator[CellKey]:
    place = place_of(atom.province, atom.district, atom.link)[:deepest]
    for depth in range(len(place) + 1):
        services = (ALL_SERVICES, atom.service or UNSTATED) if depth <= SERVICE_DEPTH else (
            ALL_SERVICES,)
        for service in services:
            yield period, place[:depth], service


def release(totals: Mapping[CellKey, CellTotals], min_cell: int,
            one_unit: OneUnitCells = OneUnitCells()) -> list[ReleasedCell]:
    """A period's cells, hidden together (stats.disclosure), with the figures of the rest;
    a driver or the effort is left out of a visible cell where stats.withholding says.
    Cells ``one_unit`` names are hidden (or their question withheld) and protected as small
    ones are."""
    counts = {key: t.n for key, t in totals.items() if t.n > 0}
    tallies = {key: Tally(totals[key].n, totals[key].overall_sum, totals[key].overall_sumsq,
                          totals[key].satisfied) for key in counts}
    cube = equations(counts)
    hidden = protect(tallies, min_cell, cube, one_unit.respondents)
    blank = _withheld_questions(totals, tallies, hidden, cube, min_cell, one_unit)
    released = []
    for key in sorted(counts):
        concealed = key in hidden
        figures = None if concealed else _figures(key, totals[key], min_cell, blank[key])
        released.append(ReleasedCell(key, totals[key], concealed, figures))
    return released


EFFORT = ("effort", "")  # beside ("driver", name)
AnswersOf = Callable[[CellTotals], tuple[int, float]]  # a question's count and sum in a cell


def _withheld_questions(totals: Mapping[CellKey, CellTotals], tallies: Mapping[CellKey, Tally],
                        hidden: set[CellKey], cube: list[Equation], min_cell: int,
                        one_unit: OneUnitCells) -> dict[CellKey, set[tuple[str, str]]]:
    """For each cell, the questions whose figure it leaves out: ("driver", name), EFFORT."""
    blank: dict[CellKey, set[tuple[str, str]]] = defaultdict(set)
    for name, answers_of in sorted(_questions(totals.values()).items()):
        scale = EFFORT_SCALE if name == EFFORT else DRIVER_SCALE
        answers = {key: answers_of(totals[key]) for key in tallies}
        if not any(count for count, _ in answers.values()):
            continue
        sensitive = one_unit.respondents | one_unit.questions.get(name, frozenset())
        for key in withheld(tallies, answers, hidden, cube, min_cell, scale, sensitive):
            blank[key].add(name)
    return blank


def _questions(totals: Iterable[CellTotals]) -> dict[tuple[str, str], AnswersOf]:
    """The questions a cell may leave out, each with how to read its answers from totals:
    ("driver", name) for each driver answered anywhere, and EFFORT."""
    questions = {("driver", name): _driver_answers(name) for t in totals for name in t.drivers}
    questions[EFFORT] = _effort_answers
    return questions


def _answered(answers_of: AnswersOf) -> Callable[[CellTotals], int]:
    return lambda totals: answers_of(totals)[0]


def _driver_answers(name: str) -> AnswersOf:
    return lambda totals: totals.drivers.get(name, (0, 0.0))


def _effort_answers(totals: CellTotals) -> tuple[int, float]:
    return totals.effort_n, totals.effort_sum


def _figures(key: CellKey, totals: CellTotals, min_cell: int,
             blank: set[tuple[str, str]]) -> dict[str, Any]:
    figures = cell_stats(totals, min_cell).public()
    figures["drivers"] = {name: None if ("driver", name) in blank else value
                          for name, value in figures["drivers"].items()}
    if EFFORT in blank:
        figures["effort"] = None
    if len(key[1]) <= KEY_DRIVER_DEPTH and totals.pairs:
        # The correlations only: the number of pairs is a driver's exact count, which with
        # its mean gives its sum, and two such cells differenced a small one's.
        figures["key_drivers"] = [{"driver": d, "correlation": r}
                                  for d, r, _ in key_drivers_of(totals)
                                  if ("driver", d) not in blank]
    return figures
