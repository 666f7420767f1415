"""Issue 17's two surveys as residents and parents take them in Telegram: the neighbourhood
safety survey (mahalle), from a muhtar's link and from its deep link, and the school-bus
survey (okul_servis), in Turkish, English and Arabic; and their figures as published."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from admin.publish import Publication, latest_period
from admin.scores import ScoreRequest, score_rows
from conversations.links import new_payload, new_stats_code, stats_code_digest
from conversations.places import match_district
from conversations.survey import builtin_surveys
from storage.links import NewLink, create_link
from tests.cli import izdes
from tests.stored import (
    answers_of,
    completed_responses,
    insert_completed,
    last_month,
    publish,
    the_response,
    within,
)
from tests.survey_steps import AGREE, BACK, SKIP, read_notice
from tests.telegram_double import BotMessage, Citizen

AGREE_EN, SKIP_EN = "✅ I agree", "Skip"
AGREE_AR, BACK_AR, SKIP_AR = "✅ أوافق", "« رجوع", "تخطي"


@dataclass(frozen=True)
class Typed:
    """The citizen types this instead of pressing a button."""

    text: str


async def agree_from(citizen: Citizen, start: str, agree: str = AGREE) -> BotMessage:
    """Open the bot with ``start`` (a deep link's or a muhtar link's payload), agree to the
    notice; returns the first question."""
    await citizen.send(f"/start {start}")
    _, question = await read_notice(citizen)
    assert agree in question.labels(), citizen.transcript()
    await citizen.press(agree)
    return await citizen.next_message()


async def follow(citizen: Citizen, question: BotMessage,
                 script: list[tuple[str, str | Typed]]) -> BotMessage:
    """Read each question and answer it: ``script`` holds what the question says and what
    the citizen does (press the button with that label, or type). Returns what comes after
    the last answer."""
    for says, does in script:
        assert says in question.text, citizen.transcript()
        if isinstance(does, Typed):
            await citizen.send(does.text)
        else:
            assert does in question.labels(), (does, question.labels())
            await citizen.press(does)
        question = await citizen.next_message()
    return question


def district_id(plate: str, name: str) -> str:
    return str(match_district(plate, name).best.district_id)


async def muhtar_link(db, province: str, district: str | None, mahalle: str,
                      survey: str) -> str:
    """A muhtar's link as `izdes links create --survey ...` stores it; returns its payload."""
    payload = new_payload()
    await within(db, create_link, NewLink(
        payload=payload, stats_digest=stats_code_digest(new_stats_code()),
        label=f"{mahalle} Muhtarlığı", province=province,
        district=district_id(province, district) if district else None, mahalle=mahalle,
        survey_key=survey))
    return payload


# ---- the definitions ------------------------------------------------------------------------

def test_the_surveys_ask_what_issue_17_requires():
    mahalle, okul = builtin_surveys()["mahalle"], builtin_surveys()["okul_servis"]
    assert [q.id for q in mahalle.questions] == [
        "adult", "via_link", "resident", "province", "district", "night_safety", "main_problem",
        "drugs_seen", "drugs_report", "speeding", "crossings", "school_traffic", "school_area",
        "trust_police", "trust_jandarma", "proposal"]
    assert [q.id for q in okul.questions] == [
        "adult", "rides", "province", "district", "school_level", "overall",
        "vehicle_condition", "seats", "driver_speed", "driver_phone", "seat_belts", "escort",
        "sign", "door_drop", "knows_complaint", "comment"]
    # TÜİK's categories, in TÜİK's order; the share at 4 or 5 is its "feels safe" figure.
    assert [(c.value, c.label) for c in mahalle.question("night_safety").choices] == [
        ("5", "Very safe"), ("4", "Safe"), ("3", "Neither safe nor unsafe"),
        ("2", "Unsafe"), ("1", "Very unsafe")]
    assert (mahalle.report.overall, mahalle.report.satisfied_min) == ("night_safety", 4)
    # Nobody is asked whether they use drugs, and anyone may decline to say what they saw.
    assert [c.value for c in mahalle.question("drugs_seen").choices] == [
        "yes", "no", "prefer_not"]
    for survey, screens in ((mahalle, ["adult", "resident"]), (okul, ["adult", "rides"])):
        for screen in screens:
            assert survey.question(screen).choice("no").ends, (survey.key, screen)


