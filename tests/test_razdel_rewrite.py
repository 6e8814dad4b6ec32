"""The pipeline's own sentence splitter (`service.nlp.pipeline._razdel_spans`, written for
speed) must cut exactly where razdel.sentenize does: on real posts, on every line of them, and
on made-up strings dense with what razdel's rules decide on (abbreviations, initials, list
numbers, quotes, brackets, smileys, dashes, lower-case continuations)."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from razdel import sentenize

from service.nlp import pipeline
from service.nlp.pipeline import _razdel_spans

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _razdel(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in sentenize(text)]


def _real_texts() -> list[str]:
    with gzip.open(HERE / "fixtures" / "reference_posts.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    with open(REPO / "training" / "data" / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        rows += [json.loads(line) for line in f if line.strip()]
    # the reference sample holds bad rows too (no text, a number for a text): not texts
    return [r["text"] for r in rows if isinstance(r, dict) and isinstance(r.get("text"), str)]


PIECES = [
    "Т. е.", "т.е.", "и т. д.", "и т.п.", "г.", "гг.", "ул. Ленина", "д. 5", "кв. 12", "им.",
    "А. С. Пушкин", "Иванов И.И.", "И. И. Иванов", "руб.", "тыс.", "млн.", "№ 12", "5-х",
    "1.", "2)", "а)", "—", "–", "-", "«", "»", "\"", "(", ")", "[", "]", ":)", ";-)", "=(", ":",
    ";", "...", "…", "!", "?", "?!", "!!!", ".", ",", "ст.", "п. 3", "см.", "др.", "проф.",
    "Москва", "школа", "приходите", "Он", "она", "Мы", "ждём", "в", "на", "2026", "10.12.2026",
    "15:00", "www.mos.ru", "e-mail", "ООО", "МФЦ", "😊", "🎉", "\n", " ", "  ", "Х", "x",
]


def _made_up(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rnd.choice(PIECES) for _ in range(rnd.randint(2, 18))]
        out.append("".join(p + rnd.choice(("", " ", " ", " ", "  ")) for p in parts))
    return out


def test_the_rewrite_is_in_use_with_the_razdel_it_was_written_for() -> None:
    """Otherwise the tests below would compare razdel with itself (the fallback)."""
    from importlib import metadata

    if metadata.version("razdel") != "0.5.0":
        pytest.skip(f"razdel {metadata.version('razdel')}: the pipeline calls razdel itself")
    assert pipeline._RAZDEL_EXACT


def test_same_cuts_as_razdel_on_real_posts_and_their_lines() -> None:
    texts = _real_texts()
    assert len(texts) > 1000
    checked = 0
    for text in texts:
        for unit in [text, *text.splitlines()]:
            if unit.strip():
                assert _razdel_spans(unit) == _razdel(unit), unit
                checked += 1
    assert checked > 5000


def test_same_cuts_as_razdel_on_strings_made_of_its_hard_cases() -> None:
    for text in _made_up(20_000, seed=17):
        if text.strip():
            assert _razdel_spans(text) == _razdel(text), repr(text)
