"""The officialese lexicon: parsing of `lexicons/kantselyarit.tsv` and rendering of rewrites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.lexicons import lexicon_path
from service.nlp.document import Token
from service.nlp.morph import get_morph

LEXICON_FILE = "kantselyarit.tsv"
VERB_GRAMS = ("tense", "number", "person", "gender", "mood")
_PLACEHOLDER = re.compile(r"\{(\*|@[^}]+|\d+(?::[a-z,0-9]+|>[а-яё]+)?)\}")
AGREE_GRAMS = ("case", "number", "gender")


@dataclass(slots=True, frozen=True)
class Spec:
    """One token of a pattern."""

    kind: str  # word | gap | comma
    lemmas: frozenset[str] | None = None
    forms: frozenset[str] = frozenset()
    not_forms: frozenset[str] = frozenset()
    pos: frozenset[str] | None = None
    grams: frozenset[str] = frozenset()
    agree: bool = False
    optional: bool = False
    gap: int = 0


@dataclass(slots=True)
class Entry:
    """One lexicon entry: a pattern, its rewrite and flags."""

    source: str
    specs: tuple[Spec, ...]
    rewrite: str
    weak: bool = False
    kind: str = "phrase"  # phrase | structure | skip (a known innocent phrase: blocks others)
    origin: str = "gen"
    word_specs: list[int] = field(default_factory=list)  # spec index of pattern token N (1-based)


@dataclass(slots=True)
class Lexicon:
    """All entries, indexed by the keys of their first token (and of the second when fixed)."""

    entries: list[Entry]
    index: dict[str, list[Entry]]
    index2: dict[tuple[str, str], list[Entry]]
    pair_firsts: frozenset[str] = frozenset()  # first keys of `index2` (set by __post_init__)
    # word form -> (entries its keys lead, its keys that may lead a fixed pair): a look-up cache
    by_word: dict[str, tuple[tuple[Entry, ...], tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pair_firsts = frozenset(k for k, _ in self.index2)


@lru_cache(maxsize=200_000)
def parses(lower: str) -> tuple[tuple[str, str | None, frozenset[str]], ...]:
    """Return every (lemma, POS, grammemes) reading of a lower-cased word form."""
    if lower == "#":
        return (("#", "NUMB", frozenset()),)
    return tuple((r.lemma, r.pos, r.grams) for r in get_morph().readings(lower))


def parse_spec(raw: str) -> Spec:
    """Return the spec of one pattern token (syntax in the header of the TSV)."""
    if raw == ",":
        return Spec("comma")
    if raw.startswith("*"):
        return Spec("gap", gap=int(raw[1:] or 1))
    optional = raw.endswith("?")
    raw = raw.rstrip("?").replace("ё", "е")
    if raw.startswith("<"):
        body = raw.strip("<>")
        pos, _, grams = body.partition("@")
        gset = frozenset(g for g in grams.split(",") if g)
        return Spec("word", pos=frozenset(pos.split("|")), grams=gset - {"agr"},
                    agree="agr" in gset, optional=optional)
    head, *excl = raw.split("~")
    head, _, grams = head.partition("@")
    alts = head.split("|")
    forms = frozenset(a[1:] for a in alts if a.startswith("="))
    lemmas = frozenset(a for a in alts if a and not a.startswith("="))
    return Spec("word", lemmas=lemmas or None, forms=forms, not_forms=frozenset(excl),
                grams=frozenset(g for g in grams.split(",") if g), optional=optional)


def parse_line(line: str) -> Entry | None:
    """Return the entry of one TSV line, None for comments and blank lines."""
    if not line.strip() or line.startswith("#"):
        return None
    cols = line.rstrip("\n").split("\t")
    pattern, rewrite = cols[0].strip(), cols[1].strip()
    flags = set(cols[2].split(",")) if len(cols) > 2 and cols[2].strip() else set()
    origin = cols[3].strip() if len(cols) > 3 and cols[3].strip() else "gen"
    specs = tuple(parse_spec(t) for t in pattern.split())
    word_specs = [i for i, s in enumerate(specs) if s.kind == "word"]
    if not word_specs or specs[0].kind != "word" or specs[0].optional or specs[0].pos:
        raise ValueError(f"{LEXICON_FILE}: the first token must be a word or form: {pattern!r}")
    kind = next((k for k in ("structure", "skip") if k in flags), "phrase")
    return Entry(pattern, specs, rewrite, "weak" in flags, kind, origin, word_specs)


def _keys(spec: Spec) -> list[str]:
    """Return the index keys of a literal token: its `=forms` and its lemmas."""
    return [f"={f}" for f in spec.forms] + sorted(spec.lemmas or ())


def build(entries: list[Entry]) -> Lexicon:
    """Return the lexicon with its first-token and first-two-token indexes."""
    index: dict[str, list[Entry]] = {}
    index2: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        second = e.specs[1] if len(e.specs) > 1 else None
        fixed = (second is not None and second.kind == "word" and not second.optional
                 and second.pos is None and not second.not_forms)
        for k1 in _keys(e.specs[0]):
            if fixed:
                for k2 in _keys(second):  # type: ignore[arg-type]
                    index2.setdefault((k1, k2), []).append(e)
            else:
                index.setdefault(k1, []).append(e)
    return Lexicon(entries, index, index2)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Return the shipped lexicon (read once per process)."""
    entries = []
    with open(lexicon_path(LEXICON_FILE), encoding="utf-8") as f:
        for line in f:
            entry = parse_line(line)
            if entry is not None:
                entries.append(entry)
    return build(entries)


