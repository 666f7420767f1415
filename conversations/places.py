"""Turkish provinces (il) and districts (ilçe): reference data and forgiving name matching.

Citizens type place names on phones, often without Turkish letters ("sanliurfa"), in capitals
with the wrong dotless/dotted I ("ISTANBUL"), with old names ("Urfa", "Afyon") or with a typo.
This module turns such text into a :class:`Province` or :class:`District`, or into a short list of
candidates the bot can offer as buttons.

Data: ``conversations/data/provinces.csv`` (81 rows) and ``districts.csv`` (973 rows), see
``data/SOURCES.md``. They are read once, lazily, through :mod:`importlib.resources`. The
Arabic names of the provinces and larger districts (:mod:`conversations.arabic_names`) are
matched like the aliases below, whatever the citizen's language.

Matching (both provinces and districts) works on :func:`normalize`-d text with spaces removed,
and tries, in order:

1. (provinces only) a plate code typed as digits: "6", "06", " 34 ", "34." -> exact;
2. the official name or a well-known alias / older name -> ``exact``;
3. a unique prefix of at least 3 characters -> ``fuzzy`` (several -> ``ambiguous``);
4. one typo (Damerau-Levenshtein distance 1) for inputs of 4+ characters -> ``fuzzy``
   (several equally close -> ``ambiguous``); distance 2 for inputs of 8+ characters, only if
   a single place is that close;
5. otherwise ``none``. More than :data:`MAX_CANDIDATES` candidates also gives ``none``: such a
   list is no help as buttons, the caller should show the full list instead.

Central district ("Merkez"): in districts.csv every one of the 51 non-metropolitan provinces has a
district literally named "Merkez", and none of the 30 metropolitan ones has. ``is_central`` is
therefore True for

* the "Merkez" district of a non-metropolitan province, and
* in a metropolitan province, the districts that were carved out of (or renamed from) the former
  central district when the metropolitan municipality was extended to the whole province
  (Law 5747 of 2008, Law 6360 of 2012) or in the earlier 1986-1993 splits, e.g. Adana ->
  Seyhan, Yüreğir, Çukurova, Sarıçam; Aydın -> Efeler; Denizli -> Merkezefendi, Pamukkale
  (see ``_METROPOLITAN_CENTRAL``).

Ankara, İstanbul and İzmir have no central district: their urban core spans 9 to 25 districts,
more than a button list can sensibly hold.

``match_district(plate, "merkez")`` (also "merkez ilçe", "il merkezi", "center", "centre" and the
province's own name, e.g. "Bolu" within Bolu) returns the central district(s): one -> ``exact``,
several -> ``ambiguous``, none (Ankara, İstanbul, İzmir) -> ``none``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Generic, Literal, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from conversations import arabic, arabic_names

__all__ = [
    "MAX_CANDIDATES",
    "District",
    "MatchStatus",
    "PlaceMatch",
    "Province",
    "arabic_name",
    "districts_of",
    "match_district",
    "match_province",
    "normalize",
    "province_by_plate",
    "provinces",
    "provinces_sorted_by_arabic_name",
    "provinces_sorted_by_name",
    "turkish_sort_key",
]

MAX_CANDIDATES = 8
"""Most candidates an ``ambiguous`` match carries (they become buttons)."""

_MIN_PREFIX = 3
_MIN_LEN_ONE_TYPO = 4
_MIN_LEN_TWO_TYPOS = 8

MatchStatus = Literal["exact", "fuzzy", "ambiguous", "none"]


# --------------------------------------------------------------------------- normalisation

# Turkish casing: the default Unicode lower() maps "I" to "i" and "İ" to "i̇" (with a combining
# dot), both wrong for Turkish, so the two capitals are mapped by hand first.
_TURKISH_LOWER = str.maketrans({"İ": "i", "I": "ı"})


def _turkish_lower(text: str) -> str:
    return text.translate(_TURKISH_LOWER).lower()


def normalize(text: str) -> str:
    """Fold *text* for place matching: Turkish lower-case, ASCII letters, single spaces.

    "İSTANBUL", "Istanbul" -> "istanbul"; "Şanlıurfa" -> "sanliurfa"; "K.Maraş" -> "k maras".
    Accents are stripped (NFKD), zero-width and bidi-control characters removed, punctuation
    (apostrophes, dots, hyphens, ...) becomes a space. Arabic gets one spelling for its letter
    variants and loses its article: "إسطنبول" == "اسطنبول", "الريحانية" -> "ريحانيه".
    """
    # ı has no decomposition, so NFKD would keep it: fold it explicitly.
    lowered = _turkish_lower(text).replace("ı", "i")
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", lowered):
        category = unicodedata.category(char)
        if category == "Cf" or category.startswith("M"):
            continue  # zero-width/bidi format characters and combining accents vanish
        kept.append(char if char.isalnum() else " ")
    # NFKD can produce capitals from compatibility characters (e.g. "ℌ"): lower again.
    words = arabic.fold("".join(kept).lower()).split()
    return " ".join(arabic.without_article(word) for word in words)


def _compact(text: str) -> str:
    """Key used for lookups: normalised, without spaces ("K. Maraş" == "KMaraş")."""
    return normalize(text).replace(" ", "")


# --------------------------------------------------------------------------- collation

_TURKISH_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"  # q, w, x kept for foreign words
_LETTER_BASE = 100
_LETTER_RANK = {char: _LETTER_BASE + i for i, char in enumerate(_TURKISH_ALPHABET)}


def _char_rank(char: str) -> int:
    if char in _LETTER_RANK:
        return _LETTER_RANK[char]
    if char.isdecimal():
        return 10 + unicodedata.decimal(char)  # digits sort before letters
    base = unicodedata.normalize("NFKD", char)[:1]
    if base in _LETTER_RANK:
        return _LETTER_RANK[base]  # â, î, û sort with a, i, u
    if char.isalpha():
        return _LETTER_BASE + len(_TURKISH_ALPHABET) + ord(char)
    return 0  # spaces and punctuation sort first, like "word boundary"


def turkish_sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Sort key for Turkish alphabetical order (a b c ç d e f g ğ h ı i j ... ş t u ü v y z).

    Pure Python so that button order does not depend on the host's ICU/locale.
    """
    lowered = _turkish_lower(text)
    return tuple(_char_rank(char) for char in lowered), text


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Province:
    """One of the 81 provinces (il)."""

    plate: str  # two digits, "06"
    name: str  # official Turkish name, "Ankara"
    nuts1: str
    nuts1_name: str
    nuts1_name_en: str
    nuts2: str
    nuts3: str
    is_metropolitan: bool
    nuts2_name: str = ""  # last, with a default, so positional construction per nuts1..3 works


