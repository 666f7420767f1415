"""People's names, where the citizen introduces themselves.

A name is only recognisable by what comes before it, so only names after a cue are masked: "adım
X", "ismim X", "benim adım X", "adım soyadım: X Y", "soyadım X", "ad soyad: X Y", a form's "Ad:
X", "my name is X", "name: X", "اسمي X"; and the weaker "ben X Y" ("Merhaba, ben Ayşe Yılmaz"),
"I am X", "I'm X". The one or two words that follow, of two letters or more, are the name when
they begin with a capital (Turkish letters included; Arabic words, which have no capitals, after
an Arabic cue). Names nobody introduces ("Görevli Ahmet bey çok yardımcıydı") stay: the scrubber
would have to guess at every capital.

"ben" is mostly just "I" (and "I am" is often followed by a nationality): "ben de çok memnunum",
"Ben Ankara'ya gittim", "Ben Türk vatandaşıyım", "Ben Nüfus müdürlüğüne gittim". So after "ben"
(not "BEN": in a comment typed in capitals every word is capitalised) a word is not a name when
it is a common word, a nationality, a day or a month; when it carries a case ending after an
apostrophe ("Ankara'ya"); when it ends in "-yım" ("Ankaralıyım", "Suriyeliyim"); when it names
an institution ("Nüfus", "Belediye"); or when it is a province standing alone ("Ben Ankara
merkezde oturuyorum"). After any cue an apostrophe ending other than "is" ("Ayşe'dir",
"Ahmet'im") ends the name there and keeps it, "adım Ankara'da" does not.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

_STRONG_CUE = r"""(?i:
      (?:benim[ \t]+)?ad[ıi]m(?:[ \t]+(?:ve[ \t]+)?soyad[ıi]m)?     # adım, adım soyadım
    | (?:benim[ \t]+)?[iİ]smim(?:[ \t]+(?:ve[ \t]+)?soy[iİ]smim)?   # ismim
    | ad[ \t]*[-/]?[ \t]*soyad[ıi]?                                 # ad soyad, ad-soyad
    | ad[ıi][ \t]+soyad[ıi]                                         # adı soyadı
    | [iİ]sim[ \t]*[-/]?[ \t]*soy[iİ]sim                             # isim soyisim
    | soyad[ıi]m | soy[iİ]smim                                      # soyadım Yılmaz
    | (?:ad|[iİ]sim|soyad[ıi]?)[ \t]*(?=:)                           # a form: "Ad: ..."
    | my[ \t]+name[ \t]+is | my[ \t]+name's | name[ \t]*(?=:)
)"""
_ARABIC_CUE = r"و?(?:أنا[ \t]+)?[اإ]سمي(?:[ \t]+هو)?"
_WEAK_CUE = r"[Bb]en|I[ \t]+am|I['’]m"
_NAME_RE = re.compile(
    rf"""
    (?<!\w)
    (?:(?P<strong>{_STRONG_CUE})|(?P<arabic>{_ARABIC_CUE})|(?P<weak>{_WEAK_CUE}))
    (?:[ \t]*[:\-,][ \t]*|[ \t]+)
    # The name is looked at, not consumed: "ben adım Ahmet" must still find the cue "adım".
    (?=(?P<first>[^\W\d_]{{2,40}})(?:[ \t]+(?P<second>[^\W\d_]{{2,40}}))?)
    """,
    re.VERBOSE,
)

# Endings after an apostrophe that say "is" / "am" / "was": the word before is still a name.
_COPULA = frozenset(
    "dir dır dur dür tir tır tur tür im ım um üm yim yım yum yüm dim dım dum düm tim tım tum "
    "tüm ydi ydı ydu ydü di dı du dü ti tı tu tü".split()
)
# Words that a capital does not make a name (compared in Turkish lower case).
_NOT_NAMES = frozenset(
    """
    de da ki bu şu o bir çok hiç hep her artık sadece bile yine gene şimdi zaten ise mi mı mu
    mü ve ile ya ne niye neden nasıl hala hâlâ dün bugün yarın burada orada size sizi sizden
    sizin onu ona onun bunu buna bunun kendim kendi hem ama fakat yani evet hayır tam biraz
    daha en gerçekten kesinlikle asla sürekli aslında ben sen biz siz onlar benim bana beni
    teşekkür teşekkürler saygılar saygılarımla merhaba selam iyi günler lütfen
    pazartesi salı çarşamba perşembe cuma cumartesi pazar ocak şubat mart nisan mayıs haziran
    temmuz ağustos eylül ekim kasım aralık
    türk türküm türkiye tc vatandaş vatandaşı vatandaşıyım suriyeli suriye kürt arap alman
    afgan iraklı iranlı rus ukraynalı azeri müslüman yabancı
    memur öğretmen emekli işçi doktor avukat mühendis hemşire asker öğrenci esnaf çiftçi
    şoför engelli gazi anne baba hasta yaşlı
    the a an not also very from and so just really
    turkish syrian iraqi afghan iranian german british american kurdish arab muslim ukrainian
    russian
    """.split()
)
# Beginnings of words naming institutions, which citizens capitalise: "Ben Nüfus müdürlüğüne".
_INSTITUTION_STEMS = (
    "nüfus", "vergi", "emniyet", "belediye", "valili", "kaymakam", "hastane", "müdürlü",
    "başkanlı", "bakanlı", "merkez", "karakol", "okul", "üniversite", "adliye", "mahkeme",
    "savcı", "ptt", "sgk", "e-devlet", "edevlet", "noter", "tapu", "jandarma", "polis",
    "zabıta", "muhtar", "devlet", "cumhurbaşkan", "meclis", "göç", "afad", "kızılay", "sağlık",
    "eğitim", "milli", "allah",
)
_ARABIC_NOT_NAMES = frozenset("انا أنا من في عمري عن على هو هي".split())
_FIRST_PERSON_ENDING_RE = re.compile(r"(?:y[ıiuü]m)$")


def names(view: str) -> Iterator[tuple[int, int]]:
    """Spans of names after a cue in the working copy."""
    for match in _NAME_RE.finditer(view):
        span = _name_span(view, match)
        if span is not None:
            yield span


def _name_span(view: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The one or two words after the cue that make a name, or None."""
    arabic = match.group("arabic") is not None
    weak = match.group("weak") is not None
    if not _word_is_name(view, match, "first", arabic, weak):
        return None
    if match.group("second") is not None and _word_is_name(view, match, "second", arabic, weak):
        return match.start("first"), match.end("second")
    if weak and _is_place(match.group("first")):
        return None  # "Ben Ankara merkezde ...": a lone province is where, not who
    return match.start("first"), match.end("first")