@lru_cache(maxsize=20_000)
def _inflect(word: str, grams: frozenset[str]) -> str:
    """Return `word` inflected into `grams` (the word itself when pymorphy cannot)."""
    for p in get_morph().analyzer.parse(word.lower()):
        if p.tag.POS in ("NOUN", "ADJF", "PRTF"):
            q = p.inflect(grams)
            if q is not None:
                return q.word
    return word


@lru_cache(maxsize=20_000)
def _like(model: str, target: str) -> str:
    """Return `target` (e.g. «этот») in the case, number and gender of the adjective `model`."""
    morph = get_morph().analyzer
    p = next((p for p in morph.parse(model.lower()) if p.tag.POS in ("ADJF", "PRTF")), None)
    base = next((q for q in morph.parse(target) if q.tag.POS in ("ADJF", "NPRO")), None)
    if p is None or base is None:
        return target
    grams = {getattr(p.tag, g) for g in AGREE_GRAMS} - {None}
    if "plur" in grams:
        grams.discard(p.tag.gender)
    q = base.inflect(grams)
    return q.word if q is not None else target


@lru_cache(maxsize=20_000)
def _did(word: str) -> str:
    """Return the «we did» form of a passive participle: «проведено» -> «провели»."""
    morph = get_morph().analyzer
    p = next((p for p in morph.parse(word.lower()) if p.tag.POS in ("PRTS", "PRTF")), None)
    base = None if p is None else next(
        (q for q in morph.parse(p.normal_form) if q.tag.POS == "INFN"), None)
    q = None if base is None else base.inflect({"past", "plur"})
    return q.word if q is not None else word


@lru_cache(maxsize=20_000)
def _we(word: str) -> str:
    """Return the active «we» form of a passive -ся verb: «проводится» -> «проводим»."""
    morph = get_morph().analyzer
    p = next((p for p in morph.parse(word.lower()) if p.tag.POS in ("VERB", "INFN")), None)
    if p is None or not p.normal_form.endswith(("ся", "сь")):
        return word
    base = next((q for q in morph.parse(p.normal_form[:-2]) if q.tag.POS == "INFN"), None)
    if base is None:
        return word
    q = base.inflect({"pres", "1per", "plur"}) or base.inflect({"futr", "1per", "plur"})
    return q.word if q is not None else word


def _verb_like(target: str, toks: list[Token | None]) -> str:
    """Return the verb `target` in the tense, number and person of the first matched verb.

    `target` may be «impf|perf»: the form follows the aspect of the matched verb.
    """
    for t in toks:
        if t is not None and t.kind == "word":
            form = _verb_form(target, t.lower)
            if form is not None:
                return form
    return target.partition("|")[0]


@lru_cache(maxsize=20_000)
def _verb_form(target: str, lower: str) -> str | None:
    """Return `target` inflected like the verb form `lower`; None when `lower` is no verb."""
    morph = get_morph().analyzer
    impf, _, perf = target.partition("|")
    p = next((p for p in morph.parse(lower) if p.tag.POS in ("VERB", "INFN", "PRTS")), None)
    if p is None:
        return None
    target = perf if perf and "perf" in p.tag else impf
    if p.tag.POS == "INFN":
        return target
    # a short passive participle («признаны», «организовано») becomes «we did»: past plural
    grams = ({"past", "plur"} if p.tag.POS == "PRTS"
             else {getattr(p.tag, g) for g in VERB_GRAMS} - {None})
    base = next((q for q in morph.parse(target) if q.tag.POS == "INFN"), None)
    if base is None:
        return target
    if "futr" in grams and "impf" in base.tag:
        aux = morph.parse("быть")[0].inflect(grams)
        return f"{aux.word} {target}" if aux else target
    q = base.inflect(grams - {"gender"} if "past" not in grams else grams)
    if q is None and "pres" in grams:
        q = base.inflect((grams - {"pres"}) | {"futr"})
    return q.word if q is not None else target


def render(entry: Entry, matched: list[tuple[int, Token | None]], fragment: str) -> str:
    """Return the user-facing suggestion of an entry for one match."""
    text = entry.rewrite
    by_spec = {k: t for k, t in matched if k >= 0 and t is not None}
    gap = " ".join(t.text for k, t in matched if k < 0 and t is not None)
    toks = [t for _, t in matched]

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "*":
            return gap
        if key.startswith("@"):
            return _verb_like(key[1:], toks)
        num, op, arg = re.split(r"([:>])", key, maxsplit=1) if key[-1:].isalpha() else (key, "", "")
        n = int(num) - 1
        tok = by_spec.get(entry.word_specs[n]) if n < len(entry.word_specs) else None
        if tok is None:
            return ""
        if op == ">":
            return _like(tok.text, arg)
        if arg == "we":
            return _we(tok.text)
        if arg == "did":
            return _did(tok.text)
        return _inflect(tok.text, frozenset(arg.split(","))) if arg else tok.text

    if text.startswith("!"):
        return _PLACEHOLDER.sub(sub, text[1:]).strip()
    options = []
    drop = False
    for alt in text.split(" / "):
        if alt.strip() == "-":
            drop = True
            continue
        alt = re.sub(r"\s{2,}", " ", _PLACEHOLDER.sub(sub, alt)).strip()
        if fragment[:1].isupper() and alt:
            alt = alt[0].upper() + alt[1:]
        options.append(f"«{alt}»" if alt else "")
    options = [o for o in options if o]
    if not options:
        return "Уберите эти слова: без них смысл не меняется."
    tail = ", или просто уберите" if drop else ""
    return "Проще: " + " или ".join(options) + tail + "."