@dataclass(frozen=True)
class District:
    """One of the 973 districts (ilçe); ``is_central``: see the module docstring."""

    district_id: int
    plate: str
    name: str
    is_central: bool


# Districts that hold the former central district of each metropolitan province (why: see the
# module docstring). Ankara (06), İstanbul (34) and İzmir (35) deliberately have no entry.
_METROPOLITAN_CENTRAL: Mapping[str, tuple[str, ...]] = {
    "01": ("Çukurova", "Sarıçam", "Seyhan", "Yüreğir"),
    "07": ("Aksu", "Döşemealtı", "Kepez", "Konyaaltı", "Muratpaşa"),
    "09": ("Efeler",),
    "10": ("Altıeylül", "Karesi"),
    "16": ("Nilüfer", "Osmangazi", "Yıldırım"),
    "20": ("Merkezefendi", "Pamukkale"),
    "21": ("Bağlar", "Kayapınar", "Sur", "Yenişehir"),
    "25": ("Aziziye", "Palandöken", "Yakutiye"),
    "26": ("Odunpazarı", "Tepebaşı"),
    "27": ("Şahinbey", "Şehitkamil"),
    "31": ("Antakya", "Defne"),
    "33": ("Akdeniz", "Mezitli", "Toroslar", "Yenişehir"),
    "38": ("Kocasinan", "Melikgazi"),
    "41": ("Başiskele", "İzmit", "Kartepe"),
    "42": ("Karatay", "Meram", "Selçuklu"),
    "44": ("Battalgazi", "Yeşilyurt"),
    "45": ("Şehzadeler", "Yunusemre"),
    "46": ("Dulkadiroğlu", "Onikişubat"),
    "47": ("Artuklu",),
    "48": ("Menteşe",),
    "52": ("Altınordu",),
    "54": ("Adapazarı", "Arifiye", "Erenler", "Serdivan"),
    "55": ("Atakum", "Canik", "İlkadım"),
    "59": ("Süleymanpaşa",),
    "61": ("Ortahisar",),
    "63": ("Eyyübiye", "Haliliye", "Karaköprü"),
    "65": ("İpekyolu", "Tuşba"),
}

