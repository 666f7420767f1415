"""The admin API: tokens and scopes, statistics with suppression, comments, export, audit."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import UTC, datetime

import aiohttp
import pytest

from admin.exports import write_workbook
from admin.microdata import response_rows
from admin.tokens import create_token, parse_scope
from conversations.survey import builtin_surveys
from storage.admin_store import audit_entries
from tests.conftest import CELLS, DRIVERS, TOKEN_KEY, office_tokens
from tests.stored import last_month, within


@pytest.fixture
async def tokens(db):
    return await office_tokens(db, "national", "istanbul")


async def get(bot, path: str, token: str | None = None) -> tuple[int, dict | str, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.get(
        f"{bot.http_url}/api/v1{path}", headers=headers) as answer:
        if answer.content_type in ("application/json", "application/problem+json"):
            body = await answer.json()
        elif answer.content_type.startswith("text/"):
            body = await answer.text()
        else:
            body = await answer.read()
        return answer.status, body, dict(answer.headers)


async def test_every_endpoint_needs_a_valid_token(bot, tokens):
    for path in ("/scores", "/provinces/34", "/comments", "/drivers", "/links", "/export.csv",
                 "/export.xlsx", "/openapi.json"):
        assert (await get(bot, path, tokens["national"]))[0] == 200
        # (one failure per path: ten a minute would block this address, see below)
        bad = None if path.startswith(("/scores", "/comments", "/export.csv")) else (
            "izdes_aaaaaaaaaaaa_" + "x" * 43)
        assert (await get(bot, path, bad))[0] == 401


async def test_a_revoked_token_stops_working(bot, tokens, db):
    from storage.admin_store import list_tokens, revoke_token

    [national] = [t for t in await within(db, list_tokens) if t.scope == "national"]
    await within(db, revoke_token, national.id)
    assert (await get(bot, "/scores", tokens["national"]))[0] == 401


async def test_national_scores_match_independent_figures_with_suppression(
    bot, tokens, survey_data
):
    status, body, _ = await get(bot, "/scores?group_by=province,service", tokens["national"])
    assert status == 200 and body["min_cell"] == 10
    # Whoever reads the intervals is told they are indicative: respondents volunteer.
    assert "indicative" in body["intervals"] and "volunteer" in body["intervals"]
    rows = {(r["province"], r["service"]): r for r in body["rows"]}
    assert set(rows) == set(CELLS)
    hidden = {key for key, row in rows.items() if row["suppressed"]}
    # (06, nufus) has 3 respondents: hidden, with no figure at all.
    assert rows[("06", "nufus")]["n"] is None and rows[("06", "nufus")]["mean"] is None
    # Secondary suppression: no province and no service has exactly one hidden cell, or its
    # total (group_by=province or =service) minus the visible cells would give it away.
    for index in (0, 1):
        groups = {key[index] for key in CELLS}
        for group in groups:
            assert sum(1 for key in hidden if key[index] == group) != 1, (index, group)
    assert ("34", "trafik") not in hidden and ("34", "nufus") not in hidden
    shown = rows[("34", "trafik")]
    group = survey_data[("34", "trafik")]
    overall = [int(a["overall"]) for a in group]
    assert not shown["suppressed"] and shown["n"] == 12
    assert shown["province_name"] == "İstanbul"
    assert shown["mean"] == pytest.approx(statistics.mean(overall))
    assert shown["satisfied_share"] == pytest.approx(sum(o >= 4 for o in overall) / 12)
    low, high = shown["satisfied_ci95"]
    assert 0 <= low <= shown["satisfied_share"] <= high <= 1
    for driver in DRIVERS:
        values = [int(a[driver]) for a in group]
        assert shown["drivers"][driver] == pytest.approx((statistics.mean(values) - 1) / 4 * 100)


async def test_a_province_token_sees_only_its_province(bot, tokens, survey_data):
    token = tokens["istanbul"]
    status, body, _ = await get(bot, "/scores?group_by=province,service", token)
    assert status == 200 and {r["province"] for r in body["rows"]} == {"34"}
    for path in ("/scores?province=06", "/scores?group_by=service&province=6",
                 "/provinces/06", "/comments?province=06", "/drivers?province=06",
                 "/links?province=06", "/export.csv?province=06"):
        assert (await get(bot, path, token))[0] == 403, path
    assert (await get(bot, "/provinces/34", token))[0] == 200
    status, text, _ = await get(bot, "/export.csv", token)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["province"] for r in rows} == {"34"}
    assert [(r["service"], r["n"]) for r in rows] == [("", "24"), ("nufus", "12"),
                                                      ("trafik", "12")]


async def test_group_by_region_and_period(bot, tokens, survey_data):
    status, body, _ = await get(bot, "/scores?group_by=region", tokens["national"])
    assert status == 200 and body["period"] == last_month().strftime("%Y-%m")
    regions = {r["region"]: r for r in body["rows"]}
    assert set(regions) == {"TR1", "TR3", "TR5"}  # İstanbul; Ege (İzmir); Batı Anadolu
    assert regions["TR5"]["n"] == 14 and regions["TR5"]["region_name"]
    status, body, _ = await get(bot, "/scores?group_by=period", tokens["national"])
    [period] = body["rows"]  # the trend: only periods with answers
    assert period["period"] == last_month().strftime("%Y-%m") and period["n"] == 58
    for asked in ("group_by=nonsense", "group_by=month", "group_by=channel",
                  "group_by=region&province=34", "group_by=region,district",
                  "group_by=district,service", "service=nonsense"):
        assert (await get(bot, f"/scores?{asked}", tokens["national"]))[0] == 400, asked


async def test_province_page_has_services_and_trend(bot, tokens, survey_data):
    status, body, _ = await get(bot, "/provinces/34", tokens["national"])
    assert status == 200 and body["province_name"] == "İstanbul"
    assert [s["service"] for s in body["services"]] == ["nufus", "trafik"]
    assert len(body["trend"]) == 1 and body["trend"][0]["n"] == 24


async def test_comments_come_only_from_published_cells_in_text_order(
        bot, tokens, survey_data):
    _, scores, _ = await get(bot, "/scores?group_by=province,service", tokens["national"])
    shown = {(r["province"], r["service"]): r["n"] for r in scores["rows"]
             if not r["suppressed"]}
    assert ("06", "nufus") not in shown  # 3 respondents
    status, body, _ = await get(bot, "/comments?per_page=5&page=1", tokens["national"])
    assert status == 200 and body["total"] == sum(shown.values()) and len(body["items"]) == 5
    everything = []
    for page in range(1, body["total"] // 5 + 2):
        everything += (await get(bot, f"/comments?per_page=5&page={page}",
                                 tokens["national"]))[1]["items"]
    assert len(everything) == body["total"]
    assert {(c["province"], c["service"]) for c in everything} == set(shown)
    texts = [c["text"] for c in everything]
    assert texts == sorted(texts)  # nothing about when they came
    assert sum("[TEL]" in t for t in texts) == len(shown)
    assert set(everything[0]) == {"province", "service", "period", "text", "ref"}
    assert everything[0]["period"] == last_month().strftime("%Y-%m")
    for bad in ("page=abc", "per_page=abc", "page=9223372036854775807", "page=0", "page=²",
                "period=0000-05", "period=9999", "period=２０２６-11"):
        status, _, _ = await get(bot, f"/comments?{bad}", tokens["national"])
        assert status == 400, bad


async def test_exports_hold_the_published_table_not_responses(bot, tokens, survey_data):
    status, text, headers = await get(bot, "/export.csv", tokens["national"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    header = text.lstrip("\ufeff").splitlines()[0].split(",")
    assert len(header) == len(set(header))  # no column twice
    assert not any(column in header for column in ("respondent", "comment", "completed_on"))
    _, scores, _ = await get(bot, "/scores?group_by=province,service", tokens["national"])
    published = {(r["province"], r["service"]): str(r["n"] or "") for r in scores["rows"]}
    exported = {(r["province"], r["service"]): r["n"] for r in rows
                if r["level"] == "province" and r["service"]}
    assert exported == published  # the same cells, the same figures
    assert {r["level"] for r in rows} == {"national", "region", "province"}


async def test_excel_rows_beyond_one_worksheet_go_on_in_the_next(db, survey_data, tmp_path):
    """A worksheet holds 1,048,576 rows; a national export can have more responses. Here
    with sheets of 25 rows: the 58 responses fill three sheets, each with the header, and
    none is lost."""
    import openpyxl

    survey = builtin_surveys()["hizmet"]
    header, rows = await response_rows(db, survey, last_month().strftime("%Y-%m"), 10)
    path = tmp_path / "export.xlsx"
    await write_workbook(str(path), survey.key, header, rows, rows_per_sheet=25)
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["hizmet", "hizmet (2)", "hizmet (3)"]
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    assert [len(rows) for rows in sheets] == [26, 26, 9]
    assert all(list(rows[0]) == header for rows in sheets)
    numbers = [row[header.index("row")] for rows in sheets for row in rows[1:]]
    assert numbers == list(range(1, 59))


async def test_every_data_access_is_audited_without_answer_text(bot, tokens, survey_data, db):
    await get(bot, "/scores?group_by=service", tokens["national"])
    await get(bot, "/comments", tokens["istanbul"])
    await get(bot, "/export.csv", tokens["istanbul"])
    entries = await within(db, audit_entries)
    assert [action for _, action, _ in entries] == ["scores", "comments", "export.csv"]
    assert entries[1][2]["province"] == "34"  # the token's province, applied on the server
    assert "yorum" not in str(entries)


async def test_openapi_describes_every_endpoint(bot, tokens):
    status, spec, _ = await get(bot, "/openapi.json", tokens["national"])
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/scores", "/changes", "/provinces/{plate}", "/comments",
                                  "/drivers", "/links", "/export.csv", "/export.xlsx",
                                  "/report.pdf", "/openapi.json", "/surveys",
                                  "/microdata/responses.csv", "/microdata/responses.xlsx",
                                  "/microdata/comments.csv", "/findings", "/findings/{id}",
                                  "/findings/{id}/proposals", "/findings/{id}/status",
                                  "/findings/{id}/reported", "/units", "/units/{id}/notice.pdf"}


async def test_the_surveys_a_page_may_show_are_listed_in_turkish(bot, tokens):
    status, body, _ = await get(bot, "/surveys", tokens["national"])
    assert status == 200 and body["default"] == "hizmet"
    listed = {survey["key"]: survey for survey in body["surveys"]}
    assert set(listed) == {"hizmet", "mahalle", "okul_servis"}  # not the staff's
    assert listed["mahalle"]["title"] == "Mahalle güvenliği"
    assert listed["mahalle"]["services"] is False and listed["hizmet"]["services"] is True
    assert {"key": "crossings", "label": "Yaya geçitleri"} in listed["mahalle"]["drivers"]


async def test_key_drivers_rank_what_goes_with_satisfaction(bot, tokens, survey_data):
    import numpy

    status, body, _ = await get(bot, "/drivers?service=trafik", tokens["national"])
    assert status == 200 and body["n"] == 33 and body["period"]
    group = [a for (plate, service), answers in survey_data.items() if service == "trafik"
             for a in answers]
    overall = [int(a["overall"]) for a in group]
    expected = {d: numpy.corrcoef(overall, [int(a[d]) for a in group])[0, 1] for d in DRIVERS}
    got = {d["driver"]: d["correlation"] for d in body["drivers"]}
    assert all(set(d) == {"driver", "correlation"} for d in body["drivers"])  # no counts
    assert got == pytest.approx(expected)
    assert [d["driver"] for d in body["drivers"]] == sorted(expected, key=expected.get,
                                                            reverse=True)
    # Too few answers in a province: nothing is shown.
    _, small, _ = await get(bot, "/drivers?service=nufus&province=06", tokens["national"])
    assert small["suppressed"] and small["drivers"] == []


async def test_excel_export_has_the_same_table_with_numbers_as_numbers(
        bot, tokens, survey_data):
    import openpyxl

    async with aiohttp.ClientSession() as http, http.get(
        f"{bot.http_url}/api/v1/export.xlsx?province=34",
        headers={"Authorization": f"Bearer {tokens['national']}"}) as answer:
        assert answer.status == 200
        content = await answer.read()
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3 and "province_name" in header and "district_name" in header
    assert [row[header.index("n")] for row in body] == [24, 12, 12]
    assert all(isinstance(row[header.index("mean")], float) for row in body)


async def test_figures_are_asked_for_by_whole_released_periods(bot, tokens, survey_data):
    national = tokens["national"]
    for asked in ("from=2026-01-01", "to=2026-12-01T10:00:00", "period=2026-Q4",
                  "period=2026", "period=yesterday"):
        status, message, _ = await get(bot, f"/scores?{asked}", national)
        assert status == 400 and "period" in message["detail"], asked
    now = datetime.now(UTC).strftime("%Y-%m")
    status, body, _ = await get(bot, f"/scores?period={now}", national)
    assert status == 200 and body["rows"] == []  # this month has not ended: nothing yet


async def test_each_token_is_limited_in_requests_a_minute(telegram, db, tokens, survey_data):
    from tests.conftest import RunningBot, bot_settings

    running = RunningBot(bot_settings(telegram, db.url, api_requests_per_minute=5), telegram)
    await running.start()
    try:
        for _ in range(5):
            assert (await get(running, "/scores", tokens["istanbul"]))[0] == 200
        status, _, headers = await get(running, "/scores", tokens["istanbul"])
        assert status == 429 and int(headers["Retry-After"]) > 0
        assert (await get(running, "/scores", tokens["national"]))[0] == 200  # another token
    finally:
        await running.stop()


async def test_responses_row_by_row_only_for_a_named_microdata_token_and_coarsened(
        bot, tokens, db, survey_data):
    import openpyxl

    from conversations.places import match_district
    from tests.stored import insert_completed

    with pytest.raises(ValueError):
        await create_token(db, TOKEN_KEY, parse_scope("microdata"), "Ayşe Yılmaz")  # no purpose
    analyst = await create_token(db, TOKEN_KEY, parse_scope("microdata"), "Ayşe Yılmaz",
                                 "hizmet kalitesi analizi")
    kadikoy = match_district("34", "Kadıköy").best.district_id
    uskudar = match_district("34", "Üsküdar").best.district_id
    answers = {"service": "trafik", "recency": "d7", "channel": "online", "province": "34",
               "traffic_purpose": "fine", "overall": "4", "effort": "2"}
    await insert_completed(db, "hizmet", [{**answers, "district": str(kadikoy)}] * 10,
                           at=last_month(), prefix="kadikoy")
    await insert_completed(db, "hizmet", [{**answers, "district": str(uskudar)}] * 2,
                           at=last_month(), prefix="uskudar")
    for path in ("/microdata/responses.csv", "/microdata/responses.xlsx",
                 "/microdata/comments.csv"):
        assert (await get(bot, path, tokens["national"]))[0] == 403, path
    status, text, _ = await get(bot, "/microdata/responses.csv", analyst)
    assert status == 200
    header = text.lstrip("\ufeff").splitlines()[0].split(",")
    assert len(header) == len(set(header))  # service and channel once each
    assert not {"comment", "completed_on", "respondent"} & set(header)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 58 + 12
    assert {r["month"] for r in rows} == {last_month().strftime("%Y-%m")}
    districts = {r["district_name"] for r in rows}
    assert "Kadıköy" in districts and "Üsküdar" not in districts  # 2: below 10, left blank
    status, text, _ = await get(bot, "/microdata/comments.csv", analyst)
    comments = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    # Excel with Turkish settings splits at ";" whatever the quotes: no piece is a formula.
    assert not [piece for line in text.splitlines() for piece in line.split(";")
                if piece.lstrip(' "').startswith(("=", "+", "-", "@"))]
    assert set(comments[0]) == {"period", "comment"} and len(comments) == 58
    assert [c["comment"] for c in comments] == sorted(c["comment"] for c in comments)
    status, content, _ = await get(bot, "/microdata/responses.xlsx", analyst)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    assert all(isinstance(row[table[0].index("overall")], int) for row in table[1:])
    # In an order drawn afresh for each download: never the order people answered in.
    orders = []
    for _ in range(2):
        _, text, _ = await get(bot, "/microdata/responses.csv", analyst)
        orders.append([(r["province"], r["service"], r["overall"], r["effort"], r["district"])
                       for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))])
    assert sorted(orders[0]) == sorted(orders[1]) and orders[0] != orders[1]
    this_month = datetime.now(UTC).strftime("%Y-%m")
    assert (await get(bot, f"/microdata/responses.csv?period={this_month}", analyst))[0] == 404
    entries = await within(db, audit_entries)
    assert entries[-1][1] == "microdata.responses.csv"
    entries = [e for e in entries if e[1] == "microdata.responses.xlsx"]
    assert entries[-1][2]["purpose"] == "hizmet kalitesi analizi"
    assert entries[-1][2]["name"] == "Ayşe Yılmaz"
