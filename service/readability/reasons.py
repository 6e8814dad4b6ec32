"""Plain-Russian reasons for a readability score: what pushes it down (or keeps it up)."""

from __future__ import annotations

from typing import Any

from service.ru import plural_form

PUSH_TO_TELL = 0.15  # logit units above a typical plain post worth naming
REASON_FLOORS = {  # a feature is named as a reason only from these values on
    "words_per_sentence": 18.0, "syllables_per_word": 2.6, "long_words_share": 0.25,
    "rare_words_share": 0.04, "wall_share": 0.1,
}
REASON_MIN_COUNTS = {
    "passives_per_100": ("participles", 2), "participles_per_100": ("participles", 2),
    "gerunds_per_100": ("gerunds", 2), "verbal_nouns_share": ("verbal_nouns", 3),
}


def _words(n: int) -> str:
    """Return «n слово/слова/слов»."""
    return f"{n} {plural_form(n, 'слово', 'слова', 'слов')}"


def _reason(name: str, c: dict[str, float], value: float, det: dict[str, Any]) -> str:
    """Return a short Russian phrase about what feature `name` contributes."""
    n = {k: int(v) for k, v in c.items()}
    if name == "words_per_sentence":
        return f"длинные предложения: в среднем {_words(round(value))}"
    if name in ("syllables_per_word", "long_words_share"):
        return f"много длинных слов: {n['long_words']} из {n['words']}"
    if name == "rare_words_share":
        return "много редких слов: " + ", ".join(f"«{w}»" for w in det["rare_words"])
    if name == "kantselyarit_per_100":
        k = n["kantselyarit"]
        return f"канцелярит: {k} {plural_form(k, 'оборот', 'оборота', 'оборотов')}"
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
    return f"сплошной текст без абзацев: {_words(n['words'])}"


def reasons(
    c: dict[str, float], det: dict[str, Any], score: float,
    pushes: dict[str, float], values: dict[str, float],
) -> list[str]:
    """Return 1–3 short Russian phrases on what makes the text hard (or easy).

    `pushes` holds each feature's weight × (value − its value in a typical plain post).
    """
    out: list[str] = []
    for name, push in sorted(pushes.items(), key=lambda kv: -kv[1]):
        if push < PUSH_TO_TELL or len(out) == 3:
            break
        if values[name] < REASON_FLOORS.get(name, 0.0):
            continue  # higher than in a plain post, yet not worth telling
        key, least = REASON_MIN_COUNTS.get(name, ("words", 0))
        if c.get(key, 0.0) < least:
            continue  # one participle is no pattern
        if name == "rare_words_share" and not det["rare_words"]:
            continue
        if name == "abbreviations_per_100" and not det["abbreviations"]:
            continue
        phrase = _reason(name, c, values[name], det)
        if phrase not in out:
            out.append(phrase)
    if not out and score >= 60:
        n = round(values["words_per_sentence"])
        out.append(f"короткие предложения (в среднем {_words(n)}) и простые слова")
    return out
