"""Districts after the province, service-specific questions, and a second survey."""

from __future__ import annotations

import pytest

from conversations.survey import builtin_surveys
from tests.stored import answers_of, completed_responses, the_response
from tests.survey_steps import (
    ADULT,
    ADULT_QUESTION,
    AGREE,
    BACK,
    SKIP,
    answer_after_province,
    answer_until_province,
    consent,
    read_notice,
    tap,
    type_province,
)


@pytest.mark.parametrize(("province", "typed", "district"), [
    ("İstanbul", "kadikoy", "Kadıköy"), ("İstanbul", "KADIKÖY", "Kadıköy"),
    ("İstanbul", "kadıkoi", "Kadıköy"), ("Bolu", "Merkez", "Merkez"),
    ("Ankara", "cankya", "Çankaya"),
])
async def test_district_typed_forgivingly(bot, telegram, db, province, typed, district):
    citizen = telegram.citizen(5000 + sum(map(ord, typed)) % 997)
    await answer_until_province(citizen)
    question = await type_province(citizen, province)
    assert "Hangi ilçede?" in question.text
    await citizen.send(typed)
    assert (await citizen.next_edit()).text.endswith(f"✅ {district}")


async def test_district_buttons_page_and_skip(bot, telegram, db):
    citizen = telegram.citizen(5001)
    await answer_until_province(citizen)
    question = await type_province(citizen, "İstanbul")
    await citizen.press("▶", message=question)
    page = await citizen.next_edit()
    assert "Kadıköy" in page.labels() or "Kartal" in page.labels()
    await citizen.press("Kartal" if "Kartal" in page.labels() else "Kadıköy", message=page)
    recorded = await citizen.next_edit()
    assert "✅ Ka" in recorded.text


async def test_a_new_province_forgets_the_old_district(bot, telegram, db):
    citizen = telegram.citizen(5002)
    await answer_until_province(citizen)
    await type_province(citizen, "İzmir")
    await citizen.send("Bornova")
    await citizen.next_edit()
    await citizen.next_message()  # what was it about
    await citizen.press(BACK)
    district = await citizen.next_edit()
    assert "✓ Bornova" in district.labels()
    await citizen.press(BACK, message=district)
    province = await citizen.next_edit()
    assert "Hizmeti hangi ilde aldınız?" in province.text
    await citizen.send("Manisa")
    await citizen.next_edit()
    district = await citizen.next_message()
    assert not any(label.startswith("✓") for label in district.labels())
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["province"] == "45" and "district" not in answers
    assert (await the_response(db)).district is None


async def test_unknown_district_is_explained(bot, telegram):
    citizen = telegram.citizen(5003)
    await answer_until_province(citizen)
    await type_province(citizen, "Ankara")
    await citizen.send("Kadıköy")
    again = await citizen.next_message()
    assert "Ankara ilinde “Kadıköy” adında bir ilçe bulamadım" in again.text
    assert SKIP in again.labels()


SERVICE_QUESTIONS = {
    "acil112": ["help_time"],
    "nufus": ["nufus_purpose", "appointment", "wait_time"],
    "goc": ["interpreter"],
    "trafik": ["traffic_purpose"],
    "emniyet": ["police_purpose"],
    "jandarma": ["police_purpose"],
}


@pytest.mark.parametrize("service", sorted(SERVICE_QUESTIONS))
def test_each_service_gets_its_own_questions_from_the_definition(service):
    survey = builtin_surveys()["hizmet"]
    specific = {q for ids in SERVICE_QUESTIONS.values() for q in ids}
    asked = [q.id for q in survey.path({"service": service, "channel": "in_person"})
             if q.id in specific]
    assert asked == SERVICE_QUESTIONS[service]


def test_waiting_time_is_only_asked_of_those_who_went_in_person():
    survey = builtin_surveys()["hizmet"]
    online = [q.id for q in survey.path({"service": "nufus", "channel": "online"})]
    assert "appointment" in online and "wait_time" not in online


