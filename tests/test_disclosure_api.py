"""Hidden means hidden, tried through the real outputs: an analyst with a national or a
province token reads every table the API allows for a released period and solves for the
hidden cells (tests/attacker.py); the same cell reads the same in every output; the month
still running shows nowhere."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
from itertools import product

import pytest

from admin.tokens import create_token, parse_scope
from conversations.places import districts_of, province_by_plate
from conversations.survey import builtin_surveys
from stats.disclosure import UNSTATED, equations
from storage.releases import read_cells
from tests.attacker import EITHER_WAY, PARTS, Attacker, Seen
from tests.cli import izdes
from tests.conftest import TOKEN_KEY
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish, within
from tests.test_admin_api import get

MIN_CELL = 10
PROVINCES = {"34": 45, "06": 30, "35": 18, "41": 7}  # responses each
SERVICES = ("trafik", "nufus", "goc", "emniyet")
DRIVERS = list(builtin_surveys()["hizmet"].report.drivers)


def _answers(rng: random.Random, plate: str) -> dict[str, str]:
    district = rng.choice([None, *(d.district_id for d in districts_of(plate)[:3])])
    service = rng.choices(SERVICES, weights=(6, 3, 1, 2))[0]
    answers = {"service": service, "recency": "d7", "channel": "in_person", "province": plate,
               "traffic_purpose": "fine", "police_purpose": "report", "appointment": "no",
               "wait_time": "lt15", "interpreter": "no", "overall": str(rng.randint(1, 5)),
               **{d: str(rng.randint(1, 5)) for d in DRIVERS}, "effort": str(rng.randint(1, 7)),
               "comment": f"yorum {rng.randint(0, 10**6)}"}
    if district:
        answers["district"] = str(district)
    if answers["overall"] in ("1", "2"):  # some don't know (drawing nothing more at random)
        answers["timeliness"] = "na"
    return answers


@pytest.fixture
async def analyst_data(db):
    """About a hundred responses last month in four provinces (many small cells), released;
    and a few this month, which must show nowhere."""
    return await built_once(db, "test_disclosure_api.analyst_data", lambda: _analyst_data(db))


async def _analyst_data(db):
    rng = random.Random(14)
    everyone = [_answers(rng, plate) for plate, count in PROVINCES.items()
                for _ in range(count)]
    await insert_completed(db, "hizmet", everyone, at=last_month())
    await publish(db)
    await insert_completed(db, "hizmet", [_answers(rng, "06") for _ in range(3)],
                           prefix="today")
    return everyone


@pytest.fixture
async def analysts(db):
    return {"national": await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık"),
            "06": await create_token(db, TOKEN_KEY, parse_scope("province:06"), "Ankara Valiliği")}


def _key(row: dict, service: str) -> tuple:
    if row.get("link"):
        place = [row.get("district") or UNSTATED, row["link"]]
    elif "district" in row:
        place = [row["district"]]
    else:
        place = []
    if "province" in row:
        place = [province_by_plate(row["province"]).nuts1, row["province"], *place]
    elif "region" in row:
        place = [row["region"]]
    return (row["period"], tuple(place), row["service"] or service)


async def _everything(bot, token: str, national: bool) -> dict[tuple, dict]:
    """Every cell the token can read in the latest period, through every table the API
    allows; fails if one cell reads two ways."""
    places = ["", "region", "province", "district", "link"] if national else [
        "", "district", "link"]
    provinces = [None, *PROVINCES] if national else [None]
    seen: dict[tuple, dict] = {}
    for place, by_service, service, province in product(
            places, (False, True), (None, *SERVICES), provinces):
        group_by = ",".join(filter(None, (place, "service" if by_service else "")))
        query = f"/scores?group_by={group_by or 'period'}"
        query += f"&service={service}" if service else ""
        query += f"&province={province}" if province else ""
        status, body, _ = await get(bot, query, token)
        if status == 400:
            continue
        assert status == 200, (query, body)
        for row in body["rows"]:
            key = _key(row, service or "")
            figures = {k: row[k] for k in ("n", "mean", "satisfied_share", "suppressed")}
            assert seen.setdefault(key, figures) == figures, (query, key)
    return seen


@pytest.mark.parametrize("who", ["national", "06"])
@pytest.mark.heavy
async def test_no_hidden_cell_can_be_worked_out_from_everything_a_token_reads(
        telegram, db, analyst_data, analysts, who):
    from tests.conftest import RunningBot, bot_settings

    running = RunningBot(bot_settings(telegram, db.url, api_requests_per_minute=10_000),
                         telegram)
    await running.start()
    try:
        seen = await _everything(running, analysts[who], who == "national")
    finally:
        await running.stop()
    period = next(iter(seen))[0]
    truth = {}
    for depth in range(5):
        for cell in await within(db, read_cells, "hizmet", (period,), depth, None, None, True) + \
                await within(db, read_cells, "hizmet", (period,), depth, None, "", True):
            truth[(cell.period, tuple(cell.place.split("/")) if cell.place else (),
                   cell.service)] = cell.totals
    assert set(seen) <= set(truth)
    small = [key for key, figures in seen.items() if truth[key]["n"] < MIN_CELL]
    assert small and all(seen[key]["suppressed"] for key in small)
    # The attacker adds, under every place it read, an unknown part that no listed cell
    # covers (answers without a district or a link), and solves. It is given the sums of
    # squares that the intervals give away where they are not clipped.
    cells = {key: Seen(True, f["n"], f["mean"], f["satisfied_share"],
                       truth[key].get("overall_sumsq")) for key, f in seen.items()}
    for (period, place, service) in list(cells):
        if place and len(place) >= 2:
            cells.setdefault((period, (*place[:-1], UNSTATED), service), Seen(False))
    attacker = Attacker(cells, equations(cells))
    # A sample: without the hidden cells' sums, each range is optimised, seconds a cell.
    for key in random.Random(0).sample(sorted(small), min(10, len(small))):
        # Hidden cells are stored with their count only.
        assert attacker.spans(key, PARTS["count"], MIN_CELL - 2, truth[key]["n"]), key
        assert attacker.spans(key, PARTS["sum"], 4 * (MIN_CELL - 2)), key
        for form in EITHER_WAY.values():
            assert attacker.possible(key, form), key


async def test_a_filter_and_a_group_never_leave_one_hidden_cell_between_them(
        bot, analyst_data, analysts):
    """Issue 14, finding 1: a province's total minus its visible services was the hidden
    one."""
    token = analysts["06"]
    _, total, _ = await get(bot, "/scores?group_by=province", token)
    _, by_service, _ = await get(bot, "/scores?group_by=service", token)
    [province] = total["rows"]
    hidden = [row for row in by_service["rows"] if row["suppressed"]]
    assert hidden, "the data should have a small service in Ankara"
    for row in by_service["rows"]:
        _, alone, _ = await get(bot, f"/scores?group_by=province&service={row['service']}",
                                token)
        assert alone["rows"][0]["n"] == row["n"]  # the filter reads the same cell
    assert province["suppressed"] or len(hidden) != 1


async def test_the_same_cell_reads_the_same_in_every_output(bot, db, analyst_data, analysts):
    """Issue 14, finding 4: dashboard JSON, API, `izdes report`, exports and /rapor's CSV."""
    from admin.publish import Publication
    from admin.telegram_report import build_report
    from admin.tokens import Scope
    from conversations.i18n import Texts

    token = analysts["national"]
    _, table, _ = await get(bot, "/scores?group_by=province,service", token)
    cells = {(r["province"], r["service"]): r["n"] for r in table["rows"]}
    for plate in PROVINCES:
        _, page, _ = await get(bot, f"/provinces/{plate}", token)
        assert {(plate, s["service"]): s["n"] for s in page["services"]}.items() <= \
            cells.items()
        _, filtered, _ = await get(bot, f"/scores?group_by=service&province={plate}", token)
        assert {(plate, r["service"]): r["n"] for r in filtered["rows"]}.items() <= \
            cells.items()
    for service in SERVICES:
        _, filtered, _ = await get(bot, f"/scores?group_by=province&service={service}", token)
        assert {(r["province"], service): r["n"] for r in filtered["rows"]}.items() <= \
            cells.items()
    # In a thread: the bot runs on this event loop and may be writing to the database.
    report = json.loads(await asyncio.to_thread(izdes, db.url, "report", "--format", "json"))
    assert {(r["province"], r["service"]): r["n"] for r in report["rows"]} == cells
    _, text, _ = await get(bot, "/export.csv", token)
    exported = {(r["province"], r["service"]): int(r["n"]) if r["n"] else None
                for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
                if r["level"] == "province" and r["service"]}
    assert exported == cells
    made = await build_report(db, builtin_surveys()["hizmet"], Scope(None), "trafik",
                              Publication(MIN_CELL), Texts("tr"))
    lines = list(csv.DictReader(io.StringIO(made.csv_bytes.decode("utf-8-sig"))))
    names = {province_by_plate(p).name: p for p in PROVINCES}
    assert {(names[r["name"]], "trafik"): int(r["n"]) if r["n"] else None
            for r in lines} == {k: v for k, v in cells.items() if k[1] == "trafik"}


