"""A finding's re-evaluation on the dashboard, in headless Chromium as an admin uses it: the
centre's list of re-evaluations due, the verdict with its figures on the finding's page, the
answers still needed, and the re-evaluation recorded from the form without a note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admin.tokens import create_token, parse_scope
from storage import findings
from storage.finding_status import Actor, StatusChange
from tests import test_dashboard as dashboard
from tests.conftest import TOKEN_KEY
from tests.reevaluation_data import ACTION, BEFORE, MONTH, release_months
from tests.stored import within
from tests.test_dashboard import expect, sign_in

browser, page, site = dashboard.browser, dashboard.page, dashboard.site


@pytest.fixture
async def register(db):
    """Three released months; İstanbul's and İzmir's registry findings with their action in
    the middle month, and Ankara's with no action yet."""
    await release_months(db)
    ministry = Actor("Bakanlık Analiz")

    async def make(province: str, acted: bool) -> int:
        number = await within(db, findings.create_finding, findings.NewFinding(
            survey_key="hizmet", period=MONTH[BEFORE], province=province, district=None,
            service="nufus", drivers=("timeliness",), problem="Randevu beklemesi",
            proposals=("Akşam randevusu",), responsible_unit="İl Nüfus Müdürlüğü",
            due_date=findings.today() + timedelta(days=30)), ministry)
        if acted:
            await within(db, findings.change_status, number, StatusChange(
                "action_taken", action_date=ACTION.date(), action="Akşam randevusu açıldı"),
                ministry)
        return number

    return {"istanbul": await make("34", True), "izmir": await make("35", True),
            "ankara": await make("06", False)}


async def test_the_centre_sees_what_is_due_and_each_verdict(page, site, db, register):
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await page.goto(f"{site}/#bulgular")
    await expect(page.locator("#findings-table tbody tr")).to_have_count(3)
    await page.get_by_label("Yeniden değerlendirmesi gelenler").check()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(2)
    await expect(page.locator(f'tr[data-finding="{register["ankara"]}"]')).to_have_count(0)

    await page.goto(f"{site}/#bulgu/{register['istanbul']}")
    section = page.locator("#finding-reevaluation")
    await expect(page.locator("#reevaluation-verdict")).to_have_text("Kötüleşti")
    await expect(section).to_contain_text("karşılaştırmaya katılmaz")
    await expect(section).to_contain_text("40 yanıt")
    share = page.locator("#reevaluation-table tbody tr").first
    await expect(share).to_contain_text("%90")
    await expect(share).to_contain_text("%20")
    await expect(share).to_contain_text("-70,0 (%95 GA")
    await expect(share).to_contain_text("p < 0,001")
    await expect(page.locator("#reevaluation-table tbody tr")).to_have_count(3)
    await expect(page.locator("#reevaluation-needed")).to_have_count(0)

    # Recorded without a note: the computed result is kept and shown in the round.
    await page.locator("#move").select_option("re_evaluated")
    await page.get_by_role("button", name="Durumu kaydet").click()
    await expect(page.locator("#finding-title")).to_contain_text("Yeniden değerlendirildi")
    await expect(page.locator("#finding-round")).to_contain_text(
        "Kaydedilen sonuç: Kötüleşti")

    await page.goto(f"{site}/#bulgu/{register['izmir']}")
    await expect(page.locator("#reevaluation-verdict")).to_have_text("Henüz yeterli yanıt yok")
    await expect(page.locator("#reevaluation-needed")).to_contain_text(
        "10 puanlık bir değişikliği görebilmek için")
    await expect(page.locator("#reevaluation-needed")).to_contain_text("yanıt daha gerekiyor")

    await page.goto(f"{site}/#bulgu/{register['ankara']}")
    await expect(page.locator("#reevaluation-none")).to_contain_text(
        "Önlem tarihi girilince")


async def test_the_re_evaluation_script_is_served_as_javascript(site):
    import aiohttp

    async with aiohttp.ClientSession() as http, http.get(
            f"{site}/dashboard/reevaluation.js") as answer:
        assert (answer.status, answer.content_type) == (200, "text/javascript")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
