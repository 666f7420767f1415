"""Calendar periods in which figures are published: a month ("2026-11"), a quarter
("2026-Q4") or a year ("2026"), in UTC like the responses' completion times.

Figures exist only for whole periods of one kind, the deployment's (IZDES_PERIOD), and only
once a period has ended: a period still running changes with every completion, and two
readings of it a minute apart would show one person's answer. One kind, not several: a quarter
is the sum of its months, so publishing both would make every small month the difference of
its quarter and the other two (docs/statistics.md has the figures).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

KINDS = ("month", "quarter", "year")
_YEAR = r"(20[0-9][0-9])"  # ASCII digits, a year this system can have answers in
_PATTERNS = {
    "month": re.compile(rf"^{_YEAR}-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(rf"^{_YEAR}-Q([1-4])$"),
    "year": re.compile(rf"^{_YEAR}$"),
}


class BadPeriod(ValueError):
    """A period that is not a month, quarter or year as published."""


def kind_of(period: str) -> str:
    for kind, pattern in _PATTERNS.items():
        if pattern.fullmatch(period):
            return kind
    raise BadPeriod(f"period {period!r} is not a month (2026-11), a quarter (2026-Q4) "
                    "or a year (2026) between 2000 and 2099")


def parse(period: str, kind: str) -> str:
    """The period as published, or BadPeriod with a sentence a caller can act on."""
    period = period.strip().upper()
    if kind_of(period) != kind:
        example = {"month": "2026-11", "quarter": "2026-Q4", "year": "2026"}[kind]
        raise BadPeriod(f"figures are published by {kind}: period={example}, for example")
    return period


def _months(period: str) -> tuple[int, int, int]:
    """(year, first month, number of months) of a period."""
    kind = kind_of(period)
    year = int(period[:4])
    if kind == "month":
        return year, int(period[5:]), 1
    if kind == "quarter":
        return year, 3 * int(period[6:]) - 2, 3
    return year, 1, 12


def start_of(period: str) -> datetime:
    year, month, _ = _months(period)
    return datetime(year, month, 1, tzinfo=UTC)


def end_of(period: str) -> datetime:
    """The first instant after the period."""
    year, month, count = _months(period)
    month += count
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def month_of(moment: datetime) -> str:
    """The month of a moment in UTC; a moment without a time zone is UTC (as SQLite returns
    what was stored in UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m")


def containing(month: str, kind: str) -> str:
    """The period of ``kind`` that holds a month."""
    year, number = month[:4], int(month[5:7])
    if kind == "month":
        return month
    if kind == "quarter":
        return f"{year}-Q{(number - 1) // 3 + 1}"
    return year


def previous(period: str) -> str:
    """The period of the same kind just before."""
    kind = kind_of(period)
    before = start_of(period).replace(day=1)
    month = before.month - 1 or 12
    year = before.year - (before.month == 1)
    return containing(f"{year}-{month:02d}", kind)


AGAINST = ("previous", "year")
"""What a period is compared with: the period just before, or the same one a year earlier."""


def year_before(period: str) -> str:
    """The same month, quarter or year a year earlier."""
    return f"{int(period[:4]) - 1}{period[4:]}"


def compared_with(period: str, against: str) -> str:
    """The period ``period`` is compared with (``against``: one of AGAINST)."""
    if against not in AGAINST:
        raise ValueError(f"against takes {' or '.join(AGAINST)}, not {against!r}")
    return previous(period) if against == "previous" else year_before(period)


def ended(period: str, now: datetime) -> bool:
    return end_of(period) <= now


def due(first_month: str, now: datetime, kind: str) -> list[str]:
    """Every period of ``kind`` that has ended, from the one holding ``first_month`` on, in
    order."""
    order: list[str] = []
    period = containing(first_month, kind)
    while ended(period, now):
        order.append(period)
        period = containing(end_of(period).strftime("%Y-%m"), kind)
    return order


def trailing(period: str, count: int) -> list[str]:
    """``count`` periods of its kind ending with ``period``, oldest first."""
    found = [period]
    while len(found) < count:
        found.append(previous(found[-1]))
    return found[::-1]


def latest(now: datetime, kind: str, count: int) -> list[str]:
    """The last ``count`` periods of ``kind`` that have ended by ``now``, oldest first."""
    return trailing(previous(containing(month_of(now), kind)), count)
