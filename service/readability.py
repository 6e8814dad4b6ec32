"""Readability 0–100 (higher is easier), school grade level, reading time and the reasons.

The score is a logistic of a linear model over densities of what makes a text hard for a
resident (long sentences and words, rare words, officialese, noun chains, passives, participles,
unexplained acronyms, walls of text). The weights are fitted by training/train_readability.py
and live in models/readability/weights.json (see its MODEL_CARD.md).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.errors import ModelError
from service.kantselyarit import Hit
from service.lexicons import lexicon_path, word_set
from service.nlp.document import Doc

WORDS_PER_MINUTE = 150  # silent reading of plain informational text by an adult
MODEL_FORMAT = 1
LONG_WORD_SYLLABLES = 4  # «сложное слово»: more than three syllables (Мацковский; SMOG-ru)
VERY_LONG_WORD_SYLLABLES = 5  # the plainrussian (Бегтин) threshold for SMOG
WALL_BLOCK_WORDS = 80  # a block (line) longer than this reads as a wall of text
GAIN_FLOOR_BAND = (15.0, 85.0)  # scores between which gains are measured on the curve itself
SHORT_TEXT_WORDS = 8  # too short to judge: the score is pulled towards neutral
REASON_FLOORS = {  # a feature is named as a reason only from these values on
    "words_per_sentence": 14.0, "syllables_per_word": 2.6, "long_words_share": 0.25,
    "rare_words_share": 0.04, "wall_share": 0.1,
}
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Init"})
VERBAL_NOUN_ENDINGS = ("ние", "тие", "ция")
FEATURES = (
    "words_per_sentence", "syllables_per_word", "long_words_share", "rare_words_share",
    "kantselyarit_per_100", "abbreviations_per_100", "nominal_chains_per_100",
    "verbal_nouns_share", "passives_per_100", "participles_per_100", "gerunds_per_100",
    "wall_share",
)
COUNT_KEYS = (
    "words", "sentences", "syllables", "long_words", "very_long_words", "rare_words",
    "kantselyarit", "abbreviations", "nominal_chains", "verbal_nouns", "passives",
    "participles", "gerunds", "paragraphs", "blocks", "wall_words",
)


@dataclass(slots=True)
class Readability:
    """The readability of a text and the raw counts behind it."""

    score: float
    grade_level: float
    reading_time_seconds: int
    counts: dict[str, float] = field(default_factory=dict)  # raw additive counts
    figures: dict[str, float] = field(default_factory=dict)  # derived, shown to users
    reasons: list[str] = field(default_factory=list)

    def gain(self, **delta: float) -> float:
        """Return how many readability points the text gains if its counts change by `delta`.

        Near the ends of the scale the logistic flattens: one fix in a text scoring 3 moves it
        by a fraction of a point. So a gain is at least the change measured on the steep part
        of the curve (as if the text scored between GAIN_FLOOR_BAND), to keep fixes comparable.
        """
        counts = dict(self.counts)
        for k, v in delta.items():
            counts[k] = max(0.0, counts.get(k, 0.0) + v)
        new_score, _ = score_counts(counts)
        dz = difficulty(self.counts) - difficulty(counts)
        lo, hi = GAIN_FLOOR_BAND
        p = min(hi, max(lo, self.score)) / 100
        return max(0.0, new_score - self.score, 100 * p * (1 - p) * dz)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready object."""
        return {
            "score": round(self.score, 1),
            "grade_level": round(self.grade_level, 1),
            "reading_time_seconds": self.reading_time_seconds,
            "figures": {k: round(v, 2) for k, v in self.figures.items()},
            "reasons": self.reasons,
        }


@dataclass(frozen=True, slots=True)
class Model:
    """Fitted weights: score = 100·σ(intercept − Σ wᵢ·fᵢ), grade = g0 + g1·Σ wᵢ·fᵢ."""

    weights: tuple[float, ...]
    intercept: float
    grade_intercept: float
    grade_slope: float
    reference: tuple[float, ...]  # feature values of a typical plain post (for the reasons)
    rare_ipm: float  # a lemma rarer than this (RNC ipm) is a rare word


