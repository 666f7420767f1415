"""Private chats with simulated citizens: what they send, and the bot messages they see."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import payloads
from .limits import visible_text

if TYPE_CHECKING:
    from .server import FakeTelegram


@dataclass
class Button:
    label: str
    callback_data: str | None = None
    url: str | None = None


def inline_buttons(markup: dict[str, Any] | None) -> list[list[Button]]:
    """The rows of an inline keyboard; [] for no keyboard or a reply keyboard."""
    rows = (markup or {}).get("inline_keyboard") or []
    return [
        [Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
        for row in rows
    ]


@dataclass
class BotMessage:
    """A message the bot sent to a citizen, in its current state (after edits)."""

    message_id: int
    text: str | None  # as the bot sent it, markup included; see `plain` for what users see
    buttons: list[list[Button]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # text history, first = as sent
    document: dict[str, Any] | None = None  # {"kind", "filename", "content", "caption", ...}
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None  # as sent, any keyboard kind
    deleted: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # the Message as Telegram has it

    def labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]

    def button(self, label: str) -> Button | None:
        return next((b for row in self.buttons for b in row if b.label == label), None)

    @property
    def plain(self) -> str | None:
        return None if self.text is None else visible_text(self.text, self.parse_mode)

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        """Only an inline keyboard stays attached to a message (and can be edited)."""
        markup = self.reply_markup
        return markup if markup and "inline_keyboard" in markup else None

    def set_markup(self, markup: dict[str, Any] | None) -> None:
        self.reply_markup = markup
        self.buttons = inline_buttons(markup)
        if self.inline_markup:
            self.raw["reply_markup"] = self.inline_markup
        else:
            self.raw.pop("reply_markup", None)

    def describe(self) -> str:
        if self.document is not None:
            doc = self.document
            size = len(doc["content"]) if doc.get("content") is not None else "?"
            caption = doc.get("caption") or ""
            body = f"<{doc['kind']} {doc.get('filename')!r}, {size} bytes> {caption}"
        else:
            body = self.text or ""
        rows = " / ".join(" ".join(f"[{b.label}]" for b in row) for row in self.buttons)
        return f"{body}  {rows}".rstrip() + ("  (deleted)" if self.deleted else "")


class Citizen:
    """A user in a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        *,
        first_name: str,
        language_code: str | None,
        username: str | None,
    ) -> None:
        self._fake = fake
        self.user_id = user_id
        self.chat_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.wrote = False  # Telegram: a bot can't message a user who never wrote to it
        self.blocked = False  # set True to simulate "bot was blocked by the user"
        self.messages: list[BotMessage] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.chat_actions: list[str] = []
        self._sent: list[BotMessage] = []  # snapshots as sent, parallel to `messages`
        self._edits: list[BotMessage] = []  # snapshots after each edit, in order
        self._own: dict[int, dict[str, Any]] = {}  # the citizen's messages by id
        self._last_text: dict[str, Any] | None = None
        self._events: list[tuple[str, Any]] = []
        self._last_message_id = 0
        self._cursor = 0
        self._edit_cursor = 0

    # --- as Telegram would describe this citizen ------------------------------------

    @property
    def user_json(self) -> dict[str, Any]:
        return payloads.citizen_user(
            self.user_id, self.first_name, self.language_code, self.username
        )

    @property
    def chat_json(self) -> dict[str, Any]:
        return payloads.private_chat(self.user_id, self.first_name, self.username)

    def new_message_id(self) -> int:
        """Both sides' messages share one id sequence in a private chat."""
        self._last_message_id += 1
        return self._last_message_id

    # --- what the citizen does -------------------------------------------------------

    async def send(self, text: str) -> int:
        """Type and send `text`; returns the update_id."""
        message = self._new_message(text=text)
        if entities := payloads.command_entities(text):
            message["entities"] = entities
        self._last_text = message
        self._events.append(("citizen", text))
        return await self._deliver("message", message)

    async def press(self, label: str, *, message: BotMessage | None = None) -> int:
        """Press the inline button labelled `label` on `message` (as it is now), or else on the
        newest message that has one; returns the update_id."""
        await self._settle()
        target = self._message_with_button(label, message)
        update = self.callback_update(target, label)
        self._events.append(("press", f"[pressed {label!r} on #{target.message_id}]"))
        await self._fake.deliver(update)
        return update["update_id"]

    def callback_update(
        self, message: BotMessage, label: str, *, data: str | None = None
    ) -> dict[str, Any]:
        """A callback_query update for the button `label` on `message` as given, even if the
        bot has removed it since (a stale client, a double tap), with `data` instead of the
        button's callback_data if given (forged). Not delivered: pass it to deliver()."""
        button = message.button(label)
        if button is None:
            raise AssertionError(
                f"no button {label!r} on #{message.message_id}: {message.labels()}"
            )
        if data is None and button.callback_data is None:
            raise AssertionError(f"button {label!r} has no callback_data (url={button.url!r})")
        live = self.bot_message(message.message_id)
        query = {
            "id": self._fake.new_callback_query_id(self),
            "from": self.user_json,
            # Telegram attaches the message as it is now, not as the client still shows it.
            "message": copy.deepcopy(live.raw if live else message.raw),
            "chat_instance": str(-(self.user_id * 1_000_003 % 10**18)),
            "data": button.callback_data if data is None else data,
        }
        self._acted()
        return {"update_id": self._fake.next_update_id(), "callback_query": query}

    async def send_update(self, kind: str, *, text: str | None = None) -> int:
        """Send a non-text message ("sticker", "photo", "voice", "location", "contact",
        "document") or edit the last text message ("edited_message", new text = `text`)."""
        if kind == "edited_message":
            return await self._edit_last_text(text)
        media = payloads.citizen_media(kind, self.first_name, self.user_id)
        self._events.append(("citizen", f"<{kind}>"))
        return await self._deliver("message", self._new_message(**media))

    async def _edit_last_text(self, text: str | None) -> int:
        if self._last_text is None:
            raise AssertionError("edited_message: this citizen has sent no text message yet")
        edited = copy.deepcopy(self._last_text)
        edited["text"] = text if text is not None else f"{edited['text']} (düzeltildi)"
        edited["edit_date"] = payloads.now()
        edited.pop("entities", None)
        if entities := payloads.command_entities(edited["text"]):
            edited["entities"] = entities
        self._last_text = edited
        self._events.append(("citizen", f"<edited #{edited['message_id']}> {edited['text']}"))
        return await self._deliver("edited_message", edited)

    def _new_message(self, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": self.new_message_id(),
            "from": self.user_json,
            "chat": self.chat_json,
            "date": payloads.now(),
            **content,
        }
        self._own[message["message_id"]] = message
        return message

    async def _deliver(self, kind: str, payload: dict[str, Any]) -> int:
        await self._settle()
        self._acted()
        update_id = self._fake.next_update_id()
        await self._fake.deliver({"update_id": update_id, kind: payload})
        return update_id

    # A test's citizen acts once the bot has finished changing the chat (a bot may send the
    # next question while it still edits the last one): so next_edit() after an action waits
    # for that action's edit, not a late one of the step before. At most SETTLE seconds.
    settle_before_acting = True
    SETTLE = 5.0

    async def _settle(self) -> None:
        if self.settle_before_acting:
            await self._fake.changes.wait_for(lambda: not self._fake.busy(self.chat_id),
                                              self.SETTLE)

    def _acted(self) -> None:
        self.wrote = True
        # Edits change what is already on screen: by acting, the citizen has seen them, so
        # next_edit() waits for an edit caused by this action rather than an older one. New
        # messages stay strict: each must be read with next_message().
        self._edit_cursor = len(self._edits)

    def _message_with_button(self, label: str, message: BotMessage | None) -> BotMessage:
        if message is not None:
            live = self.bot_message(message.message_id)
            if live is not None and live.button(label):
                return live
            offered = live.labels() if live else "(message deleted or unknown)"
            raise AssertionError(
                f"no button {label!r} on message #{message.message_id}; on offer: {offered}\n"
                f"{self.transcript()}"
            )
        for candidate in reversed(self.messages):
            if not candidate.deleted and candidate.button(label):
                return candidate
        offered = [m.labels() for m in self.messages if m.buttons and not m.deleted]
        raise AssertionError(
            f"no button {label!r} in chat {self.chat_id}; on offer: {offered}\n{self.transcript()}"
        )

    # --- what the bot does to this chat (called by the method handlers) -------------

    def bot_message(self, message_id: int) -> BotMessage | None:
        found = next((m for m in self.messages if m.message_id == message_id), None)
        return None if found is None or found.deleted else found

    def is_own_message(self, message_id: int) -> bool:
        return message_id in self._own

    async def add_bot_message(self, message: BotMessage) -> None:
        self.messages.append(message)
        self._sent.append(copy.deepcopy(message))
        self._events.append(("bot", self._sent[-1]))
        await self._fake.changes.notify()

    async def record_edit(self, message: BotMessage) -> None:
        snapshot = copy.deepcopy(message)
        self._edits.append(snapshot)
        self._events.append(("edit", snapshot))
        await self._fake.changes.notify()

    async def delete(self, message_id: int) -> bool:
        """Delete a bot or citizen message; False if there is no such message."""
        if self._own.pop(message_id, None) is not None:
            self._events.append(("deleted", message_id))
            return True
        message = self.bot_message(message_id)
        if message is None:
            return False
        message.deleted = True
        self._events.append(("deleted", message_id))
        await self._fake.changes.notify()
        return True

    async def add_callback_answer(self, params: dict[str, Any]) -> None:
        self.callback_answers.append(params)
        await self._fake.changes.notify()

    # --- what the test reads ---------------------------------------------------------

    @property
    def last(self) -> BotMessage:
        if not self.messages:
            raise AssertionError(f"the bot has sent nothing to chat {self.chat_id}")
        return self.messages[-1]

    # The `timeout` names are the documented API of this double (hence the noqa).
    async def next_message(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next new bot message after this citizen's cursor (waits for it), as it was sent:
        a snapshot that later edits do not change (see `messages` for the live state)."""
        arrived = await self._fake.changes.wait_for(
            lambda: len(self.messages) > self._cursor, timeout
        )
        if not arrived:
            raise AssertionError(
                f"no new bot message to {self.first_name} ({self.chat_id}) within {timeout}s\n"
                f"{self.transcript()}"
            )
        self._cursor += 1
        return self._sent[self._cursor - 1]

    async def next_edit(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next edit in this chat after the citizen's last action (or the last edit read);
        the edited message as it was right after that edit."""
        arrived = await self._fake.changes.wait_for(
            lambda: len(self._edits) > self._edit_cursor, timeout
        )
        if not arrived:
            raise AssertionError(
                f"no edit in chat {self.chat_id} within {timeout}s\n{self.transcript()}"
            )
        self._edit_cursor += 1
        return self._edits[self._edit_cursor - 1]

    async def expect_silence(self, within: float = 0.5) -> None:
        """Assert that within `within` s no bot message arrives that next_message() has not
        returned, and no edit since the citizen's last action that next_edit() has not."""
        if not await self._fake.changes.wait_for(self._has_unread, within):
            return
        news = [m.describe() for m in self.messages[self._cursor :]]
        edits = [m.describe() for m in self._edits[self._edit_cursor :]]
        raise AssertionError(
            f"expected silence in chat {self.chat_id}, got messages {news} and edits {edits}\n"
            f"{self.transcript()}"
        )

    def _has_unread(self) -> bool:
        return len(self.messages) > self._cursor or len(self._edits) > self._edit_cursor

    def transcript(self) -> str:
        lines = [f"--- chat with {self.first_name} ({self.chat_id}) ---"]
        for kind, item in self._events:
            if kind in ("citizen", "press"):
                lines.append(f"  {self.first_name}> {item}")
            elif kind == "bot":
                lines.append(f"  bot #{item.message_id}> {item.describe()}")
            elif kind == "edit":
                lines.append(f"  bot #{item.message_id} (edited)> {item.describe()}")
            else:
                lines.append(f"  #{item} deleted")
        return "\n".join(lines)
