"""Facts of a post: when, where, how to act (contacts, links) and which kinds of post it is.

`extract_facts(doc)` returns `Facts`: lists of `Fact(kind, start, end, text, value)` with kinds
date, time, address, place, phone, link, email, qr; the post kinds (announcement, event, outage,
service, deadline, request) that say which facts the post needs; and the call to action.
Spans are offsets into the submitted text. Pure regex and morphology tags: ~0.1 ms per post.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from service.facts import patterns as P
from service.facts.kinds import WANTS_REPLY, find_cta, post_kinds
from service.facts.patterns import lower_text
from service.nlp.document import Doc

FACT_KINDS = ("date", "time", "address", "place", "phone", "link", "email", "qr")
WHEN_KINDS = frozenset({"date", "time"})
WHERE_KINDS = frozenset({"address", "place"})
CONTACT_KINDS = frozenset({"phone", "link", "email", "qr"})


@dataclass(slots=True)
class Fact:
    """One fact found in the text; `value` is its normalised reading."""

    kind: str
    start: int
    end: int
    text: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        """Return the fact as a JSON-ready object."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "value": self.value}


@dataclass(slots=True)
class Facts:
    """Everything `extract_facts` found in one post."""

    dates: list[Fact] = field(default_factory=list)
    times: list[Fact] = field(default_factory=list)
    addresses: list[Fact] = field(default_factory=list)
    places: list[Fact] = field(default_factory=list)
    phones: list[Fact] = field(default_factory=list)
    links: list[Fact] = field(default_factory=list)
    emails: list[Fact] = field(default_factory=list)
    qrs: list[Fact] = field(default_factory=list)
    post_kinds: set[str] = field(default_factory=set)
    has_call_to_action: bool = False
    cta: tuple[int, int] | None = None  # span of the first call to action
    vague_cta: bool = False  # «обратите внимание», «не оставайтесь в стороне» only
    deferred_when: bool = False  # «о дате сообщим дополнительно»
    deferred_where: bool = False  # «площадки опубликуем ближе к дате»
    wants_reply: bool = False  # a poll, a call for volunteers: needs a channel to answer
    in_person: bool = False  # «обращайтесь в регистратуру», «запись у библиотекаря»
    focus: tuple[int, int] | None = None  # span of the sentence that names the event/service

    @property
    def facts(self) -> list[Fact]:
        """Return every fact found, kind by kind."""
        return [x for k in FACT_KINDS for x in self.of(k)]

    def of(self, kind: str) -> list[Fact]:
        """Return the facts of one kind."""
        return getattr(self, _FIELD[kind])  # type: ignore[no-any-return]

    def has(self, kind: str) -> bool:
        """Return True when at least one fact of `kind` (or group when/where/contact) was found."""
        group = {"when": WHEN_KINDS, "where": WHERE_KINDS, "contact": CONTACT_KINDS}.get(kind)
        if group is not None:
            return any(self.of(k) for k in group)
        return bool(self.of(kind))

    @property
    def precise_when(self) -> bool:
        """Return True when the post says both a day and an hour, or a deadline or a range."""
        if any(isinstance(f.value, dict) and f.value.get("type") in ("range", "deadline", "regular")
               for f in (*self.dates, *self.times)):
            return True
        day = any(isinstance(f.value, dict) and f.value.get("type") in ("absolute", "relative")
                  for f in self.dates)
        return day and bool(self.times)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready object (it appears in the output as `usefulness.facts`)."""
        out: dict[str, Any] = {k: [f.as_dict() for f in self.of(k)] for k in FACT_KINDS}
        out["post_kinds"] = sorted(self.post_kinds)
        out["has_call_to_action"] = self.has_call_to_action
        out["call_to_action"] = (
            {"start": self.cta[0], "end": self.cta[1]} if self.cta is not None else None)
        return out


_DIGIT = re.compile(r"\d")
# cheap substring checks that let the rarer patterns skip most posts
_DEFER_KEYS = ("сообщ", "опублик", "уточн", "довед", "объяв", "подбер")
_SHORT_NUMBERS = ("112", "101", "102", "103", "104", "122", "123", "115")
_KIND = attrgetter("kind")
_CONTACT_TOKENS = frozenset({"url", "email", "mention"})
_FIELD = {"date": "dates", "time": "times", "address": "addresses", "place": "places",
          "phone": "phones", "link": "links", "email": "emails", "qr": "qrs"}


def _add(out: list[Fact], kind: str, m: re.Match[str], value: Any, taken: list[tuple[int, int]],
         src: str) -> None:
    """Append a fact unless its span overlaps one already taken by a stronger pattern."""
    s, e = m.span()
    for a, b in taken:
        if s < b and a < e:
            return
    taken.append((s, e))
    out.append(Fact(kind, s, e, src[s:e], value))


def _month(word: str) -> int | None:
    w = word.lower()
    for stem, n in P.MONTHS.items():
        if w.startswith(stem) and (stem != "ма" or w in ("мая", "май", "мае")):
            return n
    return None


def _when(text: str, src: str, f: Facts) -> None:
    taken: list[tuple[int, int]] = []
    digits = _DIGIT.search(text) is not None  # dates and times all need a digit: skip the scans
    months = digits and any(map(text.__contains__, P.MONTH_HINTS))
    numeric = digits and P.DATE_NUM_HINT.search(text) is not None
    # a deadline names a month (MONTH_GEN: one of MONTH_HINTS) or a day.month
    for m in P.DEADLINE.finditer(text) if months or numeric else ():
        _add(f.dates, "date", m, {"type": "deadline"}, taken, src)
    for m in P.DATE_WORDS.finditer(text) if months else ():
        words = m.group(0).split()
        month = next((n for w in words if (n := _month(w.rstrip("."))) is not None), None)
        typ = "range" if re.search(r"[-–—]|\bпо\b|\bи\b", m.group(0)) else "absolute"
        _add(f.dates, "date", m, {"type": typ, "day": int(m.group(1)), "month": month}, taken, src)
    for m in P.DATE_NUM.finditer(text) if numeric else ():
        # «в 14.30» is a time, not the 30th of a month
        if m.group(3) is None and text[max(0, m.start() - 2):m.start()].lower() in ("в ", "к "):
            continue
        _add(f.dates, "date", m, {"type": "absolute", "day": int(m.group(1)),
                                  "month": int(m.group(2))}, taken, src)
    for m in P.RELATIVE.finditer(text):
        regular = m.group(0).lower().startswith(("по ", "кажд"))
        _add(f.dates, "date", m, {"type": "regular" if regular else "relative"}, taken, src)
    for m in P.WEEKDAY_BARE.finditer(text):
        _add(f.dates, "date", m, {"type": "relative"}, taken, src)
    for m in P.MONTH_ONLY.finditer(text):
        _add(f.dates, "date", m, {"type": "month"}, taken, src)
    clock = digits and P.CLOCK_HINT.search(text) is not None
    for m in P.TIME_RANGE.finditer(text) if clock else ():
        _add(f.times, "time", m, {"type": "range"}, taken, src)
    for m in P.TIME.finditer(text) if clock else ():
        _add(f.times, "time", m, {"type": "time"}, taken, src)
    for m in P.ROUND_CLOCK.finditer(text):
        _add(f.times, "time", m, {"type": "regular"}, taken, src)
    f.deferred_when = (any(map(text.__contains__, _DEFER_KEYS))
                       and P.DEFERRED_WHEN.search(text) is not None)


# words allowed between the preposition and the place noun: «в малом зале», «в новом здании»
_PLACE_MODIFIERS = frozenset({"ADJF", "PRTF", "NUMR", "ADJS"})


def _plain_place(doc: Doc, starts: list[int], s: int, e: int) -> bool:
    """Return True when the words between a place's preposition and its noun are modifiers."""
    i = bisect_left(starts, s) + 1  # skip the preposition
    inner = []
    while i < len(doc.tokens) and doc.tokens[i].end < e:
        inner.append(doc.tokens[i])
        i += 1
    if not inner:
        return True
    # the noun itself may be split off («в актовом зале»: the last token ends at `e`)
    return all(t.kind == "word" and (t.pos in _PLACE_MODIFIERS or t.text[:1].isupper())
               for t in inner)


