"""`gospablik report` scores its posts in chunks (Scorer.score_chunk): the same rows, in the
same order, as scoring them one by one, a bad row reported in its place."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from service.report import collect
from service.report.collect import join, score_posts
from service.scoring import Scorer

POSTS = Path(__file__).parent / "fixtures" / "reference_posts.jsonl.gz"


def _posts(n: int) -> list[dict]:
    with gzip.open(POSTS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line, _ in zip(f, range(n), strict=False)]


def test_chunks_score_as_rows_one_by_one(monkeypatch):
    posts = _posts(60)
    posts.insert(7, {"id": "bad", "text": "", "platform": "vk"})  # refused: an empty text
    posts[20] = {**posts[20], "page": {"id": "page-1", "name": "Администрация Ромашкино"}}
    monkeypatch.setattr(collect, "CHUNK", 25)  # several chunks, one of them short
    scorer = Scorer()
    got = score_posts(posts, jobs=1, scorer=scorer)
    want = [join(p, Scorer().score_row(p, n)) for n, p in enumerate(posts, 1)]
    assert len(got) == len(posts) == 61
    assert got == want
    assert got[7]["error"]["field"] == "text" and got[7]["line"] == 8
    assert got[8]["id"] == posts[8]["id"] and "scores" in got[8]
    assert got[20]["page"]["name"] == "Администрация Ромашкино"


def test_a_broken_scorer_is_not_a_bad_row(monkeypatch):
    scorer = Scorer()

    def broken(*_a, **_k):
        raise RuntimeError("модель не загрузилась")

    monkeypatch.setattr(scorer, "score_post", broken)
    posts = _posts(3)
    try:
        score_posts(posts, jobs=1, scorer=scorer)
    except RuntimeError as exc:
        assert "модель" in str(exc)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a scorer that breaks must stop the report, not skip its posts")


def test_a_chunk_holds_the_garbage_collector_back_and_gives_it_back(monkeypatch):
    """score_chunk runs without cyclic collections (they rescanned the grown caches) and turns
    the collector on again afterwards, also when the models broke mid-chunk; a collector that
    was off stays off."""
    import gc

    from service import scoring

    seen: list[bool] = []
    real = scoring.predict_chunk

    def spy(posts, docs):
        seen.append(gc.isenabled())
        return real(posts, docs)

    monkeypatch.setattr(scoring, "predict_chunk", spy)
    scorer = Scorer()
    assert gc.isenabled()
    out = scorer.score_chunk(_posts(5))
    assert seen == [False] and gc.isenabled() and all("scores" in r for r in out)

    def broken(rows, lines):
        raise RuntimeError("models broke")

    monkeypatch.setattr(scorer, "_score_chunk", broken)
    with pytest.raises(RuntimeError):
        scorer.score_chunk(_posts(2))
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(scoring, "predict_chunk", spy)
        Scorer().score_chunk(_posts(2))
        assert not gc.isenabled()
    finally:
        gc.enable()
