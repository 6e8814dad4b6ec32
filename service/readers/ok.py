"""Odnoklassniki (OK) API responses with group posts (media topics).

Read: `mediatopic.getByIds` (`{"media_topics": [...], "entities": {...}}`) and `stream.get`
(`{"feeds": [...], "entities": {"media_topics": [...], "groups": [...]}}`), as saved from the
API, or a JSON list of such responses (pages of one export). See docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from service.errors import InputError
from service.readers.common import MSK, NO_TEXT, Row, to_count

# OK media block types → our attachment types (docs/formats.md); text blocks are the text.
MEDIA = {"photo": "photo", "movie": "video", "link": "link", "poll": "poll", "music": "audio",
         "app": "other", "place": "other", "product": "other"}
RESHARE = frozenset({"topic", "reshare"})
# Before 1973 in milliseconds: a smaller number is a date in seconds.
MS_THRESHOLD = 100_000_000_000


def ms_to_iso(value: Any, field: str) -> str:
    """Return ISO 8601 (Moscow time) for a Unix time in milliseconds; raise `InputError`.

    Seconds are accepted too (a number below 10^11 cannot be milliseconds of a real post).
    """
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise InputError(field, "ожидается дата в миллисекундах Unix (целое число)")
    seconds = value / 1000 if value >= MS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(seconds, tz=MSK).isoformat()
    except (OverflowError, OSError, ValueError):
        raise InputError(field, "дата вне допустимого диапазона") from None


def is_ok_error(obj: Any) -> bool:
    """Return True for an OK API error answer (`{"error_code": 102, "error_msg": "..."}`)."""
    return (isinstance(obj, dict) and "error_code" in obj and isinstance(obj.get("error_msg"), str)
            and "text" not in obj)


def _is_response(obj: Any) -> bool:
    if not isinstance(obj, dict) or "text" in obj:
        return False
    if isinstance(obj.get("media_topics"), list):
        return True
    entities = obj.get("entities")
    return isinstance(entities, dict) and isinstance(entities.get("media_topics"), list)


def is_ok(obj: Any) -> bool:
    """Return True when a parsed JSON document looks like an OK API response with posts."""
    if is_ok_error(obj) or _is_response(obj):
        return True
    return isinstance(obj, list) and bool(obj) and all(_is_response(o) for o in obj)


def read_ok(obj: Any) -> Iterator[Row]:
    """Return the rows of every response's media topics; `line` is the topic number in the file.

    Raises `InputError` at once for an API error answer or a document that is not OK's.
    """
    if is_ok_error(obj):
        raise InputError("input", f"в файле ответ OK API с ошибкой, а не посты: {obj['error_msg']}")
    if not is_ok(obj):
        raise InputError("input", "это не ответ OK API (mediatopic.getByIds или stream.get): "
                         "нет списка media_topics")
    return _rows(obj if isinstance(obj, list) else [obj])


def _rows(parts: list[dict[str, Any]]) -> Iterator[Row]:
    n = 0
    for part in parts:
        entities = part.get("entities")
        entities = entities if isinstance(entities, dict) else {}
        topics = part.get("media_topics")
        originals = _topics_by_ref(entities)
        if not isinstance(topics, list):  # stream.get: the feed's topics are its entities,
            inner = _reshared_ids(entities.get("media_topics") or [])  # with reshared originals
            topics = [t for t in entities.get("media_topics") or [] if _topic_id(t) not in inner]
        groups = _groups(entities)
        for topic in topics:
            n += 1
            try:
                data, error = topic_to_post(topic, groups, originals)
            except InputError as exc:
                yield Row(n, None, exc, _topic_id(topic))
                continue
            yield Row(n, data, error, data.get("id"))


def _reshared_ids(topics: list[Any]) -> set[str]:
    """Return the ids of the topics that other topics of the list reshare."""
    out: set[str] = set()
    for t in topics:
        media = t.get("media") if isinstance(t, dict) else None
        for block in media if isinstance(media, list) else []:
            if isinstance(block, dict) and _is_reshare(block):
                out.update(r for r in map(_ref_id, _refs(block)) if r)
    return out


def _is_reshare(block: dict[str, Any]) -> bool:
    return block.get("type") in RESHARE or block.get("reshare") is True


def _refs(block: dict[str, Any]) -> list[Any]:
    refs = block.get("media_topic_refs") or block.get("topic_refs") or []
    return refs if isinstance(refs, list) else [refs]


def _topic_id(topic: Any) -> str | None:
    if isinstance(topic, dict) and topic.get("id") not in (None, ""):
        return str(topic["id"])
    return None


def _ref_id(ref: Any) -> str | None:
    """Return the id of an OK reference (`group:53038939046008` → `53038939046008`)."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return str(ref)
    if not isinstance(ref, str) or not ref.strip():
        return None
    return ref.strip().rsplit(":", 1)[-1] or None


