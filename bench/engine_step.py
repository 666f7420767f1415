"""The CPU of a survey step without Telegram: the engine and its storage, one step at a time.

    .venv/bin/python -m bench.engine_step [--surveys 150] [--only postgresql|sqlite]

What is left of an İZDES step once PTB, aiohttp and the Bot API double are taken away: the
update stored as the intake stores it, then `SurveyEngine.handle` with the event id and the
order number the Telegram adapter gives it (claim, order check, answer, session, commit). One
citizen after another, each taking the whole service survey (Trafik) once, so nothing runs
concurrently and the process's CPU time divided by the steps is the step's own cost. Compare it
with `bench.run`'s CPU per update: the difference is what Telegram costs the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bench.pg import throwaway_database
from bot.runner import startup_objects_frozen
from conversations.engine import SurveyEngine
from conversations.messages import Event, Inbound, Press, Reply, Start, Text
from conversations.survey import builtin_surveys
from storage import inbox
from storage.database import Database
from storage.migrate import prepare
from storage.repository import survey_stores

WARM_UP_SURVEYS = 20  # every statement compiled and prepared once, the pool warm
CONSENT, SERVICE, THANKS = "✅ Onaylıyorum", "Trafik", "Teşekkür ederiz!"


def _texts(reply: Reply) -> str:
    return "\n".join(action.text or "" for action in reply.actions)


def _labelled(reply: Reply, label: str) -> str:
    return next(b.data for a in reply.actions for row in a.keyboard for b in row
                if b.label == label)


def _next_input(reply: Reply) -> Event:
    """A plain citizen: picks traffic, types the province, skips what can be skipped, else
    takes the first choice (bench.run's citizens answer more particular choices)."""
    if "Hizmeti hangi ilde" in _texts(reply):
        return Text("Ankara")
    offered = [b for row in reply.actions[-1].keyboard for b in row]
    if any(b.label == SERVICE for b in offered):
        return Press(_labelled(reply, SERVICE))
    skip = [b for b in offered if b.label == "Geç"]
    return Press((skip or offered)[0].data)


def _callback_update(update_id: int) -> dict:
    """A tap as Telegram sends it (the tapped question with its keyboard): what is stored."""
    user = {"id": 7_000_001, "is_bot": False, "first_name": "Ayşe", "language_code": "tr"}
    keyboard = [[{"text": label, "callback_data": f"a.123.4.{i}"}]
                for i, label in enumerate(["Memnunum", "Kararsızım", "Memnun değilim"])]
    message = {"message_id": 40, "date": 1_764_590_000, "chat": {"id": 7_000_001,
               "type": "private", "first_name": "Ayşe"}, "from": {"id": 1, "is_bot": True,
               "first_name": "İZDES"}, "text": "Aldığınız hizmetten ne kadar memnunsunuz?",
               "reply_markup": {"inline_keyboard": keyboard}}
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": user, "chat_instance": "1", "data": "a.123.4.0",
        "message": message}}


class Citizens:
    def __init__(self, db: Database, engine: SurveyEngine) -> None:
        self.db = db
        self.engine = engine
        self.update_ids = itertools.count(1)

    async def step(self, who: str, event: Event, message_ref: str | None) -> Reply:
        update_id = next(self.update_ids)
        event_id = f"telegram:{update_id}"
        async with self.db.connection(single_statement=True) as connection:
            await inbox.store_incoming(connection, [inbox.Incoming(
                event_id, _callback_update(update_id), who, update_id)])
        return await self.engine.handle(Inbound(who, event, event_id=event_id,
                                                message_ref=message_ref, sequence=update_id))

    async def take_survey(self, who: str) -> int:
        """The whole survey; returns the number of steps."""
        reply = await self.step(who, Start(), None)
        reply = await self.step(who, Press(_labelled(reply, CONSENT)), "1")
        steps = 2
        while THANKS not in _texts(reply):
            reply = await self.step(who, _next_input(reply), str(steps))
            steps += 1
        return steps


@asynccontextmanager
async def database(dialect: str) -> AsyncIterator[str]:
    if dialect == "postgresql":
        async with throwaway_database() as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"


def _cpu() -> tuple[float, float]:
    """User and system CPU seconds of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


async def measure(dialect: str, surveys: int) -> tuple[int, float, float, float]:
    """Steps, and per step: user CPU ms, system CPU ms, wall ms."""
    async with database(dialect) as url:
        db = Database(url, pool_size=2)
        try:
            await prepare(db, builtin_surveys())
            engine = SurveyEngine(survey_stores(db, builtin_surveys()),
                                  session_ttl=timedelta(hours=1),
                                  repeat_after=timedelta(0), min_seconds_per_answer=0)
            citizens = Citizens(db, engine)
            for number in range(WARM_UP_SURVEYS):
                await citizens.take_survey(f"warm-up-{number}")
            with startup_objects_frozen():  # as the bot serves
                (user, system), wall = _cpu(), time.perf_counter()
                steps = 0
                for number in range(surveys):
                    steps += await citizens.take_survey(f"citizen-{number}")
                (user_end, system_end), wall_end = _cpu(), time.perf_counter()
        finally:
            await db.close()
    per_step = 1000 / steps
    return (steps, (user_end - user) * per_step, (system_end - system) * per_step,
            (wall_end - wall) * per_step)


async def run(dialects: list[str], surveys: int) -> None:
    print(f"One survey step without Telegram ({surveys} surveys one after another, "
          "after a warm-up):")
    for dialect in dialects:
        steps, user, system, wall = await measure(dialect, surveys)
        print(f"  {dialect:10s}  {steps} steps  CPU {user + system:.2f} ms a step "
              f"(user {user:.2f}, system {system:.2f})  wall {wall:.2f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=150)
    parser.add_argument("--only", choices=("postgresql", "sqlite"))
    args = parser.parse_args()
    asyncio.run(run([args.only] if args.only else ["postgresql", "sqlite"], args.surveys))


if __name__ == "__main__":
    main()
