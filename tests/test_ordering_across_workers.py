"""Several workers on one database: one person's updates are still applied in order."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager

import pytest

from bot.handlers import _handle_in_order
from conversations.engine import SurveyEngine
from conversations.messages import Inbound, Press, Start, Text
from conversations.ports import StoreFactory, SurveyStore
from conversations.survey import builtin_surveys
from storage import inbox
from storage.database import Database
from storage.repository import survey_stores
from tests.stored import answers_of, store_updates, the_response

WHO = "respondent-key"


def button(reply, label: str) -> str:
    return next(b.data for a in reply.actions for row in a.keyboard for b in row
                if b.label == label)


class Attempts:
    """The engine's store factory, counting the steps it opens (each attempt of a step):
    a worker holding back a later update tries, finds the earlier one unhandled, and tries
    again."""

    def __init__(self, stores: StoreFactory) -> None:
        self._stores = stores
        self.count = 0
        self.changed = asyncio.Event()

    def __call__(self, *, single_statement: bool = False
                 ) -> AbstractAsyncContextManager[SurveyStore]:
        self.count += 1
        self.changed.set()
        return self._stores(single_statement=single_statement)

    async def reach(self, count: int) -> None:
        while self.count < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), timeout=5)


async def stored(db: Database, sequence: int) -> None:
    """An update as the webhook of some worker stored it (before answering Telegram)."""
    await store_updates(db, [inbox.Incoming(f"tg:{sequence}", {"update_id": sequence},
                                                   WHO, sequence)])


async def test_a_later_update_waits_for_the_earlier_one_held_by_another_worker(db):
    # Two workers: each its own connection pool to the same database, as two processes.
    first_worker, second_worker = db, Database(db.url)
    try:
        attempts = Attempts(survey_stores(second_worker, builtin_surveys()))
        one = SurveyEngine(survey_stores(first_worker, builtin_surveys()))
        two = SurveyEngine(attempts)
        notice = await one.handle(Inbound(WHO, Start()))
        adult = await one.handle(Inbound(WHO, Press(button(notice, "✅ Onaylıyorum")),
                                         message_ref="1"))
        service = await one.handle(Inbound(WHO, Press(button(adult, "Evet")), message_ref="1"))
        await one.handle(Inbound(WHO, Press(button(service, "Trafik")), message_ref="2"))
        recency = await one.handle(Inbound(WHO, Text("son 7 gün içinde")))
        assert "Hizmeti nasıl aldınız?" in recency.actions[-1].text

        # The citizen types "yüz yüze" (update 101) and then "İzmir" (update 102). Both are
        # stored; worker two picks up 102 first, worker one is slower with 101.
        await stored(first_worker, 101)
        await stored(first_worker, 102)
        later = asyncio.create_task(_handle_in_order(two, Inbound(
            WHO, Text("İzmir"), event_id="tg:102", sequence=102)))
        await attempts.reach(3)  # found 101 unhandled twice, and waits on
        assert not later.done(), "102 must wait while 101 is unhandled"
        await _handle_in_order(one, Inbound(WHO, Text("yüz yüze"), event_id="tg:101",
                                            sequence=101))
        reply = await asyncio.wait_for(later, timeout=5)
        assert "Hangi ilçede?" in reply.actions[-1].text
        answers = await answers_of(first_worker, (await the_response(first_worker)).id)
        assert (answers["channel"], answers["province"]) == ("in_person", "35")
    finally:
        await second_worker.close()


@pytest.mark.parametrize("sequence", [None, 5])
async def test_without_earlier_updates_nothing_waits(db, sequence):
    engine = SurveyEngine(survey_stores(db, builtin_surveys()))
    reply = await _handle_in_order(engine, Inbound(WHO, Start(), sequence=sequence))
    assert "Aydınlatma metni" in reply.actions[0].text