_MERKEZ = "Merkez"


def _read_csv(filename: str) -> list[dict[str, str]]:
    resource = resources.files("conversations") / "data" / filename
    return list(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))))


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes"}


@cache
def provinces() -> tuple[Province, ...]:
    """All 81 provinces, sorted by plate code."""
    rows = _read_csv("provinces.csv")
    items = (
        Province(
            plate=row["plate"],
            name=row["name"],
            nuts1=row["nuts1"],
            nuts1_name=row["nuts1_name"],
            nuts1_name_en=row["nuts1_name_en"],
            nuts2=row["nuts2"],
            nuts3=row["nuts3"],
            is_metropolitan=_parse_bool(row["is_metropolitan"]),
            nuts2_name=row["nuts2_name"],
        )
        for row in rows
    )
    return tuple(sorted(items, key=lambda p: p.plate))


@cache
def _provinces_by_plate() -> dict[str, Province]:
    return {p.plate: p for p in provinces()}


@cache
def provinces_sorted_by_name() -> tuple[Province, ...]:
    """All provinces in Turkish alphabetical order (for buttons)."""
    return tuple(sorted(provinces(), key=lambda p: turkish_sort_key(p.name)))


def arabic_name(province: Province) -> str:
    """The province's name on its button for Arabic speakers ("غازي عنتاب")."""
    return arabic_names.shown_province_name(province.plate) or province.name


def _arabic_sort_key(text: str) -> tuple[str, str]:
    # Arabic letters in code point order are in alphabetical (hijāʾī) order once the
    # variants are folded (أ and ا together, ة with ه).
    return arabic.fold(text), text


@cache
def provinces_sorted_by_arabic_name() -> tuple[Province, ...]:
    """All provinces in Arabic alphabetical order of their Arabic names (for buttons)."""
    return tuple(sorted(provinces(), key=lambda p: _arabic_sort_key(arabic_name(p))))


def _plate_key(plate: str | int) -> str | None:
    """Canonical two-digit plate ("06") for 6, "6", "06" or " 06 "; None if not a number."""
    if isinstance(plate, bool):
        return None  # bool is an int subclass; True is not plate 01
    text = str(plate).strip()
    if not text.isdecimal():
        return None
    number = int(text)
    return f"{number:02d}" if 1 <= number <= 99 else None


def province_by_plate(plate: str | int) -> Province | None:
    """Province for a plate code (6, "6" or "06"), None if there is none."""
    key = _plate_key(plate)
    return _provinces_by_plate().get(key) if key else None


def _is_central(plate: str, name: str) -> bool:
    return name == _MERKEZ or name in _METROPOLITAN_CENTRAL.get(plate, ())


@cache
def _districts_by_plate() -> dict[str, tuple[District, ...]]:
    grouped: dict[str, list[District]] = {}
    for row in _read_csv("districts.csv"):
        plate, name = row["plate"], row["name"]
        district = District(int(row["district_id"]), plate, name, _is_central(plate, name))
        grouped.setdefault(plate, []).append(district)
    return {
        plate: tuple(sorted(items, key=lambda d: turkish_sort_key(d.name)))
        for plate, items in grouped.items()
    }


@cache
def _districts_by_id() -> dict[str, District]:
    return {str(d.district_id): d for ds in _districts_by_plate().values() for d in ds}


def district_by_id(district_id: str | int) -> District | None:
    """The district stored in answers (its id, as a string or number)."""
    return _districts_by_id().get(str(district_id))


def region_name(nuts1: str) -> str | None:
    """The Turkish name of a NUTS-1 region (e.g. "TR1" -> "İstanbul")."""
    return next((p.nuts1_name for p in provinces() if p.nuts1 == nuts1), None)


def districts_of(plate: str | int) -> tuple[District, ...]:
    """Districts of a province in Turkish alphabetical order; empty for an unknown plate."""
    key = _plate_key(plate)
    return _districts_by_plate().get(key, ()) if key else ()


# --------------------------------------------------------------------------- matching

T = TypeVar("T", Province, District)


@dataclass(frozen=True)
class PlaceMatch(Generic[T]):
    """Outcome of :func:`match_province` / :func:`match_district`.

    ``candidates`` holds exactly one place for ``exact``/``fuzzy``, 2..MAX_CANDIDATES places
    (best first) for ``ambiguous`` and none for ``none``.
    """

    status: MatchStatus
    candidates: tuple[T, ...] = ()

    @property
    def best(self) -> T | None:
        """The single match for ``exact``/``fuzzy``, else None."""
        if self.status in ("exact", "fuzzy"):
            return self.candidates[0]
        return None