@pytest.mark.parametrize("key", ["mahalle", "okul_servis"])
def test_one_scale_direction_and_the_overall_question_first(key):
    survey = builtin_surveys()[key]
    ids = [q.id for q in survey.questions]
    # Overall before details: no published driver is asked before the overall question.
    assert all(ids.index(survey.report.overall) < ids.index(d) for d in survey.report.drivers)
    for question in survey.questions:
        scores = [c.score for c in question.choices if c.score is not None]
        # Every scored answer list runs from the favourable end (5) down; "don't know" last.
        assert scores == sorted(scores, reverse=True), question.id
        unscored = [i for i, c in enumerate(question.choices) if c.score is None]
        if scores and unscored:
            assert unscored == [len(question.choices) - 1], question.id
    # What the report publishes is on the 1-5 scale its figures assume.
    for qid in (survey.report.overall, *survey.report.drivers):
        scores = {c.score for c in survey.question(qid).choices} - {None}
        assert scores <= {1, 2, 3, 4, 5} and {1, 5} <= scores, qid


@pytest.mark.parametrize(("key", "qid"), [("mahalle", "proposal"), ("okul_servis", "comment"),
                                        ("hizmet", "comment")])
def test_the_free_text_question_warns_against_personal_details(key, qid):
    from conversations.i18n import Texts

    text = builtin_surveys()[key].question(qid).text
    assert "do not write names, ID numbers or health details" in text
    assert "isim, kimlik numarası veya sağlık bilgisi yazmayınız" in Texts("tr")._(text)
    assert "أسماء أو أرقام هوية أو معلومات صحية" in Texts("ar")._(text)


# ---- the neighbourhood safety survey ---------------------------------------------------------

MAHALLE_TR = [
    ("18 yaşını doldurdunuz mu?", "Evet"),
    ("afişte veya bağlantıda adı geçen mahallede mi oturuyorsunuz?", "Evet, orada oturuyorum"),
    ("Yaşadığınız çevrede gece yalnız yürürken kendinizi ne kadar güvende hissediyorsunuz?",
     "Güvensiz"),
    ("Mahallenizdeki en önemli güvenlik sorunu nedir?", "Uyuşturucu"),
    ("Son 12 ay içinde mahallenizde uyuşturucu kullanıldığını veya satıldığını gördünüz ya da "
     "duydunuz mu?", "Söylemek istemiyorum"),
    ("nereye ihbar edeceğinizi biliyor musunuz?", "Evet"),
    ("Mahallede araçlar güvenli bir hızla gidiyor.", "Katılmıyorum"),
    ("Yayalar yaya geçitlerinden karşıya güvenle geçebiliyor.", "Ne katılıyorum ne katılmıyorum"),
    ("Okulların çevresinde trafik çocuklar için güvenli.", "Katılıyorum"),
    ("Trafik dışında da okulların çevresi çocuklar için güvenli.", "Bilmiyorum / Durumuma uymuyor"),
    ("Polise güveniyorum.", "Kesinlikle katılıyorum"),
    ("Jandarmaya güveniyorum.", "Katılıyorum"),
    ("isim, kimlik numarası veya sağlık bilgisi yazmayınız",
     Typed("Parkın çevresine aydınlatma ve akşam devriyesi gerekli.")),
]


