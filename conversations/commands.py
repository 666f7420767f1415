"""The commands a citizen can type, in one list: the Telegram handlers, Telegram's command
menu and the terminal chat all read it."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.i18n import N_
from conversations.messages import CommandName

START = "start"  # not a Command: it starts a survey, with a muhtar link's payload or none
START_MENU = N_("Start a survey")


@dataclass(frozen=True)
class CommandSpec:
    name: CommandName  # what the engine receives: Command(name)
    words: tuple[str, ...]  # as typed after "/", the Turkish one first (the menu shows it)
    menu: str | None  # its line in the command menu, None where it is not listed
    takes_argument: bool = False  # "/istatistik ABCD-EFGH": the rest of the line


COMMANDS = (
    CommandSpec("help", ("yardim", "help"), N_("How this bot works")),
    CommandSpec("cancel", ("iptal", "cancel"), N_("Cancel the survey in progress")),
    CommandSpec("erase", ("sil", "delete"), N_("Erase everything linked to you")),
    CommandSpec("privacy", ("gizlilik", "privacy"), N_("Privacy notice (KVKK)")),
    # The same in every language, so that someone lost in a foreign one finds it.
    CommandSpec("language", ("dil", "language", "lang"), "Dil / Language / اللغة"),
    CommandSpec("stats", ("istatistik", "stats"), None, takes_argument=True),
)


def words_of(name: CommandName) -> list[str]:
    return next(list(spec.words) for spec in COMMANDS if spec.name == name)


def typed(word: str) -> CommandSpec | None:
    """The command a typed word ("/sil") names, if any."""
    return next((spec for spec in COMMANDS if word.startswith("/") and word[1:] in spec.words),
                None)
