"""stats.reevaluation: equal windows of released periods around a finding's action, pooled
from published cells only and compared. Reference values come from scipy on the raw answers
of the pooled periods, never from the modules themselves."""

from __future__ import annotations

import math
import random

import pytest

from stats.changes import needed_per_period
from stats.published_changes import ReleasedSide
from stats.reevaluation import Verdict, re_evaluate, windows

scipy_stats = pytest.importorskip("scipy.stats")
np = pytest.importorskip("numpy")

DRIVERS = ("timeliness", "courtesy")


def answers(rng: random.Random, n: int, satisfied_share: float) -> list[dict]:
    """n answers: overall 4-5 with the share given, 1-3 otherwise; drivers 1-5."""
    made = []
    for _ in range(n):
        overall = rng.choice((4, 5)) if rng.random() < satisfied_share else rng.choice((1, 2, 3))
        made.append({"overall": overall,
                     "drivers": {name: rng.randint(1, 5) for name in DRIVERS}})
    return made


def side(made: list[dict], hidden: bool = False, withheld: tuple[str, ...] = ()
         ) -> ReleasedSide:
    """A released cell as admin.publish stores it: totals as JSON, figures (n and the
    drivers shown; None for a withheld driver); a hidden cell shows nothing."""
    overall = [a["overall"] for a in made]
    totals = {"n": len(made), "overall_sum": sum(overall),
              "overall_sumsq": sum(x * x for x in overall),
              "satisfied": sum(x >= 4 for x in overall),
              "drivers": {name: [len(made), sum(a["drivers"][name] for a in made)]
                          for name in DRIVERS}}
    figures = {"n": len(made), "drivers": {
        name: None if name in withheld else 25.0 * (totals["drivers"][name][1] / len(made) - 1)
        for name in DRIVERS}}
    if hidden:
        return ReleasedSide(True, None, {"n": len(made)})
    return ReleasedSide(False, figures, totals)


MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize(("action", "released", "before", "after"), [
    ("2026-05", MONTHS[:5], [], []),  # the action's month is released, none after it
    ("2026-05", MONTHS[:6], ["2026-04"], ["2026-06"]),
    ("2026-05", MONTHS[:7], ["2026-03", "2026-04"], ["2026-06", "2026-07"]),
    ("2026-05", MONTHS, ["2026-02", "2026-03", "2026-04"], ["2026-06", "2026-07", "2026-08"]),
    ("2026-01", MONTHS[:3], ["2025-11", "2025-12"], ["2026-02", "2026-03"]),
    ("2026-Q2", ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], ["2026-Q1"], ["2026-Q3"]),
    ("2025", ["2024", "2025", "2026"], ["2024"], ["2026"]),
])
def test_windows_are_equal_and_leave_the_actions_period_out(action, released, before, after):
    assert windows(action, set(released)) == (before, after)


def test_nothing_to_re_evaluate_until_a_period_after_the_action_is_released():
    rng = random.Random(1)
    cells = {month: side(answers(rng, 40, 0.5)) for month in MONTHS[:5]}
    assert re_evaluate("2026-05", set(MONTHS[:5]), cells, DRIVERS) is None


def test_pooled_windows_against_scipy_on_the_raw_answers():
    rng = random.Random(7)
    raw = {month: answers(rng, 60, 0.75 if month < "2026-05" else 0.45)
           for month in MONTHS[:8]}
    cells = {month: side(made) for month, made in raw.items()}
    result = re_evaluate("2026-05", set(MONTHS[:8]), cells, DRIVERS)
    assert result is not None and result.after.periods == ("2026-06", "2026-07", "2026-08")
    before = [a for m in ("2026-02", "2026-03", "2026-04") for a in raw[m]]
    after = [a for m in ("2026-06", "2026-07", "2026-08") for a in raw[m]]
    s1, s2 = (sum(a["overall"] >= 4 for a in side_) for side_ in (before, after))
    share = result.changes.share
    assert share.difference == pytest.approx(s2 / len(after) - s1 / len(before))
    _, p, _, _ = scipy_stats.chi2_contingency(
        [[s1, len(before) - s1], [s2, len(after) - s2]], correction=False)
    assert share.p_value == pytest.approx(p)
    assert share.ci95[0] < share.difference < share.ci95[1] < 0
    welch = scipy_stats.ttest_ind([a["overall"] for a in after],
                                  [a["overall"] for a in before], equal_var=False)
    assert result.changes.mean.p_value == pytest.approx(welch.pvalue)
    driver = result.changes.drivers["timeliness"]
    mean_of = [np.mean([a["drivers"]["timeliness"] for a in s]) for s in (before, after)]
    assert driver.difference == pytest.approx(25.0 * (mean_of[1] - mean_of[0]))
    assert result.verdict is Verdict.WORSE
    assert result.needed_per_window == needed_per_period(s1 / len(before))
    assert result.needed_per_window > 180 and result.answers_needed == 0  # found all the same


