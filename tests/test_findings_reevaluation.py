"""A finding re-evaluated through the admin API of the running bot: three released months
(before, the action's, after), a cell that worsens, one that improves, one with too few
answers to tell, one hidden after the action; the centre's list of re-evaluations due, the
scopes, and the re-evaluation recorded in the history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from storage.findings import today
from tests.conftest import office_tokens
from tests.reevaluation_data import ACTION, AFTER, BEFORE, MONTH, release_months
from tests.test_findings_api import call, one_sentence


@pytest.fixture
async def released(db):
    await release_months(db)


@pytest.fixture
async def tokens(db):
    return await office_tokens(db, "national", "istanbul", "ankara")


async def acted(bot, token: str, province: str, service: str = "nufus",
                on: datetime | None = ACTION) -> int:
    """A finding about the cell in the month before, with its action taken ``on``."""
    status, body, _ = await call(bot, "POST", "/findings", token, {
        "period": MONTH[BEFORE], "province": province, "service": service,
        "drivers": ["timeliness", "courtesy"], "problem": "Randevu beklemesi uzun",
        "proposals": ["Akşam randevusu"], "responsible_unit": "İl Nüfus Müdürlüğü",
        "due_date": (today() + timedelta(days=30)).isoformat()})
    assert status == 201, body
    if on is not None:
        status, body, _ = await call(bot, "POST", f"/findings/{body['id']}/status", token, {
            "status": "action_taken", "action_date": on.date().isoformat(),
            "action": "Akşam randevusu açıldı"})
        assert status == 200, body
    return body["id"]


async def re_evaluation(bot, token: str, number: int) -> dict:
    status, body, _ = await call(bot, "GET", f"/findings/{number}", token)
    assert status == 200, body
    return body


async def test_a_worse_cell_is_worse_and_a_better_one_improved(bot, tokens, released):
    istanbul = await re_evaluation(bot, tokens["istanbul"],
                                   await acted(bot, tokens["istanbul"], "34"))
    shown = istanbul["re_evaluation"]
    assert istanbul["re_evaluation_reason"] is None
    assert shown["action_period"] == MONTH[ACTION]
    assert shown["windows"]["before"] == {"periods": [MONTH[BEFORE]],
                                          "pooled": [MONTH[BEFORE]], "left_out": [], "n": 40}
    assert shown["windows"]["after"]["periods"] == [MONTH[AFTER]]
    share = shown["satisfied_share"]
    assert share["before"] == pytest.approx(0.9) and share["after"] == pytest.approx(0.2)
    assert share["difference"] == pytest.approx(-0.7)
    assert share["ci95"][0] < -0.7 < share["ci95"][1] < 0 and share["p_value"] < 0.001
    assert shown["verdict"] == "worse" and set(shown["drivers"]) == {"timeliness", "courtesy"}
    ankara = (await re_evaluation(bot, tokens["ankara"],
                                  await acted(bot, tokens["ankara"], "06")))["re_evaluation"]
    assert ankara["verdict"] == "improved" and ankara["satisfied_share"]["ci95"][0] > 0


async def test_too_few_answers_say_how_many_more_are_needed(bot, tokens, released):
    number = await acted(bot, tokens["national"], "35")
    shown = (await re_evaluation(bot, tokens["national"], number))["re_evaluation"]
    assert shown["verdict"] == "not_enough_answers"
    assert shown["windows"]["after"]["n"] == 12
    assert shown["answers_needed"] == shown["needed_per_window"] - 12 > 300


async def test_a_period_hidden_after_the_action_is_never_used(bot, tokens, released):
    _, scores, _ = await call(bot, "GET", f"/scores?group_by=province,service&province=16"
                              f"&period={MONTH[AFTER]}", tokens["national"])
    [hidden] = [row for row in scores["rows"] if row["service"] == "trafik"]
    assert hidden["n"] is None, "the data must hide Bursa's traffic cell after the action"
    number = await acted(bot, tokens["national"], "16", "trafik")
    body = await re_evaluation(bot, tokens["national"], number)
    shown = body["re_evaluation"]
    assert shown["verdict"] == "not_enough_answers"
    assert shown["windows"]["after"] == {"periods": [MONTH[AFTER]], "pooled": [],
                                         "left_out": [MONTH[AFTER]], "n": None}
    assert shown["satisfied_share"] is None and shown["mean"] is None
    assert shown["answers_needed"] is None and shown["drivers"] == {}


async def test_no_re_evaluation_without_an_action_or_a_period_released_since(
        bot, tokens, released):
    waiting = await re_evaluation(bot, tokens["istanbul"],
                                  await acted(bot, tokens["istanbul"], "34", on=None))
    assert waiting["re_evaluation"] is None and "no action date" in waiting[
        "re_evaluation_reason"]
    recent = await re_evaluation(bot, tokens["istanbul"],
                                 await acted(bot, tokens["istanbul"], "34", on=AFTER))
    assert recent["re_evaluation"] is None
    assert f"since the action's ({MONTH[AFTER]})" in recent["re_evaluation_reason"]


async def test_the_centre_lists_the_re_evaluations_due_within_each_scope(
        bot, tokens, released):
    istanbul = await acted(bot, tokens["istanbul"], "34")
    ankara = await acted(bot, tokens["ankara"], "06")
    await acted(bot, tokens["istanbul"], "34", on=AFTER)  # nothing released since
    await acted(bot, tokens["ankara"], "06", on=None)  # no action yet

    async def due(token: str, query: str = "") -> list[int]:
        status, body, _ = await call(bot, "GET", f"/findings?due=reevaluation{query}",
                                     tokens[token])
        assert status == 200, body
        return [f["id"] for f in body["findings"]]

    assert await due("national") == [ankara, istanbul]
    assert await due("istanbul") == [istanbul]
    assert await due("ankara") == [ankara]
    assert await due("national", "&province=34") == [istanbul]
    status, body, headers = await call(bot, "GET", "/findings?due=soon", tokens["national"])
    one_sentence(status, body, headers, 400, "due takes reevaluation")
    status, body, headers = await call(bot, "GET", f"/findings/{ankara}", tokens["istanbul"])
    one_sentence(status, body, headers, 404, f"no finding {ankara}")
    await call(bot, "POST", f"/findings/{istanbul}/status", tokens["istanbul"],
               {"status": "re_evaluated"})
    assert await due("national") == [ankara]


async def test_recording_the_re_evaluation_keeps_what_it_found(bot, tokens, released):
    number = await acted(bot, tokens["istanbul"], "34")
    # A caller cannot record a verdict of its own as if the figures had said it.
    status, body, headers = await call(bot, "POST", f"/findings/{number}/status",
                                       tokens["istanbul"],
                                       {"status": "re_evaluated", "result": {"verdict":
                                                                             "improved"}})
    one_sentence(status, body, headers, 400, "unknown field 'result'")
    status, body, _ = await call(bot, "POST", f"/findings/{number}/status",
                                 tokens["istanbul"], {"status": "re_evaluated"})
    assert status == 200 and body["status"] == "re_evaluated"
    kept = body["re_evaluation_result"]
    assert kept["verdict"] == "worse" and kept == body["re_evaluation"]
    assert body["history"][-1]["changes"]["re_evaluation_result"]["after"] == kept
    number = await acted(bot, tokens["istanbul"], "34", on=AFTER)
    status, body, headers = await call(bot, "POST", f"/findings/{number}/status",
                                       tokens["istanbul"], {"status": "re_evaluated"})
    one_sentence(status, body, headers, 400, "needs a note")