async def test_a_resident_answers_from_the_muhtars_link_and_the_answers_belong_to_the_mahalle(
        bot, telegram, db, tmp_path):
    from tests.test_muhtar_links import create_link_with_cli, payload_of

    made = await create_link_with_cli(
        db, telegram, tmp_path, "--province", "34", "--district", "Kadıköy",
        "--mahalle", "Caferağa", "--survey", "mahalle")
    resident = telegram.citizen(17001)
    first = await agree_from(resident, payload_of(made.url))
    night = await follow(resident, first, MAHALLE_TR[:2])
    # The link says where: no province or district question, straight to TÜİK's question.
    assert night.labels() == ["Çok güvenli", "Güvenli", "Ne güvenli ne güvensiz", "Güvensiz",
                              "Çok güvensiz", BACK]
    closing = await follow(resident, night, MAHALLE_TR[2:])
    # Its own thanks, not the service survey's, and no "rate another service".
    assert closing.text.startswith("Teşekkür ederiz! Yanıtlarınız kaydedildi; mahallenizin")
    assert closing.labels() == ["Bir hizmeti değerlendir"]
    assert "Hangi ilde" not in resident.transcript()
    assert "112'ye ihbar" not in resident.transcript()  # they know where to report

    [response] = await completed_responses(db)
    assert (response.survey_key, response.province, response.district, response.mahalle) == (
        "mahalle", "34", district_id("34", "Kadıköy"), "Caferağa")
    assert await answers_of(db, response.id) == {
        "adult": "yes", "resident": "yes", "province": "34",
        "district": district_id("34", "Kadıköy"), "night_safety": "2", "main_problem": "drugs",
        "drugs_seen": "prefer_not", "drugs_report": "yes", "speeding": "2", "crossings": "3",
        "school_traffic": "4", "school_area": "na", "trust_police": "5", "trust_jandarma": "4",
        "proposal": "Parkın çevresine aydınlatma ve akşam devriyesi gerekli.",
    }


async def test_from_the_deep_link_a_resident_says_where_and_learns_where_to_report_drugs(
        bot, telegram, db):
    resident = telegram.citizen(17002, language_code="en")
    first = await agree_from(resident, "mahalle", AGREE_EN)
    speeding = await follow(resident, first, [
        ("Are you 18 or older?", "Yes"),
        # No muhtar's link names a mahalle here: where they live is asked, not whether.
        ("In which province do you live?", Typed("ankara")),
        ("In which district?", Typed("cankaya")),
        ("How safe do you feel walking alone at night in the area where you live?",
         "Very safe"),
        ("What is the main safety problem in your neighbourhood?", "No particular problem"),
        ("have you seen or heard of drugs being used or sold in your neighbourhood?", "No"),
        ("Do you know where to report the use or sale of drugs?", "No"),
    ])
    # Whoever does not know is told before the next question.
    assert ("Good to know: the use or sale of drugs can be reported to 112 (calls to 155 and "
            "156 reach it too).") in speeding.text
    assert "Vehicles in the neighbourhood keep to a safe speed." in speeding.text
    closing = await follow(resident, speeding, [
        ("safe speed", "Agree"),
        ("Pedestrians can cross the streets safely at the crossings.", "Disagree"),
        ("Traffic around the schools is safe for children.", "Strongly disagree"),
        ("Apart from traffic, the surroundings of the schools are safe for children.",
         "Neither agree nor disagree"),
        ("I trust the police (Emniyet).", "Agree"),
        ("I trust the gendarmerie (Jandarma).", "Don't know / not applicable"),
        ("What one thing would make your neighbourhood safer? Please do not write names, ID "
         "numbers or health details.", SKIP_EN),
    ])
    assert closing.text.startswith("Thank you! Your answers have been recorded.")

    response = await the_response(db)
    assert (response.status, response.survey_key, response.province, response.district,
            response.mahalle, response.link_id) == (
        "completed", "mahalle", "06", district_id("06", "Çankaya"), None, None)
    answers = await answers_of(db, response.id)
    assert answers["night_safety"] == "5" and answers["drugs_report"] == "no"
    assert answers["trust_jandarma"] == "na" and "proposal" not in answers


