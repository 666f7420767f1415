"""stats.survey_statistics: intervals, cell figures and key drivers.

Reference values come from scipy/numpy on raw generated values, never from the module itself.
"""

from __future__ import annotations

import json
import math
import random

import pytest

from stats.survey_statistics import (
    CellTotals,
    cell_stats,
    key_drivers,
    merge_totals,
    t_critical,
    t_interval,
    wilson_interval,
)

# --------------------------------------------------------------------------- helpers


def totals_from(responses: list[dict]) -> CellTotals:
    """Aggregate raw responses the way the database does: {"overall": 1-5 or None,
    "drivers": {name: 1-5 or None}, "effort": 1-7 or None}."""
    rated = [r["overall"] for r in responses if r.get("overall") is not None]
    drivers: dict[str, tuple[int, float]] = {}
    for r in responses:
        for name, value in r.get("drivers", {}).items():
            count, total = drivers.get(name, (0, 0.0))
            if value is not None:
                count, total = count + 1, total + value
            drivers[name] = (count, total)
    efforts = [r["effort"] for r in responses if r.get("effort") is not None]
    return CellTotals(
        n=len(rated), overall_sum=float(sum(rated)), overall_sumsq=float(sum(x * x for x in rated)),
        satisfied=sum(1 for x in rated if x >= 4), drivers=drivers,
        effort_n=len(efforts), effort_sum=float(sum(efforts)),
    )


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(("successes", "n", "expected"), [
    (5, 10, (0.237, 0.763)),
    (0, 10, (0.0, 0.278)),
    (81, 100, (0.722, 0.875)),
])
def test_wilson_vectors(successes, n, expected):
    low, high = wilson_interval(successes, n)
    assert round(low, 3) == expected[0]
    assert round(high, 3) == expected[1]


def test_wilson_edges():
    assert wilson_interval(0, 0) is None
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(1, 10, confidence=1.0)


def test_wilson_against_score_test_inversion():
    """The Wilson interval is {p : |p_hat - p| <= z sqrt(p (1 - p) / n)}; find its ends by root
    finding with scipy on generated 0/1 answers."""
    pytest.importorskip("scipy")
    from scipy.optimize import brentq
    from scipy.stats import norm

    rng = random.Random(20240517)
    for _ in range(200):
        n = rng.randint(1, 400)
        p_true = rng.random()
        answers = [rng.random() < p_true for _ in range(n)]
        successes = sum(answers)
        confidence = rng.choice([0.8, 0.9, 0.95, 0.99])
        z = norm.ppf((1 + confidence) / 2)
        p_hat = successes / n

        def score(p, p_hat=p_hat, n=n, z=z):
            return abs(p_hat - p) - z * math.sqrt(p * (1 - p) / n)

        inside = min(max(p_hat, 1e-15), 1 - 1e-15)  # strictly within (0, 1), where score < 0
        low = 0.0 if successes == 0 else brentq(score, 1e-15, inside, xtol=1e-14)
        high = 1.0 if successes == n else brentq(score, inside, 1 - 1e-15, xtol=1e-14)
        got = wilson_interval(successes, n, confidence)
        assert got == pytest.approx((low, high), abs=1e-9)


# --------------------------------------------------------------------------- t


def test_t_critical_against_scipy_df_1_to_1000():
    pytest.importorskip("scipy")
    from scipy.stats import t

    for df in range(1, 1001):
        assert abs(t_critical(df) - t.ppf(0.975, df)) < 1e-3, df
    # in fact far better than required
    worst = max(abs(t_critical(df) - t.ppf(0.975, df)) for df in range(1, 1001))
    assert worst < 1e-9


@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.9, 0.99, 0.999])
def test_t_critical_other_levels_and_large_df(confidence):
    pytest.importorskip("scipy")
    from scipy.stats import t

    for df in [*range(1, 60), 99, 100, 101, 500, 999, 1000, 1001, 2500, 10**5, 10**7]:
        assert t_critical(df, confidence) == pytest.approx(
            t.ppf((1 + confidence) / 2, df), abs=1e-6), df


def test_t_critical_rejects_bad_input():
    for df in (0, -1, 2.5, True):
        with pytest.raises(ValueError):
            t_critical(df)
    for confidence in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError):
            t_critical(10, confidence)


