"""stats.changes and stats.student_t: a cell compared between two periods.

Reference values come from scipy on raw generated answers, from Newcombe's published table,
or from exact binomial enumeration: never from the modules themselves."""

from __future__ import annotations

import math
import random

import pytest

from stats.changes import (
    TWO_PROPORTION,
    WELCH,
    Change,
    Moments,
    Verdict,
    benjamini_hochberg,
    compare,
    largest_spread,
    mean_change,
    needed_per_period,
    share_change,
    verdict,
)
from stats.student_t import quantile, two_sided_p
from stats.survey_statistics import CellTotals

scipy_stats = pytest.importorskip("scipy.stats")
np = pytest.importorskip("numpy")


def totals_of(answers: list[dict]) -> CellTotals:
    """Totals as the database sums them, pairs included: {"overall": 1-5, "drivers":
    {name: 1-5 or None}, "effort": 1-7 or None}."""
    overall = [a["overall"] for a in answers]
    drivers: dict[str, tuple[int, float]] = {}
    pairs: dict[str, tuple[float, float, float, float]] = {}
    for a in answers:
        for name, x in a.get("drivers", {}).items():
            count, total = drivers.get(name, (0, 0.0))
            xx, xy, ys, yy = pairs.get(name, (0.0, 0.0, 0.0, 0.0))
            if x is not None:
                y = a["overall"]
                count, total = count + 1, total + x
                xx, xy, ys, yy = xx + x * x, xy + x * y, ys + y, yy + y * y
            drivers[name], pairs[name] = (count, total), (xx, xy, ys, yy)
    efforts = [a["effort"] for a in answers if a.get("effort") is not None]
    return CellTotals(len(overall), float(sum(overall)), float(sum(x * x for x in overall)),
                      sum(x >= 4 for x in overall), drivers, len(efforts),
                      float(sum(efforts)), pairs)


def generated(rng: random.Random, n: int, lean: float) -> list[dict]:
    """n answers; ``lean`` in 0-1 pushes the scores up."""
    def score(top: int) -> int:
        return min(top, max(1, round(rng.gauss(1 + lean * (top - 1), 1.2))))

    return [{"overall": score(5),
             "drivers": {"courtesy": score(5), "timeliness": rng.choice([score(5), None])},
             "effort": rng.choice([score(7), None])} for _ in range(n)]


# --------------------------------------------------------------------------- Student t


def test_t_distribution_for_fractional_degrees_of_freedom_against_scipy():
    rng = random.Random(3)
    for _ in range(2000):
        df = rng.choice([rng.uniform(1, 5), rng.uniform(5, 200), rng.uniform(200, 1e6),
                         float(rng.randint(1, 60))])
        t = rng.choice([rng.uniform(0, 3), rng.uniform(0, 40)])
        expected = 2 * scipy_stats.t.sf(t, df)
        assert two_sided_p(t, df) == pytest.approx(expected, rel=1e-7, abs=1e-12), (t, df)
        assert two_sided_p(-t, df) == two_sided_p(t, df)
        confidence = rng.choice([0.5, 0.9, 0.95, 0.99, 0.999])
        assert quantile(df, confidence) == pytest.approx(
            scipy_stats.t.ppf((1 + confidence) / 2, df), rel=1e-9), (df, confidence)


def test_t_distribution_refuses_what_has_no_meaning():
    for df in (0, -1.5, float("nan"), True):
        with pytest.raises(ValueError):
            two_sided_p(1.0, df)
    with pytest.raises(ValueError):
        quantile(10.0, 1.0)


# --------------------------------------------------------------------------- shares


