"""The findings register through the admin API of the running bot, with the ministry's token
and two governors' offices' (İstanbul, Ankara): each endpoint, each scope, the refusals as
problem details, and the audit."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import update

from storage.admin_store import audit_entries
from storage.findings import today
from storage.models import Finding
from tests.conftest import office_tokens
from tests.findings_data import PERIOD, release_month
from tests.stored import within

PROBLEM = "Nüfus randevusunda <b>bekleme</b> uzun & şikâyet çok"


@pytest.fixture
async def released(db):
    await release_month(db)


@pytest.fixture
async def tokens(db):
    return await office_tokens(db, "national", "istanbul", "ankara")


async def call(bot, method: str, path: str, token: str | None = None, body=None,
               data: str | None = None) -> tuple[int, dict, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.request(
            method, f"{bot.http_url}/api/v1{path}", headers=headers, json=body,
            data=data) as answer:
        return answer.status, await answer.json(content_type=None), dict(answer.headers)


def finding(**changes) -> dict:
    return {"period": PERIOD, "service": "nufus", "drivers": ["timeliness", "courtesy"],
            "problem": PROBLEM, "proposals": ["Akşam randevusu", "Sıra numaratörü"],
            "responsible_unit": "İl Nüfus Müdürlüğü",
            "due_date": (today() + timedelta(days=30)).isoformat(), **changes}


async def make(bot, token: str, **changes) -> dict:
    status, body, _ = await call(bot, "POST", "/findings", token, finding(**changes))
    assert status == 201, body
    return body


def one_sentence(status: int, body: dict, headers: dict, expected: int, says: str) -> None:
    assert status == expected, body
    assert headers["Content-Type"].startswith("application/problem+json")
    assert says in body["detail"] and "\n" not in body["detail"], body["detail"]


async def test_every_findings_endpoint_needs_a_valid_token(bot, tokens):
    for method, path in (("GET", "/findings"), ("POST", "/findings"), ("GET", "/findings/1"),
                         ("POST", "/findings/1/proposals"), ("POST", "/findings/1/status"),
                         ("POST", "/findings/1/reported")):
        assert (await call(bot, method, path, None, {}))[0] == 401, path


async def test_a_finding_keeps_the_published_cell_as_its_evidence(bot, tokens, released):
    made, _, headers = await call(bot, "POST", "/findings", tokens["istanbul"], finding())
    assert made == 201
    status, body, _ = await call(bot, "GET", headers["Location"].removeprefix("/api/v1"),
                                 tokens["istanbul"])
    assert status == 200 and body["province"] == "34" and body["province_name"] == "İstanbul"
    assert body["raised_by"] == "province" and body["created_by"] == "İstanbul Valiliği"
    assert body["status"] == "open" and not body["overdue"] and body["problem"] == PROBLEM
    _, scores, _ = await call(bot, "GET", "/scores?group_by=province,service&province=34",
                              tokens["istanbul"])
    [cell] = [row for row in scores["rows"] if row["service"] == "nufus"]
    shown = {k: v for k, v in body["evidence"]["figures"].items() if k != "key_drivers"}
    assert shown == {k: v for k, v in cell.items() if k in shown} and shown["n"] == 12
    assert body["evidence"]["period"] == PERIOD
    assert [(p["text"], p["source"]) for p in body["proposals"]] == [
        ("Akşam randevusu", "analyst"), ("Sıra numaratörü", "analyst")]
    ministry = await make(bot, tokens["national"], province="Ankara", service="trafik")
    assert ministry["raised_by"] == "ministry" and ministry["province"] == "06"


@pytest.mark.parametrize(("who", "changes", "expected", "says"), [
    ("istanbul", {"service": "trafik"}, 400, "is hidden"),
    ("istanbul", {"period": "2020-01"}, 400, "has not been released"),
    ("istanbul", {"period": "2026-Q4"}, 400, "period"),
    ("istanbul", {"province": "06"}, 403, "limited to another province"),
    ("istanbul", {"province": "Atlantis"}, 400, "no province 'Atlantis'"),
    ("istanbul", {"district": "Çankaya"}, 400, "no district 'Çankaya' in İstanbul"),
    ("istanbul", {"service": "kargo"}, 400, "unknown service 'kargo'"),
    ("istanbul", {"drivers": ["luck"]}, 400, "unknown driver 'luck'"),
    ("istanbul", {"drivers": "timeliness"}, 400, "drivers must be a list of strings"),
    ("istanbul", {"proposals": []}, 400, "at least one proposed solution"),
    ("istanbul", {"due_date": "31.12.2027"}, 400, "write it as YYYY-MM-DD"),
    ("istanbul", {"due_date": "2020-01-01"}, 400, "has passed"),
    ("istanbul", {"problem": "bekleme\x07"}, 400, "control characters"),
    ("istanbul", {"responsible_unit": ""}, 400, "responsible unit is empty"),
    ("istanbul", {"owner": "x"}, 400, "unknown field 'owner'"),
    ("istanbul", {"survey": "nonsense"}, 400, "no survey"),
    ("national", {}, 400, "province is required"),
])
async def test_a_finding_that_cannot_be_made_is_refused_in_one_sentence(
        bot, tokens, released, db, who, changes, expected, says):
    status, body, headers = await call(bot, "POST", "/findings", tokens[who],
                                       finding(**changes))
    one_sentence(status, body, headers, expected, says)
    assert (await call(bot, "GET", "/findings", tokens["national"]))[1]["total"] == 0


async def test_a_body_that_is_no_json_object_is_refused(bot, tokens, released):
    for data, says in (("{not json", "no JSON"), ("[1, 2]", "must be a JSON object")):
        status, body, headers = await call(bot, "POST", "/findings", tokens["istanbul"],
                                           data=data)
        one_sentence(status, body, headers, 400, says)


async def test_lists_keep_to_the_tokens_province_and_filter(bot, tokens, released, db):
    istanbul = (await make(bot, tokens["istanbul"]))["id"]
    ministry = (await make(bot, tokens["national"], province="06", service="trafik"))["id"]
    ankara = (await make(bot, tokens["ankara"]))["id"]

    async def listed(token: str, query: str = "") -> list[int]:
        status, body, _ = await call(bot, "GET", f"/findings{query}", tokens[token])
        assert status == 200, body
        return [f["id"] for f in body["findings"]]

    assert await listed("national") == [ankara, ministry, istanbul]
    assert await listed("istanbul") == [istanbul]
    assert await listed("ankara") == [ankara, ministry]
    assert await listed("ankara", "?province=6") == [ankara, ministry]
    status, body, headers = await call(bot, "GET", "/findings?province=06", tokens["istanbul"])
    one_sentence(status, body, headers, 403, "limited to another province")
    assert await listed("national", "?province=34") == [istanbul]
    assert await listed("national", "?service=trafik") == [ministry]
    await call(bot, "POST", f"/findings/{ankara}/status", tokens["ankara"],
               {"status": "closed", "note": "Genel Müdürlük düzeyinde bir konu"})
    assert await listed("national", "?status=closed") == [ankara]
    assert await listed("national", "?status=open") == [ministry, istanbul]
    await call(bot, "POST", f"/findings/{ministry}/reported", tokens["national"])
    assert await listed("ankara", "?reported=true") == [ministry]
    assert await listed("national", "?reported=false") == [ankara, istanbul]
    async with db.transaction() as session:  # a month on: every due date has passed
        await session.execute(update(Finding).values(due_date=today() - timedelta(days=1)))
    assert await listed("national", "?overdue=true") == [ministry, istanbul]
    assert await listed("ankara", "?overdue=true&service=trafik") == [ministry]
    assert await listed("national", "?overdue=false") == [ankara]
    _, body, _ = await call(bot, "GET", "/findings?per_page=2&page=2", tokens["national"])
    assert body["total"] == 3 and [f["id"] for f in body["findings"]] == [istanbul]
    assert body["scope"] == "national" and body["today"] == today().isoformat()
    assert (await call(bot, "GET", "/findings", tokens["ankara"]))[1]["scope"] == "province:06"
    assert body["findings"][0]["overdue"] and "evidence" not in body["findings"][0]
    for query, says in (("status=waiting", "status takes one of"),
                        ("overdue=yes", "overdue takes true or false"),
                        ("reported=1", "reported takes true or false"),
                        ("service=kargo", "unknown service"), ("province=99", "unknown province"),
                        ("page=0", "page must be"), ("per_page=201", "per_page must be")):
        status, body, headers = await call(bot, "GET", f"/findings?{query}", tokens["national"])
        one_sentence(status, body, headers, 400, says)


async def test_another_provinces_finding_is_not_found_whatever_is_asked(bot, tokens, released):
    ministry = (await make(bot, tokens["national"], province="06", service="trafik"))["id"]
    nowhere = ministry + 1000
    for number in (ministry, nowhere):
        for method, path, body in (
                ("GET", "", None), ("POST", "/proposals", {"text": "Öneri"}),
                ("POST", "/status", {"status": "closed", "note": "Yok"})):
            status, answer, headers = await call(bot, method, f"/findings/{number}{path}",
                                                 tokens["istanbul"], body)
            one_sentence(status, answer, headers, 404, f"no finding {number}")
    status, _, _ = await call(bot, "GET", f"/findings/{2**64}", tokens["national"])
    assert status == 404
    status, body, _ = await call(bot, "GET", f"/findings/{ministry}", tokens["ankara"])
    assert status == 200 and body["proposals"] and body["history"]
    assert (await call(bot, "GET", f"/findings/{ministry}", tokens["national"]))[0] == 200


async def test_proposals_are_added_by_whoever_keeps_the_finding(bot, tokens, released):
    number = (await make(bot, tokens["istanbul"]))["id"]
    status, body, _ = await call(bot, "POST", f"/findings/{number}/proposals",
                                 tokens["istanbul"], {"text": "Hafta sonu mesaisi"})
    assert status == 201
    status, body, _ = await call(bot, "POST", f"/findings/{number}/proposals",
                                 tokens["national"], {"text": "Ek personel ataması"})
    assert status == 201
    assert [(p["text"], p["added_by"], p["source"]) for p in body["proposals"][2:]] == [
        ("Hafta sonu mesaisi", "İstanbul Valiliği", "analyst"),
        ("Ek personel ataması", "Bakanlık", "analyst")]
    for text, says in (({"text": " "}, "proposed solution is empty"),
                       ({"text": 5}, "text must be a string"), ({}, "text must be a string")):
        status, answer, headers = await call(bot, "POST", f"/findings/{number}/proposals",
                                             tokens["istanbul"], text)
        one_sentence(status, answer, headers, 400, says)
    await call(bot, "POST", f"/findings/{number}/status", tokens["istanbul"],
               {"status": "closed", "note": "Yapılacak bir şey yok"})
    status, answer, headers = await call(bot, "POST", f"/findings/{number}/proposals",
                                         tokens["istanbul"], {"text": "Geç öneri"})
    one_sentence(status, answer, headers, 409, "reopen it")


async def test_the_status_moves_on_and_each_change_is_in_the_history(bot, tokens, released):
    number = (await make(bot, tokens["istanbul"]))["id"]

    async def move(token: str, **change) -> tuple[int, dict, dict]:
        return await call(bot, "POST", f"/findings/{number}/status", tokens[token], change)

    status, body, headers = await move("istanbul", status="re_evaluated", note="x")
    one_sentence(status, body, headers, 409, "record the action taken first")
    status, body, headers = await move("istanbul", status="action_taken", action="Yapıldı")
    one_sentence(status, body, headers, 400, "needs its date")
    status, body, headers = await move("istanbul", status="action_taken", action="Yapıldı",
                                       action_date="dün")
    one_sentence(status, body, headers, 400, "action_date 'dün' is no day")
    status, body, headers = await move("istanbul", status="action_taken", action="Yapıldı",
                                       action_date="2001-01-01")
    one_sentence(status, body, headers, 400, "is before the finding's period")
    status, body, headers = await move("istanbul", colour="red")
    one_sentence(status, body, headers, 400, "unknown field 'colour'")
    status, body, _ = await move("istanbul", status="action_taken",
                                 action_date=today().isoformat(), action="Akşam randevusu açıldı")
    assert status == 200 and body["status"] == "action_taken"
    assert body["action_date"] == today().isoformat()
    status, body, _ = await move("national", status="re_evaluated",
                                 note="Şikâyetler yarıya indi")
    assert status == 200
    status, body, _ = await move("istanbul", status="closed")
    assert status == 200 and body["status"] == "closed" and body["closed_as"] == "done"
    moves = [(e["action"], e["actor"], e["via"], e["changes"].get("status", {}).get("after"))
             for e in body["history"]]
    assert moves == [("created", "İstanbul Valiliği", "api", "open"),
                     ("proposal_added", "İstanbul Valiliği", "api", None),
                     ("proposal_added", "İstanbul Valiliği", "api", None),
                     ("status", "İstanbul Valiliği", "api", "action_taken"),
                     ("status", "Bakanlık", "api", "re_evaluated"),
                     ("status", "İstanbul Valiliği", "api", "closed")]
    # İstanbul's token sees its own token's number, not the ministry's.
    assert [bool(e["token_id"]) for e in body["history"]] == [True] * 4 + [False, True]
    _, full, _ = await call(bot, "GET", f"/findings/{number}", tokens["national"])
    assert all(e["token_id"] for e in full["history"])
    assert body["history"][4]["changes"]["re_evaluation_note"] == {
        "before": None, "after": "Şikâyetler yarıya indi"}
    status, body, _ = await move("istanbul", status="open", note="Şikâyetler yeniden arttı")
    assert status == 200 and body["status"] == "open" and body["action"] is None


async def test_only_the_ministry_marks_a_finding_reported_to_the_centre(bot, tokens, released):
    number = (await make(bot, tokens["istanbul"]))["id"]
    status, body, headers = await call(bot, "POST", f"/findings/{number}/reported",
                                       tokens["istanbul"])
    one_sentence(status, body, headers, 403, "only the ministry")
    status, body, _ = await call(bot, "POST", f"/findings/{number}/reported",
                                 tokens["national"])
    assert status == 200 and body["reported_by"] == "Bakanlık" and body["reported_at"]
    status, body, headers = await call(bot, "POST", f"/findings/{number}/reported",
                                       tokens["national"])
    one_sentence(status, body, headers, 409, "was reported to the centre on")
    status, body, headers = await call(bot, "POST", f"/findings/{number + 1}/reported",
                                       tokens["national"])
    one_sentence(status, body, headers, 404, f"no finding {number + 1}")


async def test_every_write_is_audited_without_the_analysts_words(bot, tokens, released, db):
    number = (await make(bot, tokens["istanbul"]))["id"]
    await call(bot, "POST", f"/findings/{number}/proposals", tokens["istanbul"],
               {"text": "Gizli öneri metni"})
    await call(bot, "POST", f"/findings/{number}/status", tokens["istanbul"],
               {"status": "closed", "note": "Kapanış notu metni"})
    await call(bot, "POST", f"/findings/{number}/reported", tokens["national"])
    await call(bot, "GET", f"/findings/{number}", tokens["istanbul"])
    await call(bot, "GET", "/findings?status=closed", tokens["national"])
    await call(bot, "POST", f"/findings/{number}/status", tokens["istanbul"],
               {"status": "closed", "note": "Reddedilen"})  # refused: nothing written
    entries = await within(db, audit_entries)
    assert [action for _, action, _ in entries] == [
        "finding.create", "finding.proposal", "finding.status", "finding.reported", "finding",
        "findings"]
    assert entries[2][2] == {"finding": number, "status": "closed"}
    assert entries[5][2]["status"] == "closed" and entries[5][2]["province"] is None
    assert not any(word in str(entries) for word in ("bekleme", "Gizli", "Kapanış", "Akşam"))


async def test_openapi_describes_the_findings_endpoints(bot, tokens):
    _, spec, _ = await call(bot, "GET", "/openapi.json", tokens["national"])
    assert set(spec["paths"]["/findings"]) == {"get", "post"}
    for path in ("/findings/{id}/proposals", "/findings/{id}/status",
                 "/findings/{id}/reported"):
        assert "requestBody" in spec["paths"][path]["post"] or path.endswith("reported")
    assert "404" in spec["paths"]["/findings/{id}"]["get"]["responses"]
