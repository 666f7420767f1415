"""Vehicle plates: province 01-81, 1-3 letters of the plate alphabet, then digits.

The plate alphabet is A-Z without Q, W, X and without Turkish letters, so "34 yaşındayım" and
"06 Mayıs" never start a plate. One letter needs 4-5 digits ("06 A 1234", as on real plates;
this keeps "10 A 25" - a class and a count - out), 2-3 letters need 2-4 digits. Between the
parts: nothing, one to three spaces or line breaks, or one of - _ / (a "." is left out: "34.
Ve 12" is the end of a sentence). Units and currencies (TL, KM, DK ...) are never plate
letters, so "50 TL 100 TL" stays.

Lower-case letters ("34 abc 123") are plates too, except the short words that stand between
two numbers in ordinary sentences: "12 ay 36 taksit", "34 ve 56", "20 ile 30 kişi", "81 il".
In upper case those letters remain plates ("20 VE 30" is rare in a comment, "34 VE 1234" is a
plate); a readable comment is what a false positive costs, a plate what a false negative does.

Two shapes of real plates are ordinary text in any case, and stay: a day, a month abbreviation
and a year ("15 Oca 2024", "12 MAR 2024'te", "On 15 Jan 2024": Turkish and English
abbreviations followed by 1900-2099), and a count ("06 EYT 45 kişi": digits followed by a
word that counts them, "kişi", "gün", "people" ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BETWEEN = r"(?:[ \t\r\n]{1,3}|[ \t]{0,2}[\-_/][ \t]{0,2})?"
_PLATE_RE = re.compile(
    rf"""
    (?<!\w)
    (?:0[1-9]|[1-7][0-9]|8[01])                     # province code 01-81
    {_BETWEEN}(?P<letters>[a-pr-vyzA-PR-VYZ]{{1,3}}){_BETWEEN}(?P<digits>[0-9]{{2,5}})
    (?!\w)
    # A word that counts the digits (inline flag: with IGNORECASE on the whole pattern, [a-z]
    # would also match the Turkish "ı" and "İ").
    (?P<counted>[ \t]{{1,3}}(?i:kişi|kisi|gün|gun|saat|dakika|yaş|yas|yıl|yil|hafta|tane|adet
        |kez|defa|kere|people|persons|days|hours|minutes|years|times)(?!\w))?
    """,
    re.VERBOSE,
)
# Units and currencies that follow a number in ordinary text ("50 TL 100 TL", "15 dk 30 sn"),
# in any case: never plate letters.
_UNITS = frozenset(
    "tl ytl try usd eur kdv km kg gr lt cm mm dk sn tc ml mg mt sa kb mb gb tb kw hp cc".split()
)
# Lower-case words that sit between two numbers in Turkish and English sentences.
_WORDS = frozenset(
    "ve ile ya de da ki ay il bin kez kat yer var yok bir iki on en az ne bu her hem ama "
    "den dan ten tan nci no nr an and or of to in on at by for per the vs pm am min "
    "m g l h s".split()  # metre, gram, litre, hour, second
)


# Month abbreviations that are plate letters: "15 Oca 2024" is a date, in any case.
# (Şub and Ağu have Turkish letters, which no plate has.)
_MONTHS = frozenset(
    "oca mar nis may haz tem eyl eki kas ara jan feb apr jun jul aug sep oct nov dec".split()
)
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def plates(view: str) -> Iterator[tuple[int, int]]:
    """Spans of vehicle plates in the working copy."""
    for match in _PLATE_RE.finditer(view):
        letters, digits = match.group("letters"), match.group("digits")
        if match.group("counted") is not None:
            continue  # "06 EYT 45 kişi": forty-five people
        if letters.lower() in _MONTHS and _YEAR_RE.fullmatch(digits):
            continue  # "15 Oca 2024": a date
        if _plausible_plate(letters, len(digits)):
            yield match.start(), match.end("digits")


def _plausible_plate(letters: str, digit_count: int) -> bool:
    """Letter/digit counts of real plates: 99 X 9999(9), 99 XX 99(99), 99 XXX 99(99)."""
    lower = letters.lower()
    if lower in _UNITS or (not letters.isupper() and lower in _WORDS):
        return False
    if len(letters) == 1:
        return 4 <= digit_count <= 5
    return 2 <= digit_count <= 4
