"""TC Kimlik numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator


def is_valid_tckn(digits: str) -> bool:
    """True if `digits` is exactly 11 ASCII digits forming a TC Kimlik number.

    d1 is not 0, d10 = (7*(d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, d11 = (d1+...+d10) mod 10.
    Spaces or other characters make it False: strip them first.
    """
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or digits[0] == "0":
        return False
    d = [int(c) for c in digits]
    if (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10 != d[9]:
        return False
    return sum(d[:10]) % 10 == d[10]


_TCKN_RE = re.compile(r"(?<![0-9])[1-9][0-9]{10}(?![0-9])")
# "172 917 160 60": refused when another digit group touches it on either side, since then it
# is a piece of a longer spaced number (a phone, an account ...), not an identity number.
_TCKN_GROUPED_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ ])[1-9][0-9]{2}[ ][0-9]{3}[ ][0-9]{3}[ ][0-9]{2}(?![0-9])(?![ ][0-9])"
)


def tckns(view: str) -> Iterator[tuple[int, int]]:
    """Spans of TC Kimlik numbers in the working copy."""
    for pattern in (_TCKN_RE, _TCKN_GROUPED_RE):
        for match in pattern.finditer(view):
            # The check digits are what makes 11 digits an identity number: without them any
            # order or reference number would be masked.
            if is_valid_tckn(match.group().replace(" ", "")):
                yield match.span()
