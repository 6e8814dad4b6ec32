"""Readability rules: officialese phrases, long sentences, unexplained abbreviations."""

from __future__ import annotations

from collections.abc import Iterator

from service.feedback import Item
from service.lexicons import word_set
from service.nlp.document import Token
from service.rules.context import Context

LONG_SENTENCE_WORDS = 25  # the rubric's «about 25+ words»: too long to read in one breath
SPLIT_WORDS = frozenset(
    {"и", "а", "но", "что", "чтобы", "который", "которая", "которое", "которые", "где", "когда",
     "поэтому", "так", "если", "однако", "также", "после", "потому"}
)


def kantselyarit(ctx: Context) -> Iterator[Item]:
    """Yield one item per officialese phrase, with its plain-Russian rewrite."""
    if not ctx.kantselyarit:
        return
    gain = ctx.readability.gain(kantselyarit=-1)
    for hit in ctx.kantselyarit:
        if hit.kind == "structure":
            message = "Цепочка отглагольных существительных и родительных падежей: фразу трудно понять"
        else:
            message = f"Канцелярит: «{hit.fragment}» — так говорят документы, а не люди"
        yield Item(
            code="kantselyarit",
            axis="readability",
            severity="warning",
            message=message,
            start=hit.start,
            end=hit.end,
            fragment=hit.fragment,
            suggestion=hit.suggestion,
            gain=gain,
        )


def _split_point(tokens: list[Token]) -> Token | None:
    """Return the word to start a new sentence with: a clause boundary nearest the middle."""
    word_idx = [i for i, t in enumerate(tokens) if t.kind == "word"]
    if len(word_idx) < 12:
        return None
    middle = len(word_idx) / 2
    best: tuple[float, Token] | None = None
    n_before = 0
    for i, t in enumerate(tokens):
        if t.kind == "word":
            n_before += 1
        if t.kind == "punct" and t.text[0] in ",;:—–-" and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if nxt.kind != "word" or n_before < 5 or len(word_idx) - n_before < 5:
                continue
            bonus = 0.0 if nxt.lower in SPLIT_WORDS or t.text[0] in ";:—–" else 3.0
            cost = abs(n_before - middle) + bonus
            if best is None or cost < best[0]:
                best = (cost, nxt)
    return best[1] if best else None


def long_sentences(ctx: Context) -> Iterator[Item]:
    """Yield an item for each sentence of 25+ words, with where to split it."""
    doc = ctx.doc
    gain = None
    for s in doc.sentences:
        if s.n_words < LONG_SENTENCE_WORDS:
            continue
        if gain is None:
            gain = ctx.readability.gain(sentences=1)
        toks = doc.sentence_tokens(s)
        split = _split_point(toks)
        if split is not None:
            before = doc.text[s.start : split.start].rstrip(" ,;:—–-")
            tail = before.split()[-1] if before.split() else ""
            suggestion = (
                f"Разделите на два предложения: поставьте точку после «{tail}» "
                f"и начните новое с «{split.text}»."
            )
        else:
            suggestion = "Разделите на два-три коротких предложения: одна мысль — одно предложение."
        yield Item(
            code="long_sentences",
            axis="readability",
            severity="warning",
            message=f"Длинное предложение: {s.n_words} слов. Его трудно дочитать на одном дыхании",
            start=s.start,
            end=s.end,
            fragment=doc.text[s.start : s.end],
            suggestion=suggestion,
            gain=gain,
        )


def _is_abbreviation(t: Token) -> bool:
    """Return True for a capitalised acronym such as «КДН» or «МБУ»."""
    w = t.text
    if not (2 <= len(w) <= 7) or not w.isupper() or not any("А" <= c <= "Я" for c in w):
        return False
    m = t.morph
    if m is not None and m.known and "Abbr" not in m.tags and len(w) > 3:
        return False  # a real word in capitals («ВНИМАНИЕ») is a caps problem, not an acronym
    return True


def unexplained_abbreviation(ctx: Context) -> Iterator[Item]:
    """Yield an item for each acronym a resident may not know and the post does not explain."""
    known = word_set("known_abbreviations.txt")
    doc = ctx.doc
    toks = doc.tokens
    seen: set[str] = set()
    explained: set[str] = set()
    for i, t in enumerate(toks):
        if t.kind == "word" and _is_abbreviation(t):
            prev = toks[i - 1] if i > 0 else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if prev is not None and prev.text == "(" or nxt is not None and nxt.text == "(":
                explained.add(t.text)
    gain = ctx.readability.gain(abbreviations=-1) if "abbreviations" in ctx.readability.counts else 0.5
    for t in toks:
        if t.kind != "word" or not _is_abbreviation(t):
            continue
        key = t.text
        if key.lower() in known or key in explained or key in seen:
            continue
        seen.add(key)
        yield Item(
            code="unexplained_abbreviation",
            axis="readability",
            severity="info",
            message=f"Аббревиатура «{key}» может быть непонятна жителям",
            start=t.start,
            end=t.end,
            fragment=t.text,
            suggestion=f"Расшифруйте «{key}» при первом упоминании или замените понятным словом.",
            gain=gain,
        )
