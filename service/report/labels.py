"""Russian names a trainer reads in reports: axes, page types, categories, rubrics, problems."""

from __future__ import annotations

from service.ru import plural_form

AXES = ("readability", "usefulness", "engagement", "activity")
AXES_ALL = (*AXES, "overall")

AXIS_RU = {
    "readability": "Читаемость",
    "usefulness": "Польза",
    "engagement": "Вовлечённость",
    "activity": "Активность",
    "overall": "Итог",
}

PAGE_TYPE_RU = {
    "school": "школа",
    "kindergarten": "детский сад",
    "college": "колледж",
    "hospital": "больница",
    "clinic": "поликлиника",
    "municipality": "администрация",
    "regional_government": "правительство области",
    "mfc": "МФЦ",
    "library": "библиотека",
    "culture": "культура",
    "sport": "спорт",
    "social_protection": "соцзащита",
    "emergency": "экстренные службы",
    "utility": "ЖКХ",
    "transport": "транспорт",
    "youth": "молодёжь",
}

CATEGORY_RU = {
    "flagship": "флагманский",
    "active": "активный",
    "card": "визитка",
    "vizitka": "визитка",
}

PLATFORM_RU = {"vk": "ВКонтакте", "ok": "Одноклассники", "telegram": "Telegram", "max": "MAX"}

RUBRIC_RU = {
    "services": "услуги и документы",
    "safety": "безопасность",
    "housing_utilities": "ЖКХ и благоустройство",
    "transport_roads": "транспорт и дороги",
    "health": "здоровье",
    "education": "образование",
    "culture_leisure": "культура и досуг",
    "sport": "спорт",
    "social_support": "соцподдержка",
    "official_activity": "совещания и визиты",
    "greetings": "поздравления",
    "results_reports": "итоги и отчёты",
    "dialogue": "диалог с жителями",
    "other": "другое",
}

# Short titles of problems (feedback codes); a code not listed falls back to its message.
PROBLEM_RU = {
    "kantselyarit": "Канцелярит",
    "long_sentences": "Длинные предложения",
    "unexplained_abbreviation": "Непонятные сокращения",
    "no_call_to_action": "Не сказано, что делать читателю",
    "missing_when": "Нет даты или времени",
    "missing_where": "Нет адреса или места",
    "missing_contact": "Нет телефона или ссылки",
    "wall_of_text": "Сплошной текст без абзацев",
    "too_short": "Слишком короткий пост",
    "caps": "Слова заглавными буквами",
    "exclamation_overuse": "Много восклицательных знаков",
    "emoji_overuse": "Много эмодзи",
    "hashtag_overuse": "Много хештегов",
    "profanity": "Грубые слова",
    "personal_data": "Персональные данные",
    "typos": "Опечатки",
    "protocol_news": "Протокольная новость",
    "passive_voice": "Страдательный залог",
    "genitive_chain": "Цепочки слов в родительном падеже",
    "verbal_nouns": "Отглагольные существительные",
}


def category_ru(category: str | None) -> str:
    """Return the Russian name of a page category (as given when unknown)."""
    if not category:
        return "не указана"
    return CATEGORY_RU.get(category.strip().lower(), category)


def page_type_ru(page_type: str | None) -> str:
    """Return the Russian name of a page type (as given when unknown)."""
    if not page_type:
        return "не указан"
    return PAGE_TYPE_RU.get(page_type, page_type)


def problem_ru(code: str, fallback: str | None = None) -> str:
    """Return a short Russian title of a feedback code."""
    return PROBLEM_RU.get(code) or (fallback or code)


def plural(n: int, one: str, few: str, many: str) -> str:
    """Return `n` with the Russian noun form that agrees with it (1 пост, 2 поста, 5 постов)."""
    return f"{n} {plural_form(n, one, few, many)}"


# «лучше, чем у 80 % школ региона»: page types in the genitive plural.
PAGE_TYPE_GEN_PL = {
    "school": "школ",
    "kindergarten": "детских садов",
    "college": "колледжей",
    "hospital": "больниц",
    "clinic": "поликлиник",
    "municipality": "администраций",
    "regional_government": "органов власти области",
    "mfc": "МФЦ",
    "library": "библиотек",
    "culture": "учреждений культуры",
    "sport": "спортивных учреждений",
    "social_protection": "учреждений соцзащиты",
    "emergency": "экстренных служб",
    "utility": "организаций ЖКХ",
    "transport": "транспортных организаций",
    "youth": "молодёжных центров",
}


def type_gen_pl(page_type: str | None) -> str:
    """Return «школ», «детских садов» … for a page type; «страниц того же типа» when unknown."""
    return PAGE_TYPE_GEN_PL.get(page_type or "", "страниц того же типа")
