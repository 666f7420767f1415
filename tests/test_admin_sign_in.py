"""Signing in to the admin API under attack: bad tokens cost the server nothing, never lock
out the administrators, and say nothing about which tokens exist."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from admin.tokens import create_token, parse_scope
from storage.admin_store import list_tokens, revoke_token
from storage.models import AdminToken
from tests.conftest import TOKEN_KEY, RunningBot, bot_settings
from tests.stored import within
from tests.test_admin_api import get

WRONG = "izdes_aaaaaaaaaaaa_" + "x" * 43  # well-formed, unknown


@pytest.fixture
async def national(db) -> str:
    return await create_token(db, TOKEN_KEY, parse_scope("national"), "Bakanlık")


@pytest.fixture
async def behind_proxy(telegram, db):
    """The bot behind a reverse proxy on this machine, as docs/operations.md prescribes."""
    running = RunningBot(bot_settings(telegram, db.url, trusted_proxies="127.0.0.1/32"),
                         telegram)
    await running.start()
    yield running
    await running.stop()


async def get_as(running, token: str | None, client: str | None = None
                 ) -> tuple[int, dict, float]:
    """GET /scores as a client (its address in X-Forwarded-For); status, body, seconds."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if client:
        headers["X-Forwarded-For"] = client
    started = time.perf_counter()
    async with aiohttp.ClientSession() as http, http.get(
            f"{running.http_url}/api/v1/scores", headers=headers) as answer:
        body = await answer.json(content_type=None)
        return answer.status, body, time.perf_counter() - started


async def test_wrong_tokens_never_lock_out_a_valid_one(bot, national):
    for _ in range(10):
        assert (await get(bot, "/scores", WRONG))[0] == 401
    status, body, headers = await get(bot, "/scores", WRONG)
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert body["status"] == 429 and "sign-ins" in body["detail"]
    # The administrators behind the same address are still let in.
    assert (await get(bot, "/scores", national))[0] == 200


async def test_forwarded_addresses_are_believed_only_from_trusted_proxies(
        bot, behind_proxy, national):
    # Behind the trusted proxy: each client is limited on its own.
    for _ in range(10):
        assert (await get_as(behind_proxy, WRONG, "203.0.113.5"))[0] == 401
    assert (await get_as(behind_proxy, WRONG, "203.0.113.5"))[0] == 429
    assert (await get_as(behind_proxy, WRONG, "203.0.113.6"))[0] == 401
    # A client that appends its own X-Forwarded-For is not believed past the proxy's entry.
    assert (await get_as(behind_proxy, WRONG, "198.51.100.1, 203.0.113.5"))[0] == 429
    # An IPv6 client counts by its /64: a fresh address for every guess does not help.
    for number in range(10):
        assert (await get_as(behind_proxy, WRONG, f"2001:db8:1:2::{number + 1:x}"))[0] == 401
    assert (await get_as(behind_proxy, WRONG, "2001:db8:1:2:ffff::9"))[0] == 429
    assert (await get_as(behind_proxy, WRONG, "2001:db8:1:3::1"))[0] == 401  # another /64
    # Not behind a trusted proxy: the header is ignored, a client cannot pick its address.
    for number in range(10):
        assert (await get_as(bot, WRONG, f"192.0.2.{number}"))[0] == 401
    assert (await get_as(bot, WRONG, "192.0.2.200"))[0] == 429


async def test_a_burst_of_bad_tokens_is_refused_while_good_ones_are_served(bot, national):
    """40 requests with bad tokens at once, beside 40 with the right one: each bad one is
    refused, each good one served. That a wrong guess costs no more than a right token (no
    argon2 on the event loop) is measured by bench/token_checks.py (docs/benchmarks.md)."""
    lookup = national.split("_")[1]
    guesses = [f"izdes_{lookup}_{'g' * 40}{n:03d}" for n in range(20)] + [WRONG] * 20

    async with aiohttp.ClientSession() as http:
        async def ask(token: str) -> int:
            async with http.get(f"{bot.http_url}/api/v1/openapi.json",
                                headers={"Authorization": f"Bearer {token}"}) as answer:
                return answer.status

        statuses = await asyncio.gather(*(ask(token) for token in [national] * 40 + guesses))
    assert set(statuses[:40]) == {200} and set(statuses[40:]) <= {401, 429}


async def test_revoked_and_wrong_tokens_answer_alike(behind_proxy, db, national):
    """Same status, same body, same headers: a revoked token is not told from a made-up one.
    Nor by its time: bench/token_checks.py measures both (docs/benchmarks.md)."""
    assert (await get_as(behind_proxy, national, "203.0.113.1"))[0] == 200
    [record] = await within(db, list_tokens)
    await within(db, revoke_token, record.id)
    made_up = f"izdes_{national.split('_')[1]}_{'z' * 43}"
    answers = []
    for number, token in enumerate((national, made_up, WRONG)):
        async with aiohttp.ClientSession() as http, http.get(
                f"{behind_proxy.http_url}/api/v1/scores", headers={
                    "Authorization": f"Bearer {token}",
                    "X-Forwarded-For": f"198.18.0.{number}"}) as answer:
            headers = {k: v for k, v in answer.headers.items() if k not in ("Date",)}
            answers.append((answer.status, await answer.text(), headers))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 401 and "a valid bearer token is required" in answers[0][1]


async def test_a_token_made_before_keyed_hashes_works_and_is_rehashed(bot, db, national):
    """Deployments that made tokens when they were kept as argon2 hashes keep them."""
    secret = national.split("_", 2)[2]
    async with db.transaction() as session:
        await session.execute(update(AdminToken).values(
            secret_hash=PasswordHasher().hash(secret)))
    assert (await get(bot, "/scores", national))[0] == 200
    async with db.transaction() as session:
        kept = await session.scalar(select(AdminToken.secret_hash))
    assert kept.startswith("hmac-sha256$")
    assert (await get(bot, "/scores", national))[0] == 200
    other_last = "A" if national[-1] != "A" else "B"  # one character wrong, whatever it was
    assert (await get(bot, "/scores", national[:-1] + other_last))[0] == 401


async def test_only_a_token_made_before_keyed_hashes_costs_an_argon2_check(
        bot, db, national, monkeypatch):
    """argon2 is slow on purpose (0.1 s of CPU): a wrong, made-up, revoked or malformed token
    must never cost one, or guesses would be a cheap way to load the server. Counted on the
    argon2 library's own verify, which only an old token's check calls."""
    checks = []
    verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda self, *args: checks.append(1) or verify(self, *args))
    made_up = f"izdes_{national.split('_')[1]}_{'z' * 43}"
    for token in (WRONG, made_up, "not-a-token"):
        assert (await get(bot, "/scores", token))[0] == 401
    [record] = await within(db, list_tokens)
    await within(db, revoke_token, record.id)
    assert (await get(bot, "/scores", national))[0] == 401
    assert checks == []
    # The control: a token kept as an argon2 hash is checked with it, once.
    other = await create_token(db, TOKEN_KEY, parse_scope("national"), "Eski anahtar")
    async with db.transaction() as session:
        await session.execute(update(AdminToken).where(AdminToken.name == "Eski anahtar")
                              .values(secret_hash=PasswordHasher().hash(other.split("_", 2)[2])))
    assert (await get(bot, "/scores", other))[0] == 200
    assert checks == [1]
