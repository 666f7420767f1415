"""`izdes demo`: a database of its own filled with synthetic responses and released at once, the
same for the same seed, and never a database that holds someone's answers."""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
from sqlalchemy import func, select

from admin.demo.comments import every_comment
from admin.demo.trends import IMPROVING, WORSENING
from conversations.scrub import scrub
from stats.periods import trailing
from storage.models import Base
from tests.cli import izdes, run_izdes
from tests.snapshots import built_once

# Small, to be quick. A smallest cell of one keeps the release quick too: months of a few
# hundred responses spread over 81 provinces take minutes to hide at ten (docs/benchmarks.md).
MONTHS = 6
SMALL = ("--months", str(MONTHS), "--responses", "4000", "--seed", "7")
FEW = {"min_cell": "1"}
TOKEN = re.compile(r"token \(shown only now\): (izdes_\S+)")


def demo(db, *more: str) -> str:
    return izdes(db.url, "demo", *SMALL, "--database", db.url, *more, **FEW)


async def demo_once(db) -> str:
    """`izdes demo` on the emptied database, run once per test run and backend, its rows
    put back after (tests/snapshots.py): what it printed."""
    return await built_once(db, "test_demo.demo", lambda: asyncio.to_thread(demo, db))


def report(db, period: str | None = None) -> dict:
    asked = ("--period", period) if period else ()
    return json.loads(izdes(db.url, "report", "--format", "json", *asked, **FEW))


def mean_of(table: dict, province: str, service: str) -> float:
    [row] = [r for r in table["rows"] if (r["province"], r["service"]) == (province, service)]
    assert row["mean"] is not None, row
    return row["mean"]


async def get(bot, path: str, token: str) -> dict:
    async with aiohttp.ClientSession() as http, http.get(
            f"{bot.http_url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}) as answer:
        assert answer.status == 200, await answer.text()
        return await answer.json()


async def test_the_demo_fills_a_fresh_database_and_its_worsening_cell_is_worse_at_the_end(db):
    output = await demo_once(db)
    worse = WORSENING[0]
    last = report(db)
    # The two months before the trend begins (whatever their season), and the last.
    before = [mean_of(report(db, month), worse.province, worse.service)
              for month in trailing(last["period"], MONTHS)[:2]]
    assert mean_of(last, worse.province, worse.service) < sum(before) / 2
    # It says which cells move, as released.
    assert "worse   İstanbul · nufus" in output and "better  Ankara · nufus" in output


async def test_the_dashboard_signs_in_with_the_printed_token_and_shows_figures(db, bot):
    # In a thread: the bot runs on this event loop, and may hold the database meanwhile.
    token = TOKEN.search(await demo_once(db)).group(1)
    page = await get(bot, "/provinces/34", token)
    assert len(page["trend"]) == MONTHS and all(row["mean"] is not None for row in page["trend"])
    # Overall satisfaction goes with the drivers: the key-driver view ranks them, the outcome
    # and timeliness (which weigh most in it) above equal treatment.
    ranked = [d["driver"] for d in (await get(bot, "/drivers", token))["drivers"]]
    assert ranked.index("outcome") < ranked.index("equal_treatment")
    assert ranked.index("timeliness") < ranked.index("equal_treatment")
    comments = (await get(bot, "/comments?per_page=100", token))["items"]
    assert any(re.search("[ğışçöü]", c["text"]) for c in comments)
    links = (await get(bot, "/links", token))["links"]
    assert links and all(link["label"].endswith("(demo)") for link in links)
    # The findings register holds what an analyst would have made of the named cells: the
    # worsening ones open, the improving ones with their action and its re-evaluation.
    listed = (await get(bot, "/findings?per_page=100", token))["findings"]
    by_cell = {(f["province"], f["service"]): f for f in listed}
    assert len(listed) == len(WORSENING) + len(IMPROVING)
    assert by_cell[(WORSENING[0].province, WORSENING[0].service)]["status"] == "open"
    improving = by_cell[(IMPROVING[0].province, IMPROVING[0].service)]
    assert improving["status"] == "action_taken"
    shown = await get(bot, f"/findings/{improving['id']}", token)
    result = shown["re_evaluation"]
    # This small demo has a few dozen answers a window there: better, but not yet clearly
    # so, and it says how many more answers would tell.
    assert result["satisfied_share"]["difference"] > 0 and result["mean"]["difference"] > 0
    assert result["verdict"] == "improved" or (
        result["verdict"] == "not_enough_answers" and result["answers_needed"] > 0), result


async def test_the_same_seed_gives_the_same_figures_and_a_second_run_replaces_the_first(db):
    await demo_once(db)
    first = report(db)
    earliest = report(db, trailing(first["period"], MONTHS)[0])
    demo(db)
    assert report(db) == first and first["rows"]
    assert report(db, earliest["period"]) == earliest


async def test_a_database_with_one_real_response_is_refused_and_left_as_it_was(db):
    # One citizen's answers, through the same engine and storage as in Telegram.
    keys = ["1", "1", "3", "1", "2", "Eskişehir", "odunpazari", "2", "1", "1", "2", "2", "1",
            "1", "2", "7", "6", "harika"]
    assert "Teşekkür ederiz! Yanıtlarınız kaydedildi." in izdes(
        db.url, "chat", "--user", "citizen", stdin="\n".join(keys) + "\n")
    before = await _table_counts(db)
    refused = run_izdes(db.url, "demo", *SMALL, "--database", db.url)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "responses not made by izdes demo" in (
        refused.stderr)
    assert await _table_counts(db) == before


def test_without_a_database_named_the_demo_fills_its_own_file_not_the_configured_one(tmp_path):
    configured = tmp_path / "izdes.db"
    izdes(f"sqlite+aiosqlite:///{configured}", "demo", "--months", "1", "--responses", "40",
          cwd=tmp_path, **FEW)
    assert (tmp_path / "izdes-demo.db").exists() and not configured.exists()


def test_the_comments_hold_nothing_the_scrubber_would_take_out():
    assert [text for text in every_comment() if scrub(text) != text] == []


async def _table_counts(db) -> dict[str, int]:
    async with db.transaction() as session:
        return {table.name: await session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}
