"""The cues that announce a name, found fast.

One pattern, _CUE_RE, names every cue and its kind (see names for what each kind means). It is
a dozen case-insensitive alternatives, too slow to try at every position of a long comment: a
second pattern of plain literals - the first letters of every cue, in the case forms people
type them in - lets the regular expression engine skip to the few places where a cue may
begin, and only there is _CUE_RE tried. Both are linear; together they cost about as much as
one pass of a simple pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.scrub.name_contexts import (
    CLOSING,
    CLOSING_WORDS,
    KIN,
    KIN_WORDS,
    RANK,
    RANK_STEMS,
)

_STRONG = r"""
      (?:benim[ \t]+)?ad[ıi]m(?:[ \t]+(?:ve[ \t]+)?soyad[ıi]m)?     # adım, adım soyadım
    | (?:benim[ \t]+)?[iİ]smim(?:[ \t]+(?:ve[ \t]+)?soy[iİ]smim)?   # ismim
    | ad[ \t]*[-/]?[ \t]*soyad[ıi]?                                 # ad soyad, ad-soyad
    | ad[ıi][ \t]+soyad[ıi]                                         # adı soyadı
    | [iİ]sim[ \t]*[-/]?[ \t]*soy[iİ]sim                             # isim soyisim
    | soyad[ıi]m | soy[iİ]smim                                      # soyadım Yılmaz
    | (?:ad|[iİ]sim|soyad[ıi]?)[ \t]*(?=:)                           # a form: "Ad: ..."
    | my[ \t]+name[ \t]+is | my[ \t]+name's | name[ \t]*(?=:)
"""
_ARABIC = r"""
      و?(?:[أا]نا[ \t]+)?[اإ]سمي(?:[ \t]+هو)?                          # اسمي، انا اسمي
    | ال[اإ]سم(?:[ \t]+(?:الكامل|الثلاثي))?[ \t]*(?=:)               # الاسم: (a form)
    | [اإ]سم[ \t]+(?:ابني|ابنتي|بنتي|زوجي|زوجتي|[أا]مي|[أا]بي|والدي|والدتي|[أا]خي|[أا]ختي)
"""
_CUE_RE = re.compile(
    rf"""
    (?<!\w)
    (?:
        (?P<strong>(?i:{_STRONG}))
      | (?P<relative>(?i:(?:{KIN})(?:[ıiuü]n|n[ıiuü]n)[ \t]+(?:ad[ıi]|[iİ]smi|soyad[ıi])
            | (?:his|her|my[ \t]+\w{{2,10}}['’]s)[ \t]+name[ \t]+is))
      | (?P<misspelt>(?i:ad[ıi]m[ıi]|[iİ]smimi|soyad[ıi]m[ıi]))
      | (?P<arabic>{_ARABIC})
      | (?P<arabic_weak>[أا]نا)
      | (?P<arabic_signature>[أا]خوكم|[أا]ختكم|معكم|ابنكم|ابنتكم)
      | (?P<kunya>[أا]بو(?=[ \t]))
      | (?P<family>(?i:{KIN}|my[ \t]+(?:wife|husband|son|daughter|mother|father|brother
            |sister|child|mom|dad|baby)))
      | (?P<weak>[Bb]en|I[ \t]+am|I['’]m)
      | (?P<this_is>[Tt]his[ \t]+is)
      | (?P<rank>(?i:{RANK}))
      | (?P<closing>(?i:{CLOSING}))
    )
    (?!\w)
    """,
    re.VERBOSE,
)


def _case_forms(word: str) -> set[str]:
    """"ismim", "İsmim", "Ismim", "İSMİM", "ISMIM": how a cue word may be typed."""
    forms = {word}
    for capital_i in ("İ", "I"):
        upper = word.replace("i", capital_i).upper()
        forms.update((upper, upper[0] + word[1:]))
    return forms


# The first word (or letters) of every cue, as typed; see the module docstring.
_CUE_STARTS = sorted(
    {
        form
        for word in (
            "ad ben is soy my name his her this dr doç prof av best kind".split()
            + KIN_WORDS
            + RANK_STEMS
            + CLOSING_WORDS
            + ["yardımcı", "vekil"]
        )
        for form in _case_forms(word)
    }
    | set("I am|I'm|I’m|اسم|إسم|واسم|وإسم|انا|أنا|الاسم|الإسم|أخوكم|اخوكم|أختكم|اختكم".split("|"))
    | set("معكم|ابنكم|ابنتكم|أبو|ابو".split("|")),
    key=len,
    reverse=True,
)
_CUE_START_RE = re.compile("|".join(map(re.escape, _CUE_STARTS)))


def cues(view: str) -> Iterator[re.Match[str]]:
    """The cues in the working copy, left to right, not overlapping: _CUE_RE.finditer, fast."""
    resume = 0
    for start in _CUE_START_RE.finditer(view):
        at = start.start()
        if at < resume or (at and (view[at - 1].isalnum() or view[at - 1] == "_")):
            continue
        cue = _CUE_RE.match(view, at)
        if cue is not None:
            resume = cue.end()
            yield cue
