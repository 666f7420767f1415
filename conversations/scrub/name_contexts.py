"""Names that other words than "my name is" point at: signatures, officials, "X adına".

signature  a closing word, then one to three capitalised words and nothing after them but a
           full stop: "Saygılarımla, Ayşe Yılmaz", "Teşekkürler. Hüseyin Kaya", "Regards, John
           Smith", "Thanks, Maria". A single word that is a province or in capitals stays
           ("Teşekkürler, Ankara", "Teşekkürler İZDES"). Only at the end of the comment: in the
           middle, "Teşekkürler Allah razı olsun" is a sentence.
official   a rank or post ("memur", "komiser", "astsubay", "müdür", "doktor", "görevli",
           "officer" ...) and then two or three capitalised words: a first name and a surname,
           masked ("Jandarma Astsubay [AD] çok kaba davrandı"). The reviewer's rule: an
           official's full name identifies them, "Ahmet Bey" does not - one word and an
           honorific stay, and so does the rank. In a comment in title case the name must end
           the clause ("Polis Memuru Çok Kaba Davrandı" stays).
adına      "on behalf of": two or three capitalised name words right before it ("Mehmet
           Yılmaz adına başvuru yaptım"); an institution ("İçişleri Bakanlığı adına") stays.
misspelt   "Adımı Ayşe Yilmaz diye yanlış yazmışlar", "İsmimi Muhammed yerine Mehmet
           yazdılar": the citizen's name and the misspelling are both theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.scrub.name_runs import Comment, at_boundary, at_end, latin_run, next_word
from conversations.scrub.name_words import fold, is_place

# Relatives, as in "Eşim Gülsüm Arslan", "Kızımın adı Elif" (for names' cue pattern).
KIN_WORDS = (
    "eşim karım kocam hanımım oğlum kızım annem babam kardeşim abim ablam ağabeyim dedem ninem "
    "babaannem anneannem torunum yeğenim amcam dayım teyzem halam kayınpederim kayınvalidem "
    "nişanlım çocuğum bebeğim"
).split()
KIN = "|".join(KIN_WORDS)
# Ranks and posts; a possessive or a case may follow ("memuru", "müdürü", "görevlisi").
RANK_STEMS = (
    "memur komiser başkomiser astsubay başçavuş çavuş onbaşı subay teğmen yüzbaşı binbaşı "
    "albay amir müdür şef doktor hekim hemşire görevli personel polis jandarma vali kaymakam "
    "hakim hâkim savcı tercüman danışman uzman yetkili sekreter katip kâtip vezne bekçi "
    "officer doctor nurse clerk sergeant"
).split()
_RANK_WORD = (
    rf"(?:{'|'.join(RANK_STEMS)})\w{{0,6}}"
    r"|(?:yardımcı|vekil)\w{0,3}"  # "Komiser Yardımcısı", "Müdür Vekili"
)
RANK = rf"(?:{_RANK_WORD}|(?:dr|doç|prof|av)\.)"
CLOSING_WORDS = (
    "saygılarımla saygılar selamlar teşekkürler teşekkür tesekkurler iyi best kind regards "
    "thanks thank sincerely cheers"
).split()
CLOSING = (
    r"saygılarımla|saygılar|selamlar|teşekkürler|teşekkür[ \t]+ederim|tesekkurler"
    r"|iyi[ \t]+çalışmalar|best[ \t]+regards|kind[ \t]+regards|regards|thanks|thank[ \t]+you"
    r"|sincerely|cheers"
)
# Possessive ({0,2}+): a rank word once read is not given back to be read as a name.
_MORE_RANKS_RE = re.compile(rf"(?:[ \t]{{1,3}}(?i:{RANK})(?!\w)){{0,2}}+[ \t]{{1,3}}")
_AFTER_CLOSING_RE = re.compile(r"[ \t]*[,.!]?[ \t\r\n]{0,4}")
_ADINA_RE = re.compile(r"(?<=[ \t])adına(?!\w)")
_GENITIVE_RE = re.compile(r"['’](?:n?[ıiuü]n)[ \t]{1,3}\Z")
_WORD_RE = re.compile(r"[^\W\d_]{1,40}")
_LOOK_BACK = 140  # three words of 40 letters and their gaps
_SPACES_RE = re.compile(r"[ \t]{1,3}")


def official(comment: Comment, pos: int) -> Iterator[tuple[int, int]]:
    """An official's first name and surname after their rank, at `pos`."""
    view = comment.view
    gap = _MORE_RANKS_RE.match(view, pos)  # "Jandarma Astsubay", "Komiser Yardımcısı"
    if gap is None or not view[gap.end() : gap.end() + 1].isupper():
        return  # the common case, "Personel çok ilgiliydi": no capital, no name
    run = latin_run(view, gap.end(), lower_case=False, verbs_checked=True)
    if run is None or run.names < 2:
        return  # "Polis Memuru Ahmet Bey": one name and an honorific
    if comment.title_case and not at_boundary(view, run.after):
        return
    yield run.start, run.end


