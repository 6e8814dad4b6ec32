"""The pipeline, built once per process: normalise, segment, analyse."""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from importlib import import_module, metadata

from razdel import sentenize
from razdel.segmenters.sentenize import DELIMITER as RAZDEL_DELIMITER
from razdel.segmenters.sentenize import DELIMITERS as _DELIMITER_MARKS
from razdel.segmenters.sentenize import SentSplitter

from service.nlp.document import Doc, Sentence, Token
from service.nlp.morph import Analysis, Morph, get_morph
from service.nlp.normalize import normalize
from service.nlp.segment import is_fragment, units
from service.nlp.syllables import count_syllables
from service.nlp.tokenize import TOKEN_KINDS, TOKEN_SCAN, URL_TRAIL

_LINE = re.compile(r"[^\n]+")
_TOKENS = TOKEN_SCAN.finditer
# Where razdel may end a sentence: the same matches as its DELIMITER (a smiley
# `[=:;]-?[)(]{1,3}` before a single mark), written to start with one character class, which
# the regex engine scans for quickly: a smiley's tail is taken after «=», «:» or «;», and a
# bare «=» or «:» is no delimiter.
_DELIMITER_FAST = re.compile(
    "([=:" + re.escape(_DELIMITER_MARKS) + "](?:(?<=[=:;])-?[)(]{1,3})?)(?<![=:])")
