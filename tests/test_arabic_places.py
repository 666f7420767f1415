"""Arabic speakers (many of them Syrians in Türkiye) name their province and district in
Arabic, spelled as they spell it, and see the provinces by their Arabic names on the buttons;
what is stored stays the plate code and the district id."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from conversations import arabic_names
from conversations.i18n import FSI, PDI
from conversations.places import (
    arabic_name,
    districts_of,
    match_district,
    match_province,
    province_by_plate,
    provinces,
)
from tests.stored import answers_of, the_response
from tests.survey_steps import (
    answer_until_province,
    reach_the_province_by_position,
    type_province,
)

DATA = Path(__file__).resolve().parent.parent / "conversations" / "data" / "arabic_names.csv"
ARABIC_LETTERS = range(0x0600, 0x06FF + 1)


def is_arabic(text: str) -> bool:
    return any(ord(ch) in ARABIC_LETTERS for ch in text) and not any(
        "a" <= ch.lower() <= "z" for ch in text)


# --------------------------------------------------------------------------- the data


def test_every_province_has_an_arabic_name_to_show() -> None:
    shown = {p.plate: arabic_name(p) for p in provinces()}
    assert len(shown) == 81 and all(is_arabic(name) for name in shown.values())
    assert len(set(shown.values())) == 81
    assert (shown["27"], shown["34"], shown["63"], shown["31"]) == (
        "غازي عنتاب", "إسطنبول", "شانلي أورفة", "هاتاي")


def test_every_arabic_name_on_file_finds_its_own_place_and_no_other() -> None:
    with DATA.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    assert {row["source"] for row in rows} <= {"wof", "wof-variant", "cldr", "izdes"}
    assert Counter(row["plate"] for row in rows if row["shown"] == "yes") == Counter(
        p.plate for p in provinces())  # exactly one shown name per province
    for row in rows:
        if row["district_id"]:
            found = match_district(row["plate"], row["arabic"])
            assert found.status == "exact", row
            assert str(found.best.district_id) == row["district_id"], row
            assert found.best.name == row["turkish"], row
        else:
            found = match_province(row["arabic"])
            assert found.status == "exact" and found.best.plate == row["plate"], row


def test_the_largest_districts_have_arabic_names() -> None:
    wanted = {
        "34": [d.name for d in districts_of("34")],  # all 39 of İstanbul
        "27": ["Şahinbey", "Şehitkamil"], "63": ["Haliliye", "Eyyübiye", "Karaköprü"],
        "42": ["Karatay", "Selçuklu", "Meram"], "01": ["Yüreğir", "Seyhan", "Çukurova"],
        "16": ["Osmangazi", "Yıldırım", "Nilüfer"], "31": ["Antakya", "Reyhanlı", "İskenderun"],
        "33": ["Akdeniz", "Toroslar", "Mezitli", "Tarsus"],
    }
    for plate, names in wanted.items():
        for district in districts_of(plate):
            if district.name in names:
                assert arabic_names.district_names(district.district_id), district
    assert len(wanted["34"]) == 39


# --------------------------------------------------------------------------- typed names


@pytest.mark.parametrize(("typed", "plate"), [
    ("اسطنبول", "34"), ("إسطنبول", "34"), ("استانبول", "34"), ("إِسْطَنْبُول", "34"),
    ("اسطـنـبول", "34"), ("اسطنبوول", "34"),  # diacritics, tatweel, a typo
    ("غازي عنتاب", "27"), ("غازي عينتاب", "27"), ("عنتاب", "27"), ("عينتاب", "27"),
    ("ولاية غازي عنتاب", "27"), ("محافظة غازي عنتاب", "27"), ("٢٧", "27"), ("۲۷", "27"),
    ("أورفا", "63"), ("اورفه", "63"), ("أورفة", "63"), ("شانلي أورفة", "63"),
    ("شانلي اورفا", "63"), ("الرها", "63"),
    ("هاتاي", "31"), ("هتاي", "31"), ("أنطاكيا", "31"), ("انطاكية", "31"),
    ("كلس", "79"), ("كيليس", "79"), ("العثمانية", "80"), ("عثمانيه", "80"),
    ("قهرمان مرعش", "46"), ("كهرمان مرعش", "46"), ("مرعش", "46"),
    ("أضنة", "01"), ("اضنه", "01"), ("قونية", "42"), ("قونيا", "42"), ("مرسين", "33"),
    ("بورصة", "16"), ("أنقرة", "06"), ("انقره", "06"), ("إزمير", "35"), ("ازمير", "35"),
    ("ماردين", "47"), ("دياربكر", "21"), ("ديار بكر", "21"), ("ملطية", "44"),
    ("قيصري", "38"), ("بولى", "14"), ("بولو", "14"),
])
def test_a_province_typed_in_arabic_is_found(typed: str, plate: str) -> None:
    found = match_province(typed)
    assert found.best is not None and found.best.plate == plate, (typed, found)


@pytest.mark.parametrize(("plate", "typed", "district"), [
    ("27", "شاهين بك", "Şahinbey"), ("27", "شاهين بيه", "Şahinbey"),
    ("27", "شهيد كامل", "Şehitkamil"), ("27", "شهيت كامل", "Şehitkamil"),
    ("34", "إسنيورت", "Esenyurt"), ("34", "اسن يورت", "Esenyurt"),
    ("34", "منطقة إسنيورت", "Esenyurt"), ("34", "سلطان بيلي", "Sultanbeyli"),
    ("34", "كوجك جكمجة", "Küçükçekmece"), ("34", "كوتشوك تشكمجه", "Küçükçekmece"),
    ("34", "باغجلار", "Bağcılar"), ("34", "الفاتح", "Fatih"), ("34", "فاتح", "Fatih"),
    ("34", "باشاك شهير", "Başakşehir"), ("34", "أسكودار", "Üsküdar"),
    ("63", "الخليلية", "Haliliye"), ("63", "خليليه", "Haliliye"),
    ("63", "الأيوبية", "Eyyübiye"), ("63", "ايوبيه", "Eyyübiye"),
    ("42", "قره طاي", "Karatay"), ("42", "كاراتاي", "Karatay"), ("42", "سلجوقلو", "Selçuklu"),
    ("01", "يوريغير", "Yüreğir"), ("01", "سيحان", "Seyhan"),
    ("16", "عثمان غازي", "Osmangazi"), ("16", "يلدريم", "Yıldırım"),
    ("31", "أنطاكيا", "Antakya"), ("31", "انطاكيه", "Antakya"),
    ("31", "الريحانية", "Reyhanlı"), ("31", "ريحانية", "Reyhanlı"),
    ("79", "كلس", "Merkez"), ("79", "المركز", "Merkez"),  # Kilis merkez
])
def test_a_district_typed_in_arabic_is_found(plate: str, typed: str, district: str) -> None:
    found = match_district(plate, typed)
    assert found.best is not None and found.best.name == district, (typed, found)


def test_wrong_names_in_the_source_are_not_used() -> None:
    # Who's On First gives Bahçelievler Bağcılar's Arabic name, and Pursaklar Çubuk's.
    assert match_district("34", "باغجلار").best.name == "Bağcılar"
    assert match_district("06", "تشوبوك").best.name == "Çubuk"


# --------------------------------------------------------------------------- in Telegram


async def test_an_arabic_citizen_types_province_and_district_in_arabic(bot, telegram, db):
    citizen = telegram.citizen(7101, language_code="ar")
    province = await reach_the_province_by_position(citizen)
    await citizen.send("اسطنبول")
    recorded = await citizen.next_edit()
    assert recorded.message_id == province.message_id
    assert recorded.text.endswith(f"✅ {FSI}إسطنبول{PDI}")
    district = await citizen.next_message()
    await citizen.send("اسنيورت")
    assert (await citizen.next_edit()).text.endswith(f"✅ {FSI}Esenyurt{PDI}")
    assert district.message_id < (await citizen.next_message()).message_id
    answers = await answers_of(db, (await the_response(db)).id)
    esenyurt = match_district("34", "Esenyurt").best
    assert (answers["province"], answers["district"]) == ("34", str(esenyurt.district_id))


async def test_arabic_citizens_see_the_provinces_by_their_arabic_names(bot, telegram, db):
    citizen = telegram.citizen(7102, language_code="ar")
    page = await reach_the_province_by_position(citizen)
    seen: list[str] = []
    for _ in range(10):
        seen += [label for label in page.labels() if label not in ("◀", "▶")
                 and "/" not in label and is_arabic(label) and label != page.labels()[-1]]
        if "▶" not in page.labels():
            break
        await citizen.press("▶", message=page)
        page = await citizen.next_edit()
    shown = sorted(arabic_name(p) for p in provinces())
    assert sorted(seen) == shown, set(shown) ^ set(seen)
    assert seen.index("أنقرة") < seen.index("بورصة") < seen.index("غازي عنتاب")  # ا ب غ
    while "غازي عنتاب" not in page.labels():
        await citizen.press("◀", message=page)
        page = await citizen.next_edit()
    await citizen.press("غازي عنتاب", message=page)
    recorded = await citizen.next_edit()
    assert recorded.text.endswith(f"✅ {FSI}غازي عنتاب{PDI}")
    district = await citizen.next_message()
    await citizen.send("Atlantis")
    again = await citizen.next_message()
    assert "غازي عنتاب" in again.text and "Gaziantep" not in again.text
    assert district.message_id < again.message_id
    assert (await answers_of(db, (await the_response(db)).id))["province"] == "27"


async def test_a_turkish_citizen_may_type_arabic_and_still_sees_turkish(bot, telegram, db):
    citizen = telegram.citizen(7103)
    province = await answer_until_province(citizen)
    assert "Adana" in province.labels()
    district = await type_province(citizen, "غازي عينتاب")
    assert citizen.messages[-2].text.endswith("✅ Gaziantep")
    assert "Şahinbey" in district.labels()
    await citizen.send("شاهين بك")
    assert (await citizen.next_edit()).text.endswith("✅ Şahinbey")
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["province"] == "27" and province_by_plate(answers["province"]).name == (
        "Gaziantep")
