"""Tests for conversations.places: data loading, normalisation, ordering and matching."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conversations import places
from conversations.places import (
    District,
    PlaceMatch,
    Province,
    districts_of,
    match_district,
    match_province,
    normalize,
    province_by_plate,
    provinces,
    provinces_sorted_by_name,
    turkish_sort_key,
)

_ASCII_FOLD = str.maketrans("çğıöşüâîûÇĞİÖŞÜÂÎÛ", "cgiosuaiuCGIOSUAIU")


def turkish_upper(text: str) -> str:
    return text.replace("i", "İ").replace("ı", "I").upper()


def ascii_fold(text: str) -> str:
    return text.translate(_ASCII_FOLD)


def all_districts() -> list[District]:
    return [d for p in provinces() for d in districts_of(p.plate)]


def names(match: PlaceMatch) -> list[str]:
    return [place.name for place in match.candidates]


# --------------------------------------------------------------------------- data


def test_81_provinces_sorted_by_plate() -> None:
    loaded = provinces()
    assert len(loaded) == 81
    assert [p.plate for p in loaded] == [f"{n:02d}" for n in range(1, 82)]
    assert all(isinstance(p, Province) for p in loaded)


def test_province_fields() -> None:
    ankara = province_by_plate("06")
    assert ankara is not None
    assert ankara.name == "Ankara"
    assert ankara.is_metropolitan is True
    assert ankara.nuts3.startswith(ankara.nuts2) and ankara.nuts2.startswith(ankara.nuts1)
    assert ankara.nuts1_name_en
    assert sum(p.is_metropolitan for p in provinces()) == 30


def test_973_districts_with_unique_ids() -> None:
    loaded = all_districts()
    assert len(loaded) == 973
    assert len({d.district_id for d in loaded}) == 973
    assert len(districts_of(34)) == 39
    assert all(d.plate == "34" for d in districts_of("34"))


def test_districts_of_unknown_plate_is_empty() -> None:
    assert districts_of(0) == ()
    assert districts_of(82) == ()
    assert districts_of("ab") == ()


def test_data_is_packaged_inside_conversations() -> None:
    data = Path(places.__file__).parent / "data"
    for name in ("provinces.csv", "districts.csv", "SOURCES.md"):
        assert (data / name).is_file()
    assert "/work/shared" not in Path(places.__file__).read_text(encoding="utf-8")


def test_import_is_light_and_lazy() -> None:
    code = (
        "import sys\n"
        "import conversations.places as p\n"
        "assert p.provinces.cache_info().currsize == 0, 'data loaded at import'\n"
        "bad = [m for m in ('telegram', 'aiohttp', 'sqlalchemy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    root = Path(places.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- plates


@pytest.mark.parametrize(
    ("plate", "expected"),
    [(6, "Ankara"), ("6", "Ankara"), ("06", "Ankara"), (" 34 ", "İstanbul"), (81, "Düzce")],
)
def test_province_by_plate(plate: str | int, expected: str) -> None:
    province = province_by_plate(plate)
    assert province is not None and province.name == expected


@pytest.mark.parametrize("plate", [0, 82, "0", "82", "100", "", "ankara", -6, True])
def test_province_by_plate_out_of_range(plate: str | int) -> None:
    assert province_by_plate(plate) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6", "Ankara"), ("06", "Ankara"), ("34", "İstanbul"), (" 34 ", "İstanbul"),
     ("34.", "İstanbul"), ("006", "Ankara"), ("81", "Düzce")],
)
def test_match_province_plate_code(text: str, expected: str) -> None:
    match = match_province(text)
    assert match.status == "exact"
    assert match.best is not None and match.best.name == expected


@pytest.mark.parametrize("text", ["0", "00", "82", "99", "100"])
def test_match_province_plate_out_of_range(text: str) -> None:
    match = match_province(text)
    assert match.status == "none" and match.candidates == () and match.best is None


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İSTANBUL", "istanbul"),
        ("Istanbul", "istanbul"),
        ("istanbul", "istanbul"),
        ("İstanbul", "istanbul"),
        ("Şanlıurfa", "sanliurfa"),
        ("SANLIURFA", "sanliurfa"),
        ("sanliurfa", "sanliurfa"),
        ("K.Maraş", "k maras"),
        ("Hakkâri", "hakkari"),
        ("ÇĞÖÜŞ çğöüş", "cgous cgous"),
        ("  Kadıköy'de -  güzel  ", "kadikoy de guzel"),
        ("İs\u200btan\u200dbul\ufeff", "istanbul"),
        ("\u202bAnkara\u202c\u200e", "ankara"),
        ("Afyon-Karahisar", "afyon karahisar"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --------------------------------------------------------------------------- provinces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("istanbul", "İstanbul"),
        ("İSTANBUL", "İstanbul"),
        ("Istanbul", "İstanbul"),
        ("ISTANBUL", "İstanbul"),
        ("sanliurfa", "Şanlıurfa"),
        ("Şanlıurfa", "Şanlıurfa"),
        ("urfa", "Şanlıurfa"),
        ("Ş.Urfa", "Şanlıurfa"),
        ("Afyon", "Afyonkarahisar"),
        ("antep", "Gaziantep"),
        ("G.Antep", "Gaziantep"),
        ("maraş", "Kahramanmaraş"),
        ("K.Maraş", "Kahramanmaraş"),
        ("k maras", "Kahramanmaraş"),
        ("kmaras", "Kahramanmaraş"),
        ("İçel", "Mersin"),
        ("izmit", "Kocaeli"),
        ("Adapazarı", "Sakarya"),
        ("Antakya", "Hatay"),
        ("izmır", "İzmir"),
        ("Ankara ili", "Ankara"),
        ("ankara il", "Ankara"),
        ("Hakkâri", "Hakkari"),
    ],
)
def test_match_province_exact_and_aliases(text: str, expected: str) -> None:
    match = match_province(text)
    assert match.status == "exact"
    assert names(match) == [expected]
    assert match.best is not None and match.best.name == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ankra", "Ankara"),
        ("eskisehr", "Eskişehir"),
        ("istnbul", "İstanbul"),
        ("trabzn", "Trabzon"),
        ("kahraman", "Kahramanmaraş"),
        ("diyarbakr", "Diyarbakır"),
        ("kastomonu", "Kastamonu"),
        ("afyonkrahsar", "Afyonkarahisar"),  # 12 letters, two typos, only one candidate
    ],
)
def test_match_province_fuzzy(text: str, expected: str) -> None:
    match = match_province(text)
    assert match.status == "fuzzy"
    assert match.best is not None and match.best.name == expected


def test_match_province_ambiguous_prefix() -> None:
    match = match_province("kır")
    assert match.status == "ambiguous"
    assert names(match) == ["Kırıkkale", "Kırklareli", "Kırşehir"]
    assert match.best is None


def test_ambiguous_puts_own_name_before_alias() -> None:
    assert names(match_province("mar")) == ["Mardin", "Kahramanmaraş"]


@pytest.mark.parametrize(
    "text", ["xyz", "", "   ", "...", "K.K.T.C", "KKTC", "kibris", "ab", "qwertyuiop"]
)
def test_match_province_none(text: str) -> None:
    match = match_province(text)
    assert match.status == "none"
    assert match.candidates == ()
    assert match.best is None


def test_short_input_needs_exact_or_prefix() -> None:
    assert match_province("an").status == "none"  # under 3 letters: no prefix matching
    assert match_province("vn").status == "none"  # under 4 letters: no typo matching
    assert match_province("van").status == "exact"


def test_every_province_can_be_typed() -> None:
    failures = []
    for province in provinces():
        for typed in (
            province.name,
            turkish_upper(province.name),
            ascii_fold(province.name),
            ascii_fold(turkish_upper(province.name)),
            ascii_fold(province.name).lower(),
        ):
            match = match_province(typed)
            if match.status != "exact" or match.best != province:
                failures.append((typed, match.status, names(match)))
    assert failures == []


def test_every_plate_matches_its_province() -> None:
    for province in provinces():
        assert match_province(province.plate).best == province
        assert match_province(str(int(province.plate))).best == province


def test_ambiguous_candidates_are_bounded() -> None:
    for text in ("a", "ka", "kar", "ba", "e", "s", "me"):
        match = match_province(text)
        assert len(match.candidates) <= places.MAX_CANDIDATES
        if match.status == "ambiguous":
            assert len(match.candidates) >= 2


# --------------------------------------------------------------------------- districts


@pytest.mark.parametrize("text", ["kadikoy", "KADIKÖY", "Kadıköy", "KADIKOY", "Kadıköy ilçesi"])
def test_match_district_exact(text: str) -> None:
    match = match_district("34", text)
    assert match.status == "exact"
    assert names(match) == ["Kadıköy"]


@pytest.mark.parametrize(
    ("plate", "text", "expected"),
    [("34", "kadikoi", "Kadıköy"), (34, "uskudr", "Üsküdar"), (6, "cankya", "Çankaya"),
     ("35", "karsiyak", "Karşıyaka"), ("34", "beylikduzu", "Beylikdüzü")],
)
def test_match_district_fuzzy(plate: str | int, text: str, expected: str) -> None:
    match = match_district(plate, text)
    assert match.best is not None and match.best.name == expected
    assert match.status in {"exact", "fuzzy"}


def test_match_district_aliases() -> None:
    assert names(match_district(34, "Eyüp")) == ["Eyüpsultan"]
    assert names(match_district(34, "eminönü")) == ["Fatih"]
    assert names(match_district(6, "Kazan")) == ["Kahramankazan"]
    assert names(match_district(67, "Kdz. Ereğli")) == ["Ereğli"]
    assert names(match_district(55, "19 Mayıs")) == ["19 Mayıs"]
    assert names(match_district(55, "ondokuz mayıs")) == ["19 Mayıs"]


def test_match_district_ambiguous_prefix() -> None:
    match = match_district(34, "bey")
    assert match.status == "ambiguous"
    assert names(match) == ["Beykoz", "Beylikdüzü", "Beyoğlu"]


def test_match_district_only_within_province() -> None:
    assert match_district(6, "Kadıköy").status == "none"
    assert match_district(34, "Çankaya").status == "none"


def test_match_district_unknown_province() -> None:
    assert match_district(0, "Merkez").status == "none"
    assert match_district("99", "Kadıköy").status == "none"
    assert match_district("x", "Kadıköy").status == "none"


def test_every_district_can_be_typed() -> None:
    failures = []
    for district in all_districts():
        folded = ascii_fold(district.name)
        siblings = [
            d for d in districts_of(district.plate) if ascii_fold(d.name).lower() == folded.lower()
        ]
        for typed in (district.name, turkish_upper(district.name), folded, folded.upper()):
            match = match_district(district.plate, typed)
            if len(siblings) == 1:
                ok = match.status == "exact" and match.best == district
            else:
                ok = match.status == "ambiguous" and district in match.candidates
            if not ok:
                failures.append((district.plate, typed, match.status, names(match)))
    assert failures == []


# --------------------------------------------------------------------------- Merkez


def test_non_metropolitan_provinces_have_one_merkez() -> None:
    for province in provinces():
        if province.is_metropolitan:
            continue
        central = [d for d in districts_of(province.plate) if d.is_central]
        assert [d.name for d in central] == ["Merkez"], province.name


def test_metropolitan_central_districts_exist() -> None:
    table = places._METROPOLITAN_CENTRAL
    metropolitan = {p.plate for p in provinces() if p.is_metropolitan}
    assert set(table) == metropolitan - {"06", "34", "35"}
    for plate, expected in table.items():
        central = {d.name for d in districts_of(plate) if d.is_central}
        assert central == set(expected), plate
        assert 1 <= len(expected) <= places.MAX_CANDIDATES


def test_central_count() -> None:
    counts = Counter(d.name == "Merkez" for d in all_districts() if d.is_central)
    assert counts[True] == 51
    assert counts[False] == sum(len(v) for v in places._METROPOLITAN_CENTRAL.values())


@pytest.mark.parametrize("text", ["Merkez", "MERKEZ", "merkez ilçe", "Merkez İlçesi", "center",
                                  "centre", "il merkezi", "Bolu"])
def test_merkez_in_non_metropolitan_province(text: str) -> None:
    match = match_district(14, text)  # Bolu
    assert match.status == "exact"
    assert names(match) == ["Merkez"]
    assert match.best is not None and match.best.is_central


def test_merkez_typo_in_non_metropolitan_province() -> None:
    assert names(match_district(14, "merkz")) == ["Merkez"]


def test_merkez_in_metropolitan_province_with_several_centres() -> None:
    match = match_district(1, "merkez")  # Adana
    assert match.status == "ambiguous"
    assert names(match) == ["Çukurova", "Sarıçam", "Seyhan", "Yüreğir"]
    assert names(match_district(20, "merkez")) == ["Merkezefendi", "Pamukkale"]
    assert names(match_district(1, "Adana")) == names(match)


def test_merkez_in_metropolitan_province_with_one_centre() -> None:
    match = match_district(9, "merkez")  # Aydın
    assert match.status == "exact"
    assert names(match) == ["Efeler"]


@pytest.mark.parametrize("plate", ["06", "34", "35"])
def test_merkez_in_big_three_is_none(plate: str) -> None:
    assert match_district(plate, "merkez").status == "none"
    assert not any(d.is_central for d in districts_of(plate))


def test_real_district_name_beats_merkez_alias() -> None:
    assert names(match_district(20, "Merkezefendi")) == ["Merkezefendi"]


# --------------------------------------------------------------------------- ordering


def test_provinces_sorted_by_name_turkish_order() -> None:
    ordered = [p.name for p in provinces_sorted_by_name()]
    assert len(ordered) == 81
    assert ordered.index("Bursa") < ordered.index("Çanakkale") < ordered.index("Denizli")
    assert ordered.index("Çorum") < ordered.index("Denizli")
    assert ordered.index("Hatay") < ordered.index("Iğdır") < ordered.index("Isparta")
    assert ordered.index("Isparta") < ordered.index("İstanbul") < ordered.index("İzmir")
    assert ordered.index("Kırşehir") < ordered.index("Kilis")  # ı before i
    assert ordered.index("Sivas") < ordered.index("Şanlıurfa") < ordered.index("Şırnak")
    assert ordered.index("Şırnak") < ordered.index("Tekirdağ")
    assert ordered.index("Uşak") < ordered.index("Van")
    assert ordered[0] == "Adana" and ordered[-1] == "Zonguldak"
    assert ordered.index("Ağrı") == ordered.index("Afyonkarahisar") + 1


def test_districts_in_turkish_order() -> None:
    names_34 = [d.name for d in districts_of(34)]
    assert names_34 == sorted(names_34, key=turkish_sort_key)
    assert names_34.index("Büyükçekmece") < names_34.index("Çatalca") < names_34.index("Esenler")
    assert names_34.index("Sultangazi") < names_34.index("Şile") < names_34.index("Tuzla")
    assert names_34.index("Tuzla") < names_34.index("Ümraniye") < names_34.index("Zeytinburnu")
    assert districts_of(55)[0].name == "19 Mayıs"


def test_turkish_sort_key() -> None:
    words = ["zeytin", "ılık", "için", "çay", "cam", "ağaç", "ağ", "Ülke", "uzun", "şeker", "su"]
    assert sorted(words, key=turkish_sort_key) == [
        "ağ", "ağaç", "cam", "çay", "ılık", "için", "su", "şeker", "uzun", "Ülke", "zeytin",
    ]


# --------------------------------------------------------------------------- speed


def test_matching_is_fast() -> None:
    match_province("warm up")
    match_district(34, "warm up")
    inputs = ["eskisehr", "kır", "xyz", "İstanbul", "34"]
    start = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        for text in inputs:
            match_province(text)
            match_district(34, text)
    per_call = (time.perf_counter() - start) / (rounds * len(inputs) * 2)
    assert per_call < 0.001


def test_districts_and_regions_are_found_by_their_stored_codes():
    from conversations.places import district_by_id, region_name

    assert district_by_id("1421").name == "Kadıköy" and district_by_id(1421).plate == "34"
    assert district_by_id("0") is None
    assert region_name("TR1") == "İstanbul" and region_name("XX") is None
