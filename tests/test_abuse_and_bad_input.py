"""Bad input gets a polite answer and loses nothing; floods are slowed; 429s are honoured."""

from __future__ import annotations

import asyncio

import pytest

from bot.flood import FloodGuard
from tests.stored import answers_of, the_response
from tests.survey_steps import (
    agree,
    answer_until_province,
    consent,
    read_notice,
    tap,
    type_province,
)

STRANGE_TEXTS = {
    "very long": "ç" * 10_000,
    "zero-width and direction controls": "\u200b\u200e\u202e\u2066tr\u2069afik\u200f",
    "NUL bytes": "\x00\x00trafik\x00",
    "emoji only": "😀😀🙏",
    "HTML": "<b>Trafik</b><script>alert(1)</script>",
    "Markdown": "*Trafik* _[link](http://x)_ `code`",
    "SQL": "Trafik'; DROP TABLE answers; --",
}


@pytest.mark.parametrize("kind", sorted(STRANGE_TEXTS))
async def test_strange_text_at_a_choice_gets_a_polite_note_and_loses_nothing(
    bot, telegram, db, kind
):
    citizen = telegram.citizen(6000 + sorted(STRANGE_TEXTS).index(kind))
    await consent(citizen)
    await tap(citizen, "Nüfus")
    await citizen.send(STRANGE_TEXTS[kind])
    note = await citizen.next_message()
    assert "Lütfen aşağıdaki düğmelerden birini seçiniz." in note.text
    assert "en son ne zaman aldınız?" in note.text
    assert await answers_of(db, (await the_response(db)).id) == {"adult": "yes",
                                                                 "service": "nufus"}


@pytest.mark.parametrize("kind", ["very long", "emoji only", "HTML", "SQL", "NUL bytes"])
async def test_strange_text_as_a_province_is_explained(bot, telegram, db, kind):
    citizen = telegram.citizen(6100 + len(kind))
    await answer_until_province(citizen)
    await citizen.send(STRANGE_TEXTS[kind])
    note = await citizen.next_message()
    assert "Hizmeti hangi ilde aldınız?" in note.text
    assert len(note.text) < 600  # the echo of what was typed is cut short


@pytest.mark.parametrize("kind", ["contact", "document", "edited_message", "sticker"])
async def test_other_kinds_of_message_at_the_notice_show_the_notice_again(bot, telegram, kind):
    citizen = telegram.citizen(6200 + len(kind))
    await citizen.send("/start")
    await read_notice(citizen)
    await citizen.send_update(kind)
    again, _ = await read_notice(citizen)
    assert "Aydınlatma metni" in again.text


async def test_html_and_sql_in_a_comment_are_stored_as_plain_text(bot, telegram, db):
    citizen = telegram.citizen(6300)
    await answer_until_province(citizen)
    await type_province(citizen, "Edirne")
    from tests.survey_steps import answer_until_comment

    await answer_until_comment(citizen)
    await citizen.send("<b>kalın</b> '; DROP TABLE answers; -- *yıldız*")
    recorded = await citizen.next_edit()
    assert recorded.parse_mode is None  # shown literally, never parsed as markup
    assert "<b>kalın</b>" in recorded.text
    await citizen.next_message()
    answers = await answers_of(db, (await the_response(db)).id)
    assert answers["comment"] == "<b>kalın</b> '; DROP TABLE answers; -- *yıldız*"


async def test_a_flood_gets_one_polite_warning_and_the_rest_is_ignored(bot, telegram, db):
    citizen = telegram.citizen(6400)
    await agree(citizen)  # 2 updates
    for _ in range(35):
        await citizen.send("merhaba")
    replies = [await citizen.next_message() for _ in range(28)]  # 30 with the first two
    assert all("düğmelerden birini" in r.text for r in replies)
    warning = await citizen.next_message()
    assert "Çok hızlı mesaj" in warning.text
    more = await telegram.changes.wait_for(
        lambda: citizen.messages[-1].message_id != warning.message_id, 0.5)
    assert not more  # the rest: ignored


def test_the_flood_guard_forgives_after_the_window():
    now = [0.0]
    guard = FloodGuard(limit=3, window=60, clock=lambda: now[0])
    assert [guard.check(1) for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    assert guard.check(2) == "ok"  # others are not affected
    now[0] = 61
    assert guard.check(1) == "ok"


async def test_telegram_429_is_honoured_and_the_message_still_arrives(bot, telegram):
    citizen = telegram.citizen(6500)
    telegram.fail_next("sendMessage", error_code=429, retry_after=1)
    await citizen.send("/start")
    notice = await citizen.next_message()
    assert "Aydınlatma metni" in notice.text


async def test_replies_in_one_chat_are_paced_not_dropped(telegram, db):
    from tests.conftest import RunningBot, bot_settings

    running = RunningBot(bot_settings(telegram, db.url, private_chat_messages_per_second=2,
                                      private_chat_burst=3), telegram)
    await running.start()
    try:
        citizen = telegram.citizen(6600)
        await agree(citizen)  # two messages of the burst of three
        for _ in range(5):
            await citizen.send("merhaba")
        arrived = []
        for _ in range(5):
            await citizen.next_message(timeout=10)
            arrived.append(asyncio.get_running_loop().time())
        # One left in the burst, then one every half second: all five arrive, spread out.
        assert arrived[-1] - arrived[0] >= 1.5
    finally:
        await running.stop()
