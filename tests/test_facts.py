"""Facts of a post (when, where, how) and the missing_* / no_call_to_action rules."""

from __future__ import annotations

import pytest

from service.facts import Facts, extract_facts
from service.nlp import get_pipeline
from service.rules import facts_rules
from service.rules.context import Context
from service.rules.facts_rules import FACT_RULES
from service.schemas import PostIn


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


def facts_of(nlp, text: str) -> Facts:
    return extract_facts(nlp.analyse(text))


@pytest.fixture(params=["model", "hand"])
def mode(request, monkeypatch) -> str:
    """Run a test with the learned models and again with the hand rules only (no artifact)."""
    if request.param == "hand":
        monkeypatch.setattr(facts_rules, "load_issue_model", lambda: None)
    return str(request.param)


def codes_of(nlp, text: str, platform: str = "vk", page: str | None = None) -> set[str]:
    post = PostIn(text=text, page={"type": page} if page else None)
    ctx = Context(post, nlp.analyse(text), platform, [], None, {})  # type: ignore[arg-type]
    ctx.extra["facts"] = extract_facts(ctx.doc)
    return {it.code for rule in FACT_RULES for it in rule(ctx)}


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("Концерт пройдёт 14 марта в 18:00.", "date", "14 марта"),
        ("Справки выдаём до 15.03.2025.", "date", "до 15.03.2025"),
        ("Завтра не будет воды.", "date", "Завтра"),
        ("Ждём вас в субботу на субботник.", "date", "в субботу"),
        ("На этой неделе откроем каток.", "date", "На этой неделе"),
        ("Приём с 9:00 до 17:00 без записи.", "time", "с 9:00 до 17:00"),
        ("Начало в 10:00.", "time", "10:00"),
        ("Приходите по адресу ул. Ленина, 5.", "address", "ул. Ленина, 5"),
        ("Наш адрес: пр-т Мира, д. 3, каб. 12.", "address", "каб. 12"),
        ("Собрание пройдёт в актовом зале.", "place", "в актовом зале"),
        ("Документы примут в МФЦ на Садовой.", "place", "в МФЦ"),
        ("Вопросы по телефону 8 (800) 000-00-00.", "phone", "8 (800) 000-00-00"),
        ("Звоните +7 912 000-12-34 в будни.", "phone", "+7 912 000-12-34"),
        ("При пожаре звоните 112.", "phone", "112"),
        ("Запись на Госуслугах.", "link", "Госуслугах"),
        ("Подробности по ссылке в шапке профиля.", "link", "по ссылке"),
        ("Анкета: https://example.ru/form", "link", "https://example.ru/form"),
        ("Пишите на school5@example.ru", "email", "school5@example.ru"),
        ("Отсканируйте QR-код на плакате.", "qr", "QR-код"),
        ("С понедельника меняется график приёма.", "date", "С понедельника"),
        ("На следующей неделе приедет фотограф.", "date", "На следующей неделе"),
        ("Выездной приём в с. Берёзовка.", "address", "с. Берёзовка"),
        ("Встречаемся на ул.Садовой, д. 3.", "address", "ул.Садовой, д. 3"),
        ("Занятия в малом зале поликлиники.", "place", "в малом зале"),
        ("В апреле в библиотеке стартует курс.", "place", "в библиотеке"),
    ],
)
def test_extracts_fact(nlp, text: str, kind: str, fragment: str) -> None:
    f = facts_of(nlp, text)
    assert fragment in [x.text for x in f.of(kind)], [x.text for x in f.of(kind)]
    assert f.has(kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a street word inside another word, or followed by a lower-case word, is no address
        ("Набор на курсы «Тракторист категорий B, C».", "address"),
        ("Не гуляйте на улице в ночное время.", "address"),
        ("Скейт-парк на набережной открыт!", "address"),
        # an initial is not a village
        ("Выставка к юбилею А. С. Пушкина.", "address"),
        # «в» + noun + noun is not a place
        ("Репетиции три раза в неделю после школы.", "place"),
        ("Решение принято на основании постановления администрации.", "place"),
        ("Проезд бесплатный при предъявлении школьной карты.", "place"),
    ],
)
def test_does_not_extract(nlp, text: str, kind: str) -> None:
    assert not facts_of(nlp, text).of(kind), [x.text for x in facts_of(nlp, text).of(kind)]


