"""What a muhtar is told about their link: how many people it reached, by week.

Counts only. No scores, no comments, no split by service or answer: a count of one in a
small mahalle must never tell anyone what a neighbour answered.
"""

from __future__ import annotations

from typing import Protocol

from conversations.i18n import Texts
from conversations.links import LinkReach
from conversations.places import district_by_id, province_by_plate

WEEKS_SHOWN = 8


class Placed(Protocol):
    province: str
    district: str | None
    mahalle: str | None


def place_line(place: Placed) -> str:
    """"Caferağa, Kadıköy, İstanbul": a link's place as people name it."""
    province = province_by_plate(place.province)
    district = district_by_id(place.district) if place.district else None
    parts = [place.mahalle, district.name if district else None,
             province.name if province else place.province]
    return ", ".join(p for p in parts if p)


def reach_text(t: Texts, reach: LinkReach) -> str:
    lines = [
        t._("Reach of your link: {label}").format(label=t.isolate(reach.label)),
        t.isolate(place_line(reach)),
        "",
        t._("Opened the link: {count}").format(count=t.number(reach.opened)),
        t._("Agreed to take part: {count}").format(count=t.number(reach.consented)),
        t._("Completed the survey: {count}").format(count=t.number(reach.completed)),
    ]
    if reach.completion_rate is not None:
        lines.append(t._("Completion rate: {rate}").format(
            rate=t.isolate(t.percent(reach.completion_rate))))
    recent = reach.weeks[-WEEKS_SHOWN:]
    if recent:
        lines += ["", t._("By week (opened / agreed / completed):")]
        lines += [
            t._("Week of {date}: {opened} / {consented} / {completed}").format(
                date=t.isolate(t.date(week.week)), opened=t.number(week.opened),
                consented=t.number(week.consented), completed=t.number(week.completed))
            for week in reversed(recent)
        ]
    else:
        lines += ["", t._("Nobody has opened the link yet.")]
    lines += ["", t._("Only counts are shown. Answers are anonymous: nobody can see what "
                      "a person answered.")]
    return "\n".join(lines)
