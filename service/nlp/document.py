"""The analysed text: tokens and sentences that know their spans in the submitted text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from service.nlp.morph import Analysis

WORDLIKE = frozenset({"word"})
_MISSING = object()
T = TypeVar("T")


@dataclass(slots=True)
class Token:
    """One token; `start`/`end` are offsets into the submitted (original) text."""

    text: str
    start: int
    end: int
    kind: str  # word | num | url | email | hashtag | mention | emoji | punct
    sent: int = -1
    lower: str = ""
    morph: Analysis | None = None
    syllables: int = 0

    @property
    def lemma(self) -> str:
        """Return the lemma (lower-cased text for non-words)."""
        return self.morph.lemma if self.morph is not None else self.lower

    @property
    def pos(self) -> str | None:
        """Return the part of speech of a word, None otherwise."""
        return self.morph.pos if self.morph is not None else None

    @property
    def is_word(self) -> bool:
        """Return True for a word of letters."""
        return self.kind == "word"


@dataclass(slots=True)
class Sentence:
    """A sentence: its span in the original text and the range of its tokens."""

    start: int
    end: int
    first: int  # index of the first token
    last: int  # index after the last token
    paragraph: int
    n_words: int = 0
    fragment: bool = False  # a heading, greeting or label line: not measured for length


@dataclass(slots=True)
class Doc:
    """The result of the pipeline over one text."""

    text: str
    norm_text: str
    tokens: list[Token]
    sentences: list[Sentence]
    paragraphs: list[tuple[int, int]]  # one span: the text from its first non-space (see pipeline)
    lines: list[tuple[int, int]]  # original spans of non-empty lines
    cache: dict[object, object] = field(default_factory=dict)  # per-doc results shared by rules

    @property
    def words(self) -> list[Token]:
        """Return the word tokens."""
        cached = self.cache.get("words")
        if cached is None:
            cached = [t for t in self.tokens if t.kind == "word"]
            self.cache["words"] = cached
        return cached  # type: ignore[return-value]

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """Return the cached result under `key`, computing it once.

        A `Doc` may be shared by every post with the same text (reposts), so what is cached
        here must depend on the text alone (or carry the rest in `key`) and never be mutated.
        """
        cache = self.cache
        value = cache.get(key, _MISSING)  # (a raised KeyError costs more than this look-up)
        if value is _MISSING:
            value = cache[key] = compute()
        return value  # type: ignore[return-value]

    def sentence_tokens(self, s: Sentence) -> list[Token]:
        """Return the tokens of sentence `s`."""
        return self.tokens[s.first : s.last]

    def sentence_text(self, s: Sentence) -> str:
        """Return the original text of sentence `s`."""
        return self.text[s.start : s.end]
