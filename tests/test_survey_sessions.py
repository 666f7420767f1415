"""Leaving and coming back, cancelling, help, stray input, stale buttons, erasure."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from conversations.pseudonym import Pseudonymizer
from conversations.survey import builtin_surveys
from storage.models import Answer, ProcessedEvent, Respondent, Response
from storage.releases import read_cells
from storage.repository import open_survey_store
from storage.rollups import reported
from tests.conftest import DRIVERS, TEST_SECRET
from tests.stored import (
    answers_of,
    count,
    insert_completed,
    last_month,
    next_month,
    publish,
    the_response,
    within,
)
from tests.survey_steps import (
    ADULT_QUESTION,
    AGREE,
    BACK,
    SKIP,
    answer_after_province,
    answer_until_comment,
    answer_until_province,
    consent,
    read_notice,
    tap,
    type_province,
)


async def test_citizen_continues_where_they_stopped_after_the_bot_restarts(bot, telegram, db):
    citizen = telegram.citizen(2001)
    await answer_until_province(citizen, service="Jandarma")
    await type_province(citizen, "Trabzon")  # the district is asked now

    await bot.restart()

    await citizen.send("/start")
    resumed = await citizen.next_message()
    assert "Kaldığınız yerden devam edelim" in resumed.text
    assert "Hangi ilçede?" in resumed.text and "Ortahisar" in " ".join(resumed.labels())
    closing = await answer_after_province(citizen)
    assert "Teşekkür ederiz" in closing.text
    response = await the_response(db)
    assert (response.status, response.service, response.province) == (
        "completed", "jandarma", "61")


async def test_typing_instead_of_tapping_continues_the_open_survey(bot, telegram):
    citizen = telegram.citizen(2002)
    await consent(citizen)
    await citizen.send("merhaba")
    again = await citizen.next_message()
    assert "Lütfen aşağıdaki düğmelerden birini seçiniz." in again.text
    assert "Hangi hizmeti değerlendirmek istersiniz?" in again.text
    await citizen.send("trafik")  # a typed label is as good as a tap
    await citizen.next_message()
    assert citizen.messages[-2].text.endswith("✅ Trafik")


async def test_cancel_deletes_the_answers_of_the_survey_in_progress(bot, telegram, db):
    citizen = telegram.citizen(2003)
    await answer_until_province(citizen)
    await citizen.send("/iptal")
    cancelled = await citizen.next_message()
    assert "Anket iptal edildi" in cancelled.text
    assert await count(db, Response) == 0 and await count(db, Answer) == 0
    assert await count(db, Respondent) == 1  # the consent stays until /sil
    await citizen.send("/iptal")
    assert "Devam eden bir anket yok" in (await citizen.next_message()).text
    await citizen.send("/start")
    assert ADULT_QUESTION in (await citizen.next_message()).text


async def test_help_explains_and_shows_the_current_question_again(bot, telegram):
    citizen = telegram.citizen(2004)
    await consent(citizen)
    await citizen.send("/yardim")
    helped = await citizen.next_message()
    assert "/iptal" in helped.text and "/sil" in helped.text and "112" in helped.text
    assert "Hangi hizmeti değerlendirmek istersiniz?" in helped.text
    assert "Trafik" in helped.labels()


async def test_stickers_and_photos_get_a_polite_note_and_the_question_again(bot, telegram, db):
    citizen = telegram.citizen(2005)
    await answer_until_province(citizen)
    for kind in ("sticker", "photo", "voice", "location"):
        await citizen.send_update(kind)
        note = await citizen.next_message()
        assert "yalnızca yazı ve düğme" in note.text, kind
        assert "Hizmeti hangi ilde aldınız?" in note.text
    async with db.transaction() as session:
        response = await session.scalar(select(Response))
        answered = await session.scalar(select(func.count()).select_from(Answer))
    assert response.step == "province" and answered == 4


async def test_a_double_tap_stores_one_answer_and_a_stale_button_is_refused_gently(
    bot, telegram, db
):
    citizen = telegram.citizen(2006)
    first = await consent(citizen)
    await tap(citizen, "Trafik")
    # The old question message no longer has buttons; a client that still shows them
    # (bad connection, double tap) sends the tap anyway.
    await telegram.deliver(citizen.callback_update(first, "Nüfus"))
    note = await citizen.next_message()
    assert "Lütfen şu anki soruyu yanıtlayınız" in note.text
    assert "en son ne zaman aldınız?" in note.text
    assert citizen.callback_answers[-1].get("text") == "Bu düğme önceki bir soruya ait."
    response = await the_response(db)
    assert response.service == "trafik"


async def test_forged_callback_data_is_ignored(bot, telegram, db):
    citizen = telegram.citizen(2007)
    question = await consent(citizen)
    for forged in ("a.1.1.emniyet'; DROP TABLE answers;--", "x", "a.999999.1.trafik"):
        await telegram.deliver(citizen.callback_update(question, "Trafik", data=forged))
        note = await citizen.next_message()
        assert "Hangi hizmeti değerlendirmek istersiniz?" in note.text
    assert await answers_of(db, (await the_response(db)).id) == {"adult": "yes"}


async def test_comment_over_1000_characters_is_refused_with_the_limit(bot, telegram, db):
    citizen = telegram.citizen(2008)
    await answer_until_province(citizen)
    await type_province(citizen, "Bursa")
    await answer_until_comment(citizen, effort="5")
    await citizen.send("ç" * 1001)
    refused = await citizen.next_message()
    assert "1.001 karakter" in refused.text and "1.000" in refused.text  # Turkish digits
    await citizen.send("Kısa ve\u200b net\x00 bir yorum.")
    closing = await citizen.next_message()
    assert "Teşekkür ederiz" in closing.text
    async with db.transaction() as session:
        comment = await session.scalar(select(Answer.value).where(Answer.question_id == "comment"))
    assert comment == "Kısa ve net bir yorum."


async def test_erase_after_confirmation_removes_everything_linked(bot, telegram, db):
    citizen = telegram.citizen(2009)
    await answer_until_province(citizen)
    await type_province(citizen, "Van")
    await answer_after_province(citizen)
    await tap(citizen, "Başka bir hizmeti değerlendir")  # the age is not asked again
    await tap(citizen, "Nüfus")

    await citizen.send("/sil")
    confirm = await citizen.next_message()
    assert confirm.labels() == ["Evet, hepsini sil", "Hayır, silinmesin"]
    await citizen.press("Evet, hepsini sil")
    done = await citizen.next_edit()
    assert "Sizinle ilişkili her şey silindi: anket yanıtlarınız ve onay kaydınız" in done.text
    for model in (Respondent, Response, Answer):
        assert await count(db, model) == 0
    # Nor do the stored updates keep their sender's key (kept up to seven days otherwise).
    key = Pseudonymizer(TEST_SECRET.encode()).key_for("tg", 2009)
    async with db.transaction() as session:
        linked = await session.scalar(select(func.count()).select_from(ProcessedEvent)
                                      .where(ProcessedEvent.respondent_key == key))
    assert linked == 0


async def test_nothing_identifies_the_citizen_in_the_database(bot, telegram, db):
    user_id = 1099511627775  # Telegram ids need 64 bits
    citizen = telegram.citizen(user_id, first_name="Zeynep", username="zeynep_k")
    await answer_until_province(citizen)
    await type_province(citizen, "Konya")
    await answer_after_province(citizen, comment="iyi")
    dump = []
    async with db.transaction() as session:
        for table in ("respondents", "responses", "answers", "processed_events"):
            rows = await session.execute(text(f"SELECT * FROM {table}"))
            dump += [str(value) for row in rows for value in row]
    everything = " ".join(dump)
    assert str(user_id) not in everything
    assert "Zeynep" not in everything and "zeynep_k" not in everything


async def test_skip_and_back_on_the_comment_question(bot, telegram):
    citizen = telegram.citizen(2010)
    await answer_until_province(citizen)
    await type_province(citizen, "34")
    comment = await answer_until_comment(citizen, effort="4")
    assert comment.labels() == [SKIP, BACK]
    assert (await citizen.next_edit()).text.endswith("✅ 4")  # the effort question's record
    await citizen.press(BACK)
    effort = await citizen.next_edit()
    # From the best end, as every scale: 7 (very easy) first.
    assert "7 (çok kolay) ile 1 (çok zor)" in effort.text
    assert effort.labels()[:7] == ["7", "6", "5", "✓ 4", "3", "2", "1"]


async def test_logs_of_a_full_survey_hold_no_personal_data_or_token(bot, telegram, caplog):
    caplog.set_level(logging.DEBUG)
    from bot.logs import quiet_libraries

    quiet_libraries()  # what `izdes run` does, whatever IZDES_LOG_LEVEL says
    citizen = telegram.citizen(1099511627001, first_name="Elif", username="elif_y")
    await answer_until_province(citizen)
    await type_province(citizen, "Mardin")
    await answer_after_province(citizen, comment="Görevli Ahmet bey çok yardımcı oldu")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged.count("handled in") >= 12  # the logs do describe the survey
    for secret in ("1099511627001", "Elif", "elif_y", "Ahmet", "Mardin",
                   telegram.token, telegram.token.split(":")[1]):
        assert secret not in logged, secret


async def test_personal_data_in_a_comment_is_masked_before_it_is_stored(bot, telegram, db):
    citizen = telegram.citizen(2011)
    await answer_until_province(citizen)
    await type_province(citizen, "Hatay")
    await answer_until_comment(citizen)
    await citizen.send("TC kimlik numaram 10000000146, telefonum 0532 123 45 67, "
                       "plaka 31 ABC 123. Aranmak isterim: ayse.yilmaz@example.com")
    await citizen.next_edit()
    await citizen.next_message()
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["comment"] == ("TC kimlik numaram [TCKN], telefonum [TEL], plaka [PLAKA]. "
                                  "Aranmak isterim: [EPOSTA]")
    recorded = [m for m in citizen.messages if "Hizmeti nasıl iyileştirebiliriz?" in m.text][-1]
    assert "[TCKN]" in recorded.text and "10000000146" not in recorded.text


async def test_erasure_leaves_published_figures_and_is_left_out_of_later_ones(db):
    """What /sil says: "Statistics already published stay as they are; your answers are
    left out of those published from now on." """
    answers = {"service": "trafik", "recency": "d7", "channel": "in_person", "province": "06",
               "traffic_purpose": "fine", "appointment": "no", "wait_time": "lt15",
               "overall": "4", **{d: "4" for d in DRIVERS}, "effort": "5"}
    await insert_completed(db, "hizmet", [answers] * 12, prefix="before", at=last_month())
    await insert_completed(db, "hizmet", [answers] * 12, prefix="now")
    await publish(db)  # last month

    async def published_n(moment) -> int:
        period = moment.strftime("%Y-%m")
        [national] = await within(db, read_cells, "hizmet", (period,), 0, None, "")
        return national.figures["n"]

    assert await published_n(last_month()) == 12
    for key in ("before-0", "now-0"):  # one of each month asks for erasure
        async with open_survey_store(db, reported(builtin_surveys())) as store:
            respondent = await store.lock_respondent(key)
            await store.erase_respondent(respondent.id)
    assert await published_n(last_month()) == 12  # already published: as it was
    await publish(db, now=next_month())
    assert await published_n(datetime.now(UTC)) == 11  # published later: without them


async def test_a_redelivered_tap_after_erasure_changes_nothing(bot, telegram, db):
    """/sil must not forget which updates were handled: Telegram may deliver the consent tap
    again (our answer lost, a batch polled again), and it must not bring the person back."""
    citizen = telegram.citizen(4711)
    await citizen.send("/start")
    _, question = await read_notice(citizen)
    agree = citizen.callback_update(question, AGREE)
    await telegram.deliver(agree)
    await citizen.next_message()  # the first question
    await citizen.send("/sil")
    await citizen.next_message()
    await citizen.press("Evet, hepsini sil")
    await citizen.next_edit()
    assert await count(db, Respondent) == 0
    await telegram.deliver(agree)
    await citizen.expect_silence(1.0)
    assert await count(db, Respondent) == 0, citizen.transcript()
