"""What of a cell released in two periods may be compared, and how, so that a comparison
publishes nothing the two released cells did not (docs/statistics.md, "Comparing periods").

- A cell hidden in either period, or absent from one, is not compared at all: "too few
  answers", and no figure of either period, not even its n.
- A driver or the effort is compared only where both periods show it (from `min_cell`
  answers, not withheld).
- The share and the mean are compared from their exact totals (n, satisfied, sum, sum of
  squares), all of which the published figures give (the share with n, the mean with its
  interval). A driver's published figure is its mean only: its test uses the largest spread
  that mean allows (stats.changes.largest_spread), not the spread of its answers, which is
  not published and which the audit of its hidden cells does not cover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stats.changes import CellChanges, compare
from stats.survey_statistics import CellTotals


@dataclass(frozen=True)
class ReleasedSide:
    """One period's released cell, as stored: hidden or not, its published figures (None
    when hidden) and the totals they were made from."""

    hidden: bool
    figures: Mapping[str, Any] | None
    totals: Mapping[str, Any] | None


def stored_totals(stored: Mapping[str, Any]) -> CellTotals:
    """A visible cell's totals as admin.publish stores them (JSON: lists for tuples)."""
    return CellTotals(
        n=int(stored["n"]), overall_sum=float(stored["overall_sum"]),
        overall_sumsq=float(stored["overall_sumsq"]), satisfied=int(stored["satisfied"]),
        drivers={name: (int(count), float(total))
                 for name, (count, total) in stored.get("drivers", {}).items()},
        effort_n=int(stored.get("effort_n", 0)),
        effort_sum=float(stored.get("effort_sum", 0.0)),
        pairs={name: (float(a), float(b), float(c), float(d))
               for name, (a, b, c, d) in stored.get("pairs", {}).items()})


Shown = tuple[Mapping[str, Any], Mapping[str, Any]]  # a visible side's figures and totals


def shown_side(side: ReleasedSide | None) -> Shown | None:
    """A side's published figures and totals, or None when it shows no figure (hidden, not
    released, or nobody answered): only such sides may be compared or pooled."""
    if (side is None or side.hidden or side.figures is None or side.totals is None
            or side.figures.get("n") is None):
        return None
    return side.figures, side.totals


def compare_released(before: ReleasedSide | None, after: ReleasedSide | None,
                     drivers: Sequence[str]) -> CellChanges | None:
    """The cell's figures compared, or None when it may not be ("too few answers")."""
    first, second = shown_side(before), shown_side(after)
    if first is None or second is None:
        return None
    (figures1, totals1), (figures2, totals2) = first, second
    shown = [name for name in drivers
             if figures1["drivers"].get(name) is not None
             and figures2["drivers"].get(name) is not None]
    compared = compare(stored_totals(totals1), stored_totals(totals2), shown,
                       driver_spread="largest")
    effort_shown = figures1.get("effort") is not None and figures2.get("effort") is not None
    return CellChanges(compared.share, compared.mean,
                       {name: compared.drivers.get(name) for name in drivers},
                       compared.effort if effort_shown else None)


def published_n(before: ReleasedSide | None, after: ReleasedSide | None
                ) -> tuple[int | None, int | None]:
    """The n of each side where the cell is compared; neither where it is not."""
    first, second = shown_side(before), shown_side(after)
    if first is None or second is None:
        return None, None
    return int(first[0]["n"]), int(second[0]["n"])


def sides_by_cell(cells: Sequence[tuple[str, str, str, ReleasedSide]], before: str,
                  after: str) -> dict[tuple[str, str], tuple[ReleasedSide | None,
                                                             ReleasedSide | None]]:
    """(period, place, service, side) rows of two periods, paired by place and service."""
    paired: dict[tuple[str, str], list[ReleasedSide | None]] = {}
    for period, place, service, side in cells:
        pair = paired.setdefault((place, service), [None, None])
        if period == before:
            pair[0] = side
        elif period == after:
            pair[1] = side
    return {key: (pair[0], pair[1]) for key, pair in sorted(paired.items())}
