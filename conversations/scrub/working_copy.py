"""The working copy of a comment that the patterns read, and the way back to the original.

Invisible format characters (zero-width spaces and joiners, bidi marks, soft hyphens) are
dropped, so that they cannot split a number; other Unicode digits (Arabic-Indic, full-width)
are read as ASCII digits, Unicode spaces and dashes as " " and "-", line and paragraph
separators as a line break, and everything else in its NFKC form, so that full-width
"ali＠gmail．com" reads as "ali@gmail.com". Every character of the copy remembers where it
came from, so a span found in the copy is a span of the original.
"""

from __future__ import annotations

import unicodedata


def working_copy(text: str) -> tuple[str, list[int] | None]:
    """A working copy of `text` for matching, and where each of its characters came from.

    None instead of the position list means the copy is the text itself (pure ASCII, the
    common case, costs nothing). Invisible characters are dropped so that they cannot split
    a number; a character whose NFKC form is longer ("ﬁ") stands for all of it.
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
            stand_in = _unicode_stand_in(char, category)
            chars.append(stand_in)
            positions.extend([index] * len(stand_in))
        else:
            chars.append(char)
            positions.append(index)
    return "".join(chars), positions


def _unicode_stand_in(char: str, category: str) -> str:
    """What the patterns should see for a non-ASCII character: one or more characters."""
    if category == "Nd":  # Arabic-Indic, full-width ... digits: a number is a number
        return str(unicodedata.decimal(char))
    if category == "Zs":  # no-break and thin spaces are common between digit groups
        return " "
    if category == "Pd":  # en dash, figure dash ... between digit groups
        return "-"
    if category in ("Zl", "Zp"):
        return "\n"
    # Full-width and small forms ("＠", "．", "﹫"), ligatures, Arabic presentation forms: one
    # character at a time, so that a span still maps back (no composition across characters).
    return unicodedata.normalize("NFKC", char)
