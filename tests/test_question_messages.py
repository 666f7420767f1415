"""A question answered by typing shows the answer and loses its buttons, however long the
citizen took and even when the bot restarted in between (bot/shown.py keeps the question's
message id until it is stored)."""

from __future__ import annotations

import asyncio

from bot import shown
from tests.stored import the_response
from tests.survey_steps import answer_until_province


async def _typed_answer_shows_in(citizen, question) -> None:
    await citizen.send("istanbul")
    typed = await citizen.next_edit()
    assert typed.message_id == question.message_id
    assert typed.text.endswith("✅ İstanbul") and typed.buttons == []
    assert "Hangi ilçede?" in (await citizen.next_message()).text


async def test_answer_typed_right_away_tidies_the_question(bot, telegram, db):
    ayse = telegram.citizen(3101)
    question = await answer_until_province(ayse)
    await _typed_answer_shows_in(ayse, question)


async def test_answer_typed_after_a_restart_tidies_the_question(bot, telegram, db):
    ayse = telegram.citizen(3102)
    question = await answer_until_province(ayse)
    await bot.restart()  # the question's id was still waiting for the next step
    assert (await the_response(db)).message_ref == str(question.message_id)
    await _typed_answer_shows_in(ayse, question)


async def test_id_of_a_question_left_unanswered_is_stored_soon(bot, telegram, db,
                                                               monkeypatch):
    monkeypatch.setattr(shown, "FLUSH_AFTER", 0.1)
    ayse = telegram.citizen(3103)
    question = await answer_until_province(ayse)
    for _ in range(50):
        if (await the_response(db)).message_ref == str(question.message_id):
            break
        await asyncio.sleep(0.1)
    assert (await the_response(db)).message_ref == str(question.message_id)
    await _typed_answer_shows_in(ayse, question)
