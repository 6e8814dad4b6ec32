"""The pipeline, built once per process: normalise, segment, analyse."""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from razdel import sentenize
from razdel.segmenters.sentenize import DELIMITER as RAZDEL_DELIMITER

from service.nlp.document import Doc, Sentence, Token
from service.nlp.morph import Analysis, Morph, get_morph
from service.nlp.normalize import normalize
from service.nlp.segment import is_fragment, units
from service.nlp.syllables import count_syllables
from service.nlp.tokenize import tokenize

_LINE = re.compile(r"[^\n]+")
_syllables = lru_cache(maxsize=200_000)(count_syllables)  # word forms repeat across posts
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.DOTALL)
_RAZDEL_DELIMITER = re.compile(RAZDEL_DELIMITER)  # where razdel may end a sentence
_PICT = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"  # emoji blocks
_PICTOGRAPH = re.compile(f"[{_PICT}]")
_WORDLIKE = re.compile(r"\w")
# an emoji (with its joiners and variation selectors) before a capital letter: a sentence end
_EMOJI_END = re.compile(f"[{_PICT}][\ufe0f\u200d{_PICT}]*(?=\\s+[«\"]?[А-ЯЁA-Z])")
_intern = sys.intern
SEEN_MAX = 200_000  # distinct token surfaces remembered by a pipeline


class Pipeline:
    """Turns a submitted text into a `Doc`; holds the heavy morphology once."""

    def __init__(self, morph: Morph | None = None) -> None:
        self.morph = morph or get_morph()
        self._seen: dict[tuple[str, str], tuple[str, str, Analysis | None, int]] = {}

    def analyse(self, text: str) -> Doc:
        """Return the analysed document of `text`."""
        norm = normalize(text)
        nt = norm.text
        # most texts need no normalisation: their offsets are already the original ones
        to_orig = norm.span_to_original if norm.offsets is not None else None
        analyse_word = self.morph.analyse
        seen = self._seen
        if len(seen) > SEEN_MAX:  # a bound on memory; the morphology keeps its own cache
            seen.clear()

        tokens: list[Token] = []
        append = tokens.append
        for kind, s, e in tokenize(nt):
            os_, oe = to_orig(s, e) if to_orig is not None else (s, e)
            # word forms repeat across posts: one look-up gives the interned surface, its
            # interned lower case, the analysis and the syllables (a cached Doc keeps them)
            key = (kind, nt[s:e])
            got = seen.get(key)
            if got is None:
                surface = _intern(key[1])
                lower = _intern(surface.lower())
                if kind == "word":
                    got = (surface, lower, analyse_word(lower), _syllables(surface))
                else:
                    got = (surface, lower, None, 0)
                seen[key] = got
            append(Token(got[0], os_, oe, kind, -1, got[1], got[2], got[3]))

        # Sentences: razdel splits runs of lines that continue one another (segment.units);
        # a line break ends a sentence unless the next line continues it.
        sentences: list[Sentence] = []
        line_spans = [m.span() for m in _LINE.finditer(nt) if not m.group(0).isspace()]
        lines = [to_orig(s, e) for s, e in line_spans] if to_orig is not None else line_spans
        ti = 0
        n_tok = len(tokens)
        para_spans = [m.span() for m in _PARAGRAPH.finditer(nt)]
        pi = 0
        for us, ue in units(nt, line_spans):
            while pi + 1 < len(para_spans) and para_spans[pi][1] <= us:
                pi += 1
            unit_first = len(sentences)
            for sub_start, sub_stop in _sentence_spans(nt[us:ue].replace("\n", " ")):
                ss, se = us + sub_start, us + sub_stop
                os_, oe = to_orig(ss, se) if to_orig is not None else (ss, se)
                first = ti
                n_words = 0
                sent = len(sentences)
                while ti < n_tok and (tok := tokens[ti]).start < oe:
                    tok.sent = sent
                    n_words += tok.kind == "word"
                    ti += 1
                if ti == first:
                    continue
                sentences.append(Sentence(os_, oe, first, ti, pi, n_words))
            # a heading, a greeting or a label on its own line is not a sentence to measure
            unit_sents = sentences[unit_first:]
            if is_fragment(nt[us:ue], sum(x.n_words for x in unit_sents)):
                for x in unit_sents:
                    x.fragment = True
        paragraphs = ([to_orig(s, e) for s, e in para_spans] if to_orig is not None
                      else para_spans)
        return Doc(text, nt, tokens, sentences, paragraphs, lines)


def _sentence_spans(line: str) -> list[tuple[int, int]]:
    """Return the (start, stop) of razdel's sentences of a non-blank run of lines.

    A run without any of razdel's delimiters is one sentence (its stripped self): razdel
    would say the same, only slower.
    """
    if _RAZDEL_DELIMITER.search(line) is None:
        start = len(line) - len(line.lstrip())
        spans = [(start, len(line.rstrip()))]
    else:
        spans = [(sub.start, sub.stop) for sub in sentenize(line)]
    if _PICTOGRAPH.search(line) is None:
        return spans
    return [part for span in spans for part in _split_after_emoji(line, *span)]


def _split_after_emoji(line: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Return the span cut after every emoji that is followed by a capital letter.

    Posts end sentences with an emoji instead of a full stop («Ждём всех 🎉 Вход свободный»);
    razdel sees one sentence there, which made such posts' sentences look twice as long.
    """
    out = []
    for m in _EMOJI_END.finditer(line, start, stop):
        cut = m.end()
        rest = line[cut:stop]
        if _WORDLIKE.search(line, start, m.start()) and rest.strip():  # not a leading emoji
            out.append((start, cut))
            start = cut + len(rest) - len(rest.lstrip())
    out.append((start, stop))
    return out


@lru_cache(maxsize=1)
def get_pipeline() -> Pipeline:
    """Return the process-wide pipeline."""
    return Pipeline()
