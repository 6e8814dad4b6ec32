"""Readability rules: officialese phrases, long sentences, unexplained abbreviations."""

from __future__ import annotations

from collections.abc import Iterator

from service.feedback import Item
from service.lexicons import word_set
from service.nlp.document import Token
from service.ru import plural_form
from service.rules.context import Context
from service.rules.split_point import NO_SPLIT_ADVICE, split_advice, split_point

# A sentence is too long when its words plus its long words (4+ syllables, which cost a
# reader about as much as a second word) reach this. Chosen by 5-fold cross-validation on the
# annotated posts (F1 0.78 vs 0.75 for a plain «25+ words» count); a plain sentence of 30
# short words passes, 22 words of officialdom do not.
LONG_SENTENCE_EFFORT = 34
LONG_WORD_SYLLABLES = 4


def kantselyarit(ctx: Context) -> Iterator[Item]:
    """Yield one item per officialese phrase, with its plain-Russian rewrite."""
    if not ctx.kantselyarit:
        return
    gain = ctx.readability.gain(kantselyarit=-1)
    for hit in ctx.kantselyarit:
        if hit.kind == "structure" and hit.pattern == "noun-chain":
            message = "Цепочка отглагольных существительных и родительных падежей: фразу трудно понять"
        elif hit.kind == "structure":
            message = f"«{hit.fragment}»: непонятно, кто это делает. Скажите, кто и что делает"
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


def long_sentences(ctx: Context) -> Iterator[Item]:
    """Yield an item for each sentence too long to read in one breath, with where to split it."""
    doc = ctx.doc
    for s in doc.sentences:
        if s.n_words * 2 < LONG_SENTENCE_EFFORT:
            continue
        n_long = sum(
            1 for t in doc.sentence_tokens(s) if t.kind == "word" and t.syllables >= LONG_WORD_SYLLABLES
        )
        if s.n_words + n_long < LONG_SENTENCE_EFFORT:
            continue
        # split in two halves: one sentence more, Σn² of the lengths down by n²/2 and Σn³ by
        # 3n³/4 — so each sentence's gain depends on its own length
        n = s.n_words
        gain = ctx.readability.gain(sentences=1, prose_words_sq=-n**2 / 2,
                                    prose_words_cube=-0.75 * n**3)
        toks = doc.sentence_tokens(s)
        split = split_point(toks)
        suggestion = NO_SPLIT_ADVICE if split is None else split_advice(doc.text, toks, split)
        yield Item(
            code="long_sentences",
            axis="readability",
            severity="warning",
            message=(
                f"Длинное предложение: {s.n_words} {plural_form(s.n_words, 'слово', 'слова', 'слов')}"
                + (f", из них {n_long} длинных" if n_long >= 5 else "")
                + ". Его трудно дочитать на одном дыхании"
            ),
            start=s.start,
            end=s.end,
            fragment=doc.text[s.start : s.end],
            suggestion=suggestion,
            gain=gain,
        )


def _acronym_base(w: str) -> str:
    """Return the acronym without a lower-case case ending: «ТОСы» → «ТОС»."""
    if len(w) >= 4 and w[-1] in "ыаеуоми" and w[:-1].isupper():
        return w[:-1]
    return w


def _looks_like_acronym(t: Token, after_acronym: bool) -> bool:
    """Return True for a capitalised acronym such as «КДН» or «МБУ» (not «ВНИМАНИЕ», «НА»)."""
    w = _acronym_base(t.text)
    if not (2 <= len(w) <= 7) or not w.isupper() or not any("А" <= c <= "Я" for c in w):
        return False
    m = t.morph
    if m is not None and m.known and "Abbr" not in m.tags and not after_acronym:
        return False  # a real word in capitals is a caps problem, not an acronym
    return True


def _acronym_groups(toks: list[Token]) -> list[tuple[int, int]]:
    """Return (first, last) token indices of acronyms, chains like «МБУ ДО», «КДН и ЗП» joined."""
    groups: list[tuple[int, int]] = []
    n = len(toks)
    i = 0  # the first token not yet in a group
    # An acronym's letters up to its case ending are capitals, its second character among them:
    # a word with a small second letter («Москва», «в») is none, and is skipped without a call.
    for k, t in enumerate(toks):
        if k < i or t.kind != "word" or t.text[1:2].islower() or t.text.islower():
            continue
        if _looks_like_acronym(t, False):
            i = k
            j = i
            while True:
                if j + 1 < n and toks[j + 1].kind == "word" and _looks_like_acronym(
                    toks[j + 1], True
                ):
                    j += 1
                elif (j + 2 < n and toks[j + 1].lower == "и"
                      and toks[j + 2].kind == "word" and _looks_like_acronym(toks[j + 2], True)):
                    j += 2
                else:
                    break
            groups.append((i, j))
            i = j + 1
    return groups


def unexplained_abbreviation(ctx: Context) -> Iterator[Item]:
    """Yield an item for each acronym a resident may not know and the post does not explain."""
    known = word_set("known_abbreviations.txt")
    doc = ctx.doc
    toks = doc.tokens
    groups = doc.memo("acronym_groups", lambda: _acronym_groups(toks))
    explained: set[str] = set()
    for a, b in groups:
        before = toks[a - 1].text if a > 0 else ""
        after = toks[b + 1].text if b + 1 < len(toks) else ""
        if before == "(" or after == "(":
            explained.add(doc.text[toks[a].start : toks[b].end])
    gain: float | None = None  # the same for every item: computed for the first one
    seen: set[str] = set()
    for a, b in groups:
        key = doc.text[toks[a].start : toks[b].end]
        parts = [_acronym_base(toks[k].text).lower() for k in range(a, b + 1)
                 if toks[k].lower != "и"]
        unknown = [p for p in parts if p not in known]
        if not unknown or key in explained or key in seen:
            continue
        nxt = toks[b + 1].text if b + 1 < len(toks) else ""
        if len(parts) == 1 and nxt[:1] in "«\"":
            continue  # legal form before an institution's name: «ГБУЗ «Черемшанская ЦРБ»»
        seen.add(key)
        if gain is None:
            rd = ctx.readability
            gain = rd.gain(abbreviations=-1) if "abbreviations" in rd.counts else 0.5
        yield Item(
            code="unexplained_abbreviation",
            axis="readability",
            severity="info",
            message=f"Сокращение «{key}» может быть непонятно жителям",
            start=toks[a].start,
            end=toks[b].end,
            fragment=key,
            suggestion=f"Расшифруйте «{key}» при первом упоминании или замените понятным словом.",
            gain=gain,
        )
