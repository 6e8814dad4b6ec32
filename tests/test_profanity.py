"""Profanity: plain, masked, disguised and spaced obscene words; innocent look-alikes stay clean."""

from __future__ import annotations

import pytest

from service.moderation.profanity import find_profanity, mask
from service.scoring import Scorer


@pytest.mark.parametrize(
    "text",
    [
        "Когда вы уже, бл*ть, почистите крышу?!",
        "кривое «х*р вам, а не молодёжь»",
        "«Судья, ты о**ел?!»",
        "выцарапал на зеркале «х*й»",
        "Нах*ра нам этот фонтан",
        "не вывозите эту х*рню с площадки",
        "Сидят там одни ду*ы",
        "Какие-то уроды разломали скамейки",
        "вы там все дебилы, что ли?!",
        "в подъезде как был срач, так и есть",
        "на стене написали хуй",
        "на стене написали xуй",  # Latin x
        "на стене написали хууууй",
        "на стене написали х у й",
        "на стене написали х-у-й",
        "6ля, опять отключили воду",
        "пи3дец какой-то",
        "нас опять заебали",
        "долбоеб",
        "распиздяи из подрядчика",
        "ну его нахуй",
        "ПИЗДЕЦ",
        "какая-то сука кидает мусор",
        "cyka",
        "это полная херня",
    ],
)
def test_profanity_found(text: str) -> None:
    assert find_profanity(text), text


TRAPS = (
    "оскорблять хлебать страхуй страхование потребовать команда сукно гребля гребец колебаться "
    "употреблять рубля блямба скипидар мандарин психуй хулиган тебя ребята небо требовать "
    "корабля сабля оглобля Хуанхэ подстрахуй застрахуйте сухую бляха бляшки себе Себастьян "
    "мудрый хулить херувим Херсон херес сучок сучка хрен фига лох мерзкий шляться сравнение "
    "хохолок мандат мандолина истребитель учебник хлеб гребень сугроб скидка рубль"
).split()


@pytest.mark.parametrize("word", TRAPS)
def test_innocent_traps_do_not_fire(word: str) -> None:
    assert find_profanity(f"Слово {word} в обычном предложении.") == []


@pytest.mark.parametrize(
    "text",
    [
        "**Важно:** с 1980-х** годов *все* по** рецепту",  # Telegram markdown, not masks
        "Язык С# и 5* отель, цена* по запросу",
        "Читаем роман «Идиот» Достоевского",  # a title
        "Приготовим холодец с хреном и горчицей",
        "Лох серебристый высадили в сквере",
        "Сайт https://example.ru/hui/ работает",
        "Эд-Дуре и Самарра — города Ирака",
    ],
)
def test_hard_negatives(text: str) -> None:
    assert find_profanity(text) == [], [h.fragment for h in find_profanity(text)]


def test_span_points_at_the_word() -> None:
    text = "Жительница пишет: «Вы там ох*ели совсем?»"
    (hit,) = find_profanity(text)
    assert text[hit.start : hit.end] == "ох*ели" and hit.how == "masked"


@pytest.mark.parametrize(("word", "masked"), [("хрень", "х****"), ("бля", "б**")])
def test_mask(word: str, masked: str) -> None:
    assert mask(word) == masked


def test_rule_blocks_and_never_spells_the_word() -> None:
    text = "Под постом написали: «Да пошли вы нахуй». Отвечаем спокойно."
    out = Scorer().score({"text": text})
    (item,) = [f for f in out["feedback"] if f["code"] == "profanity"]
    assert item["severity"] == "error" and item["axis"] == "moderation"
    assert text[item["start"] : item["end"]] == item["fragment"] == "нахуй"
    assert "нахуй" not in item["message"] and "н****" in item["message"]
    assert item["suggestion"]
    assert out["moderation"]["blocked"] is True and out["feedback"][0]["severity"] == "error"


def test_clean_post_is_not_blocked() -> None:
    out = Scorer().score({"text": "Команда гребцов потребовала новую лодку. Страхуйте друг друга!"})
    assert out["moderation"]["blocked"] is False


@pytest.mark.parametrize(
    "text",
    [
        # a masked word filled through the obscene-root rule, not only the word list
        "Опять п*здёж про новые автобусы на маршруте №12.",
        "Распи**яи из управляющей компании снова не вывезли мусор.",
        "Кто этот ох*евший водитель, который паркуется на газоне?",
        # dots and «@» inside a word as masks
        "Дорогу раскопали и бросили. П...ц, а не благоустройство.",
        "Обещали отремонтировать крышу к зиме, а х..й там.",
        "бл@, когда уже починят светофор на Советской?",
        "Горячей воды нет третью неделю, бл@ть, сколько можно!",
        # the «уёб-» family
        "Уёбищная остановка: стоять под дождём без крыши с детьми.",
        "Какое-то уёбище разрисовало фасад школы.",
        # transliterated мат, Latin «z» inside Cyrillic, vowel-less «пздц»
        "blyad, kogda uzhe pochinyat dorogu na Lesnoy",
        "Опять без воды, pizdec.",
        "Чиновникам на нас pohuy, это давно ясно.",
        "пиzдец, опять отключили газ",
        "пздц полный с вывозом мусора в частном секторе",
    ],
)
def test_disguised_forms_found(text: str) -> None:
    assert find_profanity(text), text


@pytest.mark.parametrize(
    "text",
    [
        # dots that are punctuation, not masks
        "Приём граждан, т.е. по вторникам, в здании администрации по ул.Ленина, 5.",
        "Ремонт дорог, освещения и т.д. финансируется из бюджета г.Москва.",
        "В библиотеке прошли чтения, посвящённые А.С.Пушкину.",
        "Ну...ладно, в этот раз автобус пришёл вовремя.",
        "Мы ждём…ждём, а подрядчика всё нет.",
        "Рост составил 2..3 процента, индекс — 1.5.",
        "Подробности на сайте https://mos.ru/news..item/ и в приёмной.",
        # «@» in e-mails and mentions
        "Вопросы присылайте на info@mail.ru или почта@админ.рф, а также в @club_gorod.",
        # masked surnames hidden for privacy
        "Победитель конкурса — Е***ов Дмитрий (фамилия скрыта по просьбе родителей).",
        "Нарушителей С***ов и Х***ов оштрафовали на 5 тысяч рублей.",
        "Жительница Х***ова обратилась в приёмную главы района.",
        # Telegram bold markup around a first letter, nothing hidden
        "**М**инздрав сообщил о новых правилах записи к врачу.",
        "**В**ас ждут на открытии сквера в субботу.",
        # English words and names in Latin
        "Купили на eBay, доставили через DHL; Huawei и Hyundai открыли центры. Hue, here, her.",
    ],
)
def test_punctuation_names_and_markup_do_not_fire(text: str) -> None:
    assert find_profanity(text) == [], [h.fragment for h in find_profanity(text)]


def test_dotted_mask_span_covers_the_word() -> None:
    text = "Опять дорогу раскопали. П...ц, а не ремонт."
    (hit,) = find_profanity(text)
    assert hit.fragment == "П...ц" and hit.how == "masked"
