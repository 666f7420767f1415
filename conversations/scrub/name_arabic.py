"""Arabic names after a cue: "اسمي فاطمة الزهراء العلي", "أنا محمد من حلب", "أبو أحمد".

Arabic has no capitals, so a word is a name word unless the Arabic lists of name_words rule it
out (negations, particles, participles, adjectives, relatives: "اسمي غير مسجل", "أنا سعيد").
A first name has no article and does not begin with "و" ("and"), except the names that do
("وليد"). A second or third word must itself look like a name: a family name with the article
("الزهراء", "الخطيب"), or a word followed by the end of the clause (the end, punctuation,
"و...", a particle, a digit): "اسمي محمد انتظرت ثلاث ساعات" is "محمد" alone. Compounds are one
unit: "عبد الرحمن", "أبو أحمد", "نور الدين". At most three units, each word looked at once.
After "أنا" the name must end the clause ("أنا محمد من حلب", "أنا أحمد،"): "أنا سعيد جدا" is
an adjective, and a first-person verb ("أنا تعبت من الانتظار") takes the end of a sentence or
a comma after it to pass as a name.
"""

from __future__ import annotations

import re

from conversations.scrub.name_runs import BOUNDARY_RE, Run
from conversations.scrub.name_words import (
    ARABIC_JOINED,
    ARABIC_JOINERS,
    ARABIC_NAMES_WITH_WAW,
    ARABIC_NOT_NAMES,
    ARABIC_PREFIXES,
    is_arabic,
)

_MAX_UNITS = 3


def arabic_run(view: str, pos: int, *, clause_end: bool) -> Run | None:
    """The Arabic name units from `pos` on, or None if the first word is not a name.

    With `clause_end`, the run must also be followed by the end of a clause ("أنا محمد من
    حلب", "أنا أحمد،"), which "أنا سعيد جدا" is not.
    """
    units = 0
    start = end = cursor = pos
    while units < _MAX_UNITS:
        word = _arabic_word(view, cursor)
        if word is None or not _may_be_arabic_name(word[0], first=not units):
            break
        unit_end = word[2]
        following = _arabic_word(view, unit_end)
        joins = (
            following is not None
            and following[0] not in ARABIC_NOT_NAMES  # "أبو ظبي" is a place
            and following[0] not in ARABIC_JOINERS
        )
        if following is not None and joins and (
            word[0] in ARABIC_JOINERS or following[0] in ARABIC_JOINED
        ):
            unit_end = following[2]  # "عبد الرحمن", "أبو أحمد", "نور الدين"
        elif word[0] in ARABIC_JOINERS:
            break  # "أبو" or "عبد" with no name after it is no name
        if units and not (word[0].startswith("ال") or _ends_arabic_clause(view, unit_end)):
            break  # a second word that neither has the article nor ends the clause
        if not units:
            start = word[1]
        end = cursor = unit_end
        units += 1
    if not units:
        return None
    if clause_end:
        if not _ends_arabic_clause(view, end, strict=True):
            return None
        if units == 1 and view[end - 1] == "ت" and not BOUNDARY_RE.match(view, end):
            return None  # "أنا تعبت من الانتظار": "I got tired", a verb (names: "مدحت،")
    return Run(start, end, end, units, "", True, False)


_ARABIC_WORD_RE = re.compile(r"[ \t]{0,3}(?P<word>[^\W\d_]{2,40})(?!\w)")


def _arabic_word(view: str, pos: int) -> tuple[str, int, int] | None:
    """The Arabic word after the gap at `pos`, and its span."""
    match = _ARABIC_WORD_RE.match(view, pos)
    if match is None or not is_arabic(match.group("word")[0]):
        return None
    return match.group("word"), match.start("word"), match.end("word")


def _may_be_arabic_name(word: str, *, first: bool) -> bool:
    if word in ARABIC_NOT_NAMES or word.startswith(ARABIC_PREFIXES):
        return False
    if not first:
        return not word.startswith("و")  # "اسمي أحمد وأنا": "and I"
    # A first name has no article ("معكم الموظف الجديد": the new employee), and begins with
    # "و" only if it is one of the names that do ("أنا وزوجتي": my wife and I).
    if word.startswith("ال"):
        return False
    return not word.startswith("و") or word in ARABIC_NAMES_WITH_WAW


def _ends_arabic_clause(view: str, pos: int, *, strict: bool = False) -> bool:
    """After an Arabic name: the end, punctuation, "و...", "من"; unless `strict` (after
    "أنا"), also a digit, a Latin word or another particle."""
    if BOUNDARY_RE.match(view, pos):
        return True
    following = _arabic_word(view, pos)
    if following is None:
        return not strict
    word = following[0]
    if word.startswith("و") or word == "من":
        return True
    return not strict and word in ARABIC_NOT_NAMES