def _groups(entities: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for g in entities.get("groups") or []:
        if not isinstance(g, dict):
            continue
        gid = _ref_id(g.get("uid")) or _ref_id(g.get("ref")) or _ref_id(g.get("id"))
        if gid:
            try:
                subscribers = to_count(g.get("members_count"), "members_count")
            except InputError:
                subscribers = None  # a page's odd counter does not spoil its posts
            out[gid] = {"name": g.get("name") if isinstance(g.get("name"), str) else None,
                        "subscribers": subscribers}
    return out


def _topics_by_ref(entities: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in entities.get("media_topics") or []:
        tid = _topic_id(t)
        if tid:
            out[tid] = t
    return out


def _summary(topic: dict[str, Any], key: str, count_key: str) -> int | None:
    value = topic.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(key, f"ожидается объект с полем {count_key}")
    return to_count(value.get(count_key), key)


def _media(topic: dict[str, Any]) -> list[dict[str, Any]]:
    media = topic.get("media", [])
    if media is None:
        return []
    if not isinstance(media, list):
        raise InputError("media", "ожидается список блоков медиатопика (text, photo, link …)")
    return [m for m in media if isinstance(m, dict)]


def _text_and_attachments(media: list[dict[str, Any]]) -> tuple[str, list[str], list[str] | None]:
    """Return the joined text blocks, our attachment types, and the ids of reshared topics
    (None when the topic is not a reshare; a reshare may name no original)."""
    texts: list[str] = []
    attachments: list[str] = []
    reshared: list[str] | None = None
    for block in media:
        kind = block.get("type")
        if kind == "text":
            text = block.get("text", "")
            if not isinstance(text, str):
                raise InputError("text", "текстовый блок медиатопика: ожидается строка")
            if text.strip():
                texts.append(text.strip())
        elif _is_reshare(block):
            reshared = (reshared or []) + [r for r in map(_ref_id, _refs(block)) if r]
        elif isinstance(kind, str):
            attachments.append(MEDIA.get(kind, "other"))
    return "\n\n".join(texts), attachments, reshared


def topic_to_post(topic: Any, groups: dict[str, dict[str, Any]],
                  originals: dict[str, dict[str, Any]]) -> tuple[dict[str, Any],
                                                                 InputError | None]:
    """Return a post in our schema from an OK media topic, and an error if unscorable."""
    if not isinstance(topic, dict):
        raise InputError("item", "ожидается объект медиатопика OK")
    text, attachments, reshared = _text_and_attachments(_media(topic))
    if reshared is not None and not text:  # no words of its own: readers see the original's
        original = next((originals[r] for r in reshared if r in originals), None)
        if original is not None and original is not topic:
            text, own, _ = _text_and_attachments(_media(original))
            attachments = attachments or own
    metrics = {
        "views": to_count(topic.get("views_count"), "views_count"),
        "likes": _summary(topic, "like_summary", "count"),
        "reposts": _summary(topic, "reshare_summary", "count"),
        "comments": _summary(topic, "discussion_summary", "comments_count"),
    }
    post: dict[str, Any] = {
        "text": text,
        "platform": "ok",
        "published_at": ms_to_iso(topic.get("created_ms"), "created_ms"),
        "attachments": attachments,
        "is_repost": reshared is not None,
        "metrics": metrics,
    }
    tid = _topic_id(topic)
    if tid:
        post["id"] = tid
    owner = _ref_id(topic.get("owner_ref"))
    if owner:
        page: dict[str, Any] = {"id": owner}
        meta = groups.get(owner)
        if meta:
            page.update({k: v for k, v in meta.items() if v is not None})
        post["page"] = page
    return post, None if text.strip() else InputError("text", NO_TEXT)
