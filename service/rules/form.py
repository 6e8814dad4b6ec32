"""Form rules: wall of text, too short, CAPS, «!!!», emoji and hashtag overuse, per platform."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from service.feedback import Item
from service.lexicons import frequencies, word_set
from service.nlp.document import Doc, Token
from service.rules.context import Context

# One table of thresholds, tuned by 5-fold CV on gosposts/train.jsonl (training/eval_issues.py).
# A Telegram or MAX post is read on a phone screen: its whole text should stay short; a VK
# longread may run longer. A single block of ~800+ characters is a wall on every platform.
_COMMON = {
    "block_chars": 800,  # longest block without a line break
    "min_words": 12,  # fewer words than this: a bare caption
    "caps_words": 2,  # words in capitals for emphasis (one long word like «ВНИМАНИЕ» is enough)
    "excl_runs": 1,  # «!!», «!!!», «?!?»
    "excl_share": 0.9,  # share of sentences ending with «!» ...
    "excl_min_sentences": 4,  # ... among at least this many sentences
    "emoji_min": 6,  # at least this many emoji ...
    "emoji_density": 12,  # ... and this many per 100 words
    "hashtags": 5,  # more than this many hashtags
}
THRESHOLDS: dict[str, dict[str, float]] = {
    "vk": {**_COMMON, "total_chars": 3000},
    "ok": {**_COMMON, "total_chars": 2500},
    "telegram": {**_COMMON, "total_chars": 2000},
    "max": {**_COMMON, "total_chars": 2000},
}
# The threshold each code's cross-validation scales (training/eval_issues.py).
MAIN_KEY = {"wall_of_text": "block_chars", "too_short": "min_words", "caps": "caps_words",
            "exclamation_overuse": "excl_share", "emoji_overuse": "emoji_density",
            "hashtag_overuse": "hashtags"}
CV_GRID: dict[str, list[float]] = {c: [0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6]
                                   for c in MAIN_KEY}
GAIN = {"wall_of_text": 5.0, "too_short": 4.0, "caps": 2.0, "exclamation_overuse": 1.5,
        "emoji_overuse": 1.5, "hashtag_overuse": 1.0}
SHORT_WORD_IPM = 10.0  # a short word in capitals rarer than this is an acronym, not a shout
_EMOJI_MODS = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_EXCL_RUN = re.compile(r"!{2,}|[!?]{3,}")


def _limits(platform: str, code: str | None = None, scale: float = 1.0) -> dict[str, float]:
    if scale == 1.0:  # a main threshold times 1.0 compares the same: the table itself, unchanged
        return THRESHOLDS.get(platform, THRESHOLDS["vk"])
    lim = dict(THRESHOLDS.get(platform, THRESHOLDS["vk"]))
    if code is not None:
        key = MAIN_KEY[code]
        lim[key] = lim[key] * scale
    return lim


def _is_caps(t: Token) -> bool:
    """Return True for a word written in capitals for emphasis, not an acronym like МФЦ."""
    w = t.text
    if len(w) < 3 or not w.isupper() or not any("А" <= c <= "Я" or c == "Ё" for c in w):
        return False
    m = t.morph
    if m is None or not m.known or "Abbr" in m.tags or "Orgn" in m.tags:
        return False
    if len(w) <= 4 and (m.tags & {"Name", "Surn", "Patr"}
                        or frequencies().get(m.lemma, 0.0) < SHORT_WORD_IPM):
        return False  # «ЕНС», «ИСС», «СИЗО», «МУС»: an acronym the dictionary takes for a rare word
    return w.lower() not in word_set("known_abbreviations.txt")


def features(doc: Doc) -> dict[str, Any]:
    """Return the form measurements of a post (cached on the doc)."""
    cached = doc.cache.get("form")
    if isinstance(cached, dict):
        return cached
    text = doc.text
    toks = doc.tokens
    n_words = n_urls = 0
    caps: list[Token] = []
    runs: list[int] = []
    hashtags: list[Token] = []
    for t in toks:  # one pass; a word in capitals is upper case (most words are not)
        kind = t.kind
        if kind == "word":
            n_words += 1
            if t.text.isupper() and _is_caps(t):
                caps.append(t)
        elif kind == "emoji":
            runs.append(len(_EMOJI_MODS.sub("", t.text)))
        elif kind == "url":
            n_urls += 1
        elif kind == "hashtag":
            hashtags.append(t)
    blocks = [e - s for s, e in doc.lines] or [0]
    ends = [text[s.start:s.end].rstrip()[-1:] for s in doc.sentences if s.n_words >= 2]
    f = {
        "chars": len(text.strip()),
        "block": max(blocks),
        "lines": len(doc.lines),
        "words": n_words,
        "urls": n_urls,
        "caps": caps,
        "sentences": len(ends),
        "excl_share": sum(1 for c in ends if c == "!") / len(ends) if ends else 0.0,
        "excl_runs": [m.span() for m in _EXCL_RUN.finditer(text)] if "!" in text or "?" in text
        else [],
        "emoji_run": max(runs, default=0),
        "emoji": sum(runs),
        "hashtags": hashtags,
    }
    doc.cache["form"] = f
    return f


def fires(code: str, doc: Doc, platform: str, scale: float = 1.0) -> bool:
    """Return True when form rule `code` fires (main threshold scaled by `scale`, for CV)."""
    f = features(doc)
    lim = _limits(platform, code, scale)
    if code == "wall_of_text":
        return f["block"] >= lim["block_chars"] or f["chars"] >= lim["total_chars"]
    if code == "too_short":
        return f["words"] < lim["min_words"]
    if code == "caps":
        return len(f["caps"]) >= lim["caps_words"] or any(len(t.text) >= 6 for t in f["caps"])
    if code == "exclamation_overuse":
        return len(f["excl_runs"]) >= lim["excl_runs"] or (
            f["sentences"] >= lim["excl_min_sentences"] and f["excl_share"] >= lim["excl_share"])
    if code == "emoji_overuse":
        return f["emoji"] >= lim["emoji_min"] and \
            f["emoji"] * 100 >= lim["emoji_density"] * max(1, f["words"])
    if code == "hashtag_overuse":
        return len(f["hashtags"]) > lim["hashtags"]
    raise KeyError(code)


def _item(code: str, message: str, suggestion: str, doc: Doc, span: tuple[int, int] | None = None,
          severity: str = "warning") -> Item:
    start, end = span if span is not None else (None, None)
    return Item(code=code, axis="readability", severity=severity,  # type: ignore[arg-type]
                message=message, start=start, end=end,
                fragment=doc.text[start:end] if start is not None else None,
                suggestion=suggestion, gain=GAIN[code])


def wall_of_text(ctx: Context) -> Iterator[Item]:
    """Yield an item for one long block without paragraphs, or a post too long for the platform."""
    doc = ctx.doc
    if not fires("wall_of_text", doc, ctx.platform):
        return
    f = features(doc)
    lim = _limits(ctx.platform)
    if f["block"] >= lim["block_chars"]:
        s, e = max(doc.lines, key=lambda se: se[1] - se[0])
        yield _item("wall_of_text", f"Сплошной блок текста ({e - s} знаков без абзацев): его "
                    "трудно читать с телефона", "Разбейте на абзацы по 2–3 предложения: что "
                    "случилось, когда и где, что делать. Пустая строка между абзацами.", doc,
                    (s, e))
    else:
        yield _item("wall_of_text", f"Пост слишком длинный для этой площадки: {f['chars']} знаков",
                    f"Сократите до {int(lim['total_chars'] * 0.6)} знаков: оставьте главное, "
                    "подробности вынесите по ссылке.", doc)


def too_short(ctx: Context) -> Iterator[Item]:
    """Yield an item for a bare caption or link that says nothing by itself."""
    if not fires("too_short", ctx.doc, ctx.platform):
        return
    yield _item("too_short", "Слишком коротко: из поста непонятно, о чём он и что жителю с этим "
                "делать", "Добавьте 1–2 предложения: что произошло или что предлагается, для "
                "кого и что сделать, например «Рассказываем, как оформить единое пособие: "
                "документы и сроки — по ссылке».", ctx.doc)


_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
_SENTENCE_END = ".!?…"


def _caps_runs(doc: Doc, words: list[Token]) -> list[list[Token]]:
    """Return runs of words in capitals: neighbours with no small-letter word between them."""
    runs: list[list[Token]] = []
    for t in words:
        if runs:
            between = doc.text[runs[-1][-1].end : t.start]
            if "\n" not in between and not any(c.isalpha() and c.islower() for c in between):
                runs[-1].append(t)
                continue
        runs.append([t])
    return runs


def _starts_sentence(doc: Doc, start: int) -> bool:
    """Return True when only quotes, emoji, markup or a sentence end stand before `start`."""
    before = doc.text[doc.text.rfind("\n", 0, start) + 1 : start]
    rest = before.rstrip(" \t\"«„“*_-—–•([")
    rest = "".join(c for c in rest if c.isalnum() or c in _SENTENCE_END or c in ",;:)»")
    return not rest or rest[-1] in _SENTENCE_END


def _calm(doc: Doc, run: list[Token], caps_words: set[int]) -> str:
    """Return the run in small letters: only its words in capitals change; names keep their
    capital («МОСКВА» -> «Москва»); a sentence start gets one."""
    s, e = run[0].start, run[-1].end
    out = doc.text[s:e]
    for t in reversed(run):
        if id(t) not in caps_words:
            continue
        m = t.morph
        word = t.text.lower()
        if m is not None and _PROPER & m.tags:
            word = word[:1].upper() + word[1:]
        out = out[: t.start - s] + word + out[t.end - s :]
    if _starts_sentence(doc, s):
        out = out[:1].upper() + out[1:]
    return out


def caps(ctx: Context) -> Iterator[Item]:
    """Yield an item for each run of words in CAPITALS used for emphasis."""
    doc = ctx.doc
    if not fires("caps", doc, ctx.platform):
        return
    words = features(doc)["caps"]
    ids = {id(t) for t in words}
    for run in _caps_runs(doc, words):
        s, e = run[0].start, run[-1].end
        yield _item("caps", f"Слова заглавными буквами: «{doc.text[s:e]}» — в ленте это "
                    "читается как крик", f"Напишите обычными буквами: «{_calm(doc, run, ids)}»;"
                    " главное выделите первой строкой или эмодзи.", doc, (s, e), "info")


def exclamation_overuse(ctx: Context) -> Iterator[Item]:
    """Yield an item for «!!!» or for most sentences ending with «!»."""
    doc = ctx.doc
    if not fires("exclamation_overuse", doc, ctx.platform):
        return
    runs = features(doc)["excl_runs"]
    span = runs[0] if runs else None
    yield _item("exclamation_overuse", "Слишком много восклицательных знаков: текст звучит "
                "как крик, а важное теряется", "Оставьте один «!» там, где он правда нужен, "
                "в остальных предложениях поставьте точку.", doc, span, "info")


def emoji_overuse(ctx: Context) -> Iterator[Item]:
    """Yield an item for emoji in nearly every line or in long runs."""
    doc = ctx.doc
    if not fires("emoji_overuse", doc, ctx.platform):
        return
    run = max((t for t in doc.tokens if t.kind == "emoji"),
              key=lambda t: len(_EMOJI_MODS.sub("", t.text)), default=None)
    span = (run.start, run.end) if run is not None else None
    yield _item("emoji_overuse", "Слишком много эмодзи: они отвлекают от смысла",
                "Оставьте 1–3 эмодзи как метки пунктов (📅 дата, 📍 место, ☎️ телефон), "
                "уберите повторы подряд.", doc, span, "info")


def hashtag_overuse(ctx: Context) -> Iterator[Item]:
    """Yield an item for a tail of more than about five hashtags."""
    doc = ctx.doc
    if not fires("hashtag_overuse", doc, ctx.platform):
        return
    tags = features(doc)["hashtags"]
    yield _item("hashtag_overuse", f"Хештегов слишком много ({len(tags)}): хвост из тегов "
                "выглядит как спам", "Оставьте 2–3 хештега: название учреждения и рубрику, "
                f"например «{' '.join(t.text for t in tags[:2])}».", doc,
                (tags[0].start, tags[-1].end), "info")


FORM_RULES = [wall_of_text, too_short, caps, exclamation_overuse, emoji_overuse, hashtag_overuse]
