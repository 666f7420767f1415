"""The words after a cue that make up a name, and what follows them.

A *run* is up to three name words (particles and Arabic compounds such as "el-Hasan", "Al",
"عبد الرحمن", "نور الدين" go with them and do not count), read left to right from where the
cue ends; a title before them ("Dr.", "Av.", "Prof.", "Mr.") is skipped and stays. Every word is
looked at once and is at most 40 letters long, so reading a run costs a bounded amount however
long the comment is.

A Latin word is a name word when it begins with a capital (or, after a strong cue, with any
letter) and none of the lists of name_words rules it out. A word with an apostrophe ending is
the last of a run: "Ayşe'yim", "Mehmet'in" keep it ("is", "of"), a case ending ("Ankara'da")
leaves it out and tells the caller that a place may be meant.

Arabic runs are read by name_arabic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from conversations.scrub.name_words import (
    COPULA,
    GENITIVE,
    KUNYA,
    LOWER_CASE_STEMS,
    LOWER_VERB_ENDING_RE,
    NOT_NAMES,
    PARTICLES,
    VERB_ENDING_RE,
    fold,
    is_arabic,
    is_institution,
)

# One word, letters only, with a hyphenated second part ("el-Hasan") and an apostrophe ending.
_TOKEN_RE = re.compile(
    r"(?P<word>[^\W\d_]{1,40}(?:-[^\W\d_]{1,40})?)(?:['’](?P<ending>[^\W\d_]{1,10}))?(?![\w'’])"
)
_GAP_RE = re.compile(r"[ \t]{1,3}")
_TITLES_RE = re.compile(
    r"(?:(?i:dr|doç|doc|prof|av|uzm|op|mr|mrs|ms|miss)(?:\.[ \t]{0,3}|[ \t]{1,3})){1,2}"
)
# What ends a clause after a name: the end, punctuation, a line break, a dash set apart.
BOUNDARY_RE = re.compile(r"[ \t]{0,3}(?:\Z|[,.;:!?()\[\]\"\n\r،؛؟…]|-[ \t])")
_END_RE = re.compile(r"[ \t\r\n.!]{0,5}\Z")  # nothing but a full stop left: a signature's end
_CASED_WORD_RE = re.compile(r"(?<![\w'’])[^\W\d_]{2,}")
_MAX_NAMES = 3


@dataclass(frozen=True, slots=True)
class Run:
    """Name words found after a cue."""

    start: int  # of the first name word
    end: int  # of the last name word, its apostrophe ending left out
    after: int  # where the text after the run begins (the apostrophe ending included)
    names: int  # name words, particles and the second halves of compounds not counted
    ending: str  # the last word's apostrophe ending, folded ("" if none)
    capitals: bool  # every name word begins with a capital
    case_ending_next: bool  # the word that stopped the run has a case ending ("Keçiören'de")


class Comment:
    """The working copy, with what is worth computing once for all the cues in it."""

    def __init__(self, view: str) -> None:
        self.view = view

    @cached_property
    def title_case(self) -> bool:
        """Every word capitalised ("Ben Geçen Hafta Gittim"), or all but a few in a longer
        comment: a capital says little here. A short sentence with names and a rank in it
        ("Uzman Çavuş Mehmet Demir ilgilendi") is not title case for one lower-case word."""
        upper = lower = 0
        for match in _CASED_WORD_RE.finditer(self.view):
            initial = match.group()[0]
            upper += initial.isupper()
            lower += initial.islower()
        if not lower:
            return upper >= 3
        return upper + lower >= 8 and upper >= 4 * lower


def latin_run(
    view: str, pos: int, *, lower_case: bool, verbs_checked: bool, most: int = _MAX_NAMES
) -> Run | None:
    """The Latin name words from `pos` on (a title skipped), at most `most` of them, or None.

    `lower_case` admits words without a capital (after a strong cue); `verbs_checked` rules
    out capitalised words with a verb's ending (after a weak one).
    """
    title = _TITLES_RE.match(view, pos)
    if title is not None and _TOKEN_RE.match(view, title.end()):
        pos = title.end()
    tokens: list[re.Match[str]] = []
    names = 0
    case_ending_next = False
    cursor = pos
    while names < most and len(tokens) < most + 2:
        at = cursor
        if tokens:
            gap = _GAP_RE.match(view, cursor)
            if gap is None:
                break
            at = gap.end()
        token = _TOKEN_RE.match(view, at)
        if token is None:
            break
        word, ending = token.group("word"), fold(token.group("ending") or "")
        if _is_particle(word, first=not tokens):
            tokens.append(token)
            cursor = token.end()
            continue
        if ending and ending not in COPULA and ending not in GENITIVE:
            case_ending_next = True  # "Ankara'da": not a name, and it ends the run
            break
        if not _is_latin_name_word(word, lower_case, verbs_checked):
            break
        tokens.append(token)
        names += 1
        cursor = token.end()
        if ending:
            break  # "Ayşe'yim": the apostrophe ends the name
    while tokens and _is_particle(tokens[-1].group("word"), first=False):
        tokens.pop()  # "Ben Ahmet bin": a particle does not end a name
    if not names or not tokens:
        return None
    last = tokens[-1]
    return Run(
        start=tokens[0].start(),
        end=last.end("word"),
        after=last.end(),
        names=names,
        ending=fold(last.group("ending") or ""),
        capitals=all(
            _core(token.group("word"))[0].isupper()
            for token in tokens
            if not _is_particle(token.group("word"), first=False)
        ),
        case_ending_next=case_ending_next,
    )


def _is_particle(word: str, *, first: bool) -> bool:
    folded = fold(word)
    return folded in (KUNYA if first else PARTICLES)


def _core(word: str) -> str:
    """"el-Hasan" is "Hasan" as far as capitals and lists go."""
    head, _, tail = word.partition("-")
    return tail if tail and fold(head) in PARTICLES else word


def _is_latin_name_word(word: str, lower_case: bool, verbs_checked: bool) -> bool:
    core = _core(word)
    if len(core) < 2 or is_arabic(core[0]):
        return False
    capital = core[0].isupper()
    if not capital and not (lower_case and core[0].islower()):
        return False
    folded = fold(word)
    if folded in NOT_NAMES or fold(core) in NOT_NAMES or is_institution(folded):
        return False
    if not capital:
        if folded.startswith(LOWER_CASE_STEMS) or LOWER_VERB_ENDING_RE.search(folded):
            return False
        verbs_checked = True
    return not (verbs_checked and VERB_ENDING_RE.search(folded))


def at_boundary(view: str, pos: int) -> bool:
    """The end of the text or of a clause follows `pos`."""
    return BOUNDARY_RE.match(view, pos) is not None


def at_end(view: str, pos: int) -> bool:
    """Only spaces and a full stop follow `pos`: the end of the comment."""
    return _END_RE.match(view, pos) is not None


def next_word(view: str, pos: int) -> str:
    """The word after the gap at `pos`, folded ("" if there is none)."""
    gap = _GAP_RE.match(view, pos)
    token = _TOKEN_RE.match(view, gap.end()) if gap else None
    return fold(token.group("word")) if token else ""
