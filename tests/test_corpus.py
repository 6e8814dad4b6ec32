"""Every real Telegram post of the shared corpus scores without an error."""

from __future__ import annotations

import csv
from multiprocessing import get_context
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = SHARED / "corpora" / "tg_news_posts.csv"

pytestmark = pytest.mark.shared


def _score_chunk(texts: list[str]) -> list[tuple[str, dict]]:
    from service.scoring import Scorer

    scorer = Scorer()
    out = []
    for t in texts:
        r = scorer.score_row({"text": t, "platform": "telegram"})
        if "error" in r or r["scores"]["readability"] is None:
            out.append((t[:80], r.get("error", {})))
    return out


@pytest.mark.skipif(not CORPUS.exists(), reason=f"{CORPUS} is absent (../shared/data not here)")
def test_all_telegram_posts_score_without_error() -> None:
    csv.field_size_limit(10**7)
    with open(CORPUS, encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    assert len(texts) == 22_099
    chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
    with get_context("fork").Pool(2) as pool:
        failures = [x for part in pool.map(_score_chunk, chunks) for x in part]
    assert failures == [], failures[:5]
