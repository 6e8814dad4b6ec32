"""Features of a post for the text models, shared by training and the service.

A post is first reduced to a `PostRecord` (lemmas and n-grams from the service's own `Doc`,
page type, attachments, signals, facts), then `PostFeatures` turns records into a sparse matrix.
Each block of features has a `row(record)` method used both by `transform` (training, batches)
and by the one-post fast path of the service, so the two cannot drift.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from service.errors import ModelError
from service.models.signals import RUBRIC_NAMES, SIGNAL_NAMES, find_signals, find_topics
from service.nlp.document import Doc
from service.nlp.morph import get_morph
from service.settings import models_path

if TYPE_CHECKING:
    import scipy.sparse as sp

    from service.models.estimator import PostFeatures as PostFeatures  # re-exported

PAGE_TYPES = (
    "school", "kindergarten", "college", "hospital", "clinic", "municipality",
    "regional_government", "mfc", "library", "culture", "sport", "social_protection",
    "emergency", "utility", "transport", "youth",
)
PLATFORMS = ("vk", "ok", "telegram", "max")
ATTACHMENTS = ("photo", "video", "link", "poll", "doc", "audio", "article")
FACT_KINDS = ("date", "time", "address", "place", "phone", "link", "email", "qr")
POST_KINDS = ("announcement", "event", "outage", "service", "deadline", "request")
FACT_FLAGS = ("has_call_to_action", "vague_cta", "in_person", "deferred_when", "deferred_where",
              "wants_reply")
_SPECIAL = {"num": "<num>", "url": "<url>", "email": "<email>", "hashtag": "<hashtag>",
            "mention": "<mention>", "emoji": "<emoji>"}
SURFACE = ("words", "sentences", "paragraphs", "num", "url", "email", "hashtag", "mention",
           "emoji", "question", "exclamation", "short")
# grammar: shares of verb forms and names among words (tense tells a report from an announcement)
GRAMMAR = ("past", "pres", "futr", "impr", "1per", "2per", "plur_verb", "name", "surn", "patr",
           "pssv", "numr", "geox", "orgn")
LEAD_WORDS = 8  # the lead: whole sentences from the start until it has at least this many words
LEAD_MAX = 30
# word vectors of the rubric model: navec news v1 (MIT), built by training/build_word_vectors.py
VECTORS_FILE = "navec_news_v1_100d.npz"
_HASHTAG_WORD = re.compile(r"[А-ЯЁA-Z]?[а-яёa-z]+|[А-ЯЁA-Z]+(?![а-яёa-z])")


Row = list[tuple[int, float]]


@dataclass(slots=True)
class PostRecord:
    """What the text models see of one post."""

    terms: list[str]  # lemma unigrams, bigrams ("провести совещание") and <num>-like tokens
    spans: Mapping[str, tuple[int, int]]  # first span of each term in the submitted text
    page_type: str | None = None
    platform: str | None = None
    attachments: tuple[str, ...] = ()
    surface: dict[str, float] = field(default_factory=dict)
    signals: list[tuple[str, int, int]] = field(default_factory=list)  # (name, start, end)
    facts: dict[str, float] | None = None  # fact kind / post kind / cta -> count; None: unknown
    lead: list[str] = field(default_factory=list)  # lemma uni/bigrams of the first sentence(s)
    tags: list[str] = field(default_factory=list)  # lemmas of hashtag words (#ДеньЗнаний)
    topics: dict[str, float] = field(default_factory=dict)  # rubric (lead:rubric) -> topic words
    # Block rows already computed for this record (PostFeatures.row): the usefulness and the
    # rubric pipelines share blocks with the same vocabulary, so each is computed once.
    block_rows: dict[Any, Row] = field(default_factory=dict, compare=False, repr=False)


@lru_cache(maxsize=20_000)
def _grammar_keys(pos: str | None, tags: frozenset[str]) -> tuple[str, ...]:
    """Return the grammar counters a word with this POS and these grammemes adds to."""
    out: list[str] = []
    if pos in ("VERB", "INFN"):
        out.extend(g for g in ("past", "pres", "futr", "impr", "1per", "2per") if g in tags)
        if "plur" in tags:
            out.append("plur_verb")
    out.extend(key for g, key in (("Name", "name"), ("Surn", "surn"), ("Patr", "patr"),
                                  ("pssv", "pssv"), ("Geox", "geox"), ("Orgn", "orgn"))
               if g in tags)
    if pos == "NUMR":
        out.append("numr")
    return tuple(out)


class TermSpans(Mapping[str, tuple[int, int]]):
    """The first span of each term of a record in the submitted text, found when asked.

    A record keeps its terms and the span of each occurrence (references to the tokens'
    own offsets); a reason quotes only a few terms, so their first spans are looked up then
    instead of building a dict of every term of every post. `only`: the terms that have a
    span at all (e.g. the usefulness model's vocabulary, the only terms its reasons quote).
    """

    __slots__ = ("_terms", "_starts", "_ends", "_only")

    def __init__(self, terms: list[str], starts: list[int], ends: list[int],
                 only: Container[str] | None = None) -> None:
        self._terms, self._starts, self._ends, self._only = terms, starts, ends, only

    def _first(self, term: object) -> int:
        only = self._only
        if only is not None and term not in only:
            return -1
        try:
            return self._terms.index(term)  # type: ignore[arg-type]
        except ValueError:
            return -1

    def get(self, term: str, default: Any = None) -> Any:  # type: ignore[override]
        """Return the first span of `term`, or `default` when the record has none."""
        i = self._first(term)
        return default if i < 0 else (self._starts[i], self._ends[i])

    def __getitem__(self, term: str) -> tuple[int, int]:
        i = self._first(term)
        if i < 0:
            raise KeyError(term)
        return self._starts[i], self._ends[i]

    def __contains__(self, term: object) -> bool:
        return self._first(term) >= 0

    def _keys(self) -> list[str]:
        only = self._only
        return [t for t in dict.fromkeys(self._terms) if only is None or t in only]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


def make_record(doc: Doc, page_type: str | None = None, platform: str | None = None,
                attachments: Iterable[str] = (), facts: Any = None,
                span_terms: Container[str] | None = None) -> PostRecord:
    """Return the record of an analysed post (`facts`: a service.facts.Facts or None;
    `span_terms`: the only terms whose spans the record keeps, None for all)."""
    terms: list[str] = []
    starts: list[int] = []  # the span of each term of `terms` (spans keep the first)
    ends: list[int] = []
    words: list[Any] = []  # the word tokens
    lemmas: list[str] = []
    sent_ids: list[int] = []
    hashtags: list[Any] = []
    surface: dict[str, int] = {}
    grammar_keys: list[str] = []
    add, add_start, add_end = terms.append, starts.append, ends.append
    add_word, add_lemma, add_sent = words.append, lemmas.append, sent_ids.append
    keys_of = _grammar_keys
    prev = ""
    prev_start = 0
    prev_sent = -2  # -2: the previous token is no word (token sentences are -1 or more)
    for tok in doc.tokens:
        kind = tok.kind
        if kind == "word":
            morph = tok.morph
            if morph is not None:
                lemma = morph.lemma
                keys = keys_of(morph.pos, morph.tags)
                if keys:
                    grammar_keys.extend(keys)
            else:
                lemma = tok.lower
            sent, start, end = tok.sent, tok.start, tok.end
            add_word(tok)
            add_lemma(lemma)
            add_sent(sent)
            add(lemma)
            add_start(start)
            add_end(end)
            if prev_sent == sent:
                add(prev + " " + lemma)
                add_start(prev_start)
                add_end(end)
            prev, prev_start, prev_sent = lemma, start, sent
            continue
        prev_sent = -2
        special = _SPECIAL.get(kind)
        if special is not None:
            add(special)
            add_start(tok.start)
            add_end(tok.end)
            surface[kind] = surface.get(kind, 0) + 1
            if kind == "hashtag" or kind == "emoji":  # #образование, ⚽ tell the topic
                add(tok.lower.replace("ё", "е"))
                add_start(tok.start)
                add_end(tok.end)
                if kind == "hashtag":
                    hashtags.append(tok)
        else:
            text = tok.text
            if text == "?":
                surface["question"] = surface.get("question", 0) + 1
            elif text == "!":
                surface["exclamation"] = surface.get("exclamation", 0) + 1
    n_lemmas = len(lemmas)
    surface["words"] = n_lemmas
    surface["sentences"] = len(doc.sentences)
    surface["paragraphs"] = len(doc.paragraphs)
    n_words = max(1, n_lemmas)
    out_surface = {k: float(v) for k, v in surface.items()}
    out_surface["short"] = 1.0 if n_lemmas < 12 else 0.0
    if grammar_keys:
        for k, v in Counter(grammar_keys).items():
            out_surface["g:" + k] = v / n_words
    signals = [(SIGNAL_NAMES[sig], words[i].start, words[j].end)
               for sig, i, j in find_signals(lemmas, sent_ids)]
    n_lead = _lead_size(sent_ids)
    lead = _ngrams(lemmas[:n_lead], sent_ids[:n_lead])
    tags = _hashtag_lemmas(hashtags)
    topics: dict[str, float] = {}
    for rub, i, _ in find_topics(lemmas, sent_ids):
        name = RUBRIC_NAMES[rub]
        topics[name] = topics.get(name, 0.0) + 1.0
        if i < n_lead:
            name = "lead:" + name
            topics[name] = topics.get(name, 0.0) + 1.0
    if tags:
        for rub, _, _ in find_topics(tags, list(range(len(tags)))):
            name = RUBRIC_NAMES[rub]
            topics[name] = topics.get(name, 0.0) + 1.0
    return PostRecord(terms, TermSpans(terms, starts, ends, span_terms), page_type, platform,
                      tuple(attachments), out_surface, signals,
                      None if facts is None else facts_summary(facts), lead, tags, topics)


def for_page(record: PostRecord, page_type: str | None, platform: str | None,
             attachments: Iterable[str]) -> PostRecord:
    """Return the record of the same text on another page (platform, attachments).

    Only `MetaBlock` reads these fields, and its rows are cached per page (`PostFeatures.row`),
    so both records share one cache of block rows: a repost costs its page-specific part only.
    """
    return PostRecord(record.terms, record.spans, page_type, platform, tuple(attachments),
                      record.surface, record.signals, record.facts, record.lead, record.tags,
                      record.topics, record.block_rows)  # `replace`, without its overhead


def _lead_size(sent_ids: Sequence[int]) -> int:
    """Return how many first words make the lead (whole sentences, see `LEAD_WORDS`)."""
    n = min(len(sent_ids), LEAD_MAX)
    for k in range(LEAD_WORDS, n):
        if sent_ids[k] != sent_ids[k - 1]:
            return k
    return n


def _ngrams(lemmas: Sequence[str], sent_ids: Sequence[int]) -> list[str]:
    """Return the lemma unigrams and the bigrams within a sentence."""
    out = list(lemmas)
    out.extend(lemmas[k - 1] + " " + lemmas[k] for k in range(1, len(lemmas))
               if sent_ids[k - 1] == sent_ids[k])
    return out


def hashtag_lemmas(doc: Doc) -> list[str]:
    """Return the lemmas of the words of the post's hashtags (#ДеньЗнаний -> день, знание)."""
    return _hashtag_lemmas([tok for tok in doc.tokens if tok.kind == "hashtag"])


def _hashtag_lemmas(hashtags: Sequence[Any]) -> list[str]:
    """Return the lemmas of the words of these hashtag tokens."""
    out: list[str] = []
    if not hashtags:
        return out
    analyse = get_morph().analyse
    for tok in hashtags:
        for w in _HASHTAG_WORD.findall(tok.text):
            if len(w) > 1:
                out.append(analyse(w.lower()).lemma)
    return out


def facts_summary(facts: Any) -> dict[str, float]:
    """Return fact kind counts, post kinds and the call to action of a `Facts` object."""
    out: dict[str, float] = {}
    for f in getattr(facts, "facts", None) or []:
        out[f.kind] = out.get(f.kind, 0.0) + 1.0
    # sorted: a set's order changes between processes, and the model's sums must not
    for kind in sorted(getattr(facts, "post_kinds", None) or ()):
        out["kind:" + str(kind)] = 1.0
    for flag in FACT_FLAGS:
        if getattr(facts, flag, False):
            out[flag] = 1.0
    return out


def with_fact(record: PostRecord, kind: str) -> PostRecord:
    """Return a copy of the record with one more fact of `kind` (for «what if» gains)."""
    facts = dict(record.facts or {})
    facts[kind] = facts.get(kind, 0.0) + 1.0
    return replace(record, facts=facts, block_rows={})



class TermBlock:
    """TF-IDF of lemma n-grams with a vocabulary learnt from the training records."""

    name = "terms"
    field = "terms"  # the record's list of terms this block counts

    def __init__(self, min_df: int = 2, max_terms: int = 40_000) -> None:
        self.min_df, self.max_terms = min_df, max_terms
        self.vocabulary_: dict[str, int] = {}
        self.idf_: list[float] = []

    def fit(self, records: Sequence[PostRecord]) -> TermBlock:
        """Learn the vocabulary and idf; return self."""
        df = Counter[str]()
        for r in records:
            df.update(set(getattr(r, self.field)))
        kept = [t for t, c in df.items() if c >= self.min_df]
        kept.sort(key=lambda t: (-df[t], t))
        kept = sorted(kept[: self.max_terms])
        n = len(records)
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        self.idf_ = [math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept]
        return self

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record: sublinear tf-idf, L2-normalised."""
        vocab, idf, log = self.vocabulary_, self.idf_, math.log
        # counted in C, in order of first occurrence (the column order of the row)
        counts = Counter(getattr(record, self.field))
        vals = [(j, (1.0 + log(c)) * idf[j])
                for j, c in zip(map(vocab.get, counts), counts.values(), strict=True)
                if j is not None]
        norm = math.sqrt(sum([v * v for _, v in vals])) or 1.0
        return [(j, v / norm) for j, v in vals]

    def arrays(self, records: Sequence[PostRecord]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (indptr, indices, data) of the rows of many records: the same values in the
        same order as `row`, computed array by array (each product and quotient is the same
        IEEE operation; each norm is still Python's own sum of the squares, in row order)."""
        n = len(records)
        field = self.field
        counts = [Counter(getattr(r, field)) for r in records]
        total = sum(map(len, counts))
        cols = np.fromiter(map(self.vocabulary_.get, chain.from_iterable(counts), repeat(-1)),
                           dtype=np.int64, count=total)
        tf = np.fromiter(chain.from_iterable(c.values() for c in counts), dtype=np.int64,
                         count=total)
        owner = np.repeat(np.arange(n), [len(c) for c in counts])
        keep = cols >= 0
        cols, tf, owner = cols[keep], tf[keep], owner[keep]
        vals = _sublinear_tf(int(tf.max()) if len(tf) else 0)[tf] * self._idf_array()[cols]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=indptr[1:])
        squares = (vals * vals).tolist()
        bounds = indptr.tolist()
        norms = np.sqrt(np.array([sum(squares[a:b]) for a, b in zip(bounds, bounds[1:],
                                                                      strict=False)],
                                 dtype=np.float64))
        norms[norms == 0.0] = 1.0
        return indptr, cols.astype(np.int32), vals / norms[owner]

    def _idf_array(self) -> np.ndarray:
        got = self.__dict__.get("_idf_cache")
        if got is None:
            got = self.__dict__["_idf_cache"] = np.array(self.idf_, dtype=np.float64)
        return got  # type: ignore[no-any-return]

    def names(self) -> list[str]:
        """Return the feature names in column order."""
        return sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)

    def cache_key(self) -> tuple[Any, ...]:
        """Return a key equal for blocks that give equal rows (same field, vocabulary, idf)."""
        key = self.__dict__.get("_key")
        if key is None:
            key = (self.field, len(self.vocabulary_), hash(tuple(self.idf_)),
                   hash(tuple(sorted(self.vocabulary_.items()))))
            self.__dict__["_key"] = key
        return key  # type: ignore[no-any-return]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_key", None)
        state.pop("_idf_cache", None)
        return state