async def test_an_arabic_resident_answers_from_a_muhtars_link(bot, telegram, db):
    payload = await muhtar_link(db, "27", "Şahinbey", "Karataş", "mahalle")
    resident = telegram.citizen(17003, language_code="ar")
    first = await agree_from(resident, payload, AGREE_AR)
    night = await follow(resident, first, [
        ("هل يبلغ عمركم 18 عامًا أو أكثر؟", "نعم"),
        ("هل تسكنون في الحي المذكور في الملصق أو الرابط الذي فتحتم منه هذا الاستبيان؟",
         "نعم، أسكن فيه"),
    ])
    assert "ما مدى شعوركم بالأمان عند المشي بمفردكم ليلًا" in night.text
    # First person: no answer takes a gender.
    assert night.labels() == ["أشعر بأمان كبير", "أشعر بالأمان", "لا أشعر بالأمان ولا بانعدامه",
                              "لا أشعر بالأمان", "لا أشعر بالأمان إطلاقًا", BACK_AR]
    speeding = await follow(resident, night, [
        ("ما مدى شعوركم بالأمان", "أشعر بالأمان"),
        ("ما أبرز مشكلة أمنية في حيّكم؟", "الكلاب الضالة"),
        ("هل رأيتم أو سمعتم عن تعاطي المخدرات أو بيعها في حيّكم؟", "نعم"),
        ("هل تعرفون أين يمكن الإبلاغ عن تعاطي المخدرات أو بيعها؟", "لا"),
    ])
    assert "يمكنكم الإبلاغ عن تعاطي المخدرات أو بيعها على الرقم 112" in speeding.text
    closing = await follow(resident, speeding, [
        ("تسير المركبات في الحي بسرعة آمنة.", "أوافق"),
        ("يستطيع المشاة عبور الشوارع بأمان عند ممرات المشاة.", "لا أوافق ولا أعارض"),
        ("حركة المرور حول المدارس آمنة للأطفال.", "لا أوافق"),
        ("بصرف النظر عن حركة المرور، محيط المدارس آمن للأطفال.", "أوافق"),
        ("أثق بالشرطة.", "أوافق بشدة"),
        ("أثق بالدرك (الجندرمة).", "أوافق"),
        ("يُرجى عدم كتابة أسماء أو أرقام هوية أو معلومات صحية", Typed("نحتاج إلى إنارة الشارع")),
    ])
    assert "شكرًا لكم! تم تسجيل إجاباتكم، وستُستخدم في تقييم الأمان في حيّكم" in closing.text
    response = await the_response(db)
    assert (response.status, response.province, response.district, response.mahalle) == (
        "completed", "27", district_id("27", "Şahinbey"), "Karataş")
    answers = await answers_of(db, response.id)
    assert (answers["night_safety"], answers["main_problem"], answers["drugs_seen"]) == (
        "4", "stray_dogs", "yes")
    assert answers["crossings"] == "3" and answers["proposal"] == "نحتاج إلى إنارة الشارع"


async def test_who_declines_and_changes_their_mind_gets_the_survey_they_opened(
        bot, telegram, db):
    resident = telegram.citizen(17020)
    await resident.send("/start mahalle")
    welcome, _ = await read_notice(resident)
    # The welcome says what this survey is about, not the service survey's "last 30 days".
    assert "oturduğunuz mahallenin güvenliği" in welcome.text
    assert "son 30 gün" not in welcome.text
    await resident.press("Hayır, teşekkürler")
    declined = await resident.next_message()
    assert "hiçbir bilgi kaydedilmedi" in declined.text
    assert await the_response(db) is None
    await resident.press("✅ Fikrimi değiştirdim: onaylıyorum")
    first = await resident.next_message()
    where = await follow(resident, first, [("18 yaşını doldurdunuz", "Evet")])
    # The neighbourhood survey, from its deep link: where they live is asked at once.
    assert "Hangi ilde oturuyorsunuz?" in where.text
    assert (await the_response(db)).survey_key == "mahalle"


@pytest.mark.parametrize(("script", "goodbye", "kept"), [
    # A minor: nothing of theirs is kept (tests/test_survey_in_telegram.py says more).
    ([("18 yaşını doldurdunuz", "Hayır")], "yalnızca 18 yaşını doldurmuş kişiler içindir",
     False),
    ([("18 yaşını doldurdunuz", "Evet"), ("mahallede mi oturuyorsunuz?", "Hayır")],
     "kendi oturdukları mahalle hakkındaki görüşlerini soruyor", True),
])
async def test_minors_and_people_from_elsewhere_are_thanked_and_not_counted(
        bot, telegram, db, script, goodbye, kept):
    # From a muhtar's poster: only a link names a mahalle someone may not live in.
    payload = await muhtar_link(db, "06", "Çankaya", "Kızılay", "mahalle")
    citizen = telegram.citizen(17010 + len(script))
    end = await follow(citizen, await agree_from(citizen, payload), script)
    assert goodbye in end.text
    assert end.labels() == (["Bir hizmeti değerlendir"] if kept else [])
    response = await the_response(db)
    if kept:
        assert (response.survey_key, response.status) == ("mahalle", "screened_out")
    else:
        assert response is None
    assert await completed_responses(db) == []


