"""Dates of birth.

Citizens write dates all the time - when they went, when the office was closed - and those
stay. A date is a date of birth only when the words say so: after a cue ("doğum tarihim",
"d.t.", "doğumlu", "born", "date of birth", "DOB", "تاريخ الميلاد", "مواليد", "ولد في") or
before one, with at most two words between ("1985 doğumluyum", "12.05.1985 doğumlu", "1985
yılında doğdum", "Oğlum 12.05.2015 tarihinde doğdu", "Kızım 2019'da Gaziantep'te doğdu"): a
relative's date of birth is as personal as the citizen's. Dates are numeric (12.05.1985,
12/05/85, 1985-05-12), written out (12 Mayıs 1985, May 12, 1985, ١٢ أيار ١٩٨٥) or a year
alone (1985). Two short forms count too: a two-digit year before "doğumlu" ("85 doğumluyum")
and a year with "'liyim" ("1985'liyim", "70'liyim": "I am of '70"). Only the date is masked;
the cue stays, so the comment still reads. "1990'lı yıllarda" (the nineties) stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_MONTH_NAMES = (
    "ocak şubat subat mart nisan mayıs mayis haziran temmuz ağustos agustos eylül eylul ekim "
    "kasım kasim aralık aralik "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر "
    "ديسمبر كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين"
).split()
# Longest first, so that "mart" is not read as "mar" and "march" not as "mar" + "ch".
_MONTH = "(?:" + "|".join(sorted(map(re.escape, _MONTH_NAMES), key=len, reverse=True)) + ")"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MON = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)[0-9]{2}"
_DS = r"(?:[ \t]{0,2}[./\-][ \t]{0,2}|[ \t]{1,2})"  # between the numbers of a date
_GAP = r"[ \t]{1,3}"
_DATE = rf"""(?:
      {_DAY}{_DS}{_MON}{_DS}(?:{_YEAR}|[0-9]{{2}})       # 12.05.1985, 12/05/85, 12 05 1985
    | {_MON}{_DS}{_DAY}{_DS}{_YEAR}                      # 05/25/1985 (American)
    | {_YEAR}{_DS}{_MON}{_DS}{_DAY}                      # 1985-05-12
    | {_DAY}\.?{_GAP}{_MONTH}\w{{0,4}}(?:,?{_GAP}{_YEAR})?  # 12 Mayıs 1985, 12 Mayısta
    | {_MONTH}{_GAP}{_DAY}(?:st|nd|rd|th)?,?{_GAP}{_YEAR}  # May 12, 1985
    | {_MONTH}\w{{0,4}}{_GAP}{_YEAR}                     # Mayıs 1985
    | {_YEAR}                                            # 1985
)(?![0-9])"""

_CUE = r"""(?:
      do[ğg]um[ \t]+tarih\w{0,4}      # doğum tarihim, doğum tarihi, dogum tarihimiz
    | do[ğg]um[ \t]+g[üu]n\w{0,3}     # doğum günüm
    | do[ğg]um[ \t]+y[ıi]l\w{0,3}     # doğum yılım
    | d\.[ \t]?t(?:\.|\b)             # d.t., D.T:
    | d\.[ \t]?tarih\w{0,3}
    | do[ğg]\.[ \t]?tar\.?
    | do[ğg]umlu\w{0,4}               # doğumlu: 1985
    | born(?:[ \t]+(?:on|in))?
    | date[ \t]+of[ \t]+birth
    | birth[ \t]?date | birthday
    | d\.?o\.?b\.?                    # DOB, D.O.B.
    | تاريخ[ \t]+(?:ال)?(?:ميلاد|ولادة)\w{0,2}
    | (?:من[ \t]+)?مواليد
    | ولدت? | ولدنا                  # I was / he was / we were born
)"""
_CONNECTOR = r"[ \t]{0,3}(?:[:=\-][ \t]{0,3})?(?:(?:is|on|in|olarak|ise|في|عام|سنة)[ \t]{1,3})?"
_AFTER_CUE_RE = re.compile(
    rf"(?<!\w){_CUE}{_CONNECTOR}(?P<date>{_DATE})", re.VERBOSE | re.IGNORECASE
)
_BEFORE_CUE_RE = re.compile(
    rf"""
    (?<![\w./\-])(?P<date>{_DATE})
    (?:['’]?\w{{0,4}})?                  # 1985'te, 1985te
    # At most two words between: "tarihinde", "yılında", "Gaziantep'te", "hastanede".
    (?:{_GAP}[^\W\d_]{{1,20}}(?:['’]\w{{1,6}})?){{0,2}}
    {_GAP}(?:do[ğg]umlu\w{{0,4}}|do[ğg]du\w{{0,3}}|do[ğg]mu[şs]\w{{0,3}})(?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "85 doğumluyum" (two digits: only right before "doğumlu"), "1985'liyim", "70'liyim".
_SHORT_RE = re.compile(
    rf"""
    (?<![\w./\-])
    (?:
        (?P<short>[0-9]{{2}})(?:['’]\w{{1,4}})?{_GAP}do[ğg]umlu\w{{0,4}}
      | (?P<year>{_YEAR}|[0-9]{{2}})['’]?l[ıiuü]y[ıiuü]m
    )
    (?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)


# Every cue has one of these in it. Most comments have none, and one quick search for them
# spares the two patterns above, which try a long alternation at every word.
_HINT_RE = re.compile(
    r"do[ğg]|d\.|born|birth|dob|l[ıiuü]y[ıiuü]m|تاريخ|مواليد|ولد", re.IGNORECASE
)


def births(view: str) -> Iterator[tuple[int, int]]:
    """Spans of dates of birth in the working copy."""
    if _HINT_RE.search(view) is None:
        return
    for pattern in (_AFTER_CUE_RE, _BEFORE_CUE_RE):
        for match in pattern.finditer(view):
            yield match.span("date")
    for match in _SHORT_RE.finditer(view):
        yield match.span("short" if match.group("short") is not None else "year")