_TF = [0.0]  # 1 + log(count) of counts 1, 2, … (index 0 unused): the values `row` computes


def _sublinear_tf(top: int) -> np.ndarray:
    """Return an array of 1 + log(c) for c = 0..top (0 at c = 0), as `math.log` gives it."""
    global _TF_ARRAY
    if top >= len(_TF):
        _TF.extend(1.0 + math.log(c) for c in range(len(_TF), max(top + 1, 2 * len(_TF), 64)))
        _TF_ARRAY = np.array(_TF, dtype=np.float64)
    return _TF_ARRAY


_TF_ARRAY = np.array(_TF, dtype=np.float64)


class LeadBlock(TermBlock):
    """TF-IDF of the lemma n-grams of the lead: the topic is usually stated first."""

    name = "lead"
    field = "lead"

    def names(self) -> list[str]:
        """Return the feature names in column order."""
        return ["lead:" + t for t in super().names()]


class TagBlock(TermBlock):
    """TF-IDF of the lemmas of hashtag words (#ДеньЗнаний -> день, знание)."""

    name = "tags"
    field = "tags"

    def names(self) -> list[str]:
        """Return the feature names in column order."""
        return ["tag:" + t for t in super().names()]


class FixedBlock:
    """A block with fixed feature names, computed by `values(record)`; learns nothing."""

    name = "fixed"
    features: tuple[str, ...] = ()

    def fit(self, records: Sequence[PostRecord]) -> FixedBlock:
        """Return self (nothing to learn)."""
        return self

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return the non-zero features of a record by name."""
        raise NotImplementedError

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record."""
        get = self._index().get
        return [(j, v) for k, v in self.values(record).items() if (j := get(k)) is not None and v]

    def cache_key(self) -> tuple[Any, ...]:
        """Return a key equal for blocks that give equal rows (a fixed block: its class)."""
        return (type(self).__name__,)

    def _index(self) -> dict[str, int]:
        idx = getattr(self, "_idx", None)
        if idx is None:
            idx = {k: i for i, k in enumerate(self.features)}
            self._idx = idx
        return idx

    def names(self) -> list[str]:
        """Return the feature names in column order."""
        return [f"{self.name}:{k}" for k in self.features]


