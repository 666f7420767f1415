"""E-mail addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator

_EMAIL_RE = re.compile(
    r"""
    (?<![\w.%+\-])          # start only where a local part can start: linear scanning
    [\w.%+\-]{1,64}         # local part (RFC 5321 limit), bounded
    @
    (?:[\w\-]{1,63}\.){1,8} # domain labels: "." is not in the label class, no ambiguity
    [^\W\d_]{2,24}          # top-level domain: letters only
    (?![\w\-])
    """,
    re.VERBOSE,
)


def emails(view: str) -> Iterator[tuple[int, int]]:
    """Spans of e-mail addresses in the working copy."""
    for match in _EMAIL_RE.finditer(view):
        yield match.span()
