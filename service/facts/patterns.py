"""Compiled patterns of the facts a post can carry: dates, times, places, contacts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from service.nlp.gate import Gated

if TYPE_CHECKING:
    from service.nlp.document import Doc

_I = 0  # patterns are lower-cased and matched against the lower-cased text (faster than re.I)


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return a pattern compiled in lower case, for matching the lower-cased text."""
    return re.compile(pattern.lower(), flags)


def compile_gated(pattern: str, flags: int = 0) -> Gated:
    """Return `_c(pattern)` behind its necessary literals."""
    return Gated(_c(pattern, flags))

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
MONTH_GEN = (
    r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    r"|янв\.|февр?\.|апр\.|авг\.|сент?\.|окт\.|нояб?\.|дек\.)"
)
MONTH_ANY = (
    r"(?:январ[еья]|феврал[еья]|марте?|марта|апрел[еья]|ма[еяй]|июн[еья]|июл[еья]|августе?|августа"
    r"|сентябр[еья]|октябр[еья]|ноябр[еья]|декабр[еья])"
)
WEEKDAY = (
    r"(?:понедельник|вторник|сред[ауы]|четверг|пятниц[ауы]|суббот[ауы]|воскресень[ея]"
    r"|понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям"
    r"|понедельника|вторника|четверга"
    r"|пн|вт|ср|чт|пт|сб|вс)"
)
_DAY = r"(?:[12]?\d|3[01])"
_YEAR = r"(?:\s+(?:20\d\d|19\d\d)(?:\s*(?:г\.|года|г\b))?)?"

# 14 марта, 14–16 марта 2025 года, 1 сентября. Readable form:
# (?<![\d.,])({_DAY})(?:\s*(?:[-–—]|по|и)\s*{_DAY})?\s+{MONTH_GEN}{_YEAR}
# The first day is written to open with one digit (the engine skips in C to the digits): a digit
# with no digit, point or comma before it, then what `[12]?\d|3[01]` takes in the same order of
# trial: a second digit after 1 or 2, nothing more, a 0 or 1 after 3 (tests/test_facts_gates.py).
_DAY_FIRST = r"(\d(?<![\d.,].)(?:(?<=[12])\d||(?<=3)[01]))"
DATE_WORDS = _c(rf"{_DAY_FIRST}(?:\s*(?:[-–—]|по|и)\s*{_DAY})?\s+{MONTH_GEN}{_YEAR}", _I)
# 14.03, 14.03.2025, 14/03/25 (a time like 14.30 is excluded by the month check)
DATE_NUM = _c(r"(?<![\d.,:])(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])(?:[./](\d{4}|\d{2}))?(?![\d:])")


def _word_start(alternative: str) -> str:
    """Return an alternative that opens with a letter, with `\\b` before it checked after it.

    `\\b` before a letter is «no word character before it», i.e. `(?<!\\w.)` once the letter
    is read. A pattern whose every alternative opens with a plain letter lets the regex engine
    skip in C to the positions that hold one of those letters (with a leading `\\b` it tries
    every position).
    """
    assert alternative[0].isalpha()
    return alternative[0] + r"(?<!\w.)" + alternative[1:]


def _words_first(*alternatives: str) -> str:
    """Return `\\b(?:a|b|…)` with every alternative written by `_word_start` (the same matches)."""
    return "(?:" + "|".join(map(_word_start, alternatives)) + ")"


# Readable form: \b(?:в|во|с|до|к|на)\s+(?:начале\s+|конце\s+|середине\s+)?{MONTH_ANY}\b
MONTH_ONLY = compile_gated(
    _words_first("в", "во", "с", "до", "к", "на")
    + rf"\s+(?:начале\s+|конце\s+|середине\s+)?{MONTH_ANY}\b", _I)