class MetaBlock(FixedBlock):
    """Page type, platform and attachment types, one-hot."""

    name = "meta"
    features = tuple(f"page:{p}" for p in PAGE_TYPES) + tuple(
        f"platform:{p}" for p in PLATFORMS) + tuple(f"att:{a}" for a in ATTACHMENTS)

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return the one-hot features of the record's page and attachments."""
        out = {f"page:{record.page_type}": 1.0, f"platform:{record.platform}": 1.0}
        for a in record.attachments:
            out[f"att:{a}"] = 1.0
        return out


class SurfaceBlock(FixedBlock):
    """Length and token-kind counts, log-scaled."""

    name = "surface"
    features = SURFACE

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return log1p of the record's surface counts (scaled to about 0..1)."""
        return {k: math.log1p(v) / 5.0 for k, v in record.surface.items()
                if not k.startswith("g:")}

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record (the values of `values`)."""
        get, log1p = self._index().get, math.log1p
        return [(j, x) for k, v in record.surface.items()
                if (j := get(k)) is not None and not k.startswith("g:")
                and (x := log1p(v) / 5.0)]


class GrammarBlock(FixedBlock):
    """Shares of verb tenses, moods, persons and names among the words."""

    name = "grammar"
    features = GRAMMAR

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return the share of each grammatical feature (scaled to about 0..1)."""
        return {k[2:]: min(1.0, 5.0 * v) for k, v in record.surface.items()
                if k.startswith("g:")}

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record (the values of `values`)."""
        get = self._index().get
        return [(j, x) for k, v in record.surface.items()
                if k.startswith("g:") and (j := get(k[2:])) is not None
                and (x := min(1.0, 5.0 * v))]


class SignalBlock(FixedBlock):
    """Counts of protocol-news, greeting, action, warning … signals."""

    name = "signals"
    features = SIGNAL_NAMES

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return log1p of each signal's count."""
        c = Counter(s[0] for s in record.signals)
        return {k: math.log1p(v) for k, v in c.items()}


