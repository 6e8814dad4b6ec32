"""People named in a text: «Лапшин Матвей», «Анна Степановна Кузьмина», «Сидоркин В.П.»."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import methodcaller

from service.nlp.morph import get_morph

# A capitalised word, or a word in capitals («ЗАХАРОВА ЕЛИЗАВЕТА» in a list of winners).
# Both branches open with a capital (the look-behind checks the letter before it): the
# scan then skips to capitals in C instead of trying every position of the text.
_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
                   r"|[А-ЯЁ](?<![А-ЯЁа-яё][А-ЯЁ])[А-ЯЁ]{2,}(?:-[А-ЯЁ]{3,})?(?![А-ЯЁа-яё])")
_INITIALS = re.compile(r"[А-ЯЁ]\.\s?[А-ЯЁ]\.")
# One initial after a surname: «Носов А. (6 «А»)», not the start of two initials.
_INITIAL1 = re.compile(r"[А-ЯЁ]\.(?!\s?[А-ЯЁ]\.)(?=[\s,;()—–-]|$)")
# Endings of Russian and neighbouring surnames, for the ones pymorphy3 does not tag Surn
# («Исмаилов» reads as the genitive plural of «Исмаил», «Лыкова» as an adjective).
_SURNAME_END = re.compile(
    r"(?:ов|ев|ёв|ин|ын)(?:а|у|ым|ой|ою|е|ых|ыми|ы)?$|(?:ск|цк)(?:ий|ая|ого|ой|ому|им|ую|ом)$"
    r"|енко$|(?:ук|юк|ян|янц)(?:а|у|ом|е)?$"
)
_INITIALS_BEFORE = re.compile(r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?$")
_GAP = re.compile(r"[ \u00a0]+")
_GROUP = methodcaller("group")  # the text of a match

# Words that make a named person an official or an employee acting in office (stems).
ROLE_STEMS = (
    "директор", "заведующ", "глав", "заместител", "замглав", "начальник", "руководител",
    "учител", "педагог", "тренер", "врач", "хирург", "медсестр", "медбрат", "воспитател",
    "специалист", "председател", "депутат", "губернатор", "министр", "мэр", "инспектор",
    "участков", "капитан", "майор", "подполковник", "полковник", "лейтенант", "сержант",
    "сотрудник", "преподавател", "библиотекар", "методист", "психолог", "логопед", "ведущ",
    "артист", "режиссер", "режиссёр", "автор", "писател", "поэт", "художник", "композитор",
    "мастер", "инженер", "диспетчер", "оператор", "администратор", "секретар", "прокурор",
    "судья", "уполномочен", "консультант", "координатор", "ответствен", "куратор", "советник",
    "ректор", "декан", "профессор", "доцент", "главврач", "фельдшер", "терапевт", "педиатр",
    "невролог", "акушер", "стоматолог", "кардиолог", "онколог", "хореограф", "концертмейстер",
    "дирижер", "дирижёр", "солист", "исполнител", "лектор", "эксперт", "спикер", "модератор",
    "атаман", "благочинн", "священник", "протоиерей", "иерей", "настоятел", "митрополит",
    "епископ", "староста", "президент", "вице", "премьер", "сенатор", "мастер", "управляющ",
    "представител", "пресс", "генерал", "командир", "ветеринар", "почтальон", "юрист",
    "бухгалтер", "экономист", "кассир", "инструктор", "вожат", "советник", "герой", "летчик", "лётчик", "космонавт",
    "водител", "делопроизводител", "кавалер", "рабоч", "служащ", "фотограф", "волонтер",
    "волонтёр", "организатор", "краевед", "историк", "журналист", "корреспондент", "член",
    "фермер", "предпринимател", "владел", "гендиректор", "адвокат", "нотариус", "следовател",
)
# A business before a name: «ИП Смирнова О.В.», «КФХ Гусева Н.И.».
_BUSINESS = re.compile(r"(?<![А-ЯЁа-яё])(?:ИП|КФХ|ООО|ОАО|ЗАО|ПАО|АО)\s*$")
# A role noun: the stem and a short ending («хирургу», not «хирургическое отделение»).
ROLE_RE = re.compile(
    r"(?i)(?<![а-яё])(?:" + "|".join(sorted(set(ROLE_STEMS))) + r")[а-яё]{0,3}(?![а-яё])"
)


@dataclass(slots=True, frozen=True)
class Person:
    """A named person: span, what the name has (surname, first name, patronymic, initials)."""

    start: int
    end: int
    text: str
    surname: bool
    first: bool
    patronymic: bool
    initials: bool
    surname_first: bool = False

    @property
    def full(self) -> bool:
        """Return True for a name that identifies a person: surname with a first name or
        initials, or a first name with a patronymic."""
        return (self.surname and (self.first or self.initials)) or (self.first and self.patronymic)


_NAME_GRAMS = frozenset({"Surn", "Name", "Patr"})


@lru_cache(maxsize=50_000)
def name_kinds(word: str) -> frozenset[str]:
    """Return the name grammemes (Surn, Name, Patr) any reading of a capitalised word has.

    Two more marks: NameSg when a reading is a first name in the singular («Арина», not the
    genitive plural «Пахомов» of «Пахом»), SurnLike when the word ends as a surname does.
    """
    out: set[str] = set()
    readings = get_morph().readings
    for part in word.split("-"):
        for r in readings(part.lower()):
            grams = r.grams
            if r.score < 0.01 or grams.isdisjoint(_NAME_GRAMS):
                continue
            out |= _NAME_GRAMS & grams
            if "Name" in grams and "sing" in grams:
                out.add("NameSg")
    if _SURNAME_END.search(word.lower()) and "NameSg" not in out and "Patr" not in out:
        out.add("SurnLike")
    return frozenset(out)


def find_people(text: str) -> list[Person]:
    """Return the named people of `text`: runs of 2–3 name words, or a surname with initials."""
    found = list(_WORD.finditer(text))
    words = list(map(_GROUP, found))
    people: list[Person] = []
    n = len(found)
    after = 0  # where the last person found ends: the next one starts there or later
    # only a word some reading takes for a name starts a person (`_best_person`)
    for i in compress(range(n), map(name_kinds, words)):
        m = found[i]
        if m.start() < after:
            continue
        run = [(m.start(), m.end(), words[i])]
        caps = words[i].isupper()
        j = i + 1
        while (j < n and len(run) < 3 and _GAP.fullmatch(text[run[-1][1] : found[j].start()])
               and words[j].isupper() == caps):
            run.append((found[j].start(), found[j].end(), words[j]))
            j += 1
        if caps and len(run) < 2:
            continue
        person = _best_person(text, run)
        if person is None:
            continue
        people.append(person)
        after = person.end
    return people


def _best_person(text: str, run: list[tuple[int, int, str]]) -> Person | None:
    """Return the person the run of capitalised words starts with, or None."""
    kinds = [name_kinds(w) for _, _, w in run]
    if not kinds[0]:
        return None
    # Surname + initials: «Сидоркин В.П.», and initials + surname: «Н.С. Бабенко».
    s0, e0, _ = run[0]
    after = _INITIALS.match(text, _skip_space(text, e0))
    if "Surn" in kinds[0] and after:
        return Person(s0, after.end(), text[s0 : after.end()], True, False, False, True, True)
    one = _INITIAL1.match(text, _skip_space(text, e0)) if len(run) == 1 else None
    if one and "Surn" in kinds[0] and "NameSg" not in kinds[0]:
        return Person(s0, one.end(), text[s0 : one.end()], True, False, False, True, True)
    before = _INITIALS_BEFORE.search(text, max(0, s0 - 7), s0)
    if "Surn" in kinds[0] and before and len(run) == 1 or before and "Name" not in kinds[0]:
        if "Surn" in kinds[0]:
            return Person(before.start(), e0, text[before.start() : e0], True, False, False, True)
    for size in (3, 2):
        if len(run) < size:
            continue
        ks = kinds[:size]
        p = _shape(ks)
        if p is not None:
            s, e = run[0][0], run[size - 1][1]
            first = bool({"Surn", "SurnLike"} & ks[0]) and "Name" in ks[1]
            return Person(s, e, text[s:e], *p, surname_first=first)
    return None


def _shape(ks: list[frozenset[str]]) -> tuple[bool, bool, bool, bool] | None:
    """Return (surname, first, patronymic, initials) when the grammemes form a full name."""
    if len(ks) == 3:
        if "Surn" in ks[0] and "Name" in ks[1] and "Patr" in ks[2]:
            return True, True, True, False
        if "Name" in ks[0] and "Patr" in ks[1] and ("Surn" in ks[2] or "SurnLike" in ks[2]):
            return True, True, True, False
        return None
    a, b = ks
    if "Name" in a and "Patr" in b:
        return False, True, True, False
    if "Surn" in a and "Name" in b and "Surn" not in b:
        return True, True, False, False
    if "Name" in a and ("Surn" in b or "SurnLike" in b) and "NameSg" not in b:
        return True, True, False, False
    if "SurnLike" in a and "NameSg" in b and "Surn" not in b and "Patr" not in b:
        return True, True, False, False
    return None


def _skip_space(text: str, i: int) -> int:
    """Return the index after spaces from `i`."""
    while i < len(text) and text[i] in " \u00a0":
        i += 1
    return i


ROLE_REACH = 60  # a role word this close before a name, with no verb between, is the person's
# «юные артисты Даша Клименко»: children on a stage, not staff.
_YOUNG = re.compile(r"(?i)(?<![а-яё])(?:юн|маленьк|будущ)[а-яё]*\s+$")
# A sentence end; not the stop of an abbreviation («глава г.о. Заречный Иван Петров»).
_STOP = re.compile(r"(?:(?<=[а-яё]{3})\.|[!?…])(?:\s|$)")
_BETWEEN_WORD = re.compile(r"[а-яё]{3,}", re.IGNORECASE)


def _role_reaches(between: str) -> bool:
    """Return True when nothing between a role word and a name ends the role's phrase: no
    sentence end, no verb («специалисты соцзащиты … отметили Анна Петровна …») and no other
    person («заместитель — Маргарита Лосева, редколлегия — Тимур Абрамов»)."""
    if _STOP.search(between):
        return False
    morph = get_morph()
    if any(morph.analyse(w.lower()).pos == "VERB" for w in _BETWEEN_WORD.findall(between)):
        return False
    return not any({"NameSg", "Patr"} & name_kinds(m.group(0)) for m in _WORD.finditer(between))


def is_official(text: str, person: Person) -> bool:
    """Return True when a role word stands next to the name: «директор Иванова И. П.»."""
    line_start = text.rfind("\n", 0, person.start) + 1
    before = text[max(line_start, person.start - ROLE_REACH) : person.start]
    if _BUSINESS.search(before):
        return True
    for m in reversed(list(ROLE_RE.finditer(before))):
        if _YOUNG.search(before, 0, m.start()):
            continue
        if _role_reaches(before[m.end() :]):
            return True
        break
    line_end = text.find("\n", person.end)
    after = text[person.end : min(person.end + 35, line_end if line_end >= 0 else len(text))]
    return bool(re.match(r"\s*[,(—–-]\s*", after) and ROLE_RE.search(after[:30]))
