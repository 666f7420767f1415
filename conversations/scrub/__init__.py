"""Scrubbing of personal data from citizens' free-text comments before they are stored.

KVKK (Law 6698) lets us keep the opinion, not the person: a comment is passed through `scrub()`
before it reaches the database, and what it recognises is replaced by a placeholder. The rest
of the comment is returned exactly as written, so that it still reads. One module per kind;
what follows is the summary, each module's docstring has the detail.

Long numbers are read however the citizen grouped the digits (digit_groups): one to three
spaces or line breaks, one of . - _ / (with spaces around it or not), or a bare comma between
groups of any length, down to digits typed one by one. A number is read off a whole *chain* of
groups joined by one kind of separator, never off a piece of one: "5 172 917 160 60" is 12
digits, not an identity number, while "123.456.789.50 - 2 gündür" ends the chain at " - ". A
run that changes separator halfway ("102.345.678 28") is read whole for an identity number.

    [TCKN]    TC Kimlik numbers (identity): 11 digits, first digit not 0, both check digits
              right: "12345678950", "123.456.789.50", "1234 5678 950", "1 2 3 4 5 6 7 8 9 5 0",
              "102,345,678,28", "102 345 678-28".
              A "TC" or "T.C." glued to the number ("TC12345678950") is masked with it; one
              set apart ("TC 123 456 78950", "TC: ...") is a label and stays, like "Kimlik no".
    [TEL]     Turkish phone numbers (phones): mobiles (5[0-6]x) with or without 0 / +90 / 0090
              / 90, landlines (area codes 2xx-4xx) only with a trunk 0, a country code or the
              area code in parentheses. The 7 subscriber digits may be grouped any way with one
              kind of separator ("123 45 67", "12 34 567", "1 2 3 4 5 6 7"); a whole chain
              spelling a phone number ("0 5 3 2 1 2 3 4 5 6 7") counts too. Foreign numbers
              only with their "+" and country code ("+963 944 123 456", "+44 7700 900123").
    [VKN]     vergi kimlik numbers (identity): 10 digits whose check digit is right (GİB's
              algorithm, see identity.is_valid_vkn), in any grouping, unless the words just
              before label the number an order, invoice, tracking, application or file number
              ("sipariş no", "fatura no", "dilekçe no", "tutanak no", "evrak kayıt no" ...)
              and no tax word ("vergi", "VKN") overrules them.
    [IBAN]    (iban) "TR" (any case, "T R" too) and 24 digits grouped any way with one kind of
              separator ("TR33 0006 1005 ...", "TR33-0006-...", "TR 330 006 100 ..."), or 24
              digits right after the word "IBAN". Mod-97 is not checked: a mistyped IBAN still
              points at a person's account.
    [EPOSTA]  e-mail addresses (email), plain or disguised: "ali [at] gmail.com",
              "ali(at)gmail(dot)com", "ali @ gmail . com", "ali%40gmail.com", full-width "＠"
              and "．", "ali at gmail dot com". A disguised address needs a well-known TLD; the
              bare word " at " needs a further sign (a digit or "._+-" in the local part, a
              disguised dot, or a webmail domain), so "Look at turkiye.gov.tr" stays. Without a
              top-level domain when the domain is a webmail provider ("ayse85@gmail"), or after
              a mail cue ("mailim ayseyilmaz85 gmail").
    [HESAP]   social-media handles given as the citizen's own (accounts): "@name" after a
              platform's name or "hesabım" ("instagram @ayse.yilmaz85", "telegram: @mehmet_k").
              An "@name" without such a cue ("@icisleri'ne yazdım") names an institution as
              often as a person, and stays.
    [PASAPORT] passport numbers (passports): one letter and 8 digits ("U12345678", "U 12345678")
              anywhere; after "pasaport no", "passport number", "رقم جواز السفر" ... any code of
              6-12 letters and digits with 5 digits or more.
    [DOĞUM TARİHİ] dates of birth (births), the citizen's and their family's: a date -
              numeric, written out ("12 Mayıs 1985", "May 12, 1985") or a year alone - after a
              cue ("doğum tarihim", "d.t.", "doğumlu", "born", "date of birth", "DOB", "تاريخ
              الميلاد", "مواليد", "ولد في") or up to two words before one ("1985 doğumluyum",
              "Oğlum 12.05.2015 tarihinde doğdu", "Eşim 1988'de doğdu"); "85 doğumluyum",
              "1985'liyim". The cue stays.
    [PLAKA]   vehicle plates (plates): province 01-81, 1-3 letters of the plate alphabet (A-Z
              without Q, W, X), digits; any case, with spaces, line breaks, "-", "_", "/" or
              nothing between the parts ("34 ABC 123", "34 abc 123", "34_ABC_123"). One letter
              needs 4-5 digits, 2-3 letters 2-4 digits. A month abbreviation and a year ("15
              Oca 2024", "12 Dec 2023") is a date, digits a word counts ("45 kişi") a count.
    [AD]      names where the words around them announce one (names, with name_cues,
              name_runs, name_arabic, name_contexts, name_words): after "adım", "ismim",
              "ad soyad:", "my name is", "اسمي", "الاسم:" in any case ("benim adım ahmet");
              after "ben", "I am", "أنا" when the words end like a name (a comma or the end,
              "'yım", "Bey", "from", two capitalised words: "Ben Umut.", "Ben Ali Rıza Kaya,
              emekli"); a relative's ("Kızımın adı Elif", "Eşim Gülsüm Arslan adına"); a
              signature at the end ("Saygılarımla, Ayşe Yılmaz", "أخوكم محمد خالد", a kunya
              "أبو أحمد"); an official's first name and surname after their rank ("Jandarma
              Astsubay Kemal Yıldız"); "X Y adına". Up to three words, particles and Arabic
              compounds going with them ("Muhammed Ali el-Hasan", "عبد الرحمن الخطيب"); the
              cue, a title ("Dr.", "Av.") and an honorific ("Bey", "Hanım") stay.

Deliberately not masked, because citizens need them to say what happened and a comment that
lost them would be useless: dates, times, years, amounts ("1.250.000 TL": a number next to a
currency is never an identifier), counts and lists of numbers ("1, 2, 3"); service and
institution numbers (112, 155, 156, 110, 122, 182, 183, "444 1 444", 0850/0800/0900 numbers,
"+90 850 ..."); a landline without prefix ("212 123 45 67", too much like any 10-digit
number); numbers whose check digits are wrong; a valid VKN labelled as a reference number
("sipariş no", "dilekçe no", "tutanak no" ...) - a valid TC Kimlik number is masked whatever
its label, since one 11-digit number in a hundred passes by chance and citizens do paste their
identity number as a "başvuru numarası"; plate-like text such as "34 yaşındayım", "06 Mayıs",
"15 Oca 2024", "06 EYT 45 kişi", "50 TL 100 TL", "10 A 25", "12 ay 36 taksit"; an official's
rank and an official named by one name and an honorific ("Polis Memuru Ahmet Bey", "Görevli
Hanım", "Officer Mehmet"); "ben" / "I am" / "أنا" before a common word, a language, a
nationality, a religion, a place or an institution ("Ben Türkçe bilmiyorum", "I am Iraqi",
"Ben Randevu alamadım", "أنا سعيد بالخدمة", "Ben Ankara'ya gittim"); a cue word with no name
after it ("Adım Adım Anadolu", "İsmim listede yoktu", "اسمي غير مسجل"); an "@name" no
personal cue claims ("@icisleri'ne yazdım"); and a "TC" label set apart from the number.

Not recognised, though personal (known gaps; tests/scrub_corpus.py KNOWN_GAPS holds examples):
postal addresses; identity card serial numbers ("seri no A12B34567"), card, licence and
registry numbers without a cue; names with no cue ("Ayşe Yılmaz 0532 ...", "0532 ... Ayşe
Hanım", "Görevli Ahmet bey"); after "ben", a name in lower case ("ben ayşe"), in a comment
typed in capitals ("BEN AYŞE"), or a single name followed by a lower-case word or a number
("Ben Zeynep öğretmenim", "Ben Ahmet 3 gündür") - too like "Ben Randevu alamadım" to tell
apart; names ending like a verb after a weak cue ("Nedim", read as "-dim"); a foreign number
without its "+" ("00963 ..."); "ali @gmail.com" (a space before "@" only, which is how accounts
are named: "@icisleri"); a number sharing its separator with a neighbouring number ("102 345
678 28 3 gündür" is one 12-digit chain); a VKN grouped by thousands.

Hostile input: every pattern is anchored on a look-behind that admits a start only at the
beginning of a token, and every repetition is bounded or unambiguous, so matching is linear in
the length of the text (no catastrophic backtracking); digit chains are built in one pass, and
only those with as many digits as an identifier can have. Before matching, invisible format
characters (zero-width spaces and joiners, bidi marks, soft hyphens) are dropped from a working
copy, other Unicode digits (Arabic-Indic, full-width) are read as ASCII digits, Unicode spaces
and dashes as " " and "-", other characters in their NFKC form ("＠" as "@"): so
"0532<zero-width space>123 45 67" or a phone number in Arabic-Indic digits is still found.
Positions are mapped back to the original text, and only the found spans are replaced:
everything else, NUL bytes and emoji included, is returned untouched.

Standard library only: this package is imported by the conversation layer and by tools, it
must not pull in telegram, aiohttp or sqlalchemy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from conversations.scrub.accounts import accounts
from conversations.scrub.births import births
from conversations.scrub.digit_groups import digit_chains
from conversations.scrub.email import emails
from conversations.scrub.iban import ibans
from conversations.scrub.identity import is_valid_tckn, is_valid_vkn, tckns, vkns
from conversations.scrub.names import names
from conversations.scrub.passports import passports
from conversations.scrub.phones import phones
from conversations.scrub.plates import plates
from conversations.scrub.working_copy import working_copy

__all__ = ["Finding", "find_personal_data", "is_valid_tckn", "is_valid_vkn", "scrub"]

# The kinds, as they appear in the placeholders: "[TCKN]", "[DOĞUM TARİHİ]" ...
TCKN = "TCKN"
TEL = "TEL"
VKN = "VKN"
EPOSTA = "EPOSTA"
HESAP = "HESAP"
IBAN = "IBAN"
PLAKA = "PLAKA"
PASAPORT = "PASAPORT"
DOGUM_TARIHI = "DOĞUM TARİHİ"
AD = "AD"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and its span [start, end) in the original text."""

    kind: str  # one of the kinds above
    start: int
    end: int


