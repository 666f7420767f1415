"""Units' invitations (İZDES1) as the ministry, a governor's office and a unit's staff meet
them: `izdes units create` (and a CSV) writes the link and the internal notice with its QR
code; a governor's office invites its own province's units through the API; a staff member
scans the notice and answers in Telegram without typing unit or province; a citizen who
opens the link is sent to the citizens' survey; no count of a unit's staff shows anywhere."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from pathlib import Path

import aiohttp
import pytest

from admin.tokens import create_token, parse_scope
from tests.cli import izdes, run_izdes
from tests.conftest import METRICS_TOKEN, TOKEN_KEY
from tests.stored import answers_of, completed_responses
from tests.survey_steps import AGREE, read_notice, tap
from tests.test_admin_api import get
from tests.test_muhtar_links import payload_of, render, scan
from tests.test_operations import fetch

WORKS_HERE = "Bu birimde mi çalışıyorsunuz?"


async def invite_with_cli(db, telegram, out: Path, *args: str) -> tuple[str, str, Path]:
    """`izdes units create ...` as the ministry's operator runs it: (id, url, notice)."""
    output = await asyncio.to_thread(
        izdes, db.url, "units", "create", *args, "--out", str(out),
        bot_token=telegram.token, bot_api_url=telegram.root_url)
    assert "stats code" not in output  # no count of a unit's staff, for anyone
    unit_id = re.search(r"^unit (\d+)", output, re.M).group(1)
    url = re.search(r"https://t\.me/\S+", output).group(0)
    notice = next(Path(line.strip()) for line in output.splitlines()
                  if line.strip().endswith("-notice.pdf"))
    return unit_id, url, notice


async def answer_as_staff(citizen, payload: str, proposal: str) -> str:
    """Open the unit's link, agree, say one works there, answer everything; the thanks."""
    await citizen.send(f"/start {payload}")
    notice, _ = await read_notice(citizen)
    assert "amirleriniz" in notice.text  # told before consenting who sees what
    await citizen.press(AGREE)
    first = await citizen.next_message()
    assert "Bu anket şu birimin personeli içindir" in first.text and WORKS_HERE in first.text
    question = await tap(citizen, "Evet, burada çalışıyorum")
    while "Biriminizin en çok neye ihtiyacı var?" not in question.text:
        assert "Hangi tür birimde" not in question.text and "hangi ilde" not in question.text
        question = await tap(citizen, question.labels()[0])
    await citizen.press("Daha fazla personel")
    picked = await citizen.next_edit()  # the same message, with the pick ticked
    assert "✓ Daha fazla personel" in picked.labels() and "Tamam ✓" in picked.labels()
    proposal_question = await tap(citizen, "Tamam ✓")
    assert "Önerinizi yazabilir" in proposal_question.text
    await citizen.send(proposal)
    return (await citizen.next_message()).text


async def test_the_ministry_invites_a_unit_and_its_staff_answer_from_the_notice(
        bot, telegram, db, tmp_path):
    unit_id, url, notice = await invite_with_cli(
        db, telegram, tmp_path, "--province", "34", "--unit", "emniyet",
        "--name", "Kadıköy İlçe Emniyet Müdürlüğü")
    assert scan(notice) == url  # the printed code is the link itself
    _, text = render(notice)
    assert "KURUM İÇİ" in text and "halka açık panolara asmayınız" in text
    assert "Kadıköy İlçe Emniyet Müdürlüğü · İstanbul" in text
    assert "amirleriniz dahil hiç kimse" in text and "en az 5 personelin" in text

    staff = telegram.citizen(7001)
    thanks = await answer_as_staff(staff, payload_of(url),
                                   "Gece vardiyasına iki kişi daha, 0532 123 45 67")
    assert "Bakanlığa yalnızca ilinizde aynı türden birimlerde" in thanks
    [response] = await completed_responses(db)
    assert (response.survey_key, response.service, response.province) == (
        "personel", "emniyet", "34")
    assert response.district is None and response.link_id == int(unit_id)
    answers = await answers_of(db, response.id)
    assert answers["needs"] == "personnel"
    assert "0532" not in answers["proposal"]  # scrubbed as comments are

    # The same person, later this quarter: once a quarter is all.
    await staff.send(f"/start {payload_of(url)}")
    again = await staff.next_message()
    assert "Bu anketi bu çeyrek yıl içinde" in again.text
    # A count that moves as one of a unit's staff answers would date their answer to the
    # minute for whoever watches the graphs: the staff's surveys are not counted live.
    status, metrics = await fetch(f"{bot.http_url}/metrics", METRICS_TOKEN)
    assert status == 200 and "izdes_updates_received_total" in metrics
    assert "personel" not in metrics


