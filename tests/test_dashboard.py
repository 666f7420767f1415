"""The admin dashboard as an admin sees it, in a real headless Chromium (Debian's /usr/bin/chromium
driven by Playwright): sign-in, the province map, the ranking, the service filter and one
province's page. Without the browser these tests are skipped, unless IZDES_TEST_REQUIRE_BROWSER=1
(CI), which makes them fail instead."""

from __future__ import annotations

import io
import os
import re
import statistics
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from admin.tokens import create_token, parse_scope
from tests.conftest import TOKEN_KEY
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish, within

try:
    from playwright.async_api import Page, async_playwright, expect
except ImportError:  # the browser tests skip (or fail in CI) below
    async_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
# How long an expectation waits for the page to get there: the suite runs in four processes on
# two cores (make test), where a page's first API calls can take longer than Playwright's 5 s.
if async_playwright is not None:
    expect.set_options(timeout=20_000)
REQUIRE_BROWSER = os.environ.get("IZDES_TEST_REQUIRE_BROWSER") == "1"
MISSING = ("Playwright is not installed" if async_playwright is None
           else None if CHROMIUM.exists() else f"{CHROMIUM} is missing")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DRIVERS = ["timeliness", "information", "knowledge", "courtesy", "fairness", "equal_treatment",
           "outcome"]
NO_DATA, HATCH = "#d9d9d9", "url(#hatch)"

# (plate, service): overall answers, repeated to the number of responses. Bursa's 3 are too
# few to publish; Antalya, the smallest of the rest, is then hidden as well, or Bursa's count
# would follow from the total. All are from last month, the latest period released; İstanbul
# also had twelve traffic answers the month before (a trend of two).
DATA = {
    ("34", "trafik"): ("545", 12),
    ("34", "nufus"): ("434", 12),
    ("35", "nufus"): ("34", 12),
    ("06", "trafik"): ("12", 12),
    ("07", "trafik"): ("3", 10),
    ("16", "trafik"): ("5", 3),
}


def answers(plate: str, service: str, overall: str, number: int) -> dict[str, str]:
    return {"service": service, "recency": "d7", "channel": "in_person", "province": plate,
            "traffic_purpose": "fine", "appointment": "no", "wait_time": "lt15",
            "overall": overall,
            **{d: str(1 + (number + j) % 5) for j, d in enumerate(DRIVERS)},
            "effort": str(1 + number % 7)}


def overall_of(plate: str) -> list[int]:
    return [int(pattern[i % len(pattern)]) for (p, _), (pattern, count) in DATA.items()
            if p == plate for i in range(count)]


@pytest.fixture
async def survey_data(db) -> None:
    """DATA last month, twelve more İstanbul traffic answers the month before; released."""
    return await built_once(db, "test_dashboard.survey_data", lambda: _survey_data(db))


async def _survey_data(db) -> None:
    month = last_month()
    number = 0
    for (plate, service), (pattern, count) in DATA.items():
        answered = [answers(plate, service, pattern[i % len(pattern)], number + i)
                    for i in range(count)]
        number += count
        await insert_completed(db, "hizmet", answered, prefix=f"{plate}-{service}", at=month)
    earlier = [answers("34", "trafik", "4", i) for i in range(12)]
    await insert_completed(db, "hizmet", earlier, prefix="34-earlier",
                           at=month.replace(day=1) - timedelta(days=3))
    await publish(db)


@pytest.fixture
async def site(bot) -> str:
    """The real bot's web server: the admin API and the dashboard, as operators run it."""
    return bot.http_url


@pytest.fixture(scope="module")
async def browser():
    if MISSING:
        if REQUIRE_BROWSER:
            pytest.fail(f"IZDES_TEST_REQUIRE_BROWSER=1 but {MISSING}")
        pytest.skip(MISSING)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                    args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900},
                                        locale="tr-TR")
    opened = await context.new_page()
    problems: list[str] = []
    # Script errors and CSP refusals; failed API calls (401, 403) are expected in some tests.
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("console", lambda message: problems.append(message.text) if (
        message.type == "error" and "Failed to load resource" not in message.text) else None)
    yield opened
    await context.close()
    assert not problems, problems


async def sign_in(page: Page, site: str, token: str) -> None:
    await page.goto(f"{site}/")
    await page.get_by_label("Yönetici anahtarı").fill(token)
    await page.get_by_role("button", name="Giriş yap").click()


async def spot_inside(page: Page, plate: str) -> tuple[float, float]:
    """A point of the page where the province itself is on top: the middle of its box may be
    sea or a neighbour (İstanbul's is the Bosphorus)."""
    spot = await page.evaluate("""plate => {
        const path = document.querySelector(`#map path[data-plate="${plate}"]`);
        const box = path.getBoundingClientRect();
        for (let step = 2; step <= 64; step *= 2)
          for (let i = 1; i < step; i += 2)
            for (let j = 1; j < step; j += 2) {
              const [x, y] = [box.left + box.width * i / step, box.top + box.height * j / step];
              if (document.elementFromPoint(x, y) === path) return [x, y];
            }
        return null;
    }""", plate)
    assert spot, plate
    return spot