def signature(comment: Comment, pos: int) -> Iterator[tuple[int, int]]:
    """The name after a closing word, when it ends the comment."""
    view = comment.view
    if len(view) - pos > _LOOK_BACK:
        return  # too far from the end for a name and nothing after it
    start = _AFTER_CLOSING_RE.match(view, pos)
    if start is None or start.end() == pos:
        return
    run = latin_run(view, start.end(), lower_case=False, verbs_checked=True)
    if run is None or run.ending or not at_end(view, run.after):
        return
    if run.names == 1:
        word = view[run.start : run.end]
        if word.isupper() or is_place(word):
            return  # "Teşekkürler İZDES", "Teşekkürler, Ankara"
    yield run.start, run.end


_MISSPELT_FOLLOWERS = frozenset(fold(word) for word in "diye olarak yerine şeklinde".split())
_YERINE_RE = re.compile(r"[ \t]{1,3}yerine[ \t]{1,3}", re.IGNORECASE)


def misspelt(comment: Comment, pos: int) -> Iterator[tuple[int, int]]:
    """"Adımı X diye yazmışlar", "İsmimi X yerine Y yazdılar": X, and Y."""
    view = comment.view
    gap = _SPACES_RE.match(view, pos)
    if gap is None:
        return
    run = latin_run(view, gap.end(), lower_case=False, verbs_checked=False)
    if run is None or next_word(view, run.after) not in _MISSPELT_FOLLOWERS:
        return
    yield run.start, run.end
    yerine = _YERINE_RE.match(view, run.after)
    if yerine is not None:
        other = latin_run(view, yerine.end(), lower_case=False, verbs_checked=True)
        if other is not None:
            yield other.start, other.end


def after_adina(comment: Comment) -> Iterator[tuple[int, int]]:
    """Two or three capitalised name words right before "adına" ("on behalf of")."""
    view = comment.view
    for adina in _ADINA_RE.finditer(view):
        before = adina.start()
        genitive = _GENITIVE_RE.search(view, max(0, before - 6), before)
        if genitive is not None:
            before = genitive.start()  # "Mehmet Yılmaz'ın adına"
        window = max(0, before - _LOOK_BACK)
        words = list(_WORD_RE.finditer(view, window, before))
        start = end = before
        names = 0
        for word in reversed(words):
            glued = genitive is not None and not names  # "Yılmaz" of "Yılmaz'ın"
            if names == 3 or not (
                word.end() == start if glued else _SPACES_RE.fullmatch(view, word.end(), start)
            ):
                break
            if word.start() == window and window and view[window - 1].isalnum():
                break  # a word cut by the window
            run = latin_run(view, word.start(), lower_case=False, verbs_checked=True, most=1)
            if run is None or run.end != word.end():
                break
            if not names:
                end = word.end()
            start = word.start()
            names += 1
        if names >= 2:
            yield start, end