# ---- the school-bus survey -------------------------------------------------------------------

async def test_a_parent_of_a_high_school_student_is_not_asked_about_the_escort(
        bot, telegram, db):
    parent = telegram.citizen(17101)
    first = await agree_from(parent, "okul_servis")
    overall = await follow(parent, first, [
        ("18 yaşını doldurdunuz mu?", "Evet"),
        ("Çocuğunuz bu eğitim-öğretim yılında okul servisine biniyor mu?", "Evet"),
        ("Çocuğunuzun okul servisi hangi ilde çalışıyor?", Typed("Kayseri")),
        ("Hangi ilçede?", SKIP),
        ("Çocuğunuz hangi okul kademesinde okuyor?", "Lise"),
    ])
    assert overall.labels() == ["Çok memnunum", "Memnunum", "Ne memnunum ne memnun değilim",
                                "Memnun değilim", "Hiç memnun değilim", BACK]
    phone = await follow(parent, overall, [
        ("Genel olarak çocuğunuzun okul servisinden ne kadar memnunsunuz?", "Memnunum"),
        ("Araç iyi bakımlı.", "Katılıyorum"),
        ("Her çocuğun kendine ait bir koltuğu var (araç aşırı kalabalık değil).",
         "Katılmıyorum"),
        ("Sürücü güvenli bir hızla araç kullanıyor.", "Ne katılıyorum ne katılmıyorum"),
    ])
    # Something that should not happen: the favourable end, "never", comes first.
    assert "sürücü, araç kullanırken ne sıklıkla telefon kullanıyor?" in phone.text
    assert phone.labels()[:5] == ["Hiçbir zaman", "Nadiren", "Bazen", "Sık sık", "Her zaman"]
    closing = await follow(parent, phone, [
        ("ne sıklıkla telefon kullanıyor?", "Nadiren"),
        ("Çocuklar yolculuk sırasında ne sıklıkla emniyet kemeri takıyor?", "Sık sık"),
        ("arkasında “OKUL TAŞITI” yazısı var mı?", "Bilmiyorum"),
        ("ne sıklıkla evinizin önünde, yolun sizin tarafında bırakıyor?", "Her zaman"),
        ("şikâyeti nereye ileteceğinizi biliyor musunuz?", "Hayır"),
        ("Lütfen isim, kimlik numarası veya sağlık bilgisi yazmayınız.", SKIP),
    ])
    assert closing.text.startswith("Teşekkür ederiz!")
    assert "rehber personel var mı" not in parent.transcript()

    [response] = await completed_responses(db)
    assert (response.survey_key, response.province, response.district) == (
        "okul_servis", "38", None)
    assert await answers_of(db, response.id) == {
        "adult": "yes", "rides": "yes", "province": "38", "school_level": "high",
        "overall": "4", "vehicle_condition": "4", "seats": "2", "driver_speed": "3",
        "driver_phone": "4", "seat_belts": "4", "sign": "unknown", "door_drop": "5",
        "knows_complaint": "no"}