def load_model(path: Path) -> Model:
    """Return the model stored at `path` (weights.json), refusing an incompatible one."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ModelError(
            f"нет файла модели читаемости {path}: запустите python -m training.train_readability"
        ) from e
    if raw.get("format_version") != MODEL_FORMAT or tuple(raw.get("features", ())) != FEATURES:
        raise ModelError(
            f"модель читаемости {path} другой версии: переобучите её командой "
            "python -m training.train_readability"
        )
    return Model(
        tuple(raw["weights"]), raw["intercept"], raw["grade"]["intercept"],
        raw["grade"]["slope"], tuple(raw["reference"]), raw["rare_ipm"],
    )


@lru_cache(maxsize=1)
def get_model() -> Model:
    """Return the process-wide readability model."""
    from service.settings import get_settings

    return load_model(get_settings().models_dir / "readability" / "weights.json")


@lru_cache(maxsize=1)
def frequencies() -> dict[str, float]:
    """Return lemma -> ipm from the RNC frequency list shipped in service/lexicons."""
    out: dict[str, float] = {}
    with open(lexicon_path("freq_rnc2011.tsv"), encoding="utf-8") as f:
        for line in f:
            if line[0] != "#":
                lemma, ipm = line.rstrip("\n").split("\t")
                out[lemma] = float(ipm)
    return out


def _is_acronym(text: str, morph: Any) -> bool:
    """Return True for a capitalised acronym such as «КДН» (not a word written in capitals)."""
    if not (2 <= len(text) <= 7) or not text.isupper() or not any("А" <= c <= "Я" for c in text):
        return False
    return not (morph is not None and morph.known and "Abbr" not in morph.tags and len(text) > 3)


def _is_rare(lemma: str, lower: str, freq: dict[str, float], threshold: float) -> bool:
    """Return True when the lemma (each part of a hyphenated one) is rarer than `threshold`."""
    if freq.get(lower, 0.0) >= threshold:  # «деньги», «утром»: the RNC lemma is the form itself
        return False
    if lemma in freq:
        return freq[lemma] < threshold
    parts = lemma.split("-")
    return len(parts) == 1 or any(len(p) > 3 and freq.get(p, 0.0) < threshold for p in parts)


def noun_chains(doc: Doc) -> list[tuple[int, int]]:
    """Return spans of chains of 3+ nouns each governing the next in the genitive."""
    out: list[tuple[int, int]] = []
    run = first = last = 0
    for i, t in enumerate(doc.tokens):
        m = t.morph
        if m is not None and m.pos == "NOUN":
            if run and m.case == "gent":
                run, last = run + 1, i
                continue
            if run >= 3:
                out.append((doc.tokens[first].start, doc.tokens[last].end))
            run, first, last = 1, i, i
        elif not (run and m is not None and m.pos in ("ADJF", "PRTF") and m.case == "gent"):
            if run >= 3:
                out.append((doc.tokens[first].start, doc.tokens[last].end))
            run = 0
    if run >= 3:
        out.append((doc.tokens[first].start, doc.tokens[last].end))
    return out


def scan(doc: Doc, hits: list[Hit], rare_ipm: float | None = None) -> tuple[dict, dict]:
    """Return (raw counts, details) of `doc`; details hold rare words and acronyms found."""
    threshold = get_model().rare_ipm if rare_ipm is None else rare_ipm
    freq = frequencies()
    known_abbr = word_set("known_abbreviations.txt")
    toks = doc.tokens
    syllables = long_w = very_long = rare = vnouns = passives = parts = gerunds = 0
    rare_words: list[str] = []
    acronyms: dict[str, bool] = {}  # acronym -> explained next to it in brackets
    line_starts = [s for s, _ in doc.lines]
    line_words = [0] * len(line_starts)
    prev_sent = -1
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        if line_starts:
            line_words[max(0, bisect_right(line_starts, t.start) - 1)] += 1
        syl = t.syllables
        syllables += syl
        long_w += syl >= LONG_WORD_SYLLABLES
        very_long += syl >= VERY_LONG_WORD_SYLLABLES
        m = t.morph
        first_in_sent = t.sent != prev_sent
        prev_sent = t.sent
        if m is None:
            continue
        pos = m.pos
        text = t.text
        if _is_acronym(text, m):
            if t.lower not in known_abbr:
                near = (toks[i - 1].text if i else "") + (toks[i + 1].text if i + 1 < len(toks) else "")
                acronyms[text] = acronyms.get(text, False) or "(" in near
        elif (
            len(m.lemma) > 3
            and "а" <= t.lower[0] <= "я"
            and (first_in_sent or not text[0].isupper())
            and not (NAME_TAGS & m.tags)
            and _is_rare(m.lemma, t.lower, freq, threshold)
        ):
            rare += 1
            if len(rare_words) < 3 and text.lower() not in rare_words:
                rare_words.append(text.lower())
        if pos == "NOUN":
            vnouns += m.lemma.endswith(VERBAL_NOUN_ENDINGS)
        elif pos in ("PRTF", "PRTS"):
            parts += 1
            passives += m.voice == "pssv"
        elif pos == "GRND":
            gerunds += 1
    chains = noun_chains(doc)
    unexplained = [a for a, explained in acronyms.items() if not explained]
    n_words = len(doc.words)
    counts = {
        "words": float(n_words),
        "sentences": float(max(1, sum(1 for s in doc.sentences if s.n_words))),
        "syllables": float(syllables),
        "long_words": float(long_w),
        "very_long_words": float(very_long),
        "rare_words": float(rare),
        "kantselyarit": float(len(hits)),
        "abbreviations": float(len(unexplained)),
        "nominal_chains": float(len(chains)),
        "verbal_nouns": float(vnouns),
        "passives": float(passives),
        "participles": float(parts),
        "gerunds": float(gerunds),
        "paragraphs": float(len(doc.paragraphs)),
        "blocks": float(len(doc.lines)),
        "wall_words": float(sum(max(0, n - WALL_BLOCK_WORDS) for n in line_words)),
    }
    chain = doc.text[chains[0][0] : chains[0][1]] if chains else ""
    return counts, {"rare_words": rare_words, "abbreviations": unexplained[:3], "chain": chain}


def count_features(doc: Doc, hits: list[Hit], rare_ipm: float | None = None) -> dict[str, float]:
    """Return the raw counts readability is computed from."""
    return scan(doc, hits, rare_ipm)[0]


def feature_values(c: dict[str, float]) -> tuple[float, ...]:
    """Return the model's features (densities, in the order of FEATURES) of raw counts."""
    w = max(1.0, c.get("words", 0.0))
    per100 = 100.0 / w
    return (
        w / max(1.0, c.get("sentences", 1.0)),
        c.get("syllables", 0.0) / w,
        c.get("long_words", 0.0) / w,
        c.get("rare_words", 0.0) / w,
        c.get("kantselyarit", 0.0) * per100,
        c.get("abbreviations", 0.0) * per100,
        c.get("nominal_chains", 0.0) * per100,
        c.get("verbal_nouns", 0.0) / w,
        c.get("passives", 0.0) * per100,
        c.get("participles", 0.0) * per100,
        c.get("gerunds", 0.0) * per100,
        c.get("wall_words", 0.0) / w,
    )


