"""Personal data of private persons: documents, cards, and full names next to private details.

Officials and staff named with their role («директор», «тренер Зуев А.Н.», «врач …») and an
institution's own phone or address are not personal data.

Two mistakes school, kindergarten and library pages make most:
- a list of children's full names: two or more next to a school word («ученики 5 «Б» класса»,
  «паспорта получили», «воспитанники»), three or more anywhere in a post about a contest or a
  school; three or more residents' names (jubilees, debtors, families) are a list of residents;
- a private person's name and a house address in one sentence, before or after the name.
Not private: names after «ул.», «имени», «в честь», «Героя …», lists led by «стихи», «книги»,
«подвиг», «памяти» (writers, heroes, history), authors before a «title», and an address that is
a venue's («ДК …, ул. Советская, 3»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.moderation.names import Person, find_people, is_official
from service.nlp.gate import Gated

LIST_MIN = 3  # people in a list of surnames (checked by cross-validation in eval_moderation)
LIST_MIN_CHILD = 2  # two children named in full next to «ученики 5 «Б» класса» are a list too
LIST_GAP = 60  # at most this many characters between two names of one list
ADDRESS_REACH = 100  # a house address this close to a name, in its sentence, is the person's
HEALTH_NEAR = 300  # a diagnosis this close to a person's full name
NEAR = 60  # characters after a name where its private details are looked for

SNILS = re.compile(r"(?<![\d-])(\d{3})[- ]?(\d{3})[- ]?(\d{3})[- ]?(\d{2})(?![\d-])")
INN12 = re.compile(r"(?i)ИНН[:\s№]*(\d{12})(?!\d)")
_THREE_DIGITS = re.compile(r"\d\d\d")  # needed by SNILS, INN12, CARD and PASSPORT
# Needed too, and rarer: SNILS opens with it, INN12 and PASSPORT hold twelve and six digits in
# a row, CARD a group of four, a separator or none, and the next group of four.
_SIX_DIGITS = re.compile(r"\d\d\d[- ]?\d\d\d")
# SNILS and CARD without their look-arounds: a scan that starts with a digit class runs fast
_SNILS_DIGITS = re.compile(r"\d\d\d[- ]?\d\d\d[- ]?\d\d\d[- ]?\d\d")
_CARD_DIGITS = re.compile(r"\d\d\d\d[ -]?\d\d\d\d[ -]?\d\d\d\d[ -]?\d\d\d\d")
CARD = re.compile(r"(?<![\d-])(?:\d{4}[ -]?){3}\d{4}(?![\d-])")
PASSPORT = re.compile(
    r"(?i)паспорт[^\n]{0,40}?(?:сери[ияей]\s*)?(\d{2}\s?\d{2})\s*(?:№|номер|N)?\s*(\d{6})(?!\d)"
)
BIRTH = re.compile(
    r"(?i)(?<!\d)(?:\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}(?!\d)|(?:19|20)\d{2}\s*(?:г\.?\s?р\.?|года? рожд)"
    r"|г\.\s?р\.|дата рождения)"
)
BORN = re.compile(
    r"(?i)родил(?:ся|ась)\s+(?:\d{1,2}\s+[а-я]+\s+)?(?:19|20)\d{2}|(?:19|20)\d{2}\s+года\s+рождения"
)
ADDRESS = re.compile(
    r"(?:(?<![а-яё])(?:ул|пер|просп|пр-т|мкр|кв|д)\.\s?[А-ЯЁ\d]|(?<![а-яё])(?:улиц[аеуы]|переулок)\s+[А-ЯЁ\d]"
    r"|проживающ|по адресу|(?:^|[\s,(])(?:с|х|п|пос|ст|дер|г)\.\s?[А-ЯЁ])"
)
# The rest of an address after its marker: «Ленина, д. 5, кв. 12» (the span covers all of it).
ADDRESS_TAIL = re.compile(r"[\w«»\"/-]*(?:,?\s?(?:д|дом|кв|корп|стр|к)\.?\s?\d[\w/-]*)*")
PHONE = re.compile(r"(?:\+7|(?<!\d)8)[\s(-]*\d{3,5}[\s)-]*\d{1,3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)|тел\.")
HEALTH = re.compile(
    r"(?i)(?<![а-яё])(?:инсульт|инфаркт|перитонит|аппендицит|диабет|онколог|рак[аеуом]?\s|опухол"
    r"|перелом|диагноз|холецист|операци[яиюей] по|прооперир|инвалидност|беременн|ВИЧ|туберкул"
    r"|гепатит|давлени[ея]|реанимац|капельниц|химиотерап)"
)
PATIENT = re.compile(r"(?i)пациент|поступил[аи]?\s|привезл|лечени|выписал|лежал|госпитализ")
TITLE_AFTER = re.compile(r"\s*[,—–-]?\s*[«\"]")
FIELDS = re.compile(r"\s*[,(—–-]?\s*(?:[^,()\n]{1,20}[,(]\s*)*")
# Before a name that is not a living private person: a memorial, a hero, a street, a venue.
HISTORIC = re.compile(
    r"(?i)(?:ветеран[аы]?|(?:в честь|имени|им\.|памяти|геро[йяюеи][а-яё]*|ул\.|пер\.|пр-т|просп\."
    r"|пр\.|пл\.|б-р|наб\.|улиц[аеиуы]|переул[а-яё]*|проспект[аеу]?|площад[иь]|бульвар[аеу]?"
    r"|набережн[а-яё]+|сквер[аеу]?|парк[аеу]?|остановк[аеиу]|дворец спорта|стадион[аеу]?)"
    r"(?:\s+(?:советского\s+союза|российской\s+федерации|россии|социалистического\s+труда"
    r"|труда|маршала|генерала|адмирала|академика|космонавта|писателя|поэта|композитора))*)"
    r"[\s«\"]*$"
)
# A list of names near these words is a list of children: school, kindergarten, passports.
CHILD_NEAR = re.compile(
    r"(?i)(?<![а-яё])(?:учени|учащ|обучающ|школьни|воспитанни|выпускни|первоклассни"
    r"|старшеклассни|юнарм|родител|ребят|реб[её]н|дет(?:и|ей|ям|ьми)(?![а-яё])|девоч|мальчи"
    r"|юн(?:ые|ых|ым|ый|ая|ой|ого|ому|ое|ыми)\s|класс|групп|лагер|отряд|паспорт|олимпиад"
    r"|ГТО|юнош|девушк|стипенди|отличник|школ|гимнази|лице[йяею]|детск[а-яё]* сад|садик)"
    r"|\d+\s?«[А-ЯЁ]»"
)
# A child's age written in a list: «Кравцова Алиса, 9 лет», «Лапшин Матвей (2013 г.р.)».
AGE = re.compile(r"(?<!\d)1?\d\s(?:лет|года?)(?![а-яё])|г\.\s?р\.")
# A contest anywhere in the post: three named winners are a list of private persons.
CONTEST = re.compile(
    r"(?i)(?<![а-яё])(?:конкурс|первенств|турнир|соревновани|победител|призёр|призер|лауреат"
    r"|дипломант|медал|грамот|читател|спортсмен|сборн)"
)
# Words that make a list of names one of people who are not private: writers and their books,
# heroes, a memorial, a biography, a jubilee («стихи Агнии Барто, Сергея Михалкова …»).
NOT_PRIVATE = re.compile(
    r"(?i)(?<![а-яё])(?:геро[йяюеи]|подвиг|памят|мемориал|обелиск|в честь|имени(?![а-яё])|им\."
    r"|посвящ|юбиле|летию|летия|со дня рождения|фронтов|погибш|павш|войн[аыуе]|прадед|праде"
    r"|дедушк|прабабушк|полководц|биограф|космонавт|полёт|полет|писател|поэт|автор|книг|книж"
    r"|стих|рассказ|повест|сказк|(?-i:роман)[а-я]{0,3}(?![а-яё])|произведени|творчеств|читк"
    r"|поэм|композитор|художник|картин|лауреат[а-яё]* (?:[а-яё]+ )?преми|о жизни|выдающ"
    r"|знаменит|велик|святы|святого"
    r"|княз|цар[ьяю]|импера|маршал|генерал|адмирал|академик|учён|земляк"
    r"|возглавля|руководил|работал|трудил"  # staff of the past: «библиотеку возглавляли …»
    r"|подготовил|наставни|тренировал|провел[аи]?(?![а-яё])|провёл"  # «занятие провели …»
    r"|ветеран|участник[а-яё]* (?:сво|специальн)|военнослужащ|бойц|музе"
    r"|олимпийск|сборн[а-яё]+ (?:росси|стран)|чемпион[а-яё]* (?:мира|европы|россии)"
    r"|дежур|график)"  # staff on duty: «график дежурств: Петров И.С. — 1 мая, …»
)
# After a list of names: they are the teachers («… за подготовку ребят»).
STAFF_AFTER = re.compile(
    r"(?i)[^.!?\n]{0,30}?(?:за подготовк|подготовивш|за помощь в|за проведени)"
)
# Words that name the people of a list as its subject: they won, got, were awarded.
SUBJECT = re.compile(
    r"(?i)(?<![а-яё])(?:учени[кц]|учащ|обучающ|школьни|воспитанни|выпускни|первоклассни"
    r"|юнармейц|победител|призёр|призер|лауреат|дипломант|получил|вручен|вручил|награжд"
    r"|стал[аи]?(?![а-яё])|занял|поздравля|отличник|читател|одержал|победил|завоевал)"
    r"|\d+\s?«[А-ЯЁ]»"
)
# Private persons in a list: residents, pensioners, debtors, families, applicants.
PRIVATE_CTX = re.compile(
    r"(?i)(?<![а-яё])(?:жител|пенсионер|юбиляр|именинник|долгожител|должник|неплательщик"
    r"|задолженност|получател|заявител|собственник|граждан|супруг|сем(?:ья|ьи|ье|ью|ьям|ей)"
    r"(?![а-яё])|многодетн|очередн|участник|благодар|поздравля|награжд|вручен|победител|лауреат"
    r"|брак|списо?к|сертификат|выплат|компенсац|льгот|помощ|пособи)"
)
JOINED = re.compile(r"\s*(?:,|;|и|а также)\s*")
# The end of a sentence: a stop not after an initial or a short abbreviation («ул.», «д.»).
SENT_END = re.compile(r"[.!?…]+(?=\s|$)|\n\s*\n")
ADDRESS_JOIN = re.compile(r"[\s,]{0,3}")
# The first field after an address, past its house and flat numbers.
FIELD_AFTER = re.compile(
    r"(?:[\s,]*(?:д\.|дом|кв\.|корп\.|стр\.)?\s?\d+[а-яё]?(?:[/-]\d+)?)*[\s,(—–-]*"
    r"([^,;()\n!?]{0,30})"
)
ABBREV = frozenset(
    "ул д кв г с п им пер пос ст дер х просп корп стр обл тел каб руб т см пр пл наб мкр б-р "
    "пр-т р-н".split()
)
# A house-level address: a street with a house number, a house or a flat, «по адресу».
HOUSE = re.compile(
    r"(?:(?<![а-яё])(?:ул|пер|просп|пр-т|пр|б-р|бул|наб|пл|ш|мкр|туп|пр-д)\.\s?"
    r"|(?<![а-яё])(?:улиц[аеуыи]|переул[а-яё]*|проспект[а-яё]*|бульвар[а-яё]*)\s+)"
    r"[А-ЯЁ\d][\w-]*(?:\s[А-ЯЁ][\w-]*)?,?\s(?:д\.\s?|дом\s|№\s?)?\d+[а-я]?(?:\s?[/-]\s?\d+)?"
    r"|(?<![а-яё])(?:кв\.|квартир[аеуы])\s?№?\s?\d+"
    r"|(?<![а-яё])(?:д\.|дом[аеу]?)\s?№?\s?\d+[а-я]?(?:[/-]\d+)?"
    r"|(?i:проживающ|проживавш|проживает|зарегистрирован[а-яё]* по|по адресу)"
)
# An institution next to an address: the address is the venue's, not the person's.
VENUE_WORD = re.compile(
    r"(?<![А-ЯЁа-яё])(?:ДК|МФЦ|ЦДТ|ДШИ|ФАП|ДЮСШ|ЦРБ)(?![А-ЯЁа-яё])|(?i:(?<![а-яё])(?:дом[аеу]? "
    r"культуры|школ|гимнази|лице[йяею]|детск[а-яё]+ сад|библиотек|администрац|здани|музе"
    r"|сквер|стадион|клуб|центр|поликлиник|больниц|магазин|кафе|офис|отделени|управлени"
    r"|почт|кабинет|каб\.|храм|церк|сельсовет|зал|мастерск|студи))"
)
# … or a venue's name in quotes between the name and the address («сыроварня «Луговая»»).
VENUE = re.compile("«|" + VENUE_WORD.pattern)

# The keyword patterns searched only in texts that hold one of the words every match needs
# (service.nlp.gate): most posts and most text before a name hold none of them.
_PATIENT, _HISTORIC = Gated(PATIENT), Gated(HISTORIC)


@dataclass(slots=True, frozen=True)
class Finding:
    """One piece of personal data: span and what kind it is."""

    start: int
    end: int
    kind: str  # snils | inn | card | passport | birth | address | phone | health | list | residents


def _snils_ok(digits: str) -> bool:
    """Return True when an 11-digit СНИЛС has a valid control number."""
    body, check = digits[:9], int(digits[9:])
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    if total < 100:
        expected = total
    elif total in (100, 101):
        expected = 0
    else:
        expected = total % 101
        expected = 0 if expected == 100 else expected
    return expected == check and len(set(body)) > 1


def _inn12_ok(d: str) -> bool:
    """Return True when a 12-digit personal ИНН has valid check digits."""
    w1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    w2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    c1 = sum(int(d[i]) * w1[i] for i in range(10)) % 11 % 10
    c2 = sum(int(d[i]) * w2[i] for i in range(11)) % 11 % 10
    return c1 == int(d[10]) and c2 == int(d[11])


def luhn_ok(digits: str) -> bool:
    """Return True when a card number passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0 and len(set(digits)) > 2


