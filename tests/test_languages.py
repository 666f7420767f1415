"""Turkish, English and Arabic: chosen from Telegram, changed with /dil, formatted by Babel."""

from __future__ import annotations

import pytest

from conversations.i18n import FSI, PDI, RLM, Texts
from storage.models import Respondent
from tests.stored import answers_of, the_response
from tests.survey_steps import read_notice, tap

ARABIC_LETTERS = range(0x0600, 0x06FF + 1)


def has_arabic(text: str) -> bool:
    return any(ord(ch) in ARABIC_LETTERS for ch in text)


async def start_and_agree(citizen):
    """/start, agree, say you are 18 or older (the first button: yes): the notice and the
    service question."""
    await citizen.send("/start")
    notice, question = await read_notice(citizen)
    await citizen.press(question.labels()[0])
    adult = await citizen.next_message()
    return notice, await tap(citizen, adult.labels()[0])


@pytest.mark.parametrize(("language_code", "expected_start"), [
    ("tr", "Merhaba!"), ("en", "Hello!"), ("en-GB", "Hello!"), ("de", "Merhaba!"),
    (None, "Merhaba!"),
])
async def test_first_contact_speaks_the_telegram_language_and_says_how_to_change_it(
    bot, telegram, language_code, expected_start
):
    user_id = 4000 + len(language_code or "") * 10 + ord((language_code or "x")[-1])
    citizen = telegram.citizen(user_id, language_code=language_code)
    await citizen.send("/start")
    notice = await citizen.next_message()
    assert notice.text.startswith(expected_start)
    assert "/dil" in notice.text


async def test_arabic_users_get_arabic_right_to_left(bot, telegram):
    citizen = telegram.citizen(4101, first_name="Ahmad", language_code="ar")
    notice, first = await start_and_agree(citizen)
    assert has_arabic(notice.text) and "/dil" in notice.text and "112" in notice.text
    # Each paragraph is marked right to left, so lines starting with a digit or emoji stay RTL.
    for message in (notice, first):
        assert all(line.startswith(RLM) for line in message.text.split("\n") if line)
    assert has_arabic(first.text) and all(has_arabic(label) for label in first.labels())


async def test_an_arabic_citizen_completes_the_survey_and_names_stay_readable(bot, telegram, db):
    citizen = telegram.citizen(4102, language_code="ar")
    _, service = await start_and_agree(citizen)
    # The migration office as Syrian readers call it.
    assert service.labels()[:6] == ["الشرطة", "الدرك (الجندرمة)", "المرور", "خط الطوارئ 112",
                                    "النفوس", "إدارة الهجرة"]
    goc = "إدارة الهجرة"
    recency = await tap(citizen, goc)
    channel = await tap(citizen, recency.labels()[0])
    province = await tap(citizen, channel.labels()[0])
    await citizen.send("gaziantep")
    recorded = await citizen.next_edit()
    # Typed in Latin letters, recorded by its Arabic name, as the buttons show it.
    assert recorded.text.endswith(f"✅ {FSI}غازي عنتاب{PDI}")
    district = await citizen.next_message()
    assert province.message_id < district.message_id
    assert "في أي قضاء؟" in district.text  # an ilçe is a قضاء
    await citizen.send("sahinbey")
    # Districts keep the Turkish names on the signs, isolated inside the Arabic line.
    assert (await citizen.next_edit()).text.endswith(f"✅ {FSI}Şahinbey{PDI}")
    interpreter = await citizen.next_message()
    question = await tap(citizen, interpreter.labels()[0])  # yes, an interpreter was there
    for _ in range(8):  # overall and the seven drivers
        question = await tap(citizen, question.labels()[0])
    comment = await tap(citizen, "7")
    await citizen.send("شكرا جزيلا")
    closing = await citizen.next_message()
    assert has_arabic(closing.text)
    response = await the_response(db)
    assert response.status == "completed"
    answers = await answers_of(db, response.id)
    assert (answers["service"], answers["province"], answers["district"]) == ("goc", "27", "1841")
    assert answers["interpreter"] == "yes" and answers["comment"] == "شكرا جزيلا"
    assert has_arabic(comment.labels()[0])  # "Skip" in Arabic


async def test_an_english_citizen_completes_the_survey(bot, telegram, db):
    citizen = telegram.citizen(4103, language_code="en")
    notice, service = await start_and_agree(citizen)
    assert notice.labels() == ["📄 Read the full privacy notice"]
    assert "Which service would you like to rate?" in service.text
    await tap(citizen, "Traffic")
    await tap(citizen, "8-30 days ago")
    await tap(citizen, "By phone")
    await citizen.send("Izmir")
    await citizen.next_edit()
    await citizen.next_message()
    # Whoever does not read the survey in Turkish is asked about language support, at
    # traffic as at the migration office.
    purpose = await tap(citizen, "Skip")
    assert "What was it about?" in purpose.text
    interpreter = await tap(citizen, "Traffic fine")
    assert "Was language support or an interpreter available" in interpreter.text
    await tap(citizen, "I did not need it")
    for label in ["Satisfied", "Agree", "Agree", "Agree", "Disagree", "Agree", "Agree",
                  "Strongly agree"]:
        await tap(citizen, label)
    await tap(citizen, "3")
    closing = await tap(citizen, "Skip")
    assert closing.text.startswith("Thank you!")
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["traffic_purpose"] == "fine" and answers["province"] == "35"
    assert answers["interpreter"] == "not_needed" and "language" not in answers
    assert "district" not in answers


