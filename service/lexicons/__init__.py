"""Lexicons shipped with the service (sources and licenses in SOURCES.md beside them)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent


def lexicon_path(name: str) -> Path:
    """Return the path of a lexicon file shipped with the package."""
    return LEXICON_DIR / name


@cache
def word_set(name: str) -> frozenset[str]:
    """Return the non-comment lines of a one-word-per-line lexicon, lower-cased."""
    out = set()
    with open(lexicon_path(name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.add(line.lower())
    return frozenset(out)


@cache
def frequencies() -> dict[str, float]:
    """Return lemma -> ipm of the RNC frequency list (freq_rnc2011.tsv), loaded once."""
    out: dict[str, float] = {}
    with open(lexicon_path("freq_rnc2011.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            lemma, _, ipm = line.rstrip("\n").partition("\t")
            if ipm:
                out[lemma] = float(ipm)
    return out
