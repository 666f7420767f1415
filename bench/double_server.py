"""The Bot API double and its citizens, in a process of their own.

    python -m bench.double_server [--delay 0.05] [--token T]

Prints one JSON line ({"api": root URL for IZDES_BOT_API_URL, "control": control URL}), then
serves until stdin closes or SIGTERM. Running apart from the bot keeps the double's CPU out
of the bot's figures; the citizens live here too, so a step's latency is measured where the
update is sent and the reply arrives, with no extra hop.

Control API (JSON), used by bench.run and bench.memory:
    GET  /status          calls per Bot API method, webhook set or not, violations
    POST /crowd/start     {"policy": "izdes"|"textbook"|"echo", "citizens": 50}
    POST /measure/begin   start counting steps (the warm-up is over)
    POST /measure/end     stop counting; returns updates/s and latency percentiles
    POST /crowd/stop
    POST /visit           {"user_ids": [...], "workers": 50, "press": label or null}: each
                          sends /start once, then presses `press` (default: first answer)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time

from aiohttp import web

from bench.citizens import POLICIES, Crowd, Tally, visit
from bench.world import BenchTelegram

DEFAULT_TOKEN = "123456789:BENCH-token_for_the_benchmark"


class Control:
    def __init__(self, fake: BenchTelegram) -> None:
        self.fake = fake
        self.crowd: Crowd | None = None

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/status", self.status),
            web.post("/crowd/start", self.crowd_start),
            web.post("/crowd/stop", self.crowd_stop),
            web.post("/measure/begin", self.measure_begin),
            web.post("/measure/end", self.measure_end),
            web.post("/visit", self.visit),
        ]

    async def status(self, _: web.Request) -> web.Response:
        fake = self.fake
        return web.json_response({
            "calls": dict(fake.method_counts), "webhook": fake.webhook is not None,
            "violations": fake.violations[:20], "internal_errors": fake.internal_errors[:20],
            "api_errors": len(fake.api_errors),
            "steps": self.crowd.total_steps if self.crowd else 0,
        })

    async def crowd_start(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.crowd = Crowd(self.fake, POLICIES[body["policy"]], int(body.get("citizens", 50)),
                           float(body.get("step_timeout", 10.0)))
        self.crowd.start()
        return web.json_response({"ok": True})

    async def crowd_stop(self, _: web.Request) -> web.Response:
        if self.crowd is not None:
            await self.crowd.stop()
        return web.json_response({"ok": True})

    async def measure_begin(self, _: web.Request) -> web.Response:
        assert self.crowd is not None, "start a crowd first"
        self.crowd.tally = Tally()
        return web.json_response({"ok": True})

    async def measure_end(self, _: web.Request) -> web.Response:
        assert self.crowd is not None and self.crowd.tally is not None
        tally, self.crowd.tally = self.crowd.tally, None
        return web.json_response(tally.summary(time.perf_counter()))

    async def visit(self, request: web.Request) -> web.Response:
        body = await request.json()
        ids = iter([int(uid) for uid in body["user_ids"]])
        result = await visit(self.fake, ids, int(body.get("workers", 50)), body.get("press"))
        return web.json_response(result)


async def serve(delay: float, token: str) -> None:
    fake = BenchTelegram(token, delay=delay)
    await fake.start()
    app = web.Application(client_max_size=16 * 1024 * 1024)  # /visit carries 100,000 ids
    app.add_routes(Control(fake).routes())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    control = f"http://127.0.0.1:{runner.addresses[0][1]}"
    print(json.dumps({"api": fake.root_url, "control": control, "token": token}), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # The parent holds our stdin: if it dies without stopping us, EOF stops us.
    loop.add_reader(sys.stdin.fileno(), lambda: None if sys.stdin.readline() else stop.set())
    await stop.wait()
    await runner.cleanup()
    await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.0,
                        help="seconds before every Bot API answer (a far-away Telegram)")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args()
    asyncio.run(serve(args.delay, args.token))


if __name__ == "__main__":
    main()
