"""Personal data of private persons: documents, cards, and full names next to private details.

Officials and staff named with their role («директор», «тренер Зуев А.Н.», «врач …») and an
institution's own phone or address are not personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.moderation.names import Person, find_people, is_official

LIST_MIN = 3  # people in a list of surnames (checked by cross-validation in eval_moderation)
LIST_GAP = 60  # at most this many characters between two names of one list
HEALTH_NEAR = 300  # a diagnosis this close to a person's full name
NEAR = 60  # characters after a name where its private details are looked for

SNILS = re.compile(r"(?<![\d-])(\d{3})[- ]?(\d{3})[- ]?(\d{3})[- ]?(\d{2})(?![\d-])")
INN12 = re.compile(r"(?i)ИНН[:\s№]*(\d{12})(?!\d)")
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
CHILD_CONTEXT = re.compile(
    r"(?i)\d+\s?«[А-ЯЁ]»|\bг\.\s?р\.|\d+\s+(?:лет|года?)\b|воспитанник|учени|школьник|выпускник"
    r"|обучающ|ребят|дет(?:ей|и|ям)|юнош|девушк|класс|групп[аые]|первенств|олимпиад"
)
FIELDS = re.compile(r"\s*[,(—–-]?\s*(?:[^,()\n]{1,20}[,(]\s*)*")
HISTORIC = re.compile(r"(?i)(?:в честь|имени|памяти|героя?|ветеран[аы]?)\s*$")


@dataclass(slots=True, frozen=True)
class Finding:
    """One piece of personal data: span and what kind it is."""

    start: int
    end: int
    kind: str  # snils | inn | card | passport | birth | address | phone | health | list


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
    for m in SNILS.finditer(text):
        digits = "".join(m.groups())
        if (m.group(0).count("-") >= 2 or "снилс" in text[max(0, m.start() - 25) : m.start()].lower()
                ) and _snils_ok(digits):
            out.append(Finding(m.start(), m.end(), "snils"))
    for m in INN12.finditer(text):
        if _inn12_ok(m.group(1)):
            out.append(Finding(m.start(1), m.end(1), "inn"))
    for m in CARD.finditer(text):
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


def _official_keys(text: str, people: list[Person]) -> set[str]:
    """Return name words of people named with a role anywhere in the text."""
    keys: set[str] = set()
    for p in people:
        if is_official(text, p):
            keys |= {w[:5].lower() for w in re.findall(r"[А-ЯЁ][а-яё]+", p.text)}
    return keys


def _private(text: str, p: Person, official: set[str]) -> bool:
    """Return True for a private person: no role next to the name or to its other mentions."""
    if is_official(text, p):
        return False
    words = [w[:5].lower() for w in re.findall(r"[А-ЯЁ][а-яё]+", p.text)]
    if len(words) >= 2 and sum(w in official for w in words) >= 2:
        return False
    line_start = text.rfind("\n", 0, p.start) + 1
    return not HISTORIC.search(text[max(line_start, p.start - 30) : p.start])


def _fields_only(gap: str, found: str) -> bool:
    """Return True when a detail follows the name as a field of it («, ул. …», «(с. …»),
    not as part of another clause («… напился на улице …»)."""
    if found.startswith(("проживающ", "по адресу")):
        return True
    return bool(FIELDS.fullmatch(gap))


def _longest_list(text: str, people: list[Person]) -> list[Person]:
    """Return the longest run of names written as a list: close together, one after another."""
    best: list[Person] = []
    run: list[Person] = []
    for p in people:
        gap = LIST_GAP if p.surname_first else LIST_GAP // 2
        if run and p.start - run[-1].end > gap:
            run = []
        run.append(p)
        if len(run) > len(best):
            best = list(run)
    return best


def find_personal_data(text: str) -> list[Finding]:
    """Return the personal data of private persons in `text`, each with its span."""
    out = find_numbers(text)
    people = [p for p in find_people(text) if p.full]
    if not people:
        return out
    official = _official_keys(text, people)
    private = [p for p in people if _private(text, p, official)]
    health = [m.start() for m in HEALTH.finditer(text)] if PATIENT.search(text) else []
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
            out.append(Finding(p.start, p.end + end, "address"))
            continue
        m = PHONE.search(after[:50])
        if m and "рабоч" not in after[: m.start()]:
            out.append(Finding(p.start, p.end + m.end(), "phone"))
            continue
        if p.patronymic and p.surname and any(abs(h - p.start) <= HEALTH_NEAR for h in health):
            out.append(Finding(p.start, p.end, "health"))
    listed = [
        p for p in private
        if p.surname and p.first and (p.surname_first or CHILD_CONTEXT.search(text))
        and not TITLE_AFTER.match(text, p.end)  # an author and a book: «Евгений Водолазкин, «Чагин»»
    ]
    run = _longest_list(text, listed)
    if len(run) >= LIST_MIN:
        out.append(Finding(run[0].start, run[-1].end, "list"))
    out.sort(key=lambda f: (f.start, f.end))
    return out
