"""People's names, where the words around them say that a name is meant.

A name is only recognisable by its context, so only names after a cue are masked; the cue, a
title ("Dr.", "Av.") and an honorific ("Bey", "Hanım") stay. Up to three name words are taken,
with particles and Arabic compounds ("Muhammed Ali el-Hasan", "عبد الرحمن الخطيب"); a third
word only where it is capitalised in a comment not in title case, or ends the clause.
How each cue is read, from the most certain to the least:

strong   "adım", "ismim", "benim adım", "adım soyadım", "soyadım", "ad soyad:", a form's "Ad:",
         "my name is", "name:", "اسمي", "الاسم:", "اسم ابني": the words after them, in any
         case ("benim adım ahmet"), unless the lists of name_words rule them out ("İsmim
         listede yoktu", "Adım Adım Anadolu", "اسمي غير مسجل").
relative "Kızımın adı", "Annemin ismi", "my son's name is" (a capital needed); "Eşim",
         "Oğlum", "my wife" followed by capitalised words ("Kızım Ela 5 yaşında") - in a
         comment in title case only with the evidence "ben" needs.
weak     "ben", "I am", "I'm" (not "BEN": in capitals every word is capitalised): capitalised
         words that are not common words, nationalities, languages, institutions or verbs,
         AND that end like a name: at a comma or the end of a sentence ("Ben Umut."), with
         "'yım" / "'dir" ("Ben Elif'im"), before "Bey"/"Hanım", "from", "değilim", or a
         relative ("Ben Mehmet'in annesiyim", "I am Ali's father"), or as two or more such
         words in a comment not in title case ("Ben Ali Rıza Kaya emekliyim"). So "Ben Randevu
         alamadım", "Ben Sabah 8'de", "Ben Geçen Hafta Gittim" stay, and so does a province
         alone ("Ben Konya, ..."). "This is X Y," needs two words and a comma or "from".
Arabic   "أنا" followed by a name and the end of the clause ("أنا محمد من حلب", "انا أحمد،"),
         not by an adjective ("أنا سعيد جدًا"); "أخوكم", "أختكم", "معكم" (signatures);
         a kunya anywhere ("أبو محمد", not "أبو ظبي").
others   (name_contexts) a signature at the end of the comment ("Saygılarımla, Ayşe Yılmaz",
         "Regards, John Smith"); an official's first name and surname after their rank
         ("Jandarma Astsubay Kemal Yıldız"; "Polis Memuru Ahmet Bey" stays); two or three
         capitalised words before "adına"; "Adımı X diye / yerine Y yazdılar".

Not found (known gaps): after "ben", a name in lower case, in a comment typed in capitals
("BEN AYŞE"), or a single name followed by a lower-case word, a number or a place with a case
ending ("Ben Zeynep öğretmenim", "Ben Ahmet 3 gündür", "Ben Yusuf Halep'ten geldim": as
"Ben Randevu alamadım", "Ben Keçiören Hasköy'de" are); names with no cue at all ("Ayşe Yılmaz
0532 ...", "Görevli Ahmet bey").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.scrub.name_arabic import arabic_run
from conversations.scrub.name_contexts import after_adina, misspelt, official, signature
from conversations.scrub.name_cues import cues
from conversations.scrub.name_runs import Comment, Run, at_boundary, latin_run, next_word
from conversations.scrub.name_words import COPULA, HONORIFICS, is_arabic, is_kin, is_place

_SEPARATOR_RE = re.compile(r"[ \t]*[:\-,][ \t]*|[ \t]+")
_REPEATED_RE = re.compile(r"(?<!\w)(?i:ad[ıi]m)[ \t]+\Z")


def names(view: str) -> Iterator[tuple[int, int]]:
    """Spans of names after a cue in the working copy."""
    comment = Comment(view)
    for cue in cues(view):
        kind = cue.lastgroup
        if kind == "rank":
            yield from official(comment, cue.end())
            continue
        if kind == "closing":
            yield from signature(comment, cue.end())
            continue
        if kind == "misspelt":
            yield from misspelt(comment, cue.end())
            continue
        if kind == "kunya":
            run = arabic_run(view, cue.start(), clause_end=False)
            if run is not None and run.end > cue.end():  # "أبو" and a name, not "أبو" alone
                yield run.start, run.end
            continue
        separator = _SEPARATOR_RE.match(view, cue.end())
        if separator is None or (kind == "strong" and _repeated(view, cue.start())):
            continue
        span = _name_after(comment, str(kind), separator.end())
        if span is not None:
            yield span
    yield from after_adina(comment)


def _repeated(view: str, start: int) -> bool:
    """"Adım Adım Anadolu", "adım adım ilerliyoruz": step by step, no name."""
    return _REPEATED_RE.search(view, max(0, start - 12), start) is not None


def _name_after(comment: Comment, kind: str, pos: int) -> tuple[int, int] | None:
    view = comment.view
    if pos < len(view) and is_arabic(view[pos]):
        clause_end = kind == "arabic_weak"
        if kind in ("strong", "arabic", "arabic_weak", "arabic_signature", "relative"):
            run = arabic_run(view, pos, clause_end=clause_end)
            return None if run is None else (run.start, run.end)
        return None
    if kind in ("arabic_weak", "arabic_signature"):
        return None  # Arabic cues introduce Arabic names (a Latin one would be a guess)
    if kind in ("strong", "arabic"):
        run = _strong_run(comment, pos, lower_case=True)
    elif kind == "relative":
        run = _strong_run(comment, pos, lower_case=False)
    else:
        run = _weak_run(comment, kind, pos)
    return None if run is None else (run.start, run.end)


def _strong_run(comment: Comment, pos: int, *, lower_case: bool) -> Run | None:
    """The name after a cue that announces one: no further evidence needed."""
    run = latin_run(comment.view, pos, lower_case=lower_case, verbs_checked=False)
    return None if run is None else _third_word_checked(comment, run, pos, lower_case)


def _third_word_checked(comment: Comment, run: Run, pos: int, lower_case: bool) -> Run | None:
    """A third name word stays only when capitals mean something here, or it ends a clause:
    "Ben Ali Rıza Kaya, emekli", "İsmim Ayşe Nur Yılmaz", but not "adım ali veli randevu"."""
    if run.names < 3 or at_boundary(comment.view, run.after):
        return run
    if run.capitals and not comment.title_case:
        return run
    return latin_run(comment.view, pos, lower_case=lower_case, verbs_checked=True, most=2)


def _weak_run(comment: Comment, kind: str, pos: int) -> Run | None:
    view = comment.view
    run = latin_run(view, pos, lower_case=False, verbs_checked=True)
    if run is not None:
        run = _third_word_checked(comment, run, pos, False)
    if run is None:
        return None
    if run.names == 1 and is_place(view[run.start : run.end]):
        return None  # "Ben Konya, ...": where, not who
    if kind == "this_is":
        return run if _introduces(comment, run) else None
    if run.case_ending_next and run.names == 1 and kind != "family":
        return None  # "Ben Ankara Keçiören'de", "Ben Keçiören Hasköy'de": a place
    if kind == "family" and not comment.title_case:
        return run  # "Kızım Ela 5 yaşında": a capital after a relative is their name
    return run if _name_evidence(comment, run) else None


# English words that "This is" is followed by more often than by a name: "This is
# Unacceptable Behaviour", "This is Istanbul Office".
_NOT_AN_ENGLISH_NAME_RE = re.compile(r"(?:able|ible|ful|ous|ive|ing|ment|ness|tion|sion|ity|ly)$")


def _introduces(comment: Comment, run: Run) -> bool:
    """"This is Ahmed Hassan, I applied ...": two names or more, then a comma or "from"."""
    view = comment.view
    if run.names < 2 or comment.title_case:
        return False
    if view[run.after : run.after + 1] != "," and next_word(view, run.after) != "from":
        return False
    words = view[run.start : run.end].split()
    return not any(is_place(word) or _NOT_AN_ENGLISH_NAME_RE.search(word) for word in words)


def _name_evidence(comment: Comment, run: Run) -> bool:
    """Whether what follows a run after a weak cue says it was a name."""
    view = comment.view
    if run.ending in COPULA:
        return True  # "Ben Elif'im"
    following = next_word(view, run.after)
    if run.ending:
        return is_kin(following)  # "Ben Mehmet'in annesiyim", "I am Ali's father"
    if at_boundary(view, run.after):
        return True  # "Ben Umut.", "Ben Mehmet, Gaziantep'te yaşıyorum"
    if following in HONORIFICS or following in ("from", "değil", "değilim") or is_kin(following):
        return True  # "Ben Kemal Bey'in oğluyum", "I'm Fatima from Aleppo"
    return run.names >= 2 and not comment.title_case
