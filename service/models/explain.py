"""Reasons of a usefulness score: the phrases and facts that raised or lowered it, in Russian.

The usefulness model is linear, so each feature's effect is exactly coefficient × value, in
points of the 0–100 scale. Effects are mapped back to what the author wrote (the first span of a
lemma n-gram or a signal) or to a plain description of a fact.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from service.models.features import PostRecord
from service.models.signals import SIGNAL_TEXT

MIN_EFFECT = 1.0  # points; smaller effects are noise to a reader
MIN_TERM_EFFECT = 2.5  # single words and word pairs are noisier than facts and signals
PER_SIDE = 3  # reasons up and down

FACT_TEXT = {
    "date": "есть дата", "time": "есть время", "address": "есть адрес", "place": "указано место",
    "phone": "есть телефон", "link": "есть ссылка", "email": "есть электронная почта",
    "qr": "есть QR-код", "kind:announcement": "это объявление для жителей",
    "kind:event": "это анонс события", "kind:outage": "это отключение или перекрытие",
    "kind:service": "это рассказ об услуге", "kind:deadline": "назван срок",
    "kind:request": "это просьба к жителям", "has_call_to_action": "сказано, что делать",
    "vague_cta": "призыв размытый: неясно, что именно делать",
    "in_person": "сказано, куда прийти", "deferred_when": "дату обещают сообщить позже",
    "deferred_where": "место обещают сообщить позже", "wants_reply": "пост ждёт ответа жителей",
}
PAGE_TEXT = {
    "school": "школа", "kindergarten": "детский сад", "college": "колледж",
    "hospital": "больница", "clinic": "поликлиника", "municipality": "администрация",
    "regional_government": "региональная власть", "mfc": "МФЦ", "library": "библиотека",
    "culture": "учреждение культуры", "sport": "спорт", "social_protection": "соцзащита",
    "emergency": "экстренные службы", "utility": "коммунальная служба",
    "transport": "транспорт", "youth": "молодёжная политика",
}
OTHER_TEXT = {
    "surface:words": "длина текста", "surface:sentences": "число предложений",
    "surface:paragraphs": "деление на абзацы", "surface:num": "числа в тексте",
    "surface:url": "ссылки", "surface:email": "электронная почта", "surface:hashtag": "хештеги",
    "surface:mention": "упоминания страниц", "surface:emoji": "эмодзи",
    "surface:question": "вопросы к читателю", "surface:exclamation": "восклицания",
    "surface:short": "очень короткий текст",
    "grammar:past": "рассказ о прошедшем", "grammar:pres": "глаголы настоящего времени",
    "grammar:futr": "рассказ о будущем", "grammar:impr": "призывы («приходите», «звоните»)",
    "grammar:1per": "рассказ от первого лица", "grammar:2per": "обращение к читателю на «вы»",
    "grammar:plur_verb": "глаголы во множественном числе", "grammar:name": "имена людей",
    "grammar:surn": "фамилии", "grammar:patr": "отчества", "grammar:pssv": "страдательные обороты",
    "grammar:numr": "числительные словами", "grammar:geox": "географические названия",
    "grammar:orgn": "названия организаций",
    "meta:att:photo": "фото", "meta:att:video": "видео", "meta:att:link": "вложенная ссылка",
    "meta:att:poll": "опрос", "meta:att:doc": "документ", "meta:att:audio": "аудио",
    "meta:att:article": "статья",
}


def describe(name: str, record: PostRecord, text: str) -> tuple[str, int | None, int | None]:
    """Return (Russian description, start, end) of one feature of the post."""
    if ":" not in name and name not in OTHER_TEXT:  # a term: every other name has a colon
        span = record.spans.get(name)
        if span is None:
            return name, None, None
        return f"«{text[span[0]:span[1]]}»", span[0], span[1]
    if name.startswith("signals:"):
        sig = name[8:]
        span = next(((s, e) for n, s, e in record.signals if n == sig), None)
        if span is None:
            return SIGNAL_TEXT.get(sig, sig), None, None
        return f"{SIGNAL_TEXT.get(sig, sig)}: «{text[span[0]:span[1]]}»", span[0], span[1]
    if name.startswith("facts:"):
        return FACT_TEXT.get(name[6:], name[6:]), None, None
    if name.startswith("meta:page:"):
        return f"тип страницы: {PAGE_TEXT.get(name[10:], name[10:])}", None, None
    if name.startswith("meta:platform:"):
        return f"площадка: {name[14:]}", None, None
    if name in OTHER_TEXT:
        return OTHER_TEXT[name], None, None
    span = record.spans.get(name)
    if span is None:
        return name, None, None
    return f"«{text[span[0]:span[1]]}»", span[0], span[1]


def reasons(effects: list[tuple[str, float]], record: PostRecord, text: str,
            per_side: int = PER_SIDE) -> list[dict[str, Any]]:
    """Return the strongest reasons up and down: message, effect (points), fragment, span."""
    out: list[dict[str, Any]] = []
    # the strongest first, ties in the order of `effects` (sorting is stable either way)
    up = sorted([e for e in effects if e[1] >= MIN_EFFECT], key=itemgetter(1), reverse=True)
    down = sorted([e for e in effects if -e[1] >= MIN_EFFECT], key=itemgetter(1))
    for side in (up, down):
        taken: list[tuple[int, int]] = []
        n = 0
        for name, eff in side:
            if n >= per_side:
                break
            if ":" not in name and not name.startswith("<") and abs(eff) < MIN_TERM_EFFECT:
                continue
            desc, start, end = describe(name, record, text)
            if start is not None and end is not None:
                if any(start < e and s < end for s, e in taken):
                    continue  # a bigram and its words: one reason per place in the text
                taken.append((start, end))
            verb = "повышает" if eff > 0 else "снижает"
            out.append({"message": f"{desc} — {verb} пользу на {abs(eff):.0f}",
                        "effect": round(eff, 1), "fragment": None if start is None else
                        text[start:end], "start": start, "end": end})
            n += 1
    return out