def test_t_interval_against_scipy_on_generated_data():
    pytest.importorskip("scipy")
    np = pytest.importorskip("numpy")
    from scipy import stats

    rng = random.Random(81)
    for _ in range(300):
        n = rng.choice([2, 3, 4, 5, 10, 30, 100, 1000, 5000])
        values = [rng.choice([1, 2, 3, 4, 5]) for _ in range(n)]
        confidence = rng.choice([0.9, 0.95, 0.99])
        got = t_interval(n, float(sum(values)), float(sum(v * v for v in values)), confidence)
        data = np.array(values, dtype=float)
        sd = data.std(ddof=1)
        if sd == 0:
            assert got == pytest.approx((data.mean(), data.mean()))
            continue
        expected = stats.t.interval(confidence, n - 1, loc=data.mean(), scale=sd / math.sqrt(n))
        assert got == pytest.approx(expected, abs=1e-9)


def test_t_interval_needs_two_values():
    assert t_interval(0, 0.0, 0.0) is None
    assert t_interval(1, 4.0, 16.0) is None


# --------------------------------------------------------------------------- cell_stats


def test_cell_stats_against_raw_values():
    pytest.importorskip("scipy")
    np = pytest.importorskip("numpy")
    from scipy import stats

    rng = random.Random(7)
    responses = [
        {"overall": rng.randint(1, 5),
         "drivers": {"waiting": rng.choice([1, 2, 3, 4, 5, None]),
                     "staff": rng.choice([3, 4, 5])},
         "effort": rng.choice([1, 2, 3, 4, 5, 6, 7, None])}
        for _ in range(137)
    ]
    got = cell_stats(totals_from(responses), min_cell=10)
    overall = np.array([r["overall"] for r in responses], dtype=float)
    assert not got.suppressed
    assert got.n == 137
    assert got.mean == pytest.approx(overall.mean())
    low, high = stats.t.interval(0.95, 136, loc=overall.mean(),
                                 scale=overall.std(ddof=1) / math.sqrt(137))
    assert got.mean_ci95 == pytest.approx((max(1, low), min(5, high)))
    satisfied = int((overall >= 4).sum())
    assert got.satisfied_share == pytest.approx(satisfied / 137)
    assert got.satisfied_ci95 == wilson_interval(satisfied, 137)
    waiting = np.array([r["drivers"]["waiting"] for r in responses
                        if r["drivers"]["waiting"] is not None], dtype=float)
    assert got.drivers["waiting"] == pytest.approx((waiting.mean() - 1) / 4 * 100)
    staff = np.array([r["drivers"]["staff"] for r in responses], dtype=float)
    assert got.drivers["staff"] == pytest.approx((staff.mean() - 1) / 4 * 100)
    effort = [r["effort"] for r in responses if r["effort"] is not None]
    assert got.effort == pytest.approx(np.mean(effort))


def test_drivers_scale_to_0_100_and_ignore_dont_know():
    responses = [{"overall": 4, "drivers": {"a": 1, "b": 5, "c": 3, "d": None}}] * 6
    responses += [{"overall": 4, "drivers": {"a": None, "b": None, "c": 5, "d": None}}] * 4
    got = cell_stats(totals_from(responses), min_cell=5)
    # "don't know" is neither counted nor averaged: a stays 0, b stays 100
    assert got.drivers == {"a": 0.0, "b": 100.0, "c": pytest.approx(70.0), "d": None}


def test_driver_and_effort_bases_below_min_cell_are_not_shown():
    responses = [{"overall": 5, "drivers": {"rare": None, "common": 4}, "effort": None}] * 20
    responses += [{"overall": 5, "drivers": {"rare": 2, "common": 4}, "effort": 2}] * 3
    got = cell_stats(totals_from(responses), min_cell=5)
    assert got.drivers == {"rare": None, "common": 75.0}
    assert got.effort is None
    assert cell_stats(totals_from(responses), min_cell=3).drivers["rare"] == 25.0


def test_mean_interval_is_clipped_to_scale():
    responses = [{"overall": 5}] * 9 + [{"overall": 1}]
    got = cell_stats(totals_from(responses), min_cell=5)
    assert got.mean == pytest.approx(4.6)
    assert got.mean_ci95[1] == 5.0
    assert 1.0 <= got.mean_ci95[0] < 4.6
    one = cell_stats(totals_from([{"overall": 3}]), min_cell=1)
    assert one.mean == 3.0 and one.mean_ci95 is None
    assert one.satisfied_share == 0.0 and one.satisfied_ci95 is not None


