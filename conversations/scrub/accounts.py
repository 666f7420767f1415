"""Social-media accounts that a citizen gives as their own: "instagram @ayse.yilmaz85".

An "@name" is how institutions are addressed too ("@icisleri'ne yazdım", "Bakanlığın @icisleri
hesabı"), and a comment that names the ministry's account must still say so. So a handle is
masked only after a cue that makes it the citizen's: a platform's name standing alone or with a
possessive ("instagram @...", "telegram: @...", "instagramım @...", "Instagram hesabım @..."),
or "hesabım", "kullanıcı adım", "username", "حسابي" - with up to three words between the cue
and the handle ("حسابي على انستغرام @..."). A platform's name with a case ending ("Twitter'dan
@icisleri'ne yazdım": where the citizen wrote, not who they are) is no cue. The "@" goes with
the handle; the cue stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_PLATFORMS = (
    r"instagram|insta|ig|telegram|twitter|tiktok|facebook|fb|snapchat|snap|youtube|linkedin"
    r"|threads|انستغرام|انستجرام|انستا|تلغرام|تلجرام|تيليجرام|فيسبوك|فيس|تويتر|تيك[ ]?توك|سناب"
)
_ACCOUNT_RE = re.compile(
    rf"""
    (?<!\w)
    (?:
        (?:{_PLATFORMS})(?:[ıiuü]?m)?                  # instagram, instagramım
      | hesab[ıi]m | kullan[ıi]c[ıi][ \t]+ad[ıi]m | user[ \t]?name | حسابي | معرفي
    )
    (?=[ \t:])                                          # "Twitter'dan": not a cue
    [ \t]{{0,3}}:?[ \t]{{0,3}}
    (?:[^\W\d_@]{{1,20}}[ \t]{{1,3}}:?[ \t]{{0,3}}){{0,3}}    # hesabım, على انستغرام
    (?P<handle>@[\w.]{{2,30}})
    """,
    re.VERBOSE | re.IGNORECASE,
)


def accounts(view: str) -> Iterator[tuple[int, int]]:
    """Spans of social-media handles given as the citizen's own, in the working copy."""
    for match in _ACCOUNT_RE.finditer(view):
        start, end = match.span("handle")
        while view[end - 1] == ".":  # "@ayse.yilmaz85." ends a sentence
            end -= 1
        yield start, end