async def column(page: Page, table: str, index: int) -> list[str]:
    return [text.strip() for text in await page.locator(
        f"{table} tbody tr > :nth-child({index})").all_inner_texts()]


def decimal(text: str) -> float:
    return float(text.split(" ")[0].replace(",", "."))


async def test_page_and_files_are_served_with_their_types_and_a_strict_policy(site):
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{site}/") as answer:
            assert answer.status == 200 and answer.content_type == "text/html"
            policy = answer.headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "unsafe" not in policy
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert "/dashboard/dashboard.js" in await answer.text()
        for name, kind in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css"),
                           ("provinces.geojson", "application/geo+json")):
            async with http.get(f"{site}/dashboard/{name}") as answer:
                assert (answer.status, answer.content_type) == (200, kind), name
        async with http.get(f"{site}/dashboard/provinces.geojson") as answer:
            assert len((await answer.json(content_type=None))["features"]) == 81
        for name in ("__init__.py", "..%2F__init__.py", "nothing.js"):
            async with http.get(f"{site}/dashboard/{name}") as answer:
                assert answer.status == 404, name


async def test_an_admin_sees_the_map_the_ranking_and_a_province(
    page, site, db, survey_data, tmp_path
):
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)

    # The ranking: by mean, the hidden provinces last.
    rows = page.locator("#ranking tbody tr")
    await expect(rows).to_have_count(5)
    assert await column(page, "#ranking", 2) == ["İstanbul", "İzmir", "Ankara", "Antalya", "Bursa"]
    assert await column(page, "#ranking", 1) == ["1", "2", "3", "–", "–"]
    assert await column(page, "#ranking", 3) == ["24", "12", "12", "10'dan az", "10'dan az"]
    means = await column(page, "#ranking", 4)
    shares = await column(page, "#ranking", 5)
    for text, plate in zip(means, ["34", "35", "06"], strict=False):
        assert re.fullmatch(r"\d,\d \(\d,\d–\d,\d\)", text), text
        assert abs(decimal(text) - statistics.mean(overall_of(plate))) <= 0.05 + 1e-9
    assert all(re.fullmatch(r"%\d+ \(%\d+–%\d+\)", text) for text in shares[:3]), shares
    assert means[3:] == shares[3:] == ["—", "—"]
    # Respondents volunteer: the intervals are labelled a guide, not a sample's.
    await expect(page.locator("#ranking-note")).to_contain_text(
        "GA: %95 güven aralığı, gösterge niteliğinde: yanıtlayanlar gönüllüdür")

    # The map: every province; hidden ones hatched, unlike any score colour.
    paths = page.locator("#map path.province")
    await expect(paths).to_have_count(81)
    fill = {plate: await page.locator(f'#map path[data-plate="{plate}"]').get_attribute("fill")
            for plate in ("34", "06", "16", "07", "01")}
    assert fill["16"] == fill["07"] == HATCH
    assert re.fullmatch(r"#[0-9a-f]{6}", fill["06"]) and fill["06"] not in (NO_DATA, HATCH)
    assert fill["34"] != fill["06"] and fill["01"] == NO_DATA
    await expect(page.locator("#map-area")).to_contain_text("© OpenStreetMap contributors")
    await expect(page.locator("#legend")).to_contain_text("10'dan az yanıt")

    # Pointing at a province, or reaching it with the keyboard, tells what it holds.
    await page.mouse.move(*await spot_inside(page, "06"))
    tooltip = page.locator("#tooltip")
    await expect(tooltip).to_be_visible()
    await expect(tooltip).to_contain_text("Ankara")
    await expect(tooltip).to_contain_text("12 yanıt")
    await page.get_by_role("link", name="Tabloya geç").focus()
    await page.keyboard.press("Tab")  # into the map: provinces take keyboard focus
    assert await page.evaluate("document.activeElement.matches('#map a.province-link')")
    await page.locator('#map a:has(path[data-plate="16"])').focus()
    await expect(tooltip).to_contain_text("Bursa")
    await expect(tooltip).to_contain_text("10'dan az yanıt")
    await page.mouse.move(0, 0)
    await page.evaluate("document.activeElement.blur()")
    await expect(tooltip).to_be_hidden()

    shot = tmp_path / "map.png"
    await page.locator("#map").screenshot(path=shot)
    assert_not_blank(shot, fill["34"], fill["06"], NO_DATA)

    # The service filter asks again: only traffic now, İzmir has none.
    await page.locator("#overview").get_by_label("Hizmet").select_option("trafik")
    await expect(rows).to_have_count(4)
    assert await column(page, "#ranking", 2) == ["İstanbul", "Ankara", "Antalya", "Bursa"]
    assert (await column(page, "#ranking", 3))[0] == "12"

    # Clicking a province opens its page: trend, drivers and services.
    await page.mouse.click(*await spot_inside(page, "34"))
    await expect(page.get_by_role("heading", name="İstanbul (34)")).to_be_focused()
    assert page.url.endswith("#il/34")
    await expect(page.locator("#trend svg circle")).to_have_count(2)
    await expect(page.locator("#trend svg polygon.band")).to_have_count(1)
    for where in ("#province figcaption", "#province-note"):
        await expect(page.locator(where).first).to_contain_text(
            "gösterge niteliğinde: yanıtlayanlar gönüllüdür")
    bars = page.locator("#drivers svg rect.bar")
    await expect(bars).to_have_count(7)
    widths = await bars.evaluate_all("bars => bars.map(bar => Number(bar.getAttribute('width')))")
    assert all(width > 0 for width in widths) and len(set(widths)) > 1, widths
    for label in ("Zamanında hizmet", "Bilgilendirme", "Bilgi ve yetkinlik", "Nezaket",
                  "Adil davranış", "Eşit muamele", "Sonuç"):
        await expect(page.locator("#drivers")).to_contain_text(label)
    services = dict(zip(await column(page, "#by-service", 1),
                        await column(page, "#by-service", 2), strict=True))
    assert services["Trafik"] == services["Nüfus"] == "12"
    assert services["Göç İdaresi"] == "Yanıt yok"

    await page.get_by_role("link", name="← Tüm iller").click()
    await expect(rows).to_have_count(4)
    await page.get_by_role("button", name="Çıkış yap").click()
    await expect(page.get_by_label("Yönetici anahtarı")).to_be_visible()
    assert await page.evaluate("sessionStorage.length") == 0
    await expect(rows).to_have_count(0)