class FactBlock(FixedBlock):
    """Facts of the post (service.facts): presence of each kind, post kinds, call to action."""

    name = "facts"
    features = FACT_KINDS + tuple(f"kind:{k}" for k in POST_KINDS) + FACT_FLAGS

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return 1.0 for each present fact kind, post kind and the call to action."""
        return {k: 1.0 for k, v in (record.facts or {}).items() if v > 0}


class TopicBlock(FixedBlock):
    """Counts of each rubric's topic words (service/models/signals.py), in the text and the lead."""

    name = "topics"
    features = RUBRIC_NAMES + tuple(f"lead:{r}" for r in RUBRIC_NAMES)

    def values(self, record: PostRecord) -> dict[str, float]:
        """Return 1.0 for each rubric with topic words (presence beat log counts in CV)."""
        return {k: 1.0 for k, v in record.topics.items() if v > 0}


@lru_cache(maxsize=2)
def load_word_vectors(name: str = VECTORS_FILE) -> tuple[dict[str, int], np.ndarray]:
    """Return (word -> row, vectors as float32) of a table in models/vectors/ (loaded once)."""
    with np.load(models_path("vectors", name)) as z:
        words = z["words"].tolist()
        vectors = z["vectors"].astype(np.float32)
    return {w: i for i, w in enumerate(words)}, vectors


