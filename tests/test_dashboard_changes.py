"""What changed, on the dashboard as an admin sees it in Chromium: an arrow beside each
province in the ranking, and a view of every province and service against the period before
(tests/test_dashboard.py drives the rest of the page the same way)."""

from __future__ import annotations

import aiohttp

from admin.tokens import create_token, parse_scope
from tests.conftest import TOKEN_KEY
from tests.test_changes_api import two_months  # noqa: F401 (a fixture)
from tests.test_dashboard import browser, column, page, sign_in, site  # noqa: F401

try:
    from playwright.async_api import expect
except ImportError:  # the browser fixture skips (or fails in CI)
    expect = None

WORDS = {"better": "↑ iyileşti", "worse": "↓ kötüleşti",
         "no_clear_change": "→ belirgin değil", "too_few_answers": "yanıt az"}


async def changes(root: str, token: str, query: str) -> dict:
    async with aiohttp.ClientSession() as http, http.get(
            f"{root}/api/v1/changes?{query}",
            headers={"Authorization": f"Bearer {token}"}) as answer:
        return await answer.json()


async def test_the_ranking_shows_how_each_province_changed(page, site, db, two_months):  # noqa: F811
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(4)
    names = await column(page, "#ranking", 2)
    shown = dict(zip(names, await column(page, "#ranking", 6), strict=True))
    assert shown["İstanbul"] == "↓ kötüleşti"
    # Every arrow is the API's verdict on the province's mean, nothing else.
    body = await changes(site, token, "group_by=province")
    expected = {row["province_name"]: WORDS[row["mean"]["verdict"]] for row in body["rows"]}
    assert shown == expected
    cell = page.locator('#ranking tr[data-plate="34"] td.change')
    assert "→" in await cell.get_attribute("title")  # before → after, and the difference
    note = page.locator("#ranking-change-note")
    await expect(note).to_contain_text("Benjamini-Hochberg")
    await expect(note).to_contain_text(
        f"{body['false_discovery_rate']['comparisons']} karşılaştırmanın")


async def test_what_changed_lists_the_worse_first_and_hides_the_hidden(
        page, site, db, two_months):  # noqa: F811
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(4)
    await page.get_by_role("link", name="Ne değişti?").click()
    await expect(page.get_by_role("heading", name="Ne değişti?")).to_be_focused()
    rows = page.locator("#changes-table tbody tr")
    await expect(rows).to_have_count(8)
    first = rows.first
    await expect(first.locator("th")).to_have_text("İstanbul")
    await expect(first.locator("td").nth(0)).to_have_text("Trafik")
    assert await first.locator("td").nth(1).inner_text() == "30 → 30"
    assert await first.locator("td").nth(2).inner_text() == "%100 → %0"
    assert (await first.locator("td").nth(3).inner_text()).startswith("-100,0 (")
    assert await first.locator("td").nth(4).inner_text() == "↓ kötüleşti"
    assert await first.locator("td").nth(7).inner_text() == "↓ kötüleşti"
    # A cell hidden in either month shows no figure of either.
    hidden = page.locator('#changes-table tr[data-plate="06"][data-service="nufus"] td')
    assert [text.strip() for text in await hidden.all_inner_texts()] == [
        "Nüfus", "—", "—", "—", "yanıt az", "—", "—", "yanıt az", "—"]
    await expect(page.locator("#changes-status")).to_contain_text("karşılaştırılan")
    note = page.locator("#changes-note")
    await expect(note).to_contain_text("Benjamini-Hochberg")
    await expect(note).to_contain_text("gösterge niteliğinde: yanıtlayanlar gönüllüdür")

    # A year earlier was never released: said, not an empty table.
    await page.get_by_label("Karşılaştırma").select_option("year")
    await expect(page.locator("#changes-status")).to_have_text(
        "Bir yıl önceki aynı dönem yayımlanmadı: karşılaştırılacak bir şey yok.")
    await expect(rows).to_have_count(0)
    await page.get_by_role("link", name="← Tüm iller").first.click()
    await expect(page.get_by_role("heading", name="İllere göre memnuniyet")).to_be_focused()


async def test_a_province_token_sees_what_changed_in_its_province_only(
        page, site, db, two_months):  # noqa: F811
    token = await create_token(db, TOKEN_KEY, parse_scope("province:34"), "İstanbul Valiliği")
    await sign_in(page, site, token)
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    assert await column(page, "#ranking", 6) == ["↓ kötüleşti"]
    await page.get_by_role("link", name="Ne değişti?").click()
    await expect(page.locator("#changes-table tbody tr")).to_have_count(2)
    assert await column(page, "#changes-table", 1) == ["İstanbul", "İstanbul"]
    assert await column(page, "#changes-table", 2) == ["Trafik", "Nüfus"]
