"""Arabic as citizens type it: one spelling for the letters people write interchangeably.

Phones, keyboards and habits differ: "إسطنبول" and "اسطنبول", "أورفة" and "اورفه", "تخطى"
and "تخطي" are the same word to a reader, so they must be the same key to a matcher. Only
Arabic-script characters are touched; Latin text passes through unchanged.
"""

from __future__ import annotations

import re

# Harakat (fatha, damma, kasra, tanwin, shadda, sukun...), the superscript alef and the
# Quranic annotation marks: optional in everyday writing.
_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")

_LETTERS = str.maketrans({
    # The hamza forms of alef, alef madda and alef wasla: a bare alef is typed as often.
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",  # taa marbuta is often written as haa at a word's end
    "ى": "ي",  # alef maqsura for yaa, and back
    "ؤ": "و", "ئ": "ي",  # hamza on its seat: the seat is what people type without it
    "ء": None,  # a bare hamza is left out as often as not
    "ـ": None,  # tatweel only stretches a word
    # Persian letters that Persian or Kurdish keyboards put into Arabic words, and those
    # used for Turkish sounds Arabic lacks (گ g, پ p, چ ç, ڤ v).
    "ک": "ك", "ی": "ي", "گ": "ك", "پ": "ب", "چ": "ج", "ڤ": "ف",
})

_ARTICLE = "ال"


def fold(text: str) -> str:
    """One spelling for Arabic letter variants, without diacritics or tatweel."""
    return _DIACRITICS.sub("", text).translate(_LETTERS)


def without_article(word: str) -> str:
    """"الفاتح" -> "فاتح": names are written with and without the article."""
    if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) + 1:
        return word[len(_ARTICLE):]
    return word
