"""The officialese lexicon: parsing of `lexicons/kantselyarit.tsv` and rendering of rewrites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.lexicons import lexicon_path
from service.nlp.document import Token
from service.nlp.morph import Reading, get_morph

LEXICON_FILE = "kantselyarit.tsv"
VERB_GRAMS = ("tense", "number", "person", "gender", "mood", "involvement")
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


# What the finder keeps of a word form: (entries its keys lead, second key -> the entries of a
# fixed pair it leads (None: none), its (noun, genitive noun, genitive adjective, verbal noun)
# classes, whether it leads anything at all, whether it may be the second word of a fixed pair)
FormInfo = tuple[
    tuple[Entry, ...], dict[str, list[Entry]] | None, tuple[bool, bool, bool, bool], bool, bool]


@dataclass(slots=True)
class Lexicon:
    """All entries, indexed by the keys of their first token (and of the second when fixed)."""

    entries: list[Entry]
    index: dict[str, list[Entry]]
    index2: dict[tuple[str, str], list[Entry]]
    pair_firsts: frozenset[str] = frozenset()  # first keys of `index2` (set by __post_init__)
    # `index2` by its first key: first key -> second key -> entries (set by __post_init__)
    pairs_of: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)
    # the keys that lead an entry or a fixed pair (set by __post_init__)
    lead_keys: frozenset[str] = frozenset()
    second_keys: frozenset[str] = frozenset()  # second keys of `index2` (set by __post_init__)
    # word form -> what the finder needs of it: a look-up cache
    by_word: dict[str, FormInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pair_firsts = frozenset(k for k, _ in self.index2)
        self.pairs_of = {}
        for (k1, k2), found in self.index2.items():
            self.pairs_of.setdefault(k1, {})[k2] = found
        self.lead_keys = frozenset(self.index) | self.pair_firsts
        self.second_keys = frozenset(k for _, k in self.index2)


_NUMBER_READINGS = (Reading("#", "NUMB", frozenset(), 1.0),)


def parses(lower: str) -> tuple[Reading, ...]:
    """Return every (lemma, POS, grammemes, score) reading of a lower-cased word form.

    The morphology caches them per form; "#" stands for a number.
    """
    if lower == "#":
        return _NUMBER_READINGS
    return get_morph().readings(lower)


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
def _inflect(word: str, grams: frozenset[str], reading: frozenset[str] = frozenset()) -> str:
    """Return `word` inflected into `grams` (the word itself when pymorphy cannot).

    `reading`: grammemes of the reading the word was matched with («плановым» as @ablt, not
    as a dative plural). Capitals are kept; an acronym («МФЦ») is left as it is.
    """
    if len(word) > 1 and word.isupper():
        return word
    parses = [p for p in get_morph().analyzer.parse(word.lower())
              if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
    parses.sort(key=lambda p: not reading <= {str(g) for g in p.tag.grammemes})
    for p in parses:
        q = p.inflect(set(grams))
        if q is not None:
            return _recase(word, q.word)
    return word


@lru_cache(maxsize=20_000)
def _noun_grams(word: str, reading: frozenset[str]) -> frozenset[str]:
    """Return gender, number and animacy of a noun in the reading it was matched with."""
    parses = [p for p in get_morph().analyzer.parse(word.lower()) if p.tag.POS == "NOUN"]
    parses.sort(key=lambda p: not reading <= {str(g) for g in p.tag.grammemes})
    if not parses:
        return frozenset()
    tag = parses[0].tag
    return frozenset(str(g) for g in (tag.gender, tag.number, tag.animacy) if g)


def _recase(original: str, new: str) -> str:
    """Return `new` with the capitals of `original` where the two spell the same letters."""
    out = list(new)
    for i, (a, b) in enumerate(zip(original, new, strict=False)):
        if a.lower() != b.lower():
            break
        out[i] = a
    return "".join(out)


_NP_CASES = {"gen2": "gent", "loc2": "loct", "acc2": "accs", "gen1": "gent", "loc1": "loct"}


def _head_case(head: Token) -> frozenset[str]:
    """Return the cases the form of the fragment's head noun may stand for: {loct} for
    «мероприятиях», {gent} for «хозяйства» (singular), {gent, datv, loct} for «оптимизации»;
    nothing for a nominative («реализация»), which needs no change."""
    m = head.morph
    if m is None or m.pos not in ("NOUN", "ADJF", "PRTF"):
        return frozenset()
    number = "plur" if "plur" in m.tags else "sing"
    cases = {_NP_CASES.get(g, g) for r in get_morph().readings(head.lower) if r.pos == m.pos
             and number in r.grams for g in r.grams if _NP_CASES.get(g, g) in _CASE_SET}
    if "nomn" in cases:
        return frozenset()
    return frozenset(cases)


_CASE_SET = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})


def _agree_np(option: str, head: Token | None) -> str:
    """Return a plain noun-phrase replacement («коммунальные службы») in the case of the
    fragment's head noun: «в сфере жилищно-коммунального хозяйства» -> «коммунальных служб».
    Anything but a plain noun phrase, or a head whose case its form does not tell, leaves
    the option as it is (in the nominative: the reader puts it in the right case)."""
    case = _head_case(head) if head is not None else frozenset()
    if not case:
        return option
    return _np_in_cases(option, case)


@lru_cache(maxsize=20_000)
def _np_in_cases(option: str, case: frozenset[str]) -> str:
    """Return `_agree_np` of an option for a head noun whose form may stand for `case`."""
    words = option.split()
    morph = get_morph().analyzer
    tags = []
    for w in words:
        p = morph.parse(w.lower())[0]
        if p.tag.POS not in ("NOUN", "ADJF", "PRTF") or not w.replace("-", "").isalpha():
            return option
        tags.append(p.tag)
    if not any(t.POS == "NOUN" for t in tags):
        return option
    plural = {"plur"} if any(t.POS in ("ADJF", "PRTF") and t.number == "plur" for t in tags) \
        else set()  # «коммунальные службы»: «службы» is plural here, not a genitive
    forms = {" ".join(_inflect(w, frozenset({c} | plural)) for w in words) for c in case}
    # the head's form may stand for several cases («абонента»: genitive or accusative); the
    # replacement is safe only when it reads the same in all of them («жителей»)
    return forms.pop() if len(forms) == 1 else option


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
                return form  # "" when the form does not exist: the option is dropped
    return target.partition("|")[0]


@lru_cache(maxsize=20_000)
def _verb_form(target: str, lower: str) -> str | None:
    """Return `target` inflected like the verb form `lower`; None when `lower` is no verb."""
    morph = get_morph().analyzer
    impf, _, perf = target.partition("|")
    p = next((p for p in morph.parse(lower) if p.tag.POS in ("VERB", "INFN", "PRTS", "PRTF",
                                                            "GRND")), None)
    if p is None:
        return None
    target = perf if perf and "perf" in p.tag else impf
    if p.tag.POS == "INFN":
        return target
    if p.tag.POS in ("PRTF", "GRND"):  # «прибывшие» -> «приехавшие», «проживая» -> «живя»
        base = next((q for q in morph.parse(target) if q.tag.POS == "INFN"), None)
        grams = {str(g) for g in (p.tag.POS, p.tag.tense, p.tag.voice, p.tag.number, p.tag.case,
                                  p.tag.gender, p.tag.animacy) if g}
        q = base.inflect(grams) if base is not None else None
        return q.word if q is not None else ""
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


NO_OPTION = "Скажите проще: перестройте фразу без этого оборота — кто что делает и для кого."


def render(entry: Entry, matched: list[tuple[int, Token | None]], fragment: str) -> str:
    """Return the user-facing suggestion of an entry for one match.

    An option starting with «?» is offered only when the words its placeholders stand for
    were found («на базе школы» -> «в школе»; a bare «на базе» gets no «в»); one starting
    with «^» only when no «?» option is offered. A plain noun-phrase replacement is put in
    the case of the replaced noun («в массовых мероприятиях» -> «в праздниках»).
    """
    text = entry.rewrite
    by_spec = {k: t for k, t in matched if k >= 0 and t is not None}
    gap = " ".join(t.text for k, t in matched if k < 0 and t is not None)
    toks = [t for _, t in matched]
    present = [t for t in toks if t is not None]
    base = present[0].start if present else 0
    # in the current option: numeric placeholders seen, filled; verbs missing; the last one filled
    found = [0, 0, 0, 0]

    def opening(tok: Token) -> str:
        """Return the quotes or brackets the fragment has right before a captured word."""
        k = next((i for i, t in enumerate(present) if t is tok), 0)
        if k == 0:
            return ""
        between = fragment[present[k - 1].end - base : tok.start - base]
        return "".join(c for c in between if c in "«„“\"(")

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "*":
            return gap
        if key.startswith("@"):
            verb = _verb_like(key[1:], toks)
            found[2] += not verb
            return verb
        num, op, arg = re.split(r"([:>])", key, maxsplit=1) if key[-1:].isalpha() else (key, "", "")
        n = int(num) - 1
        found[0] += 1
        spec_index = entry.word_specs[n] if n < len(entry.word_specs) else -1
        tok = by_spec.get(spec_index)
        found[3] = tok is not None
        if tok is None:
            return ""
        found[1] += 1
        if op == ">":
            return _like(tok.text, arg)
        if arg == "we":
            return _we(tok.text)
        if arg == "did":
            return _did(tok.text)
        if not arg:
            return opening(tok) + tok.text
        grams = frozenset(arg.split(","))
        reading = entry.specs[spec_index].grams
        k = next((i for i, t in enumerate(present) if t is tok), -1)
        noun = present[k + 1] if 0 <= k < len(present) - 1 else None
        if tok.pos in ("ADJF", "PRTF") and noun is not None and noun.pos == "NOUN":
            # an adjective takes the gender, number and animacy of its noun: «национального
            # проекта» -> «национальный проект», «младших школьников» -> «младших школьников»
            agree = _noun_grams(noun.text, reading)
            animacy = "accs" in grams and ("plur" in agree or "masc" in agree)
            grams |= agree & ({"plur", "anim", "inan"} if animacy else {"plur"})
            reading = reading | (agree & {"masc", "femn", "neut", "plur", "sing"})
        return opening(tok) + _inflect(tok.text, grams, reading)

    if text.startswith("!"):
        return _PLACEHOLDER.sub(sub, text[1:]).strip()
    # the head of the replaced phrase: its first noun («мерах поддержки»), else its last word
    head = next((t for k, t in matched if k >= 0 and t is not None and t.pos == "NOUN"),
                next((t for k, t in reversed(matched) if k >= 0 and t is not None
                      and t.kind == "word"), None))
    options: list[str] = []
    fallback: list[str] = []
    skipped: list[str] = []
    drop = False
    # «может осуществляться выдача»: a «мы выдаём» put after «может» breaks the sentence
    infinitive = any(t is not None and t.pos == "INFN" for _, t in matched)
    for alt in text.split(" / "):
        alt = alt.strip()
        if alt == "-":
            drop = True
            continue
        mark = alt[:1] if alt[:1] in "?^" else ""
        found[0] = found[1] = found[2] = found[3] = 0
        plain = _PLACEHOLDER.search(alt) is None
        alt = re.sub(r"\s{2,}", " ", _PLACEHOLDER.sub(sub, alt[len(mark):])).strip()
        if (mark == "?" and found[0] and not found[3]) or found[2]:
            continue  # «?в {3:loct}» without its noun would leave a bare «в»; no such verb form
        if infinitive and alt.startswith("мы ") and not alt.startswith("мы будем "):
            skipped.append(alt)
            continue
        if plain:
            alt = _agree_np(alt, head)
        if fragment[:1].isupper() and alt:
            alt = alt[0].upper() + alt[1:]
        if alt:
            (fallback if mark == "^" else options).append(f"«{alt}»")
    if not options and fallback[:1] and fallback[0].startswith("«!"):
        return fallback[0][2:-1]  # «^!advice»: what to say when no replacement fits
    options = options or fallback
    if not options and skipped:
        return f"Скажите, кто и что сделает: «{skipped[0]} …»."
    if not options:
        return "Уберите эти слова: без них смысл не меняется." if drop else NO_OPTION
    tail = ", или просто уберите" if drop else ""
    return "Проще: " + " или ".join(options) + tail + "."
