"""MAX Bot API responses with channel posts: `GET /messages` and `GET /updates`.

`GET /messages` answers `{"messages": [Message, ...]}`, `GET /updates` answers
`{"updates": [{"update_type": "message_created", "message": Message}, ...]}`; a single
`Message` (`GET /messages/{messageId}`) or a JSON list of responses is read too. A channel's
title and subscribers come from a `Chat` object (`GET /chats/{chatId}`) added under `chat`,
or `GET /chats` under `chats`. See docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from service.errors import InputError
from service.readers.common import NO_TEXT, Row, to_count
from service.readers.ok import ms_to_iso

# MAX attachment types → ours; `inline_keyboard` (buttons under a post) is not media.
ATTACHMENTS = {"image": "photo", "video": "video", "audio": "audio", "file": "doc",
               "sticker": "sticker", "share": "link", "location": "other", "contact": "other"}
SKIPPED_ATTACHMENTS = frozenset({"inline_keyboard"})
MESSAGE_UPDATES = frozenset({"message_created", "message_edited"})
NOT_CHANNEL = {"dialog": "личное сообщение боту", "chat": "сообщение группового чата"}


def _is_message(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("body"), dict) and (
        "recipient" in obj or "timestamp" in obj)


def is_max_error(obj: Any) -> bool:
    """Return True for a MAX Bot API error answer (`{"code": "...", "message": "..."}`)."""
    return (isinstance(obj, dict) and isinstance(obj.get("code"), str)
            and isinstance(obj.get("message"), str) and "text" not in obj and len(obj) <= 3)


def _is_response(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    if _is_message(obj):
        return True
    messages = obj.get("messages")
    if isinstance(messages, list):
        return any(_is_message(m) for m in messages[:20])
    updates = obj.get("updates")
    return isinstance(updates, list) and any(
        isinstance(u, dict) and "update_type" in u for u in updates[:20])


def is_max(obj: Any) -> bool:
    """Return True when a parsed JSON document looks like a MAX Bot API response with posts.

    A Telegram export also has `messages`, but its messages never carry a `body` object.
    """
    if is_max_error(obj) or _is_response(obj):
        return True
    return isinstance(obj, list) and bool(obj) and all(_is_response(o) for o in obj)


def read_max(obj: Any) -> Iterator[Row]:
    """Return a row per message or update of every response; `line` is its number in the file.

    Raises `InputError` at once for an API error answer or a document that is not MAX's.
    """
    if is_max_error(obj):
        raise InputError("input", f"в файле ответ MAX Bot API с ошибкой, а не посты: "
                         f"{obj['message']}")
    if not is_max(obj):
        raise InputError("input", "это не ответ MAX Bot API (GET /messages или GET /updates): "
                         "нет списка messages с полем body")
    return _rows(obj if isinstance(obj, list) else [obj])


def _rows(parts: list[dict[str, Any]]) -> Iterator[Row]:
    chats = _chats(parts)
    n = 0
    for part in parts:
        for item in _items(part):
            n += 1
            try:
                data, error = _item_to_post(item, chats)
            except InputError as exc:
                yield Row(n, None, exc, _mid(item))
                continue
            yield Row(n, data, error, _mid(item))


def _items(part: dict[str, Any]) -> list[Any]:
    if _is_message(part):
        return [part]
    if isinstance(part.get("messages"), list):
        return list(part["messages"])
    return list(part.get("updates") or [])


def _chats(parts: list[Any]) -> dict[str, dict[str, Any]]:
    """Return channel titles and subscribers by chat id from `chat` / `chats` in the file."""
    out: dict[str, dict[str, Any]] = {}
    for part in parts:
        if not isinstance(part, dict):
            continue
        found = [part.get("chat")] + list(part.get("chats") or [])
        for chat in found:
            if not isinstance(chat, dict) or chat.get("chat_id") is None:
                continue
            try:
                subscribers = to_count(chat.get("participants_count"), "participants_count")
            except InputError:
                subscribers = None
            title = chat.get("title")
            out[str(chat["chat_id"])] = {"name": title if isinstance(title, str) else None,
                                         "subscribers": subscribers}
    return out


def _mid(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("message"), dict):
        item = item["message"]  # an update
    body = item.get("body") if isinstance(item, dict) else None
    mid = body.get("mid") if isinstance(body, dict) else None
    return None if mid in (None, "") else str(mid)


def _item_to_post(item: Any, chats: dict[str, dict[str, Any]]) -> tuple[dict[str, Any] | None,
                                                                         InputError | None]:
    if isinstance(item, dict) and "update_type" in item:
        kind = item["update_type"]
        if kind not in MESSAGE_UPDATES or not isinstance(item.get("message"), dict):
            return None, InputError("update_type", f"служебное событие бота ({kind}), а не пост")
        item = item["message"]
    return message_to_post(item, chats)


def _attachments(body: dict[str, Any]) -> list[str]:
    raw = body.get("attachments")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("attachments", "ожидается список вложений")
    out = []
    for a in raw:
        kind = a.get("type") if isinstance(a, dict) else None
        if isinstance(kind, str) and kind not in SKIPPED_ATTACHMENTS:
            out.append(ATTACHMENTS.get(kind, "other"))
    return out


def _obj(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _text(body: dict[str, Any]) -> str:
    text = body.get("text")
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InputError("text", "ожидается строка")
    return text


def message_to_post(msg: Any, chats: dict[str, dict[str, Any]]) -> tuple[dict[str, Any] | None,
                                                                         InputError | None]:
    """Return a post in our schema from a MAX `Message`, and an error if it cannot be scored."""
    if not isinstance(msg, dict):
        raise InputError("message", "ожидается объект сообщения MAX")
    body = msg.get("body")
    if not isinstance(body, dict):
        raise InputError("body", "нет объекта body с текстом сообщения")
    recipient = _obj(msg, "recipient")
    chat_type = recipient.get("chat_type")
    if chat_type in NOT_CHANNEL:
        return None, InputError("recipient", f"{NOT_CHANNEL[chat_type]}, а не пост канала")
    text, attachments = _text(body), _attachments(body)
    link = _obj(msg, "link")
    forwarded = link.get("type") == "forward"
    if forwarded and not text.strip():
        original = _obj(link, "message")
        text = _text(original)  # a forward without words of its own: readers see the original's
        attachments = attachments or _attachments(original)
    views = to_count(_obj(msg, "stat").get("views"), "stat.views")
    post: dict[str, Any] = {
        "text": text,
        "platform": "max",
        "published_at": ms_to_iso(msg.get("timestamp"), "timestamp"),
        "attachments": attachments,
        "is_repost": forwarded,
    }
    if body.get("mid") not in (None, ""):
        post["id"] = str(body["mid"])
    if views is not None:  # MAX gives channel posts views only: no reactions, reposts, comments
        post["metrics"] = {"views": views, "likes": None, "reposts": None, "comments": None}
    chat_id = recipient.get("chat_id")
    if chat_id not in (None, ""):
        page: dict[str, Any] = {"id": str(chat_id)}
        meta = chats.get(str(chat_id))
        if meta:
            page.update({k: v for k, v in meta.items() if v is not None})
        post["page"] = page
    return post, None if text.strip() else InputError("text", NO_TEXT)
