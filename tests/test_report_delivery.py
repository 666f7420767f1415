"""The report to the centre delivered in Telegram: when a period is released, each
administrator gets the PDF of their scope once, however often the bot restarts and however
many bot processes share the database."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot

from admin.publish import Publication
from admin.report_delivery import MAX_ATTEMPTS, RETRY_AFTER
from admin.telegram_report import parse_admin_ids
from bot.report_delivery import RECIPIENT_CHANNEL, report_delivery
from conversations.pseudonym import Pseudonymizer
from conversations.survey import DEFAULT_SURVEY, builtin_surveys
from storage import deliveries
from tests.conftest import TEST_SECRET, RunningBot, bot_settings, free_port
from tests.test_changes_api import two_months  # noqa: F401 (fixture)
from tests.test_pdf_report import PUBLISHED, read_pdf, with_comments  # noqa: F401

MINISTRY, ISTANBUL, ANKARA = 5561, 5562, 5563
ADMINS = f"{MINISTRY}:national,{ISTANBUL}:province:34"


def administrators(telegram, *user_ids: int) -> list:
    """The administrators' chats; each has started the bot once (Telegram lets a bot write
    only to users who wrote to it)."""
    chats = [telegram.citizen(user_id, first_name="Yönetici") for user_id in user_ids]
    for chat in chats:
        chat.wrote = True
    return chats


def a_bot(telegram, db, admins: str = ADMINS, webhook: bool = False) -> RunningBot:
    port = free_port()
    extra = {"webhook_url": f"http://127.0.0.1:{port}/telegram/webhook"} if webhook else {}
    return RunningBot(bot_settings(telegram, db.url, admin_telegram_ids=admins,
                                   http_port=port, **extra), telegram)


@contextlib.asynccontextmanager
async def running(*bots: RunningBot):
    """The bots started; stopped however the block ends (a stop lets the upkeep's round,
    and so any delivery under way, end first)."""
    try:
        for bot in bots:
            await bot.start()
        yield bots
    finally:
        for bot in bots:
            with contextlib.suppress(Exception):
                await bot.stop()


def documents(telegram) -> list[tuple[int, str]]:
    """Every document the bot tried to send: (chat, file name), refused ones too."""
    return [(int(params["chat_id"]), params["document"].filename)
            for method, params in telegram.calls if method == "sendDocument"]


def pdf_title_and_text(message, folder: Path) -> tuple[list[str], str]:
    """The lines under the report's heading (its scope and period), and all its text."""
    path = folder / message.document["filename"]
    path.write_bytes(message.document["content"])
    text = "\n".join(read_pdf(path))
    return text.splitlines()[1:3], text


async def test_each_administrator_gets_the_report_of_their_scope(telegram, db, two_months,  # noqa: F811
                                                                 tmp_path):
    ministry, istanbul = administrators(telegram, MINISTRY, ISTANBUL)
    latest = sorted(two_months)[-1]
    async with running(a_bot(telegram, db)):
        national = await ministry.next_message(timeout=60)
        province = await istanbul.next_message(timeout=60)
    assert national.document["filename"] == f"izdes-rapor-{latest}-tr.pdf"
    assert national.document["caption"] == f"İZDES aylık raporu — {latest} — Türkiye"
    assert national.document["mime"] == "application/pdf"
    trafik = {plate: len(answers) for (plate, service), answers in two_months[latest].items()
              if service == "trafik"}
    title, text = pdf_title_and_text(national, tmp_path)
    assert title == ["Türkiye", f"Dönem: {latest}"]
    assert f"Trafik {sum(trafik.values())} " in text  # every province's respondents
    assert province.document["filename"] == f"izdes-rapor-{latest}-34.pdf"
    assert province.document["caption"] == f"İZDES aylık raporu — {latest} — İstanbul"
    title, text = pdf_title_and_text(province, tmp_path)
    assert title == ["İstanbul", f"Dönem: {latest}"]
    assert f"Trafik {trafik['34']} " in text  # İstanbul's alone
    # The period before is released too, but only the latest is delivered: no backlog.
    assert len(ministry.messages) == len(istanbul.messages) == 1


async def test_the_copy_in_telegram_leaves_citizens_comments_out(
        telegram, db, with_comments, tmp_path):  # noqa: F811
    """Comments are scrubbed of numbers, not of every name: the copy that goes into chats on
    Telegram's servers abroad carries none, and says where to read them."""
    (ministry,) = administrators(telegram, MINISTRY)
    async with running(a_bot(telegram, db)):
        national = await ministry.next_message(timeout=60)
    _, text = pdf_title_and_text(national, tmp_path)
    text = " ".join(text.split())
    assert "Vatandaş yorumları Telegram ile gönderilen bu kopyada yer almaz" in text
    assert not any(comment in text for texts in PUBLISHED.values() for comment in texts)


