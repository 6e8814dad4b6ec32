"""The scorer shares the analysis of a text between posts (reposts): it must never leak
one post's page, platform or attachments into another's scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.scoring import Scorer
from service.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
VARIANTS = [
    {"page": {"id": "a", "type": "school"}, "platform": "vk", "attachments": ["photo"]},
    {"page": {"id": "b", "type": "municipality"}, "platform": "telegram", "attachments": []},
    {"page": {"id": "c", "type": "mfc"}, "platform": "ok", "attachments": ["video", "link"]},
    {"page": {"id": "d", "type": "hospital"}, "platform": "vk", "attachments": ["photo"],
     "metrics": {"views": 900, "likes": 3, "reposts": 0, "comments": 0}},
]


MORE = [
    "Внимание! 14 ноября с 9:00 до 17:00 не будет холодной воды по адресам: ул. Ленина, 5–17, "
    "ул. Садовая, 2. Аварийная служба водоканала: 8 (84234) 2-11-05.",
    "Глава района Иванов И.И. провёл рабочее совещание по вопросам реализации мероприятий "
    "национального проекта. В заседании приняли участие руководители структурных подразделений.",
    "Дорогие учителя! Поздравляем вас с профессиональным праздником! Желаем здоровья, терпения "
    "и благодарных учеников!",
    "Ученица 5 «А» класса Петрова Мария, 12.03.2013 г. р., заняла первое место в олимпиаде. "
    "Отчёт о работе МБУ ДО ЦДТ за квартал — на сайте.",
]


def _posts() -> list[dict]:
    out = []
    for line in (FIXTURES / "posts.jsonl").read_text().splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # the fixture also holds broken rows for the reader tests
        if isinstance(row, dict) and row.get("text"):
            row.pop("metrics", None)  # one fixture row has broken metrics; VARIANTS bring some
            out.append(row)
    return out + [{"id": f"m-{i}", "text": t} for i, t in enumerate(MORE)]


def _drop_version(out: dict) -> dict:
    return {k: v for k, v in out.items() if k != "version"}


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(Settings(), text_cache=100)


def test_repost_scores_equal_a_fresh_analysis(scorer: Scorer) -> None:
    posts = _posts()
    assert len(posts) >= 8
    for post in posts:
        for variant in VARIANTS:
            repost = {**post, **variant, "id": f"{post['id']}-{variant['page']['id']}"}
            shared = scorer.score(repost)  # the text is cached from an earlier variant
            scorer._docs.clear()
            fresh = scorer.score(repost)
            assert _drop_version(shared) == _drop_version(fresh), repost["id"]


def test_page_type_still_changes_the_verdicts(scorer: Scorer) -> None:
    text = ("Уважаемые жители! Приглашаем на встречу с главой района. Приходите, задайте "
            "свои вопросы о ремонте дорог и вывозе мусора.")
    a = scorer.score({"text": text, "page": {"id": "x", "type": "school"}})
    b = scorer.score({"text": text, "page": {"id": "y", "type": "municipality"}})
    assert scorer.analyse(text) is scorer.analyse(text)  # one analysis for both posts
    assert a["usefulness"]["score"] != b["usefulness"]["score"]  # page type is a model feature


def test_cache_is_bounded(scorer: Scorer) -> None:
    for i in range(150):
        scorer.analyse(f"Пост номер {i}: приём граждан во вторник.")
    assert len(scorer._docs) == 100


def test_api_keeps_fewer_texts_than_batch_processes() -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings = Settings(draft_text_cache=3)
    with TestClient(create_app(settings)) as client:
        for i in range(6):
            r = client.post("/v1/posts/score", json={"text": f"Черновик {i}: приём по вторникам."})
            assert r.status_code == 200
        assert len(client.app.state.scorer._docs) == 3  # type: ignore[attr-defined]
    assert Scorer(settings).text_cache == settings.text_cache > settings.draft_text_cache