def _where(doc: Doc, text: str, f: Facts) -> None:
    src = doc.text
    taken: list[tuple[int, int]] = []
    folded = src.casefold()
    for m in (P.ADDRESS_STREET.finditer(src) if any(map(folded.__contains__, P.STREET_HINTS))
              else ()):
        _add(f.addresses, "address", m, None, taken, src)
    for m in (P.ADDRESS.finditer(text) if any(map(text.__contains__, P.ADDRESS_HINTS))
              and _DIGIT.search(text) is not None else ()):
        _add(f.addresses, "address", m, None, taken, src)
    settlement = (any(map(folded.__contains__, P.SETTLEMENT_WORDS))
                  or (any(map(src.__contains__, P.SETTLEMENT_ABBREVIATIONS))
                      and P.SETTLEMENT_ABBREVIATION.search(src) is not None))
    for m in P.SETTLEMENT.finditer(src) if settlement else ():
        _add(f.addresses, "address", m, "settlement", taken, src)
    starts: list[int] = []  # token starts, listed on the first place with words in it
    pos = 0
    while (pm := P.PLACE.search(text, pos)) is not None:
        if " " in pm.group(0) and not starts:
            starts = [t.start for t in doc.tokens]
        if " " in pm.group(0) and not _plain_place(doc, starts, *pm.span()):
            pos = pm.start() + 1  # «в апреле в библиотеке»: retry from the next preposition
            continue
        pos = pm.end()
        _add(f.places, "place", pm, None, taken, src)
    for m in P.OUR_PLACE.finditer(text):
        _add(f.places, "place", m, "ours", taken, src)
    f.deferred_where = (any(map(text.__contains__, _DEFER_KEYS))
                        and P.DEFERRED_WHERE.search(text) is not None)


