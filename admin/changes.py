"""What changed: each cell of a released period against the same cell in the period before,
or in the same period a year earlier, as the API (/changes), `izdes report changes` and the
dashboard show it. Read from the released cells of both periods, so every figure is one
that was published; what may be compared is stats.published_changes, the tests and the
false discovery rate stats.changes."""

from __future__ import annotations

from dataclasses import dataclass

from admin.report import INDICATIVE_JSON
from admin.scores import PLACES, cut_of, link_ids, place_fields
from conversations.survey import Survey
from stats import periods
from stats.changes import ALPHA, Change, Finding, Judged, judge
from stats.published_changes import ReleasedSide, compare_released, published_n, sides_by_cell
from storage.database import Database
from storage.links import link_labels
from storage.releases import CellRow, read_comparable, released_periods

GROUPS = (*PLACES, "service")  # as /scores, but one period against another: no "period"
FDR_METHOD = "Benjamini-Hochberg"
# Said wherever verdicts are shown: a verdict depends on the family of comparisons it was
# judged in, and the intervals beside it are each a comparison's own, not adjusted.
FDR_NOTE = ("verdicts control the false discovery rate with Benjamini-Hochberg at 5 % across "
            "the {count} comparisons of this response; each interval is that comparison's "
            "own 95 % interval, not adjusted")
DRIVER_NOTE = ("a driver's test uses the largest spread its published mean allows, not the "
               "spread of its answers (which is not published): wider intervals, fewer "
               "findings")
EFFORT_NOTE = "no test: the spread of the ease answers is not kept, only their mean"


@dataclass(frozen=True)
class ChangeRequest:
    survey: Survey
    period: str
    against: str = "previous"
    group_by: tuple[str, ...] = ("province", "service")
    province: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class ChangeTable:
    period: str
    base: str  # the period compared with
    comparisons: int  # tests in the family the false discovery rate is controlled over
    rows: list[dict]


class NotReleased(LookupError):
    """A period to compare has not been released; the text says which and why."""


async def change_table(db: Database, request: ChangeRequest) -> ChangeTable:
    """Every listed cell of the cut in either period, compared where both publish it.
    ValueError for a cut or comparison that is not published, NotReleased when a period is
    not released."""
    unknown = [g for g in request.group_by if g not in GROUPS]
    if not request.group_by or unknown or len(set(request.group_by)) != len(request.group_by):
        raise ValueError(f"group_by takes any of {', '.join(GROUPS)}")
    base = periods.compared_with(request.period, request.against)
    depth, service = cut_of(request.survey, request.group_by, request.province,
                            request.service)
    key = request.survey.key
    async with db.transaction() as session:
        released = await released_periods(session, key)
        _check_released(request, base, released)
        cells = await read_comparable(session, key, (base, request.period), depth,
                                      request.province, service)
        links = await link_labels(session, link_ids(cells))
    drivers = list(request.survey.report.drivers) if request.survey.report else []
    where = {(c.place, c.service): c for c in cells}  # for the place's fields: either period
    pairs = sides_by_cell([(c.period, c.place, c.service, _side(c)) for c in cells],
                          base, request.period)
    judged, comparisons = judge([compare_released(*sides, drivers)
                                 for sides in pairs.values()], drivers)
    rows = []
    for (key, sides), cell in zip(pairs.items(), judged, strict=True):
        n_before, n_after = published_n(*sides)
        rows.append({**place_fields(where[key], depth, links), "service": key[1] or None,
                     "n_before": n_before, "n_after": n_after, **_figures(cell)})
    return ChangeTable(request.period, base, comparisons, rows)


def _check_released(request: ChangeRequest, base: str, released: set[str]) -> None:
    if request.period not in released:
        raise NotReleased(f"{request.period} has not been released: only periods that have "
                          "ended are")
    if base not in released:
        what = ("the period before" if request.against == "previous"
                else "the same period a year earlier")
        raise NotReleased(f"{base}, {what}, has not been released: there is nothing to "
                          f"compare {request.period} with")


def _side(cell: CellRow) -> ReleasedSide:
    return ReleasedSide(cell.hidden, cell.figures, cell.totals)


def _figures(cell: Judged) -> dict:
    return {"satisfied_share": _finding(cell.share), "mean": _finding(cell.mean),
            "drivers": {name: _finding(f) for name, f in cell.drivers.items()},
            "effort": _finding(cell.effort)}


def _finding(finding: Finding) -> dict:
    change: Change | None = finding.change
    if change is None:  # no figure at all: not of either period
        return {"before": None, "after": None, "difference": None, "ci95": None,
                "p_value": None, "q_value": None, "test": None, "verdict": finding.verdict}
    return {"before": change.before, "after": change.after, "difference": change.difference,
            "ci95": list(change.ci95) if change.ci95 else None, "p_value": change.p_value,
            "q_value": finding.q_value, "test": change.test, "verdict": finding.verdict}


def change_body(table: ChangeTable | None, against: str) -> dict:
    """The table as published (the API's JSON, `izdes report changes --format json`), with
    how its intervals are to be read and its verdicts were judged; no table when nothing is
    released yet."""
    if table is None:
        return {"against": against, "compared_with": None, "rows": []}
    return {"against": against, "compared_with": table.base, "intervals": INDICATIVE_JSON,
            "false_discovery_rate": {"method": FDR_METHOD, "level": ALPHA,
                                     "comparisons": table.comparisons,
                                     "note": FDR_NOTE.format(count=table.comparisons)},
            "notes": {"drivers": DRIVER_NOTE, "effort": EFFORT_NOTE}, "rows": table.rows}
