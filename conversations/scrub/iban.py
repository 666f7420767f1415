"""Turkish IBANs."""

from __future__ import annotations

import re
from collections.abc import Iterator

# TR, 2 check digits, then 22 digits: compact, or in the printed groups of four
# ("TR33 0006 1005 1978 6457 8413 26"). Spaces only where the groups end, so that a run of
# spaced single digits after "TR" is not taken for an IBAN; fixed counts, no backtracking.
_IBAN_RE = re.compile(r"(?<!\w)[Tt][Rr][ ]?[0-9]{2}(?:[ ]?[0-9]{4}){5}[ ]?[0-9]{2}(?![0-9])")


def ibans(view: str) -> Iterator[tuple[int, int]]:
    """Spans of IBANs in the working copy."""
    for match in _IBAN_RE.finditer(view):
        yield match.span()
