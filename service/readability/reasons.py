"""Plain-Russian reasons for a readability score: what pushes it down (or keeps it up)."""

from __future__ import annotations

from typing import Any

from service.ru import plural_form

PUSH_TO_TELL = 0.15  # logit units above a typical plain post worth naming
# what each feature is about, for a person: features of one kind make one reason
KIND = {
    "log_words_per_sentence": "sentences", "log_letters_per_sentence": "sentences",
    "log_syllables_per_sentence": "sentences", "clauses_per_sentence": "sentences",
    "log_weighted_sentence_length": "sentences", "log_long_sentence_length": "sentences",
    "log_long_words_per_sentence": "long_words", "letters_per_word": "long_words",
    "syllables_per_word": "long_words", "long_words_share": "long_words",
    "very_long_words_share": "long_words", "hard_words_share": "hard_words",
    "long_word_rarity": "hard_words", "latin_words_share": "latin",
    "log_kantselyarit_per_100": "kantselyarit", "kantselyarit_per_sentence": "kantselyarit",
    "log_abbreviations_per_100": "abbreviations", "log_nominal_chains_per_100": "nouns",
    "log_verbal_nouns_per_100": "nouns", "nouns_share": "nouns", "nouns_per_verb": "nouns",
    "log_nouns_per_verb": "nouns", "adjectives_share": "adjectives",
    "log_adjectives_per_sentence": "adjectives", "log_passives_per_100": "participles",
    "log_participles_per_100": "participles", "log_gerunds_per_100": "gerunds",
    "wall_share": "wall",
}
# a reason is named only when the text really has it (a count at least this high)
KIND_FLOORS: dict[str, tuple[str, float]] = {
    "sentences": ("words_per_sentence", 15.0), "long_words": ("long_words_share", 0.22),
    "hard_words": ("hard_words", 2), "adjectives": ("adjectives_share", 0.2),
    "latin": ("latin_words", 3),
    "kantselyarit": ("kantselyarit", 1), "abbreviations": ("abbreviations", 1),
    "nouns": ("verbal_nouns", 3), "participles": ("participles", 2),
    "gerunds": ("gerunds", 2), "wall": ("wall_words", 1),
}


def _words(n: int) -> str:
    """Return «n слово/слова/слов»."""
    return f"{n} {plural_form(n, 'слово', 'слова', 'слов')}"


class _Ints:
    """The counts as integers, each converted when read."""

    __slots__ = ("c",)

    def __init__(self, c: dict[str, float]) -> None:
        self.c = c

    def __getitem__(self, key: str) -> int:
        return int(self.c[key])


def _reason(kind: str, c: dict[str, float], wps: float, det: dict[str, Any]) -> str:
    """Return a short Russian phrase about what a kind of feature contributes."""
    n = _Ints(c)
    if kind == "sentences":
        return f"длинные предложения: в среднем {_words(round(wps))}"
    if kind == "long_words":
        return f"много длинных слов: {n['long_words']} из {n['words']}"
    if kind == "hard_words":
        return "много редких слов: " + ", ".join(f"«{w}»" for w in det["rare_words"])
    if kind == "adjectives":
        return f"много прилагательных: {n['adjectives']} из {_words(n['words'])}"
    if kind == "latin":
        return f"слова латиницей: {n['latin_words']}"
    if kind == "kantselyarit":
        k = n["kantselyarit"]
        return f"канцелярит: {k} {plural_form(k, 'оборот', 'оборота', 'оборотов')}"
    if kind == "abbreviations":
        return "непонятные сокращения: " + ", ".join(det["abbreviations"])
    if kind == "nouns":
        if det["chain"]:
            return f"цепочки существительных: «{det['chain']}»"
        return f"много отглагольных существительных: {n['verbal_nouns']}"
    if kind == "participles":
        return f"причастия и страдательный залог: {n['participles']}"
    if kind == "gerunds":
        return f"деепричастные обороты: {n['gerunds']}"
    return f"сплошной текст без абзацев: {_words(n['words'])}"


def reasons(
    c: dict[str, float], det: dict[str, Any], score: float,
    pushes: dict[str, float], wps: float,
) -> list[str]:
    """Return 1–3 short Russian phrases on what makes the text hard (or easy).

    `pushes` holds each feature's weight × (value − its value in a typical plain post); the
    features of one kind (sentence length, long words …) add up to one push.
    """
    by_kind: dict[str, float] = {}
    for name, push in pushes.items():
        kind = KIND.get(name, name)
        by_kind[kind] = by_kind.get(kind, 0.0) + push
    out: list[str] = []
    for kind, push in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        if push < PUSH_TO_TELL or len(out) == 3:
            break
        key, least = KIND_FLOORS.get(kind, ("words", 0))
        if key == "words_per_sentence":
            have = wps
        elif key in ("long_words_share", "adjectives_share"):
            have = c.get(key.removesuffix("_share"), 0.0) / max(1.0, c.get("words", 0.0))
        else:
            have = c.get(key, 0.0)
        if have < least:
            continue  # higher than in a plain post, yet not worth telling
        if kind == "hard_words" and not det["rare_words"]:
            continue
        if kind == "abbreviations" and not det["abbreviations"]:
            continue
        phrase = _reason(kind, c, wps, det)
        if phrase not in out:
            out.append(phrase)
    if not out and score >= 60:
        out.append(f"короткие предложения (в среднем {_words(round(wps))}) и простые слова")
    return out
