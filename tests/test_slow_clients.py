"""A client that sends its request slowly (slowloris) is cut off, on the port that faces the
internet for the webhook and serves the admin API."""

from __future__ import annotations

import asyncio
import time

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
    writer.write(b"POST /api/v1/scores HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                 b"\r\nContent-Length: 1000\r\n\r\n{")
    await writer.drain()
    started = time.monotonic()
    answer = await asyncio.wait_for(reader.read(4096), LIMIT + 3)
    assert time.monotonic() - started < LIMIT + 2
    assert answer.startswith(b"HTTP/1.1 408") and b"application/problem+json" in answer
    writer.close()


async def test_a_prompt_client_is_served_as_ever(strict_bot):
    reader, writer = await connect(strict_bot)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(4096), 5)).startswith(b"HTTP/1.1 200")
    writer.close()
