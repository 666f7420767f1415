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

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
    view, positions = _normalise(text)
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


# --------------------------------------------------------------------------- normalisation


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """A working copy of `text` for matching, and where each of its characters came from.

    None instead of the position list means the copy is the text itself (pure ASCII, the
    common case, costs nothing). Invisible characters are dropped so that they cannot split
    a number; other characters are replaced one for one, so positions stay mappable.
    """
    if text.isascii():
        return text, None
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        if not char.isascii():
            category = unicodedata.category(char)
            if category == "Cf":  # zero-width space/joiner, bidi marks, soft hyphen, BOM
                continue
            char = _unicode_stand_in(char, category)
        chars.append(char)
        positions.append(index)
    return "".join(chars), positions


def _unicode_stand_in(char: str, category: str) -> str:
    """The ASCII character the patterns should see for a non-ASCII one, or the char itself."""
    if category == "Nd":  # Arabic-Indic, full-width ... digits: a number is a number
        return str(unicodedata.decimal(char))
    if category == "Zs":  # no-break and thin spaces are common between digit groups
        return " "
    if category == "Pd":  # en dash, figure dash ... between digit groups
        return "-"
    return char


# --------------------------------------------------------------------------- e-mail

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


def _emails(view: str) -> Iterator[tuple[int, int]]:
    for match in _EMAIL_RE.finditer(view):
        yield match.span()


# --------------------------------------------------------------------------- IBAN

# TR, 2 check digits, then 22 digits: compact, or in the printed groups of four
# ("TR33 0006 1005 1978 6457 8413 26"). Spaces only where the groups end, so that a run of
# spaced single digits after "TR" is not taken for an IBAN; fixed counts, no backtracking.
_IBAN_RE = re.compile(r"(?<!\w)[Tt][Rr][ ]?[0-9]{2}(?:[ ]?[0-9]{4}){5}[ ]?[0-9]{2}(?![0-9])")


def _ibans(view: str) -> Iterator[tuple[int, int]]:
    for match in _IBAN_RE.finditer(view):
        yield match.span()


# --------------------------------------------------------------------------- TC Kimlik

_TCKN_RE = re.compile(r"(?<![0-9])[1-9][0-9]{10}(?![0-9])")
# "172 917 160 60": refused when another digit group touches it on either side, since then it
# is a piece of a longer spaced number (a phone, an account ...), not an identity number.
_TCKN_GROUPED_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ ])[1-9][0-9]{2}[ ][0-9]{3}[ ][0-9]{3}[ ][0-9]{2}(?![0-9])(?![ ][0-9])"
)


def _tckns(view: str) -> Iterator[tuple[int, int]]:
    for pattern in (_TCKN_RE, _TCKN_GROUPED_RE):
        for match in pattern.finditer(view):
            # The check digits are what makes 11 digits an identity number: without them any
            # order or reference number would be masked.
            if is_valid_tckn(match.group().replace(" ", "")):
                yield match.span()


# --------------------------------------------------------------------------- phone

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


def _phones(view: str) -> Iterator[tuple[int, int]]:
    for match in _PHONE_RE.finditer(view):
        yield match.span()


# --------------------------------------------------------------------------- plate

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


def _plates(view: str) -> Iterator[tuple[int, int]]:
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


# Most specific first: see find_personal_data.
_DETECTORS: tuple[tuple[str, Callable[[str], Iterator[tuple[int, int]]]], ...] = (
    (EPOSTA, _emails),
    (IBAN, _ibans),
    (TCKN, _tckns),
    (TEL, _phones),
    (PLAKA, _plates),
)