def find_numbers(text: str) -> list[Finding]:
    """Return СНИЛС, a person's ИНН, card and passport numbers found in `text`."""
    out: list[Finding] = []
    if _THREE_DIGITS.search(text) is None or _SIX_DIGITS.search(text) is None:
        return out  # every number below has six digits almost in a row; most posts have none
    for m in SNILS.finditer(text) if _SNILS_DIGITS.search(text) else ():
        digits = "".join(m.groups())
        if (m.group(0).count("-") >= 2 or "снилс" in text[max(0, m.start() - 25) : m.start()].lower()
                ) and _snils_ok(digits):
            out.append(Finding(m.start(), m.end(), "snils"))
    for m in INN12.finditer(text):
        if _inn12_ok(m.group(1)):
            out.append(Finding(m.start(1), m.end(1), "inn"))
    for m in CARD.finditer(text) if _CARD_DIGITS.search(text) else ():
        digits = re.sub(r"\D", "", m.group(0))
        if luhn_ok(digits) and not PHONE.search(text[max(0, m.start() - 6) : m.start() + 2]):
            out.append(Finding(m.start(), m.end(), "card"))
    for m in PASSPORT.finditer(text):
        out.append(Finding(m.start(1), m.end(2), "passport"))
    return out


def _same_line_after(text: str, p: Person, limit: int = NEAR) -> str:
    """Return up to `limit` characters after a name, within its line."""
    end = text.find("\n", p.end)
    end = len(text) if end < 0 else end
    return text[p.end : min(end, p.end + limit)]