def _contacts(doc: Doc, text: str, f: Facts) -> None:
    src = doc.text
    taken: list[tuple[int, int]] = []
    kinds = set(map(_KIND, doc.tokens))  # most posts have no link, e-mail or mention token
    for t in doc.tokens if not kinds.isdisjoint(_CONTACT_TOKENS) else ():
        if t.kind == "url":
            f.links.append(Fact("link", t.start, t.end, t.text, "url"))
            taken.append((t.start, t.end))
        elif t.kind == "email":
            f.emails.append(Fact("email", t.start, t.end, t.text, t.text.lower()))
            taken.append((t.start, t.end))
        elif t.kind == "mention":
            f.links.append(Fact("link", t.start, t.end, t.text, "mention"))
    for m in P.PHONE.finditer(text) if P.PHONE_HINT.search(text) else ():
        _add(f.phones, "phone", m, re.sub(r"\D", "", m.group(0)), taken, src)
    for m in P.SHORT_PHONE.finditer(text) if any(map(text.__contains__, _SHORT_NUMBERS)) else ():
        digits = re.search(r"\d+$", m.group(0))
        if digits is not None:
            s = m.start() + digits.start()
            f.phones.append(Fact("phone", s, m.end(), src[s:m.end()], digits.group(0)))
    for m in P.LINK_WORDS.finditer(text):
        _add(f.links, "link", m, "words", taken, src)
    for m in P.QR.finditer(text) if "qr" in text or "куар" in text else ():
        _add(f.qrs, "qr", m, None, taken, src)
    f.in_person = P.IN_PERSON.search(text) is not None


def extract_facts(doc: Doc) -> Facts:
    """Return the facts of an analysed post."""
    cached = doc.cache.get("facts")
    if isinstance(cached, Facts):
        return cached
    f = Facts()
    text = lower_text(doc)
    _when(text, doc.text, f)
    _where(doc, text, f)
    _contacts(doc, text, f)
    f.post_kinds, f.focus = post_kinds(doc, f)
    f.wants_reply = "request" in f.post_kinds and WANTS_REPLY.search(text) is not None
    f.cta, f.vague_cta = find_cta(doc)
    f.has_call_to_action = f.cta is not None
    doc.cache["facts"] = f
    return f
