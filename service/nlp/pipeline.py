"""The pipeline, built once per process: normalise, segment, analyse."""

from __future__ import annotations

import re
from functools import lru_cache

from razdel import sentenize

from service.nlp.document import Doc, Sentence, Token
from service.nlp.morph import Morph, get_morph
from service.nlp.normalize import normalize
from service.nlp.syllables import count_syllables
from service.nlp.tokenize import tokenize

_LINE = re.compile(r"[^\n]+")
_syllables = lru_cache(maxsize=200_000)(count_syllables)  # word forms repeat across posts
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.DOTALL)


class Pipeline:
    """Turns a submitted text into a `Doc`; holds the heavy morphology once."""

    def __init__(self, morph: Morph | None = None) -> None:
        self.morph = morph or get_morph()

    def analyse(self, text: str) -> Doc:
        """Return the analysed document of `text`."""
        norm = normalize(text)
        nt = norm.text
        to_orig = norm.span_to_original
        analyse_word = self.morph.analyse

        tokens: list[Token] = []
        for kind, s, e in tokenize(nt):
            os_, oe = to_orig(s, e)
            surface = nt[s:e]
            tok = Token(surface, os_, oe, kind, lower=surface.lower())
            if kind == "word":
                tok.morph = analyse_word(tok.lower)
                tok.syllables = _syllables(surface)
            tokens.append(tok)

        # Sentences: a line break always ends a sentence in a post; razdel splits within lines.
        sentences: list[Sentence] = []
        lines: list[tuple[int, int]] = []
        ti = 0
        n_tok = len(tokens)
        para_spans = [m.span() for m in _PARAGRAPH.finditer(nt)]
        pi = 0
        for lm in _LINE.finditer(nt):
            ls, le = lm.span()
            line = lm.group(0)
            if not line.strip():
                continue
            lines.append(to_orig(ls, le))
            while pi + 1 < len(para_spans) and para_spans[pi][1] <= ls:
                pi += 1
            for sub in sentenize(line):
                ss, se = ls + sub.start, ls + sub.stop
                os_, oe = to_orig(ss, se)
                first = ti
                while ti < n_tok and tokens[ti].start < oe:
                    tokens[ti].sent = len(sentences)
                    ti += 1
                if ti == first:
                    continue
                n_words = sum(1 for t in tokens[first:ti] if t.kind == "word")
                sentences.append(Sentence(os_, oe, first, ti, pi, n_words))
        paragraphs = [to_orig(s, e) for s, e in para_spans]
        return Doc(text, nt, tokens, sentences, paragraphs, lines)


@lru_cache(maxsize=1)
def get_pipeline() -> Pipeline:
    """Return the process-wide pipeline."""
    return Pipeline()
