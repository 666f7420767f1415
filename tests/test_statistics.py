"""admin.survey_statistics: intervals, cell figures, small-cell suppression and key drivers.

Reference values come from scipy/numpy on raw generated values, never from the module itself.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections import defaultdict

import pytest

from admin.survey_statistics import (
    Cell,
    CellTotals,
    cell_stats,
    key_drivers,
    merge_totals,
    recoverable,
    suppress,
    t_critical,
    t_interval,
    table_stats,
    wilson_interval,
    withheld_totals,
)

Key = tuple[str, ...]


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


def groups_of(cells: dict[Key, int], margins: list[tuple[int, ...]]) -> dict[tuple, list[Key]]:
    """Non-empty cells by (margin, group key), computed here independently of the module."""
    groups: dict[tuple, list[Key]] = defaultdict(list)
    for key, n in cells.items():
        if n > 0:
            for margin in margins:
                groups[(margin, tuple(key[i] for i in margin))].append(key)
    return groups


def lone_hidden(groups: dict[tuple, list[Key]], hidden: set[Key]) -> set[tuple]:
    return {g for g, members in groups.items() if len(members) == 1 and members[0] in hidden}


def determined_by_rank(cells: dict[Key, int], hidden: set[Key],
                       margins: list[tuple[int, ...]]) -> set[Key]:
    """Hidden cells fixed by the published totals: e_d lies in the row space of the system
    (published groups x hidden cells). numpy rank, independent of the module's elimination."""
    np = pytest.importorskip("numpy")
    groups = groups_of(cells, margins)
    withheld = lone_hidden(groups, hidden)
    columns = sorted(hidden)
    index = {key: i for i, key in enumerate(columns)}
    rows = []
    for group, members in groups.items():
        if group in withheld:
            continue
        row = [0.0] * len(columns)
        for key in members:
            if key in hidden:
                row[index[key]] = 1.0
        if any(row):
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for key in columns:
        unit = np.zeros(len(columns))
        unit[index[key]] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


def as_cells(table: dict[Key, int]) -> list[Cell]:
    return [Cell(key, n) for key, n in table.items()]


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


def test_primary_suppression_only_small_non_empty_cells():
    table = {("06", "a"): 3, ("06", "b"): 0, ("06", "c"): 5, ("34", "a"): 1, ("34", "b"): 40}
    assert suppress(as_cells(table), 5, margins=[]) == {("06", "a"), ("34", "a")}
    assert suppress(as_cells(table), 1, margins=[]) == set()


def test_secondary_suppression_one_margin():
    table = {
        ("P1", "a"): 3, ("P1", "b"): 12, ("P1", "c"): 7,   # + smallest other: c
        ("P2", "a"): 20, ("P2", "b"): 4, ("P2", "c"): 4,   # two primary: nothing more
        ("P3", "a"): 10, ("P3", "b"): 15,                  # nothing
        ("P4", "a"): 2, ("P4", "b"): 0,                    # alone: its total is withheld
        ("P5", "a"): 1, ("P5", "b"): 9, ("P5", "c"): 9,    # tie on 9 broken by key: b
    }
    margins = [(0,)]
    hidden = suppress(as_cells(table), 5, margins)
    assert hidden == {("P1", "a"), ("P1", "c"), ("P2", "b"), ("P2", "c"), ("P4", "a"),
                      ("P5", "a"), ("P5", "b")}
    assert withheld_totals(as_cells(table), hidden, margins) == {((0,), ("P4",))}
    assert suppress(as_cells(table), 5, margins, strict=False) == hidden
    assert recoverable(as_cells(table), hidden, margins) == set()


def test_secondary_suppression_two_margins_creates_new_singletons():
    #        x   y   z
    #   A    2  10  20      (A, x) primary
    #   B   30  11  40
    #   C   50  60  70
    # Row A: hide (A, y) = 10, which leaves column y with one hidden cell; column x: hide
    # (B, x) = 30; column y: hide (B, y) = 11; row B now has two. A 2x2 block results.
    table = {(r, c): n for (r, c), n in zip(
        itertools.product("ABC", "xyz"), [2, 10, 20, 30, 11, 40, 50, 60, 70], strict=True)}
    margins = [(0,), (1,)]
    expected = {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}
    assert suppress(as_cells(table), 5, margins, strict=False) == expected
    assert suppress(as_cells(table), 5, margins) == expected
    # one margin only: row A suffices
    assert suppress(as_cells(table), 5, [(0,)]) == {("A", "x"), ("A", "y")}
    assert determined_by_rank(table, expected, margins) == set()


