"""Logging set-up. Logs carry no personal data: no Telegram ids, names or answer text.

Our own code logs only ids of updates and kinds of errors. Libraries are held back: httpx logs
every request URL, and the URL contains the bot token; python-telegram-bot at DEBUG logs whole
updates (names, user ids, message text).
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

# Loggers that would print secrets or personal data below this level.
_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "telegram": logging.INFO,
          "aiosqlite": logging.INFO, "asyncpg": logging.INFO, "alembic": logging.WARNING,
          "fontTools": logging.WARNING}  # fpdf2 subsets fonts chattily


def configure_logging(level: str = "INFO", *, json_lines: bool | None = None) -> None:
    """Readable lines on a terminal; one JSON object per line otherwise (for log shippers)."""
    if json_lines is None:
        json_lines = not sys.stderr.isatty()
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    quiet_libraries()


def quiet_libraries() -> None:
    for name, floor in _QUIET.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logging.getLogger().getEffectiveLevel()))