def scrub(text: str) -> str:
    """Replace personal data in free text by placeholders."""
    parts: list[str] = []
    done = 0
    for finding in find_personal_data(text):
        parts.append(text[done : finding.start])
        parts.append(f"[{finding.kind}]")
        done = finding.end
    parts.append(text[done:])
    return "".join(parts)


def find_personal_data(text: str) -> list[Finding]:
    """Personal data in `text`: non-overlapping findings in the order they appear."""
    view, positions = working_copy(text)
    chosen: list[Finding] = []
    starts: list[int] = []
    for kind, start, end in _candidates(view):
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        index = bisect_right(starts, start)
        if index and chosen[index - 1].end > start:
            continue
        if index < len(chosen) and chosen[index].start < end:
            continue
        chosen.insert(index, Finding(kind, start, end))
        starts.insert(index, start)
    return chosen


def _candidates(view: str) -> Iterator[tuple[str, int, int]]:
    """Every span a detector proposes, from the most specific detector to the least.

    On overlap the earlier one wins: an e-mail address swallows the digits in it, an IBAN the
    phone-like groups in it, an identity number the shorter numbers it could be read as.
    """
    yield from _tagged(EPOSTA, emails(view))
    yield from _tagged(HESAP, accounts(view))
    yield from _tagged(IBAN, ibans(view))
    chains = digit_chains(view)  # once for the three detectors that read them
    yield from _tagged(TCKN, tckns(view, chains))
    yield from _tagged(TEL, phones(view, chains))
    yield from _tagged(VKN, vkns(view, chains))
    yield from _tagged(PASAPORT, passports(view))
    yield from _tagged(DOGUM_TARIHI, births(view))
    yield from _tagged(PLAKA, plates(view))
    yield from _tagged(AD, names(view))


def _tagged(kind: str, spans: Iterator[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    for start, end in spans:
        yield kind, start, end
