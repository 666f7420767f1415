"""Passport numbers.

Turkish passports carry one letter and 8 digits ("U12345678"); that shape is specific enough
to be masked anywhere, with a space or a dash after an upper-case letter ("U 12345678") or
glued to a lower-case one ("u12345678"). After a cue ("pasaport no:", "Pasaport numaram",
"passport number", "رقم جواز السفر") any code of 6-12 letters and digits with at least 5 digits
is taken: foreign passports, which refugees and residents hold, have other shapes
("N012345678", "123456789"). The cue itself stays, as a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TURKISH_RE = re.compile(r"(?<!\w)(?:[A-Z][ \-]?|[a-z])[0-9]{8}(?![0-9])")
_CUED_RE = re.compile(
    r"""
    (?<!\w)
    (?:pasaport\w{0,6}|passport|(?:رقم[ ]+)?جواز[ ]+(?:ال)?سفر\w{0,2})
    (?:[ ]+(?:no|nr|num|numara\w{0,3}|number|رقم))?
    [ \t]{0,3}[:.\#\-]?[ \t]{0,3}
    (?P<number>[A-Za-z0-9]{6,12})
    (?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def passports(view: str) -> Iterator[tuple[int, int]]:
    """Spans of passport numbers in the working copy."""
    for match in _TURKISH_RE.finditer(view):
        yield match.span()
    for match in _CUED_RE.finditer(view):
        number = match.group("number")
        if sum(char.isdigit() for char in number) >= 5:
            yield match.span("number")