_WINDOW = sentenize.split.window  # the characters razdel's rules see on each side
# `_razdel_spans` follows razdel 0.5.0's segmenter step by step; another version is asked
_rz = import_module("razdel.segmenters.sentenize")  # the module (its package exports a segmenter)
_RAZDEL_EXACT = (
    metadata.version("razdel") == "0.5.0"
    and type(sentenize.split) is SentSplitter
    and sentenize.split.pattern == RAZDEL_DELIMITER
    and _rz.SMILES == r"[=:;]-?[)(]{1,3}"
    and RAZDEL_DELIMITER == f"({_rz.SMILES}|[{re.escape(_DELIMITER_MARKS)}])"
    and [r.name for r in sentenize.rules] == [
        "empty_side", "no_space_prefix", "lower_right", "delimiter_right", "sokr_left",
        "inside_pair_sokr", "initials_left", "list_item", "close_quote", "close_bracket",
        "dash_right"]
)
_SPANS: dict[str, tuple[tuple[int, int], ...]] = {}  # run of lines -> its sentence spans
SPANS_MAX = 20_000
SPANS_MAX_CHARS = 2_000_000  # at most a few MB of remembered runs
_spans_chars = 0
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
        # word forms repeat across posts: one look-up gives the interned surface, its interned
        # lower case, the analysis and the syllables (a cached Doc keeps them)
        self._words: dict[str, tuple[str, str, Analysis | None, int]] = {}
        self._others: dict[str, dict[str, tuple[str, str, Analysis | None, int]]] = {
            kind: {} for kind in TOKEN_KINDS}  # kind -> surface -> record

    def _word(self, surface: str) -> tuple[str, str, Analysis | None, int]:
        """Return (and remember) the record of a word form seen for the first time."""
        surface = _intern(surface)
        lower = _intern(surface.lower())
        got = self._words[surface] = (surface, lower, self.morph.analyse(lower),
                                      count_syllables(surface))
        return got

    def _other(self, kind: str, surface: str) -> tuple[str, str, Analysis | None, int]:
        """Return (and remember) the record of a non-word token seen for the first time."""
        surface = _intern(surface)
        got = self._others[kind][surface] = (surface, _intern(surface.lower()), None, 0)
        return got

    def _url_tail(self, tokens: list[Token], nt: str, s: int, e: int, end: int,
                  to_orig: Callable[[int, int], tuple[int, int]] | None) -> None:
        """Append a link [s, e) and the punctuation [e, end) the link's pattern took with it."""
        spans = [("url", s, e)] + [("punct", j, j + 1) for j in range(e, end)]
        for kind, ts, te in spans:
            got = self._others[kind].get(nt[ts:te]) or self._other(kind, nt[ts:te])
            os_, oe = to_orig(ts, te) if to_orig is not None else (ts, te)
            tokens.append(Token(got[0], os_, oe, kind, -1, got[1], got[2], got[3]))

    def analyse(self, text: str) -> Doc:
        """Return the analysed document of `text`."""
        norm = normalize(text)
        nt = norm.text
        # most texts need no normalisation: their offsets are already the original ones
        to_orig = norm.span_to_original if norm.offsets is not None else None
        words, others = self._words, self._others
        if len(words) + sum(map(len, others.values())) > SEEN_MAX:  # a bound on memory (the
            # morphology keeps its own cache)
            words.clear()
            for seen in others.values():
                seen.clear()

        # the tokens of service.nlp.tokenize.tokenize, in one loop with their records
        tokens: list[Token] = []
        append = tokens.append
        word, other = self._word, self._other
        for m in _TOKENS(nt):
            kind = m.lastgroup or "punct"
            s, e = m.span()
            if kind == "plain" or kind == "word":
                got = words.get(nt[s:e]) or word(nt[s:e])
                kind = "word"
            elif kind == "url":
                end = e
                # a sentence-final period or bracket belongs to the sentence, not to the link
                while e > s and nt[e - 1] in URL_TRAIL:
                    e -= 1
                got = others[kind].get(nt[s:e]) or other(kind, nt[s:e])
                if e < end:
                    self._url_tail(tokens, nt, s, e, end, to_orig)
                    continue
            else:
                if kind == "punct" and nt[s] == "_":
                    continue
                got = others[kind].get(nt[s:e]) or other(kind, nt[s:e])
            if to_orig is not None:
                s, e = to_orig(s, e)
            append(Token(got[0], s, e, kind, -1, got[1], got[2], got[3]))

        # Sentences: razdel splits runs of lines that continue one another (segment.units);
        # a line break ends a sentence unless the next line continues it.
        sentences: list[Sentence] = []
        line_spans = [m.span() for m in _LINE.finditer(nt) if not m.group(0).isspace()]
        lines = [to_orig(s, e) for s, e in line_spans] if to_orig is not None else line_spans
        ti = 0
        starts = [tok.start for tok in tokens]  # in order: tokens never overlap
        kinds = [tok.kind for tok in tokens]
        # One paragraph, numbered 0: the whole text from its first non-space character (as
        # the models were trained; blank lines do not split it — see Doc.paragraphs).
        body = nt.lstrip()
        para_spans = [(len(nt) - len(body), len(nt))] if body else []
        add_sentence = sentences.append
        for us, ue in units(nt, line_spans):
            unit_first = len(sentences)
            unit = nt[us:ue]
            unit_words = 0
            for sub_start, sub_stop in _sentence_spans(unit.replace("\n", " ")):
                ss, se = us + sub_start, us + sub_stop
                os_, oe = to_orig(ss, se) if to_orig is not None else (ss, se)
                # the tokens from `ti` on that start before the sentence ends are its own
                stop = bisect_left(starts, oe, ti)
                if stop == ti:
                    continue
                sent = len(sentences)
                for tok in tokens[ti:stop]:
                    tok.sent = sent
                n_words = kinds[ti:stop].count("word")
                add_sentence(Sentence(os_, oe, ti, stop, 0, n_words))
                unit_words += n_words
                ti = stop
            # a heading, a greeting or a label on its own line is not a sentence to measure
            if unit_first < len(sentences) and is_fragment(unit, unit_words):
                for x in sentences[unit_first:]:
                    x.fragment = True
        paragraphs = ([to_orig(s, e) for s, e in para_spans] if to_orig is not None
                      else para_spans)
        return Doc(text, nt, tokens, sentences, paragraphs, lines)


def _sentence_spans(line: str) -> tuple[tuple[int, int], ...]:
    """Return the (start, stop) of the sentences of a non-blank run of lines (joined by spaces).

    razdel's sentences, each cut again after an emoji that ends it (`_split_after_emoji`).
    Runs of lines repeat (a channel's signature, a draft sent again after an edit elsewhere):
    their spans are remembered.
    """
    got = _SPANS.get(line)
    if got is not None:
        return got
    spans = _razdel_spans(line)
    if _PICTOGRAPH.search(line) is not None:
        spans = [part for span in spans for part in _split_after_emoji(line, *span)]
    out = tuple(spans)
    global _spans_chars
    if len(_SPANS) >= SPANS_MAX or _spans_chars > SPANS_MAX_CHARS:  # a bound on memory
        _SPANS.clear()
        _spans_chars = 0
    _SPANS[line] = out
    _spans_chars += len(line)
    return out


