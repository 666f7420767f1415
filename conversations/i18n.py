"""Message catalogs and locale-aware formatting (Babel).

Every user-facing string is an English msgid passed through ``Texts``; the catalogs in
``locales/`` hold the translations. Turkish is the default language of the bot.
"""

from __future__ import annotations

import gettext
import logging
import os
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal, format_percent
from babel.support import Translations

log = logging.getLogger(__name__)

DOMAIN = "messages"
DEFAULT_LOCALE = "tr"
SUPPORTED_LOCALES = ("tr",)


def locales_dir() -> Path:
    """Where the compiled catalogs live: the project's locales/ unless IZDES_LOCALES_DIR says."""
    override = os.environ.get("IZDES_LOCALES_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "locales"


def choose_locale(language_code: str | None) -> str:
    """The bot's language for a Telegram language_code (e.g. "tr", "en-GB")."""
    base = (language_code or "").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else DEFAULT_LOCALE


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    translations = Translations.load(str(locales_dir()), [locale], DOMAIN)
    if not isinstance(translations, Translations):
        log.warning("no compiled catalog for %s in %s: run `make catalogs`", locale, locales_dir())
    return translations


class Texts:
    """The translations and number formats of one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._translations = _translations(locale)

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._translations.ngettext(singular, plural, count)

    def decimal(self, number: float, digits: int = 1) -> str:
        return format_decimal(round(number, digits), format=f"#,##0.{'0' * digits}",
                              locale=self.locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.locale)
