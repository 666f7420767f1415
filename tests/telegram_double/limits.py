"""Limits the Bot API documents in prose, which the field types in api.json cannot express.

Each check returns a reason (str) or None. Checks run only on values whose type already
matched, so they may assume e.g. a str where the field is a String.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

PARSE_MODES = ("HTML", "Markdown", "MarkdownV2")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
# Fields of InlineKeyboardButton that decorate it rather than say what it does; of the rest,
# the documentation says exactly one must be used.
_BUTTON_DECORATION = {"text", "icon_custom_emoji_id", "style"}

FieldCheck = Callable[[Any, dict[str, Any]], str | None]


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees. Telegram counts length after entity parsing; for HTML that means
    without tags and with entities decoded. Markdown is counted as sent (stricter)."""
    if parse_mode == "HTML":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    return text


def _chars(low: int, high: int, *, parsed: bool = False, telegram: str = "") -> FieldCheck:
    def check(value: Any, siblings: dict[str, Any]) -> str | None:
        shown = visible_text(value, siblings.get("parse_mode")) if parsed else value
        if low <= len(shown) <= high:
            return None
        after = " after entity parsing" if parsed else ""
        said = f" (Telegram: {telegram})" if telegram else ""
        return f"must be {low}-{high} characters{after}, got {len(shown)}{said}"

    return check


def _utf8_bytes(low: int, high: int) -> FieldCheck:
    def check(value: Any, _siblings: dict[str, Any]) -> str | None:
        size = len(value.encode("utf-8"))
        if low <= size <= high:
            return None
        return f"must be {low}-{high} bytes in UTF-8, got {size} (Telegram: BUTTON_DATA_INVALID)"

    return check


def _number(low: int, high: int | None) -> FieldCheck:
    def check(value: Any, _siblings: dict[str, Any]) -> str | None:
        if value >= low and (high is None or value <= high):
            return None
        return f"must be {low}-{high if high is not None else '∞'}, got {value}"

    return check


def _pattern(regex: re.Pattern[str], rule: str) -> FieldCheck:
    def check(value: Any, _siblings: dict[str, Any]) -> str | None:
        return None if regex.fullmatch(value) else f"must be {rule}, got {value!r}"

    return check


def _one_of(choices: tuple[str, ...]) -> FieldCheck:
    def check(value: Any, _siblings: dict[str, Any]) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}, got {value!r}"

    return check


CHAT_ACTIONS = (
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
)
_MESSAGE_TEXT = _chars(1, 4096, parsed=True, telegram="message is too long or text is empty")

# (method or type name, field name); "*" applies wherever a field of that name occurs.
FIELD_CHECKS: dict[tuple[str, str], FieldCheck] = {
    ("sendMessage", "text"): _MESSAGE_TEXT,
    ("editMessageText", "text"): _MESSAGE_TEXT,
    ("*", "caption"): _chars(0, 1024, parsed=True, telegram="message caption is too long"),
    ("*", "parse_mode"): _one_of(PARSE_MODES),
    ("InlineKeyboardButton", "text"): _chars(1, 10**9, telegram="text buttons must have text"),
    ("InlineKeyboardButton", "callback_data"): _utf8_bytes(1, 64),
    ("answerCallbackQuery", "text"): _chars(0, 200, telegram="MESSAGE_TOO_LONG"),
    ("setWebhook", "secret_token"): _pattern(_SECRET_TOKEN, "1-256 of A-Z a-z 0-9 _ -"),
    ("setWebhook", "max_connections"): _number(1, 100),
    ("sendChatAction", "action"): _one_of(CHAT_ACTIONS),
    ("getUpdates", "limit"): _number(1, 100),
    ("getUpdates", "timeout"): _number(0, None),
    ("BotCommand", "command"): _pattern(_COMMAND, "1-32 of a-z 0-9 _"),
    ("BotCommand", "description"): _chars(1, 256),
}


def check_field(owner: str, name: str, value: Any, siblings: dict[str, Any]) -> str | None:
    """The documented limit on `owner.name`, if any, applied to an already type-checked value."""
    check = FIELD_CHECKS.get((owner, name)) or FIELD_CHECKS.get(("*", name))
    return check(value, siblings) if check else None


def check_object(type_name: str, obj: dict[str, Any]) -> list[str]:
    """Rules about an object as a whole."""
    if type_name != "InlineKeyboardButton":
        return []
    actions = sorted(set(obj) - _BUTTON_DECORATION)
    if len(actions) == 1:
        return []
    return [f"a button needs exactly one action field (url, callback_data, ...), got {actions}"]


def check_method(method: str, params: dict[str, Any]) -> list[str]:
    """Rules across the parameters of one call."""
    problems: list[str] = []
    if method.startswith("editMessage") and "inline_message_id" not in params:
        problems += [
            f"{name}: required unless inline_message_id is given"
            for name in ("chat_id", "message_id")
            if name not in params
        ]
    if method == "editMessageText" and "text" not in params and "rich_message" not in params:
        problems.append("text: required (Telegram: message text is empty)")
    return problems