def test_secondary_prefers_a_cell_whose_total_does_not_show_it():
    #        c1  c2  c3
    #   r1    2   6   9     (r1, c2) is alone in column c2: hiding it would not hide it
    #   r2   20   .  30
    table = {("r1", "c1"): 2, ("r1", "c2"): 6, ("r1", "c3"): 9,
             ("r2", "c1"): 20, ("r2", "c3"): 30}
    margins = [(0,), (1,)]
    hidden = suppress(as_cells(table), 5, margins)
    assert hidden == {("r1", "c1"), ("r1", "c3"), ("r2", "c1"), ("r2", "c3")}
    assert determined_by_rank(table, hidden, margins) == set()
    # the naive choice would give (r1, c1) away: row r1 total - column c2 total - (r1, c3)
    naive = {("r1", "c1"), ("r1", "c2")}
    assert ("r1", "c1") in determined_by_rank(table, naive, margins)


def test_strict_audit_breaks_a_bridge_between_two_blocks():
    # Two 2x2 blocks of primary cells linked by one primary cell (r1, c3): every row and column
    # has zero or two+ hidden cells, yet (r1, c3) = rows r1+r2 - columns c1+c2 (hidden parts).
    table = {
        ("r1", "c1"): 2, ("r1", "c2"): 3, ("r2", "c1"): 3, ("r2", "c2"): 2,
        ("r3", "c3"): 2, ("r3", "c4"): 3, ("r4", "c3"): 3, ("r4", "c4"): 2,
        ("r1", "c3"): 1,
        ("r1", "c5"): 30, ("r2", "c5"): 70, ("r3", "c5"): 80, ("r4", "c5"): 90,
        ("r5", "c5"): 40, ("r5", "c1"): 50, ("r5", "c2"): 11, ("r5", "c3"): 60, ("r5", "c4"): 12,
    }
    margins = [(0,), (1,)]
    loose = suppress(as_cells(table), 5, margins, strict=False)
    assert loose == {k for k, n in table.items() if n < 5}
    assert determined_by_rank(table, loose, margins) == {("r1", "c3")}
    assert recoverable(as_cells(table), loose, margins) == {("r1", "c3")}
    strict = suppress(as_cells(table), 5, margins)
    assert strict == loose | {("r5", "c2"), ("r5", "c4")}
    assert determined_by_rank(table, strict, margins) == set()
    assert recoverable(as_cells(table), strict, margins) == set()


def test_suppression_is_deterministic_and_ignores_input_order():
    rng = random.Random(11)
    table = {(f"{p:02d}", s): rng.choice([0, 1, 3, 6, 9, 14, 30])
             for p in range(1, 12) for s in "abcdef"}
    cells = as_cells(table)
    first = suppress(cells, 5, [(0,), (1,)])
    for _ in range(5):
        rng.shuffle(cells)
        assert suppress(cells, 5, [(0,), (1,)]) == first


def test_suppression_rejects_bad_tables():
    with pytest.raises(ValueError):
        suppress([Cell(("a",), 1), Cell(("a",), 2)], 5, [])
    with pytest.raises(ValueError):
        suppress([Cell(("a", "b"), 1), Cell(("a",), 2)], 5, [])
    with pytest.raises(ValueError):
        suppress([Cell(("a",), -1)], 5, [])
    with pytest.raises(ValueError):
        suppress([Cell(("a", "b"), 1)], 5, [(2,)])


def _random_table(rng: random.Random, shape: tuple[int, ...]) -> dict[Key, int]:
    values = [0, 0, 1, 2, 3, 4, 5, 6, 8, 13, 21, 40]
    return {
        tuple(f"{dim}{i}" for dim, i in zip("pqr", index, strict=False)): rng.choice(values)
        for index in itertools.product(*(range(size) for size in shape))
    }


@pytest.mark.parametrize("strict", [False, True])
def test_no_hidden_cell_is_a_total_minus_visible_cells(strict):
    """Exhaustive check on many random small tables: after suppression no published margin
    group has exactly one hidden cell, so no hidden cell is its total minus visible cells. The
    only exception is a group whose one non-empty cell is hidden: its total is withheld."""
    rng = random.Random(2024)
    layouts = [
        ((2, 2), [(0,)]), ((3, 4), [(1,)]), ((3, 3), [(0,), (1,)]), ((4, 5), [(0,), (1,)]),
        ((5, 3), [(0,), (1,), ()]), ((2, 3, 3), [(0, 1), (2,)]),
        ((2, 3, 2), [(0,), (1,), (2,)]), ((3, 2, 2), [(0, 1), (0, 2), (1, 2)]),
    ]
    for _ in range(150):
        for shape, margins in layouts:
            table = _random_table(rng, shape)
            min_cell = rng.choice([3, 5, 10])
            hidden = suppress(as_cells(table), min_cell, margins, strict=strict)
            non_empty = {k for k, n in table.items() if n > 0}
            assert {k for k in non_empty if table[k] < min_cell} <= hidden <= non_empty
            groups = groups_of(table, margins)
            withheld = lone_hidden(groups, hidden)
            expected_withheld = {(margin, group) for margin, group in withheld}
            assert withheld_totals(as_cells(table), hidden, margins) == expected_withheld
            for group, members in groups.items():
                if group in withheld:
                    continue
                in_group = [k for k in members if k in hidden]
                # a single unknown in "total = sum of members" would be solvable
                assert len(in_group) != 1, (table, margins, group, hidden)