_NO_MATCH: PlaceMatch[Any] = PlaceMatch("none")


# Keys are compact normalised forms (see _compact); values are official names.
_PROVINCE_ALIASES: Mapping[str, str] = {
    "urfa": "Şanlıurfa",
    "surfa": "Şanlıurfa",  # "Ş.Urfa"
    "antep": "Gaziantep",
    "gantep": "Gaziantep",  # "G.Antep"
    "maras": "Kahramanmaraş",
    "kmaras": "Kahramanmaraş",  # "K.Maraş", "K Maraş"
    "afyon": "Afyonkarahisar",
    "icel": "Mersin",  # province name until 2002
    "izmit": "Kocaeli",  # the provincial seat, commonly used for the province
    "adapazari": "Sakarya",
    "antakya": "Hatay",
    "dersim": "Tunceli",  # name until 1935
}

# Renamed or merged districts still used by people, per plate.
_DISTRICT_ALIASES: Mapping[str, Mapping[str, str]] = {
    "06": {"kazan": "Kahramankazan"},  # renamed 2016
    "34": {"eyup": "Eyüpsultan", "eminonu": "Fatih"},  # renamed 2017; merged into Fatih 2008
    "55": {"ondokuzmayis": "19 Mayıs"},
    "67": {"karadenizeregli": "Ereğli", "kdzeregli": "Ereğli"},
}

_CENTRAL_WORDS = frozenset(
    {"merkez", "ilmerkezi", "sehirmerkezi", "center", "centre", "citycenter", "citycentre"}
)

# "مركز", "وسط البلد", "مركز المدينة", as normalize() and _compact() leave them
_ARABIC_CENTRAL_WORDS = frozenset({"مركز", "مركزمدينه", "مركزولايه", "وسطمدينه", "وسطبلد"})

_PROVINCE_SUFFIXES = frozenset({"il", "ili"})  # "Ankara ili"
_DISTRICT_SUFFIXES = frozenset({"ilce", "ilcesi"})  # "Kadıköy ilçesi", "merkez ilçe"
# Arabic puts the kind of place first: "ولاية غازي عنتاب", "منطقة شاهين بك", "قضاء مرمرة"
# (as normalize() leaves the words: no article, ة -> ه, no hamza).
_ARABIC_PLACE_WORDS = frozenset({"ولايه", "محافظه", "مدينه", "منطقه", "قضا", "ناحيه", "بلديه"})


class _Index(Generic[T]):
    """Precomputed lookup tables for one list of places (all provinces, or one province)."""

    def __init__(
        self,
        places: tuple[T, ...],
        names: Iterable[tuple[str, T]],
        aliases: Iterable[tuple[str, T]],
        extra_exact: Mapping[str, tuple[T, ...]],
    ) -> None:
        # Turkish alphabetical order
        self.rank: dict[T, int] = {place: i for i, place in enumerate(places)}
        # Official names come before aliases, so that on a tie the place whose own name
        # matched is offered first ("mar" -> Mardin, then Kahramanmaraş via "Maraş").
        searchable = [(_compact(text), place, False) for text, place in names]
        searchable += [(_compact(text), place, True) for text, place in aliases]
        self.keys = [key for key, _, _ in searchable]
        self.owners: list[T] = [place for _, place, _ in searchable]
        self.via_alias = [alias for _, _, alias in searchable]
        exact: dict[str, list[T]] = {}
        for key, place, _ in searchable:
            if place not in exact.setdefault(key, []):
                exact[key].append(place)
        for key, extra in extra_exact.items():
            exact.setdefault(key, list(extra))  # real names and aliases win over these
        self.exact: dict[str, tuple[T, ...]] = {
            key: self._ordered(found) for key, found in exact.items()}

    def _ordered(self, places: Iterable[T]) -> tuple[T, ...]:
        return tuple(sorted(set(places), key=self.rank.__getitem__))

    def _ranked_hits(self, indices: Iterable[int]) -> tuple[T, ...]:
        """Places for the given key positions: official-name hits first, then alphabetical."""
        best: dict[T, bool] = {}
        for i in indices:
            place = self.owners[i]
            best[place] = best.get(place, True) and self.via_alias[i]
        return tuple(sorted(best, key=lambda place: (best[place], self.rank[place])))

    def match(self, key: str) -> PlaceMatch[T]:
        if not key:
            return _NO_MATCH
        if key in self.exact:
            return _result("exact", self.exact[key])
        if len(key) >= _MIN_PREFIX:
            found = self._ranked_hits(i for i, k in enumerate(self.keys) if k.startswith(key))
            if found:
                return _result("fuzzy", found)
        return self._match_typo(key)

    def _match_typo(self, key: str) -> PlaceMatch[T]:
        if len(key) < _MIN_LEN_ONE_TYPO:
            return _NO_MATCH
        max_distance = 2 if len(key) >= _MIN_LEN_TWO_TYPOS else 1
        hits = process.extract(
            key, self.keys, scorer=DamerauLevenshtein.distance,
            score_cutoff=max_distance, limit=None,
        )
        if not hits:
            return _NO_MATCH
        best = min(distance for _, distance, _ in hits)
        found = self._ranked_hits(i for _, distance, i in hits if distance == best)
        if best >= 2 and len(found) > 1:
            return _NO_MATCH  # two typos are only trusted when they point to one place
        return _result("fuzzy", found)


