"""Officialese (канцелярит) finder: lexicon phrases matched on lemmas, plus noun-chain structures.

The lexicon is `service/lexicons/kantselyarit.tsv` (its header documents the pattern language).
Entries are indexed by the lemmas (or exact forms) of their first token, so a post is scanned
once; each candidate entry is tried with a small backtracking matcher that knows optional
tokens, gaps of a few words, word classes (`<NOUN@gent>`) and agreement (`<NOUN@agr>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from service.nlp.document import Doc, Token
from service.officialese.lexicon import (
    Entry,
    FormInfo,
    Lexicon,
    Spec,
    load_lexicon,
    parses,
    render,
)

SOFT_PUNCT = frozenset('«»"“”„()\'')  # may stand between two words of a phrase
SOFT_OR_COMMA = SOFT_PUNCT | {","}
_NOTHING: frozenset[str] = frozenset()  # no punctuation between two words
VERBAL_NOUN_ENDINGS = ("ние", "тие", "ация", "яция")
WEAK_ALONE = 2  # weak entries are shown only beside a strong one or when this many are found
CHAIN_MIN_NOUNS = 4  # a chain needs this many nouns (the head plus genitive dependents)
CHAIN_MIN_VERBAL = 2  # ... of which this many are verbal nouns (-ние, -ация, ...)


@dataclass(slots=True)
class Hit:
    """One officialese phrase found in the text."""

    start: int
    end: int
    fragment: str
    suggestion: str
    pattern: str
    kind: str = "phrase"  # phrase | structure


@dataclass(slots=True)
class _Seq:
    """The words and numbers of a doc, with what stands between neighbours."""

    toks: list[Token]
    lowers: list[str]
    links: list[frozenset[str] | None]  # punctuation between i and i+1; None = a hard break


_SOFT: dict[str, bool] = {}  # punctuation token -> it holds only soft marks and commas
_MARKS: dict[str, frozenset[str]] = {}  # soft punctuation between two words -> its marks


def _sequence(doc: Doc) -> _Seq:
    """Return the word/number sequence of `doc` with the links between neighbours."""
    toks: list[Token] = []
    lowers: list[str] = []
    links: list[frozenset[str] | None] = []  # links[k]: before word k (then shifted by one)
    add_tok, add_lower, add_link = toks.append, lowers.append, links.append
    soft, marks = _SOFT, _MARKS
    between = ""  # the soft punctuation since the last word
    hard = False
    sent = None
    for t in doc.tokens:
        kind = t.kind
        if kind == "word":
            lower = t.lower
        elif kind == "num":
            lower = "#"
        elif kind == "punct":
            text = t.text
            ok = soft.get(text)
            if ok is None:
                if len(soft) > 4096:
                    soft.clear()
                ok = soft[text] = all(c in SOFT_OR_COMMA for c in text)
            if ok:
                between += text
            else:
                hard = True
            continue
        else:
            hard = True
            continue
        if hard or t.sent != sent:
            add_link(None)
            hard = False
        elif between:
            link = marks.get(between)
            if link is None:
                if len(marks) > 4096:
                    marks.clear()
                link = marks[between] = frozenset(between)
            add_link(link)
        else:
            add_link(_NOTHING)
        between = ""
        sent = t.sent
        add_tok(t)
        add_lower(lower)
    if links:
        del links[0]  # the link before the first word
    links.append(None)
    return _Seq(toks, lowers, links)


# (id of the spec, form, previous form when it matters) -> (the spec, verdict); the spec is kept
# so that an id reused by another spec after garbage collection is never trusted.
_TOKEN_OK: dict[tuple[int, str, str | None], tuple[Spec, bool]] = {}


def _token_ok(spec: Spec, lower: str, prev_lower: str | None) -> bool:
    """Return True when the word form `lower` fits the token spec (memoised per spec and form)."""
    key = (id(spec), lower, prev_lower if spec.agree else None)
    got = _TOKEN_OK.get(key)
    if got is None or got[0] is not spec:
        if len(_TOKEN_OK) > 200_000:
            _TOKEN_OK.clear()
        got = _TOKEN_OK[key] = (spec, _token_fits(spec, lower, prev_lower))
    return got[1]


def _token_fits(spec: Spec, lower: str, prev_lower: str | None) -> bool:
    """Return True when the word form `lower` fits the token spec."""
    if spec.forms and lower in spec.forms:
        return True
    if spec.not_forms and lower in spec.not_forms:
        return False
    if spec.lemmas is None and spec.pos is None:
        return False
    for lemma, pos, grams, _ in parses(lower):
        if spec.lemmas is not None and lemma not in spec.lemmas:
            continue
        if spec.pos is not None and pos not in spec.pos:
            continue
        if spec.grams and not spec.grams <= grams:
            continue
        if spec.agree and prev_lower is not None and not _agrees(grams, prev_lower):
            continue
        return True
    return False


def _agrees(grams: frozenset[str], prev_lower: str) -> bool:
    """Return True when a reading of `prev_lower` (an adjective) agrees with a noun reading."""
    for _, pos, g, _ in parses(prev_lower):
        if pos not in ("ADJF", "PRTF") or _key(g) != _key(grams):
            continue
        anim = g & _ANIMACY
        if "accs" in g and "plur" in g and anim and not anim <= grams:
            continue  # «данные граждан»: accusative plural differs for animate nouns
        return True
    return False


def _key(grams: frozenset[str]) -> tuple[str | None, str | None]:
    """Return the (case, number) of a grammeme set."""
    case = next((g for g in grams if g in _CASES), None)
    return case, ("plur" if "plur" in grams else "sing")


_ANIMACY = frozenset({"anim", "inan"})
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "gen2", "loc2", "acc2"})


def _match(entry: Entry, seq: _Seq, i: int) -> list[tuple[int, int]] | None:
    """Return (spec index or -1 for a gap word, sequence index) pairs of a match from `i`."""
    specs = entry.specs
    n_specs = len(specs)
    n = len(seq.toks)
    links, lowers = seq.links, seq.lowers
    out: list[tuple[int, int]] = []

    def linked(pos: int, comma_ok: bool) -> bool:
        if pos >= n:
            return False
        if not out:
            return True
        link = links[pos - 1]
        return link is not None and (link <= SOFT_OR_COMMA if comma_ok else link <= SOFT_PUNCT)

    def rec(k: int, pos: int, comma_ok: bool) -> bool:
        if k == n_specs:
            return True
        spec = specs[k]
        if spec.kind == "comma":
            return rec(k + 1, pos, True)
        if spec.kind == "gap":
            if rec(k + 1, pos, comma_ok):
                return True
            added = 0
            for _ in range(spec.gap):
                if not linked(pos + added, False):
                    break
                out.append((-1, pos + added))
                added += 1
                if rec(k + 1, pos + added, comma_ok):
                    return True
            del out[len(out) - added :]
            return False
        if linked(pos, comma_ok):
            prev = lowers[out[-1][1]] if out else None
            if _token_ok(spec, lowers[pos], prev):
                out.append((k, pos))
                if rec(k + 1, pos + 1, False):
                    return True
                out.pop()
        return spec.optional and rec(k + 1, pos, comma_ok)

    return out if rec(0, i, False) else None


_CLASSES = itemgetter(2)  # of a `FormInfo`
_LEADS = itemgetter(3)  # of a `FormInfo`


def _phrase_hits(
    seq: _Seq, lexicon: Lexicon, infos: list[FormInfo]
) -> list[tuple[int, int, Entry, list[tuple[int, int]]]]:
    """Return leftmost-longest non-overlapping lexicon matches as (first, last, entry, pairs).

    `infos`: the `FormInfo` of each word of `seq`; most words lead no entry and are skipped.
    """
    found: list[tuple[int, int, Entry, list[tuple[int, int]]]] = []
    n = len(seq.toks)
    lowers = seq.lowers
    links = seq.links
    nxt = 0  # the first word a new match may start at
    for i in compress(range(n), map(_LEADS, infos)):  # the words that lead an entry
        if i < nxt:
            continue
        entries, pairs, _, _, _ = infos[i]
        cands: tuple[Entry, ...] | list[Entry] = entries
        if pairs is not None and i + 1 < n and links[i] is not None and infos[i + 1][4]:
            # the entries whose fixed second token may be the next word
            more = [e for k2 in _first_keys(lowers[i + 1]) for e in pairs.get(k2, ())]
            if more:
                cands = [*entries, *more]
        best: tuple[int, Entry, list[tuple[int, int]]] | None = None
        for entry in cands:
            got = _match(entry, seq, i)
            if got is None:
                continue
            last = got[-1][1]
            if best is None or last > best[0]:
                best = (last, entry, got)
        if best is not None:
            found.append((i, best[0], best[1], best[2]))
            nxt = best[0] + 1
    return found


@lru_cache(maxsize=100_000)
def _first_keys(lower: str) -> tuple[str, ...]:
    """Return the index keys of a word form: itself (as `=form`) and its lemmas."""
    return ("=" + lower, *sorted({p[0] for p in parses(lower)}))


def _infos(lexicon: Lexicon, lowers: list[str]) -> list[FormInfo]:
    """Return the `FormInfo` of each word form (memoised per lexicon and form)."""
    get = lexicon.by_word.get
    out = list(map(get, lowers))
    if None in out:
        for k, info in enumerate(out):
            if info is None:
                out[k] = get(lowers[k]) or _form_info(lexicon, lowers[k])
    return out  # type: ignore[return-value]


_NO_ENTRIES: tuple[Entry, ...] = ()
# the flags of a word form in `_form_info`: its noun classes and whether it may be a second word
_NOUN, _GENT_NOUN, _GENT_ADJ, _VERBAL_NOUN, _SECOND = 1, 2, 4, 8, 16
# the information of a form that leads nothing, by its flags (one object each)
_IDLE: list[FormInfo] = [
    (_NO_ENTRIES, None,
     (bool(f & _NOUN), bool(f & _GENT_NOUN), bool(f & _GENT_ADJ), bool(f & _VERBAL_NOUN)),
     False, bool(f & _SECOND))
    for f in range(32)
]


def _form_info(lexicon: Lexicon, lower: str) -> FormInfo:
    """Return what the finder needs of a word form (see `FormInfo`) and remember it."""
    lead_keys, second_keys = lexicon.lead_keys, lexicon.second_keys
    form = "=" + lower
    leads = form in lead_keys
    flags = _SECOND if form in second_keys else 0
    for lemma, pos, grams, _ in parses(lower):
        if lemma in lead_keys:
            leads = True
        if lemma in second_keys:
            flags |= _SECOND
        if pos == "NOUN":
            flags |= _NOUN
            if "gent" in grams:
                flags |= _GENT_NOUN
            if lemma.endswith(VERBAL_NOUN_ENDINGS):
                flags |= _VERBAL_NOUN
        elif (pos == "ADJF" or pos == "PRTF") and "gent" in grams:
            flags |= _GENT_ADJ
    idle = _IDLE[flags]
    if not leads:
        info = idle
    else:
        keys1 = _first_keys(lower)
        entries = tuple(e for k in keys1 for e in lexicon.index.get(k, ()))
        pairs: dict[str, list[Entry]] | None = None
        for k1 in keys1:
            seconds = lexicon.pairs_of.get(k1)
            if seconds is not None:
                if pairs is None:
                    pairs = {}
                for k2, found in seconds.items():
                    pairs.setdefault(k2, []).extend(found)
        info = (entries, pairs, idle[2], True, idle[4])
    if len(lexicon.by_word) > 200_000:
        lexicon.by_word.clear()
    lexicon.by_word[lower] = info
    return info


_VERBAL = itemgetter(3)  # of the classes of a form


def _chains(seq: _Seq, taken: list[bool], infos: list[FormInfo]) -> list[tuple[int, int]]:
    """Return (first, last) index spans of noun + genitive chains with verbal nouns."""
    out: list[tuple[int, int]] = []
    n = len(seq.toks)
    cls = list(map(_CLASSES, infos))  # a number ("#") is no noun
    if sum(map(_VERBAL, cls)) < CHAIN_MIN_VERBAL:
        return out  # a chain needs this many verbal nouns: most posts have fewer
    i = 0
    while i < n:
        if taken[i] or not cls[i][0]:
            i += 1
            continue
        j, nouns, verbal = i, 1, int(cls[i][3])
        last = i
        while j + 1 < n and not taken[j + 1] and seq.links[j] is not None and not seq.links[j]:
            k = j + 1
            while k < n and cls[k][2] and not cls[k][1] and k - j < 3 and not taken[k]:
                if seq.links[k] is None or seq.links[k]:
                    break
                k += 1
            if k >= n or taken[k] or not cls[k][1]:
                break
            nouns += 1
            verbal += cls[k][3]
            last = j = k
        if nouns >= CHAIN_MIN_NOUNS and verbal >= CHAIN_MIN_VERBAL:
            out.append((i, last))
        i = last + 1
    return out


CHAIN_ADVICE = (
    "Скажите глаголом, кто что делает: вместо «в целях обеспечения реализации программы» — "
    "«чтобы выполнить программу»."
)


def find_kantselyarit(doc: Doc, lexicon: Lexicon | None = None) -> list[Hit]:
    """Return the officialese phrases and noun chains of `doc`, in text order, non-overlapping."""
    seq = _sequence(doc)
    if not seq.toks:
        return []
    hits: list[Hit] = []
    lexicon = lexicon or load_lexicon()
    infos = _infos(lexicon, seq.lowers)
    phrases = [p for p in _phrase_hits(seq, lexicon, infos) if p[2].kind != "skip"]
    taken = [False] * len(seq.toks)
    for first, last, _, _ in phrases:
        if last > first:  # one-word hits («реализации») may be absorbed by a chain
            taken[first : last + 1] = [True] * (last - first + 1)
    chains = _chains(seq, taken, infos)
    in_chain = {k for first, last in chains for k in range(first, last + 1)}
    phrases = [p for p in phrases if p[0] not in in_chain]
    n_strong = sum(1 for p in phrases if not p[2].weak)
    weak_ok = n_strong > 0 or len(phrases) + len(chains) >= WEAK_ALONE
    for first, last, entry, pairs in phrases:
        if entry.weak and not weak_ok:
            continue
        s, e = seq.toks[first].start, seq.toks[last].end
        frag = doc.text[s:e]
        sugg = render(entry, [(k, seq.toks[x]) for k, x in pairs], frag)
        hits.append(Hit(s, e, frag, sugg, entry.source, entry.kind))
    for first, last in chains:
        s, e = seq.toks[first].start, seq.toks[last].end
        hits.append(Hit(s, e, doc.text[s:e], CHAIN_ADVICE, "noun-chain", "structure"))
    hits.sort(key=lambda h: h.start)
    return hits
