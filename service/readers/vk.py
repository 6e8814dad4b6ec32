"""VK API `wall.get` responses (`{"response": {"items": [...]}}`, with `extended=1` groups)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from service.errors import InputError
from service.readers.common import NO_TEXT, Row, to_count, unix_to_iso


def is_vk(obj: Any) -> bool:
    """Return True when a parsed JSON document looks like a VK API response."""
    if not isinstance(obj, dict):
        return False
    if "error" in obj and isinstance(obj["error"], dict) and "error_msg" in obj["error"]:
        return True
    body = obj.get("response", obj)
    if isinstance(body, list):
        return any(isinstance(b, dict) and "items" in b for b in body)
    return isinstance(body, dict) and isinstance(body.get("items"), list) and "messages" not in obj


def read_vk(obj: dict[str, Any]) -> Iterator[Row]:
    """Yield a row per wall item; `line` is the item number across all responses."""
    if isinstance(obj.get("error"), dict):
        msg = obj["error"].get("error_msg", "неизвестная ошибка")
        raise InputError("input", f"в файле ответ VK API с ошибкой, а не посты: {msg}")
    body = obj.get("response", obj)
    bodies = body if isinstance(body, list) else [body]
    n = 0
    for part in bodies:
        if not isinstance(part, dict):
            continue
        groups = _groups(part)
        for item in part.get("items") or []:
            n += 1
            try:
                data, error = item_to_post(item, groups)
            except InputError as exc:
                yield Row(n, None, exc, _item_id(item))
                continue
            yield Row(n, data, error)


def _item_id(item: Any) -> str | None:
    if not isinstance(item, dict) or item.get("id") is None:
        return None
    owner = item.get("owner_id", item.get("from_id"))
    return f"{owner}_{item['id']}" if owner is not None else str(item["id"])


def _groups(part: dict[str, Any]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for g in part.get("groups") or []:
        if isinstance(g, dict) and isinstance(g.get("id"), int):
            out[-g["id"]] = {"name": g.get("name"), "subscribers": g.get("members_count"),
                             "screen_name": g.get("screen_name")}
    return out


def _count(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    if isinstance(value, dict):
        value = value.get("count")
    return to_count(value, key)


def _attachments(item: dict[str, Any]) -> list[str]:
    out = []
    for a in item.get("attachments") or []:
        if isinstance(a, dict) and isinstance(a.get("type"), str):
            out.append(a["type"])
    return out


def item_to_post(item: Any, groups: dict[int, dict[str, Any]]) -> tuple[dict[str, Any],
                                                                       InputError | None]:
    """Return a post dict in our schema from a `wall.get` item, and an error if unscorable."""
    if not isinstance(item, dict):
        raise InputError("item", "ожидается объект поста VK")
    text = item.get("text", "")
    if not isinstance(text, str):
        raise InputError("text", "ожидается строка")
    attachments = _attachments(item)
    history = [h for h in item.get("copy_history") or [] if isinstance(h, dict)]
    if history:  # a repost: its text is often empty, the original's text is what readers see
        original = history[0]
        if not text.strip() and isinstance(original.get("text"), str):
            text = original["text"]
        if not attachments:
            attachments = _attachments(original)
    owner = item.get("owner_id", item.get("from_id"))
    post: dict[str, Any] = {
        "text": text,
        "platform": "vk",
        "published_at": unix_to_iso(item.get("date")),
        "attachments": attachments,
        "is_repost": bool(history),
        "metrics": {k: _count(item, k) for k in ("views", "likes", "reposts", "comments")},
    }
    if item.get("id") is not None:
        post["id"] = _item_id(item)
    if isinstance(owner, int):
        page = {"id": str(owner)}
        meta = groups.get(owner)
        if meta:
            page.update({k: v for k, v in meta.items() if k != "screen_name" and v is not None})
        post["page"] = page
    error = None if text.strip() else InputError("text", NO_TEXT)
    return post, error
