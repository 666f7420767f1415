"""Turkish phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SEP = r"[ .\-]?"  # one optional separator between digit groups
# The 7 subscriber digits: 123 45 67, 123 4567, 1234567 (any single separators).
_SUBSCRIBER = rf"[0-9]{{3}}{_SEP}(?:[0-9]{{2}}{_SEP}[0-9]{{2}}|[0-9]{{4}})"
# GSM operators use 50x-56x; 57x-59x are unassigned, and leaving them out spares some
# reference numbers. Landline area codes are 2xx-4xx; 444 is the call-centre prefix.
_MOBILE = r"5[0-6][0-9]"
_AREA = rf"(?:{_MOBILE}|(?!444)[2-4][0-9]{{2}})"
# +90, 0090, 90, optionally followed by a trunk 0 or "(0)"; or just the trunk 0.
_LEAD = rf"(?:(?:\+[ ]?|00[ ]?)?90{_SEP}(?:\(0\){_SEP}|0{_SEP})?|0{_SEP})"

_PHONE_RE = re.compile(
    rf"""
    (?<![0-9])
    (?:
        {_LEAD}?\([ ]?0?[ ]?{_AREA}[ ]?\)   # (0532) ..., (0212) ..., +90 (212) ...
      | {_LEAD}{_AREA}                      # 0532 ..., 0 212 ..., +90 212 ..., +90532...
      | {_MOBILE}                           # 532 123 45 67: only a mobile goes without prefix
    )
    {_SEP}{_SUBSCRIBER}
    (?![0-9])
    """,
    re.VERBOSE,
)


def phones(view: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers in the working copy."""
    for match in _PHONE_RE.finditer(view):
        yield match.span()
