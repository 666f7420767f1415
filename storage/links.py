"""Muhtars' links in the database: creating and finding them, and counting whom they reach."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.links import (
    COUNTED,
    LinkPlace,
    LinkReach,
    NewLink,
    WeekCounts,
    turkish_day,
    week_of,
)
from storage.models import Link, LinkWeek
from storage.statements import as_utc, rowcount, upsert


@dataclass(frozen=True)
class LinkSummary:
    """A link as an administrator lists it (never the stats code: only its digest is kept)."""

    id: int
    payload: str
    label: str
    province: str
    district: str | None
    mahalle: str | None
    service: str | None
    survey_key: str | None
    valid_until: date | None
    created_at: datetime
    disabled_at: datetime | None
    opened: int
    consented: int
    completed: int


async def create_link(session: AsyncSession, new: NewLink) -> int:
    row = Link(**new.__dict__)
    session.add(row)
    await session.flush()
    return row.id


async def find_valid_link(session: AsyncSession, payload: str, at: datetime) -> LinkPlace | None:
    """The link with this payload, if it is enabled and not past its last day."""
    row = await session.scalar(select(Link).where(Link.payload == payload))
    if row is None or row.disabled_at is not None:
        return None
    if row.valid_until is not None and turkish_day(at) > row.valid_until:
        return None
    return place_of(row)


async def link_place(session: AsyncSession, link_id: int) -> LinkPlace | None:
    row = await session.get(Link, link_id)
    return place_of(row) if row else None


def place_of(row: Link) -> LinkPlace:
    return LinkPlace(id=row.id, province=row.province, district=row.district,
                     mahalle=row.mahalle, service=row.service, survey_key=row.survey_key,
                     label=row.label)


async def count_reach(session: AsyncSession, link_id: int, counted: str, at: datetime) -> None:
    """Add one to this week's count of people who opened, consented or completed."""
    if counted not in COUNTED:
        raise ValueError(f"cannot count {counted!r}")
    values = {"link_id": link_id, "week": week_of(at),
              **{c: int(c == counted) for c in COUNTED}}
    column = getattr(LinkWeek, counted)
    await session.execute(upsert(session, LinkWeek, values, ["link_id", "week"],
                                 {counted: column + 1}))


async def reach_by_digest(session: AsyncSession, stats_digest: str) -> LinkReach | None:
    row = await session.scalar(select(Link).where(Link.stats_digest == stats_digest))
    return await _reach(session, row) if row else None


async def reach_of_link(session: AsyncSession, link_id: int) -> LinkReach | None:
    row = await session.get(Link, link_id)
    return await _reach(session, row) if row else None


async def _reach(session: AsyncSession, row: Link) -> LinkReach:
    weeks = (await session.execute(
        select(LinkWeek.week, LinkWeek.opened, LinkWeek.consented, LinkWeek.completed)
        .where(LinkWeek.link_id == row.id).order_by(LinkWeek.week)
    )).all()
    return LinkReach(label=row.label, province=row.province, district=row.district,
                     mahalle=row.mahalle, weeks=tuple(WeekCounts(*w) for w in weeks),
                     survey_key=row.survey_key)


async def list_links(session: AsyncSession, province: str | None = None,
                     include_disabled: bool = True) -> list[LinkSummary]:
    totals = (
        select(LinkWeek.link_id,
               func.sum(LinkWeek.opened).label("opened"),
               func.sum(LinkWeek.consented).label("consented"),
               func.sum(LinkWeek.completed).label("completed"))
        .group_by(LinkWeek.link_id).subquery()
    )
    query = (
        select(Link, totals.c.opened, totals.c.consented, totals.c.completed)
        .outerjoin(totals, totals.c.link_id == Link.id).order_by(Link.id)
    )
    if province:
        query = query.where(Link.province == province)
    if not include_disabled:
        query = query.where(Link.disabled_at.is_(None))
    rows = (await session.execute(query)).all()
    return [
        LinkSummary(
            id=link.id, payload=link.payload, label=link.label, province=link.province,
            district=link.district, mahalle=link.mahalle, service=link.service,
            survey_key=link.survey_key, valid_until=link.valid_until,
            created_at=as_utc(link.created_at), disabled_at=as_utc(link.disabled_at),
            opened=int(opened or 0), consented=int(consented or 0),
            completed=int(completed or 0),
        )
        for link, opened, consented, completed in rows
    ]


async def disable_link(session: AsyncSession, link_id: int) -> bool:
    result = await session.execute(
        update(Link).where(Link.id == link_id, Link.disabled_at.is_(None))
        .values(disabled_at=datetime.now(UTC))
    )
    return bool(rowcount(result))


async def link_labels(session: AsyncSession, link_ids: list[int]) -> dict[int, Link]:
    if not link_ids:
        return {}
    rows = await session.scalars(select(Link).where(Link.id.in_(link_ids)))
    return {row.id: row for row in rows}


def unit_name(label: str | None) -> str:
    """A unit's name as the links of one unit share it: case, spacing and Turkish letters
    aside ("İSTANBUL 112", "istanbul  112" and "Istanbul 112" are one unit)."""
    decomposed = unicodedata.normalize("NFKD", (label or "").casefold().replace("ı", "i"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


async def units_of_links(session: AsyncSession, survey_key: str) -> dict[int, str]:
    """Each link of a survey (disabled ones too) with the unit it stands for: its province,
    service and name, so that a unit invited under several links counts once."""
    rows = await session.execute(select(Link.id, Link.province, Link.service, Link.label)
                                 .where(Link.survey_key == survey_key))
    return {link_id: f"{province}/{service}/{unit_name(label)}"
            for link_id, province, service, label in rows}


async def invited_unit(session: AsyncSession, survey_key: str, province: str, service: str,
                       label: str) -> int | None:
    """The link of a unit of this name (case and spacing aside) still in use, if any."""
    rows = await session.execute(
        select(Link.id, Link.label).where(Link.survey_key == survey_key,
                                          Link.province == province, Link.service == service,
                                          Link.disabled_at.is_(None)))
    return next((link_id for link_id, named in rows if unit_name(named) == unit_name(label)),
                None)