RELATIVE = compile_gated(
    r"\b(?:сегодня|завтра|послезавтра|вчера"
    r"|(?:в|во|на)\s+(?:эт(?:у|ой|ом|от|и)|ближайш(?:ую|ий|ее|ие|ей|ем)|следующ(?:ую|ий|ее|ие|ей|ем)"
    r"|будущ(?:ую|ий|ее|ей|ем)|прошл(?:ую|ый|ое|ой|ом))\s+(?:неделе|недел[юи]|выходные|субботу|воскресенье|понедельник|вторник"
    r"|среду|четверг|пятницу|месяце)"
    r"|в\s+выходные|на\s+выходных"
    r"|(?:в|во|по|каждую|каждый|каждое|с|со|до|к|в\s+ночь\s+на)\s+" + WEEKDAY + r")\b",
    _I,
)
# opens with «(»: the engine skips to the brackets itself, faster than a gate
WEEKDAY_BARE = _c(r"\(\s*" + WEEKDAY + r"\s*\)", _I)
# 10:00, с 9:00 до 17:00, в 10 часов, 9.00–18.00
_HM = r"(?:[01]?\d|2[0-3])[:.][0-5]\d"
TIME_RANGE = _c(
    rf"(?:\bс\s+)?(?<![\d.,:]){_HM}\s*(?:[-–—]|до)\s*{_HM}(?![\d])"
    r"|\bс\s+(?:[01]?\d|2[0-3])\s+до\s+(?:[01]?\d|2[0-3])\s+(?:час|ч\b)", _I)
TIME = _c(
    rf"(?<![\d.,:/]){_HM}(?![\d.:/]\d)|\b(?:в|к|до|с)\s+(?:[01]?\d|2[0-3])\s+(?:час(?:ов|а)?|ч\.)",
    _I,
)
ROUND_CLOCK = compile_gated(r"\bкруглосуточно\b|\bежедневно\b|\bпо\s+будням\b|\bбез\s+выходных\b", _I)
DEADLINE = _c(
    rf"\b(?:до|по|не\s+позднее|не\s+позже|продлится\s+до)\s+(?:{_DAY}\s+{MONTH_GEN}"
    r"|(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])(?:\.\d{2,4})?)",
    _I,
)
DEFERRED_WHEN = _c(
    r"(?:дат[ауые]|врем[яени]+|срок[иа]?|расписани[ея]|график|режим\s+работы|дни\s+и\s+время)"
    r"[^.!?\n]{0,60}?(?:сообщ|опубликуем|будет\s+опубликован|уточн|доведен|доведён|объявим|подбер)"
    r"|(?:сообщ\w*|опубликуем|объявим)\s+(?:дополнительно|отдельно|позже|позднее)"
    r"|(?:будет|будут)\s+(?:сообщен\w*|опубликован\w*|доведен\w*|объявлен\w*)\s+(?:дополнительно|позже|отдельно)",
    _I,
)

# Addresses: ул. Ленина, 5; пр-т Мира, д. 3; каб. 12; на улице Садовой
# Necessary conditions of slow patterns, checked first (a cheap scan; the same results): every
# time has «ч:мм» or «N час»/«N ч.», every date in words a month's first letters, every street
# address a street word (checked in the case-folded text: the street word matches in any case).
CLOCK_HINT = re.compile(r"\d[:.][0-5]\d|\d\s+(?:час|ч\b)")
MONTH_HINTS = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
DATE_NUM_HINT = re.compile(r"\d[./]\d")
# «\d-\d\d-|(?:\+7|8)[\s\-]*\(?\s*\d{3}» (only whether it occurs is asked), written to open with
# one character class: the engine skips in C to the digits and pluses
PHONE_HINT = re.compile(r"[\d+](?:(?<=\d)-\d\d-|(?<=\+)7[\s\-]*\(?\s*\d{3}|(?<=8)[\s\-]*\(?\s*\d{3})")
# SETTLEMENT's words (пгт|сел[оеа]|деревн[яеи]|пос[её]л…|хутор) in the case-folded text
SETTLEMENT_WORDS = ("пгт", "село", "селе", "села", "деревн", "посел", "посёл", "хутор")
SETTLEMENT_ABBREVIATIONS = ("с.", "д.", "п.", "х.")  # as written; then the abbreviation itself:
SETTLEMENT_ABBREVIATION = re.compile(r"\b(?:с|д|п|пос|х)\.")  # SETTLEMENT's own opening
STREET_HINTS = ("ул.", "улиц", "пр-т", "пр-кт", "просп.", "проспект", "пер.", "переул", "б-р",
                "бульвар", "ш.", "шоссе", "пл.", "площад", "наб.", "набережн", "мкр",
                "микрорайон", "проезд", "тракт")
