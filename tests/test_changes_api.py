"""GET /api/v1/changes: each cell of a released month against the month before or the same
month a year earlier, through the running bot, with the scopes of /scores."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest

from conversations.survey import builtin_surveys
from storage.admin_store import audit_entries
from tests.conftest import driver_answers, office_tokens
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish, within
from tests.test_admin_api import get

scipy_stats = pytest.importorskip("scipy.stats")

DRIVERS = list(builtin_surveys()["hizmet"].report.drivers)
# (plate, service): respondents the month before, and last month. İstanbul trafik goes from
# satisfied to not; Ankara nüfus has 3 respondents last month (hidden, and others with it).
CELLS = {("34", "trafik"): (30, 30), ("34", "nufus"): (20, 22), ("06", "trafik"): (18, 16),
         ("06", "nufus"): (14, 3), ("35", "trafik"): (15, 17), ("35", "nufus"): (16, 15),
         ("16", "trafik"): (17, 15), ("16", "nufus"): (15, 18)}
WORSE = ("34", "trafik")


def month_before(moment):
    return (moment.replace(day=1) - timedelta(days=1)).replace(day=10)


def _answers(plate: str, service: str, number: int, overall: int) -> dict[str, str]:
    return {"service": service, "recency": "d7", "channel": "in_person", "province": plate,
            "traffic_purpose": "fine", "appointment": "no", "wait_time": "lt15",
            "overall": str(overall), **driver_answers(number), "effort": str(1 + number % 7)}


def _month(index: int) -> dict[tuple[str, str], list[dict[str, str]]]:
    """One month's answers by cell; ``index`` 0 the month before, 1 last month."""
    month = {}
    for (plate, service), counts in CELLS.items():
        if (plate, service) == WORSE:
            scores = [4, 5] if index == 0 else [1, 2, 3]
        else:
            scores = [1, 2, 3, 4, 5, 4]
        month[plate, service] = [_answers(plate, service, i, scores[i % len(scores)])
                                 for i in range(counts[index])]
    return month


@pytest.fixture
async def two_months(db):
    """The month before last and last month, released: {month: {cell: answers}}."""
    return await built_once(db, "test_changes_api.two_months", lambda: _two_months(db))


async def _two_months(db):
    data = {}
    for index, moment in enumerate((month_before(last_month()), last_month())):
        data[moment.strftime("%Y-%m")] = month = _month(index)
        await insert_completed(db, "hizmet", [a for answers in month.values() for a in answers],
                               at=moment, prefix=f"month-{index}")
    await publish(db)
    return data


@pytest.fixture
async def tokens(db):
    return await office_tokens(db, "national", "istanbul")


def _by_cell(rows: list[dict]) -> dict:
    return {(r["province"], r["service"]): r for r in rows}


async def test_a_cell_that_clearly_got_worse_reads_worse(bot, tokens, two_months):
    status, body, _ = await get(bot, "/changes", tokens["national"])
    before, after = sorted(two_months)
    assert status == 200
    assert (body["period"], body["against"], body["compared_with"]) == (after, "previous",
                                                                        before)
    assert body["intervals"].startswith("indicative: respondents volunteer")
    fdr = body["false_discovery_rate"]
    assert fdr["method"] == "Benjamini-Hochberg" and fdr["level"] == 0.05
    assert f"across the {fdr['comparisons']} comparisons" in fdr["note"]
    rows = _by_cell(body["rows"])
    worse = rows[WORSE]
    overall = [[int(a["overall"]) for a in two_months[m][WORSE]] for m in (before, after)]
    assert (worse["n_before"], worse["n_after"]) == (30, 30)
    share = worse["satisfied_share"]
    assert (share["before"], share["after"], share["difference"]) == (1.0, 0.0, -1.0)
    assert share["verdict"] == "worse" and share["test"] == "two-proportion z"
    mean = worse["mean"]
    assert mean["difference"] == pytest.approx(statistics.mean(overall[1])
                                               - statistics.mean(overall[0]))
    welch = scipy_stats.ttest_ind(overall[1], overall[0], equal_var=False)
    assert mean["p_value"] == pytest.approx(welch.pvalue, rel=1e-6)
    assert mean["ci95"] == pytest.approx(list(welch.confidence_interval(0.95)))
    assert mean["verdict"] == "worse" and mean["q_value"] >= mean["p_value"]
    assert worse["effort"]["verdict"] == "not_tested" and worse["effort"]["p_value"] is None
    # The same answers both months elsewhere: no clear change.
    same = rows[("34", "nufus")]
    assert same["satisfied_share"]["verdict"] == "no_clear_change"
    assert same["drivers"]["courtesy"]["verdict"] == "no_clear_change"
    tested = [f for r in body["rows"] for f in (r["satisfied_share"], r["mean"],
                                               *r["drivers"].values()) if f["p_value"] is not None]
    assert fdr["comparisons"] == len(tested)