@pytest.mark.parametrize(("first", "second", "expected"), [
    ((56, 70), (48, 80), (0.0524, 0.3339)),
    ((9, 10), (3, 10), (0.1705, 0.8090)),
    ((6, 7), (2, 7), (0.0582, 0.8062)),
    ((5, 56), (0, 29), (-0.0381, 0.1926)),
    ((0, 10), (0, 20), (-0.1611, 0.2775)),
    ((0, 10), (0, 10), (-0.2775, 0.2775)),
    ((10, 10), (0, 20), (0.6791, 1.0000)),
    ((10, 10), (0, 10), (0.6075, 1.0000)),
])
def test_share_interval_is_newcombes_method_10(first, second, expected):
    """Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10: the interval of
    first - second, so 'after' is the first."""
    change = share_change(before=second, after=first)
    assert [round(bound, 4) for bound in change.ci95] == pytest.approx(list(expected))


def test_share_change_against_scipy_wilson_and_chi_square():
    """The interval from scipy's Wilson intervals by Newcombe's formula; the z test's p is the
    uncorrected chi-square test of the 2 x 2 table."""
    rng = random.Random(11)
    for _ in range(300):
        n1, n2 = rng.randint(1, 3000), rng.randint(1, 3000)
        s1, s2 = rng.randint(0, n1), rng.randint(0, n2)
        change = share_change((s1, n1), (s2, n2))
        p1, p2 = s1 / n1, s2 / n2
        w1 = scipy_stats.binomtest(s1, n1).proportion_ci(0.95, method="wilson")
        w2 = scipy_stats.binomtest(s2, n2).proportion_ci(0.95, method="wilson")
        low = (p2 - p1) - math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2)
        high = (p2 - p1) + math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2)
        assert change.difference == pytest.approx(p2 - p1, abs=1e-12)
        assert change.ci95 == pytest.approx((low, high), abs=1e-9)
        assert change.test == TWO_PROPORTION
        if 0 < s1 + s2 < n1 + n2:
            table = [[s1, n1 - s1], [s2, n2 - s2]]
            expected = scipy_stats.chi2_contingency(table, correction=False).pvalue
            assert change.p_value == pytest.approx(expected, rel=1e-6, abs=1e-300)
        else:  # all or none satisfied on both sides: nothing differs
            assert change.p_value == 1.0


def test_share_change_needs_someone_on_each_side():
    assert share_change((0, 0), (3, 10)) is None
    assert share_change((3, 10), (0, 0)) is None


# --------------------------------------------------------------------------- means


# scipy warns when one side has no spread (a sample of two alike): its figures still hold.
@pytest.mark.filterwarnings("ignore:Precision loss occurred in moment calculation")
def test_welch_against_scipy_on_generated_answers():
    rng = random.Random(5)
    for _ in range(300):
        before = [rng.randint(1, 5) for _ in range(rng.choice([2, 3, 10, 40, 500, 4000]))]
        after = [min(5, x + rng.choice([0, 0, 1])) for x in
                 (rng.randint(1, 5) for _ in range(rng.choice([2, 5, 12, 90, 2500])))]
        change = mean_change(Moments(len(before), sum(before), sum(x * x for x in before)),
                             Moments(len(after), sum(after), sum(x * x for x in after)))
        if np.std(before) == 0 and np.std(after) == 0:
            continue  # scipy has no answer without spread (below)
        expected = scipy_stats.ttest_ind(after, before, equal_var=False)
        assert change.test == WELCH
        assert change.difference == pytest.approx(np.mean(after) - np.mean(before))
        assert change.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-15)
        interval = expected.confidence_interval(0.95)
        assert change.ci95 == pytest.approx((interval.low, interval.high), rel=1e-9)


def test_welch_without_any_spread_is_exact():
    all_fours, all_fives = Moments(12, 48, 192), Moments(15, 75, 375)
    assert mean_change(all_fours, all_fives).ci95 == (1.0, 1.0)
    assert mean_change(all_fours, all_fives).p_value == 0.0
    assert mean_change(all_fours, Moments(20, 80, 320)).p_value == 1.0


def test_a_mean_without_its_sum_of_squares_has_a_difference_and_no_test():
    change = mean_change(Moments(30, 120.0), Moments(40, 200.0))
    assert change.difference == pytest.approx(1.0)
    assert change.ci95 is None and change.p_value is None and change.test is None
    assert verdict(change, None) == Verdict.NOT_TESTED
    assert mean_change(Moments(0, 0.0, 0.0), Moments(4, 12.0, 40.0)) is None