def _official_keys(people: list[Person], roles: list[bool]) -> set[str]:
    """Return name words of people named with a role anywhere in the text."""
    keys: set[str] = set()
    for p, role in zip(people, roles, strict=True):
        if role:
            keys |= {w[:5].lower() for w in re.findall(r"[А-ЯЁ][а-яё]+", p.text)}
    return keys


def _private(text: str, p: Person, role: bool, official: set[str]) -> bool:
    """Return True for a private person: no role next to the name or to its other mentions."""
    if role:
        return False
    words = [w[:5].lower() for w in re.findall(r"[А-ЯЁ][а-яё]+", p.text)]
    if len(words) >= 2 and sum(w in official for w in words) >= 2:
        return False
    line_start = text.rfind("\n", 0, p.start) + 1
    return not _HISTORIC.search(text[max(line_start, p.start - 50) : p.start])


def _private_people(text: str, people: list[Person]) -> list[Person]:
    """Return the private persons among `people`. A name joined to an official's by «,» or «и»
    shares the role: «Депутаты Виктор Сорокин, Галина Маслова и Олег Тихонов»."""
    roles = [is_official(text, p) for p in people]
    official = _official_keys(people, roles)
    private = [_private(text, p, role, official) for p, role in zip(people, roles, strict=True)]
    # both ways: «Депутаты Виктор Сорокин, Галина Маслова» and «Петров И.С., Котов О.Н. — депутаты»
    for order in (range(1, len(people)), range(len(people) - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step == 1 else i + 1
            a, b = (people[j], people[i]) if j < i else (people[i], people[j])
            if private[i] and not private[j] and JOINED.fullmatch(text[a.end : b.start]):
                private[i] = False
    return [p for p, keep in zip(people, private, strict=True) if keep]


def _sentence(text: str, start: int, end: int, reach: int = 200) -> tuple[int, int]:
    """Return the bounds of the sentence around text[start:end], at most `reach` each side."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    left = lo
    for m in SENT_END.finditer(text, lo, start):
        if _real_stop(text, m.start()):
            left = m.end()
    right = hi
    for m in SENT_END.finditer(text, end, hi):
        if _real_stop(text, m.start()):
            right = m.start()
            break
    return left, right


def _has_stop(text: str, start: int, end: int) -> bool:
    """Return True when a sentence ends between `start` and `end`."""
    return any(_real_stop(text, m.start()) for m in SENT_END.finditer(text, start, end))


def _real_stop(text: str, i: int) -> bool:
    """Return True when the stop at `i` ends a sentence, not an initial, an abbreviation («ул.»)
    or the number of a list item («1. Королёва Диана»)."""
    if text[i] != ".":
        return True
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "-"):
        j -= 1
    word = text[j:i]
    if not word:
        k = i
        while k > 0 and text[k - 1].isdigit():
            k -= 1
        before = text[max(0, k - 3) : k].rstrip(" ")
        return not (k < i and (not before or before[-1] in "\n:;"))
    return not (len(word) == 1 and word.isupper() or word.lower() in ABBREV)


def _fields_only(gap: str, found: str) -> bool:
    """Return True when a detail follows the name as a field of it («, ул. …», «(с. …»),
    not as part of another clause («… напился на улице …»)."""
    if found.startswith(("проживающ", "по адресу")):
        return True
    return bool(FIELDS.fullmatch(gap))


def _list_member(text: str, p: Person) -> bool:
    """Return True for a name that can stand in a list of persons: a surname with a first name
    or initials, or a first name with a patronymic; not an author before a book title."""
    if p.initials and not p.surname_first:
        return False  # «Е. В. Смирнова»: how staff are written, not children or debtors
    return bool(p.surname or p.patronymic) and not TITLE_AFTER.match(text, p.end)


def _runs(text: str, people: list[Person], private: list[Person]) -> list[list[Person]]:
    """Return the runs of private names written as a list: close together, in one sentence or
    one block of lines, with no official named between them."""
    keep = set(private)
    others = [p.start for p in people if p not in keep]
    runs: list[list[Person]] = []
    run: list[Person] = []
    for p in private:
        if not _list_member(text, p):
            continue
        if run:
            a = run[-1].end
            if (p.start - a > LIST_GAP or _has_stop(text, a, p.start)
                    or any(a <= o < p.start for o in others)):
                runs.append(run)
                run = []
        run.append(p)
    if run:
        runs.append(run)
    return runs


def _list_kind(text: str, run: list[Person]) -> str | None:
    """Return "list" (children, winners of a contest), "residents" or None for a run of names."""
    with_surname = [p for p in run if p.surname]
    if len(with_surname) < 2:
        return None
    left, right = _sentence(text, run[0].start, run[-1].end)
    lead = text[left : run[0].start]
    famous = list(NOT_PRIVATE.finditer(lead))
    if famous:
        subject = list(SUBJECT.finditer(lead))
        if not subject or famous[-1].end() > subject[-1].start():
            return None  # «стихи Агнии Барто, Сергея Михалкова …», «о подвиге …»
    if STAFF_AFTER.match(text, run[-1].end):
        return None
    # the sentence and the next one: «… Игнат Кудрин и Савелий Рожков. Ребята выиграли …»
    near = lead + text[run[0].start : _sentence(text, right + 1, right + 1)[1]]
    ages = AGE.search(text, run[0].start, min(len(text), run[-1].end + 25))
    if (CHILD_NEAR.search(near) or ages) and len(run) >= LIST_MIN_CHILD:
        return "list"
    if len(run) < LIST_MIN:
        return None
    if CHILD_NEAR.search(text) or CONTEST.search(text) or ages:
        return "list"
    if PRIVATE_CTX.search(text):
        return "residents"
    formal = [p for p in run if p.surname_first or p.patronymic or p.initials]
    return "residents" if len(formal) >= LIST_MIN else None


def _skip(text: str, i: int, chars: str) -> int:
    """Return the index after `chars` from `i`."""
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _venue_after(text: str, end: int) -> bool:
    """Return True when an address ends in a venue: «ул. Мира, 5, библиотека», «…, каб. 3»,
    «… (выставочный зал)»; not a later clause («…, д. 7, за помощь в благоустройстве сквера»)."""
    while (h := HOUSE.match(text, _skip(text, end, " :,"))) and h.end() > end:
        end = h.end()  # past the address itself: «по адресу: ул. Мира, 5»
    m = FIELD_AFTER.match(text, end)
    field = m.group(1) if m else ""
    return len(field.split()) <= 3 and bool(VENUE_WORD.search(field))


def _house_near(text: str, p: Person) -> tuple[int, int] | None:
    """Return the span of a house address written in the person's sentence, before or after
    the name, when no venue stands between them; None when there is none."""
    left, right = _sentence(text, p.start, p.end, ADDRESS_REACH)
    best = None
    found = list(HOUSE.finditer(text, left, right))
    for k, m in enumerate(found):
        if m.start() >= p.end:
            between = text[p.end : m.start()]
        elif m.end() <= p.start:
            between = text[m.end() : p.start]
        else:
            continue
        if len(between) > ADDRESS_REACH or VENUE.search(between):
            continue
        tail = ADDRESS_TAIL.match(text, m.end())
        end = tail.end() if tail else m.end()
        if VENUE.search(text[max(left, m.start() - 25) : m.start()]) or _venue_after(text, end):
            continue  # «Школа № 3, ул. Садовая, 7», «ул. Мира, 5, библиотека»
        start = m.start()
        while k > 0 and found[k - 1].end() < start and ADDRESS_JOIN.fullmatch(
                text, found[k - 1].end(), start):  # «ул. Октябрьская, д. 40, кв. 7, Смирнова …»
            k -= 1
            start = found[k].start()
        span = (min(p.start, start), max(p.end, end))
        if best is None or len(between) < best[0]:
            best = (len(between), span)
    return best[1] if best else None


def find_personal_data(text: str) -> list[Finding]:
    """Return the personal data of private persons in `text`, each with its span."""
    out = find_numbers(text)
    people = [p for p in find_people(text) if p.full]
    if not people:
        return out
    private = _private_people(text, people)
    health = [m.start() for m in HEALTH.finditer(text)] if _PATIENT.search(text) else []
    for p in private:
        after = _same_line_after(text, p)
        m = BIRTH.search(after) or BORN.search(after)
        if m:
            out.append(Finding(p.start, p.end + m.end(), "birth"))
            continue
        m = ADDRESS.search(after)
        if m and (p.surname or p.patronymic) and _fields_only(after[: m.start()], m.group(0)):
            tail = ADDRESS_TAIL.match(after, m.end())
            end = tail.end() if tail else m.end()
            if not _venue_after(text, p.end + end):
                out.append(Finding(p.start, p.end + end, "address"))
                continue
        m = PHONE.search(after[:50])
        if m and "рабоч" not in after[: m.start()]:
            out.append(Finding(p.start, p.end + m.end(), "phone"))
            continue
        if p.patronymic and p.surname and any(abs(h - p.start) <= HEALTH_NEAR for h in health):
            out.append(Finding(p.start, p.end, "health"))
            continue
        if p.surname or p.patronymic:
            span = _house_near(text, p)
            if span:
                out.append(Finding(span[0], span[1], "address"))
    for run in _runs(text, people, private):
        kind = _list_kind(text, run)
        if kind:
            out.append(Finding(run[0].start, run[-1].end, kind))
    out.sort(key=lambda f: (f.start, f.end))
    return out
