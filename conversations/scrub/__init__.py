"""Scrubbing of personal data from citizens' free-text comments before they are stored.

KVKK (Law 6698) lets us keep the opinion, not the person: a comment is passed through `scrub()`
before it reaches the database, and what it recognises is replaced by a placeholder.

Long numbers are read however the citizen grouped the digits (digit_groups): one to three
spaces or line breaks, or one of . - _ / (with spaces around it or not) between groups of any
length, down to digits typed one by one. A number is read off a whole *chain* of groups joined
by one kind of separator, never off a piece of one: "5 172 917 160 60" is 12 digits, not an
identity number, while "123.456.789.50 - 2 gündür" ends the chain at " - ".

    [TCKN]    TC Kimlik numbers: 11 digits, first digit not 0, both check digits right:
              "12345678950", "123.456.789.50", "1234 5678 950", "1 2 3 4 5 6 7 8 9 5 0". A "TC"
              or "T.C." glued to the number ("TC12345678950") is masked with it; one set apart
              ("TC 123 456 78950", "TC: ...") is a label and stays, like "Kimlik no". A number
              whose check digits are wrong stays, and so does one with a currency after it.
    [TEL]     Turkish phone numbers: mobiles (5[0-6]x) with or without 0 / +90 / 0090 / 90,
              landlines (area codes 2xx-4xx) only with a trunk 0, a country code or the area
              code in parentheses - "212 123 45 67" alone is too much like any 10-digit number.
              The 7 subscriber digits may be grouped any way with one kind of separator
              ("123 45 67", "12 34 567", "1 2 3 4 5 6 7"); a whole chain spelling a phone
              number ("0 5 3 2 1 2 3 4 5 6 7") counts too. Short service numbers (112, 155,
              156, 110, 122, 182, 183 ...), 444 call-centre numbers ("444 1 444") and
              0850/0800/0900 numbers are left alone: they belong to institutions and firms,
              and citizens name them in their feedback.
    [VKN]     vergi kimlik numbers: 10 digits whose check digit is right (GİB's algorithm, see
              identity.is_valid_vkn), in any grouping. One number in ten passes that check by
              chance, so the words just before decide too: after "vergi", "VKN" or "tax" a
              valid number is masked; after "sipariş", "fatura", "takip", "başvuru" ... (an
              order, invoice, tracking or application number) it stays; with neither it is
              masked. Numbers grouped by thousands ("1.234.567.890") or next to a currency
              are amounts and stay.
    [EPOSTA]  e-mail addresses: local part of up to 64 word characters or ".%+-" (Turkish
              letters included, they cost nothing), a domain of 1-8 labels and a letter-only TLD;
              and disguised ones (email): "ali [at] gmail.com", "ali(at)gmail(dot)com",
              "ali @ gmail . com", "ali%40gmail.com", full-width "＠" and "．", "ali at gmail
              dot com". A disguised address needs a well-known TLD; the bare word " at " needs
              more still (a digit or "._+-" in the local part, a disguised dot, or a webmail
              domain), so "Look at turkiye.gov.tr" stays.
    [IBAN]    "TR" (any case, "T R" too) followed by 24 digits, grouped any way with one kind
              of separator ("TR33 0006 1005 1978 6457 8413 26", "TR33-0006-...", "TR 330 006
              100 ..."), or 24 digits right after the word "IBAN". The mod-97 check is NOT
              verified: a mistyped IBAN still points at a person's account, and "TR" + 24
              digits is specific enough on its own.
    [PLAKA]   vehicle plates (plates): province 01-81, 1-3 letters from the plate alphabet (A-Z
              without Q, W, X and without Turkish letters), then digits, in any case, with
              spaces, line breaks, "-", "_" or "/" between the parts or none: "34 ABC 123",
              "34 abc 123", "34_ABC_123". So "34 yaşındayım" and "06 Mayıs" stay. One letter
              needs 4-5 digits ("06 A 1234", as on real plates; this keeps "10 A 25" - a class
              and a count - out), 2-3 letters need 2-4 digits. Units and currencies (TL, KM,
              DK, ...) are never plate letters, so "50 TL 100 TL" stays; nor are short
              lower-case words that sit between numbers ("12 ay 36 taksit", "34 ve 56").
    [PASAPORT] passport numbers (passports): one letter and 8 digits, the Turkish shape
              ("U12345678", "U 12345678"), anywhere; after "pasaport no", "passport number",
              "رقم جواز السفر" ... any code of 6-12 letters and digits with 5 digits or more.
    [DOĞUM TARİHİ] dates of birth (births): a date - numeric, written out ("12 Mayıs 1985",
              "May 12, 1985") or a year alone - after a cue ("doğum tarihim", "d.t.",
              "doğumlu", "born", "date of birth", "DOB", "تاريخ الميلاد", "مواليد") or before one
              ("1985 doğumluyum", "1985 yılında doğdum"). The cue stays; other dates stay too,
              because citizens say when things happened.

Numbers that are not personal stay as they are: years, amounts, times, dates, counts, other
10-digit numbers (a mobile without prefix must start with 50-56; a landline needs a prefix; a
tax number needs its check digit and no reference-number label).

Hostile input: every pattern is anchored on a look-behind that admits a start only at the
beginning of a token, and every repetition is bounded or unambiguous, so matching is linear
in the length of the text (no catastrophic backtracking). Before matching, invisible format
characters (zero-width spaces and joiners, bidi marks, soft hyphens) are dropped from a working
copy, other Unicode digits (Arabic-Indic, full-width) are read as ASCII digits, Unicode spaces
and dashes as " " and "-", other characters in their NFKC form ("＠" as "@"): so
"0532<zero-width space>123 45 67" or a phone number in Arabic-Indic digits is still found.
Positions are mapped back to the original text, and only the found spans are replaced:
everything else, NUL bytes and emoji included, is returned untouched.

Standard library only: this module is imported by the conversation layer and by tools, it must
not pull in telegram, aiohttp or sqlalchemy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from conversations.scrub.births import births
from conversations.scrub.email import emails
from conversations.scrub.iban import ibans
from conversations.scrub.identity import is_valid_tckn, is_valid_vkn, tckns, vkns
from conversations.scrub.passports import passports
from conversations.scrub.phones import phones
from conversations.scrub.plates import plates
from conversations.scrub.working_copy import working_copy

__all__ = ["Finding", "find_personal_data", "is_valid_tckn", "is_valid_vkn", "scrub"]

TCKN = "TCKN"
TEL = "TEL"
EPOSTA = "EPOSTA"
IBAN = "IBAN"
PLAKA = "PLAKA"
VKN = "VKN"
PASAPORT = "PASAPORT"
DOGUM_TARIHI = "DOĞUM TARİHİ"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and its span [start, end) in the original text."""

    kind: str  # "TCKN" | "TEL" | "VKN" | "EPOSTA" | "IBAN" | "PLAKA"
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
    (VKN, vkns),
    (PASAPORT, passports),
    (DOGUM_TARIHI, births),
    (PLAKA, plates),
)
