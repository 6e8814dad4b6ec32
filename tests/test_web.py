"""Web pages (draft checker, region upload) and POST /v1/pages/report, bad input included."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app

PAGE = {"id": "club101", "name": "МФЦ «Мои документы» Заречинска", "type": "mfc",
        "category": "активный", "subscribers": 5400}
TEXTS = [
    "Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на улице Ленина, дома 1–25. "
    "Водовоз приедет к дому 12 в 11:00. Вопросы — по телефону 8 (800) 000-00-00.",
    "В рамках реализации мероприятий по обеспечению доступности государственных услуг "
    "осуществляется приём заявлений на оформление документов.",
    "Приглашаем на день открытых дверей! В субботу, 16 марта, с 10:00 до 14:00 на улице Мира, 5 "
    "расскажем, как оформить выплаты на детей. Запись: mfc.example.ru.",
]


def _posts(n: int = 6) -> list[dict]:
    return [{"id": f"p{i}", "platform": "vk", "text": TEXTS[i % 3],
             "published_at": f"2025-03-{10 + 2 * i:02d}T10:00:00+03:00",
             "metrics": {"views": 800 + 100 * i, "likes": 20 + i, "reposts": 2, "comments": 1}}
            for i in range(n)]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|<link\b|@import""")


@pytest.mark.parametrize(("path", "must"), [
    ("/", ["<textarea", "/v1/posts/score", "<select id=\"platform\"", "Проверка поста",
           "<select id=\"page_type\"", "<option value=\"mfc\">МФЦ</option>", "id=\"photo\""]),
    ("/region", ["type=\"file\"", "/v1/batches", "/region/report", "Отчёт по региону"]),
])
def test_pages_are_plain_html_without_cdn(client, path: str, must: list[str]) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for s in must:
        assert s in r.text
    assert not EXTERNAL.search(r.text), "no external scripts, styles or fonts"


def test_page_report_json(client) -> None:
    r = client.post("/v1/pages/report", json={"page": PAGE, "posts": _posts()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["page"]["name"] == PAGE["name"] and body["posts"] == 6
    assert set(body["scores"]) == {"readability", "usefulness", "engagement", "activity",
                                   "overall"}
    assert body["scores"]["activity"] is not None and body["scores"]["engagement"] is not None
    assert [w["week"] for w in body["weeks"]] == ["2025-W11", "2025-W12"]
    assert body["best_posts"] and body["worst_posts"] and body["next_week"]
    assert len(body["problems"]) <= 3


def test_page_report_html(client) -> None:
    r = client.post("/v1/pages/report?format=html", json={"page": PAGE, "posts": _posts(3)})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "МФЦ «Мои документы» Заречинска" in r.text and not EXTERNAL.search(r.text)


@pytest.mark.parametrize(("payload", "field"), [
    ([{"text": "Привет"}], "body"),
    ({"page": PAGE}, "posts"),
    ({"page": PAGE, "posts": "пост"}, "posts"),
    ({"page": PAGE, "posts": []}, "posts"),
    ({"page": "МФЦ", "posts": _posts(1)}, "page"),
    ({"page": {**PAGE, "subscribers": -3}, "posts": _posts(1)}, "page.subscribers"),
    ({"page": PAGE, "posts": [_posts(1)[0], {"id": "x"}]}, "posts.1.text"),
    ({"page": PAGE, "posts": [{"text": "Запись открыта", "published_at": "вчера"}]},
     "posts.0.published_at"),
    ({"page": PAGE, "posts": [{"text": "Запись", "metrics": {"views": -1}}]},
     "posts.0.metrics.views"),
    ({"page": PAGE, "posts": ["просто строка"]}, "posts.0"),
])
def test_page_report_bad_input_names_the_field(client, payload, field: str) -> None:
    r = client.post("/v1/pages/report", json=payload)
    assert 400 <= r.status_code < 500
    err = r.json()["error"]
    assert err["field"] == field and re.search("[а-яё]", err["message"])


def test_page_report_bad_json_and_format(client) -> None:
    r = client.post("/v1/pages/report", content=b"{posts: [", headers={
        "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "body"
    r = client.post("/v1/pages/report?format=pdf", json={"page": PAGE, "posts": _posts(1)})
    assert r.status_code == 422 and r.json()["error"]["field"].endswith("format")


def _jsonl() -> bytes:
    return "\n".join(json.dumps({**p, "page": PAGE}, ensure_ascii=False)
                     for p in _posts(4)).encode()


@pytest.mark.parametrize(("output", "ctype", "start"), [
    (None, "text/html", b"<!doctype html>"),
    ("csv", "text/csv", "\ufeffrank".encode()),
    ("xlsx", "application/vnd.openxmlformats", b"PK"),
])
def test_region_report_upload(client, output, ctype: str, start: bytes) -> None:
    data = {"output": output} if output else {}
    r = client.post("/region/report", files={"file": ("posts.jsonl", _jsonl())}, data=data)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype) and r.content.startswith(start)


@pytest.mark.parametrize(("files", "field"), [
    ({"file": ("posts.jsonl", b"   ")}, "file"),
    ({"pages": ("pages.csv", b"page_id\n1\n")}, "file"),
])
def test_region_report_upload_errors(client, files, field: str) -> None:
    r = client.post("/region/report", files=files)
    assert r.status_code == 422 and r.json()["error"]["field"] == field


def test_draft_page_offers_exactly_the_page_types_the_models_know(client) -> None:
    import re

    from service.models.features import PAGE_TYPES

    html = client.get("/").text
    select = html[html.index('<select id="page_type"'):]
    select = select[:select.index("</select>")]
    assert set(re.findall(r'<option value="(\w+)">', select)) == set(PAGE_TYPES)