def assert_not_blank(shot: Path, *fills: str) -> None:
    """Painted, not an empty frame: many colours (fills, borders, anti-aliasing), not mostly
    white, and each of the given fill colours covering a visible patch."""
    from PIL import Image

    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    size = image.width * image.height
    counts = {rgb: count for count, rgb in image.getcolors(size)}
    white = sum(count for rgb, count in counts.items() if min(rgb) >= 245) / size
    assert len(counts) > 5 and white < 0.5, (len(counts), white)
    for fill in fills:
        rgb = tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 100, (fill, counts.get(rgb, 0))


async def test_a_wrong_token_is_refused(page, site, db):
    await sign_in(page, site, "izdes_aaaaaaaaaaaa_" + "x" * 43)
    await expect(page.get_by_role("alert")).to_have_text("Geçersiz veya iptal edilmiş anahtar")
    await expect(page.locator("#overview")).to_be_hidden()
    assert await page.evaluate("sessionStorage.length") == 0


async def test_a_province_token_sees_only_its_province(page, site, db, survey_data):
    token = await create_token(db, TOKEN_KEY, parse_scope("province:34"), "İstanbul Valiliği")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    assert await column(page, "#ranking", 2) == ["İstanbul"]
    await expect(page.locator("#scope-note")).to_be_visible()
    await expect(page.locator("#status")).to_contain_text("1 il gösteriliyor.")
    # Only its own province is a link; the rest of the map is scenery.
    await expect(page.locator("#map a[href]")).to_have_count(1)
    assert await page.locator("#map a[href] path").get_attribute("data-plate") == "34"

    await page.locator("#map a[href]").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="İstanbul (34)")).to_be_focused()

    # Another province's address: one calm sentence, still signed in.
    await page.goto(f"{site}/#il/06")
    await expect(page.get_by_role("heading", name="Yetki yok")).to_be_visible()
    await expect(page.locator("#province-status")).to_contain_text("yalnızca kendi ilinin")
    await page.get_by_role("link", name="← Tüm iller").click()
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)


