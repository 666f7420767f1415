"""The staff's figures (İZDES1) as the ministry and a governor's office read them: 12 staff of
İstanbul's police units answer and their figures appear; 4 of Ankara's gendarmerie do not,
and nothing about them shows anywhere - the API's tables, the province page, comments, the
key-driver view, exports, microdata, `izdes report`, /rapor. By whole quarter only, by
province and unit type only, with the staff's own smallest cell."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from admin.publish import Publication, publish_due
from admin.tokens import create_token, parse_scope
from conversations.links import NewLink, new_payload, new_stats_code, stats_code_digest
from conversations.survey import builtin_surveys
from storage.links import create_link
from storage.releases import read_cells, released_periods
from tests.cli import izdes, run_izdes
from tests.conftest import TOKEN_KEY
from tests.snapshots import built_once
from tests.stored import insert_completed, within
from tests.test_admin_api import get
from tests.test_dashboard import browser, page  # noqa: F401 (the dashboard's fixtures)

DRIVERS = ["personnel", "equipment", "vehicles", "it_systems", "building", "training",
           "workload"]
POLICE, GENDARMERIE = 12, 4
KADIKOY = 7  # of İstanbul's twelve police, through Kadıköy's link; the rest Beşiktaş's
# Elsewhere in the country (real data has 81 provinces): with İstanbul's police and Ankara's
# gendarmes alone, Türkiye minus İstanbul would be Ankara, and hiding it hides İstanbul too.
# Each through two units' links: a cell one unit dominates is hidden however large.
BACKGROUND = {("35", "nufus"): (3, 3), ("16", "afad"): (4, 3)}
STAFF_MIN_CELL = 5
UNITS = [c.value for c in builtin_surveys()["personel"].question("service").choices]


def last_quarter() -> datetime:
    """A moment in the calendar quarter before this one (UTC): a period that has ended."""
    now = datetime.now(UTC)
    first_month = (now.month - 1) // 3 * 3 + 1
    start = now.replace(month=first_month, day=1, hour=12, minute=0, second=0, microsecond=0)
    return (start - timedelta(days=40)).replace(day=15)


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def staff_answers(unit: str, province: str, number: int, marker: str) -> dict[str, str]:
    return {"service": unit, "province": province, "works_here": "yes",
            "readiness": str(1 + number % 5),
            **{d: str(1 + (number * (i + 2)) % 5) for i, d in enumerate(DRIVERS)},
            "training_need": "it", "hinders": "other",
            "hinders_other": f"{marker} engel {number}", "needs": "personnel,vehicles",
            "proposal": f"{marker} önerisi {number:02d}"}


async def unit_invitation(db, province: str, unit: str, name: str):
    link = NewLink(payload=new_payload(), stats_digest=stats_code_digest(new_stats_code()),
                   label=name, province=province, service=unit, survey_key="personel")
    link_id = await within(db, create_link, link)
    from storage.links import link_place
    return await within(db, link_place, link_id)


@pytest.fixture
async def staff_data(db):
    """12 staff of two police units in İstanbul and 4 of a gendarmerie unit in Ankara
    answered last quarter; released as the bot releases it (staff cell 5, citizens' 10, by
    month)."""
    return await built_once(db, "test_staff_figures.staff_data", lambda: _staff_data(db))


async def _staff_data(db):
    at = last_quarter()
    police = [staff_answers("emniyet", "34", n, "polis") for n in range(POLICE)]
    gendarmes = [staff_answers("jandarma", "06", n, "jandarma") for n in range(GENDARMERIE)]
    kadikoy = await unit_invitation(db, "34", "emniyet", "Kadıköy İlçe Emniyet Müdürlüğü")
    besiktas = await unit_invitation(db, "34", "emniyet", "Beşiktaş İlçe Emniyet Müdürlüğü")
    cankaya = await unit_invitation(db, "06", "jandarma", "Çankaya İlçe Jandarma Komutanlığı")
    await insert_completed(db, "personel", police[:KADIKOY], link=kadikoy, prefix="kadikoy",
                           at=at)
    await insert_completed(db, "personel", police[KADIKOY:], link=besiktas,
                           prefix="besiktas", at=at)
    await insert_completed(db, "personel", gendarmes, link=cankaya, prefix="jandarma", at=at)
    await background_staff(db, at)
    released = await publish_due(db, builtin_surveys(), Publication(10, "month", 5),
                                 datetime.now(UTC))
    assert f"personel {quarter_of(at)}" in released
    return police, gendarmes


async def background_staff(db, at: datetime) -> None:
    for (plate, unit), sizes in BACKGROUND.items():
        answers = [staff_answers(unit, plate, n, unit) for n in range(sum(sizes))]
        for number, size in enumerate(sizes):
            link = await unit_invitation(db, plate, unit, f"{unit} {number}")
            await insert_completed(db, "personel", answers[:size], link=link,
                                   prefix=f"{unit}-{number}", at=at)
            answers = answers[size:]


async def test_the_staff_are_released_by_quarter_and_province_only(db, staff_data):
    police, _ = staff_data
    periods = await within(db, released_periods, "personel")
    assert periods == {quarter_of(last_quarter())}  # never a month, whatever IZDES_PERIOD
    period = periods.pop()
    for depth in (3, 4):  # no district, no link (one unit) at all
        assert await within(db, read_cells, "personel", (period,), depth, None, "") == []
    [istanbul] = await within(db, read_cells, "personel", (period,), 2, "34", "emniyet")
    assert not istanbul.hidden and istanbul.figures["n"] == POLICE
    assert istanbul.figures["mean"] == pytest.approx(
        statistics.mean(int(a["readiness"]) for a in police))
    for driver in DRIVERS:
        assert istanbul.figures["drivers"][driver] == pytest.approx(
            (statistics.mean(int(a[driver]) for a in police) - 1) / 4 * 100)
    [ankara] = await within(db, read_cells, "personel", (period,), 2, "06", "jandarma")
    assert ankara.hidden and ankara.figures is None and ankara.totals is None


@pytest.mark.parametrize("sizes", [(12,), (11, 2), (4, 4, 4)],
                         ids=["one unit", "one dominates", "one unit under three links"])
async def test_one_units_staff_are_never_shown_however_many_answer(db, sizes):
    """AFAD, göç or 112 often have one unit in a province, and a governor's office could
    invite one police station as a kind of unit no one else is: twelve of one unit, or
    eleven beside two of another, are that unit's figures, which the staff were told no one
    sees. Hidden everywhere, as a small cell is; the two police units beside them show."""
    at = last_quarter()
    kadikoy = await unit_invitation(db, "34", "emniyet", "Kadıköy İlçe Emniyet Müdürlüğü")
    besiktas = await unit_invitation(db, "34", "emniyet", "Beşiktaş İlçe Emniyet Müdürlüğü")
    police = [staff_answers("emniyet", "34", n, "polis") for n in range(POLICE)]
    await insert_completed(db, "personel", police[:6], link=kadikoy, prefix="k", at=at)
    await insert_completed(db, "personel", police[6:], link=besiktas, prefix="b", at=at)
    await background_staff(db, at)
    for plate in ("06", "35", "42"):  # police elsewhere, two units each
        for unit in range(2):
            link = await unit_invitation(db, plate, "emniyet", f"{plate} emniyet {unit}")
            await insert_completed(db, "personel", [
                staff_answers("emniyet", plate, n, "polis") for n in range(3)], link=link,
                                   prefix=f"{plate}-{unit}", at=at)
    afad = [staff_answers("afad", "07", n, "afad") for n in range(sum(sizes))]
    for number, size in enumerate(sizes):
        # Three links of one unit (made before the refusal, or renamed in case only) count
        # as the one unit they are.
        name = "Antalya AFAD " if len(sizes) == 3 else f"Antalya AFAD {number}"
        link = await unit_invitation(db, "07", "afad", name.upper() if number else name)
        await insert_completed(db, "personel", afad[:size], link=link, prefix=f"a{number}",
                               at=at)
        afad = afad[size:]
    await publish_due(db, builtin_surveys(), Publication(10, "month", 5), datetime.now(UTC))
    period = quarter_of(at)
    cells = {(c.place, c.service): c for depth in range(3) for service in (None, "")
             for c in await within(db, read_cells, "personel", (period,), depth, None,
                                   service, True)}
    antalya = cells[("TR6/07", "afad")]
    assert antalya.hidden and antalya.figures is None
    assert cells[("TR6/07", "")].hidden  # Antalya's staff of every kind: the same unit
    assert cells[("TR6", "afad")].hidden and cells[("TR6", "")].hidden
    istanbul = cells[("TR1/34", "emniyet")]
    assert not istanbul.hidden and istanbul.figures["n"] == POLICE


@pytest.fixture
async def readers(db):
    return {"national": await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık"),
            "06": await create_token(db, TOKEN_KEY, parse_scope("province:06"),
                                     "Ankara Valiliği"),
            "microdata": await create_token(db, TOKEN_KEY, parse_scope("microdata"),
                                            "Ayşe Yılmaz", "İZDES1 analizi")}


def place_of(row: dict) -> tuple[str, ...]:
    from conversations.places import province_by_plate

    if "province" in row:
        return (province_by_plate(row["province"]).nuts1, row["province"])
    return (row["region"],) if "region" in row else ()


async def everything(bot, token: str, national: bool) -> dict[tuple, dict]:
    """Every cell of the staff survey the token can read, through every table the API
    allows; each cell must read the same in each."""
    seen: dict[tuple, dict] = {}
    places = ["", "region", "province"] if national else [""]
    for place in places:
        for by_service in (False, True):
            for unit in (None, *UNITS):
                for province in ([None, "34", "06"] if national else [None]):
                    group_by = ",".join(filter(None, (place, "service" if by_service
                                                      else ""))) or "period"
                    query = f"/scores?survey=personel&group_by={group_by}"
                    query += f"&service={unit}" if unit else ""
                    query += f"&province={province}" if province else ""
                    status, body, _ = await get(bot, query, token)
                    if status == 400:
                        continue
                    assert status == 200, (query, body)
                    for row in body["rows"]:
                        key = (row["period"], place_of(row), row["service"] or unit or "")
                        figures = {k: row[k] for k in ("n", "mean", "satisfied_share",
                                                       "suppressed", "drivers")}
                        assert seen.setdefault(key, figures) == figures, (query, key)
    return seen


GENDARMES = ((), ("TR5",), ("TR5", "06"))  # the places whose jandarma cell is the four


@pytest.fixture
async def analyst_bot(telegram, db):
    """The bot, for a reader who asks for every table (more than a token's minute allows)."""
    from tests.conftest import RunningBot, bot_settings

    running = RunningBot(bot_settings(telegram, db.url, api_requests_per_minute=10_000),
                         telegram)
    await running.start()
    yield running
    await running.stop()


@pytest.mark.parametrize("who", ["national", "06"])
async def test_twelve_show_and_four_show_nowhere_in_the_api(analyst_bot, db, staff_data,
                                                           readers, who):
    from stats.disclosure import equations
    from tests.attacker import EITHER_WAY, PARTS, Attacker, Seen

    police, _ = staff_data
    period = quarter_of(last_quarter())
    seen = await everything(analyst_bot, readers[who], who == "national")
    assert {key[0] for key in seen} == {period}  # by quarter only
    if who == "national":
        istanbul = seen[(period, ("TR1", "34"), "emniyet")]
        assert not istanbul["suppressed"] and istanbul["n"] == POLICE
        assert istanbul["mean"] == pytest.approx(
            statistics.mean(int(a["readiness"]) for a in police))
    for place in GENDARMES:
        key = (period, place, "jandarma")
        assert key not in seen or seen[key]["suppressed"], key
    shown = [f for f in seen.values() if not f["suppressed"]]
    assert all(f["n"] >= STAFF_MIN_CELL for f in shown)
    assert not any(f["n"] == GENDARMERIE for f in shown)
    # An analyst with every figure the token reads cannot narrow the four down.
    truth = {}
    for depth in range(3):
        for service in (None, ""):
            for cell in await within(db, read_cells, "personel", (period,), depth, None,
                                     service, True):
                truth[(cell.period, tuple(cell.place.split("/")) if cell.place else (),
                       cell.service)] = cell.totals
    cells = {key: Seen(True, f["n"], f["mean"], f["satisfied_share"],
                       truth[key].get("overall_sumsq")) for key, f in seen.items()}
    attacker = Attacker(cells, equations(cells))
    for place in GENDARMES:
        key = (period, place, "jandarma")
        if key in cells:
            assert attacker.spans(key, PARTS["count"], STAFF_MIN_CELL - 2, GENDARMERIE), key
            assert attacker.spans(key, PARTS["sum"], 4 * (STAFF_MIN_CELL - 2)), key
            for form in EITHER_WAY.values():
                assert attacker.possible(key, form), key


async def test_no_district_link_or_month_of_the_staff_is_asked_for(bot, staff_data, readers):
    national = readers["national"]
    for asked in ("group_by=district", "group_by=link", "group_by=district&province=34",
                  "group_by=link&province=34", "period=" + last_quarter().strftime("%Y-%m")):
        status, problem, _ = await get(bot, f"/scores?survey=personel&{asked}", national)
        assert status == 400, asked
        assert "province only" in problem["detail"] or "quarter" in problem["detail"], asked
    status, body, _ = await get(bot, "/scores?survey=personel&group_by=province", national)
    assert body["min_cell"] == STAFF_MIN_CELL and body["period"].endswith(
        quarter_of(last_quarter())[-2:])
    # Units' invitations are no muhtars' links: no list of them with their reach.
    _, links, _ = await get(bot, "/links", national)
    assert links["links"] == []


async def test_proposals_come_only_from_published_cells_in_text_order(bot, db, staff_data,
                                                                     readers):
    for who in ("national", "06"):
        status, body, _ = await get(bot, "/comments?survey=personel&per_page=100",
                                    readers[who])
        assert status == 200
        texts = [item["text"] for item in body["items"]]
        assert texts == sorted(texts)
        assert not any("jandarma" in text for text in texts)
        if who == "national":
            assert {(i["province"], i["service"]) for i in body["items"]} <= {
                ("34", "emniyet"), ("16", "afad")}
            assert sum("polis önerisi" in text for text in texts) == POLICE
            assert body["items"][0]["period"] == quarter_of(last_quarter())
        else:
            assert texts == []
    # The findings register will name a proposal by its reference: it is given back only
    # while its cell is published; a gendarme's never.
    from admin.proposals import published_proposal
    from storage.comments import comment_ref

    staff, period = builtin_surveys()["personel"], quarter_of(last_quarter())
    _, body, _ = await get(bot, "/comments?survey=personel&per_page=1", readers["national"])
    [first] = body["items"]
    assert await published_proposal(db, staff, period, first["ref"]) == first
    hidden = comment_ref(period, "06", "jandarma", "jandarma önerisi 00")
    assert await published_proposal(db, staff, period, hidden) is None


async def test_nothing_of_the_four_in_the_province_page_drivers_and_exports(
        bot, staff_data, readers):
    ankara = readers["06"]
    status, own, _ = await get(bot, "/provinces/06?survey=personel", ankara)
    assert status == 200
    assert all(row["suppressed"] for row in own["services"] + own["trend"])
    status, drivers, _ = await get(bot, "/drivers?survey=personel&service=jandarma",
                                   readers["national"])
    assert drivers["suppressed"] and drivers["drivers"] == []
    for who in ("national", "06"):
        status, text, _ = await get(bot, "/export.csv?survey=personel", readers[who])
        assert status == 200
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows and {r["level"] for r in rows} <= {"national", "region", "province"}
        for row in rows:
            assert row["suppressed"] == "yes" or int(row["n"]) >= STAFF_MIN_CELL
            if row["service"] == "jandarma" or row["province"] == "06":
                assert row["suppressed"] == "yes" and row["n"] == "", row
        status, _, _ = await get(bot, "/export.xlsx?survey=personel", readers[who])
        assert status == 200
    # Row by row, never, not even for a named analyst with a purpose.
    for path in ("/microdata/responses.csv", "/microdata/responses.xlsx",
                 "/microdata/comments.csv"):
        status, problem, _ = await get(bot, f"{path}?survey=personel", readers["microdata"])
        assert status == 403 and "row by row" in problem["detail"], path


async def test_izdes_report_and_rapor_show_the_same_and_nothing_of_the_four(
        bot, db, staff_data, readers, tmp_path):
    from admin.telegram_report import build_report
    from admin.tokens import Scope
    from conversations.i18n import Texts

    _, table, _ = await get(bot, "/scores?survey=personel&group_by=province,service",
                            readers["national"])
    cells = {(r["province"], r["service"]): r["n"] for r in table["rows"]}
    report = json.loads(await asyncio.to_thread(
        izdes, db.url, "report", "--survey", "personel", "--format", "json"))
    assert report["min_cell"] == STAFF_MIN_CELL
    assert {(r["province"], r["service"]): r["n"] for r in report["rows"]} == cells
    assert cells[("34", "emniyet")] == POLICE and cells[("06", "jandarma")] is None
    text = await asyncio.to_thread(izdes, db.url, "report", "--survey", "personel")
    assert "5'ten az" in text or "fewer than 5" in text or "5 kişiden az" in text, text
    # The report to the centre on the staff: the four are hidden, and it says why a staff
    # cell may be hidden beyond the citizens' two reasons.
    from tests.test_pdf_report import read_pdf

    out = tmp_path / "personel.pdf"
    await asyncio.to_thread(izdes, db.url, "report", "pdf", "--survey", "personel", "--out",
                            str(out))
    pdf = " ".join("\n".join(read_pdf(out)).split())
    assert "tek birimin rakamı hiçbir yerde gösterilmez" in pdf
    assert "jandarma önerisi" not in pdf and "Jandarma 4" not in pdf
    # /rapor is the citizens' report: the staff's answers are not in it at all.
    made = await build_report(db, builtin_surveys()["hizmet"], Scope("06"), None,
                              Publication(10, "month", 5), Texts("tr"))
    assert made.csv_bytes is None and "Jandarma" not in made.text


async def test_the_province_page_sets_the_staff_beside_the_citizens(bot, db, staff_data,
                                                                    readers):
    """Citizens find İstanbul's police and traffic slow; the police staff say why."""
    from tests.conftest import driver_answers
    from tests.stored import last_month, publish

    citizens = [{"service": service, "recency": "d7", "channel": "in_person",
                 "province": "34", "police_purpose": "crime", "traffic_purpose": "fine",
                 "overall": "2", **driver_answers(n), "timeliness": "1", "effort": "3"}
                for service in ("emniyet", "trafik") for n in range(10)]
    await insert_completed(db, "hizmet", citizens, prefix="vatandas", at=last_month())
    await publish(db)
    police, _ = staff_data
    status, province, _ = await get(bot, "/provinces/34", readers["national"])
    assert status == 200
    rated = {row["service"]: row for row in province["services"]}
    assert rated["emniyet"]["drivers"]["timeliness"] == 0  # slow, say the citizens
    staff = province["staff"]
    assert (staff["survey"], staff["period"], staff["min_cell"]) == (
        "personel", quarter_of(last_quarter()), STAFF_MIN_CELL)
    emniyet, trafik = staff["services"]["emniyet"], staff["services"]["trafik"]
    assert emniyet["unit"] == trafik["unit"] == "emniyet"  # traffic is the police's too
    assert emniyet["figures"] == trafik["figures"] and emniyet["figures"]["n"] == POLICE
    assert emniyet["figures"]["drivers"]["personnel"] == pytest.approx(
        (statistics.mean(int(a["personnel"]) for a in police) - 1) / 4 * 100)
    assert staff["services"]["jandarma"] == {"unit": "jandarma", "figures": None}
    # Ankara's four gendarmes: hidden beside Ankara's services, for its own office too.
    status, ankara, _ = await get(bot, "/provinces/06", readers["06"])
    assert ankara["staff"]["services"]["jandarma"]["figures"]["suppressed"] is True
    assert ankara["staff"]["services"]["jandarma"]["figures"]["n"] is None
    # The staff survey's own page has no staff beside it.
    _, own, _ = await get(bot, "/provinces/34?survey=personel", readers["national"])
    assert own["staff"] is None


async def test_the_dashboards_province_page_shows_both_sides(
        page, bot, db, staff_data, readers):  # noqa: F811 (page: the dashboard's fixture)
    from playwright.async_api import expect

    from tests.conftest import driver_answers
    from tests.stored import last_month, publish
    from tests.test_dashboard import column, sign_in

    citizens = [{"service": "emniyet", "recency": "d7", "channel": "in_person",
                 "province": "34", "police_purpose": "crime", "overall": "2",
                 **driver_answers(n), "timeliness": "1", "effort": "3"} for n in range(10)]
    await insert_completed(db, "hizmet", citizens, prefix="vatandas", at=last_month())
    await publish(db)
    await sign_in(page, bot.http_url, readers["national"])
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    await page.goto(f"{bot.http_url}/#il/34")
    rows = page.locator("#by-staff tbody tr")
    await expect(rows).to_have_count(6)
    year, quarter = quarter_of(last_quarter()).split("-Q")
    await expect(page.locator("#staff-period")).to_contain_text(
        f"{year} yılının {quarter}. çeyreği")
    services = await column(page, "#by-staff", 1)
    table = {service: [await column(page, "#by-staff", i) for i in range(2, 9)]
             for service in services}
    emniyet = [cells[services.index("Emniyet (polis)")] for cells in table["Emniyet (polis)"]]
    assert emniyet[:3] == ["0", "Emniyet", "12"]  # citizens: slow; the police's staff: 12
    trafik = [cells[services.index("Trafik")] for cells in table["Trafik"]]
    assert trafik[1:] == emniyet[1:]  # traffic is given by the police too
    jandarma = [cells[services.index("Jandarma")] for cells in table["Jandarma"]]
    assert jandarma[1:3] == ["Jandarma", "Yanıt yok"]
    await expect(page.locator("#staff-note")).to_contain_text("en az 5 personelin")
    # Ankara's office sees its four gendarmes as fewer than five, and nothing more.
    await page.get_by_role("button", name="Çıkış yap").click()
    await sign_in(page, bot.http_url, readers["06"])
    await expect(page.locator("#ranking tbody tr")).to_have_count(0)
    await page.goto(f"{bot.http_url}/#il/06")
    await expect(rows).to_have_count(6)
    ankara = dict(zip(await column(page, "#by-staff", 1), await column(page, "#by-staff", 4),
                      strict=True))
    assert ankara["Jandarma"] == "5'ten az"
    assert "4" not in await page.locator("#by-staff").inner_text()


async def test_a_finding_on_the_staff_is_made_and_re_evaluated_by_quarter(bot, db, staff_data,
                                                                          readers):
    """The deployment publishes citizens by month; a finding on the staff's figures names a
    quarter, and its re-evaluation compares quarters, in the API and `izdes findings`."""
    from tests.test_findings_api import call

    period = quarter_of(last_quarter())
    status, made, _ = await call(bot, "POST", "/findings", readers["national"], {
        "survey": "personel", "province": "34", "service": "emniyet",
        "drivers": ["personnel"], "problem": "Personel iş yüküne yetmiyor",
        "proposals": ["Kadro artırımı"], "responsible_unit": "İl Emniyet Müdürlüğü",
        "due_date": (datetime.now(UTC) + timedelta(days=60)).date().isoformat()})
    assert status == 201, made
    assert made["period"] == period and made["evidence"]["figures"]["n"] == POLICE
    acted = last_quarter().date().isoformat()
    status, moved, _ = await call(bot, "POST", f"/findings/{made['id']}/status",
                                  readers["national"], {"status": "action_taken",
                                                        "action": "İki polis atandı",
                                                        "action_date": acted})
    assert status == 200, moved
    assert f"since the action's ({period})" in moved["re_evaluation_reason"]
    shown = await asyncio.to_thread(izdes, db.url, "findings", "show", str(made["id"]))
    assert f"({period})" in shown, shown

    # A staff proposal from the published cell becomes one of its proposed solutions, in the
    # words published; one of the four gendarmes' (a hidden cell) cannot, by any token.
    from storage.comments import comment_ref

    _, listed, _ = await get(bot, "/comments?survey=personel&service=emniyet&per_page=2",
                             readers["national"])
    first, second = listed["items"]
    proposals = f"/findings/{made['id']}/proposals"
    status, found, _ = await call(bot, "POST", proposals, readers["national"],
                                  {"staff_proposal": first["ref"]})
    assert status == 201, found
    assert found["proposals"][-1]["text"] == first["text"]
    assert found["proposals"][-1]["source"] == "staff"
    # Bursa's AFAD staff wrote for Bursa's register, not İstanbul's; a period that is no
    # quarter is one sentence.
    _, bursa, _ = await get(bot, "/comments?survey=personel&province=16&per_page=1",
                            readers["national"])
    status, _, _ = await call(bot, "POST", proposals, readers["national"],
                              {"staff_proposal": bursa["items"][0]["ref"]})
    assert status == 404
    status, problem, _ = await call(bot, "POST", proposals, readers["national"],
                                    {"staff_proposal": first["ref"], "period": "2026-13"})
    assert status == 400 and "\n" not in problem["detail"], problem
    hidden = comment_ref(period, "06", "jandarma", "jandarma önerisi 00")
    for who in ("national", "06"):
        status, problem, _ = await call(bot, "POST", proposals, readers[who],
                                        {"staff_proposal": hidden})
        assert status == 404 and "jandarma" not in str(problem), problem
    added = await asyncio.to_thread(izdes, db.url, "findings", "proposal", str(made["id"]),
                                    "--staff", second["ref"], "--period", period,
                                    "--by", "Bakanlık")
    assert "added to finding" in added
    status, found, _ = await call(bot, "GET", f"/findings/{made['id']}", readers["national"])
    assert [p["text"] for p in found["proposals"]][-2:] == [first["text"], second["text"]]
    refused = await asyncio.to_thread(run_izdes, db.url, "findings", "proposal",
                                      str(made["id"]), "--staff", hidden, "--by", "Bakanlık")
    assert refused.returncode != 0 and "no published staff proposal" in refused.stderr
    assert "Traceback" not in refused.stderr

    # Its writer erases their answers (/sil): their words leave the finding too, history
    # included; the proposal stays, marked withdrawn.
    from sqlalchemy import select

    from storage.findings import WITHDRAWN
    from storage.models import Answer, Response
    from storage.repository import open_survey_store
    from storage.rollups import reported

    async with db.transaction() as session:
        [writer] = await session.scalars(select(Response.respondent_id).join(
            Answer, Answer.response_id == Response.id).where(Answer.value == first["text"]))
    async with open_survey_store(db, reported(builtin_surveys())) as store:
        await store.erase_respondent(writer)
    status, found, _ = await call(bot, "GET", f"/findings/{made['id']}", readers["national"])
    assert first["text"] not in json.dumps(found, ensure_ascii=False)
    assert [p["text"] for p in found["proposals"]][-2:] == [WITHDRAWN, second["text"]]


async def test_what_changed_for_the_staff_is_told_by_quarter_with_their_smallest_cell(
        db, staff_data):
    """`izdes report changes --survey personel`: the quarter against the one before, by
    province and unit type, stating the staff's smallest cell (not the citizens' 10)."""
    police, gendarmes = staff_data
    before = last_quarter() - timedelta(days=92)
    for number, (first, last) in enumerate(((0, KADIKOY), (KADIKOY, POLICE))):
        link = await unit_invitation(db, "34", "emniyet", f"İstanbul polis {number}")
        await insert_completed(db, "personel", police[first:last], link=link,
                               prefix=f"polis-before-{number}", at=before)
    await insert_completed(db, "personel", gendarmes, prefix="jandarma-before", at=before)
    await background_staff(db, before)
    await publish_due(db, builtin_surveys(), Publication(10, "month", 5), datetime.now(UTC))
    report = json.loads(await asyncio.to_thread(
        izdes, db.url, "report", "changes", "--survey", "personel", "--format", "json"))
    assert report["min_cell"] == STAFF_MIN_CELL and report["period"] == quarter_of(
        last_quarter())
    rows = {(r["province"], r["service"]): r for r in report["rows"]}
    istanbul = rows[("34", "emniyet")]
    assert (istanbul["n_before"], istanbul["n_after"]) == (POLICE, POLICE)
    assert istanbul["mean"]["difference"] == pytest.approx(0)
    gendarmes_row = rows.get(("06", "jandarma"))
    assert gendarmes_row is None or gendarmes_row["n_after"] is None


async def test_a_question_only_one_unit_answered_is_not_shown(db):
    """Two police units of six each: the cell shows, but its vehicles figure would be the
    first unit's alone (the second's staff all said "not applicable"), so it is left out."""
    at = last_quarter()
    for number, vehicles in enumerate(("4", "na")):
        link = await unit_invitation(db, "34", "emniyet", f"İstanbul polis {number}")
        await insert_completed(db, "personel", [
            {**staff_answers("emniyet", "34", n, "polis"), "vehicles": vehicles}
            for n in range(6)], link=link, prefix=f"p{number}", at=at)
    await background_staff(db, at)
    await publish_due(db, builtin_surveys(), Publication(10, "month", 5), datetime.now(UTC))
    [istanbul] = await within(db, read_cells, "personel", (quarter_of(at),), 2, "34",
                              "emniyet")
    assert not istanbul.hidden and istanbul.figures["n"] == 12
    assert istanbul.figures["drivers"]["vehicles"] is None
    assert istanbul.figures["drivers"]["personnel"] is not None
