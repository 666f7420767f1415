"""Updates in: webhook and long polling, each stored before it is handled, each applied once."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from sqlalchemy import func, select

from storage import inbox
from storage.models import Answer, Response
from tests.conftest import RunningBot, bot_settings
from tests.stored import count, store_updates, within
from tests.survey_steps import ADULT, AGREE, consent, read_notice

WEBHOOK_SECRET = "s3cret_Token-for-tests"


def message_update(telegram, citizen, text: str, chat: dict | None = None) -> dict:
    citizen.wrote = True  # Telegram lets a bot answer only users who wrote to it
    return {
        "update_id": telegram.next_update_id(),
        "message": {
            "message_id": citizen.new_message_id(), "date": int(time.time()),
            "chat": chat or citizen.chat_json, "from": citizen.user_json, "text": text,
            **({"entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}
               if text.startswith("/") else {}),
        },
    }


async def test_the_command_menu_is_published_in_turkish(bot, telegram):
    menus = {params.get("language_code"): {c["command"]: c["description"]
                                           for c in params["commands"]}
             for method, params in telegram.calls if method == "setMyCommands"}
    assert menus[None] == {"start": "Ankete başla", "yardim": "Bu bot nasıl çalışır",
                           "iptal": "Devam eden anketi iptal et",
                           "sil": "Sizinle ilişkili tüm verileri sil",
                           "gizlilik": "Aydınlatma metni (KVKK)", "dil": "Dil / Language / اللغة"}
    assert menus["en"]["start"] == "Start a survey"
    assert menus["ar"]["start"] != menus["en"]["start"]  # translated


async def test_health_endpoint_answers(bot):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.http_url}/healthz") as answer:
        assert answer.status == 200 and (await answer.json()) == {"status": "ok"}


async def test_an_update_delivered_ten_times_by_polling_changes_the_data_once(bot, telegram, db):
    citizen = telegram.citizen(3001)
    question = await consent(citizen)
    update = citizen.callback_update(question, "Trafik")
    for _ in range(10):  # redelivered ten times, all in the queue at once
        await telegram.deliver(update)
    assert (await citizen.next_edit()).text.endswith("✅ Trafik")
    await citizen.next_message()
    await citizen.expect_silence(0.5)
    assert await count(db, Answer) == 2  # 18 or older, and the service
    # the consent tap, the age tap and this one, each answered once
    assert len(citizen.callback_answers) == 3


async def test_webhook_mode_checks_the_secret_stores_then_handles_once(telegram, db):
    port_settings = bot_settings(telegram, db.url)
    url = f"http://127.0.0.1:{port_settings.http_port}/telegram/webhook"
    running = RunningBot(bot_settings(
        telegram, db.url, http_port=port_settings.http_port, webhook_url=url,
        webhook_secret=WEBHOOK_SECRET), telegram)
    await running.start()
    try:
        assert telegram.webhook["url"] == url
        assert telegram.webhook["secret_token"] == WEBHOOK_SECRET
        assert set(telegram.webhook["allowed_updates"]) == {
            "message", "edited_message", "callback_query"}

        citizen = telegram.citizen(3002)
        await consent(citizen)
        update = citizen.callback_update(citizen.last, "Nüfus")
        # A forged request without the secret is refused and changes nothing.
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as answer:
                assert answer.status == 403
            async with http.post(url, json=update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as answer:
                assert answer.status == 403
        assert await count(db, Answer) == 1  # 18 or older
        # Telegram redelivers (e.g. our 200 got lost), even ten times at once: applied once.
        statuses = await asyncio.gather(*(telegram.deliver(update) for _ in range(10)))
        assert statuses == [200] * 10
        assert (await citizen.next_edit()).text.endswith("✅ Nüfus")
        await citizen.next_message()
        await citizen.expect_silence(0.5)
        assert await count(db, Answer) == 2
    finally:
        await running.stop()


async def test_a_webhook_without_a_configured_secret_still_refuses_forged_updates(telegram,
                                                                                 db):
    """IZDES_WEBHOOK_URL set and IZDES_WEBHOOK_SECRET not: an attacker who finds the URL
    must not be able to post a national officer's /rapor, or anyone's /sil."""
    port = bot_settings(telegram, db.url).http_port
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    running = RunningBot(bot_settings(telegram, db.url, http_port=port, webhook_url=url),
                         telegram)
    await running.start()
    try:
        secret = telegram.webhook.get("secret_token") or ""
        assert len(secret) >= 32  # one was made and given to Telegram
        citizen = telegram.citizen(3003)
        forged = message_update(telegram, citizen, "/start")
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=forged) as answer:
                assert answer.status == 403
        await citizen.expect_silence(0.3)
        # Telegram's own requests carry it: the citizen is served.
        assert await telegram.deliver(message_update(telegram, citizen, "/start")) == 200
        assert "KVKK" in (await citizen.next_message()).text
    finally:
        await running.stop()
    # Another worker with the same key (or this one restarted) accepts the same secret.
    again = bot_settings(telegram, db.url, webhook_url=url)
    assert again.webhook_secret_token() == secret


def test_a_webhook_secret_telegram_would_refuse_is_refused_at_start(telegram, db):
    with pytest.raises(ValueError, match="A-Z, a-z, 0-9"):
        bot_settings(telegram, db.url, webhook_secret="two words")


async def test_a_burst_of_webhook_updates_is_stored_and_handled_each_once(telegram, db):
    """Webhook updates arriving together are stored together (bot/intake.py): each citizen's
    answer still lands once, in its own chat, and a redelivery among them changes nothing."""
    settings = bot_settings(telegram, db.url)
    running = RunningBot(bot_settings(
        telegram, db.url, http_port=settings.http_port,
        webhook_url=f"http://127.0.0.1:{settings.http_port}/telegram/webhook"), telegram)
    await running.start()
    try:
        citizens = [telegram.citizen(3300 + i) for i in range(12)]
        await asyncio.gather(*(consent(c) for c in citizens))
        for citizen in citizens:  # the first question shows its answer before the taps
            edit = await citizen.next_edit()  # (the notice's own may come first)
            if not edit.text.endswith(f"✅ {ADULT}"):
                edit = await citizen.next_edit()
            assert edit.text.endswith(f"✅ {ADULT}")
        taps = [c.callback_update(c.last, service) for c, service in
                zip(citizens, ["Nüfus", "Trafik", "Göç İdaresi"] * 4, strict=True)]
        statuses = await asyncio.gather(*(telegram.deliver(u) for u in [*taps, *taps[:4]]))
        assert statuses == [200] * 16
        for citizen, service in zip(citizens, ["Nüfus", "Trafik", "Göç İdaresi"] * 4,
                                    strict=True):
            assert (await citizen.next_edit()).text.endswith(f"✅ {service}")
            assert "Soru 3/" in (await citizen.next_message()).text
            await citizen.expect_silence(0.1)
        assert await count(db, Answer) == 24
    finally:
        await running.stop()


async def test_two_processes_share_the_webhook_port_and_either_can_be_restarted(
        telegram, db):
    """IZDES_HTTP_REUSE_PORT: two bots listen on one port; each update is applied once
    whichever of them takes it, and while one is stopped the other serves alone."""
    settings = bot_settings(telegram, db.url)
    shared = {"http_port": settings.http_port, "http_reuse_port": True,
              "webhook_url": f"http://127.0.0.1:{settings.http_port}/telegram/webhook"}
    first = RunningBot(bot_settings(telegram, db.url, **shared), telegram)
    second = RunningBot(bot_settings(telegram, db.url, **shared), telegram)
    await first.start()
    await second.start()
    try:
        citizens = [telegram.citizen(3400 + i) for i in range(8)]
        await asyncio.gather(*(consent(c) for c in citizens))
        await second.stop()  # a rolling restart: the port stays open
        await asyncio.gather(*(c.press("Trafik") for c in citizens))
        for citizen in citizens:
            assert "Soru 3/" in (await citizen.next_message()).text
        await second.start()
        await first.stop()
        await asyncio.gather(*(c.press("Son 7 gün içinde") for c in citizens))
        for citizen in citizens:
            assert "Soru 4/" in (await citizen.next_message()).text
            assert (await citizen.next_edit()).text.endswith("✅ Son 7 gün içinde")
            await citizen.expect_silence(0.1)
        assert await count(db, Answer) == 24
    finally:
        await first.stop()
        await second.stop()


async def test_an_update_stored_but_not_handled_before_a_crash_is_handled_at_start(
    bot, telegram, db
):
    await bot.stop()
    citizen = telegram.citizen(3003)
    update = message_update(telegram, citizen, "/start")
    # What a crash leaves behind: the webhook stored the update (and answered 200), the
    # process died before handling it. Telegram will not send it again.
    await store_updates(db, [inbox.Incoming(f"tg:{update['update_id']}", update)])
    await bot.start()
    _, question = await read_notice(citizen)
    assert AGREE in question.labels()
    await bot.restart()
    await citizen.expect_silence(0.5)  # handled once, not replayed again


async def test_group_messages_and_other_bots_are_ignored(bot, telegram, db):
    citizen = telegram.citizen(3004)
    group = {"id": -100123, "type": "group", "title": "Mahalle"}
    await telegram.deliver(message_update(telegram, citizen, "/start", chat=group))
    robot = telegram.citizen(3005, first_name="Robot")
    update = message_update(telegram, robot, "/start")
    update["message"]["from"]["is_bot"] = True
    await telegram.deliver(update)
    await citizen.expect_silence(0.5)
    await robot.expect_silence(0.1)
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 0
    # Ignored updates are closed too: nothing is left to replay.
    assert await within(db, inbox.unhandled) == []


async def test_chats_are_served_concurrently_and_each_in_order(bot, telegram, db):
    telegram.delay = 0.05  # Telegram 50 ms away
    citizens = [telegram.citizen(3100 + i) for i in range(8)]
    await asyncio.gather(*(consent(c) for c in citizens))
    # One chat at a time, no two chats would ever wait on Telegram together (and the eight
    # would take at least 8 chats x 4 round trips x 50 ms). How many do depends on the load
    # of the machine; that more than one do is what serving them concurrently means.
    assert telegram.most_chats_at_once >= 2, telegram.most_chats_at_once
    # One citizen taps three answers in a burst: they apply in the order tapped.
    fast = citizens[0]
    first = fast.last
    await fast.press("Trafik")
    second = await fast.next_message()
    telegram.delay = 0
    await fast.press("Son 7 gün içinde", message=second)
    third = await fast.next_message()
    await fast.press("Telefonla", message=third)
    await fast.next_message()
    async with db.transaction() as session:
        rows = await session.execute(select(Answer.question_id).order_by(Answer.id))
        order = [qid for (qid,) in rows if qid != "adult"]  # everyone's first answer
    assert order == ["service", "recency", "channel"]
    assert first.message_id < second.message_id < third.message_id