STREET = (
    r"(?:ул\.|улиц[аеыу]|улиц(?:ах|ам)|пр-т|пр-кт|просп\.|проспект[еау]?|пер\.|переул(?:ок|ке)"
    r"|б-р|бульвар[еау]?|ш\.|шоссе|пл\.|площад[ьи]|наб\.|набережн(?:ая|ой)|мкр\.?|микрорайон[еау]?"
    r"|проезд[еау]?|тракт[еау]?)"
)
# Streets and settlements are matched against the submitted text (not lower-cased): the street
# word in any case, the name after it with a capital letter, a digit or a quote.
_NAME = r"[«\"]?[А-ЯЁ0-9][\w\-]*[»\"]?(?:\s+[А-ЯЁ][\w\-]*)?"
ADDRESS_STREET = re.compile(
    rf"(?i:\b{STREET})(?:(?<=\.)|(?!\w))\s*{_NAME}"
    r"(?:,?\s*(?:д\.|дом|дома|№)?\s*\d+[а-я]?(?:\s*[-–/]\s*\d+[а-я]?)?)?"
)
ADDRESS = _c(
    r"(?:\bд\.|\bдом(?:а|е)?)\s*№?\s*\d+[а-я]?(?:,\s*(?:корп\.|корпус|стр\.)\s*\d+)?"
    r"|\b(?:каб\.|кабинет[еа]?|ауд\.|аудитори[ия]|офис[еа]?|окн[оае]|зал[еа]?)\s*№?\s*\d+[а-я]?",
    _I,
)
# every match of ADDRESS holds a digit and one of these (its house and room words)
ADDRESS_HINTS = ("д.", "дом", "каб", "ауд", "офис", "окн", "зал")
# «с. Берёзовка», «д. Иваново»: the abbreviation is lower-case (an initial «С. Пушкин» is not)
SETTLEMENT = re.compile(
    r"(?:\b(?:с|д|п|пос|х)\.|(?i:\b(?:пгт|сел[оеа]|деревн[яеи]|пос[её]лк?[еа]?|пос[её]лок"
    r"|хутор[еа]?)))\s+[А-ЯЁ][а-яё\-]+"
)

# Places named by a noun («в МФЦ на Садовой», «в Центральной библиотеке», «ДК «Юбилейный»»)
PLACE_NOUNS = (
    r"(?:библиотек|мфц|дк|дом[аеу]?\s+культуры|доме\s+культуры|клуб|музе|театр|стадион|бассейн"
    r"|спортзал|спортивн\w+\s+зал|актов\w+\s+зал|зал|сквер|парк|площад|набережн|школ|гимнази"
    r"|лице|колледж|техникум|детск\w+\s+сад|садик|поликлиник|больниц|фап|амбулатори|администраци"
    r"|центр|кабинет|ледов|каток|дворц|выставочн\w+\s+зал|галере|кинотеатр|фойе|холл|офис"
    r"|отделени|учреждени|здани|корпус|лыжн\w+\s+баз|база|пляж|сельсовет|клуб|aудитори|аудитори"
    r"|площадк|территори|храм|церкв|часовн|мемориал|обелиск|лагер|интернат|ФОК|фок|дюсш|сош|вокзал"
    r"|остановк|кафе|столов|читальн|абонемент|приёмн|приемн|пункт|салон)"
)


