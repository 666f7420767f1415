"""The findings register in the database: evidence copied from the published cells, the
status machine, proposals, reporting to the centre, scopes, overdue and the history of every
change. (The API and `izdes findings` drive the same functions: test_findings_api.py,
test_findings_cli.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from conversations.places import match_district
from storage import findings
from storage.finding_status import (
    Actor,
    FindingConflict,
    FindingError,
    FindingForbidden,
    StatusChange,
)
from storage.models import ReleasedCell
from storage.releases import read_cells
from tests.conftest import driver_answers
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish, within

MINISTRY = Actor("Bakanlık Analiz", token_id=None)
ISTANBUL = Actor("İstanbul Valiliği", token_id=None, province="34")
ANKARA = Actor("Ankara Valiliği", token_id=None, province="06")
PERIOD = last_month().strftime("%Y-%m")
TODAY = date(2026, 12, 10)
KADIKOY = str(match_district("34", "Kadıköy").best.district_id)
# (plate, service, district): respondents. Ankara's nüfus (3) is too few to publish.
DATA = {("34", "trafik", KADIKOY): 12, ("34", "nufus", None): 12, ("06", "trafik", None): 11,
        ("06", "nufus", None): 3, ("35", "trafik", None): 10, ("35", "nufus", None): 10}


@pytest.fixture
async def released(db):
    return await built_once(db, "test_findings_store.released", lambda: _released(db))


async def _released(db):
    number = 0
    for (plate, service, district), count in DATA.items():
        answers = []
        for _ in range(count):
            number += 1
            answers.append({"service": service, "recency": "d7", "channel": "in_person",
                            "province": plate, "traffic_purpose": "fine", "appointment": "no",
                            "wait_time": "lt15", "overall": str(1 + number % 5),
                            **driver_answers(number), "effort": str(1 + number % 7),
                            **({"district": district} if district else {})})
        await insert_completed(db, "hizmet", answers, at=last_month(),
                               prefix=f"{plate}-{service}")
    await publish(db)


def new(province: str = "34", service: str = "trafik", district: str | None = None,
        period: str = PERIOD, due: date = TODAY + timedelta(days=30),
        proposals: tuple[str, ...] = ("Randevu saatleri uzatılsın",), problem: str =
        "Trafik tescil işlemlerinde bekleme uzun") -> findings.NewFinding:
    return findings.NewFinding(
        survey_key="hizmet", period=period, province=province, district=district,
        service=service, drivers=("timeliness",), problem=problem, proposals=proposals,
        responsible_unit="İl Emniyet Müdürlüğü Trafik Şubesi", due_date=due)


async def make(db, actor: Actor = ISTANBUL, **kwargs) -> int:
    return await within(db, findings.create_finding, new(**kwargs), actor, on=TODAY)


async def read(db, finding_id: int, province: str | None = None, on: date = TODAY):
    return await within(db, findings.find, finding_id, province, on=on)


async def move(db, finding_id: int, actor: Actor = ISTANBUL, on: date = TODAY, **change):
    return await within(db, findings.change_status, finding_id, StatusChange(**change), actor,
                        on=on)


async def test_evidence_is_the_published_cell_copied_as_it_was(db, released):
    finding_id = await make(db)
    async with db.transaction() as session:
        [cell] = [c for c in await read_cells(session, "hizmet", (PERIOD,), 2, "34", "trafik")]
    finding = await read(db, finding_id)
    evidence = finding.fields["evidence"]
    assert evidence["figures"] == cell.figures and evidence["figures"]["n"] == 12
    assert evidence["period"] == PERIOD and evidence["service"] == "trafik"
    assert evidence["place"] == "TR1/34" and evidence["min_cell"] == 10
    # A copy: whatever became of the stored cell, the finding keeps what was published.
    async with db.transaction() as session:
        await session.execute(update(ReleasedCell).where(
            ReleasedCell.period == PERIOD, ReleasedCell.place == "TR1/34",
            ReleasedCell.service == "trafik").values(figures={"n": 99}))
    assert (await read(db, finding_id)).fields["evidence"]["figures"]["n"] == 12


async def test_a_district_finding_takes_the_districts_cell_for_all_services(db, released):
    finding_id = await make(db, district=KADIKOY, service="")
    evidence = (await read(db, finding_id)).fields["evidence"]
    assert evidence["place"] == f"TR1/34/{KADIKOY}" and evidence["figures"]["n"] == 12
    with pytest.raises(FindingError, match="published for all services only"):
        await make(db, district=KADIKOY, service="trafik")


@pytest.mark.parametrize(("where", "says"), [
    ({"province": "06", "service": "nufus"}, "is hidden"),  # 3 respondents
    ({"province": "01", "service": "trafik"}, "no cell .* was published"),  # nobody answered
    ({"period": datetime.now(UTC).strftime("%Y-%m")}, "has not been released"),
])
async def test_only_published_figures_can_be_evidence(db, released, where, says):
    actor = MINISTRY if where.get("province") not in (None, "34") else ISTANBUL
    with pytest.raises(FindingError, match=says):
        await make(db, actor, **where)
    assert (await within(db, findings.list_findings, findings.Filters()))[0] == 0


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"due": TODAY - timedelta(days=1)}, "has passed"),
    ({"proposals": ()}, "at least one proposed solution"),
    ({"proposals": ("  ",)}, "proposed solution is empty"),
    ({"problem": "x" * 4001}, "4001 characters long"),
    ({"problem": "bekleme\x1b[2J uzun"}, "control characters"),
])
async def test_a_finding_without_what_it_needs_is_refused_in_one_sentence(
        db, released, kwargs, says):
    with pytest.raises(FindingError, match=says):
        await make(db, **kwargs)


async def test_a_governors_office_keeps_to_its_own_province(db, released):
    with pytest.raises(FindingForbidden):
        await make(db, ANKARA, province="34")
    finding_id = await make(db, ISTANBUL)
    # Another province's finding is not found at all: its existence is not given away.
    assert await read(db, finding_id, province="06") is None
    assert await move(db, finding_id, ANKARA, status="closed", note="yok") is False
    assert await within(db, findings.add_proposal, finding_id, "öneri", ANKARA) is None
    assert (await read(db, finding_id)).fields["status"] == "open"
    ministry_own = await make(db, MINISTRY, service="nufus")
    raised = {f.id: f.fields["raised_by"] for f in
              (await within(db, findings.list_findings, findings.Filters()))[1]}
    assert raised == {finding_id: "province", ministry_own: "ministry"}


async def test_the_whole_way_from_open_to_closed_is_kept_in_the_history(db, released):
    finding_id = await make(db)
    assert await move(db, finding_id, status="action_taken", action_date=TODAY,
                      action="Cumartesi randevusu açıldı")
    assert await move(db, finding_id, status="re_evaluated",
                      note="Bekleme süresi şikâyetleri azaldı")
    assert await move(db, finding_id, MINISTRY, status="closed")
    finding = await read(db, finding_id)
    assert finding.fields["status"] == "closed" and finding.fields["closed_as"] == "done"
    assert finding.fields["action_date"] == TODAY
    assert [(e.action, e.actor, e.via) for e in finding.history] == [
        ("created", "İstanbul Valiliği", "cli"), ("proposal_added", "İstanbul Valiliği", "cli"),
        ("status", "İstanbul Valiliği", "cli"), ("status", "İstanbul Valiliği", "cli"),
        ("status", "Bakanlık Analiz", "cli")]
    created, _, acted, re_evaluated, closed = finding.history
    assert created.changes["status"] == {"before": None, "after": "open"}
    assert acted.changes == {
        "status": {"before": "open", "after": "action_taken"},
        "action_date": {"before": None, "after": TODAY.isoformat()},
        "action": {"before": None, "after": "Cumartesi randevusu açıldı"}}
    assert re_evaluated.changes["re_evaluation_note"]["after"] == (
        "Bekleme süresi şikâyetleri azaldı")
    assert closed.changes["status"] == {"before": "re_evaluated", "after": "closed"}
    assert all(e.at.tzinfo is not None for e in finding.history)


@pytest.mark.parametrize(("steps", "change", "error", "says"), [
    ([], {"status": "re_evaluated", "note": "x"}, FindingConflict,
     "moves to action_taken or closed, not to re_evaluated; record the action"),
    ([], {"status": "open", "note": "x"}, FindingConflict, "is open already"),
    ([], {"status": "action_taken", "action": "x"}, FindingError, "needs its date"),
    ([], {"status": "action_taken", "action_date": TODAY + timedelta(days=1), "action": "x"},
     FindingError, "in the future"),
    ([], {"status": "action_taken", "action_date": TODAY}, FindingError, "action\\) is empty"),
    ([], {"status": "closed"}, FindingError, "nothing can be done"),
    ([], {"status": "waiting"}, FindingError, "none of open, action_taken"),
    (["acted"], {"status": "closed"}, FindingConflict, "re-evaluate the action first"),
    (["acted"], {"status": "re_evaluated"}, FindingError, "needs a note"),
    (["acted"], {"status": "open"}, FindingError, "reason for reopening"),
])
async def test_moves_the_status_machine_has_not_are_refused(db, released, steps, change,
                                                            error, says):
    finding_id = await make(db)
    if steps:
        await move(db, finding_id, status="action_taken", action_date=TODAY, action="yapıldı")
    before = await read(db, finding_id)
    with pytest.raises(error, match=says):
        await move(db, finding_id, **change)
    after = await read(db, finding_id)
    assert after.fields == before.fields and len(after.history) == len(before.history)


async def test_closing_as_not_actionable_and_reopening(db, released):
    finding_id = await make(db)
    assert await move(db, finding_id, status="closed", note="Sorun il dışından kaynaklanıyor")
    finding = await read(db, finding_id)
    assert finding.fields["closed_as"] == "not_actionable"
    assert await move(db, finding_id, status="open", note="Sorun yeniden görüldü")
    await move(db, finding_id, status="action_taken", action_date=TODAY, action="Ek personel")
    await move(db, finding_id, status="re_evaluated", result={"verdict": "no_change"})
    assert await move(db, finding_id, status="open", note="İyileşme yok")
    finding = await read(db, finding_id)
    assert finding.fields["status"] == "open" and finding.fields["reopen_note"] == "İyileşme yok"
    assert finding.fields["action"] is None and finding.fields["re_evaluation_result"] is None
    reopened = finding.history[-1].changes
    assert reopened["action"] == {"before": "Ek personel", "after": None}
    assert reopened["re_evaluation_result"]["before"] == {"verdict": "no_change"}


async def test_proposals_keep_their_source_and_a_closed_finding_takes_none(db, released):
    finding_id = await make(db, proposals=("Birinci öneri", "İkinci öneri"))
    proposal_id = await within(db, findings.add_proposal, finding_id, "Personel eğitimi",
                               MINISTRY, "staff_survey", "personel-anketi/17")
    finding = await read(db, finding_id)
    assert [(p.text, p.source, p.added_by) for p in finding.proposals] == [
        ("Birinci öneri", "analyst", "İstanbul Valiliği"),
        ("İkinci öneri", "analyst", "İstanbul Valiliği"),
        ("Personel eğitimi", "staff_survey", "Bakanlık Analiz")]
    assert finding.proposals[-1].id == proposal_id
    assert finding.proposals[-1].source_ref == "personel-anketi/17"
    await move(db, finding_id, status="closed", note="Yapılacak bir şey yok")
    with pytest.raises(FindingConflict, match="reopen it"):
        await within(db, findings.add_proposal, finding_id, "Geç kalan öneri", ISTANBUL)


async def test_only_the_ministry_reports_to_the_centre_and_only_once(db, released):
    finding_id = await make(db)
    with pytest.raises(FindingForbidden, match="only the ministry"):
        await within(db, findings.mark_reported, finding_id, ISTANBUL)
    assert await within(db, findings.mark_reported, finding_id, MINISTRY)
    finding = await read(db, finding_id)
    assert finding.fields["reported_by"] == "Bakanlık Analiz"
    assert finding.fields["reported_at"].tzinfo is not None
    assert finding.history[-1].action == "reported"
    with pytest.raises(FindingConflict, match=r"was reported to the centre on .* by Bakanlık"):
        await within(db, findings.mark_reported, finding_id, MINISTRY)
    assert await within(db, findings.mark_reported, 10_000, MINISTRY) is False


async def test_overdue_is_a_due_date_passed_and_not_closed(db, released):
    late = await make(db, due=TODAY)
    closed = await make(db, due=TODAY)
    await move(db, closed, status="closed", note="Gerek kalmadı")
    later = await make(db, due=TODAY + timedelta(days=5), service="nufus")
    next_day = TODAY + timedelta(days=1)
    assert not (await read(db, late)).overdue
    assert (await read(db, late, on=next_day)).overdue

    async def listed(on=next_day, **filters) -> list[int]:
        _, rows = await within(db, findings.list_findings, findings.Filters(**filters), on)
        return [row.id for row in rows]

    assert await listed(overdue=True) == [late]
    assert await listed(overdue=False) == [later, closed]
    assert await listed(TODAY, overdue=True) == []
    assert await listed(status="closed") == [closed]
    assert await listed(service="nufus") == [later]
    assert await listed(province="06") == []
    await within(db, findings.mark_reported, later, MINISTRY)
    assert await listed(reported=True) == [later]
    assert await listed(reported=False) == [closed, late]
    total, page = await within(db, findings.list_findings, findings.Filters(), next_day, 1, 1)
    assert total == 3 and [row.id for row in page] == [closed]


async def test_the_actor_must_be_named(db, released):
    with pytest.raises(FindingError, match="say who acts"):
        await make(db, Actor("  ", province="34"))
