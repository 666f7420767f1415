"""The engine's store, one contract for all: in memory (conversations.memory_store), and on
SQLAlchemy (storage.repository) on SQLite and PostgreSQL. Each test uses keys of its own, so
the databases are made once for the module."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from conversations.links import LinkPlace, NewLink
from conversations.memory_store import MemoryStores
from conversations.messages import Shown, Tracking
from conversations.ports import StoreFactory
from conversations.state import Status
from conversations.survey import builtin_surveys
from storage import inbox
from storage.database import Database
from storage.links import create_link, disable_link, link_place
from storage.repository import survey_stores
from tests.conftest import _migrate, new_postgres_database
from tests.stored import store_updates, within

NOW = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)  # a Tuesday


@dataclass
class Backend:
    stores: StoreFactory
    store_incoming: Callable[[str, str, int], Awaitable[None]]  # event id, key, sequence
    add_link: Callable[[NewLink], Awaitable[LinkPlace]]
    disable_link: Callable[[LinkPlace], Awaitable[None]]


class _Databases:
    """A migrated database per SQL backend, made when a test first asks for it."""

    def __init__(self, stack: contextlib.AsyncExitStack, folder: Path) -> None:
        self._stack, self._folder = stack, folder
        self._made: dict[str, Database] = {}

    async def get(self, kind: str) -> Database:
        if kind not in self._made:
            if kind == "sqlite":
                url = f"sqlite+aiosqlite:///{self._folder / 'store.db'}"
            else:
                url = await self._stack.enter_async_context(new_postgres_database("izdes_store"))
            await _migrate(url)
            self._made[kind] = Database(url)
            self._stack.push_async_callback(self._made[kind].close)
        return self._made[kind]


@pytest.fixture(scope="module")
async def databases(tmp_path_factory) -> AsyncIterator[_Databases]:
    async with contextlib.AsyncExitStack() as stack:
        yield _Databases(stack, tmp_path_factory.mktemp("store"))


def _sql_backend(db: Database) -> Backend:
    async def store_incoming(event_id: str, key: str, sequence: int) -> None:
        await store_updates(db, [inbox.Incoming(event_id, {"update_id": sequence},
                                                       key, sequence)])

    async def add_link(new: NewLink) -> LinkPlace:
        link_id = await within(db, create_link, new)
        async with db.transaction() as session:
            place = await link_place(session, link_id)
        assert place is not None
        return place

    async def disable(place: LinkPlace) -> None:
        await within(db, disable_link, place.id)

    return Backend(survey_stores(db, builtin_surveys()), store_incoming, add_link, disable)


def _memory_backend() -> Backend:
    memory = MemoryStores()

    async def store_incoming(event_id: str, key: str, sequence: int) -> None:
        memory.store_incoming(event_id, key, sequence)

    async def add_link(new: NewLink) -> LinkPlace:
        return memory.add_link(new)

    async def disable(place: LinkPlace) -> None:
        memory.disable_link(place.id)

    return Backend(memory, store_incoming, add_link, disable)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def backend(request, databases) -> Backend:
    if request.param == "memory":
        return _memory_backend()
    return _sql_backend(await databases.get(request.param))


def _key() -> str:
    return secrets.token_hex(8)


async def test_a_respondent_is_created_once_and_found_by_key(backend):
    key = _key()
    async with backend.stores() as store:
        assert await store.lock_respondent(key) is None
        created = await store.create_respondent(key, "tr", "1")
    async with backend.stores() as store:
        found = await store.lock_respondent(key)
        again = await store.create_respondent(key, "tr", "2")  # created meanwhile elsewhere
    assert found is not None and (found.id, found.language, found.consent_version) == (
        created.id, "tr", "1")
    assert (again.id, again.consent_version) == (created.id, "2")


async def test_consent_and_language_are_kept(backend):
    key = _key()
    async with backend.stores() as store:
        respondent = await store.create_respondent(key, "tr", "1")
        await store.record_consent(respondent.id, "2")
        await store.set_language(respondent.id, "ar")
    async with backend.stores() as store:
        found = await store.lock_respondent(key)
    assert found is not None and (found.language, found.consent_version) == ("ar", "2")


async def test_an_event_is_claimed_once(backend):
    event = f"tg:{secrets.randbelow(10**9)}"
    async with backend.stores() as store:
        assert await store.claim_event(event)
    async with backend.stores() as store:
        assert not await store.claim_event(event)


async def test_an_earlier_event_still_waiting_holds_a_later_one(backend):
    key, first = _key(), secrets.randbelow(10**8) * 10
    await backend.store_incoming(f"tg:{first}", key, first)
    async with backend.stores() as store:
        assert (await store.in_order_session(key, first + 1, None))[0]
        assert not (await store.in_order_session(key, first, None))[0]
        assert not (await store.in_order_session(key, None, None))[0]
        assert not (await store.in_order_session(_key(), first + 1, None))[0]
    async with backend.stores() as store:
        assert await store.claim_event(f"tg:{first}")  # stored by the channel, now handled
    async with backend.stores() as store:
        assert not (await store.in_order_session(key, first + 1, None))[0]


async def test_a_redelivered_update_stays_handled(backend):
    key, first = _key(), secrets.randbelow(10**8) * 10
    await backend.store_incoming(f"tg:{first}", key, first)
    async with backend.stores() as store:
        assert await store.claim_event(f"tg:{first}")
    await backend.store_incoming(f"tg:{first}", key, first)  # Telegram sent it again
    async with backend.stores() as store:
        assert not await store.claim_event(f"tg:{first}")
        assert not (await store.in_order_session(key, first + 1, None))[0]


async def test_a_session_keeps_its_answers_and_where_it_stands(backend):
    key = _key()
    async with backend.stores() as store:
        respondent = await store.create_respondent(key, "tr", "1")
        session = await store.start_session(respondent.id, "hizmet", 3, NOW)
        await store.save_answer(session.id, "service", "trafik", None, NOW)
        await store.save_answer(session.id, "overall", "4", 4.0, NOW)
        await store.save_answer(session.id, "overall", "5", 5.0, NOW + timedelta(seconds=5))
        await store.save_answer(session.id, "wait", "2", 2.0, NOW)
        await store.drop_answers(session.id, ["wait"])
        session.step, session.turn, session.message_ref = "comment", 4, "77"
        session.dimensions["service"] = "trafik"
        await store.save_session(session, NOW)
    async with backend.stores() as store:
        earlier, found = await store.in_order_session(key, None, respondent.id)
    assert not earlier and found is not None
    assert (found.id, found.survey_key, found.survey_version, found.status) == (
        session.id, "hizmet", 3, Status.ACTIVE)
    assert (found.step, found.turn, found.message_ref) == ("comment", 4, "77")
    assert found.answers == {"service": "trafik", "overall": "5"}
    assert found.dimensions["service"] == "trafik"
    assert found.answered_at["overall"] == NOW + timedelta(seconds=5)


async def test_a_finished_session_is_no_longer_active_and_dates_the_last_completion(backend):
    key = _key()
    async with backend.stores() as store:
        respondent = await store.create_respondent(key, "tr", "1")
        session = await store.start_session(respondent.id, "hizmet", 1, NOW)
        assert await store.last_completed(respondent.id, "hizmet", None) is None
        session.status, session.step = Status.COMPLETED, None
        session.dimensions["service"] = "nufus"
        await store.save_session(session, NOW + timedelta(minutes=2))
    async with backend.stores() as store:
        assert await store.active_session(respondent.id) is None
        assert await store.last_completed(respondent.id, "hizmet", "nufus") == NOW + timedelta(
            minutes=2)
        assert await store.last_completed(respondent.id, "hizmet", None) == NOW + timedelta(
            minutes=2)
        assert await store.last_completed(respondent.id, "hizmet", "trafik") is None
        assert await store.last_completed(respondent.id, "personel", None) is None


async def test_a_message_is_remembered_only_for_the_turn_it_showed(backend):
    async with backend.stores() as store:
        respondent = await store.create_respondent(_key(), "tr", "1")
        session = await store.start_session(respondent.id, "hizmet", 1, NOW)
        session.turn = 2
        await store.save_session(session, NOW)
    async with backend.stores(single_statement=True) as store:
        await store.remember_messages([Shown(Tracking(session.id, 1), "10"),
                                       Shown(Tracking(session.id, 2), "11")])
    async with backend.stores(single_statement=True) as store:
        await store.remember_messages([Shown(Tracking(session.id, 1), "12")])  # too late
    async with backend.stores() as store:
        found = await store.active_session(respondent.id)
    assert found is not None and found.message_ref == "11"


async def test_a_transaction_that_fails_leaves_nothing_behind(backend):
    key = _key()
    with pytest.raises(RuntimeError):
        async with backend.stores() as store:
            await store.create_respondent(key, "tr", "1")
            raise RuntimeError("the step failed")
    async with backend.stores() as store:
        assert await store.lock_respondent(key) is None


async def test_a_cancelled_session_is_gone(backend):
    async with backend.stores() as store:
        respondent = await store.create_respondent(_key(), "tr", "1")
        session = await store.start_session(respondent.id, "hizmet", 1, NOW)
        await store.save_answer(session.id, "service", "goc", None, NOW)
    async with backend.stores() as store:
        await store.delete_session(session.id)
    async with backend.stores() as store:
        assert await store.active_session(respondent.id) is None


async def test_erasing_a_respondent_removes_them_and_all_their_responses(backend):
    key = _key()
    async with backend.stores() as store:
        respondent = await store.create_respondent(key, "tr", "1")
        first = await store.start_session(respondent.id, "hizmet", 1, NOW)
        first.status = Status.COMPLETED
        await store.save_session(first, NOW)
        await store.start_session(respondent.id, "hizmet", 1, NOW + timedelta(days=40))
    async with backend.stores() as store:
        erased = await store.erase_respondent(respondent.id)
    async with backend.stores() as store:
        assert await store.lock_respondent(key) is None
        assert await store.active_session(respondent.id) is None
    assert erased.responses == 2


async def test_a_link_is_found_while_valid_and_counts_whom_it_reaches(backend):
    payload, digest = "M" + secrets.token_hex(10), secrets.token_hex(16)
    place = await backend.add_link(NewLink(
        payload=payload, stats_digest=digest, label="Caferağa", province="34",
        district="1421", mahalle="Caferağa", service="trafik", valid_until=date(2026, 11, 30)))
    async with backend.stores() as store:
        assert await store.find_link(payload, NOW) == place
        assert (place.province, place.district, place.service) == ("34", "1421", "trafik")
        # Valid through its last day in Türkiye (UTC+3), not beyond.
        assert await store.find_link(payload, datetime(2026, 11, 30, 20, 59, tzinfo=UTC))
        assert await store.find_link(payload, datetime(2026, 11, 30, 21, 0, tzinfo=UTC)) is None
        assert await store.find_link("M" + secrets.token_hex(10), NOW) is None
        for counted, at in (("opened", NOW), ("opened", NOW), ("consented", NOW),
                            ("opened", NOW + timedelta(days=7))):
            await store.count_reach(place.id, counted, at)
        with pytest.raises(ValueError):
            await store.count_reach(place.id, "liked", NOW)
    async with backend.stores() as store:
        reach = await store.link_reach(digest)
        assert await store.link_reach(secrets.token_hex(16)) is None
    assert reach is not None and (reach.label, reach.mahalle) == ("Caferağa", "Caferağa")
    assert [(w.week, w.opened, w.consented, w.completed) for w in reach.weeks] == [
        (date(2026, 11, 2), 2, 1, 0), (date(2026, 11, 9), 1, 0, 0)]
    await backend.disable_link(place)
    async with backend.stores() as store:
        assert await store.find_link(payload, NOW) is None
