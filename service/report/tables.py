"""CSV and XLSX exports of the region report (one row per page; XLSX adds types, problems, posts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from service.engagement.score import BY_VIEWS
from service.report.history_view import trend_text
from service.report.labels import AXES, AXES_ALL, AXIS_RU, RUBRIC_RU, problem_ru
from service.report.posts import excerpt, views_note

PAGE_COLUMNS = [
    ("rank", "Место"), ("page_id", "ID страницы"), ("name", "Страница"), ("type", "Тип"),
    ("category", "Категория"), ("municipality", "Муниципалитет"), ("platform", "Площадка"), ("subscribers", "Подписчиков"),
    ("audience", "Аудитория"), ("audience_source", "Аудитория: откуда"),
    ("posts", "Постов"), ("posts_per_week", "Постов в неделю"), ("norm_per_week", "Норма в неделю"),
    *[(a, AXIS_RU[a]) for a in AXES_ALL],
    *[(f"rank_{a}", f"Место: {AXIS_RU[a].lower()}") for a in AXES],
    ("er_views", "ER по просмотрам, %"), ("er_views_note", "ER по просмотрам: оценка"),
    ("er_subscribers", "ER по подписчикам, %"),
    ("weak", "Нужна помощь"), ("bottom_decile", "Нижние 10%"), ("below_norm", "Ниже нормы"),
    ("blocked_posts", "Постов с нарушениями"), ("weak_reasons", "Почему нужна помощь"),
    ("top_problems", "Частые проблемы"), ("next_week", "Что сделать на неделе"),
    # progress over weeks (empty without a history): service.history.progress
    ("weeks_on_record", "Недель в истории"), ("trend", "Динамика"),
    ("overall_change_week", "Итог: изменение за неделю"),
    ("overall_change_first", "Итог: изменение с первой недели"),
    ("rank_change_region", "Место в регионе: на сколько выше, чем неделей раньше"),
    ("problems_gone", "Ушли проблемы"), ("problems_new", "Появились проблемы"),
    ("weeks_at_norm", "Недель подряд по норме"),
    ("weeks_without_blocked", "Недель подряд без нарушений"),
]
# Where a page's audience comes from: given subscribers, or inferred from its views.
AUDIENCE_SOURCE_RU = {"subscribers": "подписчики", "views": BY_VIEWS}
POST_COLUMNS = [
    ("page_id", "ID страницы"), ("id", "ID поста"), ("published_at", "Опубликован"),
    *[(a, AXIS_RU[a]) for a in ("readability", "usefulness", "engagement", "overall")],
    ("rubric", "Рубрика"), ("views", "Просмотры"), ("likes", "Лайки"),
    ("fix_first", "Что исправить первым"), ("excerpt", "Начало текста"),
]  # kept short: the sheet has a row per post (30,000 in a region), each cell costs time


def page_row(r: dict[str, Any]) -> dict[str, Any]:
    """Return one flat row of a page for the tables."""
    page, act, er = r["page"], r.get("activity") or {}, r.get("engagement_figures") or {}
    row: dict[str, Any] = {
        "rank": r["ranks"]["overall"], "page_id": page["id"], "name": page.get("name"),
        "type": page.get("type_ru"), "category": page.get("category_ru"),
        "platform": page.get("platform"), "subscribers": page.get("subscribers"),
        "posts": r["posts"], "posts_per_week": act.get("posts_per_week"),
        "norm_per_week": act.get("norm_per_week"),
        "audience": er.get("audience"), "audience_source": AUDIENCE_SOURCE_RU.get(
            er.get("audience_source") or ""),
        "er_views": er.get("er_views"), "er_views_note": views_note(er),
        "er_subscribers": er.get("er_subscribers"),
        "weak": r["weak"], "bottom_decile": r["bottom_decile"], "below_norm": r["below_norm"],
        "blocked_posts": r["blocked_posts"], "weak_reasons": "; ".join(r["weak_reasons"]),
        "top_problems": "; ".join(f"{p['title']} ({p['share']:.0%})" for p in r["problems"]),
        "next_week": " | ".join(r["next_week"]),
    }
    for a in AXES_ALL:
        row[a] = r["scores"].get(a)
    for a in AXES:
        row[f"rank_{a}"] = r["ranks"][a]
    row["municipality"] = page.get("municipality")
    row.update(_progress_cells((r.get("history") or {}).get("progress")))
    return row


def _progress_cells(p: dict[str, Any] | None) -> dict[str, Any]:
    """Return the progress columns of a page row (all None without a history)."""
    if not p or not p.get("weeks"):
        return {}
    streaks = p.get("streaks") or {}
    return {
        "weeks_on_record": p["weeks"], "trend": trend_text(p) or None,
        "overall_change_week": (p.get("change") or {}).get("overall"),
        "overall_change_first": (p.get("change_first") or {}).get("overall"),
        "rank_change_region": (p.get("rank") or {}).get("region_change"),
        "problems_gone": "; ".join(problem_ru(g["code"]) for g in p.get("problems_gone") or [])
        or None,
        "problems_new": "; ".join(problem_ru(g["code"]) for g in p.get("problems_new") or [])
        or None,
        "weeks_at_norm": streaks.get("norm"), "weeks_without_blocked": streaks.get("no_blocked"),
    }


def post_row(p: dict[str, Any]) -> dict[str, Any]:
    """Return one flat row of a scored post for the tables."""
    from service.post_fields import page_key

    sc, m = p.get("scores") or {}, p.get("metrics") or {}
    m = m if isinstance(m, dict) else {}
    fix = p.get("fix_first") or {}
    err = p.get("error") or {}
    rubric = (p.get("usefulness") or {}).get("rubric")
    blocked = bool((p.get("moderation") or {}).get("blocked"))
    published = p.get("published_at")
    return {
        "page_id": page_key(p), "id": p.get("id"),
        "published_at": published if isinstance(published, str) or published is None
        else published.isoformat(),
        **{a: sc.get(a) for a in ("readability", "usefulness", "engagement", "overall")},
        "rubric": RUBRIC_RU.get(rubric or "", rubric), "views": m.get("views"),
        "likes": m.get("likes"),
        "fix_first": (f"Строка не оценена — {err.get('field')}: {err.get('message')}" if err
                      else ("Нарушение: " if blocked else "") + (fix.get("message") or "")
                      or None),
        "excerpt": excerpt(p.get("text"), 100),
    }


def to_csv(report: dict[str, Any]) -> str:
    """Return the pages of the region report as CSV (machine column names, weak pages first)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[k for k, _ in PAGE_COLUMNS], lineterminator="\n")
    w.writeheader()
    for r in report["pages"]:
        row = page_row(r)
        w.writerow({k: _csv_value(row.get(k)) for k, _ in PAGE_COLUMNS})
    return buf.getvalue()