def difficulty(c: dict[str, float], model: Model | None = None) -> float:
    """Return the linear difficulty Σ wᵢ·fᵢ of raw counts (higher is harder)."""
    m = model or get_model()
    return sum(w * f for w, f in zip(m.weights, feature_values(c), strict=True))


def score_counts(c: dict[str, float], model: Model | None = None) -> tuple[float, float]:
    """Return (score 0–100, school grade 1–18) of raw counts."""
    m = model or get_model()
    d = difficulty(c, m)
    z = m.intercept - d
    if c.get("words", 0.0) < SHORT_TEXT_WORDS:  # a caption: little evidence either way
        z *= max(0.0, c.get("words", 0.0)) / SHORT_TEXT_WORDS
    score = 100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    grade = max(1.0, min(18.0, m.grade_intercept + m.grade_slope * d))
    return score, grade


def _plural(n: int, one: str, few: str, many: str) -> str:
    """Return the Russian noun form agreeing with `n` («1 оборот», «3 оборота», «5 оборотов»)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _reason(name: str, c: dict[str, float], f: tuple[float, ...], det: dict) -> str:
    """Return a short Russian phrase about what feature `name` contributes."""
    n = {k: int(v) for k, v in c.items()}
    i = FEATURES.index(name)
    if name == "words_per_sentence":
        return f"длинные предложения: в среднем {f[i]:.0f} {_plural(round(f[i]), 'слово', 'слова', 'слов')}"
    if name in ("syllables_per_word", "long_words_share"):
        return f"много длинных слов: {n['long_words']} из {n['words']}"
    if name == "rare_words_share":
        return "много редких слов: " + ", ".join(f"«{w}»" for w in det["rare_words"])
    if name == "kantselyarit_per_100":
        k = n["kantselyarit"]
        return f"канцелярит: {k} {_plural(k, 'оборот', 'оборота', 'оборотов')}"
    if name == "abbreviations_per_100":
        return "непонятные сокращения: " + ", ".join(det["abbreviations"])
    if name in ("nominal_chains_per_100", "verbal_nouns_share"):
        if det["chain"]:
            return f"цепочки существительных: «{det['chain']}»"
        return f"много отглагольных существительных: {n['verbal_nouns']}"
    if name in ("passives_per_100", "participles_per_100"):
        return f"причастия и страдательный залог: {n['participles']}"
    if name == "gerunds_per_100":
        return f"деепричастные обороты: {n['gerunds']}"
    return f"сплошной текст без абзацев: {n['words']} {_plural(n['words'], 'слово', 'слова', 'слов')}"


def reasons(c: dict[str, float], det: dict, score: float, model: Model | None = None) -> list[str]:
    """Return 1–3 short Russian phrases on what makes the text hard (or easy)."""
    m = model or get_model()
    f = feature_values(c)
    pushes = sorted(
        ((w * (x - r), name) for w, x, r, name in zip(m.weights, f, m.reference, FEATURES, strict=True)),
        reverse=True,
    )
    out: list[str] = []
    for push, name in pushes:
        if push < 0.15 or len(out) == 3:
            break
        if f[FEATURES.index(name)] < REASON_FLOORS.get(name, 0.0):
            continue  # higher than in a plain post, yet not worth telling
        if name == "rare_words_share" and not det["rare_words"]:
            continue
        if name == "abbreviations_per_100" and not det["abbreviations"]:
            continue
        phrase = _reason(name, c, f, det)
        if phrase not in out:
            out.append(phrase)
    if not out and score >= 60:
        out.append(f"короткие предложения (в среднем {f[0]:.0f} сл.) и простые слова")
    return out


def assess(doc: Doc, hits: list[Hit]) -> Readability:
    """Return the readability of `doc` given its officialese hits."""
    model = get_model()
    counts, det = scan(doc, hits, model.rare_ipm)
    score, grade = score_counts(counts, model)
    w = max(1.0, counts["words"])
    figures = {
        "words": counts["words"],
        "sentences": counts["sentences"],
        "words_per_sentence": w / counts["sentences"],
        "syllables_per_word": counts["syllables"] / w,
        "long_words_percent": 100 * counts["long_words"] / w,
        "rare_words_percent": 100 * counts["rare_words"] / w,
        "kantselyarit_per_100_words": 100 * counts["kantselyarit"] / w,
        "abbreviations": counts["abbreviations"],
        "nominal_chains": counts["nominal_chains"],
        "participles": counts["participles"],
        "paragraphs": counts["blocks"],
    }
    return Readability(
        score, grade, round(counts["words"] / WORDS_PER_MINUTE * 60), counts, figures,
        reasons(counts, det, score, model),
    )
