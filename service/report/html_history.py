"""HTML of a page's progress over weeks: charts per axis, changes, problems gone and new,
streaks, rank movement, and the trend cell of the trainer's tables."""

from __future__ import annotations

from html import escape
from typing import Any

from service.history.progress import week_ru
from service.report import svg
from service.report.history_view import trend_text
from service.report.labels import AXES_ALL, AXIS_RU, plural, problem_ru, type_gen_pl
from service.ru import count_words, signed

TREND_CLASS = {"up": "good", "down": "bad", "flat": "none"}


def _n(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def _change(v: float | None) -> str:
    if v is None:
        return "<td class='none'>—</td>"
    cls = "good" if v >= 1 else "bad" if v <= -1 else "none"
    return f"<td class='{cls}' data-v='{v}'>{signed(v)}</td>"


def trend_cell(r: dict[str, Any]) -> str:
    """Return the table cell of a page's trend (empty note when it has no history)."""
    p = (r.get("history") or {}).get("progress") or {}
    if not p.get("trend"):
        weeks = p.get("weeks") or 0
        note = "одна неделя в истории" if weeks == 1 else "нет истории"
        return f"<td class='muted' data-v='0'>{note}</td>"
    order = {"up": 1, "flat": 0, "down": -1}[p["trend"]]
    return (f"<td class='{TREND_CLASS[p['trend']]}' data-v='{order}'>"
            f"{escape(trend_text(p))}</td>")


def week_change_cell(r: dict[str, Any]) -> str:
    """Return the ranking table's cell: the change of overall since the previous week."""
    p = (r.get("history") or {}).get("progress") or {}
    return _change((p.get("change") or {}).get("overall"))


def _rank_line(p: dict[str, Any], page_type: str | None) -> str:
    rank = p.get("rank") or {}
    if not rank.get("region"):
        return ""
    text = f"Место в регионе: {rank['region']} из {rank.get('region_of') or '?'}"
    moved = rank.get("region_change")
    if moved:
        text += (f" (за неделю {'выше' if moved > 0 else 'ниже'} на "
                 f"{plural(abs(moved), 'место', 'места', 'мест')})")
    if rank.get("type") and rank.get("type_of"):
        text += f"; среди {type_gen_pl(page_type)}: {rank['type']} из {rank['type_of']}"
    return f"<li>{escape(text)}.</li>"


def _streak_lines(p: dict[str, Any]) -> list[str]:
    s = p.get("streaks") or {}
    out = []
    if s.get("norm"):
        out.append(f"{count_words(s['norm'], 'неделя', 'недели', 'недель', feminine=True)} "
                   f"подряд не меньше {_n(s.get('norm_per_week'))} постов в неделю (норма "
                   "публикаций)")
    if s.get("no_blocked") and s["no_blocked"] >= 2:
        out.append(f"{count_words(s['no_blocked'], 'неделя', 'недели', 'недель', feminine=True)}"
                   " подряд без постов с нарушениями")
    for code, st in (s.get("without") or {}).items():
        if st.get("had_before") and st["weeks"] >= 1:
            out.append(f"{count_words(st['weeks'], 'неделя', 'недели', 'недель', feminine=True)}"
                       f" без проблемы «{problem_ru(code)}», которая была раньше")
    return [s_[0].upper() + s_[1:] for s_ in out]


def history_block(r: dict[str, Any]) -> str:
    """Return the «Как менялась страница» block of a page card ('' without history)."""
    h = r.get("history") or {}
    weeks, p = h.get("weeks") or [], h.get("progress") or {}
    if not weeks:
        return ""
    if len(weeks) == 1:
        return (f"<h4>Как менялась страница</h4><p class='muted'>В истории пока одна неделя "
                f"({escape(week_ru(weeks[0]))}): изменения будут видны после загрузки "
                "следующей.</p>")
    labels = [week_ru(w) for w in weeks]
    first = escape(labels[0])
    rows = "".join(
        f"<tr><td>{AXIS_RU[a]}</td><td>"
        f"{svg.spark([(w.get('scores') or {}).get(a) for w in weeks], labels)}</td>"
        f"{_cell(p['scores'].get(a))}{_change(p['change'].get(a))}"
        f"{_change(p['change_first'].get(a))}</tr>" for a in AXES_ALL)
    items = [_rank_line(p, r["page"].get("type"))]
    gone = ", ".join(f"«{problem_ru(g['code'])}» (было в "
                     f"{plural(g['before'], 'посте', 'постах', 'постах')})"
                     for g in p.get("problems_gone") or [])
    new = ", ".join(f"«{problem_ru(g['code'])}» (в {plural(g['now'], 'посте', 'постах', 'постах')})"
                    for g in p.get("problems_new") or [])
    if gone:
        items.append(f"<li class='good'>Ушли проблемы: {escape(gone)}.</li>")
    if new:
        items.append(f"<li class='bad'>Появились проблемы: {escape(new)}.</li>")
    items += [f"<li>{escape(s)}.</li>" for s in _streak_lines(p)]
    trend = trend_text(p)
    head = (f"<p class='{TREND_CLASS.get(p.get('trend') or '', 'none')}'><b>{escape(trend)}</b>"
            f"</p>") if trend else ""
    return (f"<h4>Как менялась страница: {plural(len(weeks), 'неделя', 'недели', 'недель')}"
            f" в истории</h4>{head}<table class='hist'><tr><th>Оценка</th><th>По неделям</th>"
            f"<th>Последняя неделя</th><th>За неделю</th><th>С недели {first}</th></tr>{rows}"
            f"</table><ul>{''.join(items)}</ul>")


def _cell(v: float | None) -> str:
    return f'<td class="s {svg.level(v)}">{_n(v)}</td>'
