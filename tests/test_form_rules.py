"""Form rules: wall of text, too short, CAPS, «!!!», emoji and hashtag overuse."""

from __future__ import annotations

import pytest

from service.nlp import get_pipeline
from service.rules.context import Context
from service.rules.form import FORM_RULES, THRESHOLDS
from service.schemas import PostIn

PLAIN = (
    "В субботу, 14 марта, в библиотеке на ул. Ленина, 5 пройдёт мастер-класс по закладкам.\n"
    "Начало в 12:00, вход свободный. Приходите с детьми!"
)
OFFICIAL_BLOCK = " ".join(
    ["В соответствии с планом работы учреждения в период с 1 по 14 сентября проводится "
     "профилактическое мероприятие, направленное на формирование у обучающихся навыков "
     "безопасного поведения на дорогах и в общественных местах."] * 6
)


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


def codes_of(nlp, text: str, platform: str = "vk") -> set[str]:
    ctx = Context(PostIn(text=text), nlp.analyse(text), platform, [], None, {})  # type: ignore[arg-type]
    return {it.code for rule in FORM_RULES for it in rule(ctx)}


def items_of(nlp, text: str, platform: str = "vk"):
    ctx = Context(PostIn(text=text), nlp.analyse(text), platform, [], None, {})  # type: ignore[arg-type]
    return [it for rule in FORM_RULES for it in rule(ctx)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (OFFICIAL_BLOCK, "wall_of_text"),
        ("Расписание на 14.11 с изменениями 👇", "too_short"),
        ("Единое пособие: что изменилось. Подробнее по ссылке 👇\nvk.com/wall-1_2", "too_short"),
        ("Наши — на пьедестале! 🥇🥈🥉", "too_short"),
        ("ВНИМАНИЕ! В субботу в 10:00 субботник у школы на ул. Мира, 3. Берите перчатки.",
         "caps"),
        ("ВСЕ НА ЛЫЖНЮ! 7 февраля в 11:00 старт забега на лыжной базе, ул. Лесная, 2.", "caps"),
        ("Ждём всех на празднике!!! Будут конкурсы, музыка и угощение для детей и взрослых.",
         "exclamation_overuse"),
        ("Ура! Наши победили! Это было здорово! Спасибо болельщикам! До новых встреч в мае!",
         "exclamation_overuse"),
        ("🎄🎄🎄 Новогодний утренник 🎅\n🎁 Подарки всем детям 🎁\n🎶 Песни и хороводы 🎶\n"
         "📅 27 декабря в 11:00 ✨\nЖдём вас! ❤️❤️", "emoji_overuse"),
        ("Наши будни в детском саду: гуляем, рисуем, играем и читаем сказки.\n"
         "#детскийсад #Колокольчик #Лесногорск #осень #детство #ДОУ", "hashtag_overuse"),
    ],
)
def test_fires(nlp, text: str, code: str) -> None:
    assert code in codes_of(nlp, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (PLAIN, "wall_of_text"),
        (PLAIN, "too_short"),
        # acronyms are not shouting
        ("Документы принимает МФЦ, справки выдаёт ГИБДД, запись через ЕПГУ и в ЦРБ. "
         "Подробности по телефону 8 (800) 000-00-00.", "caps"),
        ("Сдать нормы ГТО можно в ФОК «Волна» по будням с 9:00 до 18:00.", "caps"),
        # one «!» is fine
        (PLAIN, "exclamation_overuse"),
        ("Поздравляем победителей! Команда школы № 5 заняла первое место в районной "
         "олимпиаде по математике. Следующий тур пройдёт в апреле.", "exclamation_overuse"),
        # a couple of emoji as markers are fine
        ("📅 14 марта в 10:00\n📍 ул. Ленина, 5, актовый зал\nПриходите всей семьёй, будет "
         "интересно и полезно для детей и родителей.", "emoji_overuse"),
        # exactly five hashtags are fine
        (PLAIN + "\n#школа5 #Лесногорск #субботник #дети #город", "hashtag_overuse"),
    ],
)
def test_hard_negatives(nlp, text: str, code: str) -> None:
    assert code not in codes_of(nlp, text)


def test_thresholds_differ_by_platform() -> None:
    assert THRESHOLDS["telegram"]["total_chars"] < THRESHOLDS["vk"]["total_chars"]
    assert set(THRESHOLDS) == {"vk", "ok", "telegram", "max"}


def test_long_post_fits_vk_but_not_telegram(nlp) -> None:
    para = ("Рассказываем, как подготовиться к отопительному сезону: проверьте окна, батареи и "
            "вентиляцию, заранее сообщите в управляющую компанию о неполадках.")
    text = "\n\n".join([para] * 17)  # ~2,400 characters in short paragraphs
    assert "wall_of_text" not in codes_of(nlp, text, "vk")
    assert "wall_of_text" in codes_of(nlp, text, "telegram")


def test_items_carry_spans_and_suggestions(nlp) -> None:
    text = "ВНИМАНИЕ!!! Завтра субботник у школы в 10:00. Берите перчатки и хорошее настроение."
    items = {it.code: it for it in items_of(nlp, text)}
    caps = items["caps"]
    assert text[caps.start:caps.end] == "ВНИМАНИЕ" and caps.axis == "readability"
    excl = items["exclamation_overuse"]
    assert text[excl.start:excl.end] == "!!!"
    assert all(it.suggestion and it.gain > 0 for it in items.values())
