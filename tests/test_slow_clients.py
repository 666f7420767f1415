"""A client that sends its request slowly (slowloris) is cut off, on the port that faces the
internet for the webhook and serves the admin API."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from tests.conftest import RunningBot, bot_settings

LIMIT = 1.0  # IZDES_HTTP_READ_TIMEOUT for these tests (15 s by default)


@pytest.fixture
async def strict_bot(telegram, db):
    running = RunningBot(bot_settings(telegram, db.url, http_read_timeout=LIMIT), telegram)
    await running.start()
    yield running
    await running.stop()


async def connect(running: RunningBot):
    return await asyncio.open_connection("127.0.0.1", running.settings.http_port)


async def closed_after(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       trickle: bytes) -> tuple[float, bytes]:
    """Send ``trickle`` a byte every 0.2 s until the server closes; seconds taken and what
    it answered."""
    started = time.monotonic()
    answer = b""
    for byte in trickle:
        try:
            writer.write(bytes([byte]))
            await writer.drain()
            answer += await asyncio.wait_for(reader.read(4096), 0.2)
        except TimeoutError:
            continue
        except (ConnectionError, OSError):
            break
        if reader.at_eof():
            break
    writer.close()
    return time.monotonic() - started, answer


async def test_headers_sent_too_slowly_lose_the_connection(strict_bot):
    reader, writer = await connect(strict_bot)
    endless = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200
    took, answer = await closed_after(reader, writer, endless)
    assert took < LIMIT + 2, took  # 200 bytes at 0.2 s would take 40 s
    assert b"200 OK" not in answer


async def test_a_body_sent_too_slowly_gets_408(strict_bot):
    reader, writer = await connect(strict_bot)
    writer.write(b"POST /istatistik HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 1000\r\n\r\nkod=")
    await writer.drain()
    started = time.monotonic()
    answer = await asyncio.wait_for(reader.read(4096), LIMIT + 3)
    assert time.monotonic() - started < LIMIT + 2
    assert answer.startswith(b"HTTP/1.1 408") and b"application/problem+json" in answer
    writer.close()


async def test_bodies_are_read_only_where_wanted_and_never_fail_with_500(strict_bot):
    """A body nobody asked for is not read (a megabyte each from hundreds of strangers
    would sit in memory); one that cannot be decoded is a 400, not a 500."""
    url = f"http://127.0.0.1:{strict_bot.settings.http_port}"
    # A fresh connection each: after a body it could not read, the server closes the
    # connection rather than guess where the next request begins.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        async with http.post(f"{url}/api/v1/nope", data=b"x" * 1000) as answer:
            assert answer.status == 401  # refused before any of the body is read
        for path in ("/istatistik", "/healthz"):
            async with http.post(f"{url}{path}", data=b"garbage",
                                 headers={"Content-Encoding": "gzip",
                                          "Content-Type": "application/x-www-form-urlencoded"}
                                 ) as answer:
                assert answer.status in (400, 405), (path, answer.status)
        async with http.post(f"{url}/istatistik", data=b"kod=ABCD",
                             headers={"Content-Type": "application/x-www-form-urlencoded; "
                                                      "charset=no-such-charset"}) as answer:
            assert answer.status == 400
        form = aiohttp.FormData()
        form.add_field("kod", "ABCD-EFGH-JKMN")
        form.add_field("file", b"x", filename="x.txt")  # multipart, as curl -F sends
        async with http.post(f"{url}/istatistik", data=form) as answer:
            assert answer.status == 404  # read and answered: no link has this code


async def test_a_prompt_client_is_served_as_ever(strict_bot):
    reader, writer = await connect(strict_bot)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(4096), 5)).startswith(b"HTTP/1.1 200")
    writer.close()


async def test_a_secret_header_that_is_not_utf8_is_refused_not_a_500(telegram, db):
    port = bot_settings(telegram, db.url).http_port
    running = RunningBot(bot_settings(telegram, db.url, http_port=port,
                                      webhook_url=f"http://127.0.0.1:{port}/telegram/webhook"),
                         telegram)
    await running.start()
    try:
        for path, header in (("/telegram/webhook", b"X-Telegram-Bot-Api-Secret-Token: \xff\xfe"),
                             ("/metrics", b"Authorization: Bearer \xff\xfe")):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            method = b"POST" if path.endswith("webhook") else b"GET"
            writer.write(method + b" " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + header
                         + b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(4096), 5)
            writer.close()
            assert answer.split(b"\r\n")[0] in (b"HTTP/1.1 403 Forbidden",
                                                b"HTTP/1.1 401 Unauthorized"), answer[:80]
    finally:
        await running.stop()
