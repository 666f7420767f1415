"""A citizen takes the service-satisfaction survey in Telegram, through the real bot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conversations.survey import builtin_surveys
from storage.models import Answer, ProcessedEvent, Respondent, Response
from tests.stored import answers_of, completed_responses, count, the_response
from tests.survey_steps import (
    ADULT,
    ADULT_QUESTION,
    AGREE,
    BACK,
    DECLINE,
    SKIP,
    agree,
    answer_after_province,
    answer_until_province,
    consent,
    read_notice,
    tap,
    type_province,
)

NOTICE_BUTTON = "📄 Aydınlatma metnini oku"
ARTICLE_11 = ["(a)", "(b)", "(c)", "(ç)", "(d)", "(e)", "(f)", "(g)", "(ğ)"]


async def test_start_shows_the_notice_and_then_asks_for_consent_on_its_own(bot, telegram):
    """KVKK: the notice (information) and the explicit consent (an act of its own) are
    separate; the notice in brief names every item of Art. 10."""
    ayse = telegram.citizen(1001)
    await ayse.send("/start")
    notice, question = await read_notice(ayse)
    assert "yaklaşık iki dakika" in notice.text
    # The welcome names the system as the ministry does.
    assert "İçişleri Bakanlığı İzleme ve Değerlendirme Sistemi (İZDES) kapsamında" in notice.text
    assert "acil durum hattı değildir" in notice.text and "112" in notice.text
    assert "ikamet veya geçici koruma statünüzü hiçbir şekilde etkilemez" in notice.text
    for item in ("Veri sorumlusu: T.C. İçişleri Bakanlığı", "Amaç:", "valilikler yalnızca",
                 "Türkiye dışındaki sunucularından", "en fazla 2 yıl", "/sil", "/gizlilik"):
        assert item in notice.text, item
    assert "anonim" not in notice.text.lower()
    assert notice.labels() == [NOTICE_BUTTON]
    assert question.text.startswith("Açık rıza") and "yurt dışına aktarılmasına" in question.text
    assert question.labels() == [AGREE, DECLINE]


async def test_the_full_notice_is_a_tap_or_a_command_away_and_stores_nothing(bot, telegram, db):
    ayse = telegram.citizen(1003)
    await ayse.send("/start")
    await read_notice(ayse)
    await ayse.press(NOTICE_BUTTON)
    full = await ayse.next_message()
    for item in ("Veri sorumlusu: T.C. İçişleri Bakanlığı, Bakanlıklar", "Hukuki sebep",
                 "açık rızanıza", "madde 9", "Kişisel Verileri Koruma Kurulu", "30 gün",
                 *ARTICLE_11):
        assert item.lower() in full.text.lower(), item
    assert await count(db, Respondent) == 0  # reading it is not agreeing to anything
    # A long read on a phone ends where the choice is: no scrolling back up to consent.
    assert full.labels() == [AGREE, DECLINE]
    question = await consent(ayse)  # and /gizlilik during a survey shows it, then goes on
    await ayse.send("/gizlilik")
    again = await ayse.next_message()
    assert "Kişisel Verileri Koruma Kurulu" in again.text
    assert again.labels() == question.labels()


async def test_the_notice_names_the_configured_data_controller(telegram, db):
    from tests.conftest import RunningBot, bot_settings

    running = RunningBot(bot_settings(
        telegram, db.url, controller_name="T.C. İçişleri Bakanlığı Strateji Daire Başkanlığı",
        controller_address="Örnek Sok. 1, Çankaya/Ankara", controller_contact="kvkk@example.gov.tr",
        retention_days=400), telegram)
    await running.start()
    try:
        ali = telegram.citizen(1004)
        await ali.send("/gizlilik")
        full = await ali.next_message()
        assert "Strateji Daire Başkanlığı, Örnek Sok. 1, Çankaya/Ankara" in full.text
        assert "kvkk@example.gov.tr" in full.text and "400 gün" in full.text
    finally:
        await running.stop()


async def test_declining_consent_ends_politely_and_stores_nothing(bot, telegram, db):
    mehmet = telegram.citizen(1002, first_name="Mehmet")
    await mehmet.send("/start")
    await read_notice(mehmet)
    await mehmet.press(DECLINE)
    goodbye = await mehmet.next_message()
    assert "hiçbir bilgi kaydedilmedi" in goodbye.text
    assert goodbye.labels() == ["✅ Fikrimi değiştirdim: onaylıyorum"]
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Respondent)) == 0
        assert await session.scalar(select(func.count()).select_from(Response)) == 0
        payloads = list(await session.scalars(select(ProcessedEvent.payload)))
    assert payloads and all(p is None for p in payloads), "raw updates must not be kept"


async def test_full_survey_every_answer_stored_and_chat_reads_as_a_record(bot, telegram, db):
    ayse = telegram.citizen(1003)
    first = await consent(ayse)
    assert "Soru 2/20\n" in first.text  # the longest path
    assert "Hangi hizmeti değerlendirmek istersiniz?" in first.text
    assert first.labels() == ["Emniyet (polis)", "Jandarma", "Trafik",
                              "112 Acil Çağrı", "Nüfus", "Göç İdaresi", BACK]
    await ayse.press("Trafik")
    recorded = await ayse.next_edit()
    assert recorded.message_id == first.message_id
    assert recorded.text.endswith("✅ Trafik") and recorded.buttons == []

    await ayse.next_message()  # when
    await tap(ayse, "Son 7 gün içinde")
    province_question = await tap(ayse, "Yüz yüze")
    await ayse.send("istanbul")
    typed = await ayse.next_edit()
    assert typed.message_id == province_question.message_id
    assert typed.text.endswith("✅ İstanbul") and typed.buttons == []
    district = await ayse.next_message()
    assert "Hangi ilçede?" in district.text
    assert district.labels()[:2] == ["Adalar", "Arnavutköy"] and SKIP in district.labels()
    await ayse.send("KADIKÖY")
    assert (await ayse.next_edit()).text.endswith("✅ Kadıköy")
    purpose = await ayse.next_message()
    assert "Hizmeti hangi konuda aldınız?" in purpose.text
    overall = await tap(ayse, "Kaza tespit işlemi")
    assert "ne kadar memnunsunuz" in overall.text
    assert overall.labels()[:5] == ["Çok memnunum", "Memnunum",
                                    "Ne memnunum ne memnun değilim", "Memnun değilim",
                                    "Hiç memnun değilim"]
    assert overall.labels()[-1] == BACK

    closing = await answer_after_province(ayse, comment="Sıra çok uzundu, ama personel ilgiliydi.")
    assert "Teşekkür ederiz" in closing.text
    assert closing.labels() == ["Başka bir hizmeti değerlendir"]
    # Every question message shows its answer: edits, which may land after the next message.
    recorded_all = await telegram.changes.wait_for(
        lambda: sum("\n✅ " in (m.text or "") for m in ayse.messages) == 18, 5)
    assert recorded_all, ayse.transcript()

    [response] = await completed_responses(db)
    assert (response.service, response.province, response.channel, response.district) == (
        "trafik", "34", "in_person", "1421")
    assert await answers_of(db, response.id) == {
        "adult": "yes", "service": "trafik", "recency": "d7", "channel": "in_person",
        "province": "34", "district": "1421", "traffic_purpose": "accident",
        "overall": "4", "timeliness": "4", "information": "4", "knowledge": "5",
        "courtesy": "3", "fairness": "4", "equal_treatment": "5", "outcome": "na",
        "effort": "6", "comment": "Sıra çok uzundu, ama personel ilgiliydi.",
    }
    # Every question message now shows its answer and has no live buttons; the notice keeps
    # its button to the full text (information, never stale).
    agreed, *recorded = [m for m in ayse.messages if "\n✅ " in (m.text or "")]
    assert agreed.text.startswith("Açık rıza") and agreed.text.endswith("✅ Onaylıyorum")
    assert len(recorded) == 17, ayse.transcript()
    assert [m for m in ayse.messages if m.buttons] == [ayse.messages[0], ayse.last]


async def test_each_answer_is_stored_the_moment_it_is_given(bot, telegram, db):
    ayse = telegram.citizen(1004)
    await consent(ayse)
    await tap(ayse, "Nüfus")
    response = await the_response(db)
    assert response.status == "active" and response.service == "nufus"
    assert await answers_of(db, response.id) == {"adult": "yes", "service": "nufus"}


async def test_112_asks_when_help_arrived_and_skips_the_channel(bot, telegram, db):
    caller = telegram.citizen(1005)
    await consent(caller)
    await tap(caller, "112 Acil Çağrı")
    province = await tap(caller, "8-30 gün önce")
    assert "Hizmeti hangi ilde aldınız?" in province.text
    assert province.text.startswith("Soru 4/20")
    await type_province(caller, "06")
    help_time = await tap(caller, SKIP)
    assert "yardımın ulaşması ne kadar sürdü" in help_time.text
    # Bands that do not overlap: 20 minutes is in one of them only.
    assert help_time.labels()[:4] == ["10 dakikadan az", "10-19 dakika", "20-29 dakika",
                                      "30 dakika veya daha uzun"]
    await tap(caller, "10-19 dakika")
    timeliness = await tap(caller, "Çok memnunum")
    assert "Yardım makul sürede ulaştı." in timeliness.text
    await tap(caller, "Katılıyorum")  # timeliness
    knowledge = await tap(caller, "Katılıyorum")  # information
    # "Staff" at 112 is the call-taker, not the crew that came.
    assert "Çağrımı karşılayan görevli bilgili ve yetkindi." in knowledge.text
    courtesy = await tap(caller, "Katılıyorum")
    assert "Çağrımı karşılayan görevli nazikti" in courtesy.text


@pytest.mark.parametrize("help_time", ["Yardım gelmedi", "Ekip gelmesine gerek olmadı"])
async def test_112_does_not_ask_whether_help_that_never_came_came_in_time(
    bot, telegram, db, help_time
):
    caller = telegram.citizen(1011 + len(help_time))
    await consent(caller)
    await tap(caller, "112 Acil Çağrı")
    await tap(caller, "Son 7 gün içinde")
    await type_province(caller, "06")
    await tap(caller, SKIP)
    await tap(caller, help_time)
    after_overall = await tap(caller, "Hiç memnun değilim")
    assert "makul sürede" not in after_overall.text
    assert "Ne yapmam gerektiği konusunda açık bilgi aldım." in after_overall.text
    await caller.press(BACK)  # and Back leads to the overall question, not to timeliness
    assert "ne kadar memnunsunuz" in (await caller.next_edit()).text, caller.transcript()


@pytest.mark.parametrize(("typed", "province"), [
    ("İSTANBUL", "İstanbul"), ("sanliurfa", "Şanlıurfa"), ("urfa", "Şanlıurfa"),
    ("Afyon", "Afyonkarahisar"), ("6", "Ankara"), ("izmır", "İzmir"),
])
async def test_province_can_be_typed_forgivingly(bot, telegram, typed, province):
    citizen = telegram.citizen(1100 + len(typed) * 7 + ord(typed[0]))
    await answer_until_province(citizen)
    await citizen.send(typed)
    recorded = await citizen.next_edit()
    assert recorded.text.endswith(f"✅ {province}")


async def test_province_buttons_page_through_all_81_provinces(bot, telegram):
    citizen = telegram.citizen(1006)
    question = await answer_until_province(citizen)
    seen = []
    page = question
    for _ in range(10):
        seen += [label for label in page.labels() if label not in ("◀", "▶", BACK)
                 and "/" not in label]
        if "▶" not in page.labels():
            break
        await citizen.press("▶", message=page)
        page = await citizen.next_edit()
    assert len(seen) == 81 and len(set(seen)) == 81
    await citizen.press("Zonguldak", message=page)
    assert (await citizen.next_edit()).text.endswith("✅ Zonguldak")


async def test_unknown_province_is_explained_and_nothing_is_lost(bot, telegram, db):
    citizen = telegram.citizen(1007)
    await answer_until_province(citizen)
    await citizen.send("Atlantis")
    again = await citizen.next_message()
    assert "“Atlantis” adında bir il bulamadım" in again.text
    assert "Hizmeti hangi ilde aldınız?" in again.text
    await citizen.send("Kır")  # Kırıkkale, Kırklareli, Kırşehir
    choices = await citizen.next_message()
    assert {"Kırıkkale", "Kırklareli", "Kırşehir"} <= set(choices.labels())
    await citizen.press("Kırşehir")
    assert (await citizen.next_edit()).text.endswith("✅ Kırşehir")
    response = await the_response(db)
    assert await answers_of(db, response.id) == {
        "adult": "yes", "service": "trafik", "recency": "d7", "channel": "in_person",
        "province": "40"}


async def test_back_returns_to_the_previous_question_and_the_answer_can_change(
    bot, telegram, db
):
    citizen = telegram.citizen(1008)
    await consent(citizen)
    await tap(citizen, "Emniyet (polis)")
    await citizen.press(BACK)
    back = await citizen.next_edit()
    assert "Hangi hizmeti değerlendirmek istersiniz?" in back.text
    assert "✓ Emniyet (polis)" in back.labels()  # the earlier answer is marked
    await citizen.press("Göç İdaresi")
    await citizen.next_edit()
    await citizen.next_message()
    response = await the_response(db)
    assert response.service == "goc"
    assert await answers_of(db, response.id) == {"adult": "yes", "service": "goc"}


async def test_a_matter_not_concluded_yet_is_no_outcome_score(bot, telegram, db):
    """A residence permit still pending: the outcome is not "I got what I needed", and it
    is not a 1 either; it counts in no score, like "don't know"."""
    citizen = telegram.citizen(1014)
    await answer_until_province(citizen, service="Göç İdaresi")
    await type_province(citizen, "Gaziantep")
    drivers = ["Katılıyorum"] * 6 + ["Henüz sonuçlanmadı"]
    closing = await answer_after_province(citizen, drivers=drivers)
    assert "Teşekkür ederiz" in closing.text
    async with db.transaction() as session:
        outcome = (await session.execute(
            select(Answer.value, Answer.score).where(Answer.question_id == "outcome"))).one()
    assert tuple(outcome) == ("pending", None)


async def test_earlier_visit_ends_politely(bot, telegram, db):
    citizen = telegram.citizen(1009)
    await consent(citizen)
    await tap(citizen, "Trafik")
    end = await tap(citizen, "30 günden daha önce")
    assert "son 30 gün" in end.text.lower()
    assert end.labels() == ["Başka bir hizmeti değerlendir"]
    assert await completed_responses(db) == []
    again = await tap(citizen, "Başka bir hizmeti değerlendir")
    assert "Hangi hizmeti değerlendirmek istersiniz?" in again.text  # the age said already


async def test_who_did_not_use_the_service_is_thanked_and_not_surveyed(bot, telegram, db):
    citizen = telegram.citizen(1012)
    await consent(citizen)
    recency = await tap(citizen, "Nüfus")
    assert "kendiniz için ya da bir başkası adına" in recency.text
    end = await tap(citizen, "Bu hizmeti almadım")
    assert "hizmeti kendisi için ya da bir başkası adına almış kişiler içindir" in end.text
    assert end.labels() == ["Başka bir hizmeti değerlendir"]
    response = await the_response(db)
    assert response.status == "screened_out"
    assert await answers_of(db, response.id) == {
        "adult": "yes", "service": "nufus", "recency": "not_used"}


async def test_someone_under_18_is_thanked_and_nothing_of_theirs_is_kept(bot, telegram, db):
    citizen = telegram.citizen(1013)
    first = await agree(citizen)
    assert ADULT_QUESTION in first.text and first.labels()[:2] == [ADULT, "Hayır"]
    end = await tap(citizen, "Hayır")
    assert "yalnızca 18 yaşını doldurmuş kişiler içindir" in end.text
    assert "yanıtlarınız ve onay kaydınız silindi" in end.text
    assert end.labels() == []  # no "rate another service" to try again as an adult
    # A minor cannot consent alone (KVKK): neither the response nor the consent is kept.
    assert await count(db, Response) == 0 and await count(db, Respondent) == 0
    await citizen.send("/start")
    await read_notice(citizen)  # asked for consent again, as a stranger


async def test_a_second_service_is_rated_without_being_asked_the_age_again(bot, telegram, db):
    citizen = telegram.citizen(1014)
    await consent(citizen)
    await tap(citizen, "Trafik")
    end = await tap(citizen, "30 günden daha önce")
    again = await tap(citizen, end.labels()[0])
    assert "Hangi hizmeti değerlendirmek istersiniz?" in again.text
    # The first question asked this time, counted against a path one question shorter.
    longest = builtin_surveys()["hizmet"].longest_path()
    assert f"Soru 1/{longest - 1}" in again.text.splitlines()
    assert BACK not in again.labels()  # nothing to go back to: the age was not asked
    async with db.transaction() as session:
        second = await session.scalar(select(func.max(Response.id)))
    assert (await answers_of(db, second))["adult"] == "yes"  # the response stays complete


async def test_shortest_full_survey_takes_sixteen_taps(bot, telegram, db):
    """14 before the screening questions and the two new drivers (survey version 1); now the
    same 112 path takes 17, and 16 when help never came (no timeliness question)."""
    citizen = telegram.citizen(1010)
    taps = 0

    async def press(label: str):
        nonlocal taps
        taps += 1
        return await tap(citizen, label)

    await citizen.send("/start")
    await read_notice(citizen)
    await press(AGREE)
    await press(ADULT)
    await press("112 Acil Çağrı")
    await press("Son 7 gün içinde")
    await press("Ankara")
    await press(SKIP)  # district
    await press("Yardım gelmedi")
    for label in ["Hiç memnun değilim", *["Kesinlikle katılmıyorum"] * 6, "1", SKIP]:
        await press(label)
    assert len(await completed_responses(db)) == 1
    # consent + the 15 questions of the 112 path, district and comment skipped
    assert taps == 16


async def test_the_notice_is_on_the_web_server_in_every_language(bot):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.http_url}/gizlilik") as page:
            turkish = await page.text()
            assert page.status == 200 and page.content_type == "text/html"
        async with http.get(f"{bot.http_url}/gizlilik?lang=ar") as page:
            arabic = await page.text()
        async with http.get(f"{bot.http_url}/gizlilik",
                            headers={"Accept-Language": "en-GB,en;q=0.8"}) as page:
            english = await page.text()
    assert "Kişisel Verileri Koruma Kurulu" in turkish and "(ğ)" in turkish
    assert 'dir="rtl"' in arabic and "مجلس حماية البيانات الشخصية" in arabic
    assert "Personal Data Protection Board" in english and 'lang="en"' in english
    # And what the staff of provincial units are told besides: their superiors see nothing.
    assert "İl birimlerinin personeli için (İZDES1)" in turkish
    assert "amirleriniz hiç kimsenin yanıtlarını göremez" in turkish
    assert "Your unit and your superiors see no one&#x27;s answers" in english