async def test_a_restart_sends_nothing_again(telegram, db, two_months):  # noqa: F811
    ministry, istanbul, ankara = administrators(telegram, MINISTRY, ISTANBUL, ANKARA)
    async with running(a_bot(telegram, db)):
        await ministry.next_message(timeout=60)
        await istanbul.next_message(timeout=60)
    # Restarted with one more administrator: only the newcomer gets the report (which also
    # shows that the restarted bot looked for reports to deliver).
    async with running(a_bot(telegram, db, f"{ADMINS},{ANKARA}:province:06")):
        newcomer = await ankara.next_message(timeout=60)
    assert newcomer.document["filename"].endswith("-06.pdf")
    assert len(ministry.messages) == len(istanbul.messages) == 1
    assert len(documents(telegram)) == 3


async def test_two_bots_on_one_database_send_once_in_all(telegram, db, two_months):  # noqa: F811
    ministry, istanbul = administrators(telegram, MINISTRY, ISTANBUL)
    async with running(a_bot(telegram, db, webhook=True), a_bot(telegram, db, webhook=True)):
        await ministry.next_message(timeout=60)
        await istanbul.next_message(timeout=60)
    # Both bots' rounds have ended (a stop waits for them): each report went once.
    assert sorted(chat for chat, _ in documents(telegram)) == [MINISTRY, ISTANBUL]


async def test_an_administrator_who_blocked_the_bot_does_not_stop_the_other(
        telegram, db, two_months, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    ministry, istanbul = administrators(telegram, MINISTRY, ISTANBUL)
    ministry.blocked = True
    async with running(a_bot(telegram, db)):
        report = await istanbul.next_message(timeout=60)
    assert report.document["filename"].endswith("-34.pdf")
    assert ministry.messages == []
    # Not tried again after a restart: blocked is not a passing failure.
    async with running(a_bot(telegram, db)):
        pass
    assert sorted(chat for chat, _ in documents(telegram)) == [MINISTRY, ISTANBUL]
    refused = [r.getMessage() for r in caplog.records if "Forbidden" in r.getMessage()]
    assert refused == [f"report delivery hizmet {sorted(two_months)[-1]} to an administrator "
                       "(national) failed: Forbidden; not tried again"]
    assert str(MINISTRY) not in caplog.text and str(ISTANBUL) not in caplog.text


async def test_switched_off_nothing_is_sent(telegram, db, two_months):  # noqa: F811
    ministry, = administrators(telegram, MINISTRY)
    settings = bot_settings(telegram, db.url, admin_telegram_ids=f"{MINISTRY}:national",
                            report_delivery=False)
    async with running(RunningBot(settings, telegram)):
        await ministry.send("/rapor")  # meanwhile, the upkeep's round has run
        for _ in range(3):  # summary, chart, CSV: asked for, and still answered
            await ministry.next_message(timeout=30)
    assert [name for _, name in documents(telegram)] == ["izdes-rapor.csv"]


async def test_a_claim_left_unsent_is_taken_again_later(telegram, db, two_months):  # noqa: F811
    ministry, istanbul = administrators(telegram, MINISTRY, ISTANBUL)
    latest, now = sorted(two_months)[-1], datetime.now(UTC)
    codes = Pseudonymizer(TEST_SECRET.encode())
    async with db.transaction() as session:
        # A worker claimed the ministry's report eleven minutes ago and stopped before
        # sending it; another is sending İstanbul's right now.
        for user_id, scope, when in ((MINISTRY, "national", now - timedelta(minutes=11)),
                                     (ISTANBUL, "province:34", now)):
            assert await deliveries.claim(session, "hizmet", latest,
                                          codes.key_for(RECIPIENT_CHANNEL, user_id), scope,
                                          when, RETRY_AFTER, MAX_ATTEMPTS) == 1
    async with running(a_bot(telegram, db)):
        report = await ministry.next_message(timeout=60)
    assert report.document["filename"] == f"izdes-rapor-{latest}-tr.pdf"
    assert istanbul.messages == []  # left to the worker sending it


async def test_a_passing_failure_is_tried_again_three_times_in_all(telegram, db, two_months):  # noqa: F811
    ministry, istanbul = administrators(telegram, MINISTRY, ISTANBUL)
    survey = builtin_surveys()[DEFAULT_SURVEY]
    start = datetime.now(UTC)
    async with Bot(telegram.token, base_url=f"{telegram.root_url}/bot") as bot:
        delivery = report_delivery(True, parse_admin_ids(ADMINS),
                                   Pseudonymizer(TEST_SECRET.encode()), db, survey,
                                   Publication(min_cell=10), bot)
        # The upkeep's rounds, at these minutes; Telegram fails the ministry's document at
        # the first three tries (the national report is sent first).
        for minutes, fails in ((0, True), (5, False), (11, True), (22, True), (33, False),
                               (60, False)):
            if fails:
                telegram.fail_next("sendDocument", error_code=502, retry_after=None,
                                   description="Bad Gateway")
            await delivery.run(start + timedelta(minutes=minutes))
    # Tried at 0, 11 and 22 minutes (not at 5: too soon), then given up.
    assert [chat for chat, _ in documents(telegram)] == [MINISTRY, ISTANBUL, MINISTRY,
                                                         MINISTRY]
    assert ministry.messages == [] and len(istanbul.messages) == 1
