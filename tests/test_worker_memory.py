"""Memory of the batch processes: the report job keeps each repeated string of a region's views
once and gets the memory of the worker's analysed texts; the draft answer stays the same JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from service.jobs import tasks
from service.jobs.report import from_views, load_views
from service.jobs.store import Keys, pack, unpack
from service.jobs.tasks import score_rows
from service.report.build import region_report
from service.report.collect import add_engagement
from service.scoring import Scorer
from service.settings import Settings

POSTS = Path(__file__).parent / "fixtures" / "reference_posts.jsonl.gz"
PAGES = [{"id": f"page-{i}", "name": f"Администрация поселения {i}", "type": "municipality"}
         for i in range(4)]


def _posts(n: int) -> list[dict]:
    with gzip.open(POSTS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line, _ in zip(f, range(n), strict=False)]
    out = []
    for i, row in enumerate(rows):
        page = PAGES[i % len(PAGES)]
        out.append({**row, "id": f"p{i}", "page": {"id": page["id"]},
                    "published_at": f"2025-03-{10 + i % 7:02d}T10:00:00+03:00",
                    "metrics": {"views": 300 + 17 * i, "likes": 5 + i % 9, "reposts": i % 3,
                                "comments": i % 4}})
    # a region-wide repost: the same text on every page, in both chunks
    for k, page in enumerate(PAGES):
        out.append({**out[0], "id": f"repost{k}", "page": {"id": page["id"]}})
    return out


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(Settings(), text_cache=100)


def test_report_views_keep_each_repeated_string_once(redis_conn, scorer) -> None:
    posts = _posts(40)
    half = len(posts) // 2
    rows = [[n, p, None] for n, p in enumerate(posts, 1)]
    chunks = [score_rows(scorer, rows[:half]), score_rows(scorer, rows[half:])]
    keys = Keys("memory-test")
    for k, chunk in enumerate(chunks):
        redis_conn.set(keys.chunk_view(k), pack(chunk.views))
    shared = [v for chunk in load_views(redis_conn, "memory-test", 2) for v in chunk]
    plain = [v for chunk in chunks for v in unpack(pack(chunk.views))]
    for v in plain:  # what the report read before: each string parsed on its own
        v["fix_first"] = v["feedback"][0] if v.get("feedback") else None
    assert shared == plain

    # equal messages of different posts, in different chunks, are one object now
    ids: dict[str, set[int]] = {}
    given: dict[str, int] = {}
    for v in shared:
        for it in v["feedback"]:
            if "message" in it:
                ids.setdefault(it["message"], set()).add(id(it["message"]))
                given[it["message"]] = given.get(it["message"], 0) + 1
    repeated = [m for m, n in given.items() if n > 1]
    assert repeated, "the sample has no message given twice: pick other posts"
    assert all(len(ids[m]) == 1 for m in repeated)
    codes = [it["code"] for v in shared for it in v["feedback"]]
    assert len(codes) > 2 * len(set(codes))
    assert len({id(c) for c in codes}) == len(set(codes))  # one object per code
    reposts = [v for v in shared if v["id"].startswith("repost") or v["id"] == "p0"]
    assert len({id(v["text"]) for v in reposts}) == 1 < len(reposts)
    assert len({id(v["text"]) for v in plain if v["id"].startswith("repost")}) > 1

    # the region report does not change
    assert region_report(add_engagement(shared), PAGES) == \
        region_report(add_engagement(plain), PAGES)


def test_views_of_one_chunk_share_strings_without_a_table(scorer) -> None:
    posts = _posts(12)
    views = from_views(unpack(pack(score_rows(
        scorer, [[n, p, None] for n, p in enumerate(posts, 1)]).views)))
    texts = {id(v["text"]) for v in views if v["id"].startswith("repost") or v["id"] == "p0"}
    assert len(texts) == 1


def test_report_job_frees_the_analysed_texts(redis_conn, monkeypatch) -> None:
    own = Scorer(Settings(), text_cache=100)
    post = _posts(3)[1]
    before = own.score(post)
    assert len(own._docs) == 1
    monkeypatch.setattr(tasks, "_SCORER", own)
    monkeypatch.setattr(tasks, "_connection", lambda: redis_conn)
    out = tasks.build_report("no-such-batch")  # a real Redis without the batch: skipped
    assert "skipped" in out
    assert len(own._docs) == 0
    again = own.score(post)  # analysed afresh: the same result
    assert {k: v for k, v in again.items() if k != "version"} == \
        {k: v for k, v in before.items() if k != "version"}
    assert Settings().text_cache == 2500 > Settings().draft_text_cache


def test_draft_answer_is_compact_utf8_json() -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    text = ("Уважаемые жители! С 1 марта в МФЦ на ул. Ленина, 5 открыта запись на приём к главе "
            "района. Телефон для записи: 8 (800) 555-35-35. Приходите со своими вопросами.")
    with TestClient(create_app(Settings(draft_text_cache=3))) as client:
        r = client.post("/v1/posts/score", json={"text": text, "platform": "vk"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["scores"]["overall"] is not None and "главе" in r.content.decode("utf-8")
    # byte for byte what Starlette's JSONResponse wrote before
    assert r.content == json.dumps(body, ensure_ascii=False, allow_nan=False, indent=None,
                                   separators=(",", ":")).encode("utf-8")
