"""Telegram objects as the Bot API serialises them: users, chats, messages, media.

Kept minimal but complete (every required field), so PTB's de_json accepts them; the double
checks what it builds against api.json too.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

_file_numbers = itertools.count(1)


def now() -> int:
    return int(time.time())


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def bot_user(bot_id: int, username: str, *, full: bool = False) -> dict[str, Any]:
    """The bot as `from` of its messages, or (full) as getMe returns it."""
    user: dict[str, Any] = {
        "id": bot_id,
        "is_bot": True,
        "first_name": "İZDES Test",
        "username": username,
    }
    if full:
        user.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
    return user


def citizen_user(
    user_id: int, first_name: str, language_code: str | None, username: str | None
) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def private_chat(user_id: int, first_name: str, username: str | None) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
    if username:
        chat["username"] = username
    return chat


def command_entities(text: str) -> list[dict[str, Any]]:
    """A leading /command is a bot_command entity, as Telegram marks it."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


def file_ids(prefix: str) -> dict[str, str]:
    number = next(_file_numbers)
    return {"file_id": f"{prefix}{number:08d}-fake", "file_unique_id": f"AgAD{number:06d}"}


def photo_sizes(size: int) -> list[dict[str, Any]]:
    """Telegram sends a photo as several sizes, smallest first."""
    return [
        {**file_ids("AgACAgIAAxk"), "width": 90, "height": 67, "file_size": max(1, size // 20)},
        {**file_ids("AgACAgIAAxk"), "width": 800, "height": 600, "file_size": max(1, size)},
    ]


def document(filename: str | None, mime_type: str | None, size: int) -> dict[str, Any]:
    doc: dict[str, Any] = {**file_ids("BQACAgIAAxk"), "file_size": size}
    if filename:
        doc["file_name"] = filename
    if mime_type:
        doc["mime_type"] = mime_type
    return doc


def citizen_media(kind: str, contact_name: str, user_id: int) -> dict[str, Any]:
    """The Message fields of something a citizen sends instead of text."""
    media: dict[str, dict[str, Any]] = {
        "sticker": {
            "sticker": {
                **file_ids("CAACAgIAAxk"),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        },
        "photo": {"photo": photo_sizes(54_321)},
        "voice": {
            "voice": {
                **file_ids("AwACAgIAAxk"),
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 9_876,
            }
        },
        "location": {"location": {"latitude": 41.015137, "longitude": 28.979530}},
        "contact": {
            "contact": {
                "phone_number": "+905551112233",
                "first_name": contact_name,
                "user_id": user_id,
            }
        },
        "document": {"document": document("dilekce.pdf", "application/pdf", 12_345)},
    }
    if kind not in media:
        raise ValueError(f"unknown kind {kind!r}; one of {[*media, 'edited_message']}")
    return media[kind]
