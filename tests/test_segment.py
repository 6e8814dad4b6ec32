"""Sentences of posts written a line per point and of hard-wrapped documents."""

from __future__ import annotations

import pytest

from service.nlp import get_pipeline
from service.readability import assess

LETTER = (
    "Уважаемый пользователь!\n"
    "Рассмотрев Ваше сообщение от 05.11.2020 № 2992676 по вопросу «Неисправный лифт»,\n"
    "сообщаем следующее. В здании, расположенном по адресу: пр. Королёва, дом 47, корпус 1,\n"
    "3 парадная, грузовой и пассажирский лифты находятся в исправном состоянии и работают\n"
    "в штатном режиме. Нарушений при эксплуатации лифтового оборудования не выявлено.\n"
    "Приложение: 1. Фотофиксация."
)
DECREE = (
    "В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах\n"
    "организации местного самоуправления в Российской Федерации», Уставом муниципального\n"
    "образования город Заречинск администрация муниципального образования постановляет\n"
    "утвердить прилагаемый Порядок предоставления субсидий юридическим лицам и\n"
    "индивидуальным предпринимателям, осуществляющим деятельность в сфере бытовых услуг."
)
POINTS = (
    "Ярмарка выходного дня\n"
    "Когда: 12 ноября, с 9 до 15 часов\n"
    "Где: площадь Ленина\n"
    "Фермеры привезут мёд, овощи и молочные продукты\n"
    "Приходите всей семьёй!"
)
LIST = "Что взять с собой:\n- паспорт;\n- СНИЛС;\n- полис ОМС."


def sentences(text: str) -> list[tuple[str, bool]]:
    doc = get_pipeline().analyse(text)
    return [(" ".join(doc.sentence_text(s).split()), s.fragment) for s in doc.sentences]


def test_hard_wrapped_letter_keeps_its_sentences_whole() -> None:
    got = sentences(LETTER)
    assert got[0] == ("Уважаемый пользователь!", True)
    assert got[1][0].startswith("Рассмотрев") and got[1][0].endswith("сообщаем следующее.")
    assert got[2][0].startswith("В здании") and got[2][0].endswith("в штатном режиме.")
    assert got[3] == ("Нарушений при эксплуатации лифтового оборудования не выявлено.", False)
    # the attachments line is a label, not prose
    assert all(frag for text, frag in got[4:]) and "Фотофиксация" in got[-1][0]


def test_decree_wrapped_to_a_fixed_width_is_one_sentence() -> None:
    got = sentences(DECREE)
    assert len(got) == 1 and not got[0][1]
    # the same sentence unwrapped reads exactly as hard
    wrapped = assess(get_pipeline().analyse(DECREE), [])
    flat = assess(get_pipeline().analyse(DECREE.replace("\n", " ")), [])
    assert wrapped.score == pytest.approx(flat.score)
    assert wrapped.figures["words_per_sentence"] > 40


def test_post_written_a_line_per_point_keeps_its_lines() -> None:
    got = sentences(POINTS)
    assert [t for t, _ in got] == POINTS.split("\n")
    # the heading and the labels are not measured; the two prose lines are
    assert [f for _, f in got] == [True, False, True, False, False]


def test_list_items_are_not_sentences_to_measure() -> None:
    got = sentences(LIST)
    assert [t for t, _ in got] == LIST.split("\n")
    assert all(f for _, f in got)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        # a lower-case line continues the sentence
        ("Приглашаем всех жителей\nмикрорайона на субботник.", 1),
        # a line ending with a preposition or a comma continues it
        ("Приём документов ведётся в\nМФЦ на улице Мира.", 1),
        ("Приходите на ярмарку,\nКоторая пройдёт в субботу.", 1),
        # a full stop or an emoji line ends it
        ("Ярмарка пройдёт в субботу.\nПриходите всей семьёй.", 2),
        ("Ярмарка пройдёт в субботу\n📍 Площадь Ленина", 2),
        # a blank line always ends it
        ("Приглашаем всех жителей\n\nмикрорайона на субботник.", 2),
    ],
)
def test_line_breaks(text: str, n: int) -> None:
    assert len(sentences(text)) == n


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # an emoji before a capital letter ends a sentence, as a full stop would
        ("Приходите на праздник в субботу 🎉 В программе концерт и ярмарка 🎶 Вход свободный!",
         ["Приходите на праздник в субботу 🎉", "В программе концерт и ярмарка 🎶",
          "Вход свободный!"]),
        ("Ждём всех ❤️ «Зимняя сказка» начнётся в 12:00.",
         ["Ждём всех ❤️", "«Зимняя сказка» начнётся в 12:00."]),
        # before a lower-case word, or at the end, it does not
        ("Наши ребята 🏆 заняли первое место на олимпиаде 👏",
         ["Наши ребята 🏆 заняли первое место на олимпиаде 👏"]),
    ],
)
def test_an_emoji_before_a_capital_ends_a_sentence(text: str, want: list[str]) -> None:
    assert [t for t, _ in sentences(text)] == want


def test_emoji_sentences_are_measured_apart() -> None:
    """The same three sentences read the same with emoji as with full stops."""
    dots = "Приходите на праздник в субботу. В программе концерт и ярмарка. Вход свободный!"
    emoji = "Приходите на праздник в субботу 🎉 В программе концерт и ярмарка 🎶 Вход свободный!"
    a, b = assess(get_pipeline().analyse(dots), []), assess(get_pipeline().analyse(emoji), [])
    assert a.figures["sentences"] == b.figures["sentences"] == 3
    assert b.figures["words_per_sentence"] == a.figures["words_per_sentence"] == 4
    assert b.score == pytest.approx(a.score)
