"""What a trainer tells a page: strengths and concrete steps for next week, in plain Russian."""

from __future__ import annotations

from typing import Any

from service.report.labels import AXIS_RU, RUBRIC_RU, plural
from service.report.posts import views_note

GOOD = 70.0
WEAK = 45.0
PROTOCOL_RUBRICS = ("official_activity", "greetings")
AXIS_STRENGTH = {
    "readability": "Тексты легко читать",
    "usefulness": "Посты полезны жителям: в них есть факты, сроки и контакты",
    "engagement": "Жители активно реагируют на посты",
    "activity": "Страница публикует посты регулярно и в нужном объёме",
}
# What to do about a recurring problem, said once for the whole page.
PROBLEM_TIP = {
    "kantselyarit": "Замените штампы простыми словами: «в рамках» → «на», «осуществляется» → "
                    "«идёт», «данный» → «этот»; пишите так, как сказали бы соседу.",
    "long_sentences": "Делите длинные предложения: одна мысль — одно предложение, до 20 слов.",
    "unexplained_abbreviation": "Расшифровывайте сокращения при первом упоминании: "
                                "не «МБУ ДО», а «Дом детского творчества».",
    "no_call_to_action": "Заканчивайте пост тем, что сделать читателю: записаться, позвонить, "
                         "прийти, ответить в комментариях.",
    "missing_when": "Указывайте дату и время: «в субботу, 15 марта, с 10:00 до 14:00».",
    "missing_where": "Указывайте адрес или место: улица, дом, кабинет, как пройти.",
    "missing_contact": "Добавляйте телефон или ссылку, по которым можно записаться или "
                       "задать вопрос.",
    "wall_of_text": "Разбивайте текст на абзацы по 2–3 предложения, главное — в первой строке.",
    "too_short": "Одна подпись к фото ничего не объясняет: добавьте 2–3 предложения — что, "
                 "когда и зачем.",
    "caps": "Не пишите заглавными буквами: выделяйте главное первой строкой или списком.",
    "exclamation_overuse": "Оставьте один восклицательный знак на пост, остальные замените "
                           "точками.",
    "emoji_overuse": "Оставьте 1–3 эмодзи на пост, в начале смысловых блоков.",
    "hashtag_overuse": "Оставьте 2–3 хештега, которые жители правда ищут.",
    "personal_data": "Не публикуйте данные частных лиц: адреса, телефоны, даты рождения, "
                     "фамилии детей — уберите их из постов.",
    "profanity": "Уберите грубые слова и попросите модераторов скрыть такие комментарии.",
    "typos": "Перечитывайте текст перед публикацией или проверяйте его в сервисе.",
}
AXIS_STEP = {
    "readability": ("Пишите короче: одна мысль — одно предложение до 20 слов, абзацы по 2–3 "
                    "предложения. Перед публикацией проверьте черновик в сервисе."),
    "usefulness": ("В каждом посте отвечайте на вопросы жителя: что, когда, где и как "
                   "(дата, время, адрес, телефон или ссылка)."),
    "engagement": ("Заканчивайте пост вопросом к читателям или просьбой, добавляйте своё фото "
                   "или видео вместо картинки из интернета."),
}


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def strengths(report: dict[str, Any]) -> list[str]:
    """Return what the page does well, each with the figure that shows it."""
    out = []
    scores = report.get("scores") or {}
    for axis, text in AXIS_STRENGTH.items():
        v = scores.get(axis)
        if v is not None and v >= GOOD:
            out.append(f"{text}: {AXIS_RU[axis].lower()} {_fmt(v)} из 100.")
    act = report.get("activity") or {}
    days = act.get("active_days")
    if days and days >= 5:
        out.append(f"Посты выходят почти каждый день: {plural(int(days), 'день', 'дня', 'дней')} "
                   "с публикациями за неделю.")
    figures = report.get("engagement_figures") or {}
    er = figures.get("er_views")
    if er is not None and er >= 3:
        note = views_note(figures)
        out.append(f"Высокая отдача на просмотры: ER {er:.1f}% (реакции к просмотрам"
                   + (f", {note})." if note else ")."))
    mix = report.get("rubrics") or {}
    useful = sum(v for k, v in mix.items()
                 if k in ("services", "safety", "housing_utilities", "transport_roads",
                          "health", "social_support", "dialogue"))
    if report.get("posts") and useful >= 0.5:
        out.append(f"Больше половины постов о том, что нужно жителям: {useful:.0%}.")
    if report.get("posts") and not report.get("blocked_posts"):
        out.append("Нет постов, которые нужно снять по правилам модерации.")
    best = report.get("best_posts") or []
    if best and (best[0]["scores"].get("overall") or 0) >= 75:
        out.append(f"Есть образцовый пост ({_fmt(best[0]['scores']['overall'])} из 100) — "
                   "на него можно равняться.")
    return out[:5]