def test_a_clear_improvement_is_improved():
    rng = random.Random(3)
    cells = {m: side(answers(rng, 80, 0.3 if m < "2026-05" else 0.8)) for m in MONTHS[:6]}
    result = re_evaluate("2026-05", set(MONTHS[:6]), cells, DRIVERS)
    assert result.verdict is Verdict.IMPROVED and result.changes.share.ci95[0] > 0


def test_a_hidden_period_is_left_out_and_named():
    rng = random.Random(11)
    raw = {m: answers(rng, 50, 0.6) for m in MONTHS[:8]}
    cells = {m: side(made, hidden=m == "2026-03") for m, made in raw.items()}
    result = re_evaluate("2026-05", set(MONTHS[:8]), cells, DRIVERS)
    assert result.before.pooled == ("2026-02", "2026-04")
    assert result.before.left_out == ("2026-03",)
    assert result.before.totals.n == 100  # not 150: the hidden month's answers are not in
    pooled = raw["2026-02"] + raw["2026-04"]
    assert result.changes.share.before == pytest.approx(
        sum(a["overall"] >= 4 for a in pooled) / 100)


def test_a_window_with_nothing_published_has_not_enough_answers():
    rng = random.Random(5)
    cells = {m: side(answers(rng, 50, 0.6), hidden=m == "2026-06") for m in MONTHS[:6]}
    result = re_evaluate("2026-05", set(MONTHS[:6]), cells, DRIVERS)
    assert result.verdict is Verdict.NOT_ENOUGH_ANSWERS and result.changes is None
    assert result.after.left_out == ("2026-06",) and result.answers_needed is None


def test_a_driver_withheld_in_one_pooled_period_is_not_compared():
    rng = random.Random(9)
    cells = {m: side(answers(rng, 50, 0.6), withheld=("courtesy",) if m == "2026-07" else ())
             for m in MONTHS[:8]}
    result = re_evaluate("2026-05", set(MONTHS[:8]), cells, DRIVERS)
    assert result.changes.drivers["courtesy"] is None
    assert result.changes.drivers["timeliness"] is not None
    assert result.after.drivers == ("timeliness",)


def test_few_answers_say_how_many_more_the_window_after_needs():
    rng = random.Random(2)
    cells = {m: side(answers(rng, 12, 0.6)) for m in MONTHS[:6]}
    result = re_evaluate("2026-05", set(MONTHS[:6]), cells, DRIVERS)
    share = result.changes.share
    assert share.p_value > 0.05 and result.verdict is Verdict.NOT_ENOUGH_ANSWERS
    # Fleiss's formula computed here again, up and down from the share before.
    p1 = share.before
    z_a, z_b = scipy_stats.norm.ppf(0.975), scipy_stats.norm.ppf(0.8)
    need = 0.0
    for p2 in (p1 + 0.1, p1 - 0.1):
        mean = (p1 + p2) / 2
        root = (z_a * math.sqrt(2 * mean * (1 - mean))
                + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
        need = max(need, root * root / 0.01)
    assert result.answers_needed == math.ceil(need) - 12 > 0


def test_enough_answers_and_the_same_share_is_no_measurable_change():
    rng = random.Random(4)
    cells = {m: side(answers(rng, 500, 0.6)) for m in MONTHS[:8]}
    result = re_evaluate("2026-05", set(MONTHS[:8]), cells, DRIVERS)
    assert result.changes.share.p_value > 0.05, "seeded: the same share on each side"
    assert result.verdict is Verdict.NO_MEASURABLE_CHANGE and result.answers_needed == 0
