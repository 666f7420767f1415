"""The Telegram Bot API double, driven by the real python-telegram-bot over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

try:  # tests/ may or may not become a package; both import styles must work
    from tests.telegram_double import BotMessage, Citizen, FakeTelegram
except ImportError:
    from telegram_double import BotMessage, Citizen, FakeTelegram

AYSE = 1001
YES_NO = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Evet", callback_data="q1:yes")],
        [InlineKeyboardButton("Hayır", callback_data="q1:no")],
    ]
)
ignore_ptb_hints = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=f"{fake.root_url}/bot") as client:
        yield client


@pytest.fixture
async def ayse(fake: FakeTelegram) -> Citizen:
    """A citizen who has written to the bot, so the bot may message her."""
    citizen = fake.citizen(AYSE)
    await citizen.send("merhaba")
    return citizen


# --- a small bot under test ----------------------------------------------------------


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    await update.message.reply_text(f"Hoş geldin {user.first_name} ({user.language_code})")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"echo: {update.message.text}", reply_markup=YES_NO)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Kaydedildi")
    await query.edit_message_text(f"Seçiminiz: {query.data}")


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    kind = "edited" if update.edited_message else type(message.effective_attachment).__name__
    await context.bot.send_message(message.chat_id, f"got {kind}: {message.text}")


@asynccontextmanager
async def polling_bot(fake: FakeTelegram) -> AsyncIterator[None]:
    app = ApplicationBuilder().token(fake.token).base_url(f"{fake.root_url}/bot").build()
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, on_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.ALL, on_other))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=2))
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


# --- end to end with a polling Application --------------------------------------------


async def test_citizen_chats_with_a_polling_application(fake: FakeTelegram) -> None:
    ayse = fake.citizen(AYSE)
    async with polling_bot(fake):
        await ayse.send("/start")
        welcome = await ayse.next_message()
        # from.first_name/language_code and the bot_command entity reached the handler
        assert welcome.text == "Hoş geldin Ayşe (tr)"

        await ayse.send("su kesintisi")
        echo = await ayse.next_message()
        assert echo.text == "echo: su kesintisi"
        assert echo.labels() == ["Evet", "Hayır"]
        assert echo.message_id > welcome.message_id

        await ayse.press("Hayır")
        edited = await ayse.next_edit()

    assert edited.message_id == echo.message_id
    assert edited.text == "Seçiminiz: q1:no"  # the callback_data of the pressed button
    assert edited.buttons == []  # edit without reply_markup removes the keyboard
    assert edited.texts == ["echo: su kesintisi", "Seçiminiz: q1:no"]
    assert ayse.last.text == "Seçiminiz: q1:no"
    assert ayse.callback_answers[0]["text"] == "Kaydedildi"
    methods = [method for method, _ in fake.calls]
    assert {"getMe", "deleteWebhook", "getUpdates"} <= set(methods)
    assert methods.index("answerCallbackQuery") < methods.index("editMessageText")
    assert fake.pending_updates() == 0  # PTB confirmed everything through offset
    fake.assert_no_violations()


async def test_non_text_updates_parse_in_ptb(fake: FakeTelegram) -> None:
    ayse = fake.citizen(AYSE)
    kinds = {
        "sticker": "Sticker",
        "photo": "tuple",
        "voice": "Voice",
        "location": "Location",
        "contact": "Contact",
        "document": "Document",
    }
    async with polling_bot(fake):
        for kind, ptb_class in kinds.items():
            await ayse.send_update(kind)
            assert (await ayse.next_message()).text == f"got {ptb_class}: None"
        await ayse.send("ilk")
        await ayse.next_message()
        await ayse.send_update("edited_message", text="düzeltilmiş")
        assert (await ayse.next_message()).text == "got edited: düzeltilmiş"
    fake.assert_no_violations()


# --- what the bot sends is checked against the spec -----------------------------------


def _button(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Seç", callback_data=data)]])


VIOLATIONS = {
    "text too long": (
        lambda bot: bot.send_message(AYSE, "x" * 4097),
        BadRequest,
        "sendMessage: text: must be 1-4096 characters after entity parsing, got 4097",
    ),
    "callback_data over 64 bytes": (  # 33 Turkish letters: 33 characters but 66 bytes
        lambda bot: bot.send_message(AYSE, "?", reply_markup=_button("ş" * 33)),
        BadRequest,
        "reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes",
    ),
    "unknown field": (
        lambda bot: bot.send_message(AYSE, "hi", api_kwargs={"colour": "red"}),
        BadRequest,
        "sendMessage: colour: unknown field",
    ),
    "unknown nested field": (
        lambda bot: bot.send_message(
            AYSE,
            "hi",
            api_kwargs={"reply_markup": {"inline_keyboard": [[{"text": "a", "data": "x"}]]}},
        ),
        BadRequest,
        "reply_markup.inline_keyboard[0][0].data: unknown field",
    ),
    "missing required field": (
        lambda bot: bot.do_api_request("sendMessage", api_kwargs={"chat_id": AYSE}),
        BadRequest,
        "sendMessage: text: required field is missing",
    ),
    "unknown method": (
        lambda bot: bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": AYSE}),
        EndPointNotFound,  # how PTB reports a 404 from do_api_request
        "sendTelepathy: unknown method",
    ),
    "bad parse_mode": (
        lambda bot: bot.send_message(AYSE, "hi", parse_mode="html"),
        BadRequest,
        "sendMessage: parse_mode: must be one of HTML, Markdown, MarkdownV2",
    ),
    "wrong type": (
        lambda bot: bot.do_api_request(
            "send_message", api_kwargs={"chat_id": AYSE, "text": "a", "disable_notification": 3}
        ),
        BadRequest,
        'disable_notification: expected Boolean, got str "3"',
    ),
    "caption too long": (
        lambda bot: bot.send_document(AYSE, b"x", filename="a.txt", caption="c" * 1025),
        BadRequest,
        "sendDocument: caption: must be 0-1024 characters",
    ),
    "answer text too long": (
        lambda bot: bot.answer_callback_query("1", text="t" * 201),
        BadRequest,
        "answerCallbackQuery: text: must be 0-200 characters",
    ),
}


@ignore_ptb_hints
@pytest.mark.parametrize("case", VIOLATIONS)
async def test_violations_are_recorded_and_refused(
    fake: FakeTelegram, bot: Bot, ayse: Citizen, case: str
) -> None:
    call, error, expected = VIOLATIONS[case]
    with pytest.raises(error):
        await call(bot)
    assert len(fake.violations) == 1, fake.violations
    assert expected in fake.violations[0]
    assert ayse.messages == []  # a refused call must not have reached the citizen
    with pytest.raises(AssertionError, match="1 Bot API violation"):
        fake.assert_no_violations()


async def test_limits_are_inclusive(fake: FakeTelegram, bot: Bot, ayse: Citizen) -> None:
    await bot.send_message(AYSE, "x" * 4096)
    await bot.send_message(AYSE, "Seç", reply_markup=_button("ş" * 32))  # exactly 64 bytes
    # HTML tags don't count, as Telegram counts after entity parsing
    await bot.send_message(AYSE, "<b>" + "y" * 4094 + "</b>&amp;", parse_mode="HTML")
    await bot.send_document(AYSE, b"x", filename="a.txt", caption="c" * 1024)
    assert len(ayse.messages) == 4
    assert ayse.messages[1].buttons[0][0].callback_data == "ş" * 32
    assert ayse.messages[2].plain == "y" * 4094 + "&"
    fake.assert_no_violations()


async def test_form_values_are_coerced_by_field_type(fake: FakeTelegram, ayse: Citizen) -> None:
    url = f"{fake.root_url}/bot{fake.token}/sendMessage"
    async with aiohttp.ClientSession() as http:
        # "123" stays a String where the spec says String, "true" becomes a Boolean
        form = {"chat_id": str(AYSE), "text": "123", "disable_notification": "true"}
        async with http.post(url, data=form) as res:
            body = await res.json()
        async with http.post(url, json={"chat_id": AYSE, "text": 5}) as res:
            refused = await res.json()
    assert body["ok"] is True and body["result"]["text"] == "123"
    assert fake.calls[-2] == (
        "sendMessage",
        {**form, "chat_id": AYSE, "disable_notification": True},
    )
    assert refused == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: text: expected String, got int 5",
    }


# --- behaving like the real API --------------------------------------------------------


async def test_answering_a_query_twice_is_a_violation(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    await bot.send_message(AYSE, "Memnun musunuz?", reply_markup=YES_NO)
    await ayse.press("Evet")
    updates = await bot.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query.data == "q1:yes" and query.message.text == "Memnun musunuz?"
    assert query.from_user.id == AYSE

    assert await query.answer() is True
    assert fake.violations == []
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()
    assert fake.violations == [
        "answerCallbackQuery: Bad Request: query is too old and response timeout expired "
        "or query ID is invalid"
    ]


async def test_real_api_errors_are_answered_but_not_violations(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    sent = await bot.send_message(AYSE, "Soru 1", reply_markup=YES_NO)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sent.edit_text("Soru 1", reply_markup=YES_NO)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sent.edit_reply_markup(YES_NO)
    # same text but no keyboard is a change: the keyboard goes away
    edited = await sent.edit_text("Soru 1")
    assert edited.reply_markup is None and ayse.last.buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=AYSE, message_id=999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hi")  # never wrote to the bot
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@ayse", "hi")  # users can't be addressed by @username
    ayse.blocked = True
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(AYSE, "hi")
    assert len(fake.api_errors) == 6
    fake.assert_no_violations()


async def test_getupdates_long_polls_and_confirms_by_offset(fake: FakeTelegram, bot: Bot) -> None:
    ayse = fake.citizen(AYSE)
    assert await bot.get_updates(timeout=0) == ()
    waiting = asyncio.create_task(bot.get_updates(timeout=3))
    assert await fake.updates.until_polled(within=2)
    assert not waiting.done()  # really waits while nothing is pending
    started = time.monotonic()
    update_id = await ayse.send("selam")
    (update,) = await waiting
    assert time.monotonic() - started < 1  # answered when the update came, not at timeout
    assert update.update_id == update_id and update.message.text == "selam"

    assert len(await bot.get_updates(offset=update_id)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert fake.pending_updates() == 0

    await ayse.send("mesaj")
    assert await bot.get_updates(allowed_updates=["callback_query"], timeout=0) == ()
    assert fake.pending_updates() == 0  # a message update the bot did not subscribe to


async def test_webhook_mode(fake: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def receive(request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((secret, await request.json()))
        return web.Response(status=202)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        await bot.set_webhook(url, secret_token="s3cret_Token-1", max_connections=5)
        assert fake.webhook is not None and fake.webhook["secret_token"] == "s3cret_Token-1"
        info = await bot.get_webhook_info()
        assert (info.url, info.max_connections, info.pending_update_count) == (url, 5, 0)

        update_id = await fake.citizen(AYSE).send("webhook")
        resent = {"update_id": fake.next_update_id(), "message": received[0][1]["message"]}
        assert await fake.deliver(resent) == 202  # the webhook's HTTP status
        assert received[0][0] == "s3cret_Token-1"
        assert received[0][1]["update_id"] == update_id
        assert received[0][1]["message"]["text"] == "webhook"
        assert fake.pending_updates() == 0  # delivered, not queued

        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        assert fake.webhook is None and await bot.get_updates(timeout=0) == ()
    finally:
        await runner.cleanup()
    fake.assert_no_violations()
    with pytest.raises(BadRequest):
        await bot.set_webhook(url, secret_token="not allowed!")
    assert "setWebhook: secret_token: must be 1-256 of" in fake.violations[0]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_makes_ptb_raise_retry_after(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    fake.fail_next("sendMessage", retry_after=3, description="Too Many Requests: retry after 3")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(AYSE, "ilk")
    assert "Retry in 3 seconds" in str(raised.value)
    assert ayse.messages == []
    await bot.send_message(AYSE, "ikinci")  # only the next call fails
    assert [m.text for m in ayse.messages] == ["ikinci"]
    fake.assert_no_violations()


async def test_delay_slows_every_answer(fake: FakeTelegram, bot: Bot) -> None:
    fake.delay = 0.3
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.3
    fake.delay = 0.0
    started = time.monotonic()
    me = await bot.get_me()
    assert time.monotonic() - started < 0.2
    assert (me.id, me.username, me.is_bot, me.first_name) == (
        123456789,
        "izdes_test_bot",
        True,
        "İZDES Test",
    )


# --- files, commands and the citizen's view --------------------------------------------


async def test_uploaded_files_keep_name_and_bytes(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    sent = await bot.send_document(
        AYSE, b"il;puan\nIzmir;4.5\n", filename="rapor.csv", caption="Haftalık rapor"
    )
    photo = await bot.send_photo(AYSE, b"\x89PNG fake", filename="grafik.png")
    document = await ayse.next_message()
    assert document.document is not None and document.text is None
    assert document.document["filename"] == "rapor.csv"
    assert document.document["content"] == b"il;puan\nIzmir;4.5\n"
    assert document.document["caption"] == "Haftalık rapor"
    assert sent.document.file_name == "rapor.csv" and sent.caption == "Haftalık rapor"
    assert (await ayse.next_message()).document["content"] == b"\x89PNG fake"
    assert photo.photo[-1].file_size == len(b"\x89PNG fake")
    fake.assert_no_violations()


async def test_commands_round_trip_and_are_checked(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Anketi başlat"), ("yardim", "Yardım")])
    commands = await bot.get_my_commands()
    assert [(c.command, c.description) for c in commands] == [
        ("start", "Anketi başlat"),
        ("yardim", "Yardım"),
    ]
    assert await bot.get_my_commands(language_code="en") == ()  # per language
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Start", "büyük harf olmaz")])
    assert "commands[0].command: must be 1-32 of a-z 0-9 _" in fake.violations[0]


async def test_citizen_helpers_fail_with_a_transcript(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    await bot.send_message(AYSE, "Soru", reply_markup=YES_NO)
    with pytest.raises(AssertionError, match="expected silence"):
        await ayse.expect_silence(0.05)  # an unread message is not silence
    message: BotMessage = await ayse.next_message()
    await ayse.expect_silence(0.05)
    with pytest.raises(AssertionError, match=r"no button 'Belki'.*\['Evet', 'Hayır'\]"):
        await ayse.press("Belki")
    with pytest.raises(AssertionError) as waited:
        await ayse.next_message(timeout=0.05)
    assert "Ayşe> merhaba" in str(waited.value)
    assert "bot #2> Soru  [Evet] / [Hayır]" in str(waited.value)

    await bot.delete_message(AYSE, message.message_id)
    with pytest.raises(AssertionError, match="no button 'Evet'"):
        await ayse.press("Evet")  # a deleted message has no buttons to press
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(AYSE, message.message_id)
    await bot.send_chat_action(AYSE, "typing")
    assert ayse.chat_actions == ["typing"]
    fake.assert_no_violations()


async def test_stale_and_forged_taps_and_what_counts_as_read(
    fake: FakeTelegram, bot: Bot, ayse: Citizen
) -> None:
    await bot.send_message(AYSE, "Soru", reply_markup=YES_NO)
    question = await ayse.next_message()
    await ayse.press("Evet")
    await bot.edit_message_reply_markup(AYSE, question.message_id)  # keyboard removed
    assert ayse.last.buttons == []  # `messages` is live...
    assert question.labels() == ["Evet", "Hayır"]  # ...next_message() is the message as sent
    with pytest.raises(AssertionError, match="no button 'Hayır'"):
        await ayse.press("Hayır", message=question)  # a real client no longer shows it

    stale = ayse.callback_update(question, "Hayır", data="forged")
    assert await fake.deliver(stale) is None  # queued for getUpdates
    query = (await bot.get_updates(timeout=0))[-1].callback_query
    assert query.data == "forged" and query.message.reply_markup is None
    assert await query.answer() is True  # a query made this way is a real, open query

    await ayse.send("devam")  # the citizen acts: the keyboard removal is already seen
    with pytest.raises(AssertionError, match="no edit in chat"):
        await ayse.next_edit(timeout=0.05)
    await bot.edit_message_text("Soru (yanıtlandı)", chat_id=AYSE, message_id=question.message_id)
    assert (await ayse.next_edit()).texts == ["Soru", "Soru (yanıtlandı)"]
    fake.assert_no_violations()


async def test_wrong_token_is_refused(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("987:wrong", base_url=f"{fake.root_url}/bot"):
            pass
    assert "getMe: wrong token" in fake.violations[0]