def next_week(report: dict[str, Any]) -> list[str]:
    """Return concrete steps for next week, most important first."""
    steps: list[str] = []
    if report.get("blocked_posts"):
        steps.append(f"Снимите или исправьте {plural(report['blocked_posts'], 'пост', 'поста', 'постов')} "
                     "с нарушениями (персональные данные, грубые слова) — это важнее всего.")
    act = report.get("activity") or {}
    ppw, norm = act.get("posts_per_week"), act.get("norm_per_week")
    if report.get("posts", 0) == 0:
        steps.append("За период нет ни одного поста. Начните с 2–3 постов в неделю: "
                     "расписание, новости для жителей, ответы на частые вопросы.")
    elif ppw is not None and norm and ppw < norm:
        need = max(1, round(norm - ppw))
        steps.append(f"Публикуйте чаще: сейчас {ppw:.0f} в неделю при норме {norm:.0f} для "
                     f"категории «{report['page'].get('category_ru', '')}». Добавьте ещё "
                     f"{plural(need, 'пост', 'поста', 'постов')} и распределите их по дням недели.")
    if (report.get("engagement_figures") or {}).get("reach_drop"):
        steps.append("ER вырос только потому, что упали просмотры: посты видит всё меньше людей. "
                     "Публикуйте в часы, когда жители онлайн, и делайте первую строку понятной "
                     "без раскрытия поста.")
    night = act.get("night_share")
    if night is not None and night >= 0.2:
        steps.append(f"{night:.0%} постов выходят ночью. Ставьте публикации на 8–11 или 17–20 "
                     "часов, когда жители читают ленту.")
    for k, prob in enumerate((report.get("problems") or [])[:2]):
        tip = PROBLEM_TIP.get(prob["code"]) or prob.get("suggestion")
        total = report.get("posts") or prob["posts"]
        text = (f"{'Главная проблема' if k == 0 else 'Ещё одна частая проблема'} — "
                f"«{prob['title'].lower()}»: {prob['posts']} из "
                f"{plural(total, 'поста', 'постов', 'постов')}.")
        steps.append(f"{text} {_sentence(tip)}" if tip else text)
    mix = report.get("rubrics") or {}
    proto = sum(mix.get(r, 0.0) for r in PROTOCOL_RUBRICS)
    if report.get("posts", 0) >= 3 and proto >= 0.4:
        steps.append(f"{proto:.0%} постов — совещания, визиты и поздравления. Замените половину "
                     "из них на полезные: услуги, сроки, адреса, ответы на вопросы жителей "
                     f"(сейчас «{RUBRIC_RU['official_activity']}» и «{RUBRIC_RU['greetings']}»).")
    scores = report.get("scores") or {}
    weak = sorted((v, k) for k, v in scores.items() if k in AXIS_STEP and v is not None and v < WEAK)
    for _, axis in weak:
        if len(steps) >= 5:
            break
        steps.append(AXIS_STEP[axis])
    best = report.get("best_posts") or []
    if best and len(steps) < 5 and (best[0]["scores"].get("overall") or 0) >= 60:
        steps.append(f"Повторите формат лучшего поста недели: «{_short(best[0]['excerpt'])}».")
    if not steps:
        steps.append("Продолжайте в том же духе: держите ритм публикаций и проверяйте черновики "
                     "перед выходом.")
    return steps[:5]


def _sentence(s: str) -> str:
    s = s.strip()
    return s if s.endswith((".", "!", "?", "»")) else s + "."


def _short(s: str, n: int = 80) -> str:
    return s if len(s) <= n else s[: s.rfind(" ", 0, n)].rstrip(" ,.;:—-") + "…"
