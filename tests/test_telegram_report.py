"""/rapor for administrators in Telegram: summary, chart and CSV; scope and suppression."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from PIL import Image

from tests.conftest import RunningBot, bot_settings
from tests.stored import last_month

MINISTRY, ISTANBUL = 5551, 5552


@pytest.fixture
async def admin_bot(telegram, db):
    # The monthly PDF (tests/test_report_delivery.py) would come between /rapor's answers.
    settings = bot_settings(telegram, db.url, report_delivery=False,
                            admin_telegram_ids=f"{MINISTRY}:national,{ISTANBUL}:province:34")
    running = RunningBot(settings, telegram)
    await running.start()
    yield running
    with contextlib.suppress(Exception):
        await running.stop()


async def test_the_ministry_gets_a_summary_a_chart_and_the_csv(admin_bot, telegram, survey_data):
    admin = telegram.citizen(MINISTRY, first_name="Bakanlık")
    await admin.send("/rapor")
    summary = await admin.next_message()
    assert summary.text.startswith("İZDES memnuniyet raporu")
    assert "(%95 güven aralığı; gösterge niteliğinde: yanıtlayanlar gönüllüdür)" in summary.text
    assert last_month().strftime("%Y-%m") in summary.text.split("\n")[0]
    assert "İstanbul: " in summary.text and "n=24" in summary.text
    assert "Ankara: " in summary.text and "n=14" in summary.text
    chart = await admin.next_message()
    image = Image.open(io.BytesIO(chart.document["content"]))
    assert image.format == "PNG" and len(set(image.getdata())) > 5  # drawn, not blank
    table = await admin.next_message()
    rows = list(csv.DictReader(io.StringIO(table.document["content"].decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"İstanbul", "Ankara", "İzmir"}


async def test_a_governors_office_sees_only_its_province(admin_bot, telegram, survey_data):
    office = telegram.citizen(ISTANBUL, first_name="Valilik")
    await office.send("/rapor 06")
    refused = await office.next_message()
    assert "yalnızca kendi ilini" in refused.text
    await office.send("/rapor")
    summary = await office.next_message()
    assert "İstanbul" in summary.text and "Trafik: " in summary.text and "Nüfus: " in summary.text
    assert "Ankara" not in summary.text


async def test_everyone_else_stays_in_the_citizen_survey(admin_bot, telegram, survey_data):
    citizen = telegram.citizen(5553)
    await citizen.send("/rapor")
    reply = await citizen.next_message()
    assert "rapor" not in reply.text.lower() and "/iptal" in reply.text  # the help text


async def test_small_cells_are_hidden_in_telegram_too(admin_bot, telegram, survey_data):
    admin = telegram.citizen(MINISTRY, first_name="Bakanlık")
    await admin.send("/rapor nufus")
    summary = await admin.next_message()
    assert "Nüfus" in summary.text and "İstanbul: " in summary.text
    assert "Ankara: 10 kişiden az" in summary.text  # 3 respondents
    assert summary.text.count("10 kişiden az") == 2  # and one more, so the total cannot tell
