"""`gospablik history PAGE_ID [--json]`: a page's weeks on record, for a person or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from service.errors import NotFoundError
from service.report.labels import page_type_ru
from service.report.posts import week_label

COLUMNS = ("неделя", "посты", "читаемость", "польза", "вовлечённость", "активность", "итог",
           "место")
AXES = ("readability", "usefulness", "engagement", "activity")


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def _overall(week: dict[str, Any], prev: dict[str, Any] | None) -> str:
    """Return the overall score with its change since the previous week on record: «58 (+17)»."""
    now = week["scores"].get("overall")
    before = (prev or {}).get("scores", {}).get("overall")
    if now is None or before is None:
        return _num(now)
    delta = round(now - before)
    return f"{now:.0f} ({delta:+d})" if delta else f"{now:.0f} (=)"


def _place(rank: dict[str, Any]) -> str:
    if not rank.get("region"):
        return "—"
    return f"{rank['region']} из {rank['region_of']}"


def table(history: dict[str, Any]) -> str:
    """Return the page's weeks as a small text table with a heading."""
    page = history["page"]
    kind = page_type_ru(page.get("type")) if page.get("type") else None
    where = ", ".join(x for x in (kind, page.get("municipality"), page.get("region")) if x)
    lines = [f"{page.get('name') or page['id']} ({page['id']})" + (f" — {where}" if where else "")]
    rows = [list(COLUMNS)]
    prev = None
    for w in history["weeks"]:
        posts = str(w["posts"]) + (f" ({w['blocked']} с нарушениями)" if w["blocked"] else "")
        rows.append([f"{w['week']} ({week_label(w['week'])})", posts,
                     *(_num(w["scores"].get(a)) for a in AXES), _overall(w, prev),
                     _place(w["rank"])])
        if w["scores"].get("overall") is not None:
            prev = w
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                               for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("место — среди страниц региона по итогу за неделю; в скобках — изменение итога "
                 "с прошлой недели в истории")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the page's history; an unknown page raises `NotFoundError` (exit code 1)."""
    from service.history import get_store

    history = get_store().page_history(args.page_id)
    if history is None:
        raise NotFoundError(f"страницы «{args.page_id}» нет в истории: сначала загрузите её посты "
                            "(gospablik report ФАЙЛ -o отчёт.html --save или пакетом через API)")
    if args.json:
        sys.stdout.write(json.dumps(history, ensure_ascii=False, indent=2) + "\n")
    else:
        print(table(history))
    return 0
