"""The working copy of a comment that the patterns read, and the way back to the original.

Invisible format characters (zero-width spaces and joiners, bidi marks, soft hyphens) are
dropped, so that they cannot split a number; other Unicode digits (Arabic-Indic, full-width)
are read as ASCII digits, and Unicode spaces and dashes as " " and "-". Every character of the
copy remembers where it came from, so a span found in the copy is a span of the original.
"""

from __future__ import annotations

import unicodedata


def working_copy(text: str) -> tuple[str, list[int] | None]:
    """A working copy of `text` for matching, and where each of its characters came from.

    None instead of the position list means the copy is the text itself (pure ASCII, the
    common case, costs nothing). Invisible characters are dropped so that they cannot split
    a number; other characters are replaced one for one, so positions stay mappable.
    """
    if text.isascii():
        return text, None
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        if not char.isascii():
            category = unicodedata.category(char)
            if category == "Cf":  # zero-width space/joiner, bidi marks, soft hyphen, BOM
                continue
            char = _unicode_stand_in(char, category)
        chars.append(char)
        positions.append(index)
    return "".join(chars), positions


def _unicode_stand_in(char: str, category: str) -> str:
    """The ASCII character the patterns should see for a non-ASCII one, or the char itself."""
    if category == "Nd":  # Arabic-Indic, full-width ... digits: a number is a number
        return str(unicodedata.decimal(char))
    if category == "Zs":  # no-break and thin spaces are common between digit groups
        return " "
    if category == "Pd":  # en dash, figure dash ... between digit groups
        return "-"
    return char
