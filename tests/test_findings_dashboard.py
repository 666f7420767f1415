"""The findings register on the dashboard, in headless Chromium as an admin uses it (the
browser, page and sign-in of test_dashboard.py): the list and its filters, a finding's page
with its evidence, proposals and history, moving it on, reporting it, making a new one, and
a governor's office that sees only its own. Analysts' text shows as text, never as markup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from admin.tokens import create_token, parse_scope
from storage import findings
from storage.finding_status import Actor
from storage.models import Finding
from tests import test_dashboard as dashboard
from tests.conftest import TOKEN_KEY
from tests.findings_data import PERIOD, release_month
from tests.stored import within
from tests.test_dashboard import expect, sign_in

# The same Chromium, page and site as the rest of the dashboard's tests (their fixtures).
browser, page, site = dashboard.browser, dashboard.page, dashboard.site

# Markup that would run if the page put it in as HTML.
TRAP = '<img src=x onerror="window.pwned = 1"> Bekleme <b>uzun</b>'


@pytest.fixture
async def register(db):
    """The released month, and two findings: İstanbul's (overdue, with markup in its words)
    and the ministry's about Ankara's traffic."""
    await release_month(db)
    due = findings.today() + timedelta(days=30)

    async def make(province: str, service: str, problem: str, actor: Actor) -> int:
        return await within(db, findings.create_finding, findings.NewFinding(
            survey_key="hizmet", period=PERIOD, province=province, district=None,
            service=service, drivers=("timeliness",), problem=problem,
            proposals=(f"{TRAP} öneri",), responsible_unit="İl Nüfus Müdürlüğü",
            due_date=due), actor)

    istanbul = await make("34", "nufus", TRAP, Actor("İstanbul Valiliği", province="34"))
    ankara = await make("06", "trafik", "Trafik denetimi az", Actor("Bakanlık Analiz"))
    async with db.transaction() as session:
        await session.execute(update(Finding).where(Finding.id == istanbul)
                              .values(due_date=findings.today() - timedelta(days=1)))
    return {"istanbul": istanbul, "ankara": ankara}


async def rows(page) -> list[str]:
    return await page.locator("#findings-table tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.finding)")


async def test_the_ministry_lists_filters_and_keeps_a_finding(page, site, db, register):
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await page.get_by_role("link", name="Bulgular").click()
    await expect(page.get_by_role("heading", name="Bulgular")).to_be_visible()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(2)
    assert await rows(page) == [str(register["ankara"]), str(register["istanbul"])]
    istanbul_row = page.locator(f'tr[data-finding="{register["istanbul"]}"]')
    await expect(istanbul_row).to_contain_text("Gecikmiş")
    await expect(istanbul_row).to_contain_text("İstanbul")
    await expect(istanbul_row).to_contain_text("Nüfus")
    await expect(istanbul_row).to_contain_text('<img src=x onerror="window.pwned = 1">')

    await page.get_by_label("Yalnızca gecikenler").check()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(1)
    await page.get_by_label("Yalnızca gecikenler").uncheck()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(2)
    await page.locator("#f-service").select_option("trafik")
    await expect(page.locator(f'tr[data-finding="{register["istanbul"]}"]')).to_have_count(0)
    assert await rows(page) == [str(register["ankara"])]
    await page.locator("#f-service").select_option("")
    await page.locator("#f-province").select_option("34")
    await expect(page.locator(f'tr[data-finding="{register["ankara"]}"]')).to_have_count(0)
    await expect(page.locator("#findings-table tbody tr")).to_have_count(1)
    await page.locator("#f-status").select_option("closed")
    await expect(page.locator("#findings-status")).to_have_text("Bu seçime uyan bulgu yok.")
    await page.locator("#f-status").select_option("")
    await expect(page.locator("#findings-table tbody tr")).to_have_count(1)

    # One finding: its facts, its words as written, the evidence as published, its history.
    await istanbul_row.get_by_role("link").first.click()
    await expect(page.locator("#finding-title")).to_be_focused()
    await expect(page.locator("#finding-title")).to_contain_text(f"Bulgu {register['istanbul']}")
    await expect(page.locator("#finding-title")).to_contain_text("Açık")
    await expect(page.locator("#finding-problem")).to_have_text(TRAP)
    await expect(page.locator("#finding-proposals")).to_contain_text(f"{TRAP} öneri")
    await expect(page.locator("#finding-facts")).to_contain_text("Zamanında hizmet")
    await expect(page.locator("#finding-evidence")).to_contain_text("Yanıt12")
    await expect(page.locator("#finding-evidence tr.concerned")).to_contain_text(
        "Zamanında hizmet (ilgili)")
    await expect(page.locator("#finding-evidence-note")).to_contain_text(
        "gösterge niteliğinde: yanıtlayanlar gönüllüdür")
    assert await page.locator("#finding img, #findings img").count() == 0
    assert await page.evaluate("window.pwned") is None

    # Moving it on: the form asks for what the move needs, then the server takes it.
    await page.get_by_role("button", name="Durumu kaydet").click()
    await expect(page.locator("#move-error")).to_have_text(
        "Önlemin tarihini ve ne yapıldığını yazın.")
    await page.get_by_label("Önlemin tarihi").fill(findings.today().isoformat())
    await page.get_by_label("Ne yapıldı").fill("Akşam randevuları açıldı")
    await page.get_by_role("button", name="Durumu kaydet").click()
    await expect(page.locator("#finding-title")).to_contain_text("Önlem alındı")
    await expect(page.locator("#finding-round")).to_contain_text("Akşam randevuları açıldı")
    await expect(page.locator("#move option")).to_have_count(2)

    await page.get_by_label("Yeni öneri").fill("Ek personel <script>")
    await page.get_by_role("button", name="Öneriyi ekle").click()
    await expect(page.locator("#finding-proposals li")).to_have_count(2)
    added = page.locator("#finding-proposals li").last
    await expect(added.locator("p").first).to_have_text("Ek personel <script>")
    await expect(added).to_contain_text("analist · Bakanlık")

    await page.get_by_role("button", name="Merkeze bildirildi olarak işaretle").click()
    await expect(page.locator("#report-note")).to_contain_text("Bakanlık tarafından merkeze")
    await expect(page.get_by_role("button", name="Merkeze bildirildi olarak işaretle")
                 ).to_be_hidden()
    history = page.locator("#finding-history li")
    await expect(history).to_have_count(5)
    await expect(history.nth(0)).to_contain_text("Bulgu oluşturuldu · İstanbul Valiliği "
                                                 "(komut satırı)")  # made in storage here
    await expect(history.nth(2)).to_contain_text("Durum değişti · Bakanlık (panel/API)")
    await expect(history.nth(2)).to_contain_text("Açık → Önlem alındı")
    await expect(history.nth(3)).to_contain_text("Öneri eklendi")
    await expect(history.nth(4)).to_contain_text("Merkeze bildirildi · Bakanlık")

    # A move the server refuses is told on the form, the finding as it was.
    await page.locator("#move").select_option("re_evaluated")
    await expect(page.get_by_label("Değerlendirme notu: ne görüldü")).to_be_visible()
    await page.get_by_role("button", name="Durumu kaydet").click()
    await expect(page.locator("#move-error")).to_have_text("Bu değişiklik için bir not yazın.")


async def test_a_finding_is_made_from_the_dashboard(page, site, db, register):
    token = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    await sign_in(page, site, token)
    await page.goto(f"{site}/#bulgular")
    await expect(page.locator("#findings-table tbody tr")).to_have_count(2)
    await page.get_by_text("Yeni bulgu").click()
    await page.locator("#nf-province").select_option("34")
    await page.locator("#nf-service").select_option("trafik")  # hidden: refused
    await page.get_by_label("Zamanında hizmet").check()
    await page.get_by_label("Sorun").fill("Trafik tescilinde sıra")
    await page.get_by_label("Önerilen çözümler").fill("Randevu sistemi\n\nEk gişe")
    await page.get_by_label("Sorumlu birim").fill("Trafik Tescil Şubesi")
    await page.get_by_label("Son tarih").fill((findings.today() + timedelta(days=60)).isoformat())
    await page.get_by_role("button", name="Bulguyu kaydet").click()
    await expect(page.locator("#nf-error")).to_contain_text("Kaydedilemedi: bilgileri denetleyin.")
    await expect(page.locator("#nf-error")).to_contain_text("is hidden")
    await page.locator("#nf-service").select_option("nufus")
    await page.get_by_role("button", name="Bulguyu kaydet").click()
    await expect(page.locator("#finding-title")).to_be_focused()
    await expect(page.locator("#finding-problem")).to_have_text("Trafik tescilinde sıra")
    await expect(page.locator("#finding-proposals li")).to_have_count(2)
    await expect(page.locator("#finding-facts")).to_contain_text("Bakanlık · Bakanlık")
    await page.get_by_role("link", name="← Tüm bulgular").click()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(3)


async def test_a_governors_office_sees_and_keeps_only_its_own(page, site, db, register):
    token = await create_token(db, TOKEN_KEY, parse_scope("province:34"), "İstanbul Valiliği")
    await sign_in(page, site, token)
    await page.goto(f"{site}/#bulgular")
    await expect(page.locator("#findings-table tbody tr")).to_have_count(1)
    assert await rows(page) == [str(register["istanbul"])]
    await expect(page.locator("#f-province")).to_be_disabled()
    await expect(page.locator("#nf-province option")).to_have_count(1)

    await page.goto(f"{site}/#bulgu/{register['istanbul']}")
    await expect(page.locator("#finding-problem")).to_have_text(TRAP)
    await expect(page.locator("#report-note")).to_have_text("Henüz merkeze bildirilmedi.")
    await expect(page.get_by_role("button", name="Merkeze bildirildi olarak işaretle")
                 ).to_be_hidden()
    await page.locator("#move").select_option("closed")
    await expect(page.get_by_label("Neden yapılabilecek bir şey yok")).to_be_visible()
    await page.get_by_label("Neden yapılabilecek bir şey yok").fill("Konu Bakanlık düzeyinde")
    await page.get_by_role("button", name="Durumu kaydet").click()
    await expect(page.locator("#finding-title")).to_contain_text("Kapatıldı")
    await expect(page.locator("#finding-round")).to_contain_text("yapılabilecek bir şey yok")
    await expect(page.locator("#proposal-form")).to_be_hidden()

    # Another province's finding: the same calm answer as a number that does not exist.
    await page.goto(f"{site}/#bulgu/{register['ankara']}")
    await expect(page.get_by_role("heading", name="Bulgu bulunamadı")).to_be_visible()
    await expect(page.locator("#finding-content")).to_be_hidden()
    await page.get_by_role("link", name="← Tüm bulgular").click()
    await expect(page.locator("#findings-table tbody tr")).to_have_count(1)


async def test_the_findings_script_is_served_as_javascript(site):
    import aiohttp

    async with aiohttp.ClientSession() as http, http.get(f"{site}/dashboard/findings.js") as answer:
        assert (answer.status, answer.content_type) == (200, "text/javascript")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
