"""The admin's card as a short self-contained HTML page (inline CSS and SVG, nothing external)."""

from __future__ import annotations

from html import escape
from typing import Any

from service.history.progress import week_ru
from service.report import svg
from service.report.history_view import ARROW
from service.report.labels import AXES_ALL, AXIS_RU
from service.ru import signed

CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#212121;
margin:0 auto;max-width:640px;padding:16px 20px 40px;background:#fff}
h1{font-size:22px;margin:4px 0}.muted{color:#757575;font-size:14px}
.scores{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0}.score{background:#f5f7fa;
border-radius:8px;padding:6px 12px;min-width:92px}.score b{display:block;font-size:22px}
.good{color:#1b5e20}.mid{color:#8d6e00}.bad{color:#b71c1c}.none{color:#9e9e9e}
.fix{background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px;margin:14px 0}
.wins li{margin:4px 0}.trend{font-weight:600}svg text{font:12px system-ui,Arial,sans-serif}
"""
TREND_CLASS = {"up": "good", "down": "bad", "flat": "none"}


def _score(axis: str, card: dict[str, Any]) -> str:
    v = (card.get("scores") or {}).get(axis)
    d = (card.get("change") or {}).get(axis)
    change = "" if d is None else (f" <span class='{'good' if d >= 1 else 'bad' if d <= -1 else 'none'}'>"
                                   f"{signed(d)}</span>")
    return (f"<div class='score'>{AXIS_RU[axis]}<b class='{svg.level(v)}'>"
            f"{'—' if v is None else f'{v:.0f}'}</b>{change}</div>")


def render_card(card: dict[str, Any]) -> str:
    """Return the card page: scores with changes, the overall over weeks, standing, what the page
    achieved and the one thing to fix next."""
    page = card["page"]
    name = str(page.get("name") or page.get("id") or "")
    where = " · ".join(escape(str(x)) for x in (page.get("type_ru"), page.get("municipality"),
                                                page.get("region")) if x)
    weeks = card.get("weeks") or []
    chart = ""
    if len(weeks) > 1:
        labels = [week_ru(w) for w in weeks]
        chart = (f"<p class='muted'>Итог по неделям</p>"
                 f"{svg.spark([w.get('overall') for w in weeks], labels, width=300, height=60)}")
    trend = card.get("trend")
    trend_html = (f"<p class='trend {TREND_CLASS[trend]}'>{ARROW[trend]} "
                  f"{escape(card.get('trend_label') or '')}</p>") if trend else ""
    summary = "".join(f"<p>{escape(s)}</p>" for s in card.get("summary") or [])
    standing = f"<p>{escape(card['standing'])}</p>" if card.get("standing") else ""
    wins = "".join(f"<li>{escape(a)}</li>" for a in card.get("achievements") or [])
    wins_html = f"<h2>Что получилось</h2><ul class='wins'>{wins}</ul>" if wins else ""
    fix = (f"<div class='fix'><b>Что сделать дальше.</b> {escape(card['fix_next'])}</div>"
           if card.get("fix_next") else "")
    week = f" — неделя {escape(card['week_ru'])}" if card.get("week_ru") else ""
    scores = "".join(_score(a, card) for a in AXES_ALL)
    body = (f"<h1>{escape(name)}</h1><p class='muted'>{where}{week}</p>{trend_html}"
            f"<div class='scores'>{scores}</div>{summary}{standing}{chart}{wins_html}{fix}"
            "<p class='muted'>Оценки от 0 до 100: читаемость, польза для жителей, "
            "вовлечённость и активность; итог сводит их в одну оценку.</p>")
    return (f'<!doctype html><html lang="ru"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>Карточка: {escape(name)}</title><style>{CSS}</style></head>"
            f'<body><main class="card-page">{body}</main></body></html>')