async def test_civil_registry_asks_what_for_the_appointment_and_the_wait(bot, telegram, db):
    citizen = telegram.citizen(5004)
    await answer_until_province(citizen, service="Nüfus")
    await type_province(citizen, "Sivas")
    purpose = await tap(citizen, SKIP)
    # Identity cards, passports and driving licences are all issued by nüfus now.
    assert "Hizmeti hangi konuda aldınız?" in purpose.text
    assert purpose.labels()[:6] == [
        "Kimlik kartı", "Pasaport", "Sürücü belgesi", "Adres kaydı veya değişikliği",
        "Doğum, ölüm veya evlilik kaydı", "Nüfus kayıt örneği veya belge"]
    appointment = await tap(citizen, "Pasaport")
    assert "Randevu almanız gerekti mi?" in appointment.text
    wait = await tap(citizen, "Evet")
    assert "ne kadar beklediniz" in wait.text
    # Bands that do not overlap: 30 minutes is in one of them only.
    assert wait.labels()[:4] == ["15 dakikadan az", "15-29 dakika", "30-59 dakika",
                                 "1 saat veya daha uzun"]
    await tap(citizen, "30-59 dakika")
    answers = await answers_of(db, (await the_response(db)).id)
    assert (answers["nufus_purpose"], answers["appointment"], answers["wait_time"]) == (
        "passport", "yes", "m30_60")


async def test_traffic_asks_about_what_trafik_does_now(bot, telegram):
    citizen = telegram.citizen(5008)
    await answer_until_province(citizen, service="Trafik")
    await type_province(citizen, "Konya")
    purpose = await tap(citizen, SKIP)
    # Licences are nüfus's now, and most registrations the notaries'.
    assert "Hizmeti hangi konuda aldınız?" in purpose.text
    assert "Sürücü belgesi" not in purpose.labels()
    assert {"Kaza tespit işlemi", "Trafik cezası", "Trafik denetimi"} <= set(purpose.labels())


async def test_migration_names_its_own_channels(bot, telegram):
    citizen = telegram.citizen(5009)
    await consent(citizen)
    await tap(citizen, "Göç İdaresi")
    channel = await tap(citizen, "Son 7 gün içinde")
    assert channel.labels()[:3] == ["Yüz yüze", "Telefonla (YİMER 157)",
                                    "Çevrim içi (e-İkamet)"]
    other = telegram.citizen(5010)
    await consent(other)
    await tap(other, "Nüfus")
    channel = await tap(other, "Son 7 gün içinde")
    assert channel.labels()[:3] == ["Yüz yüze", "Telefonla", "Çevrim içi (e-Devlet)"]


async def test_school_bus_survey_starts_from_a_deep_link_and_is_pure_data(bot, telegram, db):
    parent = telegram.citizen(5005)
    await parent.send("/start okul_servis")
    _, agreement = await read_notice(parent)
    await parent.press(AGREE)
    await parent.next_edit()
    first = await parent.next_message()
    assert "18 yaşını doldurdunuz mu?" in first.text
    await tap(parent, "Evet")
    province = await tap(parent, "Evet")  # the child rides a school bus this year
    assert "okul servisi hangi ilde" in province.text
    await type_province(parent, "Kayseri")
    question = await tap(parent, SKIP)
    for label in ["İlkokul", "Memnunum", "Katılıyorum", "Kesinlikle katılıyorum",
                  "Ne katılıyorum ne katılmıyorum", "Hiçbir zaman", "Sık sık", "Evet, her zaman",
                  "Evet", "Her zaman", "Evet"]:
        question = await tap(parent, label)
    assert "Yetkililerin bilmesi" in question.text
    closing = await tap(parent, SKIP)
    assert "Teşekkür ederiz" in closing.text
    [response] = await completed_responses(db)
    assert (response.survey_key, response.province) == ("okul_servis", "38")
    answers = await answers_of(db, response.id)
    assert answers["seat_belts"] == "4" and answers["escort"] == "yes"
    # The default survey stays the service-satisfaction one; the age, answered here, is
    # not asked again there.
    again = await tap(parent, "Bir hizmeti değerlendir")
    assert "Hangi hizmeti değerlendirmek istersiniz?" in again.text
    assert agreement.labels()[0] == AGREE


async def test_unknown_deep_link_payload_starts_the_normal_survey(bot, telegram):
    citizen = telegram.citizen(5006)
    await citizen.send("/start bilinmeyen_anket")
    await read_notice(citizen)
    first = await tap(citizen, AGREE)
    assert ADULT_QUESTION in first.text
    assert "Hangi hizmeti değerlendirmek istersiniz?" in (await tap(citizen, ADULT)).text


async def test_the_school_bus_report_uses_its_own_drivers(bot, telegram, db):
    citizen = telegram.citizen(5007)
    await consent(citizen)
    await tap(citizen, "Trafik")
    await tap(citizen, "Son 7 gün içinde")
    await tap(citizen, "Yüz yüze")
    await type_province(citizen, "Rize")
    closing = await answer_after_province(citizen)
    assert "Teşekkür ederiz" in closing.text
    survey = builtin_surveys()["okul_servis"]
    assert survey.report.drivers == ("seats", "driver_speed", "driver_phone", "seat_belts",
                                     "escort", "door_drop")
