"""Classic readability formulas adapted for Russian, over our raw counts (baselines to beat).

- Flesch reading ease, Оборнева's adaptation (И. В. Оборнева, «Автоматизированная оценка
  сложности учебных текстов на основе статистических параметров», 2006):
  206.835 − 1.3·ASL − 60.1·ASW (higher is easier).
- Flesch–Kincaid grade, same adaptation: 0.5·ASL + 8.4·ASW − 15.59 (a school grade).
- SMOG for Russian, coefficients of the Plain Russian Language project (И. Бегтин, 2014,
  github.com/infoculture/plainrussian, also used by ruTS): 1.1·√(64.6·P/S) + 0.05, where P is
  the number of polysyllables. We count a polysyllable as ≥ 4 syllables (more than three, as
  in Мацковский's formula); plainrussian itself fitted the coefficients for ≥ 5, which
  `smog_ru(..., min_syllables=5)` reproduces.

ASL = words / sentences, ASW = syllables / words (syllables = vowel letters).
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


def smog_ru(c: dict[str, float], min_syllables: int = 4) -> float:
    """Return SMOG for Russian (plainrussian coefficients): higher is harder."""
    poly = c["long_words"] if min_syllables == 4 else c["very_long_words"]
    return 1.1 * math.sqrt(64.6 * poly / max(1.0, c["sentences"])) + 0.05
