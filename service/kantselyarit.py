"""Officialese (канцелярит) finder: lexicon phrases matched on lemmas, with their spans."""

from __future__ import annotations

from dataclasses import dataclass

from service.nlp.document import Doc

# Provisional seed; replaced by the lexicon in service/lexicons/kantselyarit.tsv.
SEED: list[tuple[tuple[str, ...], str]] = [
    (("в", "рамка"), "уберите или скажите проще: «на», «во время»"),
    (("в", "цель"), "«чтобы», «для»"),
    (("осуществляться",), "назовите действие глаголом: «принимаем», «проводим»"),
    (("данный",), "«этот»"),
    (("в", "настоящий", "время"), "«сейчас»"),
    (("в", "соответствие", "с"), "«по»"),
]


@dataclass(slots=True)
class Hit:
    """One officialese phrase found in the text."""

    start: int
    end: int
    fragment: str
    suggestion: str
    pattern: str
    kind: str = "phrase"  # phrase | structure


def find_kantselyarit(doc: Doc) -> list[Hit]:
    """Return the officialese phrases of `doc`, in text order."""
    words = doc.words
    lemmas = [w.lemma for w in words]
    hits: list[Hit] = []
    for i in range(len(words)):
        for pat, sugg in SEED:
            n = len(pat)
            if tuple(lemmas[i : i + n]) == pat:
                s, e = words[i].start, words[i + n - 1].end
                hits.append(Hit(s, e, doc.text[s:e], sugg, " ".join(pat)))
    return hits
