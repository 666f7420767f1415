"""What the double does for each Bot API method it simulates.

Handlers get already validated, typed parameters and return the `result` of the answer, or
raise ApiError. Methods without a handler here are answered with `true`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from . import errors, payloads
from .chat import BotMessage, Citizen
from .errors import ApiError
from .limits import visible_text
from .updates import Superseded
from .wire import UploadedFile

if TYPE_CHECKING:
    from .server import FakeTelegram

Handler = Callable[["FakeTelegram", dict[str, Any]], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}


def handles(method: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[method] = handler
        return handler

    return register


# --- bot and update delivery ------------------------------------------------------------


@handles("getMe")
async def get_me(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    return payloads.bot_user(fake.bot_id, fake.bot_username, full=True)


@handles("getUpdates")
async def get_updates(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    if fake.webhook is not None:
        raise ApiError(409, errors.WEBHOOK_ACTIVE)
    fake.updates.set_allowed(p.get("allowed_updates"))
    try:
        return await fake.updates.poll(p.get("offset"), p.get("limit", 100), p.get("timeout", 0))
    except Superseded:
        raise ApiError(409, errors.OTHER_GETUPDATES) from None


@handles("setWebhook")
async def set_webhook(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    if p.get("drop_pending_updates"):
        fake.updates.clear()
    if not p["url"]:  # an empty url removes the webhook, as deleteWebhook does
        fake.webhook = None
        return True
    kept = ("url", "secret_token", "allowed_updates", "max_connections", "ip_address")
    fake.webhook = {key: p[key] for key in kept if key in p}
    fake.webhook["has_custom_certificate"] = "certificate" in p
    fake.updates.set_allowed(p.get("allowed_updates"))
    return True


@handles("deleteWebhook")
async def delete_webhook(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    fake.webhook = None
    if p.get("drop_pending_updates"):
        fake.updates.clear()
    return True


@handles("getWebhookInfo")
async def get_webhook_info(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    hook = fake.webhook or {"url": "", "has_custom_certificate": False}
    info = {key: value for key, value in hook.items() if key != "secret_token"}
    info["pending_update_count"] = fake.pending_updates()
    if fake.webhook is not None:
        info.setdefault("max_connections", 40)
        info.setdefault("allowed_updates", fake.updates.allowed_updates)
    return info


# --- commands --------------------------------------------------------------------------


def _scope_key(p: dict[str, Any]) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get("language_code") or ""


@handles("setMyCommands")
async def set_my_commands(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    fake.commands[_scope_key(p)] = p["commands"]
    return True


@handles("getMyCommands")
async def get_my_commands(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    return fake.commands.get(_scope_key(p), [])


@handles("deleteMyCommands")
async def delete_my_commands(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    fake.commands.pop(_scope_key(p), None)
    return True


# --- messages --------------------------------------------------------------------------


def _message_json(fake: FakeTelegram, citizen: Citizen, **content: Any) -> dict[str, Any]:
    message = {
        "message_id": citizen.new_message_id(),
        "from": fake.bot_from,
        "chat": citizen.chat_json,
        "date": payloads.now(),
    }
    message.update({key: value for key, value in content.items() if value is not None})
    return message


def _shown(text: str | None, p: dict[str, Any]) -> str | None:
    return None if text is None else visible_text(text, p.get("parse_mode"))


async def _publish(fake: FakeTelegram, citizen: Citizen, message: BotMessage) -> Any:
    fake.self_check("Message", message.raw)
    await citizen.add_bot_message(message)
    return message.raw


@handles("sendMessage")
async def send_message(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    citizen = fake.chat_for(p["chat_id"])
    raw = _message_json(fake, citizen, text=_shown(p["text"], p), entities=p.get("entities"))
    message = BotMessage(raw["message_id"], p["text"], texts=[p["text"]], raw=raw)
    message.parse_mode = p.get("parse_mode")
    message.set_markup(p.get("reply_markup"))
    return await _publish(fake, citizen, message)


async def _send_file(fake: FakeTelegram, p: dict[str, Any], kind: str) -> Any:
    citizen = fake.chat_for(p["chat_id"])
    upload = p[kind]
    doc: dict[str, Any] = {"kind": kind, "caption": p.get("caption")}
    if isinstance(upload, UploadedFile):
        doc.update(filename=upload.filename, content=upload.content, mime=upload.content_type)
        size = len(upload.content)
    else:  # a file_id or URL of a file Telegram already has
        doc.update(filename=None, content=None, mime=None, file_id=upload)
        size = 1
    media = (
        payloads.photo_sizes(size)
        if kind == "photo"
        else payloads.document(doc["filename"], doc["mime"], size)
    )
    raw = _message_json(fake, citizen, caption=_shown(p.get("caption"), p), **{kind: media})
    message = BotMessage(raw["message_id"], None, document=doc, raw=raw)
    message.parse_mode = p.get("parse_mode")
    message.set_markup(p.get("reply_markup"))
    return await _publish(fake, citizen, message)


@handles("sendDocument")
async def send_document(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    return await _send_file(fake, p, "document")


@handles("sendPhoto")
async def send_photo(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    return await _send_file(fake, p, "photo")


def _edit_target(fake: FakeTelegram, p: dict[str, Any]) -> tuple[Citizen, BotMessage]:
    if "inline_message_id" in p:  # the double has no inline-mode messages
        raise ApiError(400, errors.EDIT_NOT_FOUND)
    citizen = fake.chat_for(p["chat_id"])
    message = citizen.bot_message(p["message_id"])
    if message is None:
        cant = citizen.is_own_message(p["message_id"])
        raise ApiError(400, errors.CANT_EDIT if cant else errors.EDIT_NOT_FOUND)
    return citizen, message


@handles("editMessageText")
async def edit_message_text(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    citizen, message = _edit_target(fake, p)
    if message.text is None:
        raise ApiError(400, errors.NO_TEXT_TO_EDIT)
    text = p.get("text", message.text)
    # Leaving reply_markup out of an edit removes the inline keyboard, as on Telegram.
    new = (text, p.get("parse_mode"), p.get("entities"), p.get("reply_markup"))
    old = (message.text, message.parse_mode, message.raw.get("entities"), message.inline_markup)
    if new == old:
        raise ApiError(400, errors.NOT_MODIFIED)
    message.text, message.parse_mode = text, p.get("parse_mode")
    message.texts.append(text)
    message.raw["text"] = _shown(text, p)
    message.raw.pop("entities", None)
    if p.get("entities"):
        message.raw["entities"] = p["entities"]
    message.set_markup(p.get("reply_markup"))
    return await _finish_edit(fake, citizen, message)


@handles("editMessageReplyMarkup")
async def edit_message_reply_markup(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    citizen, message = _edit_target(fake, p)
    if p.get("reply_markup") == message.inline_markup:
        raise ApiError(400, errors.NOT_MODIFIED)
    message.set_markup(p.get("reply_markup"))
    return await _finish_edit(fake, citizen, message)


async def _finish_edit(fake: FakeTelegram, citizen: Citizen, message: BotMessage) -> Any:
    message.raw["edit_date"] = payloads.now()
    fake.self_check("Message", message.raw)
    await citizen.record_edit(message)
    return message.raw


@handles("deleteMessage")
async def delete_message(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    citizen = fake.chat_for(p["chat_id"])
    if not await citizen.delete(p["message_id"]):
        raise ApiError(400, errors.DELETE_NOT_FOUND)
    return True


@handles("answerCallbackQuery")
async def answer_callback_query(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    citizen = fake.take_callback_query(p["callback_query_id"])
    if citizen is None:  # the bot must answer each query it got exactly once
        raise ApiError(400, errors.QUERY_TOO_OLD, violation=True)
    await citizen.add_callback_answer(p)
    return True


@handles("sendChatAction")
async def send_chat_action(fake: FakeTelegram, p: dict[str, Any]) -> Any:
    fake.chat_for(p["chat_id"]).chat_actions.append(p["action"])
    return True