async def test_language_can_change_mid_survey_without_losing_answers_and_is_remembered(
    bot, telegram, db
):
    citizen = telegram.citizen(4104, language_code="tr")
    await start_and_agree(citizen)
    await tap(citizen, "Nüfus")
    await citizen.send("/dil")
    menu = await citizen.next_message()
    assert menu.labels() == ["Türkçe", "English", "العربية"]
    await citizen.press("English")
    assert (await citizen.next_edit()).text == "✅ English"
    again = await citizen.next_message()
    assert "The language was changed" in again.text
    assert "When did you last use this service, yourself or" in again.text
    await tap(citizen, "In the last 7 days")
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers == {"adult": "yes", "service": "nufus", "recency": "d7"}
    async with db.transaction() as session:
        respondent = await session.get(Respondent, (await the_response(db)).respondent_id)
    assert respondent.language == "en"
    # Remembered: Telegram still says Turkish, the bot keeps English.
    await citizen.send("/start")
    assert "Welcome back!" in (await citizen.next_message()).text


async def test_language_support_follows_the_language_chosen_with_dil(bot, telegram, db):
    citizen = telegram.citizen(4106, language_code="tr")
    await start_and_agree(citizen)
    await tap(citizen, "Trafik")
    await tap(citizen, "Son 7 gün içinde")
    await tap(citizen, "Yüz yüze")
    await citizen.send("Bursa")
    await citizen.next_edit()
    await citizen.next_message()  # the district
    await citizen.send("/dil")
    await citizen.next_message()
    await citizen.press("العربية")
    await citizen.next_edit()
    await citizen.next_message()  # the district again, in Arabic
    purpose = await tap(citizen, "تخطي")
    # Asked of a Turkish Telegram user too, once they read Arabic.
    interpreter = await tap(citizen, purpose.labels()[0])
    assert "دعم لغوي" in interpreter.text
    await citizen.send("/dil")
    await citizen.next_message()
    await citizen.press("Türkçe")
    await citizen.next_edit()
    # Reading Turkish again, the question is not asked any more: the next one is shown.
    overall = await citizen.next_message()
    assert "Genel olarak aldığınız hizmetten ne kadar memnunsunuz?" in overall.text
    assert "dil desteği" not in overall.text
    await tap(citizen, overall.labels()[0])
    answers = await answers_of(db, (await the_response(db)).id)
    assert "interpreter" not in answers and "language" not in answers


async def test_language_can_be_chosen_before_consenting(bot, telegram, db):
    citizen = telegram.citizen(4105, language_code="tr")
    await citizen.send("/dil")
    await citizen.next_message()
    await citizen.press("العربية")
    await citizen.next_edit()
    notice, question = await read_notice(citizen)
    assert has_arabic(notice.text) and has_arabic(question.text)
    await citizen.press(question.labels()[0])
    await citizen.next_edit()
    first = await citizen.next_message()
    assert has_arabic(first.text)
    async with db.transaction() as session:
        respondent = await session.get(Respondent, (await the_response(db)).respondent_id)
    assert respondent.language == "ar"


@pytest.mark.parametrize(("locale", "mean", "share", "thousands"), [
    ("tr", "4,3", "%72", "1.001"), ("en", "4.3", "72%", "1,001"),
])
def test_numbers_and_percentages_follow_the_locale(locale, mean, share, thousands):
    t = Texts(locale)
    assert (t.decimal(4.3), t.percent(0.72), t.number(1001)) == (mean, share, thousands)


def test_arabic_has_six_plural_forms():
    t = Texts("ar")
    forms = {
        count: t.ngettext("Your earlier survey was closed after {days} day without an answer. "
                          "You are welcome to start again.",
                          "Your earlier survey was closed after {days} days without an "
                          "answer. You are welcome to start again.",
                          count)
        for count in (0, 1, 2, 3, 11, 100)
    }
    # Each count takes its own form: one, two, few (3-10), many (11-99); 100+ takes the
    # singular noun, as Arabic grammar wants.
    assert "يوم واحد" in forms[1] and "يومين" in forms[2]
    assert "أيام" in forms[3] and "يومًا" in forms[11]
    assert len({forms[1], forms[2], forms[3], forms[11], forms[100]}) == 5
    assert all(has_arabic(text) and "{days}" in text for text in forms.values())


def test_the_rows_left_for_the_csv_are_counted_in_arabic_plural_forms():
    rows = {count: Texts("ar").ngettext("…and {count} more row in the CSV.",
                                        "…and {count} more rows in the CSV.", count)
            for count in (1, 2, 3, 11, 100)}
    assert "صفّ واحد" in rows[1] and "صفّان" in rows[2] and "صفوف" in rows[3]
    assert "صفًّا" in rows[11] and len(set(rows.values())) == 5
    turkish = Texts("tr").ngettext("…and {count} more row in the CSV.",
                                   "…and {count} more rows in the CSV.", 16)
    assert turkish.format(count=16) == "…ve CSV dosyasında 16 satır daha."


def test_dates_follow_the_locale():
    from datetime import date

    day = date(2026, 11, 28)
    assert Texts("tr").date(day) == "28 Kasım 2026"
    assert Texts("en").date(day) == "November 28, 2026"
    assert has_arabic(Texts("ar").date(day))
