"""`izdes report changes`, run as an administrator runs it: the comparisons of
/api/v1/changes as a Turkish table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from tests.cli import izdes, run_izdes
from tests.test_changes_api import WORSE, two_months  # noqa: F401 (a fixture)


async def test_the_cell_that_got_worse_and_the_hidden_one_as_json(db, two_months):  # noqa: F811
    before, after = sorted(two_months)
    report = json.loads(izdes(db.url, "report", "changes", "--format", "json"))
    assert (report["period"], report["compared_with"], report["against"]) == (after, before,
                                                                              "previous")
    assert report["intervals"].startswith("indicative: respondents volunteer")
    assert report["false_discovery_rate"]["method"] == "Benjamini-Hochberg"
    rows = {(r["province"], r["service"]): r for r in report["rows"]}
    assert rows[WORSE]["satisfied_share"]["verdict"] == "worse"
    hidden = rows[("06", "nufus")]  # 3 respondents last month
    assert hidden["n_before"] is None and hidden["mean"]["before"] is None
    assert hidden["mean"]["verdict"] == "too_few_answers"


async def test_a_turkish_table_with_verdicts_and_how_to_read_them(db, two_months):  # noqa: F811
    before, after = sorted(two_months)
    table = izdes(db.url, "report", "changes", "--period", after)
    lines = table.splitlines()
    assert lines[0] == f"Dönem: {after}, karşılaştırılan: {before} (önceki dönem)"
    [istanbul] = [line for line in lines if line.startswith("İstanbul") and "Trafik" in line]
    assert "%100 → %0" in istanbul and "-100,0 (-100,0 – -83,9)" in istanbul
    assert istanbul.count("daha kötü") == 2  # the share and the mean
    [ankara] = [line for line in lines if line.startswith("Ankara") and "Nüfus" in line]
    assert "yanıt sayısı yetersiz" in ankara and "→" not in ankara
    assert "Benjamini-Hochberg" in table and "yanlış keşif oranını %5'te tutar" in table
    assert table.rstrip().endswith("rastgele seçilmiş bir örneklem değildir.")


async def test_one_province_as_csv(db, two_months):  # noqa: F811
    text = izdes(db.url, "report", "changes", "--province", "34", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["province"], r["service"]) for r in rows] == [("34", "nufus"), ("34", "trafik")]
    worse = rows[1]
    assert worse["satisfied_share_verdict"] == "worse" and worse["n_before"] == "30"
    assert float(worse["mean_ci95_low"]) < float(worse["mean_difference"]) < float(
        worse["mean_ci95_high"]) < 0
    assert worse["effort_verdict"] == "not_tested" and worse["effort_p_value"] == ""
    assert "driver_courtesy_q_value" in worse


async def test_what_cannot_be_compared_is_said_in_one_line(db, two_months):  # noqa: F811
    after = sorted(two_months)[1]
    result = run_izdes(db.url, "report", "changes", "--against", "year")
    year_before = f"{int(after[:4]) - 1}{after[4:]}"
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"izdes: {year_before}, the same period a year earlier, has not been released: there "
        f"is nothing to compare {after} with")
    result = run_izdes(db.url, "report", "changes", "--province", "99")
    assert result.returncode == 2
    assert result.stderr.strip() == "izdes: no province has the plate code '99'"


async def test_before_any_release_it_says_so(db):
    assert "Henüz yayımlanmış bir dönem yok" in izdes(db.url, "report", "changes")