# The same matches as the readable form kept in tests/test_facts_gates.py (PLACE_READABLE),
# twice as fast: «в|во|на …» prepositions, then the abbreviations, the named buildings, online.
_PLACE_REST = rf"\s+(?:[\w\-]+\s+){{0,2}}?{PLACE_NOUNS}\w*"
PLACE = _c(
    "|".join(
        [_word_start(p) + _PLACE_REST
         for p in ("в", "во", "на", "у", "возле", "около", "напротив", r"рядом\s+с", "при")]
        + [_word_start(a) + r"\b" for a in ("ДК", "МФЦ", "ФОК", "ДЮСШ", "СОШ", "ЦРБ")]
        + [r"центральн\w+\s+(?:городск\w+\s+|районн\w+\s+)?библиотек\w*",
           r"дом\w*\s+культуры", r"двор\w+\s+(?:культуры|спорта)"]
        + [_word_start(a) for a in
           ("онлайн", r"в\s+онлайн-формате", r"в\s+режиме\s+онлайн", "дистанционно")]
    ),
    _I,
)
OUR_PLACE = compile_gated(r"\b(?:к\s+нам|у\s+нас|в\s+наш\w*\s+[\w\-]+)", _I)
DEFERRED_WHERE = _c(r"(?:площадк\w*|мест[оа]\s+проведения|адрес\w*)[^.!?\n]{0,50}?(?:сообщ|опубликуем|уточн)", _I)

# Contacts: phones, links, e-mail, QR codes, «по ссылке», «в шапке профиля», Госуслуги
PHONE = _c(
    r"(?<![\d\w])(?:\+7|8)[\s\-]*\(?\s*\d{3,5}\s*\)?[\s\-]*\d{1,3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)"
    r"|(?<![\d.,:/\-])\d{1,3}-\d{2}-\d{2}(?![\d\-])"
)
SHORT_PHONE = _c(
    r"(?:телефон\w*|звон\w+|номер\w*|набер\w+|наберите|позвоните|горяч\w+\s+лини\w+|тел\.)"
    r"[^.\n\d]{0,25}(?<!\d)(?:112|101|102|103|104|122|123|115)(?!\d)",
    _I,
)
LINK_WORDS = compile_gated(
    r"\bпо\s+ссылке\b|\bссылк[аеуи]\b|\bв\s+шапке\s+(?:профиля|группы|канала|сообщества|страницы)"
    r"|\bгосуслуг\w*|\bgosuslugi\b|\bна\s+(?:нашем\s+|официальном\s+)?сайте\b|\bчат[\s\-]?бот\w*"
    r"|\bв\s+(?:личн\w+\s+сообщени\w+|личк\w+|сообщени\w+\s+(?:группы|сообщества))"
    r"|\bв\s+директ\b|\bнапиш\w+\s+(?:нам|в\s+комментари\w+|в\s+сообщени\w+)|\bв\s+комментари\w+"
    r"|\bна\s+портале\b|\bв\s+приложении\b|\bв\s+закреплённом\s+посте\b|\bв\s+карточках\b",
    _I,
)
IN_PERSON = compile_gated(
    r"\b(?:обращайтесь|обратитесь|приходите|запис\w+\s+(?:у|в|на|по)\s+[\w\-]+"
    r"|у\s+(?:классн\w+\s+руководител\w+|воспитател\w+|библиотекар\w+|тренер\w+|вожат\w+)"
    r"|в\s+регистратур\w+|в\s+приёмн\w+|в\s+приемн\w+|лично|на\s+месте)",
    _I,
)
QR = _c(r"\bqr[\s\-]?код\w*|\bqr\b|\bкуар[\s\-]?код\w*", _I)


def lower_text(doc: Doc) -> str:
    """Return the lower-cased text with the same offsets (patterns are matched against it)."""
    low = doc.cache.get("lower")
    if not isinstance(low, str):
        low = doc.text.lower()
        if len(low) != len(doc.text):  # a rare letter whose lower case is longer: keep offsets
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in doc.text)
        doc.cache["lower"] = low
    return low
