"""Lemma patterns that signal protocol news, greetings, self-praise or practical content.

Each signal is a group of patterns; a pattern is a sequence of lemma alternatives that must
follow each other within one sentence, with at most `GAP` other words in between
(«провёл рабочее совещание» matches провести … совещание).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GAP = 2

# signal name -> (Russian description for reasons, patterns)
_SIGNALS: dict[str, tuple[str, list[str]]] = {
    "protocol": ("протокольная новость о работе чиновников", [
        "провести совещание|заседание|планерка|встреча|прием|коллегия|селектор",
        "принять участие",
        "состояться совещание|заседание|встреча|коллегия|планерка|селектор",
        "рабочий встреча|визит|поездка|совещание|группа",
        "совещание", "заседание", "планерка", "селекторный", "коллегия",
        "под председательство",
        "обсудить вопрос|ход|реализация|итог|перспектива",
        "рассмотреть вопрос",
        "посетить с рабочий",
        "в ход встреча|совещание|визит|заседание",
        "стороны обсудить", "обменяться мнение",
    ]),
    "official": ("речь о чиновниках, а не о жителях", [
        "глава администрация|район|округ|город|муниципальный|поселение",
        "губернатор", "мэр", "министр", "вице-губернатор", "депутат",
        "заместитель глава|губернатор|министр|председатель",
        "председатель правительство|комитет|дума|совет",
    ]),
    "greeting": ("поздравление без практической пользы", [
        "поздравлять", "поздравление", "от весь душа", "с праздник",
        "желать здоровье|счастье|благополучие|успех|мир",
        "крепкий здоровье", "профессиональный праздник", "памятный дата",
    ]),
    "praise": ("отчёт или похвала без фактов для жителей", [
        "подвести итог", "итог работа", "вручить", "наградить", "благодарственный письмо",
        "почетный грамота", "в рамка", "торжественный", "значимый", "высокий уровень",
        "большой работа", "проделать работа",
    ]),
    "action": ("есть что сделать жителю", [
        "записаться", "запись", "обращаться", "позвонить", "звонить", "подать заявление|заявка",
        "прийти", "приходить", "приглашать", "зарегистрироваться", "регистрация",
        "оформить", "получить услуга|справка|выплата|пособие",
        "необходимо взять|иметь|предъявить", "при себе", "справка по телефон",
        "подробный по телефон|ссылка", "телефон горячий|для", "горячий линия",
        "пройти опрос|обследование|вакцинация|диспансеризация", "принимать заявка",
    ]),
    "warning": ("предупреждение или изменение для жителей", [
        "отключение", "ограничение", "перекрытие", "перекрыть", "не будет",
        "внимание", "осторожный", "опасность", "штраф", "запрет", "запрещаться",
        "изменение расписание|движение", "ремонт", "авария", "аварийный", "гололед",
        "мошенник", "эвакуация", "штормовой",
    ]),
    "question": ("вопрос или опрос для жителей", [
        "опрос", "проголосовать", "голосование", "ваш мнение", "предложение",
        "напишите в комментарий", "в комментарий",
    ]),
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal group: its name, description and compiled patterns."""

    name: str
    description: str
    patterns: tuple[tuple[frozenset[str], ...], ...]


def _compile(pattern: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(part.split("|")) for part in pattern.split())


SIGNALS: tuple[Signal, ...] = tuple(
    Signal(name, desc, tuple(_compile(p) for p in pats)) for name, (desc, pats) in _SIGNALS.items()
)
SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in SIGNALS)
SIGNAL_TEXT: dict[str, str] = {s.name: s.description for s in SIGNALS}

# first lemma -> [(signal index, pattern)]
_BY_FIRST: dict[str, list[tuple[int, tuple[frozenset[str], ...]]]] = {}
for _i, _s in enumerate(SIGNALS):
    for _p in _s.patterns:
        for _lemma in _p[0]:
            _BY_FIRST.setdefault(_lemma, []).append((_i, _p))


def find_signals(lemmas: Sequence[str], sent_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """Return (signal index, first word index, last word index) of every match, in order."""
    out: list[tuple[int, int, int]] = []
    n = len(lemmas)
    for i, lemma in enumerate(lemmas):
        cands = _BY_FIRST.get(lemma)
        if not cands:
            continue
        for sig, pat in cands:
            j, k = i, 1
            while k < len(pat):
                nxt = next((m for m in range(j + 1, min(n, j + 2 + GAP))
                            if sent_ids[m] == sent_ids[i] and lemmas[m] in pat[k]), None)
                if nxt is None:
                    break
                j, k = nxt, k + 1
            if k == len(pat):
                out.append((sig, i, j))
                break
    return out
