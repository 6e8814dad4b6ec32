"""Typos: unknown words with a confident correction; names, slang, compounds stay unflagged."""

from __future__ import annotations

import pytest

from service.moderation.spelling import correct, find_typos
from service.nlp import get_pipeline
from service.scoring import Scorer


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("В конкурсе учавствовали 40 школьников.", "учавствовали", "участвовали"),
        ("По вопросам можно обращатся в кабинет 5.", "обращатся", "обращаться"),
        ("Наши колективы выступят в субботу.", "колективы", "коллективы"),
        ("Приём документов продолжаеться до пятницы.", "продолжаеться", "продолжается"),
        ("Вчера к нам пришол Дед Мороз.", "пришол", "пришёл"),
        ("На двери подьездов повесили объявления.", "подьездов", "подъездов"),
        ("Спасибо всем, кто пришёл, и будте здоровы!", "будте", "будьте"),
        ("Приносим извенения за неудобства.", "извенения", "извинения"),
        ("Работы в соответсвии с графиком.", "соответсвии", "соответствии"),
        ("Дарогие жители, ждём вас!", "Дарогие", "Дорогие"),
        ("Движение приостоновлено до утра.", "приостоновлено", "приостановлено"),
    ],
)
def test_typo_found(nlp, text: str, word: str, fix: str) -> None:
    found = {(t.word, t.correction) for t in find_typos(nlp.analyse(text))}
    assert (word, fix) in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Лоханов Артём Игоревич получил паспорт.",  # a surname
        "Подписывайтесь на наш паблик и телеграм-канал.",
        "Юнармейцы провели видеосвязь с ветеранами.",
        "Профосмотры и догазификация идут по графику.",
        "В музее показали самоваръ купца Рябинина.",
        "Встречаемся в «Кэреш» и в Заречинске.",
        "Записаться: https://gosuslugi.ru/600206 или #ЗаречинскЖдёт",
        "ВНИМАНИЕ, ГКУ «ЦЗН» и МБУК ДК работают.",
        "Беговелы и самокаты — на парковке у входа.",
        "Урок мужества провёл кавалер ордена Мужества.",
    ],
)
def test_no_false_alarm(nlp, text: str) -> None:
    found = find_typos(nlp.analyse(text))
    assert found == [], [(t.word, t.correction) for t in found]


@pytest.mark.parametrize("word", ["абракадабрище", "шмурдяк", "флюрограф"])
def test_no_confident_correction(word: str) -> None:
    assert correct(word) is None


def test_typo_item_is_a_readability_warning() -> None:
    text = "Приём документов продолжаеться до пятницы."
    out = Scorer().score({"text": text})
    (item,) = [f for f in out["feedback"] if f["code"] == "typos"]
    assert item["axis"] == "readability" and item["severity"] == "warning"
    assert item["suggestion"] == "продолжается"
    assert text[item["start"] : item["end"]] == "продолжаеться"
    assert out["moderation"]["blocked"] is False
