"""Phone numbers: Turkish ones in any grouping, foreign ones with their "+".

Two readings, both needed. The printed shapes ("0532 123 45 67", "(0212) 123 4567",
"+90 532 123 45 67") are matched by a pattern that tolerates digits after the number
("Tel: 0532 123 45 67 2 gündür"); the subscriber's 7 digits may be grouped any way
("12 34 567", "1 2 3 4 5 6 7") as long as one kind of separator is used between them. A whole
digit chain whose digits form a phone number ("0 5 3 2 1 2 3 4 5 6 7") is a phone number too.

Foreign numbers, which refugees and residents keep ("+963 944 123 456", "+44 7700 900123"), are
taken only with their "+": a "+", a country code other than 90 and 8 to 15 digits in all, in
groups joined by single spaces, dots or dashes. The "+" is what says "phone number": without it
such digits are any long number. ("00963 ..." is not taken: too much like a reference.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from conversations.scrub.digit_groups import (
    SEPARATOR,
    Chain,
    is_amount,
    looks_like_thousands,
    separator_kind,
)

_SEP = rf"{SEPARATOR}?"  # one optional separator between digit groups
# The 7 subscriber digits, grouped as the citizen likes: 123 45 67, 12 34 567, 1 2 3 4 5 6 7.
_SUBSCRIBER = rf"(?P<subscriber>[0-9](?:{_SEP}[0-9]){{6}})"
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
_BETWEEN_DIGITS_RE = re.compile(r"(?<=[0-9])[^0-9]+(?=[0-9])")
# E.164: at most 15 digits. Each repetition takes exactly one digit, so there is one way to
# match and no backtracking beyond 15 steps. "+90" is left to the Turkish patterns, which know
# the service numbers (+90 850 ...) that must stay.
_FOREIGN_RE = re.compile(r"(?<![\w+])\+[ ]?(?!90)[1-9](?:[ .\-]?[0-9]){7,14}(?![0-9])")

# The digits of a whole chain: a mobile with or without prefix, a landline only with one
# (as above: "212 123 45 67" alone is too much like any 10-digit number).
_PHONE_DIGITS_RE = re.compile(
    r"(?:(?:00)?90)?0?5[0-6][0-9]{8}|(?:(?:00)?900?|0)(?!444)[2-4][0-9]{9}"
)


def phones(view: str, chains: Sequence[Chain]) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers in the working copy."""
    # First, so that a Turkish-looking tail ("+1 555 123 4567") does not leave the "+1" behind.
    for match in _FOREIGN_RE.finditer(view):
        yield match.span()
    for match in _PHONE_RE.finditer(view):
        if _one_kind_of_separator(match.group("subscriber")):
            yield match.span()
    for chain in chains:
        if _is_phone_chain(view, chain):
            plus = chain.start > 0 and view[chain.start - 1] == "+"
            yield chain.start - plus, chain.end


def _is_phone_chain(view: str, chain: Chain) -> bool:
    """A spaced-out number ("0 5 3 2 1 2 3 4 5 6 7") that is not an amount ("5 321 234 567 TL")."""
    if not chain.separator or _PHONE_DIGITS_RE.fullmatch(chain.digits) is None:
        return False
    return not (looks_like_thousands(chain) or is_amount(view, chain))


def _one_kind_of_separator(digits: str) -> bool:
    """"12 34 567" yes, "2.2024 10" no: mixed separators join different numbers."""
    kinds = {separator_kind(between) for between in _BETWEEN_DIGITS_RE.findall(digits)}
    return len(kinds) <= 1
