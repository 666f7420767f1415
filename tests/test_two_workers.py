"""Two bot processes behind a load balancer, one database: a citizen's rapid answers are split
between them, and still applied strictly in the order they were sent."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys

import aiohttp
import pytest
from aiohttp import web

from tests.conftest import TEST_SECRET, free_port
from tests.stored import answers_of, the_response
from tests.survey_steps import consent

HITS = web.AppKey("hits", dict)


async def start_webhook_worker(telegram, database_url: str) -> tuple[asyncio.subprocess.Process,
                                                                      str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    env = {
        **os.environ,
        "IZDES_BOT_TOKEN": telegram.token, "IZDES_BOT_API_URL": telegram.root_url,
        "IZDES_DATABASE_URL": database_url, "IZDES_SECRET_KEY": TEST_SECRET,
        "IZDES_HTTP_PORT": str(port), "IZDES_WEBHOOK_URL": url, "IZDES_LOG_LEVEL": "WARNING",
        "IZDES_PRIVATE_CHAT_MESSAGES_PER_SECOND": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    for _ in range(300):
        if telegram.webhook and telegram.webhook.get("url") == url:
            return process, url
        if process.returncode is not None:
            raise AssertionError((await process.stderr.read()).decode())
        await asyncio.sleep(0.05)
    process.kill()
    raise AssertionError("the worker did not set its webhook within 15 s")


async def round_robin_balancer(targets: list[str]) -> tuple[web.AppRunner, str]:
    """Each webhook request to the next worker in turn, as a load balancer without
    stickiness does."""
    turn = itertools.cycle(targets)
    http = aiohttp.ClientSession()
    app = web.Application()
    app[HITS] = dict.fromkeys(targets, 0)

    async def forward(request: web.Request) -> web.Response:
        target = next(turn)
        app[HITS][target] += 1
        async with http.post(target, data=await request.read(),
                             headers=dict(request.headers)) as answer:
            return web.Response(status=answer.status, body=await answer.read())

    app.router.add_post("/", forward)
    app.on_cleanup.append(lambda _: http.close())
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/"


async def test_two_worker_processes_keep_one_citizens_order(telegram, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several processes share PostgreSQL; SQLite is the single-process default")
    first, first_url = await start_webhook_worker(telegram, db.url)
    second, second_url = await start_webhook_worker(telegram, db.url)
    balancer, balancer_url = await round_robin_balancer([first_url, second_url])
    telegram.webhook["url"] = balancer_url
    try:
        citizen = telegram.citizen(9101)
        await consent(citizen)
        # Typed as fast as they can be sent, not waiting for the bot's replies to land;
        # each is stored by whichever worker gets it.
        citizen.settle_before_acting = False
        typed = ["Trafik", "Son 7 gün içinde", "Yüz yüze", "İzmir", "Bornova", "Trafik cezası"]
        for text in typed:
            await citizen.send(text)
        questions = [await citizen.next_message(timeout=15) for _ in typed]
        assert "ne kadar memnunsunuz" in questions[-1].text, citizen.transcript()
        answers = await answers_of(db, (await the_response(db)).id)
        assert answers == {"adult": "yes", "service": "trafik", "recency": "d7",
                           "channel": "in_person",
                           "province": "35", "district": answers.get("district"),
                           "traffic_purpose": "fine"}
        assert answers["district"], answers
        hits = balancer.app[HITS]
        assert hits[first_url] >= 3 and hits[second_url] >= 3, hits  # both workers took part
    finally:
        for process in (first, second):
            process.terminate()
        for process in (first, second):
            await process.wait()
        await balancer.cleanup()