def _csv_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "1" if v else "0"
    return "" if v is None else v


def _sheet(wb: Any, title: str, columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]],
           widths: dict[str, int] | None = None) -> None:
    """Add a write-only sheet with a bold header, frozen first row and column widths."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, (key, _) in enumerate(columns):
        letter = _col_letter(i)
        ws.column_dimensions[letter].width = (widths or {}).get(key, 14)
    header = []
    for _, label in columns:
        c = WriteOnlyCell(ws, value=label)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_value(row.get(k)) for k, _ in columns])


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "да" if v else ""
    return v


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        s = chr(65 + rem) + s
    return s


def to_xlsx(report: dict[str, Any], scored_posts: list[dict[str, Any]] | None = None) -> bytes:
    """Return the region report as an XLSX workbook: pages, types, categories, problems, posts."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wide = {"name": 42, "weak_reasons": 50, "top_problems": 50, "next_week": 80, "excerpt": 70,
            "fix_first": 50, "trend": 50, "problems_gone": 40, "problems_new": 40}
    _sheet(wb, "Страницы", PAGE_COLUMNS, (page_row(r) for r in report["pages"]), wide)
    group_cols = [("label", "Группа"), ("pages", "Страниц"), ("posts", "Постов"),
                  ("posts_per_week_median", "Постов в неделю (медиана)"),
                  ("weak_pages", "Нужна помощь"), *[(a, AXIS_RU[a]) for a in AXES_ALL]]
    for title, key in (("По типам", "by_type"), ("По категориям", "by_category")):
        _sheet(wb, title, group_cols, ({**g, **g["scores"]} for g in report[key]), {"label": 26})
    prob_cols = [("title", "Проблема"), ("posts", "Постов"), ("share", "Доля постов"),
                 ("suggestion", "Как исправить")]
    _sheet(wb, "Проблемы региона", prob_cols, report.get("problems") or [],
           {"title": 40, "suggestion": 80})
    page_probs = [("page_id", "ID страницы"), ("name", "Страница"), ("title", "Проблема"),
                  ("posts", "Постов"), ("share", "Доля постов"), ("example", "Пример")]
    _sheet(wb, "Проблемы страниц", page_probs, _page_problems(report), {"name": 42, "example": 80})
    if scored_posts is not None:
        _sheet(wb, "Посты", POST_COLUMNS, (post_row(p) for p in scored_posts), wide)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _page_problems(report: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for r in report["pages"]:
        for p in r["problems"]:
            ex = (p.get("examples") or [{}])[0]
            yield {"page_id": r["page"]["id"], "name": r["page"].get("name"),
                   "title": problem_ru(p["code"], p["title"]), "posts": p["posts"],
                   "share": p["share"], "example": ex.get("fragment") or ex.get("excerpt")}