def test_compare_every_figure_of_a_cell_against_the_raw_answers():
    rng = random.Random(17)
    before, after = generated(rng, 400, 0.5), generated(rng, 350, 0.65)
    result = compare(totals_of(before), totals_of(after), ["courtesy", "timeliness"])
    overall = scipy_stats.ttest_ind([a["overall"] for a in after],
                                    [a["overall"] for a in before], equal_var=False)
    assert result.mean.p_value == pytest.approx(overall.pvalue, rel=1e-7)
    for name in ("courtesy", "timeliness"):
        xs = [[a["drivers"][name] for a in side if a["drivers"][name] is not None]
              for side in (before, after)]
        expected = scipy_stats.ttest_ind(xs[1], xs[0], equal_var=False)
        got = result.drivers[name]
        # On 0-100 as the drivers are published: (mean - 1) / 4 * 100.
        assert got.before == pytest.approx((np.mean(xs[0]) - 1) * 25)
        assert got.difference == pytest.approx((np.mean(xs[1]) - np.mean(xs[0])) * 25)
        interval = expected.confidence_interval(0.95)
        assert got.ci95 == pytest.approx((interval.low * 25, interval.high * 25))
        assert got.p_value == pytest.approx(expected.pvalue, rel=1e-7)
    efforts = [[a["effort"] for a in side if a["effort"] is not None] for side in (before, after)]
    assert result.effort.difference == pytest.approx(np.mean(efforts[1]) - np.mean(efforts[0]))
    assert result.effort.test is None  # the totals keep no sum of squares of the effort
    share = [sum(a["overall"] >= 4 for a in side) / len(side) for side in (before, after)]
    assert result.share.difference == pytest.approx(share[1] - share[0])


def test_the_largest_spread_a_mean_allows_gives_a_wider_interval_from_the_mean_alone():
    rng = random.Random(23)
    before, after = generated(rng, 200, 0.4), generated(rng, 220, 0.55)
    kept = compare(totals_of(before), totals_of(after), ["courtesy"]).drivers["courtesy"]
    largest = compare(totals_of(before), totals_of(after), ["courtesy"],
                      driver_spread="largest").drivers["courtesy"]
    xs = [np.array([a["drivers"]["courtesy"] for a in side], dtype=float)
          for side in (before, after)]
    # Bhatia-Davis: a variance of at most (mean - 1)(5 - mean) for answers in 1-5.
    sds = [math.sqrt((x.mean() - 1) * (5 - x.mean()) * len(x) / (len(x) - 1)) for x in xs]
    assert all(sd >= x.std(ddof=1) for sd, x in zip(sds, xs, strict=True))
    expected = scipy_stats.ttest_ind_from_stats(xs[1].mean(), sds[1], len(xs[1]),
                                                xs[0].mean(), sds[0], len(xs[0]),
                                                equal_var=False)
    assert largest.p_value == pytest.approx(expected.pvalue, rel=1e-7)
    assert largest.difference == pytest.approx(kept.difference)
    assert largest.ci95[1] - largest.ci95[0] > kept.ci95[1] - kept.ci95[0]
    assert largest.p_value > kept.p_value
    at_the_top = largest_spread(Moments(10, 50.0, 250.0), 1.0, 5.0)
    assert at_the_top.variance() == 0.0  # all answered 5: no spread is possible


# --------------------------------------------------------------------------- many cells


def test_benjamini_hochberg_against_scipy():
    rng = random.Random(29)
    for size in (1, 2, 7, 50, 800):
        ps = [rng.choice([rng.random(), rng.random() ** 6, 1.0, 0.0]) for _ in range(size)]
        expected = scipy_stats.false_discovery_control(ps, method="bh")
        assert benjamini_hochberg(ps) == pytest.approx(list(expected), abs=1e-15)
    assert benjamini_hochberg([]) == []


