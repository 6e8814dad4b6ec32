"""Readability rules: long sentences (with where to split) and unexplained abbreviations."""

from __future__ import annotations

import pytest

from service.scoring import Scorer


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


def items(scorer: Scorer, text: str, code: str) -> list[dict]:
    return [i for i in scorer.score({"text": text})["feedback"] if i["code"] == code]


LONG = (
    "В соответствии с постановлением администрации городского округа в целях обеспечения "
    "безопасности дорожного движения и сохранности автомобильных дорог местного значения в период "
    "весенней распутицы вводится временное ограничение движения транспортных средств с нагрузкой "
    "на ось более шести тонн, за исключением транспорта, осуществляющего перевозку пассажиров."
)


def test_long_sentence_is_pointed_at_with_a_split(scorer: Scorer) -> None:
    found = items(scorer, LONG, "long_sentences")
    assert len(found) == 1
    it = found[0]
    assert LONG[it["start"] : it["end"]] == it["fragment"] == LONG
    assert "слов" in it["message"]
    assert "точку после" in it["suggestion"]
    assert it["gain"] > 0


@pytest.mark.parametrize(
    "text",
    [
        "Завтра с 9 до 17 часов не будет воды на улице Ленина. Водовоз приедет к дому 12 в 11:00.",
        "Мы ждём вас в субботу в парке, будет весело, приходите с детьми, с друзьями, с соседями "
        "и с бабушками, возьмите с собой мяч, воду и хорошее настроение.",
    ],
)
def test_short_or_plain_sentences_pass(scorer: Scorer, text: str) -> None:
    assert items(scorer, text, "long_sentences") == []


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("Заседание КДН и ЗП пройдёт во вторник.", ["КДН и ЗП"]),
        ("Воспитанники МБУ ДО «СШ «Олимп» заняли призовые места.", ["МБУ ДО"]),
        ("Вывоз ТКО в праздники — по обычному графику.", ["ТКО"]),
        ("Собрание ТОСа назначено на пятницу.", ["ТОСа"]),
        # explained, widely known, institution legal forms before a name, caps words: nothing
        ("Комиссия по делам несовершеннолетних (КДН) ждёт родителей.", []),
        ("МФЦ и ГИБДД работают в обычном режиме, ЕГЭ начнётся в июне.", []),
        ("ГБУЗ «Черемшанская ЦРБ» приглашает на диспансеризацию.", []),
        ("ВНИМАНИЕ! ВСЕ НА ПРАЗДНИК!", []),
    ],
)
def test_unexplained_abbreviation(scorer: Scorer, text: str, fragments: list[str]) -> None:
    found = items(scorer, text, "unexplained_abbreviation")
    assert [i["fragment"] for i in found] == fragments
    for i in found:
        assert text[i["start"] : i["end"]] == i["fragment"]
