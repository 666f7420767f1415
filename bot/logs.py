"""Logging set-up. Logs carry no personal data: no Telegram ids, names or answer text.

Our own code logs only ids of updates and kinds of errors. Libraries are held back: httpx logs
every request URL, and the URL contains the bot token; python-telegram-bot at DEBUG logs whole
updates (names, user ids, message text).
"""

from __future__ import annotations

import logging

# Loggers that would print secrets or personal data below this level.
_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "telegram": logging.INFO,
          "aiosqlite": logging.INFO, "asyncpg": logging.INFO, "alembic": logging.WARNING}


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    quiet_libraries()


def quiet_libraries() -> None:
    for name, floor in _QUIET.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logging.getLogger().getEffectiveLevel()))
