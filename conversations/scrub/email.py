"""E-mail addresses, plain or disguised.

Plain: a local part of up to 64 word characters or ".%+-" (Turkish letters included, they cost
nothing), "@", a domain of 1-8 labels and a letter-only top-level domain.

Disguised, as people write them to dodge spam robots or because they are unsure: "[at]",
"(at)", "{at}", "[@]", "[et]" for "@"; "(dot)", "[dot]", "[.]", "(nokta)" for "."; "%40" and
"%2E" (URL-encoded); spaces around "@" ("ali @ gmail . com") or after it ("ali@ gmail.com");
the words " at " and " dot " / " nokta ". Full-width "＠" and "．" are plain ones in the working
copy. A disguised address must end in a well-known top-level domain, so "Saat 10 @ ofis.
Sonra" stays. The bare word " at " is English before it is an address, so it needs more: a
local part with a digit or ". _ + -" in it ("ali.veli at gmail.com"), a disguised dot ("ali at
gmail dot com"), or a webmail domain ("ali at gmail.com"); "Look at turkiye.gov.tr" stays.
Not taken: a space before "@" only ("Bakanlığın @icisleri.gov.tr hesabı" names an account),
or a space after "." only ("We met at noon. Com ..." ends a sentence).

Without a top-level domain, an address is taken when its domain is a webmail provider
("ayse.yilmaz85@gmail", "ali@hotmail"): "ayse@localhost" or "a@b" stay. After a mail cue
("mailim", "e-posta:", "mail adresim", "ايميلي"), a word followed by a webmail provider
("mailim ayseyilmaz85 gmail") is an address with its "@" and ".com" left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_OPEN = r"[ ]?[\[({<][ ]?"
_CLOSE = r"[ ]?[\])}>][ ]?"
_AT = rf"""(?P<at>
      @[ ]{{0,3}}                     # ali@gmail.com, ali@ gmail.com
    | [ ]{{1,3}}@[ ]{{1,3}}           # ali @ gmail.com
    | {_OPEN}(?:at|et|@){_CLOSE}      # ali [at] gmail.com, ali(at)gmail.com, ali [et] ...
    | %40                             # ali%40gmail.com
    | [ ]{{1,3}}at[ ]{{1,3}}          # ali at gmail dot com: checked below
)"""
_DOT = rf"""(?:
      \.
    | [ ]{{1,3}}\.[ ]{{0,3}}          # gmail . com, gmail .com
    | {_OPEN}(?:dot|nokta|\.){_CLOSE} # gmail(dot)com, gmail [nokta] com, gmail[.]com
    | %2E
    | [ ]{{1,3}}(?:dot|nokta)[ ]{{1,3}}
)"""
_PLAIN_RE = re.compile(
    r"""
    (?<![\w.%+\-])          # start only where a local part can start: linear scanning
    [\w.%+\-]{1,64}         # local part (RFC 5321 limit), bounded
    @
    (?:[\w\-]{1,63}\.){1,8} # domain labels: "." is not in the label class, no ambiguity
    [^\W\d_]{2,24}          # top-level domain: letters only
    (?![\w\-])
    """,
    re.VERBOSE,
)
_DISGUISED_RE = re.compile(
    rf"""
    (?<![\w.%+\-])
    (?P<local>[\w.%+\-]{{1,64}})   # local part (RFC 5321 limit), bounded
    {_AT}
    (?P<domain>(?:[\w\-]{{1,63}}{_DOT}){{1,8}})  # every dot begins with a non-label char
    (?P<tld>[^\W\d_]{{2,24}})
    (?![\w\-@])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_KNOWN_TLDS = frozenset(
    "com net org edu gov mil int info biz name pro io co me tv cc app dev online site xyz "
    "tr de uk fr nl it es ru us ca au ch at be se no dk fi pl cz gr az ir iq sy sa ae qa kw "
    "jo lb eg ua eu".split()
)
_WEBMAIL = frozenset(
    "gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac yandex mynet "
    "proton protonmail gmx aol mail windowslive superonline ttmail turk".split()
)
_DISGUISED_DOT_RE = re.compile(r"dot|nokta|[\[({<]|%2e", re.IGNORECASE)

_WEBMAIL_ALTERNATIVES = "|".join(sorted(_WEBMAIL, key=len, reverse=True))
# "ayse.yilmaz85@gmail": the provider says what the missing ".com" would have.
_NO_TLD_RE = re.compile(
    rf"(?<![\w.%+\-])[\w.%+\-]{{1,64}}@(?:{_WEBMAIL_ALTERNATIVES})(?![\w\-@])",
    re.IGNORECASE,
)
# "mailim ayseyilmaz85 gmail", "e-posta: mehmet.kaya hotmail com": a cue, one word, a provider.
_CUED_RE = re.compile(
    rf"""
    (?<!\w)
    (?:e-?posta|e-?mail|mail|ايميل|إيميل|بريد)\w{{0,6}}          # mailim, e-postam, ايميلي
    (?:[ \t]+adres\w{{0,4}})?                                   # mail adresim
    [ \t]{{0,3}}[:\-]?[ \t]{{0,3}}
    (?P<address>
        [\w.+\-]{{1,64}}[ \t]{{1,3}}(?:{_WEBMAIL_ALTERNATIVES})
        (?:[ \t]{{0,2}}\.?[ \t]{{0,2}}(?:com|net)(?:[ \t]{{0,2}}\.?[ \t]{{0,2}}tr)?)?
    )
    (?![\w\-@]|\.\w)                                              # a full stop may end it
    """,
    re.VERBOSE | re.IGNORECASE,
)


def emails(view: str) -> Iterator[tuple[int, int]]:
    """Spans of e-mail addresses, plain or disguised, in the working copy.

    Plain addresses are looked for on their own, so that a disguise rejected below cannot
    hide a plain address it overlaps; a plain address found twice is one finding.
    """
    for match in _PLAIN_RE.finditer(view):
        yield match.span()
    for match in _DISGUISED_RE.finditer(view):
        if _plausible_disguise(match):
            yield match.span()
    for match in _NO_TLD_RE.finditer(view):
        yield match.span()
    for match in _CUED_RE.finditer(view):
        yield match.span("address")


def _plausible_disguise(match: re.Match[str]) -> bool:
    if match.group("tld").lower() not in _KNOWN_TLDS:
        return False
    if match.group("at").strip().lower() != "at":
        return True
    # The bare word "at": an address only if something else says so.
    if re.search(r"[0-9._+\-]", match.group("local")):
        return True
    domain = match.group("domain")
    if _DISGUISED_DOT_RE.search(domain):
        return True
    first_label = re.match(r"[\w\-]+", domain)
    return first_label is not None and first_label.group().lower() in _WEBMAIL
