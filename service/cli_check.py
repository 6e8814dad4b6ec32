"""`gospablik check`: one text, feedback for a person (marked text, scores, what to fix first)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from service.errors import InputError
from service.scoring import Scorer

COLORS = {"error": "\033[41;97m", "warning": "\033[43;30m", "info": "\033[4;36m"}
RESET = "\033[0m"
BOLD = "\033[1m"
AXES_RU = {
    "readability": "Читаемость",
    "usefulness": "Польза",
    "engagement": "Вовлечённость",
    "activity": "Активность",
    "overall": "Итог",
}
SEVERITY_RU = {"error": "блокирует публикацию", "warning": "исправить", "info": "совет"}


def mark_text(text: str, items: list[dict[str, Any]], color: bool) -> str:
    """Return `text` with the spans of `items` highlighted (colour) or bracketed [[…]]."""
    spans = sorted(
        ((i["start"], i["end"], i["severity"], n) for n, i in enumerate(items, 1)
         if i.get("start") is not None and i["end"] > i["start"]),
        key=lambda x: (x[0], -x[1]),
    )
    out: list[str] = []
    pos = 0
    for s, e, sev, n in spans:
        if s < pos:  # overlapping: the outer span is already marked
            continue
        out.append(text[pos:s])
        frag = text[s:e]
        out.append(f"{COLORS[sev]}{frag}{RESET}[{n}]" if color else f"[[{frag}]][{n}]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def render(text: str, result: dict[str, Any], color: bool) -> str:
    """Return the human-readable report of one scored text."""
    b, r = (BOLD, RESET) if color else ("", "")
    lines = [f"{b}Текст с отмеченными проблемами{r}", "", mark_text(text, result["feedback"], color), ""]
    lines.append(f"{b}Оценки (0–100, больше — лучше){r}")
    for k, v in result["scores"].items():
        if v is None:
            reason = result.get(k, {}).get("reason", "")
            lines.append(f"  {AXES_RU[k]}: нет ({reason})")
        else:
            note = (result.get(k) or {}).get("estimate_note") if k == "engagement" else None
            lines.append(f"  {AXES_RU[k]}: {v:.0f}" + (f" ({note})" if note else ""))
    rd = result["readability"]
    lines.append(
        f"  Уровень сложности: {rd['grade_label']}, чтение ≈ {rd['reading_time_seconds']} с"
    )
    if result["moderation"]["blocked"]:
        lines += ["", f"{b}Публиковать нельзя:{r}"] + [
            f"  • {m}" for m in result["moderation"]["reasons"]
        ]
    if result["feedback"]:
        lines += ["", f"{b}Что исправить (сначала самое важное){r}"]
        for n, it in enumerate(result["feedback"], 1):
            gain = f" (+{it['gain']:.1f})" if it["gain"] >= 0.1 else ""
            lines.append(f"{n}. [{SEVERITY_RU[it['severity']]}] {it['message']}{gain}")
            if it.get("suggestion"):
                lines.append(f"   → {it['suggestion']}")
    else:
        lines += ["", "Замечаний нет: текст хороший."]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Score one text from the argument or stdin and print the report."""
    text = sys.stdin.read() if args.text == "-" else args.text
    scorer = Scorer()
    post: dict[str, Any] = {"text": text}
    if args.platform:
        post["platform"] = args.platform
    if getattr(args, "page_type", None):
        post["page"] = {"type": args.page_type}
    if getattr(args, "attachments", None):
        post["attachments"] = args.attachments
    try:
        result = scorer.score(post)
    except InputError:
        raise
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    print(render(text, result, color))
    return 0
