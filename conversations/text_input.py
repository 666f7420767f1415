"""Cleaning what citizens type: control and invisible characters out, lengths kept honest."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from conversations import arabic

# Zero-width, bidi controls and other format characters (Cf) and control characters (Cc)
# carry no meaning in a comment and can disguise text; newlines and tabs are kept.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
ECHO_LIMIT = 40  # how much of an unrecognised input we quote back
PREVIEW_LIMIT = 300  # how much of a comment the chat record shows


def clean_free_text(text: str) -> str:
    """Remove control and invisible formatting characters; keep line breaks."""
    kept = "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    return _INVISIBLE.sub("", kept).strip()


def fold(text: str) -> str:
    """Case- and spacing-insensitive form, for matching a typed answer to a button label."""
    return " ".join(clean_free_text(text).casefold().split())


# What people type instead of pressing Skip, in the bot's three languages, as word_key gives
# them. The prompts say "Geç düğmesine basınız" / "press Skip" / «تخطي», and people type it.
SKIP_WORDS = frozenset({"gec", "atla", "skip", "تخطي", "تجاوز"})


def word_key(text: str) -> str:
    """A single typed word as a key: no case, accents, Arabic letter variants, spaces or
    punctuation around it ("  Geç! " -> "gec", "SKİP" -> "skip", "تَخَطّى" -> "تخطي")."""
    lowered = clean_free_text(text).casefold().replace("ı", "i")
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", lowered)
                      if not unicodedata.category(ch).startswith("M"))
    return "".join(ch for ch in arabic.fold(letters) if ch.isalnum())


def is_skip_word(text: str, skip_labels: Iterable[str] = ()) -> bool:
    """Whether the citizen typed the word for Skip (or the Skip button's label)."""
    key = word_key(text)
    return bool(key) and (key in SKIP_WORDS or key in {word_key(label) for label in skip_labels})


def echo(text: str) -> str:
    """A short, single-line quote of what the citizen typed."""
    cleaned = " ".join(clean_free_text(text).split())
    return cleaned if len(cleaned) <= ECHO_LIMIT else cleaned[: ECHO_LIMIT - 1] + "…"


def preview(text: str, limit: int = PREVIEW_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
