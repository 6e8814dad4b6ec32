"""Page and region reports: content, ranking (weak first), shrinkage, HTML/CSV/XLSX, CLI."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from pathlib import Path

import pytest

from service.errors import InputError
from service.report.build import page_report, region_report
from service.report.cli import output_format, run
from service.report.collect import add_engagement, score_posts
from service.report.html import render_page, render_region
from service.report.tables import PAGE_COLUMNS, POST_COLUMNS, to_csv, to_xlsx

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

GOOD = ("Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на улицах Ленина (дома 1–25) "
        "и Садовой. Водовоз приедет к дому 12 в 11:00 и в 15:00. Вопросы — по телефону "
        "8 (800) 000-00-00.")
OFFICIAL = ("В целях обеспечения реализации мероприятий муниципальной программы глава "
            "администрации принял участие в заседании рабочей группы по вопросам осуществления "
            "контроля за исполнением поручений в рамках реализации национального проекта, "
            "в ходе которого было обращено внимание на необходимость обеспечения "
            "своевременного предоставления отчётности.")
INVITE = ("Приглашаем на день открытых дверей в МФЦ на улице Мира, 5! В субботу, 16 марта, "
          "с 10:00 до 14:00 расскажем, как оформить выплаты на детей. Запись по ссылке "
          "mfc.example.ru или по телефону 8 (800) 000-00-01.")
XSS = "Осторожно: <script>alert(1)</script> мошенники звонят от имени соцзащиты. Не называйте код."


def _post(pid: str, page: dict, text: str, day: int, hour: int, views: int, likes: int) -> dict:
    return {"id": pid, "platform": "vk", "text": text, "attachments": ["photo"],
            "published_at": f"2025-03-{day:02d}T{hour:02d}:15:00+03:00",
            "metrics": {"views": views, "likes": likes, "reposts": likes // 10, "comments": 1},
            "page": page}


PAGES = [
    {"id": "mfc", "name": "МФЦ Заречинска", "type": "mfc", "category": "активный",
     "subscribers": 6000},
    {"id": "adm", "name": "Администрация Сосновского района", "type": "municipality",
     "category": "флагманский", "subscribers": 20000},
    {"id": "tiny", "name": "Детский сад № 3", "type": "kindergarten", "category": "визитка",
     "subscribers": 40},
    {"id": "silent", "name": "Библиотека № 7", "type": "library", "category": "активный",
     "subscribers": 900},
]


def _region_posts() -> list[dict]:
    mfc, adm, tiny = PAGES[0], PAGES[1], PAGES[2]
    posts = [_post(f"mfc{i}", mfc, [GOOD, INVITE][i % 2], 10 + i, 10, 5000, 300)
             for i in range(5)]
    posts += [_post(f"adm{i}", adm, OFFICIAL if i % 3 else GOOD, 10 + i % 7, 9 + i % 8, 3000, 30)
              for i in range(8)]
    posts += [_post("tiny1", tiny, INVITE, 12, 11, 12, 3)]
    posts += [_post("xss", mfc, XSS, 16, 3, 900, 20)]
    posts[-1]["published_at"] = "2025-03-17T03:00:00+03:00"  # a second week
    return posts


@pytest.fixture(scope="module")
def scored() -> list[dict]:
    return add_engagement(score_posts(_region_posts(), jobs=1))


@pytest.fixture(scope="module")
def region(scored) -> dict:
    return region_report(scored, PAGES)


def _row(region: dict, pid: str) -> dict:
    return next(r for r in region["pages"] if r["page"]["id"] == pid)


def test_page_report_has_every_part(scored) -> None:
    rep = page_report([p for p in scored if p["page"]["id"] == "adm"], PAGES[1])
    assert rep["posts"] == 8
    assert set(rep["scores"]) == {"readability", "usefulness", "engagement", "activity", "overall"}
    assert rep["scores"]["activity"] is not None and 0 <= rep["scores"]["overall"] <= 100
    assert [w["week"] for w in rep["weeks"]] == ["2025-W11"]
    assert 1 <= len(rep["problems"]) <= 3
    top = rep["problems"][0]
    assert top["posts"] >= 2 and top["examples"] and top["examples"][0]["excerpt"]
    assert rep["best_posts"] and rep["worst_posts"]
    best, worst = rep["best_posts"][0], rep["worst_posts"][0]
    assert best["scores"]["overall"] >= worst["scores"]["overall"]
    assert worst["feedback"], "the worst post comes with its feedback"
    assert rep["next_week"] and all(re.search("[а-яё]", s) for s in rep["next_week"])
    assert rep["page"]["category_ru"] == "флагманский"


def test_weeks_split_by_iso_week(scored) -> None:
    rep = page_report([p for p in scored if p["page"]["id"] == "mfc"], PAGES[0])
    assert [w["week"] for w in rep["weeks"]] == ["2025-W11", "2025-W12"]
    assert sum(w["posts"] for w in rep["weeks"]) == rep["posts"] == 6


def test_region_ranks_weak_pages_first(region) -> None:
    rows = region["pages"]
    assert {r["page"]["id"] for r in rows} == {"mfc", "adm", "tiny", "silent"}
    flags = [r["weak"] for r in rows]
    assert flags == sorted(flags, reverse=True), "weak pages come first"
    silent = _row(region, "silent")
    assert silent["posts"] == 0 and silent["weak"] and silent["below_norm"]
    assert "нет постов за период" in silent["weak_reasons"]
    adm = _row(region, "adm")
    assert adm["below_norm"], "8 posts a week is below the flagship norm of 10"
    assert region["summary"]["pages"] == 4 and region["summary"]["posts"] == 15
    for axis in ("overall", "readability", "engagement", "activity"):
        ranks = sorted(r["ranks"][axis] for r in rows)
        assert ranks == [1, 2, 3, 4]


def test_shrinkage_tiny_sample_does_not_top_the_region(region) -> None:
    """12 views and 3 likes (ER 25%) must not outrank 5,000 views and 300 likes."""
    tiny, mfc = _row(region, "tiny"), _row(region, "mfc")
    assert tiny["engagement_figures"]["er_views"] > mfc["engagement_figures"]["er_views"]
    assert mfc["ranks"]["engagement"] < tiny["ranks"]["engagement"]


def test_comparisons_by_type_and_distributions(region) -> None:
    types = {g["type"]: g for g in region["by_type"]}
    assert set(types) == {"mfc", "municipality", "kindergarten", "library"}
    assert types["library"]["weak_share"] == 1.0
    dist = region["distributions"]["overall"]
    assert sum(dist["bins"]) == dist["n"] == 4


def test_html_is_self_contained_and_escaped(region) -> None:
    html = render_region(region)
    assert html.startswith("<!doctype html>") and 'lang="ru"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no external assets"
    assert "<link" not in html and "@import" not in html
    assert "<svg" in html and "Кому помочь в первую очередь" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    for name in ("МФЦ Заречинска", "Библиотека № 7", "Что сделать на следующей неделе"):
        assert name in html


def test_page_html_renders(scored) -> None:
    rep = page_report([p for p in scored if p["page"]["id"] == "mfc"], PAGES[0])
    html = render_page(rep)
    assert "МФЦ Заречинска" in html and "Лучшие посты" in html and "<details" in html


def test_csv_has_one_row_per_page_weak_first(region) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(region))))
    assert [r["page_id"] for r in rows] == [r["page"]["id"] for r in region["pages"]]
    assert rows[0]["weak"] == "1" and {"overall", "rank_engagement", "next_week"} <= set(rows[0])


def test_xlsx_sheets(region, scored) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(region, scored)), read_only=True)
    assert wb.sheetnames == ["Страницы", "По типам", "По категориям", "Проблемы региона",
                             "Проблемы страниц", "Посты"]
    pages = list(wb["Страницы"].iter_rows(values_only=True))
    assert pages[0][0] == "Место" and len(pages) == 1 + 4
    assert len(list(wb["Посты"].iter_rows(values_only=True))) == 1 + len(scored)


@pytest.mark.parametrize(("path", "fmt"), [("r.html", "html"), ("R.XLSX", "xlsx"), ("a/b.csv", "csv")])
def test_output_format_by_extension(path: str, fmt: str) -> None:
    assert output_format(path) == fmt


def test_output_format_unknown() -> None:
    with pytest.raises(InputError) as exc:
        output_format("report.pdf")
    assert exc.value.field == "output"


@pytest.mark.parametrize("ext", ["html", "csv", "xlsx"])
def test_cli_writes_report(tmp_path: Path, ext: str, scored: list[dict], region: dict) -> None:
    src = tmp_path / "posts.jsonl"
    lines = [json.dumps({**p, "page": {"id": p["page"]["id"]}}, ensure_ascii=False)
             for p in _region_posts()]
    src.write_text("\n".join([*lines, "{не json", ""]), encoding="utf-8")
    pages = tmp_path / "pages.csv"
    pages.write_text("page_id,page_name,page_type,page_category,page_subscribers\n"
                     + "".join(f"{p['id']},{p['name']},{p['type']},{p['category']},"
                               f"{p['subscribers']}\n" for p in PAGES), encoding="utf-8")
    out = tmp_path / f"report.{ext}"
    args = argparse.Namespace(input=str(src), output=str(out), pages=str(pages), format=None,
                              jobs=1)
    assert run(args) == 0
    data = out.read_bytes()
    if ext == "html":
        html = data.decode("utf-8")
        assert "Библиотека № 7" in html and "Строк с ошибками<b>1</b>" in html
        return
    # every page row: the name from pages.csv, its posts, the means of its scored posts, and
    # the page axes the same posts give when scored and reported in-process
    want = _expected_pages(scored, region)
    if ext == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        got = [{k: _number(r[k]) for k in want[0]} for r in rows]
    else:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        sheet = list(wb["Страницы"].iter_rows(values_only=True))
        col = {key: sheet[0].index(label) for key, label in PAGE_COLUMNS}
        got = [{k: row[col[k]] for k in want[0]} for row in sheet[1:]]
        posts = list(wb["Посты"].iter_rows(values_only=True))
        col = {key: posts[0].index(label) for key, label in POST_COLUMNS}
        keys = ("page_id", "id", "readability", "usefulness", "overall")
        assert [tuple(r[col[k]] for k in keys) for r in posts[1:-1]] == [
            (p["page"]["id"], p["id"], *(p["scores"][k] for k in keys[2:])) for p in scored]
        assert posts[-1][col["fix_first"]].startswith("Строка не оценена — json")
    assert got == want


def _number(cell: str) -> object:
    """Return a CSV cell as the number it holds, or the text (None for an empty cell)."""
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


def _expected_pages(scored: list[dict], region: dict) -> list[dict]:
    """Return the page rows a region report of `_region_posts` must have, weak pages first."""
    from collections import Counter
    from statistics import fmean

    names = {p["id"]: p["name"] for p in PAGES}
    counts = Counter(p["page"]["id"] for p in _region_posts())
    rows = []
    for r in region["pages"]:
        pid = r["page"]["id"]
        mine = [p for p in scored if p["page"]["id"] == pid]

        def avg(axis: str, mine: list[dict] = mine) -> float | None:
            return round(fmean(p["scores"][axis] for p in mine), 1) if mine else None

        rows.append({"page_id": pid, "name": names[pid], "posts": counts[pid],
                     "readability": avg("readability"), "usefulness": avg("usefulness"),
                     **{a: r["scores"][a] for a in ("engagement", "activity", "overall")}})
    assert [(r["page_id"], r["posts"]) for r in rows if r["posts"] == 0] == [("silent", 0)]
    assert sorted(counts.values()) == [1, 6, 8]
    return rows


@pytest.mark.skipif(not (SHARED / "engagement").exists(), reason="needs ../shared/data")
def test_generated_region_is_realistic(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from make_region import generate

    posts_path, pages_path, n = generate(SHARED, tmp_path, n_pages=60, n_posts=900, seed=3)
    posts = [json.loads(line) for line in posts_path.read_text(encoding="utf-8").splitlines()]
    assert len(posts) == n and 700 < n < 1100
    assert all(p["text"] and p["metrics"]["views"] >= 1 for p in posts)
    assert all(p["metrics"]["likes"] <= p["metrics"]["views"] for p in posts)
    pages = list(csv.DictReader(io.StringIO(pages_path.read_text(encoding="utf-8"))))
    assert len(pages) == 60 and {p["page_category"] for p in pages} <= {
        "флагманский", "активный", "визитка"}
    again, _, _ = generate(SHARED, tmp_path / "b", n_pages=60, n_posts=900, seed=3)
    assert again.read_bytes() == posts_path.read_bytes(), "seeded: the same region twice"


def test_excerpt_source_gives_the_same_excerpts_as_the_whole_text() -> None:
    from service.report.posts import EXCERPT_MAX, excerpt, excerpt_source

    words = ("Уважаемые жители! С 1 марта в МФЦ на ул. Ленина, 12 открыта запись на приём "
             "к нотариусу; приходите с паспортом,   а справки   по телефону 8 (800) 100-20-30. "
             "Подробности — на сайте администрации и в нашей группе.\n\n").split(" ")
    spaces_at: set[int] = set()
    for shift in range(16):  # move the spaces across the cut, the 221st and 222nd characters
        text = "ж" * shift + " ".join(words * 4)
        normal = " ".join(text.split())
        spaces_at.update(i for i in (EXCERPT_MAX, EXCERPT_MAX + 1) if normal[i] == " ")
        source = excerpt_source(text)
        assert len(source) <= EXCERPT_MAX + 2
        for limit in (100, 160, EXCERPT_MAX):
            assert excerpt(source, limit) == excerpt(text, limit)
            assert excerpt(text, limit).endswith("…")
    assert spaces_at == {EXCERPT_MAX, EXCERPT_MAX + 1}  # both edge cases were met
    short = "Сегодня библиотека работает до 18:00."
    assert excerpt_source(short) == short


def test_batch_report_from_views_equals_the_report_of_full_results() -> None:
    """The batch report job reads compact views (service.jobs.results.report_view); the region
    report built from them must be the one built from the full results."""
    from service.fastjson import loads
    from service.jobs.batch import stored_row
    from service.jobs.report import from_views
    from service.jobs.results import tail_of, tails_of
    from service.jobs.store import pack, unpack
    from service.jobs.tasks import score_rows
    from service.scoring import Scorer

    noisy = ("ВНИМАНИЕ!!! В целях обеспечения реализации мероприятий по благоустройству дворовых "
             "территорий администрацией осуществляется проведение работ!!! Жителям необходимо "
             "осуществить перемещение автотранспорта!!! #благоустройство #двор #город #лето "
             "#ремонт #администрация")
    kindergarten = ("Уважаемые родители! В МАДОУ ДС № 3 проводится мероприятие в рамках реализации "
                    "ФГОС ДО. Просьба обеспечить явку. Ответственный — Иванова Мария Петровна, "
                    "паспорт 4510 123456.")
    # three long sentences come among the first four items, the post's other problems after
    minutes = (OFFICIAL + " В ходе заседания были рассмотрены вопросы готовности сил и средств "
               "муниципального звена территориальной подсистемы предупреждения чрезвычайных "
               "ситуаций к пропуску весеннего половодья, а также организации взаимодействия "
               "с предприятиями и учреждениями округа. Участники совещания обсудили также "
               "вопросы подготовки образовательных учреждений района к проведению летней "
               "оздоровительной кампании и обеспечения безопасности детей в период каникул "
               "на водных объектах района.")
    council = {"id": "council", "name": "Совет депутатов", "type": "municipality"}
    posts = _region_posts()
    posts += [_post(f"kg{i}", PAGES[2], text, 18 + i % 3, 10 + i, 150 + i, 6)
              for i, text in enumerate([noisy, "Подведены итоги.", kindergarten] * 2)]
    posts += [_post(f"council{i}", council, minutes, 17 + i, 15, 400, 4) for i in range(2)]
    chunk = score_rows(Scorer(), [stored_row(p, i) for i, p in enumerate(posts, 1)])
    full = [loads(h + t) for h, t in zip(chunk.heads, chunk.tails, strict=True)]
    views = from_views(unpack(pack(chunk.views)))
    # the views were really cut down: a post with many items keeps details of only some of them
    items = [it for v in views for it in v["feedback"]]
    assert any("message" not in it for it in items) and any("message" in it for it in items)
    first = [[it["code"] for it in v["feedback"]] for v in views if v["id"].startswith("council")]
    assert first and all(codes[:4].count("long_sentences") == 3
                         and len(set(codes) - {"long_sentences"}) >= 2 for codes in first)
    assert all("engagement" not in v and "readability" not in v for v in views)
    assert sum(len(json.dumps(v)) for v in views) < 0.6 * sum(len(json.dumps(r)) for r in full)

    from_full, from_view = add_engagement(full), add_engagement(views)
    assert region_report(from_view, PAGES) == region_report(from_full, PAGES)
    # the rewritten line tails (batch engagement) are the ones of the full results
    assert tails_of([{**v, "_tail": True} for v in from_view]) == \
        [tail_of(r["scores"], r["engagement"]) for r in from_full]
