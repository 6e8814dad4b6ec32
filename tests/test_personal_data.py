"""Personal data of private persons; officials, institutions and famous writers are not."""

from __future__ import annotations

import pytest

from service.moderation.personal_data import find_numbers, find_personal_data, luhn_ok
from service.scoring import Scorer


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("🥇 Лапшин Матвей (2013 г.р.) — в/к 42 кг", "birth"),
        ("Иванова Мария Петровна, 12.05.1987, просит откликнуться свидетелей", "birth"),
        ("обнаружено тело хозяина дома — Зуенко Петра Ивановича, 1958 г.р.", "birth"),
        ("Петрова Мария Ивановна, ул. Лесная, д. 5, кв. 12", "address"),
        ("— Чебыкина Валентина Степановна, ул. Садовая, 14-3", "address"),
        ("Сидоркин В.П., ул. Набережная, 12-5 — 48 312 руб.", "address"),
        ("письмо от пациентки Зинаиды Фёдоровны Корнейчук (ул. Прибрежная, 9)", "address"),
        ("По инициативе собственника Петренко Ольги Викторовны (тел. +7 (900) 000-12-34)", "phone"),
        ("Денежную помощь можно перевести на карту Ольги Николаевны по номеру телефона "
         "+7 (900) 000-87-21", "phone"),
        ("Пациентку Горбунову Людмилу Петровну привезли с перитонитом, прооперировали ночью.",
         "health"),
        ("Победители: Кравцова Алиса (3 «А»), Мухин Тимофей (4 «В»), Горохов Артём (5 «А»)",
         "list"),
        ("В школу уходят: Абрамова Варвара, Белых Тимофей, Вагапов Арслан, Давыдов Марк.", "list"),
        ("паспорт гражданина РФ на имя Зуева Дмитрия, серия 65 00 № 000123", "passport"),
        ("СНИЛС 112-233-445 95", "snils"),
        ("ИНН 500100732259", "inn"),
        ("Помочь можно переводом на карту 4276 3800 1234 5679", "card"),
    ],
)
def test_personal_data_found(text: str, kind: str) -> None:
    kinds = {f.kind for f in find_personal_data(text)}
    assert kind in kinds, (text, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "Ребят поприветствовала директор школы Наталья Викторовна Сомова.",
        "Тренер-преподаватель Зуев А.Н., тел. 8 (900) 000-11-22",
        "Заведующая Ирина Павловна ждёт родителей в кабинете 12.",
        "Глава поселения Н.С. Бабенко",
        "Водитель — Николай Петрович, рабочий телефон 8 (900) 000-41-41.",
        "Вопросы можно задать нашему делопроизводителю Людмиле Анатольевне: 8 (84600) 0-32-30",
        "МФЦ: ул. Металлургов, 16, телефон 8 (800) 000-00-00.",
        "Новинки: Евгений Водолазкин, «Чагин»; Алексей Сальников, «Оккульттрегер»; "
        "Тамара Михеева, «Асино лето».",
        "Улица названа в честь Ивана Рябинина, ул. Рябинина, 5 — сквер.",
        "Спасибо, Валентина Степановна! Выздоравливайте!",
        "Лечащий врач Артём Сергеевич Лобанов рассказал о профилактике инсульта.",
        "Телефон горячей линии 8 800 000 00 00, ОКТМО 12345678901",
        "Номер заявки 1234 5678 9012 3456",  # fails Luhn
        "Две девочки, Кравцова Алиса и Мухина Дарья, победили в конкурсе рисунков.",
    ],
)
def test_not_personal_data(text: str) -> None:
    found = find_personal_data(text)
    assert found == [], [(f.kind, text[f.start : f.end]) for f in found]


@pytest.mark.parametrize(
    ("digits", "ok"), [("4276380012345679", True), ("4276380012345678", False)]
)
def test_luhn(digits: str, ok: bool) -> None:
    assert luhn_ok(digits) is ok


def test_snils_checksum() -> None:
    assert [f.kind for f in find_numbers("СНИЛС 112-233-445 95")] == ["snils"]
    assert find_numbers("СНИЛС 112-233-445 96") == []


def test_rule_blocks_with_one_item_per_list() -> None:
    text = ("Итоги первенства:\n🥇 Лапшин Матвей (2013 г.р.)\n🥇 Ахметова Диана (2012 г.р.)\n"
            "🥈 Ершов Кирилл (2014 г.р.)\nТренер — Зуев А.Н.")
    out = Scorer().score({"text": text})
    items = [f for f in out["feedback"] if f["code"] == "personal_data"]
    assert len(items) == 1 and items[0]["severity"] == "error"
    assert items[0]["fragment"].startswith("Лапшин Матвей") and "Зуев" not in items[0]["fragment"]
    assert "фамили" in items[0]["suggestion"]
    assert out["moderation"]["blocked"] is True
