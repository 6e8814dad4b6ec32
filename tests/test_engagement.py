"""Engagement: ER by views and subscribers, shrinkage for small numbers, peers, reach drop,
the expected engagement of a draft, and training the expected-engagement model."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from service.engagement import engagement_by_page, engagement_scores, score_single
from service.engagement.expected import content_features, expected, expected_prior
from service.engagement.prior import load_prior
from service.errors import ModelError
from service.schemas import parse_post
from service.stages.engagement_stage import engagement_stage


def post(pid: str, views: int | None, likes: int, comments: int = 0, reposts: int = 0,
         subscribers: int | None = None, ptype: str = "school", when: str | None = None,
         text: str = "Текст поста") -> dict:
    page = {"id": pid, "type": ptype}
    if subscribers:
        page["subscribers"] = subscribers
    d = {"id": f"{pid}-{views}-{likes}", "text": text, "page": page,
         "metrics": {"views": views, "likes": likes, "comments": comments, "reposts": reposts}}
    if when:
        d["published_at"] = when
    return d


@pytest.mark.parametrize("subscribers", [None, 1000, 20000])
def test_shrinkage_twelve_views_do_not_outrank_five_thousand(subscribers: int | None) -> None:
    tiny = post("tiny", 12, 3, subscribers=subscribers)
    solid = post("solid", 5000, 300, subscribers=subscribers)
    s_tiny, s_solid = (r["score"] for r in engagement_scores([tiny, solid]))
    assert s_solid > s_tiny
    assert score_single(solid)["score"] > score_single(tiny)["score"]


def test_tiny_page_cannot_top_the_region_on_page_level() -> None:
    region = [post("tiny", 12, 3, when=f"2025-03-{d:02d}T10:00:00+03:00") for d in (10, 11, 12)]
    region += [post("solid", 4000 + 50 * d, 240, 20, 10, when=f"2025-03-{d:02d}T10:00:00+03:00")
               for d in (10, 11, 12)]
    pages = engagement_by_page(region)
    assert pages["solid"]["score"] > pages["tiny"]["score"]


def test_rates_of_a_post() -> None:
    r = engagement_scores([post("p", 2000, 50, 6, 4, subscribers=5000)])[0]
    assert r["er_views"] == 3.0 and r["er_subscribers"] == 1.2
    assert (r["likes_rate"], r["comments_rate"], r["reposts_rate"]) == (2.5, 0.3, 0.2)
    assert r["kind"] == "measured" and "ER по просмотрам 3,0 %" in r["reason"]


def test_post_beating_its_page_baseline_scores_higher_than_a_typical_one() -> None:
    page = [post("p", 1000 + 10 * i, 20 + i % 3) for i in range(12)]
    page.append(post("p", 1000, 80))  # four times the usual engagement
    scores = [r["score"] for r in engagement_scores(page)]
    assert scores[-1] > max(scores[:-1]) + 10
    assert engagement_scores(page)[-1]["baseline_page"] == pytest.approx(2.1, abs=0.3)


def test_posts_without_metrics_get_no_score_and_a_reason() -> None:
    r = engagement_scores([{"id": "d", "text": "Черновик"}])[0]
    assert r["score"] is None and "просмотров" in r["reason"]
    assert score_single({"text": "Черновик"}) is None


def test_views_missing_estimated_from_subscribers() -> None:
    r = engagement_scores([post("p", None, 30, subscribers=3000)])[0]
    assert r["score"] is not None and r["er_views"] is None and "оценён" in r["reason"]


def _weekly_page(pid: str, views: list[int], hits: list[int]) -> list[dict]:
    return [post(pid, v, h, when=f"2025-03-{3 + 2 * i:02d}T10:00:00+03:00")
            for i, (v, h) in enumerate(zip(views, hits, strict=True))]


def test_reach_drop_flags_er_that_rose_because_views_fell() -> None:
    cut = _weekly_page("cut", [2000, 2100, 1900, 2000, 700, 600, 650, 700],
                       [60, 62, 58, 61, 40, 38, 41, 39])
    grown = _weekly_page("grown", [2000, 2100, 1900, 2000, 2000, 2100, 1950, 2050],
                         [60, 62, 58, 61, 110, 120, 105, 115])
    pages = engagement_by_page(cut + grown)
    assert pages["cut"]["reach_drop"] is True and "охват" in pages["cut"]["reach_drop_detail"]
    assert pages["grown"]["reach_drop"] is False
    flagged = [r["reach_drop"] for r in engagement_scores(cut)]
    assert all(flagged)


def test_weekly_breakdown_of_a_page() -> None:
    page = _weekly_page("p", [1000] * 6, [30] * 6)
    weekly = engagement_by_page(page)["p"]["weekly"]
    assert [w["week"] for w in weekly] == ["2025-W10", "2025-W11"]
    assert sum(w["posts"] for w in weekly) == 6 and weekly[0]["er_views"] == 3.0


def test_prior_falls_with_audience_size() -> None:
    prior = load_prior()
    assert prior.er_views(100) > prior.er_views(10_000) > prior.er_views(500_000)
    assert prior.reach(100) > prior.reach(10_000)
    assert 0.01 < prior.er_views(1000) < 0.05  # a couple of percent, as VK pages have
    assert prior.audience_from_views(prior.reach(5000) * 5000) == pytest.approx(5000, rel=0.01)


def test_prior_of_wrong_format_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "prior.json"
    f.write_text(json.dumps({"format_version": 99}))
    with pytest.raises(ModelError, match="training.engagement_prior"):
        load_prior(str(f))


# --- drafts: expected engagement -------------------------------------------------------

GOOD_DRAFT = ("Приходите на субботник в субботу, 22 марта, в 10:00 во двор школы № 5! "
              "Перчатки и мешки дадим. Кто с нами? Напишите в комментариях.")
BARE_DRAFT = "Состоялось заседание комиссии."


@pytest.mark.parametrize("text, attachments, when, factor, present", [
    (GOOD_DRAFT, ["photo"], None, "photo", True),
    (GOOD_DRAFT, ["video"], None, "video", True),
    (GOOD_DRAFT, [], None, "question", True),
    (GOOD_DRAFT, [], None, "cta", True),
    (BARE_DRAFT, [], None, "question", False),
    (BARE_DRAFT, [], None, "no_media", True),
    (BARE_DRAFT, [], "2025-03-14T02:30:00+03:00", "night", True),
    (BARE_DRAFT, [], "2025-03-14T18:30:00+03:00", "good_hour", True),
    ("Что такое ЕГЭ? " + "Рассказываем подробно. " * 150, ["photo"], None, "long", True),
])
def test_prior_factors(text: str, attachments: list[str], when: str | None, factor: str,
                       present: bool) -> None:
    got = {f["factor"] for f in expected_prior(content_features(text, attachments, when))
           ["factors"]}
    assert (factor in got) == present


def test_expected_engagement_says_it_is_a_prior() -> None:
    good = expected(GOOD_DRAFT, ["photo"], "2025-03-14T18:00:00+03:00")
    bare = expected(BARE_DRAFT, [], "2025-03-14T02:00:00+03:00")
    assert good["kind"] == "expected" and "априорная" in good["reason"]
    assert good["score"] > 65 > 35 > bare["score"]


def _ctx(data: dict) -> SimpleNamespace:
    return SimpleNamespace(post=parse_post(data, 30_000), extra={})


def test_stage_measures_a_published_post_and_predicts_a_draft() -> None:
    ctx = _ctx({"text": GOOD_DRAFT, "metrics": {"views": 1500, "likes": 40, "comments": 3},
                "page": {"subscribers": 2000}})
    engagement_stage(ctx)  # type: ignore[arg-type]
    assert ctx.extra["engagement"]["kind"] == "measured"
    ctx = _ctx({"text": GOOD_DRAFT, "attachments": ["photo"]})
    engagement_stage(ctx)  # type: ignore[arg-type]
    assert ctx.extra["engagement"]["kind"] == "expected"


# --- training on an export -------------------------------------------------------------

def synthetic_export(path: Path, n: int = 400, seed: int = 3) -> None:
    """Write a JSONL export where photos and questions lift ER and night posts lower it."""
    rng = random.Random(seed)
    texts = [GOOD_DRAFT, BARE_DRAFT, "Итоги недели: отремонтировали крышу спортзала.",
             "Как вам новая площадка? Расскажите!", "График приёма граждан на апрель."]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = rng.choice(texts)
            photo = rng.random() < 0.5
            hour = rng.choice([2, 9, 13, 19])
            lift = 1.0 + 0.8 * photo + 0.6 * ("?" in text) - 0.5 * (hour == 2)
            views = rng.randint(300, 3000)
            likes = max(0, int(views * 0.02 * lift * rng.uniform(0.7, 1.3)))
            f.write(json.dumps({
                "id": str(i), "text": text, "attachments": ["photo"] if photo else [],
                "published_at": f"2025-{1 + i // 120:02d}-{1 + i % 28:02d}T{hour:02d}:00:00+03:00",
                "metrics": {"views": views, "likes": likes, "comments": 0, "reposts": 0},
                "page": {"id": f"p{i % 4}", "subscribers": 2000}}, ensure_ascii=False) + "\n")


def test_train_engagement_on_an_export(tmp_path: Path) -> None:
    from training.engagement import train

    export = tmp_path / "export.jsonl"
    synthetic_export(export)
    args = argparse.Namespace(data=[str(export)], models_dir=str(tmp_path / "models"))
    assert train(args) == 0
    out = tmp_path / "models" / "engagement" / "expected"
    meta = json.loads((out / "meta.json").read_text())
    assert meta["evaluation"]["spearman"] > 0.5  # learns the lift on later posts
    assert "Time-ordered" in (out / "MODEL_CARD.md").read_text()
    good = expected(GOOD_DRAFT, ["photo"], "2025-03-14T19:00:00+03:00", model_dir=str(out))
    bare = expected(BARE_DRAFT, [], "2025-03-14T02:00:00+03:00", model_dir=str(out))
    assert good["model"] == "trained" and good["score"] > bare["score"]


def test_train_refuses_an_export_without_metrics(tmp_path: Path, capsys) -> None:
    from training.engagement import train

    f = tmp_path / "drafts.jsonl"
    f.write_text('{"text": "Черновик без метрик"}\n', encoding="utf-8")
    assert train(argparse.Namespace(data=[str(f)], models_dir=str(tmp_path))) == 2
    assert "просмотрами" in capsys.readouterr().err
