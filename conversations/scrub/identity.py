"""Identity and tax numbers: TC Kimlik numbers (TCKN) and vergi kimlik numbers (VKN).

Both are read off whole digit chains (see digit_groups.digit_chains), whatever the
separators, and both are decided by their check digits: without them any order or reference
number would be masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from conversations.scrub.digit_groups import Chain, is_amount, looks_like_thousands


def is_valid_tckn(digits: str) -> bool:
    """True if `digits` is exactly 11 ASCII digits forming a TC Kimlik number.

    d1 is not 0, d10 = (7*(d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, d11 = (d1+...+d10) mod 10.
    Spaces or other characters make it False: strip them first.
    """
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or digits[0] == "0":
        return False
    d = [int(c) for c in digits]
    if (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10 != d[9]:
        return False
    return sum(d[:10]) % 10 == d[10]


def is_valid_vkn(digits: str) -> bool:
    """True if `digits` is exactly 10 ASCII digits forming a vergi kimlik number.

    The check digit of the Revenue Administration (GİB; verified by the service at
    turkiye.gov.tr/gib-intvrg-vergi-kimlik-numarasi-dogrulama, and implemented the same way in
    python-stdnum's stdnum/tr/vkn.py): for the i-th of the first nine digits counted from the
    right (i = 1..9), c = (digit + i) mod 10; if c is not 0 it adds (c * 2**i) mod 9, or 9
    when that is 0. d10 = (10 - sum mod 10) mod 10. One digit in ten passes by chance.
    """
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, digit in enumerate(reversed(digits[:9]), start=1):
        c = (int(digit) + i) % 10
        if c:
            total += (c * 2**i) % 9 or 9
    return (10 - total % 10) % 10 == int(digits[9])


def tckns(view: str, chains: Sequence[Chain]) -> Iterator[tuple[int, int]]:
    """Spans of TC Kimlik numbers in the working copy, a "TC" glued to the number included."""
    for chain in chains:
        if is_valid_tckn(chain.digits) and not is_amount(view, chain):
            yield _with_tc_prefix(view, chain.start), chain.end


# "TC12345678950", "T.C.12345678950": the prefix is part of the token, and masking only the
# digits would leave a stray "TC". A prefix set apart ("TC 123...", "TC: 123...") is a label
# the citizen wrote, like "Kimlik no", and stays.
_TC_PREFIXES = ("T.C.", "T.C", "TC.", "TC")


def _with_tc_prefix(view: str, start: int) -> int:
    for prefix in _TC_PREFIXES:
        begin = start - len(prefix)
        if begin >= 0 and view[begin:start].upper() == prefix:
            if begin == 0 or not (view[begin - 1].isalnum() or view[begin - 1] == "."):
                return begin
    return start


# A VKN passes its check digit by chance once in ten, so the words before the number count:
# a tax cue makes it a tax number, a reference cue ("sipariş no", "takip no", "fatura no",
# "dilekçe no", "tutanak no" ... the numbers an office gives a citizen's papers) makes it
# anything but. Without either, a valid check digit is enough.
_LOOK_BACK = 40
_TAX_CUE_RE = re.compile(r"(?<!\w)(?:vergi|vkn|v\.k\.n|tax|ضريب)", re.IGNORECASE)
_REFERENCE_CUE_RE = re.compile(
    r"(?<!\w)(?:sipari[şs]|dekont|ba[şs]vuru|referans|ref|takip|kargo|fatura|abone|dosya"
    r"|barkod|seri|evrak|i[şs]lem|kay[ıi]t|randevu|bilet|rezervasyon|poli[çc]e|s[öo]zle[şs]me"
    r"|dilek[çc]e|tutanak|belge|talep|[şs]ikay?et|ihbar|protokol|karar|esas|sicil"
    r"|m[üu][şs]teri|order|reference|tracking|invoice|ticket|application|booking)",
    re.IGNORECASE,
)


def vkns(view: str, chains: Sequence[Chain]) -> Iterator[tuple[int, int]]:
    """Spans of vergi kimlik numbers in the working copy."""
    for chain in chains:
        if _is_vkn(view, chain):
            yield chain.start, chain.end


def _is_vkn(view: str, chain: Chain) -> bool:
    if not is_valid_vkn(chain.digits) or is_amount(view, chain) or looks_like_thousands(chain):
        return False
    if _glued_to_letters(view, chain):
        return False  # "key-0123456789abcdef", "REF4540536920": a code, not a tax number
    before = view[max(0, chain.start - _LOOK_BACK) : chain.start]
    if _TAX_CUE_RE.search(before):
        return True
    return _REFERENCE_CUE_RE.search(before) is None


def _glued_to_letters(view: str, chain: Chain) -> bool:
    before = view[chain.start - 1] if chain.start else " "
    after = view[chain.end] if chain.end < len(view) else " "
    return before.isalpha() or after.isalpha()