async def test_a_cell_hidden_in_either_month_shows_no_figure_at_all(bot, tokens, two_months):
    national = tokens["national"]
    hidden = set()
    for month in two_months:
        _, scores, _ = await get(bot, f"/scores?period={month}", national)
        hidden |= {(r["province"], r["service"]) for r in scores["rows"] if r["suppressed"]}
    assert ("06", "nufus") in hidden  # 3 respondents last month
    _, body, _ = await get(bot, "/changes", national)
    rows = _by_cell(body["rows"])
    assert set(rows) == set(CELLS)
    for cell in hidden:
        row = rows[cell]
        assert row["n_before"] is None and row["n_after"] is None, cell
        for figure in (row["satisfied_share"], row["mean"], row["effort"],
                       *row["drivers"].values()):
            assert figure["verdict"] == "too_few_answers", cell
            assert {k: v for k, v in figure.items() if k != "verdict"} == dict.fromkeys(
                ("before", "after", "difference", "ci95", "p_value", "q_value", "test")), cell
    assert set(rows) - hidden  # and the others are compared
    for cell in set(rows) - hidden:
        assert rows[cell]["mean"]["verdict"] != "too_few_answers", cell


async def test_a_province_token_sees_only_its_province(bot, tokens, two_months, db):
    token = tokens["istanbul"]
    status, body, _ = await get(bot, "/changes", token)
    assert status == 200 and {r["province"] for r in body["rows"]} == {"34"}
    national = _by_cell((await get(bot, "/changes", tokens["national"]))[1]["rows"])
    for row in body["rows"]:  # the same figures; the verdicts are of a smaller family
        assert row["mean"]["p_value"] == national[row["province"], row["service"]]["mean"][
            "p_value"]
    # The verdicts are judged within the response: its own comparisons only.
    assert body["false_discovery_rate"]["comparisons"] == sum(
        1 for r in body["rows"] for f in (r["satisfied_share"], r["mean"], *r["drivers"].values())
        if f["p_value"] is not None)
    for path in ("/changes?province=06", "/changes?province=6&group_by=service"):
        assert (await get(bot, path, token))[0] == 403, path
    assert (await get(bot, "/changes?province=34&group_by=service", token))[0] == 200
    assert (await get(bot, "/changes"))[0] == 401
    entries = [e for e in await within(db, audit_entries) if e[1] == "changes"]
    assert len(entries) == 3  # the refused ones read nothing
    assert entries[0][2]["province"] == "34" and entries[0][2]["against"] == "previous"


async def test_other_cuts_and_what_is_refused(bot, tokens, two_months):
    national = tokens["national"]
    status, body, _ = await get(bot, "/changes?group_by=region", national)
    assert status == 200 and {r["region"] for r in body["rows"]} == {"TR1", "TR3", "TR4", "TR5"}
    status, body, _ = await get(bot, "/changes?group_by=service&province=34", national)
    assert [r["service"] for r in body["rows"]] == ["nufus", "trafik"]
    for asked in ("group_by=period", "group_by=district,service", "against=week",
                  "service=nonsense", "period=2026-Q1"):
        status, problem, _ = await get(bot, f"/changes?{asked}", national)
        assert status == 400 and problem["detail"], asked
    # A year earlier was never released (no answers then): said, not an empty table.
    status, problem, headers = await get(bot, "/changes?against=year", national)
    assert status == 404 and headers["Content-Type"].startswith("application/problem+json")
    year_before = f"{int(sorted(two_months)[1][:4]) - 1}{sorted(two_months)[1][4:]}"
    assert problem["detail"].startswith(f"{year_before}, the same period a year earlier, "
                                        "has not been released")
    first = sorted(two_months)[0]
    status, problem, _ = await get(bot, f"/changes?period={first}", national)
    assert status == 404 and "the period before" in problem["detail"]


async def test_against_the_same_month_a_year_earlier(bot, tokens, db):
    moment = last_month()
    year_ago = moment.replace(year=moment.year - 1)
    earlier, now = _month(0), _month(1)
    await insert_completed(db, "hizmet", [a for group in earlier.values() for a in group],
                           at=year_ago, prefix="year-ago")
    await insert_completed(db, "hizmet", [a for group in now.values() for a in group],
                           at=moment, prefix="now")
    await publish(db)
    status, body, _ = await get(bot, "/changes?against=year", tokens["national"])
    assert status == 200 and body["compared_with"] == year_ago.strftime("%Y-%m")
    assert _by_cell(body["rows"])[WORSE]["satisfied_share"]["verdict"] == "worse"
    # The month before has no answers: every cell too few.
    _, body, _ = await get(bot, "/changes", tokens["national"])
    assert {r["mean"]["verdict"] for r in body["rows"]} == {"too_few_answers"}
