"""The admin's card: a page's week in plain, encouraging Russian where every sentence carries
a figure — scores and their change, standing among pages of its type, the one thing to fix
next with its gain, and achievements earned over the weeks on record (none invented)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.history.progress import WATCHED, progress, week_ru
from service.report.advice import PROBLEM_TIP
from service.report.labels import AXES, AXIS_RU, page_type_ru, plural, problem_ru, type_gen_pl
from service.ru import count_words, percent

MIN_STREAK = 2  # weeks in a row before a streak is an achievement
MIN_WATCHED_STREAK = 3  # … for a problem the page never had (its absence proves less)
AXIS_RISE = 5.0  # points an axis must have gained since the first week to be named
# «три недели без канцелярита»: problems in the genitive after «без».
WITHOUT = {
    "kantselyarit": "канцелярита",
    "long_sentences": "длинных предложений",
    "unexplained_abbreviation": "непонятных сокращений",
    "no_call_to_action": "постов без призыва к действию",
    "missing_when": "постов без даты и времени",
    "missing_where": "постов без адреса",
    "missing_contact": "постов без телефона или ссылки",
    "wall_of_text": "сплошного текста без абзацев",
    "typos": "опечаток",
    "caps": "слов заглавными буквами",
    "personal_data": "персональных данных в постах",
    "profanity": "грубых слов",
}


def _n(v: float) -> str:
    return f"{v:.0f}"


def points(v: float) -> str:
    """Return «17 баллов», «1 балл», «2,4 балла» (a fraction takes «балла»)."""
    v = abs(v)
    if round(v, 1) != round(v):
        return f"{v:.1f}".replace(".", ",") + " балла"
    return plural(round(v), "балл", "балла", "баллов")


def _ordinal(n: int) -> str:
    """Return «35-е» (место), the neuter ordinal in figures."""
    return f"{n}-е"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def score_sentence(p: Mapping[str, Any]) -> str:
    """Return «Итог недели — 58 из 100, на 17 баллов больше, чем неделей раньше.»"""
    now = p["scores"].get("overall")
    if now is None:
        return "Итог недели посчитать не из чего: у постов нет текста."
    text = f"Итог недели — {_n(now)} из 100"
    d = (p.get("change") or {}).get("overall")
    if d is None:
        return text + "."
    when = "чем неделей раньше" if p.get("consecutive") else \
        f"чем в прошлую неделю в истории ({week_ru({'week': p['previous_week']})})"
    if round(d) == 0:
        return text + f", как и {when.removeprefix('чем ')}."
    return text + f", на {points(round(d))} {'больше' if d > 0 else 'меньше'}, {when}."


def axes_sentence(p: Mapping[str, Any]) -> str:
    """Return «Читаемость 62 (+5), польза 55 (−2), вовлечённость 40, активность 70.»"""
    from service.ru import signed

    parts = []
    for a in AXES:
        v = p["scores"].get(a)
        if v is None:
            continue
        d = (p.get("change") or {}).get(a)
        parts.append(f"{AXIS_RU[a].lower()} {_n(v)}" + (f" ({signed(d)})" if d is not None else ""))
    return _cap(", ".join(parts)) + "." if parts else ""


def first_week_sentence(p: Mapping[str, Any], first: Mapping[str, Any]) -> str | None:
    """Return the change of overall since the first week on record (None for one week)."""
    d = (p.get("change_first") or {}).get("overall")
    if d is None or p.get("weeks", 0) < 3 or round(d) == 0:
        return None
    then = (first.get("scores") or {}).get("overall")
    verb = "вырос" if d > 0 else "снизился"
    return (f"С первой недели в истории ({week_ru(first)}) итог {verb} на {points(round(d))}: "
            f"было {_n(then)}." if then is not None else None)


def standing_sentence(p: Mapping[str, Any], page_type: str | None) -> str | None:
    """Return «Это лучше, чем у 80 % школ региона: 5-е место из 21.» (or the plain place)."""
    rank = p.get("rank") or {}
    n, of = rank.get("type"), rank.get("type_of")
    who = type_gen_pl(page_type)
    out = []
    if n and of and of > 1:
        ahead = rank.get("ahead_of_type")
        if ahead is not None and ahead >= 0.5:
            out.append(f"Это лучше, чем у {percent(ahead)} {who} региона: "
                       f"{_ordinal(n)} место из {of}.")
        else:
            out.append(f"Место среди {who} региона: {n} из {of}.")
    moved = rank.get("region_change")
    if moved and rank.get("region"):
        old = rank["region"] + moved
        out.append(f"В рейтинге региона страница {'поднялась' if moved > 0 else 'опустилась'} "
                   f"за неделю на {plural(abs(moved), 'место', 'места', 'мест')}: с "
                   f"{old}-го на {_ordinal(rank['region'])}.")
    return " ".join(out) or None


def fix_next(last: Mapping[str, Any] | None, row: Mapping[str, Any] | None) -> str | None:
    """Return the one thing to fix next week, with its gain where the page report knows it.

    Order as in the trainer's plan (service.report.advice): blocked posts, then the posting
    norm, then the problem that costs the page most points (posts × gain per post).
    """
    blocked = (row or {}).get("blocked_posts") if row else (last or {}).get("blocked")
    if blocked:
        return (f"Главное — снять или исправить {plural(blocked, 'пост', 'поста', 'постов')} "
                "с нарушениями (персональные данные, грубые слова): такие посты нельзя "
                "оставлять в ленте.")
    act = (row or {}).get("activity") or {}
    if row:
        norm, posts = act.get("norm_per_week"), act.get("posts_per_week")
    else:
        norm, posts = (last or {}).get("norm_per_week"), (last or {}).get("posts")
    if norm and posts is not None and posts < norm:
        need = max(1, round(norm - posts))
        return (f"Главное — публиковать чаще: {_n(posts)} в неделю при норме от {_n(norm)}. "
                f"Добавьте ещё {plural(need, 'пост', 'поста', 'постов')} и распределите их по "
                "дням недели.")
    probs = list((row or {}).get("problems") or [])
    total = (row or {}).get("posts") or 0
    if probs and total:
        top = max(probs, key=lambda q: (q["posts"] * (q.get("gain") or 0.0), q["posts"]))
        tip = PROBLEM_TIP.get(top["code"]) or top.get("suggestion") or ""
        page_gain = (top.get("gain") or 0.0) * top["posts"] / total
        text = (f"Главное на следующую неделю — «{problem_ru(top['code'], top['title'])}»: "
                f"в {top['posts']} из {plural(total, 'поста', 'постов', 'постов')}. {tip}").strip()
        if page_gain >= 0.5:
            text += f" Так итог страницы вырастет примерно на {points(round(page_gain, 1))}."
        return text
    found = {c: k for c, k in ((last or {}).get("problems") or {}).items() if k}
    if found and last:
        code = max(found, key=lambda c: (found[c], c))
        with_text = last.get("posts_with_text") or last.get("posts") or found[code]
        tip = PROBLEM_TIP.get(code, "")
        return (f"Главное на следующую неделю — «{problem_ru(code)}»: в {found[code]} из "
                f"{plural(with_text, 'поста', 'постов', 'постов')}. {tip}").strip()
    return None


def achievements(p: Mapping[str, Any], weeks: list[Mapping[str, Any]]) -> list[str]:
    """Return what the page earned over its weeks, each with its figure; none without data."""
    out: list[str] = []
    s = p.get("streaks") or {}
    weeks_f = {"one": "неделя", "few": "недели", "many": "недель"}

    def count(n: int) -> str:
        return count_words(n, weeks_f["one"], weeks_f["few"], weeks_f["many"], feminine=True)

    if (s.get("norm") or 0) >= MIN_STREAK and s.get("norm_per_week"):
        out.append(f"{_cap(count(s['norm']))} подряд по норме публикаций: не меньше "
                   f"{plural(round(s['norm_per_week']), 'поста', 'постов', 'постов')} в неделю.")
    for code, st in (s.get("without") or {}).items():
        earned = st["had_before"] and st["weeks"] >= MIN_STREAK
        kept = code in WATCHED[:2] and st["weeks"] >= MIN_WATCHED_STREAK
        if (earned or kept) and code in WITHOUT:
            out.append(f"{_cap(count(st['weeks']))} без {WITHOUT[code]}"
                       + (" — а раньше были." if st["had_before"] else "."))
    if (s.get("no_blocked") or 0) >= MIN_STREAK + 1:
        out.append(f"{_cap(count(s['no_blocked']))} подряд без постов с нарушениями.")
    for g in (p.get("problems_gone") or [])[:2]:
        out.append(f"Ушла проблема «{problem_ru(g['code'])}»: неделей раньше она была в "
                   f"{plural(g['before'], 'посте', 'постах', 'постах')}.")
    rises = [(p["change_first"][a], a) for a in AXES
             if (p.get("change_first") or {}).get(a) is not None
             and p["change_first"][a] >= AXIS_RISE]
    if rises and weeks:
        d, a = max(rises)
        then = (weeks[0].get("scores") or {}).get(a)
        if then is not None:  # every axis name is feminine: «выросла»
            out.append(f"{AXIS_RU[a]} выросла с {_n(then)} до {_n(p['scores'][a])} с недели "
                       f"{week_ru(weeks[0])}.")
    best = p.get("best_overall")
    now = (p.get("scores") or {}).get("overall")
    if p.get("weeks", 0) >= 3 and best is not None and now is not None and now >= best:
        out.append(f"Итог {_n(now)} — лучший за {count(p['weeks'])} в истории.")
    return out


def build_card(history: Mapping[str, Any] | None,
               row: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the admin's card of a page from its history (`page_history`) and, when the card
    is opened from a batch, the page's row of that region report (problems with gains)."""
    weeks = list((history or {}).get("weeks") or [])
    page = dict((history or {}).get("page") or {})
    if row:
        page = {**{k: v for k, v in row["page"].items() if v not in (None, "")}, **{
            k: v for k, v in page.items() if v not in (None, "")}}
    norm = ((row or {}).get("activity") or {}).get("norm_per_week")
    p = progress(weeks, norm) if weeks else None
    if p is None:  # a batch's page without history: this report's figures, no change
        scores = dict((row or {}).get("scores") or {})
        p = {"weeks": 0, "scores": scores, "change": {}, "change_first": {}}
    last = weeks[-1] if weeks else None
    sentences = [score_sentence(p), axes_sentence(p)]
    if weeks:
        first = first_week_sentence(p, weeks[0])
        if first:
            sentences.append(first)
    standing = standing_sentence(p, page.get("type")) if weeks else None
    if len(weeks) == 1:
        sentences.append(f"Это первая неделя страницы в истории ({week_ru(weeks[0])}): "
                         "изменения будут видны после загрузки следующей.")
    return {
        "page": {"id": page.get("id"), "name": page.get("name") or page.get("id"),
                 "type": page.get("type"), "type_ru": page_type_ru(page.get("type")),
                 "municipality": page.get("municipality"), "region": page.get("region")},
        "week": None if last is None else last.get("week"),
        "week_ru": None if last is None else week_ru(last),
        "weeks": [{"week": w.get("week"), "start": w.get("start"),
                   "overall": (w.get("scores") or {}).get("overall")} for w in weeks],
        "scores": p["scores"], "change": p.get("change") or {},
        "trend": p.get("trend"), "trend_label": p.get("label"),
        "summary": [s for s in sentences if s],
        "standing": standing,
        "achievements": achievements(p, weeks) if weeks else [],
        "fix_next": fix_next(last, row),
    }


def card_text(card: Mapping[str, Any]) -> str:
    """Return the card as plain text for a message (messenger, e-mail)."""
    head = f"{card['page']['name']}" + (f" — неделя {card['week_ru']}" if card.get("week_ru")
                                       else "")
    lines = [head, "", *card["summary"]]
    if card.get("standing"):
        lines.append(card["standing"])
    if card.get("achievements"):
        lines += ["", "Что получилось:", *[f"— {a}" for a in card["achievements"]]]
    if card.get("fix_next"):
        lines += ["", card["fix_next"]]
    return "\n".join(lines) + "\n"
