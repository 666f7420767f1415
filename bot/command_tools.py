"""What bot.cli lends the command modules (unit_commands, link_commands, token_commands): the
configured database, migrated and checked against the key, and the bot's @username. Passed in,
so that those modules never import bot.cli (which imports them)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings

if TYPE_CHECKING:
    from conversations.survey import Survey
    from storage.database import Database

Spec = TypeVar("Spec")


@dataclass(frozen=True)
class CommandTools:
    migrated_database: Callable[[Settings], AbstractAsyncContextManager[Database]]
    bot_username: Callable[[Settings, str | None], Awaitable[str]]


async def specs_of_csv(path: str, parse: Callable[[str, Mapping[str, Survey]], list[Spec]]
                       ) -> list[Spec] | None:
    """An operator's CSV (links or units), every row checked by ``parse``; None where the
    file or a row is wrong, which is said on standard error in one line."""
    from admin.links import LinkSpecError
    from conversations.survey import builtin_surveys

    try:
        return parse(await asyncio.to_thread(Path(path).read_text, "utf-8"), builtin_surveys())
    except (LinkSpecError, OSError, UnicodeDecodeError) as error:
        print(error, file=sys.stderr)
        return None
