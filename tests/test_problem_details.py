"""Bad requests get a clear 4xx in one shape (RFC 9457 problem details), never a 500 or a
503 that Telegram would retry for ever."""

from __future__ import annotations

import aiohttp
import pytest

from admin.tokens import create_token, parse_scope
from tests.conftest import METRICS_TOKEN, TOKEN_KEY, RunningBot, bot_settings


async def answer_of(method: str, url: str, **request) -> tuple[int, str, dict]:
    async with aiohttp.ClientSession() as http, http.request(method, url, **request) as answer:
        body = await answer.json(content_type=None) if answer.content_type.endswith(
            "json") else {}
        return answer.status, answer.content_type, body


def assert_problem(answer: tuple[int, str, dict], status: int, *words: str) -> None:
    got, content_type, body = answer
    assert (got, content_type) == (status, "application/problem+json"), answer
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    for word in words:
        assert word in body["detail"], body


@pytest.fixture
async def webhook_bot(telegram, db):
    port = bot_settings(telegram, db.url).http_port
    settings = bot_settings(telegram, db.url, http_port=port,
                            webhook_url=f"http://127.0.0.1:{port}/telegram/webhook")
    running = RunningBot(settings, telegram)
    await running.start()
    yield running, {"X-Telegram-Bot-Api-Secret-Token": settings.webhook_secret_token()}
    await running.stop()


async def test_admin_api_errors_are_problem_details(bot, db):
    national = {"Authorization": "Bearer " + await create_token(
        db, TOKEN_KEY, parse_scope("national"), "Bakanlık")}
    province = {"Authorization": "Bearer " + await create_token(
        db, TOKEN_KEY, parse_scope("province:06"), "Ankara Valiliği")}
    api = f"{bot.http_url}/api/v1"
    for query, word in (("page=abc", "page"), ("per_page=abc", "per_page"),
                        ("page=9223372036854775807", "page"), ("page=-1", "page"),
                        ("per_page=1e3", "per_page"), ("page=١", "page")):
        assert_problem(await answer_of("GET", f"{api}/comments?{query}", headers=national),
                       400, word)
    assert_problem(await answer_of("GET", f"{api}/scores?group_by=nope", headers=national),
                   400, "group_by")
    assert_problem(await answer_of("GET", f"{api}/scores?province=99", headers=national),
                   400, "province")
    assert_problem(await answer_of("GET", f"{api}/scores"), 401, "token")
    assert_problem(await answer_of("GET", f"{api}/scores?province=34", headers=province),
                   403, "province")
    assert_problem(await answer_of("GET", f"{api}/nowhere", headers=national), 404)
    assert_problem(await answer_of("POST", f"{api}/scores", headers=national), 405)
    assert_problem(await answer_of("GET", f"{bot.http_url}/metrics"), 401)
    _, _, spec = await answer_of("GET", f"{api}/openapi.json", headers=national)
    assert spec["components"]["schemas"]["Problem"]["required"] == [
        "type", "title", "status", "detail"]
    assert "application/problem+json" in spec["paths"]["/comments"]["get"]["responses"]["400"][
        "content"]


async def test_webhook_refuses_what_is_no_update_with_400(webhook_bot):
    running, secret = webhook_bot
    url = f"{running.http_url}/telegram/webhook"
    nested = "[" * 100_000 + "]" * 100_000
    for body in (nested, '{"update_id": 1e30, "message": {}}',
                 '{"update_id": 18446744073709551616}', '{"update_id": "12"}', "[]", "{",
                 '{"update_id": -5}'):
        assert_problem(await answer_of("POST", url, data=body, headers=secret), 400)
    assert_problem(await answer_of("POST", url, data="x" * (1024 * 1024 + 1), headers=secret),
                   413)
    assert_problem(await answer_of("POST", url, data="{}"), 403)
    status, _, _ = await answer_of("GET", f"{running.http_url}/healthz")
    assert status == 200  # and the server is fine


async def test_metrics_still_plain_for_the_scraper(bot):
    async with aiohttp.ClientSession() as http, http.get(
            f"{bot.http_url}/metrics",
            headers={"Authorization": f"Bearer {METRICS_TOKEN}"}) as answer:
        assert answer.status == 200 and answer.content_type == "text/plain"
