"""The admin's card: every sentence carries a figure, achievements only from the weeks on
record, Russian number agreement; GET /v1/pages/{id}/card from a real history store."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from service.report.card import build_card, card_text, points
from service.ru import count_words, signed

MONDAY = date(2025, 11, 3)  # 2025-W45
PAGE = {"id": "school5", "name": "МБОУ СОШ № 5 г. Заречинска", "type": "school",
        "category": "активный", "region": "Заречинская область", "municipality": "Заречинск"}
FIGURE = re.compile(r"\d|\b(одна|две|три|четыре|пять|шесть|семь|восемь|девять|десять|первая)\b",
                    re.IGNORECASE)


def week(i: int, overall: float, readability: float, posts: int, problems: dict, rank: tuple,
         meets_norm: bool = True, blocked: int = 0) -> dict:
    mon = MONDAY + timedelta(days=7 * i)
    y, w, _ = mon.isocalendar()
    return {"week": f"{y}-W{w:02d}", "start": mon.isoformat(), "posts": posts,
            "posts_with_text": posts, "blocked": blocked,
            "scores": {"readability": readability, "usefulness": 55.0, "engagement": 40.0,
                       "activity": 60.0, "overall": overall},
            "problems": problems, "regularity": 70.0, "meets_norm": meets_norm,
            "norm_per_week": 3.0,
            "rank": {"region": rank[0], "region_of": 52, "type": rank[1], "type_of": 21}}


def rising() -> dict:
    """A school that got rid of канцелярит after coaching: 41 → 50 → 58."""
    return {"page": PAGE, "weeks": [
        week(0, 41.0, 40.0, 5, {"kantselyarit": 2, "long_sentences": 1}, (40, 9), False),
        week(1, 50.0, 52.0, 7, {"long_sentences": 1}, (38, 7)),
        week(2, 58.0, 60.0, 8, {"missing_when": 1}, (35, 5)),
    ]}


def sentences(card: dict) -> list[str]:
    return [*card["summary"], *([card["standing"]] if card["standing"] else []),
            *card["achievements"], *([card["fix_next"]] if card["fix_next"] else [])]


def test_card_of_a_rising_page_says_what_changed_with_figures() -> None:
    card = build_card(rising())
    assert card["week"] == "2025-W47" and card["week_ru"] == "17.11–23.11"
    assert card["summary"] == [
        "Итог недели — 58 из 100, на 8 баллов больше, чем неделей раньше.",
        "Читаемость 60 (+8), польза 55 (±0), вовлечённость 40 (±0), активность 60 (±0).",
        "С первой недели в истории (03.11–09.11) итог вырос на 17 баллов: было 41.",
    ]
    assert card["standing"] == ("Это лучше, чем у 80 % школ региона: 5-е место из 21. "
                                "В рейтинге региона страница поднялась за неделю на 3 места: "
                                "с 38-го на 35-е.")
    assert card["achievements"] == [
        "Две недели подряд по норме публикаций: не меньше 3 постов в неделю.",
        "Две недели без канцелярита — а раньше были.",
        "Три недели подряд без постов с нарушениями.",
        "Ушла проблема «Длинные предложения»: неделей раньше она была в 1 посте.",
        "Читаемость выросла с 40 до 60 с недели 03.11–09.11.",
        "Итог 58 — лучший за три недели в истории.",
    ]
    assert card["fix_next"].startswith("Главное на следующую неделю — «Нет даты или времени»: "
                                       "в 1 из 8 постов. Указывайте дату")
    assert card["trend"] == "up" and card["trend_label"] == "стало лучше после недели 03.11–09.11"
    for s in sentences(card):
        assert FIGURE.search(s), f"a sentence without a figure: {s}"


def test_a_falling_page_gets_no_praise_it_did_not_earn() -> None:
    weeks = [week(0, 62.0, 60.0, 9, {}, (10, 2)), week(1, 47.0, 45.0, 9,
                                                       {"kantselyarit": 4}, (30, 15), blocked=1)]
    card = build_card({"page": PAGE, "weeks": weeks})
    assert card["summary"][0] == "Итог недели — 47 из 100, на 15 баллов меньше, чем неделей раньше."
    assert card["standing"] == ("Место среди школ региона: 15 из 21. В рейтинге региона страница "
                                "опустилась за неделю на 20 мест: с 10-го на 30-е.")
    # the only true one: 9 posts both weeks; nothing about the score, канцелярит or blocking
    assert card["achievements"] == [
        "Две недели подряд по норме публикаций: не меньше 3 постов в неделю."]
    assert card["fix_next"].startswith("Главное — снять или исправить 1 пост с нарушениями")
    assert card["trend"] == "down"


def test_first_week_claims_no_change_and_no_achievement() -> None:
    card = build_card({"page": PAGE, "weeks": rising()["weeks"][:1]})
    assert card["summary"][0] == "Итог недели — 41 из 100."
    assert "Это первая неделя страницы в истории (03.11–09.11)" in card["summary"][-1]
    assert card["achievements"] == [] and card["trend"] is None
    assert "(+" not in card["summary"][1] and "±" not in card["summary"][1]
    for s in sentences(card):
        assert FIGURE.search(s), s


def test_fix_next_from_the_batch_report_names_the_gain() -> None:
    row = {"page": {"id": "school5", "name": PAGE["name"], "type": "school"}, "posts": 8,
           "blocked_posts": 0, "scores": {"overall": 58.0},
           "activity": {"norm_per_week": 3, "posts_per_week": 8.0},
           "problems": [{"code": "kantselyarit", "title": "Канцелярит", "posts": 5, "gain": 0.5},
                        {"code": "missing_when", "title": "Нет даты", "posts": 3, "gain": 5.4}]}
    card = build_card(rising(), row)
    # the problem that costs most: 3 posts × 5.4 points against 5 × 0.5; 3 × 5.4 / 8 ≈ 2
    assert card["fix_next"].startswith("Главное на следующую неделю — «Нет даты или времени»: "
                                       "в 3 из 8 постов.")
    assert card["fix_next"].endswith("Так итог страницы вырастет примерно на 2 балла.")
    slow = {**row, "activity": {"norm_per_week": 3, "posts_per_week": 1.0}}
    assert build_card(rising(), slow)["fix_next"] == (
        "Главное — публиковать чаще: 1 в неделю при норме от 3. Добавьте ещё 2 поста и "
        "распределите их по дням недели.")
    alone = build_card(None, row)  # a page of a batch without history: no change, no claims
    assert alone["summary"][0] == "Итог недели — 58 из 100." and alone["achievements"] == []


def test_card_text_is_a_message() -> None:
    text = card_text(build_card(rising()))
    lines = text.splitlines()
    assert lines[0] == "МБОУ СОШ № 5 г. Заречинска — неделя 17.11–23.11"
    assert "Что получилось:" in lines and "— Две недели без канцелярита — а раньше были." in lines
    assert "<" not in text


@pytest.mark.parametrize(("n", "want"), [(1, "1 балл"), (2, "2 балла"), (5, "5 баллов"),
                                         (11, "11 баллов"), (21, "21 балл"), (2.4, "2,4 балла"),
                                         (-17, "17 баллов")])
def test_points_agree_with_the_number(n, want) -> None:
    assert points(n) == want


@pytest.mark.parametrize(("n", "want"), [(1, "одна неделя"), (2, "две недели"),
                                         (5, "пять недель"), (12, "12 недель"),
                                         (22, "22 недели")])
def test_weeks_in_words(n, want) -> None:
    assert count_words(n, "неделя", "недели", "недель", feminine=True) == want


def test_signed() -> None:
    assert (signed(8.0), signed(-2.4), signed(0.2), signed(2.45, 1)) == ("+8", "−2", "±0", "+2,5")


# ---- the route, over a real SQLite history filled with scored posts ----

CLEAR = ("Запись в первый класс начнётся 1 апреля на Госуслугах. Понадобятся паспорт и "
         "свидетельство о рождении ребёнка. Вопросы — по телефону 8 (84234) 3-12-45.")
HEAVY = ("Информируем вас о том, что в целях обеспечения реализации мероприятий по организации "
         "летнего отдыха детей осуществляется приём заявлений от родителей (законных "
         "представителей) обучающихся на предоставление путёвок в загородный лагерь.")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from service.api.app import create_app
    from service.history import get_store, reset_store
    from service.readers import read_pages, read_posts
    from service.report.collect import collect_rows
    from service.settings import Settings

    data: Path = tmp_path_factory.mktemp("card-data")
    settings = Settings(data_dir=data)
    pages = read_pages(("page_id,name,type,category,region,municipality\n"
                        f"school5,{PAGE['name']},school,активный,Заречинская область,Заречинск\n"
                        "school7,Школа № 7 с. Берёзовка,school,активный,Заречинская область,"
                        "Берёзовский район\n").encode())
    for day, texts in (("2025-11-1", (HEAVY, HEAVY, CLEAR)), ("2025-11-2", (CLEAR,) * 3)):
        posts = [{"id": f"{pid}-{day}{i}", "published_at": f"{day}{i}T10:00:00+03:00",
                  "text": t if pid == "school5" else CLEAR, "page": {"id": pid}}
                 for pid in ("school5", "school7") for i, t in zip((1, 2, 3), texts, strict=True)]
        raw = "\n".join(json.dumps(p, ensure_ascii=False) for p in posts).encode()
        get_store(settings).record(collect_rows(read_posts(raw, "jsonl"), jobs=1), pages,
                                   source=f"test:{day}")
    with TestClient(create_app(settings)) as c:
        yield c
    reset_store()


def test_card_route_html_text_json(client) -> None:
    r = client.get("/v1/pages/school5/card?format=json")
    assert r.status_code == 200, r.text
    card = r.json()
    assert [w["week"] for w in card["weeks"]] == ["2025-W46", "2025-W47"]
    before, after = (w["overall"] for w in card["weeks"])
    assert after > before, "канцелярит went away: the second week scores higher"
    assert card["summary"][0] == (f"Итог недели — {after:.0f} из 100, на "
                                  f"{points(round(after - before))} больше, чем неделей раньше.")
    assert "Одна неделя без канцелярита" not in " ".join(card["achievements"])  # needs two
    assert card["page"]["municipality"] == "Заречинск"
    html = client.get("/v1/pages/school5/card")
    assert html.headers["content-type"].startswith("text/html")
    assert "МБОУ СОШ № 5 г. Заречинска" in html.text and "<svg" in html.text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html.text)
    text = client.get("/v1/pages/school5/card?format=text")
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.splitlines()[0] == "МБОУ СОШ № 5 г. Заречинска — неделя 17.11–23.11"


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/v1/pages/nobody/card", 404, "id"),
    ("/v1/pages/school5/card?format=pdf", 422, "format"),
    ("/v1/pages/school5/card?batch=abc", 503, None),  # no Redis in this app: said so
])
def test_card_route_errors(client, url: str, status: int, field: str | None) -> None:
    r = client.get(url)
    assert r.status_code == status
    err = r.json()["error"]
    assert re.search("[а-яё]", err["message"])
    if field:
        assert err["field"].endswith(field)