def test_suppressed_cells_carry_no_figures():
    responses = [{"overall": 5, "drivers": {"a": 5, "b": None}, "effort": 2}] * 4
    got = cell_stats(totals_from(responses), min_cell=5)
    assert got.suppressed
    assert got.n == 4
    assert (got.mean, got.mean_ci95, got.satisfied_share, got.satisfied_ci95, got.effort) == (
        None, None, None, None, None)
    assert got.drivers == {"a": None, "b": None}
    public = got.public()
    assert public["n"] is None
    assert public["suppressed"] is True
    assert all(v is None for k, v in public.items() if k not in ("drivers", "suppressed"))
    json.dumps(public)
    # a cell hidden by secondary suppression, however large
    big = cell_stats(totals_from(responses * 10), min_cell=5, hidden=True)
    assert big.suppressed and big.mean is None and big.public()["n"] is None
    # large enough: shown, n public
    shown = cell_stats(totals_from(responses), min_cell=4)
    assert not shown.suppressed and shown.public()["n"] == 4
    assert shown.public()["mean_ci95"] == [5.0, 5.0]


def test_empty_cell_is_not_suppressed_and_has_no_figures():
    got = cell_stats(CellTotals(0, 0.0, 0.0, 0), min_cell=5)
    assert not got.suppressed
    assert got.mean is None and got.satisfied_share is None and got.mean_ci95 is None


def test_inconsistent_totals_are_rejected():
    with pytest.raises(ValueError):
        cell_stats(CellTotals(3, 12.0, 50.0, 4), min_cell=1)


def test_merge_totals_equals_totals_of_the_union():
    rng = random.Random(3)
    parts = [[{"overall": rng.randint(1, 5), "drivers": {"a": rng.choice([1, 5, None])},
               "effort": rng.choice([None, 3])} for _ in range(rng.randint(0, 9))]
             for _ in range(5)]
    merged = merge_totals(totals_from(p) for p in parts)
    union = totals_from([r for p in parts for r in p])
    assert merged.n == union.n and merged.satisfied == union.satisfied
    assert merged.overall_sum == union.overall_sum
    assert merged.overall_sumsq == union.overall_sumsq
    assert merged.drivers == union.drivers
    assert (merged.effort_n, merged.effort_sum) == (union.effort_n, union.effort_sum)


# --------------------------------------------------------------------------- suppression


def test_key_drivers_against_numpy_corrcoef():
    np = pytest.importorskip("numpy")
    rng = random.Random(5)
    rows = []
    for _ in range(300):
        overall = rng.randint(1, 5)
        rows.append((float(overall), {
            "staff": min(5, max(1, overall + rng.choice([-1, 0, 0, 1]))) if rng.random() < 0.9
            else None,
            "waiting": rng.randint(1, 5) if rng.random() < 0.7 else None,
            "access": min(5, max(1, 6 - overall + rng.choice([-1, 0, 1]))),
            "rare": rng.randint(1, 5) if rng.random() < 0.02 else None,
            "flat": 3,
        }))
    got = key_drivers(rows)
    names = [name for name, _, _ in got]
    assert "rare" not in names and "flat" not in names
    assert names == ["staff", "waiting", "access"]
    for name, r, pairs in got:
        xs = [answers[name] for _, answers in rows if answers.get(name) is not None]
        ys = [overall for overall, answers in rows if answers.get(name) is not None]
        assert pairs == len(xs)
        assert r == pytest.approx(np.corrcoef(xs, ys)[0, 1], abs=1e-12)
    assert [r for _, r, _ in got] == sorted((r for _, r, _ in got), reverse=True)


def test_key_drivers_thresholds():
    rows = [(float(1 + i % 5), {"nine": float(1 + i % 5)}) for i in range(9)]
    assert key_drivers(rows) == []
    rows.append((5.0, {"nine": 5.0}))
    ((name, r, pairs),) = key_drivers(rows)
    assert (name, pairs) == ("nine", 10) and r == pytest.approx(1.0)
    constant_overall = [(4.0, {"a": float(1 + i % 5)}) for i in range(20)]
    assert key_drivers(constant_overall) == []
    assert key_drivers([]) == []
