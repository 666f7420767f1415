"""Turkish IBANs: "TR", two check digits and 22 digits, however they are grouped.

"TR33 0006 1005 1978 6457 8413 26" as printed, compact, or with dashes, dots, underscores,
slashes, several spaces or a line break between groups of any length ("TR 330 006 100 ...").
"IBAN: 33 0006 ..." without the "TR" counts too, after the word IBAN. The mod-97 check is NOT
verified: a mistyped IBAN still points at a person's account, and 24 digits after "TR" are
specific enough on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.scrub.digit_groups import SEPARATOR, separator_kind

_IBAN_RE = re.compile(
    rf"""
    (?<!\w)
    (?:(?P<country>[Tt][ ]?[Rr]){SEPARATOR}?)?       # TR, T R, tr; then maybe a separator
    (?P<digits>[0-9](?:{SEPARATOR}?[0-9]){{23}})     # 24 digits, any grouping: bounded
    (?![0-9])
    (?:(?=(?P<more>{SEPARATOR}[0-9])))?              # a further digit group, if any
    """,
    re.VERBOSE,
)
_BETWEEN_DIGITS_RE = re.compile(r"(?<=[0-9])[^0-9]+(?=[0-9])")
_PRINTED_RE = re.compile(r"[0-9]{2}(?: [0-9]{4}){5} [0-9]{2}|[0-9]{24}")
_IBAN_CUE_RE = re.compile(r"(?<!\w)iban[\s:.#\-]{0,3}(?:no[\s:.]{0,3})?$", re.IGNORECASE)


def ibans(view: str) -> Iterator[tuple[int, int]]:
    """Spans of IBANs in the working copy."""
    for match in _IBAN_RE.finditer(view):
        if _is_iban(view, match):
            yield match.start(), match.end("digits")


def _is_iban(view: str, match: re.Match[str]) -> bool:
    if match.group("country") is None:
        before = view[max(0, match.start() - 12) : match.start()]
        if _IBAN_CUE_RE.search(before) is None:
            return False
    digits = match.group("digits")
    if _PRINTED_RE.fullmatch(digits):  # as the bank prints it: digits after it are not its own
        return True
    kinds = {separator_kind(between) for between in _BETWEEN_DIGITS_RE.findall(digits)}
    if len(kinds) > 1:
        return False
    # "TR" and a long run of spaced digits ("TR1 1 1 1 ..."): the 24 are a piece of it.
    more = match.group("more")
    return more is None or separator_kind(more[:-1]) not in kinds