def test_every_2x3_table_is_protected():
    """All 2x3 tables with counts 0, 2 (primary), 6 and 9, published with both margins."""
    pytest.importorskip("numpy")
    margins = [(0,), (1,)]
    keys = list(itertools.product("ab", "xyz"))
    for values in itertools.product([0, 2, 6, 9], repeat=len(keys)):
        table = dict(zip(keys, values, strict=True))
        hidden = suppress(as_cells(table), 5, margins)
        groups = groups_of(table, margins)
        withheld = lone_hidden(groups, hidden)
        for group, members in groups.items():
            if group not in withheld:
                assert sum(k in hidden for k in members) != 1, (table, hidden)
        everything = {k for k, n in table.items() if n > 0}
        assert determined_by_rank(table, hidden, margins) <= determined_by_rank(
            table, everything, margins)


def test_recoverable_matches_rank_and_strict_leaves_only_what_totals_give_away():
    """The module's exact elimination agrees with numpy ranks; strict suppression leaves no
    recoverable cell except ones the totals determine even with every cell hidden."""
    pytest.importorskip("numpy")
    rng = random.Random(99)
    layouts = [((4, 5), [(0,), (1,)]), ((5, 5), [(0,), (1,), ()]),
               ((2, 3, 3), [(0,), (1,), (2,)]), ((3, 3, 2), [(0, 1), (1, 2)])]
    stricter = 0
    for _ in range(60):
        for shape, margins in layouts:
            table = _random_table(rng, shape)
            cells = as_cells(table)
            loose = suppress(cells, 5, margins, strict=False)
            assert recoverable(cells, loose, margins) == determined_by_rank(table, loose, margins)
            strict = suppress(cells, 5, margins)
            assert loose <= strict
            stricter += loose != strict
            left = determined_by_rank(table, strict, margins)
            assert recoverable(cells, strict, margins) == left
            everything = {k for k, n in table.items() if n > 0}
            assert left <= determined_by_rank(table, everything, margins)
    assert stricter > 0  # the audit matters on such tables


def test_table_stats_applies_suppression_to_cells_and_margins():
    def cell(n: int, score: int = 4) -> CellTotals:
        return totals_from([{"overall": score, "drivers": {"a": score}}] * n)

    totals = {("06", "x"): cell(2), ("06", "y"): cell(30), ("06", "z"): cell(12, 5),
              ("34", "x"): cell(40), ("34", "y"): cell(50), ("35", "x"): cell(3)}
    result = table_stats(totals, 5, [(0,)])
    hidden = {key for key, stats in result.cells.items() if stats.suppressed}
    assert hidden == {("06", "x"), ("06", "z"), ("35", "x")}
    assert all(result.cells[k].mean is None for k in hidden)
    assert result.cells[("06", "y")].mean == 4.0
    provinces = result.margins[(0,)]
    assert provinces[("06",)].n == 44 and not provinces[("06",)].suppressed
    assert provinces[("06",)].mean == pytest.approx((2 * 4 + 30 * 4 + 12 * 5) / 44)
    assert provinces[("06",)].drivers["a"] == pytest.approx(((2 * 4 + 30 * 4 + 12 * 5) / 44 - 1)
                                                           * 25)
    assert provinces[("35",)].suppressed and provinces[("35",)].public()["n"] is None
    assert provinces[("34",)].n == 90


def test_table_stats_withholds_a_total_equal_to_a_hidden_cell():
    def cell(n: int) -> CellTotals:
        return totals_from([{"overall": 3}] * n)

    #        c1  c2
    #   r0   20   2     (r0, c2) primary; (r0, c1) and (r1, c2) are hidden to protect it,
    #   r1    .   8     and each is alone in its column or row: those totals are withheld
    totals = {("r0", "c1"): cell(20), ("r0", "c2"): cell(2), ("r1", "c2"): cell(8)}
    margins = [(0,), (1,)]
    result = table_stats(totals, 5, margins)
    assert {k for k, s in result.cells.items() if s.suppressed} == set(totals)
    assert {(m, g) for m, groups in result.margins.items() for g, s in groups.items()
            if s.suppressed} == {((0,), ("r1",)), ((1,), ("c1",))}
    assert result.margins[(0,)][("r0",)].n == 22
    assert result.margins[(1,)][("c2",)].n == 10
    assert determined_by_rank({k: t.n for k, t in totals.items()}, set(totals), margins) == set()


# --------------------------------------------------------------------------- key drivers


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
