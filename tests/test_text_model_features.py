"""Rubric features of a post: the lead, hashtag words, rubric topic words; two-rubric fast path."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from service.models.features import PostFeatures, hashtag_lemmas, make_record, with_fact
from service.models.signals import RUBRIC_NAMES, RUBRIC_WORDS, find_topics
from service.models.text_model import TextModels
from service.nlp.pipeline import get_pipeline

OUTAGE = ("Уважаемые жители!\nЗавтра с 9:00 до 17:00 не будет горячей воды на улицах Ленина и "
          "Садовой: плановый ремонт трубопровода.\nПриглашаем всех на концерт в Дом культуры в "
          "субботу. #ЖКХ #ДеньГорода")


def _record(text: str, page: str | None = None):
    return make_record(get_pipeline().analyse(text), page, "vk")


def test_lead_takes_whole_first_sentences_up_to_eight_words() -> None:
    rec = _record(OUTAGE)
    # «Уважаемые жители!» has two words, so the next sentence joins the lead; the third does not
    assert {"уважаемый", "житель", "горячий вода", "трубопровод"} <= set(rec.lead)
    assert "концерт" not in rec.lead and "концерт" in rec.terms


def test_long_first_sentence_is_cut() -> None:
    text = " ".join(["слово"] * 50) + ". Второе предложение."
    rec = _record(text)
    assert rec.lead.count("слово") == 30 and "второй" not in rec.lead


def test_hashtags_are_split_into_lemmas() -> None:
    doc = get_pipeline().analyse("Линейка прошла. #ДеньЗнаний #СОШ3Заречинск #образование")
    assert hashtag_lemmas(doc) == ["день", "знание", "сош", "заречинск", "образование"]


def test_topic_words_count_in_text_and_lead() -> None:
    rec = _record(OUTAGE)
    assert rec.topics["housing_utilities"] >= 2  # горячей воды, трубопровода (+ #ЖКХ)
    assert rec.topics["lead:housing_utilities"] >= 2
    assert rec.topics["culture_leisure"] >= 1 and "lead:culture_leisure" not in rec.topics
    assert "other" not in RUBRIC_WORDS and len(RUBRIC_NAMES) == 13


def test_topic_patterns_are_lemmas_of_the_pipeline() -> None:
    # each topic word must be matchable: the pipeline lemmatises «отключения» to «отключение» …
    doc = get_pipeline().analyse("Отключения электроэнергии, прививки от гриппа и ремонт дорог.")
    words = doc.words
    found = {RUBRIC_NAMES[r] for r, _, _ in find_topics([w.lemma for w in words],
                                                        [w.sent for w in words])}
    assert {"housing_utilities", "health", "transport_roads"} <= found


def test_with_fact_keeps_rubric_fields() -> None:
    rec = _record(OUTAGE)
    more = with_fact(rec, "phone")
    assert more.lead == rec.lead and more.topics == rec.topics and more.tags == rec.tags
    assert (more.facts or {}).get("phone") == 1.0


def test_two_rubric_model_fast_path_equals_pipeline() -> None:
    texts = ["Завтра отключение горячей воды на ул. Ленина.", "Ремонт водопровода, воды не будет.",
             "Приглашаем на концерт в Дом культуры.", "Выставка картин в музее до мая."]
    recs = [_record(t) for t in texts]
    y = np.array(["housing_utilities", "housing_utilities", "culture_leisure", "culture_leisure"])
    blocks = ("terms", "lead", "topics")
    use = Pipeline([("features", PostFeatures(blocks, 1)), ("model", LogisticRegression())])
    rub = Pipeline([("features", PostFeatures(blocks, 1)), ("model", LogisticRegression())])
    models = TextModels(use.fit(recs, np.array([1, 1, 0, 0])), rub.fit(recs, y))
    probe = _record("Во вторник не будет воды: отключение на ул. Садовой.")
    ranked = models.rubric_one(probe)
    assert [c for c, _ in ranked][0] == "housing_utilities" and len(ranked) == 2
    proba = dict(zip(models.rubric_classes, models.rubric_proba([probe])[0], strict=True))
    for c, p in ranked:
        assert p == pytest.approx(float(proba[c]), abs=1e-9)
