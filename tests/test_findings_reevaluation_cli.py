"""`izdes findings` and re-evaluation as an operator runs it: the re-evaluation printed with
the finding, the list of those due, and the result kept when it is recorded."""

from __future__ import annotations

import pytest

from tests.cli import izdes
from tests.reevaluation_data import ACTION, AFTER, BEFORE, MONTH, release_months


@pytest.fixture
async def released(db):
    await release_months(db)


def acted(url: str, province: str, on=ACTION) -> str:
    """A finding about the province's nüfus cell in the month before, its action taken
    ``on``; its number."""
    number = izdes(url, "findings", "create", "--province", province, "--service", "nufus",
                   "--period", MONTH[BEFORE], "--driver", "timeliness", "--problem",
                   "Bekleme uzun", "--proposal", "Akşam randevusu", "--unit",
                   "İl Nüfus Müdürlüğü", "--due", "2099-06-30", "--by", "Ayşe").split()[1]
    if on is not None:
        izdes(url, "findings", "status", number, "action_taken", "--action-date",
              on.date().isoformat(), "--action", "Akşam randevusu açıldı", "--by", "Ayşe")
    return number


async def test_show_prints_the_re_evaluation_and_the_list_those_due(db, released):
    url = db.url
    worse, izmir = acted(url, "34"), acted(url, "35")
    recent, waiting = acted(url, "34", on=AFTER), acted(url, "06", on=None)
    shown = izdes(url, "findings", "show", worse).splitlines()
    start = shown.index(f"re-evaluation (action in {MONTH[ACTION]}): worse")
    assert shown[start + 1] == (f"  windows: before {MONTH[BEFORE]} (n 40); "
                                f"after {MONTH[AFTER]} (n 40)")
    assert shown[start + 2].startswith("  satisfied: 90.0 -> 20.0, difference -70.0 points "
                                       "(95% CI ")
    assert shown[start + 4].startswith("  timeliness (0-100): ")
    few = izdes(url, "findings", "show", izmir)
    assert "): not enough answers yet\n" in few and "  answers needed: " in few
    assert ("re-evaluation: none yet, no whole period has been released since the action's "
            f"({MONTH[AFTER]})") in izdes(url, "findings", "show", recent)
    assert "re-evaluation: none yet, no action date yet" in izdes(url, "findings", "show",
                                                                  waiting)
    due = izdes(url, "findings", "list", "--due-reevaluation").splitlines()[1:]
    assert [line.split("\t")[0] for line in due] == [izmir, worse]
    izdes(url, "findings", "status", worse, "re_evaluated", "--note", "Kötüleşti", "--by",
          "Ayşe")
    history = izdes(url, "findings", "show", worse).splitlines()
    assert history[-1].endswith("status: status, re_evaluated_at, re_evaluation_note, "
                                "re_evaluation_result")
    assert [line.split("\t")[0] for line in izdes(
        url, "findings", "list", "--due-reevaluation").splitlines()[1:]] == [izmir]
