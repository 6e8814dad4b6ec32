"""HTTP API: scoring one post, health, and clear 4xx answers for every kind of bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app

POST = (
    "Уважаемые жители! В рамках месячника благоустройства осуществляется приём заявок "
    "на вывоз веток. Заявки принимаем до 25 апреля по телефону 8 (800) 000-00-00."
)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_score_post_shape(client) -> None:
    from service.scoring import Scorer

    payload = {"id": 7, "text": POST, "platform": "vk"}
    r = client.post("/v1/posts/score", json=payload)
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "7"
    assert set(body["scores"]) == {"readability", "usefulness", "engagement", "activity", "overall"}
    # the API answers what the scorer answers in-process for the same post
    assert body == json.loads(json.dumps(Scorer().score(payload)))
    # overall is the mean of the axes a draft has (no activity without a page history)
    axes = [v for k, v in body["scores"].items() if k != "overall" and v is not None]
    assert len(axes) == 3 and body["scores"]["activity"] is None
    assert body["scores"]["overall"] == pytest.approx(sum(axes) / len(axes), abs=0.06)
    assert body["activity"]["score"] is None and body["activity"]["reason"]
    assert body["readability"]["grade_level"] > 0
    codes = [i["code"] for i in body["feedback"]]
    assert "kantselyarit" in codes
    for item in body["feedback"]:
        assert set(item) == {"code", "axis", "severity", "message", "start", "end", "fragment",
                             "suggestion", "gain"}
        if item["start"] is not None:
            assert POST[item["start"] : item["end"]] == item["fragment"]
    gains = [i["gain"] for i in body["feedback"] if i["severity"] != "error"]
    assert gains == sorted(gains, reverse=True)


def test_page_and_metrics_reach_the_scorer(client) -> None:
    """What the page, attachments and metrics change in the answer is what the scorer makes of
    them: the API passes every field of the post through."""
    from service.scoring import Scorer

    payload = {"text": POST, "platform": "vk", "page": {"id": "adm", "type": "municipality"},
               "attachments": ["photo"], "published_at": "2025-04-10T10:00:00+03:00",
               "metrics": {"views": 2500, "likes": 80, "reposts": 6, "comments": 4}}
    body = client.post("/v1/posts/score", json=payload).json()
    bare = client.post("/v1/posts/score", json={"text": POST}).json()
    assert body == json.loads(json.dumps(Scorer().score(payload)))
    assert body["engagement"]["kind"] == "measured" and bare["engagement"]["kind"] == "expected"
    assert body["usefulness"]["rubric_confidence"] != bare["usefulness"]["rubric_confidence"]


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"text": ""}, "text", 422),
        ({"text": "   \n\t "}, "text", 422),
        ({"text": "А" * 40_000}, "text", 413),
        ({"text": 42}, "text", 422),
        ({"platform": "vk"}, "text", 422),
        ({"text": "Привет всем", "platform": "facebook"}, "platform", 422),
        ({"text": "This is an English sentence only."}, "text", 422),
        ({"text": "Привет", "published_at": "вчера"}, "published_at", 422),
        ({"text": "Привет", "metrics": {"views": -5}}, "metrics.views", 422),
        ({"text": "Привет", "attachments": "photo"}, None, 200),
        ([{"text": "Привет"}], "body", 422),
    ],
)
def test_bad_input_gets_4xx_naming_the_field(client, payload, field, status) -> None:
    r = client.post("/v1/posts/score", json=payload)
    assert r.status_code == status, r.text
    if status >= 400:
        err = r.json()["error"]
        assert err["field"] == field
        assert err["message"] and any("а" <= ch <= "я" for ch in err["message"].lower())


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b'{"text": "a",}'])
def test_invalid_json(client, raw: bytes) -> None:
    r = client.post("/v1/posts/score", content=raw, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500
    assert r.json()["error"]["field"] == "body"


def test_health_ready_metrics_docs(client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["scorer"] is True
    client.post("/v1/posts/score", json={"text": POST})
    client.post("/v1/posts/score", json={"text": ""})
    text = client.get("/metrics").text
    assert 'gospablik_requests_total{path="/v1/posts/score",status="200"}' in text
    assert 'gospablik_requests_total{path="/v1/posts/score",status="422"}' in text
    spec = client.get("/openapi.json").json()
    assert "/v1/posts/score" in spec["paths"] and "PostIn" in spec["components"]["schemas"]


def test_unknown_route_is_json_404(client) -> None:
    r = client.get("/v1/nothing")
    assert r.status_code == 404 and json.loads(r.text)["error"]["field"] == "path"


def test_blocked_post_cannot_rank_high_and_says_why(client) -> None:
    text = (
        "Поздравляем победителей! Список: Кравцова Алиса Игоревна, 12.05.2014 г.р., "
        "ул. Садовая, д. 3, кв. 7."
    )
    body = client.post("/v1/posts/score", json={"text": text}).json()
    assert body["moderation"]["blocked"] is True and body["moderation"]["reasons"]
    assert body["scores"]["overall"] <= 20
    first = body["feedback"][0]
    assert first["severity"] == "error" and first["code"] == "personal_data"