async def test_a_citizen_who_opens_a_staff_link_is_offered_the_citizens_survey(
        bot, telegram, db, tmp_path):
    _, url, _ = await invite_with_cli(db, telegram, tmp_path, "--province", "06", "--unit",
                                      "nufus", "--name", "Çankaya İlçe Nüfus Müdürlüğü")
    citizen = telegram.citizen(7002)
    await citizen.send(f"/start {payload_of(url)}")
    await read_notice(citizen)
    await citizen.press(AGREE)
    assert WORKS_HERE in (await citizen.next_message()).text
    thanks = await tap(citizen, "Hayır")
    assert "yalnızca bağlantıyı paylaşan birimin personeli içindir" in thanks.text
    first = await tap(citizen, "Bir hizmeti değerlendir")
    assert "18 yaşını doldurdunuz mu?" in first.text
    # The staff survey's own deep link opens nothing either.
    other = telegram.citizen(7003)
    await other.send("/start personel")
    told = await other.next_message()
    assert "yalnızca birimlerine gönderilen bağlantıyla açılır" in told.text
    assert not await completed_responses(db)


async def test_a_csv_of_units_is_checked_whole_before_anything_is_made(
        bot, telegram, db, tmp_path):
    assert izdes(db.url, "units", "template").startswith("province,unit,name,valid_until")
    bad = tmp_path / "bad.csv"
    bad.write_text("province,unit,name\n34,emniyet,Kadıköy İlçe Emniyet Müdürlüğü\n"
                   "35,polis,Konak\n06,jandarma,\n", encoding="utf-8")
    result = await asyncio.to_thread(run_izdes, db.url, "units", "bulk", str(bad),
                                     "--bot-username", "izdes_test_bot")
    assert result.returncode == 2
    assert "line 3: unit 'polis'" in result.stderr and "line 4: name" in result.stderr
    assert "Kadıköy" not in izdes(db.url, "units", "list", bot_username="izdes_test_bot")
    good = tmp_path / "units.csv"
    good.write_text("\ufeffprovince,unit,name,valid_until\n34,emniyet,Kadıköy İlçe Emniyet "
                    "Müdürlüğü,\nAnkara,afad,Ankara AFAD İl Müdürlüğü,2030-01-31\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    izdes(db.url, "units", "bulk", str(good), "--out", str(out),
          "--bot-username", "izdes_test_bot")
    rows = list(csv.DictReader((out / "units.csv").open(encoding="utf-8-sig")))
    assert [(r["province"], r["unit"]) for r in rows] == [("34", "emniyet"), ("06", "afad")]
    assert all(scan(out / r["notice"]) == r["url"] for r in rows)
    listed = izdes(db.url, "units", "list", bot_username="izdes_test_bot")
    assert "Ankara AFAD İl Müdürlüğü" in listed and "until 2030-01-31" in listed
    # Units are not muhtars' links: none of their counts, anywhere.
    links = izdes(db.url, "links", "list")
    assert "Kadıköy" not in links and "AFAD" not in links
    # Nor can a muhtar's link (public poster, stats code) be made for the staff survey.
    made = run_izdes(db.url, "links", "create", "--province", "34", "--survey", "personel",
                     "--service", "emniyet", "--bot-username", "izdes_test_bot")
    assert made.returncode == 2 and "izdes units create" in made.stderr
    first = rows[0]["id"]
    assert run_izdes(db.url, "links", "stats", first).returncode == 1
    assert "disabled" in izdes(db.url, "units", "disable", first)
    assert "disabled" in izdes(db.url, "units", "list", bot_username="izdes_test_bot")


