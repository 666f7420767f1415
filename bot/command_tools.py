"""What bot.cli lends the command modules (unit_commands, link_commands, token_commands): the
configured database, migrated and checked against the key, and the bot's @username. Passed in,
so that those modules never import bot.cli (which imports them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from storage.database import Database


@dataclass(frozen=True)
class CommandTools:
    migrated_database: Callable[[Settings], AbstractAsyncContextManager[Database]]
    bot_username: Callable[[Settings, str | None], Awaitable[str]]
