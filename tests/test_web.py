"""Web pages (draft checker, region upload) and POST /v1/pages/report, bad input included."""

from __future__ import annotations

import csv
import io
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


OTHER = {"id": "club202", "name": "Администрация Лесного округа", "type": "municipality",
         "category": "флагманский", "subscribers": 12000}


def _upload() -> list[dict]:
    """Four posts of the МФЦ and two of the administration, as the upload carries them."""
    mfc = [{**p, "page": PAGE} for p in _posts(4)]
    adm = [{**p, "id": f"a{i}", "text": TEXTS[1 - i], "page": OTHER} for i, p in enumerate(_posts(2))]
    return mfc + adm


def _jsonl() -> bytes:
    lines = [json.dumps(p, ensure_ascii=False) for p in _upload()]
    return "\n".join([*lines[:3], "{битая строка", *lines[3:]]).encode()


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    """The figures the upload must give each page: name, posts and the means of the scores
    of its posts (scored here, in-process)."""
    from statistics import fmean

    from service.scoring import Scorer

    scorer, out = Scorer(), {}
    for page in (PAGE, OTHER):
        scored = [scorer.score(p) for p in _upload() if p["page"] is page]
        out[page["id"]] = {"name": page["name"], "posts": len(scored), **{
            a: round(fmean(r["scores"][a] for r in scored), 1) for a in ("readability", "usefulness")}}
    assert {k: v["posts"] for k, v in out.items()} == {"club101": 4, "club202": 2}
    return out


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]


def test_region_report_upload_html(client, expected) -> None:
    r = client.post("/region/report", files={"file": ("posts.jsonl", _jsonl())})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html") and not EXTERNAL.search(r.text)
    assert "Постов<b>6</b>" in r.text and "Строк с ошибками<b>1</b>" in r.text
    table = r.text[r.text.index("<table id='ranking'"):]
    table = table[:table.index("</table>")]
    rows = [_cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table)]  # rows carry filter attributes
    head, body = rows[0], rows[1:]
    assert len(body) == 2
    for pid, want in expected.items():
        row = next(b for b in body if want["name"] in b)
        assert row[head.index("Постов")] == str(want["posts"])
        for axis, label in (("readability", "Читаемость"), ("usefulness", "Польза")):
            assert row[head.index(label)] == f"{want[axis]:.0f}", (pid, axis)


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_region_report_upload_tables(client, expected, output: str) -> None:
    from service.report.tables import PAGE_COLUMNS, POST_COLUMNS

    r = client.post("/region/report", files={"file": ("posts.jsonl", _jsonl())},
                    data={"output": output})
    assert r.status_code == 200, r.text
    assert f'filename="region_report.{output}"' in r.headers["content-disposition"]
    if output == "csv":
        assert r.headers["content-type"].startswith("text/csv")
        assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM lets Excel read UTF-8
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        got = {row["page_id"]: {"name": row["name"], "posts": int(row["posts"]),
                                "readability": float(row["readability"]),
                                "usefulness": float(row["usefulness"])} for row in rows}
    else:
        import openpyxl

        assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
        wb = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
        sheet = list(wb["Страницы"].iter_rows(values_only=True))
        col = {key: sheet[0].index(label) for key, label in PAGE_COLUMNS}
        got = {row[col["page_id"]]: {k: row[col[k]] for k in ("name", "posts", "readability",
                                                               "usefulness")} for row in sheet[1:]}
        posts = list(wb["Посты"].iter_rows(values_only=True))
        pid = posts[0].index(dict(POST_COLUMNS)["id"])
        ids = [p["id"] for p in _upload()]
        assert [row[pid] for row in posts[1:]] == [*ids[:3], None, *ids[3:]]  # in file order
    assert got == expected


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
