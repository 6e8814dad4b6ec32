"""HTML of one page's report: axes, weeks, strengths, problems, best and worst posts, next steps."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from service.report import svg
from service.report.html_history import history_block
from service.report.labels import AXES, AXES_ALL, AXIS_RU, PLATFORM_RU, RUBRIC_RU, plural
from service.report.posts import audience_note, views_note, week_label

SEVERITY_RU = {"error": "нарушение", "warning": "важно", "info": "совет"}


def num(v: float | None, digits: int = 0) -> str:
    """Return a number for people: «—» for none, comma as the decimal mark."""
    if v is None:
        return "—"
    return f"{v:,.{digits}f}".replace(",", " ").replace(".", ",")


def cell(v: float | None) -> str:
    """Return a coloured table cell with a 0–100 score."""
    return f'<td class="s {svg.level(v)}">{num(v)}</td>'


def page_anchor(page_id: str) -> str:
    """Return the HTML id of a page's card."""
    return "p-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in page_id)


def _date(iso: str | None) -> str:
    return "" if not iso else f"{iso[8:10]}.{iso[5:7]} {iso[11:16]}".strip()


def _post(card: dict[str, Any], n_items: int = 3) -> str:
    sc = card.get("scores") or {}
    m = card.get("metrics") or {}
    figures = ""
    if isinstance(m, dict) and m.get("views") is not None:
        figures = (f' · просмотров {num(m.get("views"))} · лайков {num(m.get("likes") or 0)}'
                   f' · комментариев {num(m.get("comments") or 0)}'
                   f' · репостов {num(m.get("reposts") or 0)}')
    rubric = RUBRIC_RU.get(card.get("rubric") or "", "")
    head = (f'<div class="meta">{escape(_date(card.get("published_at")))}'
            f'{" · " + escape(rubric) if rubric else ""}{figures} · итог '
            f'<b class="{svg.level(sc.get("overall"))}">{num(sc.get("overall"))}</b></div>')
    blocked = '<div class="blocked">Пост нарушает правила — снять или исправить.</div>' \
        if card.get("blocked") else ""
    items = "".join(
        f'<li><span class="sev {escape(it.get("severity") or "")}">'
        f'{SEVERITY_RU.get(it.get("severity") or "", "")}</span> {escape(it.get("message") or "")}'
        + (f' <q>{escape(it["fragment"])}</q>' if it.get("fragment") else "")
        + (f'<br><span class="tip">Как лучше: {escape(it["suggestion"])}</span>'
           if it.get("suggestion") else "")
        + "</li>"
        for it in (card.get("feedback") or [])[:n_items])
    fb = f"<ul class='fb'>{items}</ul>" if items else "<p class='muted'>Замечаний нет.</p>"
    return (f'<div class="post">{head}{blocked}<blockquote>{escape(card.get("excerpt") or "")}'
            f'</blockquote>{fb}</div>')


def _problems(problems: list[dict[str, Any]], examples: int = 2) -> str:
    if not problems:
        return "<p class='muted'>Частых проблем не найдено.</p>"
    out = []
    for i, p in enumerate(problems, 1):
        ex = "".join(
            f'<li>{escape(_date(e.get("published_at")))} «{escape(e.get("excerpt") or "")}»'
            + (f'<br>Фрагмент: <q>{escape(e["fragment"])}</q>' if e.get("fragment") else "")
            + (f'<br><span class="tip">Как лучше: {escape(e["suggestion"])}</span>'
               if e.get("suggestion") else "")
            + "</li>"
            for e in (p.get("examples") or [])[:examples])
        out.append(f'<div class="problem"><b>{i}. {escape(p["title"])}</b> — в '
                   f'{plural(p["posts"], "посте", "постах", "постах")} ({p["share"]:.0%})'
                   f'<ul class="ex">{ex}</ul></div>')
    return "".join(out)


