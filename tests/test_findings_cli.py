"""`izdes findings ...` as an operator runs it: a finding made, moved on, reported and read
back at the command line, with who acted in its history; refusals in one line."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from storage.findings import today
from storage.models import Finding
from tests.cli import izdes, run_izdes
from tests.findings_data import PERIOD, release_month


@pytest.fixture
async def released(db):
    await release_month(db)


ACTED = today().isoformat()  # within the finding's period (last month) or after it


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def create(url: str, *extra: str) -> str:
    """Make İstanbul's nüfus finding; its number."""
    said = izdes(url, "findings", "create", "--province", "İstanbul", "--service", "nufus",
                 "--driver", "timeliness", "--problem", "Bekleme uzun.\nRandevu bulunamıyor.",
                 "--proposal", "Akşam randevusu", "--proposal", "Sıra numaratörü",
                 "--unit", "İl Nüfus Müdürlüğü", "--due", "2099-06-30", "--by", "Ayşe Analist",
                 *extra)
    assert said.endswith(f"created: hizmet {PERIOD} 34 nufus, due 2099-06-30\n"), said
    return said.split()[1]


async def test_a_finding_is_made_moved_on_and_read_at_the_command_line(db, released):
    url = db.url
    number = create(url)
    assert izdes(url, "findings", "status", number, "action_taken", "--action-date",
                 ACTED, "--action", "Cumartesi mesaisi açıldı", "--by",
                 "Mehmet Şef") == f"finding {number} is now action_taken\n"
    added = izdes(url, "findings", "proposal", number, "Ek personel", "--by", "Mehmet Şef")
    assert added.startswith("proposal ") and added.endswith(f" added to finding {number}\n")
    izdes(url, "findings", "status", number, "re_evaluated", "--note", "Şikâyet azaldı",
          "--by", "Ayşe Analist")
    izdes(url, "findings", "reported", number, "--by", "Bakanlık Strateji")
    shown = izdes(url, "findings", "show", number).splitlines()
    assert shown[0].startswith(f"finding {number}: re_evaluated, reported to the centre ")
    assert shown[0].endswith(" by Bakanlık Strateji")
    assert shown[1].startswith(f"cell: hizmet {PERIOD}, İstanbul, nufus (raised by ministry, "
                               "Ayşe Analist, ")
    assert shown[2].startswith("evidence as published: n 12, mean ")
    assert shown[3].startswith("  timeliness: ") and shown[3].endswith(" (0-100)")
    assert shown[4:6] == ["problem: Bekleme uzun.", "    Randevu bulunamıyor."]
    assert f"action taken {ACTED}: Cumartesi mesaisi açıldı" in shown
    proposals = shown[shown.index("proposals:") + 1:shown.index("history:")]
    assert [line.split(". ", 1)[1] for line in proposals] == [
        "(analyst, Ayşe Analist): Akşam randevusu", "(analyst, Ayşe Analist): Sıra numaratörü",
        "(analyst, Mehmet Şef): Ek personel"]
    history = shown[shown.index("history:") + 1:]
    assert [line.strip().split(" ", 2)[2] for line in history] == [
        "Ayşe Analist (cli) created: survey_key, period, province, district, service, "
        "drivers, problem, responsible_unit, due_date, status, raised_by",
        "Ayşe Analist (cli) proposal_added: proposal",
        "Ayşe Analist (cli) proposal_added: proposal",
        "Mehmet Şef (cli) status: status, action_date, action",
        "Mehmet Şef (cli) proposal_added: proposal",
        "Ayşe Analist (cli) status: status, re_evaluated_at, re_evaluation_note",
        "Bakanlık Strateji (cli) reported: reported_at, reported_by"]


