"""Usefulness rules: an event, outage, service or request that lacks when, where or how.

Whether a code fires is decided by the learned per-code model (service.issue_model) when its
artifact is present, else by the hand rules below (`needs_when`, ...); the item itself (span of
the key sentence, message, suggestion) is built the same way in both cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from service.facts import Facts, extract_facts
from service.feedback import Item
from service.issue_model import features, load_issue_model, verdicts
from service.rules.context import Context

# Usefulness points a fix gains when the usefulness model gives no estimate of its own.
DEFAULT_GAIN = {"when": 8.0, "where": 6.0, "contact": 6.0, "call_to_action": 4.0}
NEEDS_WHEN = frozenset({"event", "outage"})
NEEDS_WHERE = frozenset({"event", "outage"})
NEEDS_CONTACT = frozenset({"service", "request"})


def _facts(ctx: Context) -> Facts:
    f = ctx.extra.get("facts")
    return f if isinstance(f, Facts) else extract_facts(ctx.doc)


def _gain(ctx: Context, kind: str) -> float:
    helper = ctx.extra.get("usefulness_gain")
    if callable(helper):
        try:
            return float(helper(kind))
        except (TypeError, ValueError):
            pass
    return DEFAULT_GAIN[kind]


def _fires(ctx: Context, f: Facts, code: str, hand: bool) -> bool:
    """Return the learned model's verdict on `code`, or the hand rule's when there is no model."""
    models = load_issue_model()
    if not models or code not in models:
        return hand
    # The doc is shared by every post with this text; the features also depend on the page type.
    page = ctx.post.page.type if ctx.post.page is not None else None
    feats = ctx.doc.memo(("issue_features", page), lambda: features(ctx.doc, f, page))
    # every code's verdict at once: the four rules of a post ask them in turn
    all_codes = models
    return ctx.doc.memo(("issue", page), lambda: verdicts(all_codes, feats))[code]


def _item(ctx: Context, f: Facts, code: str, gain_kind: str, message: str, suggestion: str,
          severity: str = "warning") -> Item:
    span = f.focus
    start, end = span if span is not None else (None, None)
    fragment = ctx.doc.text[start:end] if start is not None else None
    return Item(code=code, axis="usefulness", severity=severity,  # type: ignore[arg-type]
                message=message, start=start, end=end, fragment=fragment,
                suggestion=suggestion, gain=_gain(ctx, gain_kind))


def needs_when(f: Facts) -> bool:
    """Return True when the post's kind needs a day and time it does not give."""
    if f.deferred_when and f.post_kinds:
        return True
    if "event" in f.post_kinds:
        # a resident needs the day and the hour; «в субботу» or «в апреле» alone is not enough
        return not f.precise_when
    if "outage" in f.post_kinds:
        return not (f.dates or f.times)
    if "deadline" in f.post_kinds:
        return not f.dates
    return False


def needs_where(f: Facts) -> bool:
    """Return True when the post's kind needs a place or address it does not give."""
    if f.deferred_where:
        return bool(f.post_kinds & NEEDS_WHERE)
    if "outage" in f.post_kinds:
        return not (f.addresses or f.places)
    # an event that says when but not where; without a day it is a teaser, missing_when says it
    return "event" in f.post_kinds and f.precise_when and not (f.addresses or f.places)


def needs_contact(f: Facts) -> bool:
    """Return True when a service or a call for replies gives no phone, link or other way to act."""
    if "service" in f.post_kinds:
        return not (f.phones or f.links or f.emails or f.qrs or f.in_person or f.addresses)
    if f.wants_reply:
        return not (f.phones or f.links or f.emails or f.qrs or f.in_person)
    return False


def hand_no_cta(f: Facts) -> bool:
    """Return True when a request's only «call» is vague («просим обратить внимание»)."""
    # a post with no call at all is usually news, not a request
    return "request" in f.post_kinds and not f.has_call_to_action and f.vague_cta


def missing_when(ctx: Context) -> Iterator[Item]:
    """Yield an item when an event, outage or deadline has no date or time."""
    f = _facts(ctx)
    if not _fires(ctx, f, "missing_when", needs_when(f)):
        return
    if "outage" in f.post_kinds and "event" not in f.post_kinds:
        what = "Отключение без точной даты и времени"
    elif "deadline" in f.post_kinds and not f.post_kinds & NEEDS_WHEN:
        what = "Срок без точной даты"
    elif "event" in f.post_kinds:
        what = "Событие без точной даты и времени"
    else:
        what = "Не сказано, когда"
    yield _item(ctx, f, "missing_when", "when",
                f"{what}: жителю непонятно, когда это будет или до какого числа успеть",
                "Добавьте, когда: дату и время, например «14 марта в 10:00» "
                "или «с 9:00 до 17:00».")


def missing_where(ctx: Context) -> Iterator[Item]:
    """Yield an item when an event or outage has no place or address."""
    f = _facts(ctx)
    if not _fires(ctx, f, "missing_where", needs_where(f)):
        return
    yield _item(ctx, f, "missing_where", "where",
                "Не сказано, где: жителю непонятно, куда идти или каких домов это касается",
                "Добавьте, где: адрес или место, например «ул. Ленина, 5, актовый зал» "
                "или «дома 1–25 по ул. Садовой».")


def missing_contact(ctx: Context) -> Iterator[Item]:
    """Yield an item when a service or request gives no way to act."""
    f = _facts(ctx)
    if not _fires(ctx, f, "missing_contact", needs_contact(f)):
        return
    yield _item(ctx, f, "missing_contact", "contact",
                "Не сказано, как получить услугу или куда обращаться",
                "Добавьте телефон, ссылку или адрес, например «Запись по телефону "
                "8 (800) 000-00-00 или на Госуслугах».")


def no_call_to_action(ctx: Context) -> Iterator[Item]:
    """Yield an item when a post wants something from the reader but never says what to do."""
    f = _facts(ctx)
    if not _fires(ctx, f, "no_call_to_action", hand_no_cta(f)):
        return
    yield _item(ctx, f, "no_call_to_action", "call_to_action",
                "Пост чего-то ждёт от читателя, но не говорит, что именно сделать",
                "Скажите прямо, что сделать: «Заполните анкету по ссылке до 20 марта» "
                "или «Позвоните по телефону 8 (800) 000-00-00».", severity="info")


FACT_RULES: list[Callable[[Context], Iterator[Item]]] = [
    missing_when, missing_where, missing_contact, no_call_to_action,
]