def _razdel_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, stop) of `razdel.sentenize(text)`, computed faster.

    razdel cuts only at a delimiter (`_DELIMITER_FAST`) that its rules do not join across.
    Its first two rules join wherever a side's window holds only spaces (no token) or no
    space follows the delimiter: such delimiters (most of them: «г.», «1.5», a final stop)
    are passed over at once; the others are put to the rest of its rules (`_joined`) with
    the same windows and buffer. The chunks are stripped and found in the text as razdel
    does (`find_substrings`). A run without any of razdel's delimiters is one sentence: its
    stripped self.
    """
    if not _RAZDEL_EXACT:
        return [(sub.start, sub.stop) for sub in sentenize(text)]
    out: list[tuple[int, int]] = []
    cut = 0  # where the chunk being built starts
    offset = 0  # where razdel's find_substrings looks for the next chunk
    window = _WINDOW
    for m in _DELIMITER_FAST.finditer(text):
        start, stop = m.span()
        right = text[stop : stop + window]
        if not right or not right[0].isspace() or right.isspace():
            continue  # no_space_prefix or empty_side (no right token): joined
        left = text[max(0, start - window) : start]
        if not left or left.isspace():
            continue  # empty_side (no left token): joined
        if _joined(left, m.group(1), right, text[cut:start]):
            continue
        chunk = text[cut:stop].strip()
        at = text.find(chunk, offset)
        offset = at + len(chunk)
        out.append((at, offset))
        cut = stop
    chunk = text[cut:].strip()
    at = text.find(chunk, offset)
    out.append((at, at + len(chunk)))
    return out


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


def _joined(left: str, delimiter: str, right: str, buffer: str) -> bool:
    """Return razdel's `Segmenter.join` of a split whose first two rules say nothing.

    That is, both windows hold a token and a space follows the delimiter. Every rule of razdel
    0.5.0 either joins or passes, so the split is joined when any of them joins; this is each
    rule of razdel.segmenters.sentenize, in its order, on the same split properties (computed
    with razdel's own patterns and word lists), without razdel's objects.
    """
    right_token = _rz.FIRST_TOKEN.match(right).group(1)  # type: ignore[union-attr]
    if right_token.isalpha() and right_token.islower():  # lower_right
        return True
    if right_token not in _rz.GENERIC_QUOTES and (  # delimiter_right
            right_token in _rz.DELIMITERS or _rz.SMILE_PREFIX.match(right)):
        return True
    left_token = _rz.LAST_TOKEN.search(left).group(1)  # type: ignore[union-attr]
    if delimiter == ".":
        if _sokr_left(left, left_token, right_token):  # sokr_left
            return True
        if (left_token.lower(), right_token.lower()) in _rz.PAIR_SOKRS:  # inside_pair_sokr
            return True
        if left_token.isupper() and len(left_token) == 1:  # initials_left
            return True
        if left_token.lower() in _rz.INITIALS:
            return True
    if (delimiter in _rz.BULLET_BOUNDS and len(buffer) <= _rz.BULLET_SIZE  # list_item
            and all(_rz.is_bullet(t) for t in _rz.TOKEN.findall(buffer))):
        return True
    if delimiter in _rz.QUOTES:  # close_quote
        if delimiter in _rz.CLOSE_QUOTES:
            if left_token not in _rz.ENDINGS:  # close_bound
                return True
        elif delimiter in _rz.GENERIC_QUOTES:
            if _rz.SPACE_SUFFIX.search(left) or left_token not in _rz.ENDINGS:
                return True
    if delimiter in _rz.CLOSE_BRACKETS and left_token not in _rz.ENDINGS:  # close_bracket
        return True
    if right_token in _rz.DASHES:  # dash_right
        word = _rz.WORD.search(right)
        if word and _rz.is_lower_alpha(word.group(1)):
            return True
    return False


def _sokr_left(left: str, left_token: str, right_token: str) -> bool:
    """Return True when razdel's rule sokr_left joins (the delimiter is a full stop)."""
    match = _rz.PAIR_SOKR.search(left)
    if match:
        a, b = match.groups()
        pair = a.lower(), b.lower()
        if pair in _rz.HEAD_PAIR_SOKRS:
            return True
        if pair in _rz.PAIR_SOKRS:
            return bool(_rz.is_sokr(right_token))
    lower = left_token.lower()
    return lower in _rz.HEAD_SOKRS or (lower in _rz.SOKRS and bool(_rz.is_sokr(right_token)))


@lru_cache(maxsize=1)
def get_pipeline() -> Pipeline:
    """Return the process-wide pipeline."""
    return Pipeline()
