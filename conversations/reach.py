"""What a muhtar is told about their link: how many people it reached, in all and by month.

Counts only, and coarse: below REACH_MINIMUM "fewer than 10", above it rounded down to a
multiple of 5, so that one more person opening or answering does not show. No scores, no
comments, no split by service or answer: a count of one in a small mahalle must never tell
anyone what a neighbour answered, or that they just did.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from conversations.i18n import Texts
from conversations.links import LinkReach
from conversations.places import district_by_id, province_by_plate

MONTHS_SHOWN = 6
REACH_MINIMUM = 10  # the same for the muhtar, the admin API and the dashboard


def coarse_count(count: int) -> int | None:
    """A reach count as shown: None (fewer than REACH_MINIMUM), else rounded down to a
    multiple of 5."""
    return None if count < REACH_MINIMUM else count - count % 5


class Placed(Protocol):
    @property
    def province(self) -> str: ...
    @property
    def district(self) -> str | None: ...
    @property
    def mahalle(self) -> str | None: ...


def place_line(place: Placed) -> str:
    """"Caferağa, Kadıköy, İstanbul": a link's place as people name it."""
    province = province_by_plate(place.province)
    district = district_by_id(place.district) if place.district else None
    parts = [place.mahalle, district.name if district else None,
             province.name if province else place.province]
    return ", ".join(p for p in parts if p)


def reach_text(t: Texts, reach: LinkReach) -> str:
    def shown(count: int) -> str:
        coarse = coarse_count(count)
        if coarse is None:
            return t._("fewer than {count}").format(count=t.number(REACH_MINIMUM))
        return t.number(coarse)

    lines = [
        t._("Reach of your link: {label}").format(label=t.isolate(reach.label)),
        t.isolate(place_line(reach)),
        "",
        t._("Opened the link: {count}").format(count=shown(reach.opened)),
        t._("Agreed to take part: {count}").format(count=shown(reach.consented)),
        t._("Completed the survey: {count}").format(count=shown(reach.completed)),
    ]
    opened, completed = coarse_count(reach.opened), coarse_count(reach.completed)
    if opened and completed is not None:  # from the coarse counts: exact ones would show
        lines.append(t._("Completion rate: {rate}").format(
            rate=t.isolate(t.percent(completed / opened))))
    months = _by_month(reach)[-MONTHS_SHOWN:]
    if months:
        lines += ["", t._("By month (opened / agreed / completed):")]
        lines += [
            t._("{month}: {opened} / {consented} / {completed}").format(
                month=t.isolate(t.month(first)), opened=shown(opened),
                consented=shown(consented), completed=shown(completed))
            for first, opened, consented, completed in reversed(months)
        ]
    else:
        lines += ["", t._("Nobody has opened the link yet.")]
    lines += ["", t._("Only counts are shown: nobody, you included, can see what a person "
                      "answered.")]
    return "\n".join(lines)


def _by_month(reach: LinkReach) -> list[tuple[date, int, int, int]]:
    """The weeks summed by the month their Monday falls in."""
    months: dict[date, list[int]] = {}
    for week in reach.weeks:
        sums = months.setdefault(week.week.replace(day=1), [0, 0, 0])
        sums[0] += week.opened
        sums[1] += week.consented
        sums[2] += week.completed
    return [(first, opened, consented, completed)
            for first, (opened, consented, completed) in sorted(months.items())]
