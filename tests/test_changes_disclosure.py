"""Comparing periods publishes nothing the two released cells did not: every figure of a
comparison is recomputed here, with scipy, from the published figures alone; a cell hidden
in either period, or a driver either period does not show, is not compared at all."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from stats import periods
from stats.changes import Verdict, judge
from stats.published_changes import ReleasedSide, compare_released, published_n, sides_by_cell
from stats.release import Atom, cells_of_atoms, release
from stats.survey_statistics import CellTotals

scipy_stats = pytest.importorskip("scipy.stats")

MIN_CELL = 10
# (province, service): answers in April, answers in May, how May leans (0 low - 1 high),
# and how many in May answer the driver.
PLAN = {("34", "trafik"): (60, 60, 0.85, 60), ("34", "nufus"): (40, 45, 0.3, 45),
        ("06", "trafik"): (35, 38, 0.3, 38), ("06", "nufus"): (3, 32, 0.3, 32),
        ("35", "trafik"): (30, 32, 0.3, 32), ("35", "nufus"): (35, 34, 0.3, 4),
        ("16", "trafik"): (40, 42, 0.3, 42), ("16", "nufus"): (38, 36, 0.3, 36),
        ("01", "trafik"): (33, 30, 0.3, 30), ("01", "nufus"): (36, 31, 0.3, 31),
        ("42", "trafik"): (31, 44, 0.3, 44), ("42", "nufus"): (34, 37, 0.3, 37)}


def _answers(rng: random.Random, n: int, lean: float, driver_answers: int) -> list[dict]:
    def score(top: int) -> int:
        return min(top, max(1, round(rng.gauss(1 + lean * (top - 1), 1.1))))

    return [{"overall": score(5), "courtesy": score(5) if i < driver_answers else None,
             "effort": score(7)} for i in range(n)]


def _totals(answers: list[dict]) -> CellTotals:
    rated = [a for a in answers if a["courtesy"] is not None]
    xs, ys = [a["courtesy"] for a in rated], [a["overall"] for a in rated]
    overall = [a["overall"] for a in answers]
    return CellTotals(
        len(overall), float(sum(overall)), float(sum(y * y for y in overall)),
        sum(y >= 4 for y in overall), {"courtesy": (len(xs), float(sum(xs)))},
        len(answers), float(sum(a["effort"] for a in answers)),
        {"courtesy": (float(sum(x * x for x in xs)), float(sum(x * y for x, y in zip(
            xs, ys, strict=True))), float(sum(ys)), float(sum(y * y for y in ys)))})


def _released_months() -> dict:
    """April and May released as admin.publish releases them: (period, place, service) ->
    the side as stored."""
    rng = random.Random(2026)
    stored = {}
    for period, index in (("2026-04", 0), ("2026-05", 1)):
        atoms = []
        for (plate, service), plan in PLAN.items():
            lean = 0.3 if index == 0 else plan[2]
            answers = _answers(rng, plan[index], lean, plan[0] if index == 0 else plan[3])
            atoms.append(Atom(plate, None, None, service, _totals(answers)))
        for cell in release(cells_of_atoms(period, atoms), MIN_CELL):
            totals = {"n": cell.totals.n} if cell.hidden else dataclasses.asdict(cell.totals)
            stored[cell.key] = ReleasedSide(cell.hidden, cell.figures, totals)
    return stored


def _province_cells(stored: dict) -> dict:
    rows = [(period, "/".join(place), service, side)
            for (period, place, service), side in stored.items()
            if len(place) == 2 and service in ("trafik", "nufus")]
    return sides_by_cell(rows, "2026-04", "2026-05")


def test_a_comparison_is_computed_from_the_published_figures_alone():
    pairs = _province_cells(_released_months())
    compared = drivers_compared = 0
    for sides in pairs.values():
        change = compare_released(*sides, ["courtesy"])
        if change is None:
            continue
        compared += 1
        before, after = (side.figures for side in sides)
        # The share: n and the share give the number satisfied.
        table = [[round(f["satisfied_share"] * f["n"]), f["n"] - round(f["satisfied_share"] *
                                                                        f["n"])]
                 for f in (before, after)]
        if 0 < table[0][0] + table[1][0] < before["n"] + after["n"]:
            expected = scipy_stats.chi2_contingency(table, correction=False).pvalue
            assert change.share.p_value == pytest.approx(expected, rel=1e-6)
        # The mean: its published interval gives its standard deviation.
        sds = [_sd_of_interval(f) for f in (before, after)]
        expected = scipy_stats.ttest_ind_from_stats(after["mean"], sds[1], after["n"],
                                                    before["mean"], sds[0], before["n"],
                                                    equal_var=False)
        assert change.mean.p_value == pytest.approx(expected.pvalue, rel=1e-6)
        # A driver: its published mean, and its count (which the audit takes as known; a
        # mean printed in full gives its denominator away), with the largest spread the mean
        # allows - not the spread of its answers, which nothing published gives.
        if before["drivers"]["courtesy"] is None or after["drivers"]["courtesy"] is None:
            assert change.drivers["courtesy"] is None
            continue
        drivers_compared += 1
        counts = [side.totals["drivers"]["courtesy"][0] for side in sides]
        means = [f["drivers"]["courtesy"] / 25 + 1 for f in (before, after)]
        bounds = [math.sqrt((m - 1) * (5 - m) * n / (n - 1))
                  for m, n in zip(means, counts, strict=True)]
        expected = scipy_stats.ttest_ind_from_stats(means[1], bounds[1], counts[1], means[0],
                                                    bounds[0], counts[0], equal_var=False)
        assert change.drivers["courtesy"].p_value == pytest.approx(expected.pvalue, rel=1e-6)
        assert change.drivers["courtesy"].difference == pytest.approx(
            after["drivers"]["courtesy"] - before["drivers"]["courtesy"])
    assert compared >= 6 and drivers_compared >= 4


def _sd_of_interval(figures: dict) -> float:
    """The standard deviation a published mean interval (t, clipped to 1-5) gives away."""
    low, high = figures["mean_ci95"]
    half = high - figures["mean"] if high < 5 else figures["mean"] - low
    n = figures["n"]
    return half * math.sqrt(n) / scipy_stats.t.ppf(0.975, n - 1)


def test_a_cell_hidden_in_either_period_gives_no_figure_not_even_its_n():
    stored = _released_months()
    pairs = _province_cells(stored)
    hidden = [key for key, sides in pairs.items() if any(s is None or s.hidden for s in sides)]
    assert ("06", "nufus") in {(place.split("/")[1], service) for place, service in hidden}
    judged, _ = judge([compare_released(*pairs[key], ["courtesy"]) for key in hidden],
                      ["courtesy"])
    for key, cell in zip(hidden, judged, strict=True):
        assert published_n(*pairs[key]) == (None, None)
        for finding in (cell.share, cell.mean, cell.drivers["courtesy"], cell.effort):
            assert finding.change is None and finding.verdict == Verdict.TOO_FEW_ANSWERS


def test_a_driver_either_period_does_not_show_is_not_compared():
    pairs = _province_cells(_released_months())
    sides = pairs[("TR3/35", "nufus")]  # İzmir nüfus: 4 answers to the driver in May
    assert sides[1].figures["drivers"]["courtesy"] is None
    change = compare_released(*sides, ["courtesy"])
    assert change is not None and change.mean is not None
    assert change.drivers["courtesy"] is None
    [cell], _ = judge([change], ["courtesy"])
    assert cell.drivers["courtesy"].verdict == Verdict.TOO_FEW_ANSWERS
    assert cell.effort.verdict == Verdict.NOT_TESTED  # shown in both, but no spread kept


def test_a_clear_improvement_reads_better():
    pairs = _province_cells(_released_months())
    cells = list(pairs)
    judged, comparisons = judge([compare_released(*pairs[key], ["courtesy"]) for key in cells],
                                ["courtesy"])
    istanbul = judged[cells.index(("TR1/34", "trafik"))]
    assert istanbul.mean.verdict == Verdict.BETTER and istanbul.share.verdict == Verdict.BETTER
    assert comparisons == sum(1 for cell in judged for f in (cell.share, cell.mean,
                                                             *cell.drivers.values())
                              if f.q_value is not None)


@pytest.mark.parametrize(("period", "against", "expected"), [
    ("2026-01", "previous", "2025-12"), ("2026-01", "year", "2025-01"),
    ("2026-Q1", "previous", "2025-Q4"), ("2026-Q3", "year", "2025-Q3"),
    ("2026", "previous", "2025"), ("2026", "year", "2025"),
])
def test_the_period_compared_with(period, against, expected):
    assert periods.compared_with(period, against) == expected


def test_the_period_compared_with_is_previous_or_a_year_earlier():
    with pytest.raises(ValueError):
        periods.compared_with("2026-01", "last week")
