"""service.history.progress: changes, problems gone and new, streaks, rank movement, trend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from service.history.progress import FLAT, noise_band, progress, streaks, trend, week_ru

MONDAY = date(2025, 11, 3)  # 2025-W45


def week(i: int, overall: float, *, posts: int = 4, blocked: int = 0,
         problems: dict[str, int] | None = None, rank: dict[str, int] | None = None,
         readability: float = 50.0, with_text: int | None = None) -> dict:
    """A WEEK record as the history store returns it, `i` weeks after 2025-W45."""
    mon = MONDAY + timedelta(days=7 * i)
    y, w, _ = mon.isocalendar()
    return {"week": f"{y}-W{w:02d}", "start": mon.isoformat(), "posts": posts,
            "posts_with_text": posts if with_text is None else with_text, "blocked": blocked,
            "scores": {"readability": readability, "usefulness": 55.0, "engagement": 40.0,
                       "activity": 60.0, "overall": overall},
            "problems": problems or {}, "regularity": 70.0,
            "rank": rank or {"region": 10, "region_of": 50, "type": 3, "type_of": 11}}


def test_two_weeks_give_the_changes_since_the_previous_and_the_first_week() -> None:
    weeks = [week(0, 41.0, readability=40.0), week(1, 50.0, readability=45.5),
             week(2, 58.0, readability=57.0)]
    p = progress(weeks)
    assert p["weeks"] == 3 and p["first_week"] == "2025-W45" and p["last_week"] == "2025-W47"
    assert p["change"]["overall"] == 8.0 and p["change_first"]["overall"] == 17.0
    assert p["change"]["readability"] == 11.5 and p["change_first"]["readability"] == 17.0
    assert p["change"]["usefulness"] == 0.0 and p["consecutive"] is True
    assert p["best_overall"] == 58.0


def test_weeks_out_of_order_are_sorted() -> None:
    p = progress([week(1, 58.0), week(0, 41.0)])
    assert p["first_week"] == "2025-W45" and p["change"]["overall"] == 17.0


def test_one_week_has_no_change_and_no_trend() -> None:
    p = progress([week(0, 41.0)])
    assert p["change"]["overall"] is None and p["change_first"]["overall"] is None
    assert p["trend"] is None and p["label"] is None
    assert progress([]) == {"weeks": 0}


@pytest.mark.parametrize(("series", "arrow", "label", "since"), [
    ([50, 40, 47, 55], "up", "стало лучше после недели 10.11–16.11", "2025-W46"),
    ([40, 55], "up", "стало лучше после недели 03.11–09.11", "2025-W45"),
    ([40, 50, 45], "down", "снова хуже", "2025-W46"),
    ([52, 50, 45], "down", "стало хуже", "2025-W46"),
    ([50, 52.5], "flat", "без заметных перемен", "2025-W45"),
])
def test_trend_names_where_the_rise_started_or_that_the_page_slid_back(
        series, arrow, label, since) -> None:
    t = trend([week(i, float(v), posts=60) for i, v in enumerate(series)])  # 60 posts: ±2.6
    assert (t["trend"], t["label"], t["since"]) == (arrow, label, since)
    if arrow == "up":
        assert t["to"] == series[-1] and t["from"] == min(series)


def test_a_small_page_needs_a_change_beyond_its_noise() -> None:
    """Three posts a week against three: one standard error of the difference is 11.6 points."""
    assert noise_band(week(0, 0, posts=3), week(1, 0, posts=3)) == 11.6
    assert noise_band(week(0, 0, posts=500), week(1, 0, posts=500)) == FLAT
    assert trend([week(0, 40.0, posts=3), week(1, 50.0, posts=3)])["trend"] == "flat"
    assert trend([week(0, 40.0, posts=3), week(1, 52.0, posts=3)])["trend"] == "up"
    assert trend([week(0, 40.0, posts=0), week(1, 42.0, posts=3)])["trend"] == "up"


def test_problems_gone_and_new() -> None:
    prev = week(0, 45.0, problems={"kantselyarit": 3, "long_sentences": 1})
    last = week(1, 52.0, problems={"long_sentences": 2, "missing_when": 1, "typos": 0})
    p = progress([prev, last])
    assert p["problems_gone"] == [{"code": "kantselyarit", "before": 3}]
    assert p["problems_new"] == [{"code": "missing_when", "now": 1}]
    # a week without a single text shows no problem, and proves none gone
    silent = week(1, 52.0, posts=0, with_text=0)
    assert progress([prev, silent])["problems_gone"] == []


def test_streaks_count_consecutive_weeks_only() -> None:
    weeks = [week(0, 40.0, posts=2, problems={"kantselyarit": 2}, blocked=1),
             week(1, 45.0, posts=3, blocked=1),
             week(2, 48.0, posts=4),
             week(3, 50.0, posts=5)]
    s = streaks(weeks, norm_per_week=3)
    assert s["norm"] == 3 and s["no_blocked"] == 2
    assert s["without"]["kantselyarit"] == {"weeks": 3, "had_before": True}
    assert s["without"]["long_sentences"] == {"weeks": 4, "had_before": False}
    gap = [weeks[0], weeks[1], {**week(5, 50.0, posts=5)}]  # W46 → W50: the streak restarts
    assert streaks(gap, norm_per_week=3)["norm"] == 1
    assert streaks(weeks)["norm"] is None, "no norm known: no streak claimed"
    # the store's own verdict and norm win over the one passed in
    assert streaks([*weeks[:3], {**weeks[3], "meets_norm": False}], norm_per_week=3)["norm"] == 0
    kept = [{**w, "meets_norm": w["posts"] >= 4, "norm_per_week": 4} for w in weeks]
    assert streaks(kept, norm_per_week=1) | {"without": None} == {
        "norm": 2, "norm_per_week": 4, "no_blocked": 2, "without": None}


def test_weeks_without_texts_break_the_problem_streak() -> None:
    weeks = [week(0, 40.0), week(1, 45.0, posts=2, with_text=0), week(2, 48.0)]
    assert streaks(weeks)["without"]["kantselyarit"]["weeks"] == 1


def test_rank_movement_and_standing_among_the_same_type() -> None:
    weeks = [week(0, 40.0, rank={"region": 44, "region_of": 50, "type": 9, "type_of": 21}),
             week(1, 45.0, rank={"region": 40, "region_of": 50, "type": 7, "type_of": 21}),
             week(2, 55.0, rank={"region": 35, "region_of": 52, "type": 5, "type_of": 21})]
    r = progress(weeks)["rank"]
    assert (r["region"], r["region_of"], r["type"], r["type_of"]) == (35, 52, 5, 21)
    assert r["region_change"] == 5 and r["type_change"] == 2
    assert r["region_change_first"] == 9 and r["type_change_first"] == 4
    assert r["ahead_of_type"] == 0.8  # ahead of 16 of the 20 other pages of its type


def test_week_ru() -> None:
    assert week_ru({"week": "2025-W46", "start": "2025-11-10"}) == "10.11–16.11"
    assert week_ru({"week": "2025-W01"}) == "30.12–05.01"


# ---- the region report with progress: HTML, CSV, XLSX, JSON (service.report.history_view) ----

TEXT_GOOD = ("Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на улицах Ленина (дома "
             "1–25) и Садовой. Водовоз приедет к дому 12 в 11:00 и в 15:00. Вопросы — по "
             "телефону 8 (800) 000-00-00.")
TEXT_BAD = "Информация."


@pytest.fixture(scope="module")
def region_with_history() -> dict:
    from service.report.build import region_report
    from service.report.collect import add_engagement, score_posts
    from service.report.history_view import attach_history

    pages = [{"id": "mfc", "name": "МФЦ Заречинска", "type": "mfc", "category": "активный",
              "municipality": "Заречинск"},
             {"id": "lib", "name": "Библиотека № 7", "type": "library", "category": "визитка",
              "municipality": "Берёзовский район"}]
    posts = [{"id": f"m{i}", "text": TEXT_GOOD, "published_at": f"2025-11-1{i}T10:00:00+03:00",
              "page": {"id": "mfc"}} for i in range(3)]
    posts.append({"id": "l1", "text": TEXT_BAD, "published_at": "2025-11-12T10:00:00+03:00",
                  "page": {"id": "lib"}})
    report = region_report(add_engagement(score_posts(posts, jobs=1)), pages)
    history = {"mfc": [week(0, 40.0, posts=40, problems={"kantselyarit": 3}),
                       week(1, 62.0, posts=40,
                            rank={"region": 1, "region_of": 2, "type": 1, "type_of": 1})]}
    return attach_history(report, history)


def test_only_good_posts_are_shown_as_the_best(region_with_history) -> None:
    from service.report.html import render_region

    lib = next(r for r in region_with_history["pages"] if r["page"]["id"] == "lib")
    assert lib["posts"] == 1 and lib["scores"]["overall"] < 60
    assert lib["best_posts"] == [], "a lone weak post is not the page's best"
    good = region_with_history["summary"]["good_post_min"]
    assert 60 <= good <= 70 and lib["good_post_min"] == good
    mfc = next(r for r in region_with_history["pages"] if r["page"]["id"] == "mfc")
    assert mfc["best_posts"] and all(p["scores"]["overall"] >= good for p in mfc["best_posts"])
    html = render_region(region_with_history)
    assert f"Хороших постов на этой неделе нет: хорошим считаем пост с итогом от {good:.0f}." \
        in html


def test_region_report_shows_progress_and_filters(region_with_history) -> None:
    from service.report.html import render_region

    mfc = next(r for r in region_with_history["pages"] if r["page"]["id"] == "mfc")
    p = mfc["history"]["progress"]
    assert p["change"]["overall"] == 22.0 and p["trend"] == "up"
    assert p["problems_gone"] == [{"code": "kantselyarit", "before": 3}]
    assert region_with_history["history"] == {"pages": 1, "up": 1, "down": 0, "flat": 0,
                                              "max_weeks": 2}
    html = render_region(region_with_history, card_url="/v1/pages/{id}/card?batch=b1")
    assert "Как менялась страница: 2 недели в истории" in html
    assert "↑ стало лучше после недели 03.11–09.11: итог 40 → 62" in html
    assert "Ушли проблемы: «Канцелярит» (было в 3 постах)." in html
    assert html.count('<svg class="spark"') == 5, "a chart per axis and overall"
    assert 'href="/v1/pages/mfc/card?batch=b1"' in html
    assert "История есть у 1 страницы (до 2 недель). По сравнению с предыдущей неделей итог " \
           "вырос у 1, упал у 0, без заметных перемен — у 0." in html
    assert "<select id='f-mun'" in html and '<option value="Берёзовский район">' in html
    assert 'data-mun="Заречинск"' in html and "<option value=\"МФЦ\">" in html
    assert 'class="card-link"' not in render_region(region_with_history), "no service, no cards"


def test_tables_carry_progress_and_municipality(region_with_history) -> None:
    import csv
    import io

    import openpyxl

    from service.report.tables import PAGE_COLUMNS, to_csv, to_xlsx

    rows = {r["page_id"]: r for r in csv.DictReader(io.StringIO(to_csv(region_with_history)))}
    assert rows["mfc"]["municipality"] == "Заречинск"
    assert rows["mfc"]["weeks_on_record"] == "2" and rows["mfc"]["overall_change_week"] == "22.0"
    assert rows["mfc"]["trend"] == "↑ стало лучше после недели 03.11–09.11: итог 40 → 62"
    assert rows["mfc"]["problems_gone"] == "Канцелярит"
    assert rows["lib"]["trend"] == "" and rows["lib"]["weeks_on_record"] == ""
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(region_with_history)), read_only=True)
    sheet = list(wb["Страницы"].iter_rows(values_only=True))
    col = {key: sheet[0].index(label) for key, label in PAGE_COLUMNS}
    mfc = next(r for r in sheet[1:] if r[col["page_id"]] == "mfc")
    assert mfc[col["overall_change_first"]] == 22.0 and mfc[col["municipality"]] == "Заречинск"
