"""Telegram Desktop channel export (`result.json`): one channel or a whole-account export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from service.errors import InputError
from service.readers.common import NO_TEXT, Row, to_count, unix_to_iso

MEDIA = {"video_file": "video", "video_message": "video", "animation": "gif",
         "voice_message": "voice", "audio_file": "audio", "sticker": "sticker"}
ALBUM_PART = "часть альбома предыдущего поста (фото без текста): отдельно не оценивается"


def is_telegram(obj: Any) -> bool:
    """Return True when a parsed JSON document looks like a Telegram Desktop export."""
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("messages"), list):
        return True
    chats = obj.get("chats")
    return isinstance(chats, dict) and isinstance(chats.get("list"), list)


def read_telegram(obj: dict[str, Any]) -> Iterator[Row]:
    """Yield a row per message of every channel; `line` is the message number in the file."""
    chats = obj["chats"]["list"] if "messages" not in obj else [obj]
    n = 0
    for chat in chats:
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            continue
        page = {"id": None if chat.get("id") is None else str(chat["id"]), "name": chat.get("name")}
        page = {k: v for k, v in page.items() if v}
        prev_date = None
        for msg in chat["messages"]:
            n += 1
            try:
                data, error = message_to_post(msg, page)
            except InputError as exc:
                mid = msg.get("id") if isinstance(msg, dict) else None
                yield Row(n, None, exc, None if mid is None else str(mid))
                continue
            date = msg.get("date") if isinstance(msg, dict) else None
            # Telegram sends an album as several messages of the same second; only the first
            # has the caption. The rest are parts of one post, not posts of their own.
            if data is not None and not data["text"].strip() and date and date == prev_date:
                yield Row(n, None, InputError("text", ALBUM_PART), data.get("id"))
                continue
            prev_date = date
            mid = msg.get("id") if isinstance(msg, dict) else None
            yield Row(n, data, error, None if mid is None else str(mid))


def plain_text(text: Any) -> str:
    """Return the plain text of a message: a string or a list of strings and entities."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        parts = []
        for part in text:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise InputError("text", "непонятная часть текста: ожидается строка или объект с text")
        return "".join(parts)
    raise InputError("text", "ожидается строка или список частей текста")


def _attachments(msg: dict[str, Any]) -> list[str]:
    if "photo" in msg:
        return ["photo"]
    if msg.get("media_type"):
        return [MEDIA.get(msg["media_type"], "other")]
    if "file" in msg:
        return ["doc"]
    if "poll" in msg:
        return ["poll"]
    if "location_information" in msg or "contact_information" in msg:
        return ["other"]
    return []


def message_to_post(msg: Any, page: dict[str, Any]) -> tuple[dict[str, Any] | None,
                                                             InputError | None]:
    """Return a post dict in our schema and an error for a message that cannot be scored."""
    if not isinstance(msg, dict):
        raise InputError("message", "ожидается объект сообщения")
    if msg.get("type") == "service":
        action = msg.get("action") or "служебное действие"
        return None, InputError("type", f"служебное сообщение канала ({action}), а не пост")
    text = plain_text(msg.get("text", ""))
    if isinstance(msg.get("date"), str) and msg["date"].strip():
        published = msg["date"].strip()
    else:
        published = unix_to_iso(msg.get("date_unixtime"), "date")
    likes = None
    reactions = msg.get("reactions")
    if isinstance(reactions, list):
        likes = sum(to_count(r.get("count"), "reactions") or 0
                    for r in reactions if isinstance(r, dict))
    metrics = {"views": to_count(msg.get("views"), "views"), "likes": likes,
               "reposts": to_count(msg.get("forwards"), "forwards"), "comments": None}
    post: dict[str, Any] = {
        "text": text,
        "platform": "telegram",
        "published_at": published,
        "attachments": _attachments(msg),
        "is_repost": bool(msg.get("forwarded_from")),
        "page": dict(page),
    }
    if msg.get("id") is not None:
        post["id"] = str(msg["id"])
    if any(v is not None for v in metrics.values()):
        post["metrics"] = metrics
    return post, None if text.strip() else InputError("text", NO_TEXT)