async def test_an_english_parent_of_a_primary_pupil_is_asked_about_the_escort(bot, telegram, db):
    parent = telegram.citizen(17102, language_code="en")
    first = await agree_from(parent, "okul_servis", AGREE_EN)
    closing = await follow(parent, first, [
        ("Are you 18 or older?", "Yes"),
        ("Does your child ride a school bus (okul servisi) this school year?", "Yes"),
        ("In which province does your child's school bus run?", Typed("Izmir")),
        ("In which district?", Typed("Bornova")),
        ("What level of school is your child in? If more than one of your children rides a "
         "school bus, please answer about the youngest.", "Primary school (İlkokul)"),
        ("Overall, how satisfied are you with your child's school bus service?",
         "Very satisfied"),
        ("The vehicle is well maintained.", "Strongly agree"),
        ("Every child has a seat of their own", "Agree"),
        ("The driver keeps to a safe speed.", "Agree"),
        ("how often does the driver use a phone while driving?", "Never"),
        ("How often do the children wear seat belts during the ride?", "Always"),
        ("Is there an escort (rehber personel) on board to look after the children?",
         "Sometimes"),
        ("“OKUL TAŞITI” (school vehicle) sign?", "Yes"),
        ("How often does the bus drop your child off at your door", "Rarely"),
        ("Do you know where to complain about a school bus?", "Yes"),
        ("Please do not write names, ID numbers or health details.",
         Typed("The bus waits with the engine running outside the school.")),
    ])
    assert closing.text.startswith("Thank you! Your answers have been recorded.")
    answers = await answers_of(db, (await the_response(db)).id)
    assert (answers["province"], answers["district"]) == ("35", district_id("35", "Bornova"))
    assert (answers["school_level"], answers["escort"], answers["driver_phone"],
            answers["door_drop"]) == ("primary", "sometimes", "5", "2")


async def test_an_arabic_parent_sees_labels_for_both_genders(bot, telegram, db):
    payload = await muhtar_link(db, "27", "Şehitkamil", "Güvenevler", "okul_servis")
    parent = telegram.citizen(17103, language_code="ar")
    first = await agree_from(parent, payload, AGREE_AR)
    overall = await follow(parent, first, [
        ("هل يبلغ عمركم 18 عامًا أو أكثر؟", "نعم"),
        ("هل يستقل طفلكم حافلة مدرسية (okul servisi) في هذا العام الدراسي؟", "نعم"),
        # The link gives the province and district.
        ("في أي مرحلة دراسية يدرس طفلكم؟", "الإعدادية (Ortaokul)"),
    ])
    assert "ما مدى رضاكم عن خدمة الحافلة المدرسية لطفلكم؟" in overall.text
    assert overall.labels() == ["راضٍ/راضية جدًا", "راضٍ/راضية", "محايد/محايدة",
                                "غير راضٍ/راضية", "غير راضٍ/راضية إطلاقًا", BACK_AR]
    closing = await follow(parent, overall, [
        ("ما مدى رضاكم", "غير راضٍ/راضية"),
        ("المركبة تحظى بصيانة جيدة.", "لا أوافق"),
        ("لكل طفل مقعد خاص به (الحافلة غير مكتظة).", "لا أوافق إطلاقًا"),
        ("يقود السائق بسرعة آمنة.", "لا أوافق"),
        ("كم مرة يستخدم السائق الهاتف أثناء القيادة؟", "غالبًا"),
        ("كم مرة يضع الأطفال أحزمة الأمان أثناء الرحلة؟", "أبدًا"),
        ("هل يوجد في الحافلة مرافق أو مرافقة (rehber personel) لرعاية الأطفال؟", "لا"),
        ("لافتة «OKUL TAŞITI» (مركبة مدرسية)؟", "لا"),
        ("كم مرة تُنزل الحافلة طفلكم عند باب منزلكم", "أحيانًا"),
        ("هل تعرفون الجهة التي يمكنكم تقديم شكوى إليها بشأن الحافلة المدرسية؟", "لا"),
        # Who does not know where to complain is told, before the last question.
        ("يمكنكم تقديم الشكاوى المتعلقة بالحافلة المدرسية إلى إدارة المدرسة", SKIP_AR),
    ])
    assert "شكرًا لكم! تم تسجيل إجاباتكم، وستُستخدم في الرقابة على الحافلات" in closing.text
    response = await the_response(db)
    assert (response.status, response.survey_key, response.province, response.mahalle) == (
        "completed", "okul_servis", "27", "Güvenevler")
    answers = await answers_of(db, response.id)
    assert (answers["overall"], answers["driver_phone"], answers["seat_belts"],
            answers["escort"], answers["door_drop"]) == ("2", "2", "1", "no", "3")
    assert answers["district"] == district_id("27", "Şehitkamil")


async def test_a_parent_whose_child_takes_no_school_bus_is_thanked_and_not_counted(
        bot, telegram, db):
    parent = telegram.citizen(17104)
    end = await follow(parent, await agree_from(parent, "okul_servis"), [
        ("18 yaşını doldurdunuz", "Evet"), ("okul servisine biniyor mu?", "Hayır")])
    assert "çocuğu bu eğitim-öğretim yılında okul servisine binen veliler içindir" in end.text
    assert (await the_response(db)).status == "screened_out"