def _weeks(weeks: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{AXIS_RU[a]}</th>" for a in AXES_ALL)
    rows = "".join(f"<tr><td>{escape(week_label(w['week']))}</td><td>{w['posts']}</td>"
                   + "".join(cell(w.get(a)) for a in AXES_ALL) + "</tr>" for w in weeks)
    table = (f"<table class='weeks'><tr><th>Неделя</th><th>Постов</th>{head}</tr>"
             f"{rows}</table>")
    if len(weeks) < 2:
        return table
    series = {AXIS_RU[a]: [w.get(a) for w in weeks] for a in AXES_ALL}
    return table + svg.lines([week_label(w["week"])[:5] for w in weeks], series)


def _one_week(period: dict[str, Any] | None) -> bool:
    """Return whether the report's period lies within seven days."""
    from datetime import datetime

    s, e = (period or {}).get("start"), (period or {}).get("end")
    if not isinstance(s, str) or not isinstance(e, str):
        return False
    try:
        return (datetime.fromisoformat(e) - datetime.fromisoformat(s)).days < 7
    except ValueError:
        return False


def _no_good_posts(r: dict[str, Any]) -> str:
    when = "на этой неделе" if _one_week(r.get("period")) else "за этот период"
    if not r.get("posts"):
        return "<p class='muted'>Нет постов.</p>"
    return (f"<p class='muted'>Хороших постов {when} нет: хорошим считаем пост с итогом от "
            f"{num(r.get('good_post_min') or 60)}.</p>")


def _has_card(r: dict[str, Any], card_url: str | None) -> bool:
    """Return whether the page's card can be opened: from a batch, or from its history."""
    return bool(card_url) and (bool(r.get("history")) or "batch=" in str(card_url))


def card_link(page_id: str, card_url: str | None) -> str:
    """Return the link to the admin's card of a page ('' when cards are not served)."""
    if not card_url:
        return ""
    href = card_url.replace("{id}", quote(page_id, safe=""))
    return (f'<a class="card-link" data-page="{escape(page_id)}" href="{escape(href)}" '
            'target="_blank" rel="noopener">Карточка для администратора</a>')


def page_section(r: dict[str, Any], open_: bool = False, rank: str = "",
                 compact: bool = False, card_url: str | None = None) -> str:
    """Return a collapsible card with the page's report (`compact`: fewer examples, for regions).

    `card_url`: where the admin's card of a page lives, `{id}` standing for the page id.
    """
    posts, items = (2, 2) if compact else (3, 3)
    page = r["page"]
    sc = r["scores"]
    act = r.get("activity") or {}
    er = r.get("engagement_figures") or {}
    inferred = audience_note(er) if page.get("subscribers") is None else None
    subscribers = escape(inferred) if inferred else num(page.get("subscribers"))
    flags = "".join(f'<span class="flag">{escape(x)}</span>' for x in r.get("weak_reasons") or [])
    meters = "".join(f"<div class='axis'><span>{AXIS_RU[a]}</span>{svg.meter(sc.get(a))}</div>"
                     for a in AXES_ALL)
    facts = [
        f"Тип: {escape(page.get('type_ru') or '')}",
        f"категория: {escape(page.get('category_ru') or '')}",
        *([f"муниципалитет: {escape(str(page['municipality']))}"]
          if page.get("municipality") else []),
        f"площадка: {escape(PLATFORM_RU.get(page.get('platform') or '', page.get('platform') or '—'))}",
        f"подписчиков: {subscribers}",
        f"постов: {r['posts']}",
    ]
    if act.get("posts_per_week") is not None:
        facts.append(f"в неделю: {num(act.get('posts_per_week'), 1)} при норме от "
                     f"{num(act.get('norm_per_week'))}")
    if er.get("er_views") is not None:
        note = views_note(er)
        facts.append(f"ER по просмотрам: {num(er['er_views'], 1)}%"
                     + (f" ({escape(note)})" if note else ""))
    if er.get("er_subscribers") is not None:
        facts.append(f"ER по подписчикам: {num(er['er_subscribers'], 2)}%")
    strengths = "".join(f"<li>{escape(s)}</li>" for s in r.get("strengths") or []) \
        or "<li class='muted'>Пока нечем похвалиться — начните с плана ниже.</li>"
    steps = "".join(f"<li>{escape(s)}</li>" for s in r.get("next_week") or [])
    best = "".join(_post(c, items) for c in (r.get("best_posts") or [])[:posts]) \
        or _no_good_posts(r)
    worst = "".join(_post(c, items) for c in (r.get("worst_posts") or [])[:posts]) \
        or "<p class='muted'>Нет.</p>"
    summary_axes = " ".join(f'<span class="chip {svg.level(sc.get(a))}" title="{AXIS_RU[a]}">'
                            f'{AXIS_RU[a][:4]}. {num(sc.get(a))}</span>' for a in AXES)
    return f"""
<details class="page" id="{page_anchor(page['id'])}"{' open' if open_ else ''}
data-type="{escape(page.get('type_ru') or '')}" data-mun="{escape(str(page.get('municipality') or ''))}">
<summary>{escape(rank)}<b>{escape(str(page.get('name') or page['id']))}</b>
<span class="chip big {svg.level(sc.get('overall'))}">итог {num(sc.get('overall'))}</span>
{summary_axes}</summary>
<div class="body">
<p class="facts">{' · '.join(facts)}</p>{('<p>' + flags + '</p>') if flags else ''}
{('<p>' + card_link(page['id'], card_url) + '</p>') if _has_card(r, card_url) else ''}
<div class="cols"><div class="meters">{meters}</div>
<div><h4>Что получается</h4><ul>{strengths}</ul></div></div>{history_block(r)}
<h4>Что сделать на следующей неделе</h4><ol class="steps">{steps}</ol>
<h4>Оценки по неделям</h4>{_weeks(r.get('weeks') or [])}
<h4>Три самые частые проблемы</h4>{_problems(r.get('problems') or [], 1 if compact else 2)}
<div class="cols"><div><h4>Лучшие посты</h4>{best}</div>
<div><h4>Посты, которые стоит разобрать</h4>{worst}</div></div>
</div></details>"""