def _fingerprint(index: dict[str, int], vectors: np.ndarray) -> tuple[int, float]:
    """Return (words, sum of all values) of a vector table: a model checks it got its table."""
    return len(index), float(vectors.sum(dtype=np.float64))


class VectorBlock:
    """The idf-weighted sum of the word vectors of a post's lemmas, L2-normalised (dense).

    The idf is learnt from the training records; a lemma they lack gets the idf of a word seen
    in no record. Lemmas without a vector (names, places, emoji) are skipped.
    """

    name = "vectors"

    def __init__(self, table: str = VECTORS_FILE) -> None:
        self.table = table
        self.idf_: dict[str, float] = {}
        self.unseen_idf_ = 1.0
        self.dims_ = 0
        self.fingerprint_: tuple[int, float] = (0, 0.0)

    def fit(self, records: Sequence[PostRecord]) -> VectorBlock:
        """Learn the idf of the lemmas that have a vector; return self."""
        index, vectors = load_word_vectors(self.table)
        df = Counter[str]()
        for r in records:
            df.update({t for t in r.terms if t in index})
        n = len(records)
        self.idf_ = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in sorted(df.items())}
        self.unseen_idf_ = math.log(1 + n) + 1.0
        self.dims_ = int(vectors.shape[1])
        self.fingerprint_ = _fingerprint(index, vectors)
        return self

    def _lookup(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """Return word -> row (the table's own dict), the idf of each row and the vectors."""
        got = self.__dict__.get("_lookup_cache")
        if got is None:
            index, vectors = load_word_vectors(self.table)
            words, total = _fingerprint(index, vectors)
            if (vectors.shape[1] != self.dims_ or words != self.fingerprint_[0]
                    or not math.isclose(total, self.fingerprint_[1], rel_tol=1e-6)):
                raise ModelError(f"таблица векторов {self.table} не та, на которой обучена "
                                 "модель рубрик: переобучите модель (`gospablik train`)")
            idf = np.full(len(index), self.unseen_idf_, dtype=np.float32)
            for w, x in self.idf_.items():
                idf[index[w]] = x
            got = (index, idf, vectors)
            self.__dict__["_lookup_cache"] = got
        return got  # type: ignore[no-any-return]

    def vector(self, record: PostRecord) -> np.ndarray | None:
        """Return the record's normalised vector (float32), or None when it has none."""
        index, idf, vectors = self._lookup()
        # one lookup per term; bigrams and <num>-like terms are not in the table (-1)
        terms = record.terms
        rows = np.fromiter(map(index.get, terms, repeat(-1)), dtype=np.intp, count=len(terms))
        rows = rows[rows >= 0]
        if not len(rows):
            return None
        v = idf[rows] @ vectors[rows]
        norm = float(np.linalg.norm(v))
        if not norm:
            return None
        return v / norm  # type: ignore[no-any-return]

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record: all `dims_` columns, or none."""
        v = self.vector(record)
        return [] if v is None else list(enumerate(v.tolist()))

    def matrix(self, records: Sequence[PostRecord], weight: float = 1.0) -> sp.csr_matrix:
        """Return the weighted vectors of many records as a sparse matrix (no Python per
        value: the same values as `row`)."""
        import scipy.sparse as sp

        dense = np.zeros((len(records), self.dims_), dtype=np.float64)
        index, idf, vectors = self._lookup()
        # every record's rows looked up in one pass (the same rows as `vector`, record by
        # record), then each record's vector by the same operations on the same arrays
        sizes = [len(r.terms) for r in records]
        total = sum(sizes)
        found = np.fromiter(map(index.get, chain.from_iterable(r.terms for r in records),
                                repeat(-1)), dtype=np.intp, count=total)
        keep = found >= 0
        bounds = np.zeros(len(records) + 1, dtype=np.int64)
        owner = np.repeat(np.arange(len(records)), sizes)[keep]
        np.cumsum(np.bincount(owner, minlength=len(records)), out=bounds[1:])
        found = found[keep]
        starts = bounds.tolist()
        for i in range(len(records)):
            a, b = starts[i], starts[i + 1]
            if a == b:
                continue
            rows = found[a:b]
            v = idf[rows] @ vectors[rows]
            norm = float(np.linalg.norm(v))
            if norm:
                dense[i] = v / norm
        return sp.csr_matrix(weight * dense)

    def names(self) -> list[str]:
        """Return the feature names in column order."""
        return [f"vec:{i}" for i in range(self.dims_)]

    def cache_key(self) -> tuple[Any, ...]:
        """Return a key equal for blocks that give equal rows (same table and idf)."""
        key = self.__dict__.get("_key")
        if key is None:
            key = (self.name, self.table, self.unseen_idf_, hash(tuple(self.idf_.items())))
            self.__dict__["_key"] = key
        return key  # type: ignore[no-any-return]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_key", None)
        state.pop("_lookup_cache", None)
        return state


PAGE_BLOCK_KEYS = frozenset({MetaBlock().cache_key()})  # blocks that read the page fields

BLOCKS: dict[str, Any] = {"terms": TermBlock, "lead": LeadBlock, "tags": TagBlock,
          "topics": TopicBlock, "meta": MetaBlock, "surface": SurfaceBlock, "grammar": GrammarBlock,
          "signals": SignalBlock, "facts": FactBlock, "vectors": VectorBlock}


class FeatureRows:
    """The fitted part of `PostFeatures` that the service uses: rows and matrices of records.

    Kept free of scikit-learn, so the service loads its models without importing it
    (service.models.loader); `PostFeatures` (service.models.estimator) adds `fit`.
    """

    blocks: tuple[str, ...]
    blocks_: list[tuple[int, Any, float]]
    offsets_: dict[str, tuple[int, int]]
    n_features_: int

    def row(self, record: PostRecord) -> Row:
        """Return the (column, value) pairs of one record over all blocks."""
        out: Row = []
        for offset, block, w in self.blocks_:
            rows = self.block_rows(record, block)
            if offset == 0 and w == 1.0:  # the same pairs: j + 0 and 1.0 * v are j and v
                out.extend(rows)
            else:
                out.extend([(offset + j, w * v) for j, v in rows])
        return out

    def block_rows(self, record: PostRecord, block: Any) -> Row:
        """Return one block's (column, value) pairs of a record, computed once per record."""
        key = block.cache_key()
        if key in PAGE_BLOCK_KEYS:
            key = (*key, record.page_type, record.platform, record.attachments)
        done = record.block_rows
        rows = done.get(key)
        if rows is None:
            rows = done[key] = block.row(record)
        return rows

    def transform(self, records: Sequence[PostRecord],
                  shared: dict[Any, Any] | None = None) -> sp.csr_matrix:
        """Return the sparse feature matrix of the records: block by block, each row in the
        column order of `row` (`shared`: the unweighted blocks of these same records already
        computed by another pipeline, and where this one leaves its own)."""
        import scipy.sparse as sp
        n = len(records)
        parts = []
        done = {} if shared is None else shared
        for _, block, w in self.blocks_:
            start, stop = self.offsets_[block.name]
            width = stop - start
            if isinstance(block, VectorBlock):
                parts.append(block.matrix(records, w))
                continue
            key = block.cache_key()
            got = done.get(key) if key not in PAGE_BLOCK_KEYS else None
            if got is None:
                if isinstance(block, TermBlock) and type(block).row is TermBlock.row:
                    got = block.arrays(records)
                else:
                    got = self._block_arrays(records, block, key)
                if key not in PAGE_BLOCK_KEYS:
                    done[key] = got
            indptr, indices, data = got
            parts.append(sp.csr_matrix((w * data, indices, indptr), shape=(n, width)))
        if not parts:
            return sp.csr_matrix((n, self.n_features_), dtype=np.float64)
        return sp.hstack(parts, format="csr")

    def _block_arrays(self, records: Sequence[PostRecord], block: Any, key: Any
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (indptr, indices, data) of one block's rows of the records (`block_rows`)."""
        if key in PAGE_BLOCK_KEYS:
            rows = [self.block_rows(r, block) for r in records]
        else:
            rows = []
            for r in records:
                cached = r.block_rows
                got = cached.get(key)
                if got is None:
                    got = cached[key] = block.row(r)
                rows.append(got)
        indptr = np.zeros(len(records) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in rows], out=indptr[1:])
        total = int(indptr[-1])
        flat = list(chain.from_iterable(rows))
        indices = np.fromiter(map(itemgetter(0), flat), dtype=np.int32, count=total)
        data = np.fromiter(map(itemgetter(1), flat), dtype=np.float64, count=total)
        return indptr, indices, data

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the feature names in column order."""
        names: list[str] = []
        for _, block, _ in self.blocks_:
            names.extend(block.names())
        return np.asarray(names, dtype=object)


def __getattr__(name: str) -> Any:
    """Return `PostFeatures` (with scikit-learn) only to those who ask for it: training, tests,
    and unpickling a model with scikit-learn itself (its pickles name it here)."""
    if name == "PostFeatures":
        from service.models.estimator import PostFeatures as PostFeatures  # re-exported

        return PostFeatures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
