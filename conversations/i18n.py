"""Message catalogs and locale-aware formatting (Babel).

Every user-facing string is an English msgid passed through ``Texts``; the catalogs in
``locales/`` hold the translations. Turkish is the default language of the bot.
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
import os
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

log = logging.getLogger(__name__)

DOMAIN = "messages"
DEFAULT_LOCALE = "tr"
SUPPORTED_LOCALES = ("tr", "en", "ar")
# Each language's name in its own script, for the /dil menu.
LANGUAGE_NAMES = {"tr": "Türkçe", "en": "English", "ar": "العربية"}

# Unicode bidi controls (UAX #9). Telegram sets each paragraph's direction from its first
# strong character: a line of Arabic that starts with a digit, an emoji or a Latin province
# name would be laid out left to right, and Latin names inside Arabic text can drag the
# punctuation around them. RLM starts a paragraph right to left; FSI...PDI isolate a
# fragment so it keeps its own direction without disturbing the sentence around it.
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"


def locales_dir() -> Path:
    """Where the compiled catalogs live: the project's locales/ unless IZDES_LOCALES_DIR says."""
    override = os.environ.get("IZDES_LOCALES_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "locales"


def choose_locale(language_code: str | None) -> str:
    """The bot's language for a Telegram language_code: ar, en, or else Turkish."""
    base = (language_code or "").split("-")[0].split("_")[0].lower()
    return base if base in SUPPORTED_LOCALES else DEFAULT_LOCALE


def N_(message: str) -> str:
    """Marks a text for the catalogs (pybabel -k N_) where it is defined; it is translated
    where it is shown."""
    return message


@cache  # a catalog is read once per process, not once per message
def _translations(locale: str) -> gettext.NullTranslations:
    translations = Translations.load(str(locales_dir()), [locale], DOMAIN)
    if not isinstance(translations, Translations) and locale != "en":
        log.warning("no compiled catalog for %s in %s: run `make catalogs`", locale, locales_dir())
    return translations


class Texts:
    """The translations, number formats and writing direction of one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._translations = _translations(locale)
        self.rtl = Locale.parse(locale).character_order == "right-to-left"

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._translations.ngettext(singular, plural, count)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def decimal(self, number: float, digits: int = 1) -> str:
        return format_decimal(round(number, digits), format=f"#,##0.{'0' * digits}",
                              locale=self.locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.locale)

    def date(self, value: dt.date | dt.datetime) -> str:
        return format_date(value, format="long", locale=self.locale)

    def month(self, value: dt.date | dt.datetime) -> str:
        """"Kasım 2026": a month and its year, as people write them."""
        return format_date(value, format="LLLL y", locale=self.locale)

    def isolate(self, fragment: str) -> str:
        """A name, number or quote inside a sentence, kept in its own direction."""
        return f"{FSI}{fragment}{PDI}" if self.rtl else fragment

    def paragraphs(self, text: str) -> str:
        """Mark every line right to left in RTL locales (see RLM above)."""
        if not self.rtl:
            return text
        return "\n".join(RLM + line if line else line for line in text.split("\n"))
