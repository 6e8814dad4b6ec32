"""The text pipeline: spans back to the original text, sentences, tokens, morphology."""

from __future__ import annotations

import pytest

from service.nlp import get_pipeline
from service.nlp.normalize import normalize
from service.nlp.syllables import count_syllables
from service.nlp.tokenize import tokenize


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Привет, мир", "Привет, мир"),
        ("[club123|Школа № 5] приглашает", "Школа № 5 приглашает"),
        ("строка\r\nвторая", "строка\nвторая"),
        ("нераз\u00adрывный\u00a0пробел", "неразрывный пробел"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_normalize_maps_back_to_original() -> None:
    text = "Пишите [id42|Анне Петровой] в\u00a0личку"
    n = normalize(text)
    i = n.text.index("Анне")
    s, e = n.span_to_original(i, i + len("Анне Петровой"))
    assert text[s:e] == "Анне Петровой"
    j = n.text.index("личку")
    assert text[n.to_original(j) :].startswith("личку")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Запись по ссылке https://gosuslugi.ru/600.", ["word", "word", "word", "url", "punct"]),
        ("#МФЦ #ДеньЗнаний 🎉🎉", ["hashtag", "hashtag", "emoji"]),
        ("с 9:00 до 17:00", ["word", "num", "word", "num"]),
        ("пишите на mfc@mail.ru", ["word", "word", "email"]),
        ("сайт dk-yubileyny.ru/afisha", ["word", "url"]),
        ("Ростов-на-Дону", ["word"]),
    ],
)
def test_token_kinds(text: str, kinds: list[str]) -> None:
    assert [k for k, _, _ in tokenize(text)] == kinds


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Приём ведётся по адресу г. Заречинск, ул. Ленина, д. 5. Ждём вас!",
            ["Приём ведётся по адресу г. Заречинск, ул. Ленина, д. 5.", "Ждём вас!"],
        ),
        ("Т. е. можно прийти и т. д. Спасибо.", ["Т. е. можно прийти и т. д.", "Спасибо."]),
        ("Библиотека им. Пушкина открыта. Вход свободный.",
         ["Библиотека им. Пушкина открыта.", "Вход свободный."]),
        ("Когда: 23 августа\nГде: ДК «Импульс»", ["Когда: 23 августа", "Где: ДК «Импульс»"]),
    ],
)
def test_sentences(nlp, text: str, sentences: list[str]) -> None:
    doc = nlp.analyse(text)
    assert [doc.sentence_text(s) for s in doc.sentences] == sentences


def test_every_token_span_points_into_the_original(nlp) -> None:
    text = "🎄 [club1|ДК «Юбилейный»]\r\nБилеты — 450\u00a0₽, ёлка 27 декабря в 11:00! #ёлка"
    doc = nlp.analyse(text)
    for t in doc.tokens:
        assert text[t.start : t.end] == t.text or t.kind == "punct"
    words = [t.text for t in doc.words]
    assert "Юбилейный" in words and "ёлка" in words


def test_morphology_lemmas(nlp) -> None:
    doc = nlp.analyse("Осуществляется приём заявлений от жителей")
    assert [t.lemma for t in doc.words] == ["осуществляться", "прием", "заявление", "от", "житель"]
    assert doc.words[2].morph is not None and doc.words[2].morph.case == "gent"


@pytest.mark.parametrize(
    ("word", "n"),
    [("приём", 2), ("заявление", 5), ("в", 1), ("мфц", 1), ("здравствуйте", 3), ("2025", 0)],
)
def test_syllables(word: str, n: int) -> None:
    assert count_syllables(word) == n