# ---- what is published -----------------------------------------------------------------------

async def province_rows(db, survey, plate: str) -> list[dict]:
    """The latest released figures of a province, for all services, as the admin API
    (?group_by=province) and the dashboard publish them."""
    period = await latest_period(db, survey, Publication(10))
    rows = await score_rows(db, ScoreRequest(survey, ("province",), (period,)))
    return [row for row in rows if row["province"] == plate]


NIGHT = ["5", "4", "4", "3", "2", "4", "5", "1", "4", "3", "4", "2"]  # 7 of 12 feel safe


async def test_the_share_who_feel_safe_is_published_like_every_figure(db):
    survey = builtin_surveys()["mahalle"]
    await insert_completed(db, "mahalle", [
        {"adult": "yes", "resident": "yes", "province": "06", "night_safety": night,
         "main_problem": "none", "drugs_seen": "no", "drugs_report": "yes",
         "speeding": str(1 + i % 5), "crossings": "4", "school_traffic": "3",
         "school_area": "na" if i % 3 == 0 else "4", "trust_police": str(5 - i % 2),
         "trust_jandarma": "na" if i % 2 else str(2 + i % 4)}
        for i, night in enumerate(NIGHT)], at=last_month())
    assert any(done.startswith("mahalle ") for done in await publish(db))
    [ankara] = await province_rows(db, survey, "06")
    assert ankara["n"] == 12 and not ankara["suppressed"]
    assert ankara["satisfied_share"] == pytest.approx(7 / 12)  # TÜİK's "feels safe"
    assert ankara["mean"] == pytest.approx(sum(map(int, NIGHT)) / 12)
    assert ankara["drivers"]["crossings"] == pytest.approx(75.0)
    assert ankara["drivers"]["trust_jandarma"] is None  # six answers: fewer than ten


async def test_the_school_bus_report_publishes_seat_belts_and_the_escort(db):
    survey = builtin_surveys()["okul_servis"]
    await insert_completed(db, "okul_servis", [
        {"adult": "yes", "rides": "yes", "province": "34", "school_level": "primary",
         "overall": str(2 + i % 4), "vehicle_condition": "4", "seats": str(1 + i % 5),
         "driver_speed": "4", "driver_phone": "5" if i % 2 else "3",
         "seat_belts": "5" if i < 9 else "4", "escort": "yes" if i % 2 else "no",
         "sign": "yes", "door_drop": "4", "knows_complaint": "no"}
        for i in range(12)], at=last_month())
    await publish(db)
    [istanbul] = await province_rows(db, survey, "34")
    assert istanbul["n"] == 12
    # Seat belts: nine "always" (100) and three "often" (75); the escort half the time.
    assert istanbul["drivers"]["seat_belts"] == pytest.approx((9 * 100 + 3 * 75) / 12)
    assert istanbul["drivers"]["escort"] == pytest.approx(50.0)
    assert istanbul["drivers"]["driver_phone"] == pytest.approx(75.0)
    # `izdes report` shows it by province, with its own items and no service column.
    table = izdes(db.url, "report", "--survey", "okul_servis")
    assert "İstanbul" in table and "Emniyet kemeri" in table and "Hizmet" not in table
    [row] = json.loads(izdes(db.url, "report", "--survey", "okul_servis", "--format",
                             "json"))["rows"]
    assert (row["province"], row["n"]) == ("34", 12)
    # And what changed, by province too (the month before had twelve parents as well).
    await insert_completed(db, "okul_servis", [
        {"adult": "yes", "rides": "yes", "province": "34", "school_level": "primary",
         "overall": "5", "seat_belts": "5", "knows_complaint": "no"} for i in range(12)],
        prefix="before", at=last_month() - timedelta(days=31))
    await publish(db)
    [change] = json.loads(izdes(db.url, "report", "changes", "--survey", "okul_servis",
                                "--format", "json"))["rows"]
    assert (change["province"], change["n_before"], change["n_after"]) == ("34", 12, 12)