async def test_a_province_page_lists_its_muhtar_links_with_reach_and_scores(page, site, db):
    from conversations.links import new_payload, new_stats_code, stats_code_digest
    from storage.links import NewLink, count_reach, create_link, link_place

    link_id = await within(db, create_link, NewLink(
        payload=new_payload(), stats_digest=stats_code_digest(new_stats_code()),
        label="Caferağa Muhtarlığı", province="34", mahalle="Caferağa"))
    quiet_id = await within(db, create_link, NewLink(
        payload=new_payload(), stats_digest=stats_code_digest(new_stats_code()),
        label="Moda Muhtarlığı", province="34", mahalle="Moda"))
    async with db.transaction() as session:
        caferaga = await link_place(session, link_id)
        for counted, times in (("opened", 15), ("consented", 13), ("completed", 12)):
            for _ in range(times):
                await count_reach(session, link_id, counted, datetime.now(UTC))
        await count_reach(session, quiet_id, "opened", datetime.now(UTC))
    answers = {"service": "trafik", "recency": "d7", "channel": "in_person", "province": "34",
               "traffic_purpose": "fine", "overall": "4", "effort": "2"}
    await insert_completed(db, "hizmet", [answers] * 12, caferaga, at=last_month())
    await publish(db)

    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    await page.goto(f"{site}/#il/34")
    links = page.locator("#by-link tbody tr")
    await expect(links).to_have_count(2)
    assert [name.split(" · ")[0] for name in await column(page, "#by-link", 1)] == [
        "Caferağa Muhtarlığı", "Moda Muhtarlığı"]
    # Reach is coarse: below ten "fewer than 10", above it rounded down to a multiple of 5.
    assert await column(page, "#by-link", 2) == ["15", "10'dan az"]  # opened
    assert await column(page, "#by-link", 3) == ["12", "Yanıt yok"]  # scored responses
    assert decimal((await column(page, "#by-link", 4))[0]) == 4.0


async def test_the_report_to_the_centre_is_downloaded_for_the_tokens_scope(
        page, site, db, survey_data, tmp_path):
    from tests.test_pdf_report import read_pdf

    period = last_month().strftime("%Y-%m")
    istanbul = await create_token(db, TOKEN_KEY, parse_scope("province:34"),
                                  "İstanbul Valiliği")
    await sign_in(page, site, istanbul)
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Rapor (PDF)").click()
    download = await waiting.value
    assert download.suggested_filename == f"izdes-34-{period}.pdf"
    await download.save_as(saved := tmp_path / download.suggested_filename)
    text = "\n".join(read_pdf(saved))
    assert "İstanbul" in text and "Ankara" not in text
    await expect(page.locator("#status")).to_contain_text("Rapor indirildi.")

    # The ministry: Türkiye's from the overview, a province's from its page.
    await page.get_by_role("button", name="Çıkış yap").click()
    await sign_in(page, site, await create_token(db, TOKEN_KEY, parse_scope("national"),
                                                 "Bakanlık"))
    await expect(page.locator("#ranking tbody tr")).to_have_count(5)
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Rapor (PDF)").click()
    assert (await waiting.value).suggested_filename == f"izdes-tr-{period}.pdf"
    await page.goto(f"{site}/#il/06")
    await expect(page.get_by_role("heading", name="Ankara (06)")).to_be_visible()
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Bu ilin raporu (PDF)").click()
    await (await waiting.value).save_as(ankara := tmp_path / "ankara.pdf")
    assert "Ankara" in "\n".join(read_pdf(ankara))
    # A province that is none: no report button, not Ankara's nor Türkiye's under its name.
    await page.goto(f"{site}/#il/99")
    await expect(page.get_by_role("heading", name="Böyle bir il yok")).to_be_visible()
    await expect(page.get_by_role("button", name="Bu ilin raporu (PDF)")).to_be_hidden()


async def test_the_neighbourhood_survey_is_shown_by_province_with_its_own_items(
        page, site, db, survey_data):
    """İZDES2's residents: the survey picked above the map; by province only (no service
    filter), its own items on the province page, no services table."""
    await insert_completed(db, "mahalle", [
        {"adult": "yes", "resident": "yes", "province": "34", "night_safety": str(2 + n % 3),
         "main_problem": "drugs", "drugs_seen": "no", "speeding": "2", "crossings": "3",
         "school_traffic": "4", "school_area": "na", "trust_police": "5",
         "trust_jandarma": "4"} for n in range(12)], at=last_month(), prefix="resident")
    await publish(db)
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(5)  # the services' survey
    await page.locator("#overview").get_by_label("Anket").select_option(
        label="Mahalle güvenliği")
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    assert await column(page, "#ranking", 2) == ["İstanbul"]
    assert await column(page, "#ranking", 3) == ["12"]
    await expect(page.locator("#overview").get_by_label("Hizmet")).to_be_hidden()
    await expect(page.locator("#overview-title")).to_have_text("İllere göre: Mahalle güvenliği")
    await expect(page.locator("#map-title")).not_to_contain_text("memnun")
    await page.locator("#ranking").get_by_role("link", name="İstanbul").click()
    await expect(page.get_by_role("heading", name="İstanbul (34)")).to_be_focused()
    await expect(page.locator("#drivers")).to_contain_text("Yaya geçitleri")
    await expect(page.locator("#drivers")).not_to_contain_text("Nezaket")
    await expect(page.get_by_role("heading", name="Hizmetlere göre")).to_be_hidden()
