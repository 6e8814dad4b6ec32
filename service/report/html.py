"""Self-contained HTML reports (inline CSS, SVG and a few lines of JS; nothing from the internet)."""

from __future__ import annotations

from html import escape
from typing import Any

from service.report import svg
from service.report.html_history import trend_cell, week_change_cell
from service.report.html_page import cell, num, page_anchor, page_section
from service.report.labels import AXES, AXES_ALL, AXIS_RU, plural
from service.report.posts import week_label

WEAK_TABLE_LIMIT = 150
CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#212121;
margin:0 auto;max-width:1180px;padding:16px 20px 60px}
h1{font-size:26px;margin:8px 0}h2{margin-top:34px;border-bottom:2px solid #e0e0e0;padding-bottom:4px}
h4{margin:16px 0 6px}.muted{color:#757575}.help{background:#f5f7fa;border-left:4px solid #1565c0;
padding:10px 14px;margin:12px 0}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{background:#f5f7fa;border-radius:8px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:24px}table{border-collapse:collapse;margin:8px 0;width:100%}
th,td{border-bottom:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafafa;position:sticky;top:0;cursor:pointer}td.s{text-align:center;font-weight:600}
.good{color:#1b5e20}.mid{color:#8d6e00}.bad{color:#b71c1c}.none{color:#9e9e9e}
td.good{background:#e8f5e9}td.mid{background:#fff8e1}td.bad{background:#ffebee}
.chip{display:inline-block;border-radius:10px;padding:0 7px;margin-left:4px;font-size:13px;
background:#f0f0f0}.chip.big{font-weight:700}.flag{display:inline-block;background:#ffebee;
color:#b71c1c;border-radius:4px;padding:1px 6px;margin:2px 4px 2px 0;font-size:13px}
details.page{border:1px solid #e0e0e0;border-radius:8px;margin:8px 0;padding:6px 12px}
details.page summary{cursor:pointer}.body{padding:4px 0 8px}.cols{display:flex;flex-wrap:wrap;gap:24px}
.cols>div{flex:1 1 420px}.axis{display:flex;align-items:center;gap:8px}.axis span{width:120px}
.post{border-left:3px solid #bdbdbd;padding:4px 10px;margin:8px 0}.meta{font-size:13px;color:#616161}
blockquote{margin:4px 0;color:#424242}.fb{margin:4px 0;padding-left:18px}.tip{color:#1b5e20}
.sev{font-size:12px;border-radius:3px;padding:0 4px;background:#eee}.sev.error{background:#ffcdd2}
.sev.warning{background:#fff3c4}.blocked{color:#b71c1c;font-weight:600}q{background:#fff3c4}
svg text{font:12px system-ui,Arial,sans-serif;fill:#424242}svg .t{font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:14px}.steps li{margin:4px 0}
.meter{display:inline-block;height:10px;background:#eee;vertical-align:middle}
.meter i{display:block;height:10px}.meter i.good{background:#2e7d32}.meter i.mid{background:#f9a825}
.meter i.bad{background:#c62828}input.filter{padding:6px 10px;width:320px;font-size:15px}
select.filter{padding:5px 8px;font-size:15px;margin-left:8px}table.hist{width:auto}
table.hist td{vertical-align:middle}svg.spark{display:block}td.good,p.good,li.good{color:#1b5e20}
a.card-link{display:inline-block;border:1px solid #1565c0;border-radius:6px;padding:2px 10px;
text-decoration:none}
@media print{details.page{break-inside:avoid}th{position:static}}
"""
JS = """
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.title='Нажмите, чтобы упорядочить';
th.addEventListener('click',function(){var t=th.closest('table'),b=t.tBodies[0],rows=[].slice.call(b.rows),
d=th.dataset.dir==='1'?-1:1;th.dataset.dir=d===1?'1':'-1';rows.sort(function(x,y){
var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent,
p=parseFloat(a.replace(',','.')),q=parseFloat(c.replace(',','.'));
if(!isNaN(p)&&!isNaN(q))return (p-q)*d;return a.localeCompare(c,'ru')*d;});
rows.forEach(function(r){b.appendChild(r);});});});
var f=document.getElementById('filter'),ft=document.getElementById('f-type'),fm=document.getElementById('f-mun');
function applyFilter(){var s=f?f.value.toLowerCase():'',t=ft?ft.value:'',m=fm?fm.value:'';
document.querySelectorAll('#ranking tbody tr,#weak tbody tr,details.page').forEach(function(r){
var ok=(!t||r.dataset.type===t)&&(!m||r.dataset.mun===m)&&
(!s||r.tagName!=='TR'||r.textContent.toLowerCase().indexOf(s)>=0);r.style.display=ok?'':'none';});}
[f,ft,fm].forEach(function(x){if(x)x.addEventListener(x.tagName==='INPUT'?'input':'change',applyFilter);});
document.querySelectorAll('a[href^="#p-"]').forEach(function(a){a.addEventListener('click',function(){
var d=document.getElementById(a.getAttribute('href').slice(1));if(d)d.open=true;});});
"""
HELP = """<div class="help"><b>Как читать отчёт.</b> У каждой страницы четыре оценки от 0 до 100:
<b>читаемость</b> (легко ли понять текст), <b>польза</b> (есть ли в постах то, что нужно жителю:
что, когда, где, как), <b>вовлечённость</b> (как жители реагируют с учётом просмотров и размера
страницы; маленькие выборки не получают высоких мест) и <b>активность</b> (сколько и как регулярно
страница публикует по норме своей категории). <b>Итог</b> — среднее доступных оценок.
Числа с пометкой <b>«оценка по просмотрам»</b> не даны в файле, а выведены: если число
подписчиков не указано, аудитория оценена по просмотрам (<b>«оценка по подписчикам»</b> —
наоборот, просмотры оценены по числу подписчиков).
Цвет: <span class="good">зелёный</span> — 70 и выше, <span class="mid">жёлтый</span> — 45–69,
<span class="bad">красный</span> — ниже 45. Нажмите на название страницы, чтобы открыть её разбор:
сильные стороны, частые проблемы с примерами, лучшие и худшие посты и план на неделю.</div>"""


def _doc(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="ru"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}"
            f"<script>{JS}</script></body></html>")


def _period(p: dict[str, Any]) -> str:
    s, e = p.get("start"), p.get("end")
    if not s:
        return "период не указан"
    return f"{s[8:10]}.{s[5:7]}.{s[:4]} — {e[8:10]}.{e[5:7]}.{e[:4]}" if e else s[:10]


def _link(r: dict[str, Any]) -> str:
    return (f'<a href="#{page_anchor(r["page"]["id"])}">'
            f'{escape(str(r["page"].get("name") or r["page"]["id"]))}</a>')


def _silent(rows: list[dict[str, Any]]) -> str:
    silent = [r for r in rows if not r["posts"]]
    if not silent:
        return ""
    links = ", ".join(_link(r) for r in silent)
    return (f"<details><summary><b>Без постов за период: "
            f"{plural(len(silent), 'страница', 'страницы', 'страниц')}</b> — откройте список"
            f"</summary><p>{links}</p></details>")


def _row_attrs(r: dict[str, Any]) -> str:
    """Return the data attributes the type and municipality filters read."""
    page = r["page"]
    return (f' data-type="{escape(page.get("type_ru") or "")}"'
            f' data-mun="{escape(str(page.get("municipality") or ""))}"')


def _filters(rows: list[dict[str, Any]]) -> str:
    """Return the filters of the trainer's tables: text, page type, municipality."""
    def select(key: str, attr: str, everything: str) -> str:
        values = sorted({str(r["page"].get(attr) or "") for r in rows} - {""})
        if not values:
            return ""
        opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        return (f"<select id='{key}' class='filter' aria-label='{everything}'>"
                f"<option value=''>{everything}</option>{opts}</select>")

    return (f"<p><input id='filter' class='filter' placeholder='Найти страницу по названию или "
            f"типу'>{select('f-type', 'type_ru', 'все типы')}"
            f"{select('f-mun', 'municipality', 'все муниципалитеты')}</p>")


def _weak_table(rows: list[dict[str, Any]]) -> str:
    weak = [r for r in rows if r["weak"] and r["posts"]]
    if not weak:
        return "<p>Среди страниц с постами слабых нет: все публикуют по норме.</p>" + _silent(rows)
    body = "".join(
        f"<tr{_row_attrs(r)}><td>{_link(r)}</td><td>{escape(r['page']['type_ru'])}</td>"
        f"<td>{escape(r['page']['category_ru'])}</td><td>{r['posts']}</td>{cell(r['scores'].get('overall'))}"
        f"{trend_cell(r)}<td>{escape('; '.join(r['weak_reasons']))}</td></tr>"
        for r in weak[:WEAK_TABLE_LIMIT])
    more = (f"<p class='muted'>Показаны {WEAK_TABLE_LIMIT} самых слабых из {len(weak)}; "
            "полный список — в таблице ниже и в выгрузке XLSX.</p>") if len(weak) > WEAK_TABLE_LIMIT else ""
    return (f"<table id='weak' class='sortable'><thead><tr><th>Страница</th><th>Тип</th>"
            f"<th>Категория</th><th>Постов</th><th>Итог</th><th>Динамика</th><th>Почему</th>"
            f"</tr></thead><tbody>{body}</tbody></table>{more}{_silent(rows)}")


def _ranking(rows: list[dict[str, Any]]) -> str:
    ordered = sorted(rows, key=lambda r: r["ranks"]["overall"])
    head = "".join(f"<th>{AXIS_RU[a]}</th>" for a in AXES_ALL)
    body = "".join(
        f"<tr{_row_attrs(r)}><td>{r['ranks']['overall']}</td><td>{_link(r)}</td>"
        f"<td>{escape(r['page']['type_ru'])}</td><td>{escape(r['page']['category_ru'])}</td>"
        f"<td>{r['posts']}</td>"
        + "".join(cell(r["scores"].get(a)) for a in AXES_ALL)
        + f"{week_change_cell(r)}<td>{'да' if r['weak'] else ''}</td></tr>"
        for r in ordered)
    return (f"<table id='ranking' class='sortable'><thead><tr><th>Место</th><th>Страница</th>"
            f"<th>Тип</th><th>Категория</th><th>Постов</th>{head}<th>Итог за неделю</th>"
            f"<th>Нужна помощь</th></tr></thead><tbody>{body}</tbody></table>")


def _axis_tops(rows: list[dict[str, Any]], n: int = 5) -> str:
    out = []
    for a in AXES:
        rated = sorted((r for r in rows if r["scores"].get(a) is not None),
                       key=lambda r: r["ranks"][a])
        if not rated:
            continue
        top = "".join(f"<li>{_link(r)} — {num(r['scores'][a])}</li>" for r in rated[:n])
        low = "".join(f"<li>{_link(r)} — {num(r['scores'][a])}</li>" for r in rated[-n:][::-1])
        out.append(f"<div><h4>{AXIS_RU[a]}</h4><b>Лучшие</b><ol>{top}</ol>"
                   f"<b>Слабые</b><ul>{low}</ul></div>")
    return f"<div class='cols'>{''.join(out)}</div>"


def _groups(groups: list[dict[str, Any]], title: str) -> str:
    head = "".join(f"<th>{AXIS_RU[a]}</th>" for a in AXES_ALL)
    body = "".join(
        f"<tr><td>{escape(g['label'])}</td><td>{g['pages']}</td><td>{g['posts']}</td>"
        f"<td>{num(g['posts_per_week_median'], 1)}</td><td>{g['weak_share']:.0%}</td>"
        + "".join(cell(g["scores"].get(a)) for a in AXES_ALL) + "</tr>" for g in groups)
    chart = svg.hbars([(g["label"], g["scores"].get("overall")) for g in groups])
    return (f"<table class='sortable'><thead><tr><th>{title}</th><th>Страниц</th><th>Постов</th>"
            f"<th>Постов в неделю (медиана)</th><th>Нужна помощь</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><h4>Средний итог: {title.lower()}</h4>{chart}")


def _history_note(report: dict[str, Any]) -> str:
    """Return how many pages have a history and how they moved since their previous week."""
    h = report.get("history") or {}
    if not h.get("pages"):
        return ""
    moved = h["up"] + h["down"] + h["flat"]
    text = (f"История есть у {plural(h['pages'], 'страницы', 'страниц', 'страниц')} "
            f"(до {plural(h['max_weeks'], 'недели', 'недель', 'недель')}).")
    if moved:
        text += (f" По сравнению с предыдущей неделей итог вырос у {h['up']}, упал у "
                 f"{h['down']}, без заметных перемен — у {h['flat']}.")
    return f"<p>{escape(text)}</p>"


def render_region(report: dict[str, Any], title: str = "Отчёт по госпабликам региона",
                  card_url: str | None = None) -> str:
    """Return the region report as one self-contained HTML document.

    `card_url`: the address of a page's admin card with `{id}` for the page id; without it
    the report links no cards (a saved file has no service behind it).
    """
    s, rows = report["summary"], report["pages"]
    cards = "".join(f"<div class='card'>{label}<b>{value}</b></div>" for label, value in (
        ("Страниц", num(s["pages"])), ("Постов", num(s["posts"])),
        ("Нужна помощь", f"{num(s['weak_pages'])} стр."), ("Средний итог", num(s["scores"]["overall"])),
        ("Посты с нарушениями", num(s["blocked_posts"])), ("Строк с ошибками", num(s["errors"]))))
    dists = "".join(svg.histogram(report["distributions"][a]["bins"], AXIS_RU[a]) for a in AXES_ALL)
    probs = report.get("problems") or []
    prob_chart = svg.hbars([(p["title"], 100 * p["share"]) for p in probs], unit="%",
                           colored=False, label_w=260) if probs else "<p>Частых проблем нет.</p>"
    weeks = report.get("weeks") or []
    trend = svg.lines([week_label(w["week"])[:5] for w in weeks], {AXIS_RU[a]: [w.get(a) for w in weeks]
                                                   for a in ("readability", "usefulness",
                                                             "engagement", "overall")}) \
        if len(weeks) > 1 else ""
    sections = "".join(page_section(r, rank=f"№ {r['ranks']['overall']} · ", compact=True,
                                    card_url=card_url) for r in rows)
    body = f"""
<h1>{escape(title)}</h1><p class="muted">Период: {_period(s['period'])} ·
{plural(s['pages_with_posts'], 'страница', 'страницы', 'страниц')} с постами из {s['pages']}</p>
<div class="cards">{cards}</div>{_history_note(report)}{HELP}{_filters(rows)}
<h2>Кому помочь в первую очередь</h2>
<p>Страницы ниже нормы публикаций своей категории, в нижних 10% региона по итогу
(итог ≤ {num(s.get('overall_p10'))}) или с нарушениями. Самые слабые — сверху.</p>{_weak_table(rows)}
<h2>Как распределены оценки страниц</h2><div class="charts">{dists}</div>{trend}
<h2>Сравнение по типам страниц</h2>{_groups(report['by_type'], 'Тип')}
<h2>Сравнение по категориям</h2>{_groups(report['by_category'], 'Категория')}
<h2>Частые проблемы в регионе</h2><p>Доля постов, где встречается проблема.</p>{prob_chart}
<h2>Лидеры и отстающие по каждой оценке</h2>{_axis_tops(rows)}
<h2>Рейтинг всех страниц</h2>
<p class="muted">Место — по итоговой оценке. Нажмите на заголовок столбца, чтобы упорядочить.</p>
{_ranking(rows)}
<h2>Разбор каждой страницы</h2><p class="muted">Сначала страницы, которым нужна помощь.</p>
{sections}"""
    return _doc(title, body)


def render_page(report: dict[str, Any], card_url: str | None = None) -> str:
    """Return one page's report as a self-contained HTML document."""
    name = str(report["page"].get("name") or report["page"]["id"])
    body = (f"<h1>{escape(name)}</h1><p class='muted'>Период: {_period(report['period'])}</p>"
            f"{HELP}{page_section(report, open_=True, card_url=card_url)}")
    return _doc(f"Отчёт: {name}", body)
