"""Vehicle plates."""

from __future__ import annotations

import re
from collections.abc import Iterator

_PLATE_RE = re.compile(
    r"""
    (?<!\w)
    (?:0[1-9]|[1-7][0-9]|8[01])                     # province code 01-81
    (?:
        [ \-]?(?P<upper>[A-PR-VYZ]{1,3})[ \-]?(?P<upper_digits>[0-9]{2,5})
      | (?P<compact>[a-pr-vyzA-PR-VYZ]{1,3})(?P<compact_digits>[0-9]{2,5})  # 34abc123
    )
    (?!\w)
    """,
    re.VERBOSE,
)
# Upper-case units and currencies that follow a number in ordinary text ("50 TL 100 TL",
# "15 DK 30 SN"): never read as plate letters.
_NOT_PLATE_LETTERS = frozenset(
    {"TL", "YTL", "TRY", "USD", "EUR", "KDV", "KM", "KG", "GR", "LT", "CM", "MM", "DK", "SN", "TC"}
)


def plates(view: str) -> Iterator[tuple[int, int]]:
    """Spans of vehicle plates in the working copy."""
    for match in _PLATE_RE.finditer(view):
        letters = match.group("upper") or match.group("compact")
        digits = match.group("upper_digits") or match.group("compact_digits")
        if _plausible_plate(letters.upper(), len(digits)):
            yield match.span()


def _plausible_plate(letters: str, digit_count: int) -> bool:
    """Letter/digit counts of real plates: 99 X 9999(9), 99 XX 99(99), 99 XXX 99(99)."""
    if letters in _NOT_PLATE_LETTERS:
        return False
    if len(letters) == 1:
        return 4 <= digit_count <= 5
    return 2 <= digit_count <= 4