def test_spans_point_into_the_original_text(nlp) -> None:
    text = "[club1|Школа № 5] ЖДЁМ ВАС 14 марта в 10:00 по адресу ул. Ленина, 5!"
    f = facts_of(nlp, text)
    for x in (*f.dates, *f.times, *f.addresses):
        assert text[x.start:x.end] == x.text


def test_as_dict_is_json_ready(nlp) -> None:
    import json

    text = "Приходите на концерт хора 14 марта в 10:00 в библиотеку. Тел. 8 (800) 000-00-00"
    d = facts_of(nlp, text).as_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    # an invitation to a concert is an event, and the event's day, hour, place and phone are there
    assert d["post_kinds"] == ["event"]
    assert {k: [x["text"] for x in d[k]] for k in ("date", "time", "place", "phone")} == {
        "date": ["14 марта"], "time": ["10:00"], "place": ["в библиотеку"],
        "phone": ["8 (800) 000-00-00"]}
    assert d["date"][0]["value"] == {"type": "absolute", "day": 14, "month": 3}
    assert d["phone"][0]["value"] == "88000000000"
    for kind in ("date", "time", "place", "phone"):
        x = d[kind][0]
        assert text[x["start"]:x["end"]] == x["text"]
    # the call to action is the first sentence («Приходите …»), not the phone line
    assert d["has_call_to_action"] is True
    cta = d["call_to_action"]
    assert text[cta["start"]:cta["end"]] == "Приходите на концерт хора 14 марта в 10:00 в библиотеку."
    # news about a past concert is no event, however many facts it has
    past = facts_of(nlp, "14 марта в 10:00 в библиотеке прошёл концерт хора.").as_dict()
    assert past["post_kinds"] == [] and past["has_call_to_action"] is False


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Приглашаем на концерт хора «Зори»! Ждём всех.", {"event"}),
        ("Завтра с 9:00 до 17:00 отключение холодной воды на ул. Садовой.", {"outage"}),
        ("Оформить единое пособие можно через Госуслуги.", {"service"}),
        ("Просим родителей заполнить анкету до 20 марта.", {"request", "deadline"}),
    ],
)
def test_post_kinds(nlp, text: str, kinds: set[str]) -> None:
    assert kinds <= facts_of(nlp, text).post_kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an event with neither day nor hour
        ("Скоро в нашем Доме культуры пройдёт большой концерт народного хора. Приглашаем всех!",
         {"missing_when"}),
        # the date is promised later
        ("Приглашаем на День открытых дверей! Мероприятие состоится в апреле. Точную дату "
         "уточняйте у классных руководителей.", {"missing_when"}),
        # an event that says when but not where
        ("12 июля в 18:00 приглашаем всех на праздничный концерт! Выступят наши коллективы.",
         {"missing_where"}),
        # a benefit with no way to apply
        ("Губернатор подписал постановление о единовременной выплате 100 тысяч рублей молодым "
         "врачам, которые работают в сёлах.", {"missing_contact"}),
        # a poll with no link
        ("Уважаемые жители! Администрация проводит опрос о благоустройстве парка. Ваше мнение "
         "важно для нас!", {"missing_contact"}),
        # a request whose only «call» is vague
        ("Уважаемые родители! Обращаем ваше внимание на участившиеся случаи опозданий. "
         "Просим принять меры.", {"no_call_to_action"}),
    ],
)
def test_fires(nlp, mode: str, text: str, expected: set[str]) -> None:
    assert expected <= codes_of(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        # congratulations and reports need no date, place or contact
        "Уважаемые педагоги! Примите искренние поздравления с Днём учителя! Желаем здоровья.",
        "С Днём медицинского работника! Спасибо вам за труд и заботу о каждом пациенте.",
        "В субботу в игровом зале ФОК «Волна» прошёл турнир по волейболу среди ветеранов. "
        "Победила команда «Ветераны». Спасибо всем за игру!",
        "Глава округа провёл совещание по подготовке к отопительному сезону.",
        # a complete announcement
        "Приглашаем на концерт хора «Зори» 14 марта в 18:00 в Доме культуры, ул. Ленина, 5. "
        "Вход свободный, справки по телефону 8 (800) 000-00-00.",
        # a complete outage
        "Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на ул. Ленина (дома 1–25). "
        "Вопросы — по телефону 8 (800) 000-00-00.",
        # a service with a way to act
        "Оформить единое пособие можно на Госуслугах или в МФЦ на ул. Садовой, 3.",
        "Дорогие ветераны! Поздравляем вас с Днём Победы! Желаем крепкого здоровья, мира и "
        "благополучия вашим семьям.",
        "Уважаемые жители! Поздравляем вас с Новым годом и Рождеством! Пусть наступающий год "
        "принесёт радость.",
        "Губернатор принял участие в заседании регионального штаба. Рассмотрены вопросы "
        "реализации национальных проектов.",
        "Подведены итоги года: отремонтировано 12 км дорог, построено две школы и детский сад "
        "на 220 мест.",
        "В ДК «Юбилейный» прошёл отчётный концерт детской студии танца. Спасибо родителям и "
        "педагогам!",
    ],
)
def test_hard_negatives(nlp, mode: str, text: str) -> None:
    assert codes_of(nlp, text) == set()