def _word_is_name(view: str, match: re.Match[str], group: str, arabic: bool, weak: bool) -> bool:
    word = match.group(group)
    if group == "second" and arabic and word.startswith("و"):
        return False  # "اسمي أحمد وأنا ...": "and I", not a surname
    return _could_be_name(word, arabic, weak) and _ending_allows_name(view, match.end(group))


def _could_be_name(word: str, arabic: bool, weak: bool) -> bool:
    lower = turkish_lower(word)
    if arabic and "\u0600" <= word[0] <= "\u06ff":
        return word not in _ARABIC_NOT_NAMES
    if not word[0].isupper() or lower in _NOT_NAMES:
        return False
    if weak:
        if lower.startswith(_INSTITUTION_STEMS) or _FIRST_PERSON_ENDING_RE.search(lower):
            return False
    return True


def _ending_allows_name(view: str, end: int) -> bool:
    """After "Ayşe'dir" a name, after "Ankara'da" a place: an apostrophe ending decides."""
    if end >= len(view) or view[end] not in "'’":
        return True
    ending = re.match(r"\w*", view[end + 1 : end + 6])
    return ending is not None and turkish_lower(ending.group()) in _COPULA


def _is_place(word: str) -> bool:
    return turkish_lower(word) in _province_names()


@cache
def _province_names() -> frozenset[str]:
    """The 81 provinces, from the same file the survey's place questions use."""
    resource = resources.files("conversations") / "data" / "provinces.csv"
    rows = csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8")))
    return frozenset(turkish_lower(row["name"]) for row in rows)


def turkish_lower(word: str) -> str:
    """Lower case with Turkish dotted and dotless i: "İZMİR" -> "izmir", "IĞDIR" -> "ığdır"."""
    return word.replace("I", "ı").replace("İ", "i").lower()