async def test_the_list_filters_and_keeps_each_finding_on_one_line(db, released):
    url = db.url
    istanbul = create(url)
    ankara = izdes(url, "findings", "create", "--province", "6", "--service", "trafik",
                   "--problem", "Trafik", "--proposal", "Denetim", "--unit", "Ankara Emniyet",
                   "--due", "2099-01-01", "--by", "Ali").split()[1]
    izdes(url, "findings", "status", ankara, "closed", "--note", "Konu Genel Müdürlükte",
          "--by", "Ali")
    rows = izdes(url, "findings", "list").splitlines()
    assert rows[0].split("\t") == ["id", "status", "due", "overdue", "reported", "province",
                                   "service", "period", "unit", "problem"]
    assert [row.split("\t")[:3] for row in rows[1:]] == [[ankara, "closed", "2099-01-01"],
                                                         [istanbul, "open", "2099-06-30"]]
    assert rows[2].endswith("\tBekleme uzun. Randevu bulunamıyor.")
    assert _ids(izdes(url, "findings", "list", "--status", "closed")) == [ankara]
    assert _ids(izdes(url, "findings", "list", "--province", "İstanbul")) == [istanbul]
    assert _ids(izdes(url, "findings", "list", "--service", "trafik")) == [ankara]
    assert _ids(izdes(url, "findings", "list", "--overdue")) == []
    async with db.transaction() as session:  # years on: both due dates have passed
        await session.execute(update(Finding).values(due_date=date(2020, 1, 1)))
    overdue = izdes(url, "findings", "list", "--overdue")
    assert _ids(overdue) == [istanbul]  # not the closed one
    assert overdue.splitlines()[1].split("\t")[3] == "overdue"
    assert _ids(izdes(url, "findings", "list", "--no-overdue")) == [ankara]
    izdes(url, "findings", "reported", ankara, "--by", "Bakanlık")
    assert _ids(izdes(url, "findings", "list", "--reported")) == [ankara]
    assert _ids(izdes(url, "findings", "list", "--no-reported")) == [istanbul]


def _ids(listing: str) -> list[str]:
    return [row.split("\t")[0] for row in listing.splitlines()[1:]]


async def test_text_from_the_database_cannot_drive_the_terminal(db, released):
    number = create(db.url)
    async with db.transaction() as session:  # as if it came in by another way
        await session.execute(update(Finding).values(problem="Sorun\x1b[2J\x1b]0;x\x07 bitti"))
    listing = izdes(db.url, "findings", "list")
    shown = izdes(db.url, "findings", "show", number)
    assert "\x1b" not in listing + shown and "\x07" not in listing + shown
    assert "problem: Sorun\\x1b[2J\\x1b]0;x\\x07 bitti" in shown.splitlines()


@pytest.mark.parametrize(("command", "code", "says"), [
    (("create", "--service", "trafik"), 2,
     f"izdes: the cell hizmet {PERIOD}, İstanbul, trafik is hidden"),
    (("create", "--period", "2020-01"), 2, "izdes: hizmet 2020-01 has not been released"),
    (("create", "--district", "Çankaya", "--service", ""), 2,
     "izdes: no district 'Çankaya' in İstanbul"),
    (("create", "--due", "30.06.2099"), 2, "izdes: due_date '30.06.2099' is no day"),
    (("create", "--driver", "luck"), 2, "izdes: unknown driver 'luck' in survey hizmet"),
    (("create", "--by", " "), 2, "izdes: say who acts"),
    (("status", "N", "re_evaluated", "--note", "x"), 1,
     "izdes: a finding that is open moves to action_taken or closed, not to re_evaluated"),
    (("status", "N", "action_taken", "--action", "x"), 2,
     "izdes: the action needs its date (YYYY-MM-DD)"),
    (("status", "N", "action_taken", "--action-date", "yarın"), 2,
     "izdes: --action-date 'yarın' is no day"),
    (("status", "N+1", "closed", "--note", "x"), 1, "izdes: no finding N+1"),
    (("proposal", "N+1", "Öneri"), 1, "izdes: no finding N+1"),
    (("reported", "N+1"), 1, "izdes: no finding N+1"),
    (("show", "N+1"), 1, "izdes: no finding N+1"),
])
async def test_a_refusal_is_told_in_one_line(db, released, command, code, says):
    number = int(create(db.url))
    numbers = {"N": str(number), "N+1": str(number + 1)}
    says = says.replace("N+1", numbers["N+1"])
    action, *rest = command
    arguments = [numbers.get(argument, argument) for argument in rest]
    if action == "create":
        arguments = ["--province", "34", "--service", "nufus", "--problem", "Sorun",
                     "--proposal", "Öneri", "--unit", "Birim", "--due", "2099-01-01", *rest]
    if action != "show" and "--by" not in arguments:
        arguments += ["--by", "Operatör"]
    result = run_izdes(db.url, "findings", action, *arguments)
    assert result.returncode == code, result.stderr
    assert one_line(result).startswith(says), result.stderr


async def test_a_change_needs_to_say_who_made_it(db, released):
    number = create(db.url)
    result = run_izdes(db.url, "findings", "reported", number)
    assert result.returncode == 2 and "--by" in result.stderr
    assert "reported to the centre" not in izdes(db.url, "findings", "show", number)
