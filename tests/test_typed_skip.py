"""Citizens type the word on the Skip button ("geç", "skip", "تخطي") instead of pressing it:
where a question can be skipped, the word skips it, in any of the three languages; where it
cannot, the word is an answer like any other."""

from __future__ import annotations

import pytest

from tests.stored import answers_of, completed_responses, the_response
from tests.survey_steps import (
    DISTRICT_QUESTION,
    answer_until_comment,
    answer_until_province,
    reach_the_province_by_position,
    tap,
    type_province,
)

POLICE_PURPOSE = "Hizmeti hangi konuda aldınız?"


async def agree_and_reach_the_district(citizen):
    """/start, agree, police, last 7 days, in person, Ankara: returns the district question,
    whatever the citizen's language (buttons are pressed by position)."""
    await reach_the_province_by_position(citizen)
    return await type_province(citizen, "06")


@pytest.mark.parametrize("typed", ["geç", "Geç", " GEÇ! ", "gec", "atla", "Atla.", "skip"])
async def test_typing_gec_at_the_district_skips_it(bot, telegram, db, typed):
    citizen = telegram.citizen(5200 + sum(map(ord, typed)) % 97)
    await answer_until_province(citizen, service="Emniyet (polis)")
    district = await type_province(citizen, "Ankara")
    assert DISTRICT_QUESTION in district.text and "Geç" in district.labels()
    await citizen.send(typed)
    recorded = await citizen.next_edit()
    assert recorded.message_id == district.message_id
    assert recorded.text.endswith("✅ Geçildi") and recorded.buttons == []
    purpose = await citizen.next_message()
    assert POLICE_PURPOSE in purpose.text, citizen.transcript()
    assert "ilçe bulamadım" not in citizen.transcript()
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["province"] == "06" and "district" not in answers


@pytest.mark.parametrize(("language_code", "typed", "skipped"), [
    ("en", "Skip!", "Skipped"),
    ("en", "SKIP", "Skipped"),
    ("ar", "تخطي", "تم التخطي"),
    ("ar", "تَخَطّى", "تم التخطي"),
    ("ar", " تـخـطـى. ", "تم التخطي"),
    ("ar", "geç", "تم التخطي"),  # the Turkish word works whatever the bot's language
])
async def test_the_skip_word_works_in_english_and_arabic(bot, telegram, db, language_code,
                                                         typed, skipped):
    citizen = telegram.citizen(5300 + sum(map(ord, typed)) % 89, language_code=language_code)
    district = await agree_and_reach_the_district(citizen)
    await citizen.send(typed)
    recorded = await citizen.next_edit()
    assert recorded.message_id == district.message_id
    assert skipped in recorded.text and recorded.buttons == []
    purpose = await citizen.next_message()
    assert purpose.message_id > district.message_id and purpose.text != district.text
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["province"] == "06" and "district" not in answers


async def test_typing_atla_at_the_comment_finishes_without_a_comment(bot, telegram, db):
    citizen = telegram.citizen(5401)
    await answer_until_province(citizen)
    await type_province(citizen, "İzmir")
    await answer_until_comment(citizen)
    await citizen.send("Atla")
    assert (await citizen.next_edit()).text.endswith("✅ Geçildi")
    assert "Teşekkür ederiz" in (await citizen.next_message()).text
    [response] = await completed_responses(db)
    assert "comment" not in await answers_of(db, response.id)


async def test_arabic_skip_word_at_the_comment(bot, telegram, db):
    citizen = telegram.citizen(5402, language_code="ar")
    await agree_and_reach_the_district(citizen)
    question = await tap(citizen, "تخطي")  # the district, by its button
    while "تخطي" not in question.labels():  # the first choice of each, up to the comment
        question = await tap(citizen, question.labels()[0])
    await citizen.send("تخطى")
    assert "تم التخطي" in (await citizen.next_edit()).text
    [response] = await completed_responses(db)
    assert "comment" not in await answers_of(db, response.id)


async def test_where_nothing_can_be_skipped_the_word_is_an_answer(bot, telegram, db):
    citizen = telegram.citizen(5403)
    province = await answer_until_province(citizen)
    assert "Geç" not in province.labels()
    await citizen.send("geç")
    again = await citizen.next_message()
    assert "“geç” adında bir il bulamadım" in again.text  # not swallowed: as before
    district = await type_province(citizen, "Ankara")
    purpose = await tap(citizen, "Geç")
    overall = await tap(citizen, purpose.labels()[0])
    await citizen.send("atla")
    choose = await citizen.next_message()
    assert "Lütfen aşağıdaki düğmelerden birini seçiniz." in choose.text
    assert "ne kadar memnunsunuz" in choose.text
    answers = await answers_of(db, (await the_response(db)).id)
    assert "overall" not in answers and district.message_id < overall.message_id