def _result(single_status: MatchStatus, found: tuple[T, ...]) -> PlaceMatch[T]:
    if len(found) == 1:
        return PlaceMatch(single_status, found)
    if 1 < len(found) <= MAX_CANDIDATES:
        return PlaceMatch("ambiguous", found)
    return _NO_MATCH


def _place_words_dropped(text: str, suffixes: frozenset[str] = frozenset()) -> str:
    """The name without the kind of place typed with it: a trailing "ili"/"ilçesi", or a
    leading "ولاية"/"منطقة"; normalised, spaces kept."""
    words = normalize(text).split()
    if len(words) > 1 and words[-1] in suffixes:
        words.pop()
    if len(words) > 1 and words[0] in _ARABIC_PLACE_WORDS:
        words.pop(0)
    return " ".join(words)


def _strip_suffix(text: str, suffixes: frozenset[str]) -> str:
    """The lookup key of typed text: no kind-of-place word, no spaces."""
    return _place_words_dropped(text, suffixes).replace(" ", "")


@cache
def _province_index() -> _Index[Province]:
    ordered = provinces_sorted_by_name()
    by_name = {p.name: p for p in ordered}
    aliases = [(alias, by_name[name]) for alias, name in _PROVINCE_ALIASES.items()]
    aliases += [(_place_words_dropped(name), p) for p in ordered
                for name in arabic_names.province_names(p.plate)]
    return _Index(ordered, ((p.name, p) for p in ordered), aliases, {})


@cache
def _district_index(plate: str) -> _Index[District]:
    ordered = districts_of(plate)
    by_name = {d.name: d for d in ordered}
    aliases = [(alias, by_name[name]) for alias, name in _DISTRICT_ALIASES.get(plate, {}).items()]
    aliases += [(_place_words_dropped(name), d) for d in ordered
                for name in arabic_names.district_names(d.district_id)]
    central = tuple(d for d in ordered if d.is_central)
    province = province_by_plate(plate)
    # The province's own name, in Turkish or Arabic, typed for its district: "Kilis" or
    # "كلس" within Kilis is its central district.
    own_names = [province.name, *arabic_names.province_names(plate)] if province else []
    central_keys = (set(_CENTRAL_WORDS) | _ARABIC_CENTRAL_WORDS
                    | {_strip_suffix(name, frozenset()) for name in own_names})
    extra = {key: central for key in central_keys} if central else {}
    return _Index(ordered, ((d.name, d) for d in ordered), aliases, extra)


_PLATE_TEXT = re.compile(r"\d+")


def match_province(text: str) -> PlaceMatch[Province]:
    """Match free text to a province (rules in the module docstring)."""
    normalized = normalize(text)
    if _PLATE_TEXT.fullmatch(normalized):
        province = province_by_plate(normalized)
        return PlaceMatch("exact", (province,)) if province else _NO_MATCH
    return _province_index().match(_strip_suffix(text, _PROVINCE_SUFFIXES))


def match_district(plate: str | int, text: str) -> PlaceMatch[District]:
    """Match free text to a district of the province with *plate* (rules: module docstring)."""
    key = _plate_key(plate)
    if key is None or key not in _districts_by_plate():
        return _NO_MATCH
    return _district_index(key).match(_strip_suffix(text, _DISTRICT_SUFFIXES))
