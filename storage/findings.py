"""The findings register: an analyst's finding about one published cell, its proposed
solutions, its status (storage.finding_status) and the history of every change to it.

The evidence of a finding is the cell's figures as they were published (released_cells),
copied with the period's release when the finding is made: a cell that was hidden, or a
period not released, has no published figures and cannot be a finding's evidence. Every
write adds a history event (who, when, what, each field before and after) in the caller's
transaction, so a change and its record stand or fall together.

A governor's office (an Actor with a province) reaches only its own province's findings:
another's is not found at all, so that its existence is not given away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.links import turkish_day
from conversations.places import district_by_id, province_by_plate
from stats import periods
from storage.finding_status import (
    ACTION_TAKEN,
    CLOSED,
    LONGEST_NAME,
    OPEN,
    Actor,
    FindingConflict,
    FindingError,
    FindingForbidden,
    StatusChange,
    checked_text,
    moved,
)
from storage.models import Finding, FindingEvent, FindingProposal, Release, ReleasedCell
from storage.releases import latest_releases

ANALYST = "analyst"  # a proposal typed by whoever made or keeps the finding
STAFF = "staff"  # a published proposal of a unit's staff (source_ref: its reference)
WITHDRAWN = "(personelin önerisi: yazarı yanıtlarını sildiği için kaldırıldı)"
PROVINCE, MINISTRY = "province", "ministry"  # who raised a finding
# The fields a finding is made with, as its first history event shows them.
MADE_WITH = ("survey_key", "period", "province", "district", "service", "drivers", "problem",
             "responsible_unit", "due_date", "status", "raised_by")


@dataclass(frozen=True)
class NewFinding:
    """A finding as asked for: its cell (survey, period, province, district or None,
    service or "" for all services), the drivers concerned (checked against the survey by
    the caller), the problem, at least one proposed solution, who is to act and by when."""

    survey_key: str
    period: str
    province: str
    district: str | None
    service: str
    drivers: tuple[str, ...]
    problem: str
    proposals: tuple[str, ...]
    responsible_unit: str
    due_date: date


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    service: str | None = None
    status: str | None = None
    overdue: bool | None = None
    reported: bool | None = None
    due: str | None = None  # "reevaluation": action taken, a whole period released since


DUE = ("reevaluation",)


def today() -> date:
    """Due dates are Turkish calendar days."""
    return turkish_day(datetime.now(UTC))


async def create_finding(session: AsyncSession, new: NewFinding, actor: Actor,
                         on: date | None = None) -> int:
    """Make a finding with its proposals and its first history event; its id."""
    if not actor.national and new.province != actor.province:
        raise FindingForbidden("a governor's office makes findings of its own province only")
    if new.due_date < (on or today()):
        raise FindingError(f"the due date {new.due_date} has passed: give today or a later day")
    proposals = [checked_text(p, "a proposed solution") for p in new.proposals]
    if not proposals:
        raise FindingError("a finding needs at least one proposed solution")
    place, evidence = await _evidence(session, new)
    finding = Finding(
        survey_key=new.survey_key, period=new.period, province=new.province,
        district=new.district, service=new.service, place=place, drivers=list(new.drivers),
        evidence=evidence, problem=checked_text(new.problem, "the problem"),
        responsible_unit=checked_text(new.responsible_unit, "the responsible unit",
                                      2 * LONGEST_NAME),
        due_date=new.due_date, status=OPEN, raised_by=PROVINCE if actor.province else MINISTRY,
        created_by=_name(actor))
    session.add(finding)
    await session.flush()
    _record(session, finding.id, actor, "created",
            {field: (None, getattr(finding, field)) for field in MADE_WITH})
    for text in proposals:
        await _add_proposal(session, finding.id, text or "", actor, ANALYST, None)
    return finding.id


async def _evidence(session: AsyncSession, new: NewFinding) -> tuple[str, dict[str, Any]]:
    """The cell's path and its published figures, with the period's release."""
    province = province_by_plate(new.province)
    if province is None:
        raise FindingError(f"there is no province with plate {new.province!r}")
    if new.district and new.service:
        raise FindingError("a district's figures are published for all services only: leave "
                           "the service out, or the district")
    place = "/".join(filter(None, (province.nuts1, province.plate, new.district)))
    release = await session.get(Release, (new.survey_key, new.period))
    if release is None:
        raise FindingError(f"{new.survey_key} {new.period} has not been released: a "
                           "finding's evidence is figures as published, once a period ended")
    cell = await session.get(ReleasedCell, (new.survey_key, new.period, place, new.service))
    district = district_by_id(new.district) if new.district else None
    named = f"{district.name}, {province.name}" if district else province.name
    where = f"{new.survey_key} {new.period}, {named}, {new.service or 'all services'}"
    if cell is None or not cell.listed:
        raise FindingError(f"no cell {where} was published: nobody there answered that "
                           "period")
    if cell.hidden or cell.figures is None:
        raise FindingError(f"the cell {where} is hidden (too few answers, or hidden to "
                           "protect a smaller cell): a finding's evidence must be published "
                           "figures")
    return place, {"survey": new.survey_key, "period": new.period, "place": place,
                   "service": new.service, "min_cell": release.min_cell,
                   "released_at": _utc(release.released_at).isoformat(),
                   "figures": cell.figures}


async def add_proposal(session: AsyncSession, finding_id: int, text: str, actor: Actor,
                       source: str = ANALYST, source_ref: str | None = None) -> int | None:
    """Add a proposed solution; its id, or None when the actor finds no such finding.
    ``source`` says where it came from ("analyst", or e.g. a staff survey with
    ``source_ref`` naming the proposal there)."""
    finding = await _finding_for_update(session, finding_id, actor)
    if finding is None:
        return None
    if finding.status == CLOSED:
        raise FindingConflict(f"finding {finding_id} is closed: reopen it before adding a "
                              "proposal")
    proposal_id = await _add_proposal(session, finding_id,
                                      checked_text(text, "the proposed solution") or "",
                                      actor, source, source_ref)
    finding.updated_at = datetime.now(UTC)
    return proposal_id


async def _add_proposal(session: AsyncSession, finding_id: int, text: str, actor: Actor,
                        source: str, source_ref: str | None) -> int:
    proposal = FindingProposal(finding_id=finding_id, text=text, source=source,
                               source_ref=source_ref, added_by=_name(actor))
    session.add(proposal)
    await session.flush()
    _record(session, finding_id, actor, "proposal_added", {"proposal": (None, {
        "id": proposal.id, "text": text, "source": source, "source_ref": source_ref})})
    return proposal.id


async def change_status(session: AsyncSession, finding_id: int, change: StatusChange,
                        actor: Actor, on: date | None = None) -> bool:
    """Move a finding to another status (storage.finding_status says which moves there are
    and what each needs); False when the actor finds no such finding."""
    finding = await _finding_for_update(session, finding_id, actor)
    if finding is None:
        return False
    now = datetime.now(UTC)
    current = {"status": finding.status, "period": finding.period}
    fields = moved(current, change, on or today(), now)
    _apply(session, finding, actor, "status", fields, now)
    return True


async def mark_reported(session: AsyncSession, finding_id: int, actor: Actor) -> bool:
    """The ministry marks a finding reported to the centre (once); False when there is no
    such finding."""
    if not actor.national:
        raise FindingForbidden("only the ministry marks a finding reported to the centre")
    finding = await _finding_for_update(session, finding_id, actor)
    if finding is None:
        return False
    if finding.reported_at is not None:
        raise FindingConflict(f"finding {finding_id} was reported to the centre on "
                              f"{turkish_day(_utc(finding.reported_at))} by "
                              f"{finding.reported_by}")
    now = datetime.now(UTC)
    _apply(session, finding, actor, "reported", {"reported_at": now,
                                                 "reported_by": _name(actor)}, now)
    return True


def _apply(session: AsyncSession, finding: Finding, actor: Actor, action: str,
           fields: Mapping[str, Any], now: datetime) -> None:
    changes = {name: (getattr(finding, name), value) for name, value in fields.items()
               if getattr(finding, name) != value}
    for name, value in fields.items():
        setattr(finding, name, value)
    finding.updated_at = now
    _record(session, finding.id, actor, action, changes)


def _record(session: AsyncSession, finding_id: int, actor: Actor, action: str,
            changes: Mapping[str, tuple[Any, Any]]) -> None:
    session.add(FindingEvent(
        finding_id=finding_id, token_id=actor.token_id, actor=_name(actor), via=actor.via,
        action=action, changes={name: {"before": _json(before), "after": _json(after)}
                                for name, (before, after) in changes.items()}))


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _name(actor: Actor) -> str:
    name = checked_text(actor.name, "who acts (the name)", LONGEST_NAME, required=False)
    if name is None:
        raise FindingError("say who acts: a token's name, or --by NAME at the command line")
    return name


async def _finding_for_update(session: AsyncSession, finding_id: int,
                              actor: Actor) -> Finding | None:
    query = select(Finding).where(Finding.id == finding_id).with_for_update()
    if actor.province is not None:
        query = query.where(Finding.province == actor.province)
    return await session.scalar(query)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Proposal:
    id: int
    text: str
    source: str
    source_ref: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    via: str
    token_id: int | None
    action: str
    changes: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class FindingRecord:
    """A finding as read: its columns (``fields``, datetimes in UTC), whether it is overdue
    on the day it was read, and its proposals and history when read alone (``find``)."""

    fields: dict[str, Any]
    overdue: bool
    proposals: tuple[Proposal, ...] = ()
    history: tuple[Event, ...] = ()

    @property
    def id(self) -> int:
        return int(self.fields["id"])


async def find(session: AsyncSession, finding_id: int, province: str | None = None,
               on: date | None = None) -> FindingRecord | None:
    """One finding with its proposals and history; None if there is none (or none in
    ``province``, when the reader is limited to one)."""
    query = select(Finding).where(Finding.id == finding_id)
    if province is not None:
        query = query.where(Finding.province == province)
    row = await session.scalar(query)
    if row is None:
        return None
    proposals = await session.scalars(select(FindingProposal).where(
        FindingProposal.finding_id == finding_id).order_by(FindingProposal.id))
    events = await session.scalars(select(FindingEvent).where(
        FindingEvent.finding_id == finding_id).order_by(FindingEvent.id))
    return FindingRecord(
        _fields(row), _overdue(row, on or today()),
        tuple(Proposal(p.id, p.text, p.source, p.source_ref, p.added_by, _utc(p.added_at))
              for p in proposals),
        tuple(Event(_utc(e.at), e.actor, e.via, e.token_id, e.action, e.changes)
              for e in events))


async def list_findings(session: AsyncSession, filters: Filters, on: date | None = None,
                        offset: int = 0, limit: int | None = None
                        ) -> tuple[int, list[FindingRecord]]:
    """How many findings match, and those from ``offset`` on (at most ``limit``), the most
    recent first."""
    day = on or today()
    where = _where(filters, day)
    if filters.due == "reevaluation":
        where.append(await _re_evaluation_due(session))
    total = await session.scalar(select(func.count()).select_from(Finding).where(*where))
    rows = await session.scalars(select(Finding).where(*where).order_by(Finding.id.desc())
                                 .offset(offset).limit(limit))
    return total or 0, [FindingRecord(_fields(row), _overdue(row, day)) for row in rows]


def _where(filters: Filters, day: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.province is not None:
        where.append(Finding.province == filters.province)
    if filters.service is not None:
        where.append(Finding.service == filters.service)
    if filters.status is not None:
        where.append(Finding.status == filters.status)
    if filters.overdue is not None:
        late = (Finding.due_date < day) & (Finding.status != CLOSED)
        where.append(late if filters.overdue else ~late)
    if filters.reported is not None:
        where.append(Finding.reported_at.isnot(None) if filters.reported
                     else Finding.reported_at.is_(None))
    return where


async def _re_evaluation_due(session: AsyncSession) -> Any:
    """Action taken before the start of the survey's latest released period: the period the
    action was taken in has ended and a whole period after it has been released."""
    due = [and_(Finding.survey_key == survey,
                Finding.action_date < periods.start_of(latest).date())
           for survey, latest in (await latest_releases(session)).items()]
    return (Finding.status == ACTION_TAKEN) & (or_(*due) if due else false())


def _overdue(row: Finding, day: date) -> bool:
    return row.due_date < day and row.status != CLOSED


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite's are naive


def _fields(row: Finding) -> dict[str, Any]:
    return {column.key: _utc(value) if isinstance(value, datetime) else value
            for column in Finding.__table__.columns
            for value in [getattr(row, column.key)]}



async def withdraw_staff_words(session: AsyncSession, texts: Sequence[str]) -> int:
    """A staff member who erases their answers (/sil) takes back their words from every
    finding they were attached to, history included (the proposal stays, as withdrawn): the
    text was theirs, scrubbed but not anonymous in every case. How many were withdrawn."""
    if not texts:
        return 0
    proposals = list(await session.scalars(select(FindingProposal).where(
        FindingProposal.source == STAFF, FindingProposal.text.in_(list(set(texts))))))
    for proposal in proposals:
        proposal.text = WITHDRAWN
        events = await session.scalars(select(FindingEvent).where(
            FindingEvent.finding_id == proposal.finding_id,
            FindingEvent.action == "proposal_added"))
        for event in events:
            added = (event.changes.get("proposal") or {}).get("after") or {}
            if added.get("id") == proposal.id:
                event.changes = {**event.changes, "proposal": {
                    "before": None, "after": {**added, "text": WITHDRAWN}}}
    return len(proposals)
