"""Classic readability formulas adapted for Russian, over our raw counts (baselines to beat).

All take the same counts (words, sentences, syllables, letters of our pipeline) and return a
difficulty where higher is harder, except Flesch reading ease (higher is easier).

- Flesch reading ease, Оборнева's adaptation (И. В. Оборнева, «Автоматизированная оценка
  сложности учебных текстов на основе статистических параметров», 2006):
  206.835 − 1.3·ASL − 60.1·ASW.
- Flesch–Kincaid grade, same adaptation: 0.5·ASL + 8.4·ASW − 15.59; and the coefficients of
  the Plain Russian Language project (И. Бегтин, 2014, used by ruTS): 0.318·ASL + 14.2·ASW − 30.5.
- SMOG for Russian (plainrussian / ruTS): 1.1·√(64.6·P/S) + 0.05, P = words of 4+ syllables
  (`min_syllables=5` gives the threshold plainrussian fitted the coefficients for).
- LIX (Björnsson): ASL + 100·(words of 7+ letters)/words.
- ARI for Russian (plainrussian / ruTS): 6.26·L/W + 0.2805·ASL − 31.04.
- Coleman–Liau for Russian (plainrussian / ruTS): 0.055·(100·L/W) − 0.35·(100·S/W) − 20.33.

ASL = words / sentences, ASW = syllables / words (syllables = vowel letters), L = letters.
"""

from __future__ import annotations

import math


def _asl_asw(c: dict[str, float]) -> tuple[float, float]:
    """Return (average sentence length in words, average syllables per word)."""
    words = max(1.0, c["words"])
    return words / max(1.0, c["sentences"]), c["syllables"] / words


def flesch_oborneva(c: dict[str, float]) -> float:
    """Return Flesch reading ease for Russian (Оборнева): higher is easier."""
    asl, asw = _asl_asw(c)
    return 206.835 - 1.3 * asl - 60.1 * asw


def flesch_kincaid_ru(c: dict[str, float]) -> float:
    """Return the Flesch–Kincaid grade for Russian (Оборнева): higher is harder."""
    asl, asw = _asl_asw(c)
    return 0.5 * asl + 8.4 * asw - 15.59


def flesch_kincaid_plainrussian(c: dict[str, float]) -> float:
    """Return the Flesch–Kincaid grade with plainrussian's (ruTS) coefficients."""
    asl, asw = _asl_asw(c)
    return 0.318 * asl + 14.2 * asw - 30.5


def smog_ru(c: dict[str, float], min_syllables: int = 4) -> float:
    """Return SMOG for Russian (plainrussian coefficients): higher is harder."""
    poly = c["long_words"] if min_syllables == 4 else c["very_long_words"]
    return 1.1 * math.sqrt(64.6 * poly / max(1.0, c["sentences"])) + 0.05


def lix(c: dict[str, float]) -> float:
    """Return LIX: words per sentence plus the percentage of words over six letters."""
    asl, _ = _asl_asw(c)
    return asl + 100.0 * c.get("lix_long_words", 0.0) / max(1.0, c["words"])


def ari_ru(c: dict[str, float]) -> float:
    """Return the Automated Readability Index with plainrussian's coefficients."""
    asl, _ = _asl_asw(c)
    return 6.26 * c.get("letters", 0.0) / max(1.0, c["words"]) + 0.2805 * asl - 31.04


def coleman_liau_ru(c: dict[str, float]) -> float:
    """Return the Coleman–Liau index with plainrussian's coefficients."""
    w = max(1.0, c["words"])
    return (0.055 * 100.0 * c.get("letters", 0.0) / w
            - 0.35 * 100.0 * max(1.0, c["sentences"]) / w - 20.33)


# every formula as a difficulty (higher is harder), by the name shown in tables
FORMULAS = {
    "Flesch–Оборнева": lambda c: -flesch_oborneva(c),
    "Flesch–Kincaid ru (Оборнева)": flesch_kincaid_ru,
    "Flesch–Kincaid ru (plainrussian)": flesch_kincaid_plainrussian,
    "SMOG ru": smog_ru,
    "LIX": lix,
    "ARI ru": ari_ru,
    "Coleman–Liau ru": coleman_liau_ru,
}
