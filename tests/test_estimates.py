"""Figures inferred rather than given say so: «(оценка по просмотрам)» for an audience inferred
from views, «(оценка по подписчикам)» for views inferred from subscribers, «(оценка модели)» for
a draft; JSON carries `audience_source`, `views_source`, `estimated` and `estimate_note`."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.cli import main
from service.engagement import analyse, score_single
from service.engagement.expected import expected
from service.jobs.export import csv_lines
from service.readers import read_posts

FIX = Path(__file__).parent / "fixtures"
BY_VIEWS = "(оценка по просмотрам)"
BY_SUBSCRIBERS = "(оценка по подписчикам)"
BY_MODEL = "(оценка модели)"
PAGE_ID = "-218765"


def _export(subscribers: bool, all_views: bool = True) -> dict:
    """Return the VK wall.get fixture, with or without the page's subscriber count.

    `all_views`: the pinned post, which has reactions but no views, gets views too, so that
    with subscribers every number the engagement rests on is given.
    """
    data = json.loads((FIX / "vk_wall_get.json").read_text(encoding="utf-8"))
    if not subscribers:
        for group in data["response"]["groups"]:
            del group["members_count"]
    if all_views:
        for item in data["response"]["items"]:
            if isinstance(item, dict) and "likes" in item and "views" not in item:
                item["views"] = {"count": 420}
    return data


@pytest.fixture()
def no_subs(tmp_path: Path) -> Path:
    path = tmp_path / "wall_no_subscribers.json"
    path.write_text(json.dumps(_export(False), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def with_subs(tmp_path: Path) -> Path:
    path = tmp_path / "wall.json"
    path.write_text(json.dumps(_export(True), ensure_ascii=False), encoding="utf-8")
    return path


def _posts(data: dict) -> list[dict]:
    return [r.data for r in read_posts(json.dumps(data, ensure_ascii=False).encode(), "vk")
            if r.error is None and r.data is not None]


def _first_measured(data: dict) -> dict:
    return next(p for p in _posts(data) if (p.get("metrics") or {}).get("views"))


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


# --- the engagement itself ---------------------------------------------------------------

def test_audience_inferred_from_views_is_marked_where_it_is_said() -> None:
    post = _first_measured(_export(False))
    assert "subscribers" not in post["page"]
    r = score_single(post)
    assert r is not None
    assert f"человек {BY_VIEWS} — " in r["reason"], r["reason"]
    assert (r["audience_source"], r["views_source"]) == ("views", "given")
    assert r["estimated"] is True and r["estimate_note"] == "оценка по просмотрам"
    assert r["audience"] % 100 == 0, "an inferred audience is rounded as it is shown"


def test_given_subscribers_are_not_marked() -> None:
    post = _first_measured(_export(True))
    r = score_single(post)
    assert r is not None
    assert "(оценка" not in r["reason"], r["reason"]
    assert (r["audience"], r["audience_source"], r["views_source"]) == (5400, "subscribers",
                                                                        "given")
    assert r["estimated"] is False and r["estimate_note"] is None


def test_views_inferred_from_subscribers_are_marked() -> None:
    post = {"id": "t1", "text": "Текст", "page": {"id": "p", "subscribers": 3000},
            "metrics": {"likes": 30, "comments": 2}}
    r = score_single(post)
    assert r is not None and r["er_views"] is None
    corrected = r["reason"].split("; ")[1]
    assert corrected.startswith("с поправкой на малые числа") and \
        corrected.endswith(BY_SUBSCRIBERS), r["reason"]
    assert BY_VIEWS not in r["reason"]  # the audience was given
    assert (r["audience_source"], r["views_source"], r["estimate_note"]) == (
        "subscribers", "subscribers", "оценка по подписчикам")


def test_batch_engagement_marks_peers_of_an_inferred_audience() -> None:
    per_post, pages = analyse(_posts(_export(False)))
    measured = [r for r in per_post if r.get("score") is not None]
    assert measured
    for r in measured:
        assert "у похожих страниц с аудиторией около" in r["reason"] and BY_VIEWS in r["reason"]
        assert r["audience_source"] == "views" and r["estimated"] is True
    page = pages[PAGE_ID]
    assert page["audience_source"] == "views" and BY_VIEWS in page["reason"]

    per_post, pages = analyse(_posts(_export(True)))
    for r in per_post:
        assert "(оценка" not in r["reason"]
        assert not r.get("estimated")
    assert pages[PAGE_ID]["estimate_note"] is None and pages[PAGE_ID]["audience"] == 5400


def test_given_subscribers_and_a_post_without_views() -> None:
    """The fixture as exported: subscribers given, the pinned post has reactions but no views."""
    per_post, pages = analyse(_posts(_export(True, all_views=False)))
    by_id = {r["id"]: r for r in per_post}
    pinned = by_id["-218765_4506"]
    assert pinned["views_source"] == "subscribers" and BY_SUBSCRIBERS in pinned["reason"]
    assert all(BY_VIEWS not in r["reason"] for r in per_post)
    assert all(r.get("audience_source") in (None, "subscribers") for r in per_post)
    assert pages[PAGE_ID]["views_source"] == "mixed"


def test_page_with_some_views_missing_is_partly_estimated() -> None:
    def post(i: int, views: int | None) -> dict:
        return {"id": f"m{i}", "text": "Текст", "page": {"id": "m", "subscribers": 3000},
                "metrics": {"views": views, "likes": 30}}

    per_post, pages = analyse([post(0, None), post(1, 1000), post(2, 1200)])
    assert [r["views_source"] for r in per_post] == ["subscribers", "mixed", "mixed"]
    assert pages["m"]["views_source"] == "mixed"
    assert "(частично оценка по подписчикам)" in pages["m"]["reason"]


def test_draft_engagement_is_a_model_estimate() -> None:
    r = expected("Приходите на субботник в субботу, 22 марта, в 10:00! Кто с нами?")
    assert r["kind"] == "expected" and r["estimated"] is True
    assert r["estimate_note"] == "оценка модели"


# --- the command line --------------------------------------------------------------------

def _scored_lines(path: Path, tmp_path: Path) -> list[dict]:
    out = tmp_path / "out.jsonl"
    assert main(["score", str(path), "-o", str(out), "-j", "1", "--no-progress"]) == 0
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_cli_score_marks_the_inferred_audience(no_subs: Path, with_subs: Path,
                                               tmp_path: Path) -> None:
    lines = [x["engagement"] for x in _scored_lines(no_subs, tmp_path) if "engagement" in x]
    measured = [e for e in lines if e.get("kind") == "measured"]
    assert len(measured) >= 2
    for e in measured:
        assert BY_VIEWS in e["reason"] and e["audience_source"] == "views" and e["estimated"]

    lines = [x["engagement"] for x in _scored_lines(with_subs, tmp_path) if "engagement" in x]
    measured = [e for e in lines if e.get("kind") == "measured"]
    assert len(measured) >= 2
    for e in measured:
        assert "(оценка" not in e["reason"] and e["estimated"] is False


def test_cli_score_csv_has_the_note(no_subs: Path, with_subs: Path, tmp_path: Path) -> None:
    def notes(path: Path) -> dict[str, str]:
        out = tmp_path / "out.csv"
        assert main(["score", str(path), "-o", str(out), "-j", "1", "--no-progress"]) == 0
        with out.open(encoding="utf-8-sig", newline="") as f:
            return {r["id"]: r["engagement_note"] for r in csv.DictReader(f)}

    assert notes(no_subs)["-218765_4512"] == "оценка по просмотрам"
    assert notes(with_subs)["-218765_4512"] == ""


def test_cli_check_says_a_draft_is_a_model_estimate(capsys) -> None:
    assert main(["check", "Приходите на субботник в субботу, 22 марта, в 10:00!",
                 "--color", "never"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "Вовлечённость" in x)
    assert line.strip().endswith(BY_MODEL), line


@pytest.mark.parametrize("ext", ["html", "csv"])
def test_cli_report_marks_the_inferred_audience(no_subs: Path, with_subs: Path, tmp_path: Path,
                                                ext: str) -> None:
    def report(path: Path) -> str:
        out = tmp_path / f"report.{ext}"
        assert main(["report", str(path), "-o", str(out)]) == 0
        return out.read_text(encoding="utf-8-sig")

    est, given = report(no_subs), report(with_subs)
    if ext == "html":
        assert "подписчиков: около " in est and BY_VIEWS in est
        assert BY_VIEWS not in given and "подписчиков: 5 400" in given
        return
    row = next(csv.DictReader(io.StringIO(est)))
    assert (row["page_id"], row["subscribers"], row["audience_source"]) == (
        PAGE_ID, "", "оценка по просмотрам")
    assert int(row["audience"]) > 0
    row = next(csv.DictReader(io.StringIO(given)))
    assert (row["subscribers"], row["audience"], row["audience_source"]) == (
        "5400", "5400", "подписчики")


# --- the API and the web pages -----------------------------------------------------------

def test_api_flags_the_inferred_audience(client) -> None:
    post = _first_measured(_export(False))
    e = client.post("/v1/posts/score", json=post).json()["engagement"]
    assert (e["audience_source"], e["estimated"], e["estimate_note"]) == (
        "views", True, "оценка по просмотрам")
    assert BY_VIEWS in e["reason"]

    post = _first_measured(_export(True))
    e = client.post("/v1/posts/score", json=post).json()["engagement"]
    assert (e["audience_source"], e["estimated"], e["estimate_note"]) == (
        "subscribers", False, None)
    assert "(оценка" not in e["reason"]

    draft = client.post("/v1/posts/score", json={"text": "Приходите в субботу!"}).json()
    assert draft["engagement"]["estimate_note"] == "оценка модели"


def test_api_page_report_flags_and_marks(client) -> None:
    posts = _posts(_export(False))
    page = {"id": PAGE_ID, "name": "Администрация"}
    body = client.post("/v1/pages/report", json={"page": page, "posts": posts}).json()
    fig = body["engagement_figures"]
    assert fig["audience_source"] == "views" and fig["estimated"] is True
    html = client.post("/v1/pages/report?format=html",
                       json={"page": page, "posts": posts}).text
    assert BY_VIEWS in html

    given = {**page, "subscribers": 5400}
    body = client.post("/v1/pages/report", json={"page": given, "posts": posts}).json()
    assert body["engagement_figures"]["audience_source"] == "subscribers"
    assert body["engagement_figures"]["estimated"] is False


def test_web_draft_page_shows_the_note(client) -> None:
    html = client.get("/").text
    assert "estimate_note" in html and 'class="estimate"' in html


def test_web_region_report_marks_the_inferred_audience(client, no_subs: Path,
                                                       with_subs: Path) -> None:
    def upload(path: Path, output: str) -> str:
        r = client.post("/region/report", data={"output": output},
                        files={"file": (path.name, path.read_bytes(), "application/json")})
        assert r.status_code == 200, r.text
        return r.content.decode("utf-8-sig")

    assert BY_VIEWS in upload(no_subs, "html")
    assert BY_VIEWS not in upload(with_subs, "html")
    assert "оценка по просмотрам" in upload(no_subs, "csv")
    assert "оценка по просмотрам" not in upload(with_subs, "csv")


def test_page_without_views_marks_er_by_views(client) -> None:
    posts = [{"id": f"t{i}", "text": "Текст поста о записи в кружки", "platform": "telegram",
              "published_at": f"2025-03-{10 + i:02d}T10:00:00+03:00",
              "metrics": {"likes": 20 + i, "reposts": 3}} for i in range(3)]
    page = {"id": "tg", "name": "Канал", "subscribers": 2000}
    html = client.post("/v1/pages/report?format=html", json={"page": page, "posts": posts}).text
    assert re.search(r"ER по просмотрам: [\d,]+% \(оценка по подписчикам\)", html), html[-3000:]
    assert BY_VIEWS not in html


# --- batch results as CSV ----------------------------------------------------------------

def test_batch_csv_export_has_the_note() -> None:
    est = score_single(_first_measured(_export(False)))
    given = score_single(_first_measured(_export(True)))
    lines = [json.dumps({"line": n, "id": f"x{n}", "scores": {"engagement": e["score"]},
                         "engagement": e}, ensure_ascii=False)
             for n, e in enumerate((est, given), 1)]
    rows = list(csv.DictReader(io.StringIO("".join(csv_lines(lines)).lstrip("\ufeff"))))
    assert [r["engagement_note"] for r in rows] == ["оценка по просмотрам", ""]


def test_the_given_numbers_of_a_deep_copy_stay_given() -> None:
    """Scoring does not write inferred numbers back into the input as if they were given."""
    post = _first_measured(_export(False))
    before = copy.deepcopy(post)
    score_single(post)
    analyse([post])
    assert post == before
