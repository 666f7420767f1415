"""`izdes chat`: the same survey, engine and database, in a terminal.

For survey authors, and to try the project without Telegram. Buttons are numbered: type the
number to press one; anything else is sent as text ("/iptal", "/yardim", "/sil" work too).
"""

from __future__ import annotations

import asyncio
import getpass
import itertools

from conversations.commands import START, typed
from conversations.engine import SurveyEngine
from conversations.messages import Command, Edit, Event, Inbound, Keyboard, Press, Send, Start, Text
from conversations.pseudonym import Pseudonymizer

CHANNEL = "terminal"
BANNER = ("İZDES survey in the terminal: type a button's number to press it, or your answer. "
          "Ctrl-D ends.")


class TerminalChat:
    def __init__(self, engine: SurveyEngine, pseudonymizer: Pseudonymizer, user: str) -> None:
        self.engine = engine
        self.respondent = pseudonymizer.key_for(CHANNEL, user)
        self.message_ids = itertools.count(1)
        self.buttons: dict[str, tuple[str, str]] = {}  # number -> (callback data, message)

    async def start(self, language: str | None = None) -> None:
        self.language = language
        await self.send(Start())

    async def send_line(self, line: str) -> None:
        if line in self.buttons:
            data, message_ref = self.buttons[line]
            await self.send(Press(data), message_ref)
        elif (word := line.partition(" ")[0]) == f"/{START}":
            await self.send(Start(line.partition(" ")[2].strip() or None))
        elif (command := typed(word)) is not None:
            argument = line.partition(" ")[2].strip() if command.takes_argument else ""
            await self.send(Command(command.name, argument or None))
        elif line:
            await self.send(Text(line))

    async def send(self, event: Event, message_ref: str | None = None) -> None:
        reply = await self.engine.handle(Inbound(
            self.respondent, event, language_hint=self.language, message_ref=message_ref))
        if reply.toast:
            print(f"  ({reply.toast})")
        for action in reply.actions:
            if isinstance(action, Send):
                ref = str(next(self.message_ids))
                self.show(action.text, action.keyboard, ref)
                if action.tracking:
                    await self.engine.message_shown(action.tracking, ref)
            elif isinstance(action, Edit) and action.keyboard:
                self.show(action.text or "", action.keyboard, action.message_ref)
            elif isinstance(action, Edit) and action.text:
                print(f"  {action.text.splitlines()[-1]}")

    def show(self, text: str, keyboard: Keyboard, message_ref: str) -> None:
        print()
        print(text)
        self.buttons = {}
        for number, button in enumerate((b for row in keyboard for b in row), start=1):
            self.buttons[str(number)] = (button.data, message_ref)
            print(f"  [{number}] {button.label}")


def chat_in_terminal(runner: asyncio.Runner, chat: TerminalChat,
                     language: str | None = None) -> None:
    """Take the survey line by line until Ctrl-D or Ctrl-C. Lines are read here, in the main
    thread, each step run on ``runner``'s loop: read in a worker thread, a Ctrl-C left the
    exit waiting for that thread's line, and only a second one ended it, with tracebacks."""
    print(BANNER)
    try:
        runner.run(chat.start(language))
        while True:
            line = input("› ")
            runner.run(chat.send_line(line.strip()))
    except (EOFError, KeyboardInterrupt):
        print()


def default_user() -> str:
    return getpass.getuser()
