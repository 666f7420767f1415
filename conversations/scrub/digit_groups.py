"""Long numbers as citizens type them: digit groups with whatever they put between the groups.

"123.456.789.50", "1234 5678 950", "0532 1 2 3 4 5 6 7", "123_456_789_50", "102,345,678,28", a
number broken over two lines: people group digits as they like. A *run* is a stretch of digit
groups joined by separators (one to three spaces or newlines, one of . - _ / with up to two
spaces around it, or a comma with none: "1, 2, 3" is a list). Inside a run, a *chain* is a
stretch of groups joined by the same kind of separator and not extendable on either side by
that kind; a single group is a chain too.

Identifiers are read off whole chains, never off a piece of one: in "Sayılar: 5 172 917 160 60"
the spaced groups form one chain of 12 digits, which is no identity number, although its last
11 digits would pass the check. That is what keeps counts, dates and lists from being read as
identifiers; a different separator ends a chain, so "123.456.789.50 - 2 gündür" still yields
the identity number. Runs are found by one regular expression whose repetitions cannot overlap
(digits and separators are disjoint classes), and chains by one pass over the groups: linear.

One more chain is read off a run that mixes kinds of separator: the whole run, when it has
exactly the 11 digits of an identity number in groups of two digits or more, the first of three
or more ("102.345.678 28", "102 345 678-28"): a citizen who changes separator halfway is still
typing one number. A date in front ("12.05.2024 123") has a first group of two and is not read
so; the identity number's check digits decide the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

# One separator between digit groups. Bounded, and made of characters that are never digits.
SEPARATOR = r"(?:[ \t\r\n]{1,3}|[ \t]{0,2}[.\-_/][ \t\r\n]{0,2}|,)"
_RUN_RE = re.compile(rf"(?<![0-9])[0-9]+(?:{SEPARATOR}[0-9]+)*")
_GROUP_RE = re.compile(r"[0-9]+")
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Chain:
    """Digit groups joined by one kind of separator: where they are and what they say."""

    start: int
    end: int
    digits: str  # the groups' digits, separators left out
    group_lengths: tuple[int, ...]
    separator: str  # the kind of separator between the groups ("" for a single group, MIXED)


MIXED = "mixed"  # the separator kind of a whole run with more than one kind in it


def separator_kind(separator: str) -> str:
    """What makes two separators the same: "  " and "\\n" are both " ", ". " is not "."."""
    if len(separator) == 1:  # the common case, and the hostile one: no regex per separator
        return " " if separator.isspace() else separator
    kind = _WHITESPACE_RE.sub(" ", separator)
    return " " if kind.isspace() else kind


# The identifiers read off chains have 10 (VKN, a phone without prefix) to 14 digits
# ("0090 532 ..."): other chains are not even built, which keeps a run of 50,000 spaced
# digits from becoming 50,000 objects.
_FEWEST_DIGITS, _MOST_DIGITS = 10, 14


def digit_chains(view: str) -> tuple[Chain, ...]:
    """The single digit groups and the longer chains of groups in the working copy that have
    as many digits as an identifier can have."""
    return tuple(_chains(view))


def _chains(view: str) -> Iterator[Chain]:
    for run in _RUN_RE.finditer(view):
        groups = [match.span() for match in _GROUP_RE.finditer(view, *run.span())]
        for start, end in groups:
            if _FEWEST_DIGITS <= end - start <= _MOST_DIGITS:
                yield Chain(start, end, view[start:end], (end - start,), "")
        if len(groups) > 1:
            kinds = [
                separator_kind(view[before_end:after_start])
                for (_, before_end), (after_start, _) in pairwise(groups)
            ]
            yield from _chains_of_one_kind(view, groups, kinds)
            if len(set(kinds)) > 1:
                yield from _mixed_chain(view, groups)


def _chains_of_one_kind(
    view: str, groups: list[tuple[int, int]], kinds: list[str]
) -> Iterator[Chain]:
    """The maximal stretches of at least two groups joined by one kind of separator."""
    first = 0
    while first < len(kinds):
        last = first
        while last + 1 < len(kinds) and kinds[last + 1] == kinds[first]:
            last += 1
        members = groups[first : last + 2]
        if _FEWEST_DIGITS <= sum(end - start for start, end in members) <= _MOST_DIGITS:
            yield Chain(
                start=members[0][0],
                end=members[-1][1],
                digits="".join(view[start:end] for start, end in members),
                group_lengths=tuple(end - start for start, end in members),
                separator=kinds[first],
            )
        first = last + 1


_MIXED_DIGITS = 11  # only an identity number is read off a run of mixed separators


def _mixed_chain(view: str, groups: list[tuple[int, int]]) -> Iterator[Chain]:
    """The whole run, when it has the digits and the grouping of an identity number."""
    lengths = tuple(end - start for start, end in groups)
    if sum(lengths) != _MIXED_DIGITS or lengths[0] < 3 or min(lengths) < 2:
        return
    digits = "".join(view[start:end] for start, end in groups)
    yield Chain(groups[0][0], groups[-1][1], digits, lengths, MIXED)


def looks_like_thousands(chain: Chain) -> bool:
    """True for "1.234.567.890" or "1 234 567 890": an amount or a count, grouped by three."""
    lengths = chain.group_lengths
    return len(lengths) > 1 and 1 <= lengths[0] <= 3 and all(n == 3 for n in lengths[1:])


_CURRENCY_AFTER_RE = re.compile(
    r"[ \t]{0,2}(?:TL|TRY|₺|lira|USD|EUR|€|\$|dolar|euro|avro|bin|milyon|milyar)(?!\w)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE_RE = re.compile(r"(?:₺|\$|€|TL|USD|EUR)[ \t]{0,2}$")


def is_amount(view: str, chain: Chain) -> bool:
    """True when a currency or "bin/milyon" stands right before or after the number."""
    if _CURRENCY_AFTER_RE.match(view, chain.end):
        return True
    return _CURRENCY_BEFORE_RE.search(view[max(0, chain.start - 6) : chain.start]) is not None