def test_false_discovery_rate_is_held_on_simulated_families():
    """900 true nulls among 1,000 tests, 100 real changes: among the findings at q <= 0.05,
    false ones are at most about 5 % on average (Benjamini and Hochberg's theorem)."""
    rng = random.Random(31)
    shares = []
    for _ in range(40):
        truth = [False] * 900 + [True] * 100
        ps = [scipy_stats.norm.sf(abs(rng.gauss(3.0 if real else 0.0, 1.0))) * 2
              for real in truth]
        found = [real for real, q in zip(truth, benjamini_hochberg(ps), strict=True)
                 if q <= 0.05]
        shares.append(found.count(False) / max(1, len(found)))
    assert sum(shares) / len(shares) <= 0.06


@pytest.mark.parametrize(("change", "q", "expected"), [
    (None, None, Verdict.TOO_FEW_ANSWERS),
    (Change(0.5, 0.6, 0.1, None, None, None), None, Verdict.NOT_TESTED),
    (Change(0.5, 0.6, 0.1, (0.05, 0.15), 0.001, WELCH), 0.01, Verdict.BETTER),
    (Change(0.6, 0.5, -0.1, (-0.15, -0.05), 0.001, WELCH), 0.05, Verdict.WORSE),
    (Change(0.6, 0.5, -0.1, (-0.15, -0.05), 0.001, WELCH), 0.0501, Verdict.NO_CLEAR_CHANGE),
    (Change(0.5, 0.5, 0.0, (0.0, 0.0), 1.0, WELCH), 1.0, Verdict.NO_CLEAR_CHANGE),
])
def test_verdicts(change, q, expected):
    assert verdict(change, q) == expected


# --------------------------------------------------------------------------- power


def exact_power(n: int, p1: float, p2: float) -> float:
    """The probability that the pooled two-proportion z test at 5 % (two-sided) rejects, with
    n answers on each side, by summing over every pair of outcomes."""
    k = np.arange(n + 1)
    pmf1, pmf2 = scipy_stats.binom.pmf(k, n, p1), scipy_stats.binom.pmf(k, n, p2)
    s1, s2 = np.meshgrid(k, k, indexing="ij")
    pooled = (s1 + s2) / (2 * n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s2 - s1) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    reject = np.nan_to_num(np.abs(z), nan=0.0) > scipy_stats.norm.ppf(0.975)
    return float((np.outer(pmf1, pmf2) * reject).sum())


@pytest.mark.parametrize("share", [0.5, 0.62, 0.8, 0.9])
def test_answers_needed_for_a_ten_point_change(share):
    needed = needed_per_period(share)
    # Whichever way needs more: towards one half, where a share varies most.
    other = share - 0.1 if share > 0.5 else share + 0.1
    assert exact_power(needed, share, other) == pytest.approx(0.80, abs=0.02)
    assert exact_power(round(needed * 0.8), share, other) < 0.76
    # Cohen's effect size h (arcsine scale, variance 1/n a side), an approximation of its
    # own, agrees within 3 %.
    h = abs(2 * math.asin(math.sqrt(other)) - 2 * math.asin(math.sqrt(share)))
    cohen = 2 * ((scipy_stats.norm.ppf(0.975) + scipy_stats.norm.ppf(0.8)) / h) ** 2
    assert needed == pytest.approx(cohen, rel=0.03)


def test_answers_needed_textbook_values():
    """Fleiss, Levin and Paik (2003), eq. 4.14 without continuity correction: 50 % against
    60 % needs (1.96 sqrt(2 x .55 x .45) + .8416 sqrt(.25 + .24))² / .01 = 387.3, so 388 a
    group; against 70 %, (1.96 sqrt(2 x .6 x .4) + .8416 sqrt(.25 + .21))² / .04 = 93.0."""
    assert needed_per_period(0.5) == 388
    assert needed_per_period(0.5, change=0.2) == 93
    assert needed_per_period(1.0) == needed_per_period(0.0)  # only one way stays in 0-1
    with pytest.raises(ValueError):
        needed_per_period(0.5, change=0.0)
    with pytest.raises(ValueError):
        needed_per_period(1.2)