async def post(bot, path: str, token: str, body) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.http_url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
            data=body if isinstance(body, bytes) else json.dumps(body)) as answer:
        return answer.status, await answer.json(content_type=None)


async def test_a_governors_office_invites_its_own_provinces_units_only(bot, telegram, db):
    istanbul = await create_token(db, TOKEN_KEY, parse_scope("province:34"),
                                  "İstanbul Valiliği")
    ministry = await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")
    status, made = await post(bot, "/units", istanbul, {
        "province": "İstanbul", "unit": "acil112", "name": "İstanbul 112 Acil Çağrı Merkezi"})
    assert status == 201, made
    assert made["province"] == "34" and made["unit"] == "acil112"
    assert made["url"].startswith(f"https://t.me/{telegram.bot_username}?start=M")
    status, problem = await post(bot, "/units", istanbul, {
        "province": "06", "unit": "emniyet", "name": "Çankaya İlçe Emniyet Müdürlüğü"})
    assert status == 403 and "another province" in problem["detail"]
    for bad, says in (({"province": "34", "unit": "polis", "name": "X"}, "unit 'polis'"),
                      ({"province": "34", "unit": "emniyet"}, "name"),
                      ({"province": "34", "unit": 7, "name": "X"}, "each a string"),
                      (b"not json", "JSON")):
        status, problem = await post(bot, "/units", istanbul, bad)
        assert status == 400 and says in problem["detail"], (bad, problem)
    # One unit, one invitation: a second link for the same unit (its staff's figures are
    # hidden where one unit dominates, which several links would get round) is refused.
    status, problem = await post(bot, "/units", istanbul, {
        "province": "34", "unit": "acil112", "name": "  istanbul 112 acil  çağrı merkezi"})
    assert status == 409 and "already has an invitation" in problem["detail"], problem
    status, other = await post(bot, "/units", ministry, {
        "province": "06", "unit": "jandarma", "name": "Ankara İl Jandarma Komutanlığı"})
    assert status == 201
    status, listed, _ = await get(bot, "/units", istanbul)
    assert [u["name"] for u in listed["units"]] == ["İstanbul 112 Acil Çağrı Merkezi"]
    assert not any(key in listed["units"][0] for key in ("opened", "completed", "n"))
    status, everyone, _ = await get(bot, "/units", ministry)
    assert len(everyone["units"]) == 2
    assert (await get(bot, "/units?province=06", istanbul))[0] == 403
    status, pdf, headers = await get(bot, made["notice"].removeprefix("/api/v1"), istanbul)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF")
    # Another province's unit is as absent as a number no unit has: nothing tells it is one.
    theirs = await get(bot, f"/units/{other['id']}/notice.pdf", istanbul)
    none = await get(bot, "/units/999999/notice.pdf", istanbul)
    assert theirs[0] == none[0] == 404 and theirs[1] == none[1]
    assert (await get(bot, "/units/999999/notice.pdf", ministry))[0] == 404
    # No stats code was made for them: what is kept in its place is no code's digest, so
    # nothing typed at /istatistik (bot or web) can open their counts.
    from sqlalchemy import select

    from storage.models import Link
    from tests.stored import within

    async def digests(session):
        return list(await session.scalars(select(Link.stats_digest)))

    assert all(not re.fullmatch(r"[0-9a-f]{64}", d) for d in await within(db, digests))


@pytest.mark.parametrize("field", ["province", "unit", "name"])
def test_an_operators_missing_argument_is_one_line(tmp_path, field):
    values = {"province": "34", "unit": "emniyet", "name": "Kadıköy"}
    values.pop(field)
    args = [item for key, value in values.items() for item in (f"--{key}", value)]
    result = run_izdes(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "units", "create", *args,
                       "--bot-username", "izdes_test_bot")
    assert result.returncode == 2 and f"--{field}" in result.stderr
    assert "Traceback" not in result.stderr