def test_gain_comes_from_the_usefulness_helper(nlp) -> None:
    text = "Скоро в нашем Доме культуры пройдёт большой концерт. Приглашаем всех!"
    ctx = Context(PostIn(text=text), nlp.analyse(text), "vk", [], None,  # type: ignore[arg-type]
                  {"usefulness_gain": lambda kind: 12.5 if kind == "when" else 1.0})
    items = [it for rule in FACT_RULES for it in rule(ctx)]
    when = next(it for it in items if it.code == "missing_when")
    assert when.gain == 12.5 and when.axis == "usefulness"
    assert when.start is not None and text[when.start:when.end] == when.fragment
    assert "14 марта" in (when.suggestion or "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a day without an hour is not enough for an event
        ("В субботу в ДК «Юбилейный» состоится концерт народного хора. Приглашаем всех!",
         "missing_when"),
        # a deferred date
        ("О дате проведения собрания сообщим позже. Приглашаем всех собственников принять "
         "участие.", "missing_when"),
        # a benefit with no way to apply
        ("Открыт приём заявок на социальную выплату многодетным семьям.", "missing_contact"),
        # a vague request
        ("Уважаемые жители! Просим не оставаться в стороне и принять участие в благоустройстве "
         "двора.", "no_call_to_action"),
    ],
)
def test_learned_model_fires(nlp, text: str, code: str) -> None:
    if facts_rules.load_issue_model() is None:
        pytest.skip("нет models/issues/weights.json: python -m training.train_issue_models")
    assert code in codes_of(nlp, text)


def test_model_artifact_is_current() -> None:
    import json

    from service.issue_model import CODES, FORMAT_VERSION
    from service.settings import models_path

    meta = json.loads(models_path("issues", "meta.json").read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION
    assert set(meta["cv_nested_out_of_fold"]) == set(CODES)
    assert models_path("issues", "MODEL_CARD.md").exists()


def test_missing_or_stale_artifact_falls_back(tmp_path) -> None:
    from service.issue_model import load_issue_model

    assert load_issue_model(str(tmp_path / "absent.json")) is None
    stale = tmp_path / "stale.json"
    stale.write_text('{"format_version": 0, "codes": {}}', encoding="utf-8")
    assert load_issue_model(str(stale)) is None


def test_item_of_a_learned_code_has_a_span_and_a_suggestion(nlp) -> None:
    text = "В субботу в ДК «Юбилейный» состоится концерт народного хора. Приглашаем всех!"
    ctx = Context(PostIn(text=text), nlp.analyse(text), "vk", [], None, {})  # type: ignore[arg-type]
    items = [it for rule in FACT_RULES for it in rule(ctx)]
    when = next(it for it in items if it.code == "missing_when")
    assert when.start is not None and text[when.start:when.end] == when.fragment
    assert "Добавьте, когда" in (when.suggestion or "") and when.gain > 0
