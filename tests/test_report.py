"""`izdes report` on generated answers, checked against figures computed independently."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from conversations.engine import SurveyEngine
from conversations.messages import Inbound, Press, Start, Text
from conversations.pseudonym import Pseudonymizer
from conversations.survey import builtin_surveys
from storage.repository import survey_stores
from tests.cli import izdes, run_izdes
from tests.conftest import TEST_SECRET
from tests.stored import next_month, publish

DRIVERS = list(builtin_surveys()["hizmet"].report.drivers)


async def take_survey(engine: SurveyEngine, who: str, answers: dict[str, str]) -> None:
    """Answer through the engine, pressing the buttons it offers (as the terminal does);
    an adult unless ``answers`` says otherwise."""
    answers = {"adult": "yes", **answers}
    reply = await engine.handle(Inbound(who, Start()))
    consent_data = reply.actions[-1].keyboard[0][0].data
    reply = await engine.handle(Inbound(who, Press(consent_data), message_ref="1"))
    for question in builtin_surveys()["hizmet"].path(answers):
        offered = [b.data for row in reply.actions[-1].keyboard for b in row]
        if question.kind in ("province", "district", "text") and question.id in answers:
            event = Text(answers[question.id])
        elif question.id not in answers:  # optional (district): skip it
            event = Press(next(d for d in offered if d.startswith("s.")))
        else:
            event = Press(next(d for d in offered if d.endswith("." + answers[question.id])))
        reply = await engine.handle(Inbound(who, event, message_ref="1"))


async def test_report_matches_independently_computed_figures(db):
    # Each input 5 s after the previous one, as people answer (faster ones are flagged).
    ticks = itertools.count()
    engine = SurveyEngine(survey_stores(db, builtin_surveys()),
                          clock=lambda: datetime.now(UTC) + timedelta(seconds=5 * next(ticks)))
    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    rng = random.Random(7)
    expected: dict[tuple[str, str], list[dict[str, str]]] = {}
    for number in range(40):
        province = rng.choice(["06", "34", "35"])
        service = rng.choice(["trafik", "nufus"])
        answers = {"service": service, "recency": "d7", "channel": "online",
                   "traffic_purpose": "fine", "nufus_purpose": "passport", "appointment": "no",
                   "province": province, "overall": str(rng.randint(1, 5)),
                   **{d: rng.choice(["1", "2", "3", "4", "5", "na"]) for d in DRIVERS},
                   "effort": str(rng.randint(1, 7)), "comment": "test"}
        await take_survey(engine, pseudonyms.key_for("gen", number), answers)
        expected.setdefault((province, service), []).append(answers)

    # Every cell here is small: released with a minimum cell of 1 they all show, to check the
    # figures (a release keeps the minimum it was made with).
    await publish(db, min_cell=1, now=next_month())
    this_month = datetime.now(UTC).strftime("%Y-%m")
    report = json.loads(izdes(db.url, "report", "--format", "json", "--period", this_month))
    assert report["period"] == this_month
    assert report["intervals"].startswith("indicative: respondents volunteer")
    rows = {(r["province"], r["service"]): r for r in report["rows"]}
    assert set(rows) == set(expected)
    for key, group in expected.items():
        row = rows[key]
        overall = [int(a["overall"]) for a in group]
        assert row["n"] == len(group)
        assert row["mean"] == pytest.approx(statistics.mean(overall))
        assert row["satisfied_share"] == pytest.approx(
            sum(o >= 4 for o in overall) / len(group))
        for driver in DRIVERS:
            known = [int(a[driver]) for a in group if a[driver] != "na"]
            want = (statistics.mean(known) - 1) / 4 * 100 if known else None
            assert row["drivers"][driver] == pytest.approx(want), (key, driver)
        assert row["effort"] == pytest.approx(statistics.mean(int(a["effort"]) for a in group))

    table = izdes(db.url, "report", "--period", this_month)
    first = report["rows"][0]
    assert "İl" in table and "Ortalama (1-5)" in table
    assert f"{first['mean']:.2f}".replace(".", ",") in table  # Turkish decimal comma
    low, high = first["mean_ci95"]
    assert f"{low:.2f}–{high:.2f}".replace(".", ",") in table
    assert table.rstrip().endswith("Aralıklar gösterge niteliğindedir: yanıtlayanlar gönüllüdür "
                                   "(afiş, bağlantı), rastgele seçilmiş bir örneklem değildir.")
    parsed = list(csv.DictReader(io.StringIO(
        izdes(db.url, "report", "--format", "csv", "--period", this_month))))
    assert len(parsed) == len(rows) and parsed[0]["province_name"]


async def test_small_cells_show_no_figures_in_the_report(db, survey_data):
    table = izdes(db.url, "report")
    assert "Dönem: " in table and "10 kişiden az" in table and "İstanbul" in table
    rows = json.loads(izdes(db.url, "report", "--format", "json"))["rows"]
    [ankara_nufus] = [r for r in rows if (r["province"], r["service"]) == ("06", "nufus")]
    assert ankara_nufus["mean"] is None and ankara_nufus["n"] is None


async def test_report_before_any_period_is_released_says_so(db):
    assert "Henüz yayımlanmış bir dönem yok" in izdes(db.url, "report")


async def test_report_refuses_a_period_of_another_kind_in_one_line(db):
    result = run_izdes(db.url, "report", "--period", "2026-Q3")
    assert result.returncode == 2
    assert result.stderr.strip() == ("izdes: figures are published by month: period=2026-11, "
                                     "for example")


async def test_terminal_chat_runs_the_same_survey_on_the_same_database(db):
    # Buttons are numbered in the terminal: 1 = agree, 1 = 18 or older, 3 = Trafik, ... ;
    # text answers typed.
    keys = ["1", "1", "3", "1", "2", "Eskişehir", "odunpazari", "2", "1", "1", "2", "2", "1",
            "1", "2", "7", "6", "harika"]
    output = izdes(db.url, "chat", "--user", "tester", stdin="\n".join(keys) + "\n")
    assert "Aydınlatma metni" in output
    assert "İşleminiz hangi ildeki birimce yürütüldü?" in output  # by phone: the office's
    assert "Teşekkür ederiz! Yanıtlarınız kaydedildi." in output
    # Piped answers arrive faster than anyone reads: kept, but flagged and left out of scores.
    await publish(db, min_cell=1, now=next_month())
    assert json.loads(izdes(db.url, "report", "--format", "json"))["rows"] == []


async def test_terminal_chat_knows_the_commands_telegram_knows(db):
    # The same list of commands feeds both channels: a Turkish word, an English one, and an
    # argument after a command that takes none.
    output = izdes(db.url, "chat", "--user", "typist", stdin="/dil\n/language\n/sil now\n")
    assert output.count("Dilinizi seçiniz:") == 2, output
    # /sil, its argument ignored
    assert "Sizinle ilişkili hiçbir veri tutmuyoruz." in output, output


async def test_terminal_chat_can_start_in_english(db):
    output = izdes(db.url, "chat", "--user", "visitor", "--language", "en", stdin="2\n")
    assert "Hello! As part of the Ministry of Interior's Monitoring and Evaluation System" in output
    assert "No problem: nothing was stored." in output


def test_a_period_released_before_a_driver_was_asked_shows_it_as_missing():
    """Periods released under hizmet 1 have no information or equal-treatment figure."""
    from admin.report import render
    from conversations.i18n import Texts

    survey = builtin_surveys()["hizmet"]
    old = {d: 50.0 for d in ("timeliness", "knowledge", "courtesy", "fairness", "outcome")}
    row = {"province": "34", "province_name": "İstanbul", "service": "trafik",
           "suppressed": False, "n": 12, "mean": 3.5, "mean_ci95": [3.0, 4.0],
           "satisfied_share": 0.5, "satisfied_ci95": [0.25, 0.75], "drivers": old,
           "effort": 4.0}
    table = render([row], survey, "table", Texts("tr"), 10, "2026-10")
    assert "Bilgilendirme (0-100)" in table and "Eşit muamele (0-100)" in table
    [line] = [line for line in table.splitlines() if line.startswith("İstanbul")]
    assert line.split().count("-") == 2 and line.split().count("50") == 5