async def test_answers_of_a_month_still_running_show_nowhere(bot, db, analyst_data, analysts):
    """Issue 14, finding 2: a figure that moves with each completion gives that answer
    away; so does a comment with its time."""
    token = analysts["national"]
    before = {path: (await get(bot, path, token))[1] for path in (
        "/scores?group_by=province,service", "/provinces/06", "/comments?per_page=100")}
    await insert_completed(db, "hizmet", [_answers(random.Random(1), "06")], prefix="later")
    await publish(db)
    for path, body in before.items():
        assert (await get(bot, path, token))[1] == body, path


async def test_the_running_bot_releases_a_month_that_ended_and_keeps_answering(
        telegram, db, analysts):
    """The bot releases at start (and hourly) in another process: its web server answers
    meanwhile, and the figures are there once it is done."""
    from datetime import UTC, datetime

    from storage.releases import released_periods
    from tests.conftest import RunningBot, bot_settings

    rng = random.Random(3)
    await insert_completed(db, "hizmet", [_answers(rng, "34") for _ in range(40)],
                           at=last_month())
    running = RunningBot(bot_settings(telegram, db.url), telegram)
    await running.start()
    try:
        month = last_month().strftime("%Y-%m")
        for _ in range(300):
            started = datetime.now(UTC)
            status, _, _ = await get(running, "/scores", analysts["national"])
            assert status == 200 and (datetime.now(UTC) - started).total_seconds() < 2
            if month in await within(db, released_periods, "hizmet"):
                break
            await asyncio.sleep(0.1)
        status, body, _ = await get(running, "/scores?group_by=province", analysts["national"])
        assert body["period"] == month and body["rows"][0]["n"] == 40
    finally:
        await running.stop()


async def test_a_hidden_cell_keeps_no_sums_of_its_answers(db, analyst_data):
    """What is stored of a released cell: a hidden one its count only, a visible one the
    sums of what it shows."""
    from sqlalchemy import select

    from storage.models import ReleasedCell

    async with db.transaction() as session:
        cells = list(await session.scalars(select(ReleasedCell)))
    hidden = [cell for cell in cells if cell.hidden]
    assert hidden and all(set(cell.totals) == {"n"} for cell in hidden)
    visible = [cell for cell in cells if not cell.hidden]
    assert all("overall_sum" in cell.totals for cell in visible)
    # Nor a visible cell the answers to a driver or the effort it does not show.
    withheld = [cell for cell in visible if None in cell.figures["drivers"].values()]
    assert withheld and all(set(cell.totals["drivers"]) == {
        d for d, value in cell.figures["drivers"].items() if value is not None}
        for cell in visible)
    assert all(cell.totals["effort_n"] == 0 for cell in visible if cell.figures["effort"] is None)
