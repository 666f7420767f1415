"""Scrubbing of personal data from citizens' free-text comments before they are stored.

KVKK (Law 6698) lets us keep the opinion, not the person: a comment is passed through `scrub()`
before it reaches the database, and what it recognises is replaced by a placeholder:

    [TCKN]    TC Kimlik numbers: 11 digits, first digit not 0, both check digits right.
              Also "172 917 160 60" (groups of 3-3-3-2 separated by single spaces) when the
              groups are not part of a longer run of digit groups. An 11-digit number inside a
              longer digit run is not a TCKN; a number whose check digits are wrong stays.
    [TEL]     Turkish phone numbers: mobiles (5[0-6]x) with or without 0 / +90 / 0090 / 90,
              landlines (area codes 2xx-4xx) only with a trunk 0, a country code or the area
              code in parentheses - "212 123 45 67" alone is too much like any 10-digit number.
              The 7 subscriber digits may be written 3-2-2, 3-4 or 7, separated by a space,
              "." or "-". Short service numbers (112, 155, 156, 110, 122, 182, 183 ...),
              444 call-centre numbers ("444 1 444") and 0850/0800/0900 numbers are left alone:
              they belong to institutions and firms, and citizens name them in their feedback.
    [EPOSTA]  e-mail addresses: local part of up to 64 word characters or ".%+-" (Turkish
              letters included, they cost nothing), a domain of 1-8 labels and a letter-only TLD.
    [IBAN]    "TR" (any case) followed by 24 digits, compact or with single spaces between the
              printed groups of four: "TR330006100519786457841326", "TR33 0006 1005 1978 6457
              8413 26". The mod-97 check is NOT verified: a mistyped IBAN still points at a
              person's account, and "TR" + 24 digits is specific enough on its own.
    [PLAKA]   vehicle plates: province 01-81, 1-3 letters from the plate alphabet (A-Z without
              Q, W, X and without Turkish letters), then digits. Letters must be upper-case,
              except when the whole plate is one token without separators ("34abc123"); so
              "34 yaşındayım" and "06 Mayıs" stay. One letter needs 4-5 digits ("06 A 1234",
              as on real plates; this keeps "10 A 25" - a class and a count - out), 2-3 letters
              need 2-4 digits. Letter groups that are units or currencies (TL, KM, DK, ...) are
              never plate letters, so "50 TL 100 TL" stays.

Numbers that are not personal stay as they are: years, amounts, times, dates, counts, other
10-digit numbers (a mobile without prefix must start with 50-56; a landline needs a prefix).

Hostile input: every pattern is anchored on a look-behind that admits a start only at the
beginning of a token, and every repetition is bounded or unambiguous, so matching is linear
in the length of the text (no catastrophic backtracking). Before matching, invisible format
characters (zero-width spaces and joiners, bidi marks, soft hyphens) are dropped from a working
copy, other Unicode digits (Arabic-Indic, full-width) are read as ASCII digits, and Unicode
spaces and dashes as " " and "-": so "0532<zero-width space>123 45 67" or a phone number in
Arabic-Indic digits is still found. Positions are mapped back to the original text, and only
the found spans are replaced: everything else, NUL bytes and emoji included, is returned
untouched.

Standard library only: this module is imported by the conversation layer and by tools, it must
not pull in telegram, aiohttp or sqlalchemy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from conversations.scrub.email import emails
from conversations.scrub.iban import ibans
from conversations.scrub.identity import is_valid_tckn, tckns
from conversations.scrub.phones import phones
from conversations.scrub.plates import plates
from conversations.scrub.working_copy import working_copy

__all__ = ["Finding", "find_personal_data", "is_valid_tckn", "scrub"]

TCKN = "TCKN"
TEL = "TEL"
EPOSTA = "EPOSTA"
IBAN = "IBAN"
PLAKA = "PLAKA"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and its span [start, end) in the original text."""

    kind: str  # "TCKN" | "TEL" | "EPOSTA" | "IBAN" | "PLAKA"
    start: int
    end: int


def scrub(text: str) -> str:
    """Replace personal data in free text by placeholders."""
    parts: list[str] = []
    done = 0
    for finding in find_personal_data(text):
        parts.append(text[done : finding.start])
        parts.append(f"[{finding.kind}]")
        done = finding.end
    parts.append(text[done:])
    return "".join(parts)


def find_personal_data(text: str) -> list[Finding]:
    """Personal data in `text`: non-overlapping findings in the order they appear."""
    view, positions = working_copy(text)
    chosen: list[Finding] = []
    starts: list[int] = []
    # Detectors run from the most specific to the least: an e-mail address swallows the digits
    # in it, an IBAN the phone-like groups in it, so on overlap the earlier detector wins.
    for kind, detect in _DETECTORS:
        for start, end in detect(view):
            if positions is not None:
                start, end = positions[start], positions[end - 1] + 1
            index = bisect_right(starts, start)
            if index and chosen[index - 1].end > start:
                continue
            if index < len(chosen) and chosen[index].start < end:
                continue
            chosen.insert(index, Finding(kind, start, end))
            starts.insert(index, start)
    return chosen


# Most specific first: see find_personal_data.
_DETECTORS: tuple[tuple[str, Callable[[str], Iterator[tuple[int, int]]]], ...] = (
    (EPOSTA, emails),
    (IBAN, ibans),
    (TCKN, tckns),
    (TEL, phones),
    (PLAKA, plates),
)
