"""Readability: classic formulas, our score on realistic pairs, gains, counts and reasons."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from service.errors import ModelError
from service.nlp import get_pipeline
from service.officialese import find_kantselyarit
from service.readability import (
    COUNT_KEYS,
    Readability,
    assess,
    grade_label,
    load_model,
    noun_chains,
)
from training.classic_formulas import flesch_kincaid_ru, flesch_oborneva, smog_ru

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def rd(text: str) -> Readability:
    doc = get_pipeline().analyse(text)
    return assess(doc, find_kantselyarit(doc))


# ---- classic formulas on known values ----

COUNTS = {"words": 100.0, "sentences": 5.0, "syllables": 200.0, "long_words": 30.0,
          "very_long_words": 10.0}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        (flesch_oborneva, 206.835 - 1.3 * 20 - 60.1 * 2),  # 60.635
        (flesch_kincaid_ru, 0.5 * 20 + 8.4 * 2 - 15.59),  # 11.21
        (smog_ru, 1.1 * (64.6 * 30 / 5) ** 0.5 + 0.05),  # 21.75
        (lambda c: smog_ru(c, 5), 1.1 * (64.6 * 10 / 5) ** 0.5 + 0.05),
    ],
)
def test_classic_formulas(formula, expected: float) -> None:
    assert formula(COUNTS) == pytest.approx(expected)


def test_flesch_oborneva_matches_ruts_on_the_riddle() -> None:
    # ruTS documents 87.168 for this riddle (15 words, 25 syllables, 1 sentence)
    doc = get_pipeline().analyse(
        "Ног нет, а хожу, рта нет, а скажу: когда спать, когда вставать, когда работу начинать"
    )
    c = assess(doc, []).counts
    assert (c["words"], c["syllables"], c["sentences"]) == (15, 25, 1)
    assert flesch_oborneva(c) == pytest.approx(87.168, abs=0.01)
    assert smog_ru(c, 5) == pytest.approx(0.05)


# ---- the simpler text of a pair reads easier (pairs written for these tests) ----

PAIRS = [
    (
        "В целях обеспечения безопасности граждан в период проведения работ по замене "
        "водопроводных сетей осуществляется временное ограничение движения транспортных средств "
        "по улице Садовой.",
        "Меняем трубы водопровода на улице Садовой. Пока идут работы, проезд по улице закрыт.",
    ),
    (
        "Администрацией муниципального образования информируется население о необходимости "
        "своевременного осуществления оплаты за потреблённые коммунальные услуги.",
        "Пожалуйста, оплатите счёт за свет и воду до 10 числа. Так вы избежите пеней.",
    ),
    (
        "Глава района принял участие в заседании комиссии по вопросам реализации мероприятий "
        "муниципальной программы развития физической культуры и спорта.",
        "В районе построят новую спортивную площадку. Она откроется летом у школы № 2.",
    ),
    (
        "Специалистами МБУ ДО «ЦДТ» проведено профилактическое мероприятие, направленное на "
        "формирование у обучающихся навыков безопасного поведения на водных объектах.",
        "Ребята из Дома творчества узнали, как вести себя у воды. Спасатели показали, "
        "как помочь тонущему.",
    ),
    (
        "Прием граждан по личным вопросам осуществляется в соответствии с утверждённым графиком "
        "при наличии документа, удостоверяющего личность.",
        "Глава принимает жителей по вторникам с 14 до 17 часов. Возьмите с собой паспорт.",
    ),
]


@pytest.mark.parametrize(("hard", "easy"), PAIRS)
def test_plain_rewrite_scores_higher(hard: str, easy: str) -> None:
    h, e = rd(hard), rd(easy)
    assert e.score > h.score + 10
    assert e.grade_level < h.grade_level


def test_scale_plain_post_and_heavy_officialese() -> None:
    plain = rd(
        "Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на улицах Ленина и Садовой.\n"
        "Водовоз приедет к дому 12 в 11:00 и в 15:00. Вопросы — по телефону 8 (800) 000-00-00."
    )
    heavy = rd(PAIRS[0][0] + " " + PAIRS[1][0])
    assert 60 <= plain.score <= 95
    assert heavy.score <= 35
    assert 1 <= plain.grade_level < heavy.grade_level <= 18


@pytest.mark.parametrize(
    ("grade", "label"),
    [(0.4, "1 класс"), (1.0, "1 класс"), (6.6, "7 класс"), (11.4, "11 класс"),
     (11.6, "студент"), (15.0, "студент"), (15.6, "специалист"), (18.0, "специалист")],
)
def test_grade_label_is_school_then_student_then_specialist(grade: float, label: str) -> None:
    assert grade_label(grade) == label


def test_grade_label_in_the_result_never_says_grade_above_eleven() -> None:
    decree = rd(PAIRS[0][0] + " " + PAIRS[1][0])
    tale = rd("Жила-была курочка Ряба. Снесла курочка яичко. Яичко не простое, а золотое. "
              "Дед бил-бил, не разбил. Баба била-била, не разбила.")
    assert decree.as_dict()["grade_label"] in ("студент", "специалист")
    assert tale.as_dict()["grade_label"].endswith("класс")
    assert tale.grade_level < 5.5 < 11.5 < decree.grade_level


def test_childrens_words_are_not_hard_words_but_terms_are() -> None:
    tale = rd("Береговушки и ласточки летали над речкой. Курочка с цыплятами гуляла во дворе, "
              "а котёнок спал на крылечке у бабушки.")
    law = rd("Субсидия предоставляется на возмещение затрат по капитальному ремонту "
             "многоквартирных домов при условии софинансирования из муниципального бюджета.")
    assert tale.counts["hard_words"] == 0
    assert law.counts["hard_words"] >= 2
    assert tale.score > law.score + 30


# ---- counts, gains, reasons ----


def test_counts_keys_present_and_additive() -> None:
    r = rd(PAIRS[3][0])
    assert set(COUNT_KEYS) <= set(r.counts)
    assert r.counts["abbreviations"] >= 1  # «ЦДТ» is not explained
    assert r.counts["participles"] >= 1  # «направленное»
    assert r.counts["kantselyarit"] >= 1
    assert r.reading_time_seconds == round(r.counts["words"] / 150 * 60)


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        (PAIRS[0][0], {"kantselyarit": -1}),
        (PAIRS[3][0], {"abbreviations": -1}),
        (PAIRS[2][0], {"sentences": 1}),
        (PAIRS[0][1], {"sentences": 1}),
    ],
)
def test_gains_are_a_few_points(text: str, delta: dict[str, float]) -> None:
    gain = rd(text).gain(**delta)
    assert 0.3 <= gain <= 30


def test_one_long_sentence_among_short_ones_is_harder_than_the_mean_says() -> None:
    # the same 40 words in 4 sentences, only the full stops moved: 10 words each, or one
    # sentence of 28 words among three of 4 (same mean length, same words and commas)
    words = ("жители улицы Садовой просили отремонтировать дорогу у школы весной этого года "
             "работы начнутся в понедельник утром и продлятся примерно одну неделю "
             "на время ремонта автобусы пойдут по улице Мира через площадь "
             "просим водителей объезжать этот участок заранее и быть внимательнее").split()

    def text(lengths: list[int]) -> str:
        out, i = [], 0
        for n in lengths:
            part = words[i : i + n]
            out.append(" ".join([part[0].capitalize(), *part[1:]]) + ".")
            i += n
        return " ".join(out)

    e, u = rd(text([10, 10, 10, 10])), rd(text([4, 4, 4, 28]))
    assert e.counts["words"] == u.counts["words"] == 40
    assert e.counts["sentences"] == u.counts["sentences"] == 4
    assert e.counts["syllables"] == u.counts["syllables"]
    assert u.counts["prose_words_sq"] == 16 * 3 + 28 * 28 > e.counts["prose_words_sq"] == 400
    assert u.counts["prose_words_cube"] == 64 * 3 + 28**3 > e.counts["prose_words_cube"] == 4000
    assert u.score < e.score - 1


def test_splitting_a_long_sentence_gains_more_with_its_length_squared() -> None:
    r = rd(PAIRS[2][0])  # one sentence: its length is the text's
    assert r.counts["sentences"] == 1
    n = r.counts["words"]
    plain = r.gain(sentences=1)
    halved = r.gain(sentences=1, prose_words_sq=-n * n / 2)
    assert halved > plain > 0
    # the length of the longest sentences (Σn³/Σn²) falls too when it is split
    assert r.gain(sentences=1, prose_words_sq=-n * n / 2, prose_words_cube=-0.75 * n**3) > halved


def test_adjectives_are_counted_and_named() -> None:
    plain = rd("Мы починили дорогу у школы. Приходите в субботу, будем сажать деревья.")
    dense = rd(
        "Масштабная комплексная реконструкция исторической городской набережной с современным "
        "благоустроенным прогулочным пространством и новой удобной инфраструктурой завершена."
    )
    assert plain.counts["adjectives"] == 0
    assert dense.counts["adjectives"] >= 8
    assert dense.gain(adjectives=-4) > 0
    assert any(r.startswith("много прилагательных") for r in dense.reasons)


def test_no_gain_for_making_a_text_harder() -> None:
    assert rd(PAIRS[0][1]).gain(kantselyarit=2) == 0.0


def test_reasons_name_what_is_hard() -> None:
    text = " ".join(h for h, _ in PAIRS[:2])
    reasons = rd(text).reasons
    assert 1 <= len(reasons) <= 3
    assert any("канцелярит" in r or "длинн" in r or "цепочки" in r for r in reasons)
    assert rd("Приходите в субботу в парк. Будет весело!").reasons  # an easy text says why


def test_noun_chain_spans() -> None:
    text = "Совещание по вопросам обеспечения реализации мероприятий прошло в среду."
    doc = get_pipeline().analyse(text)
    assert [text[s:e] for s, e in noun_chains(doc)] == [
        "вопросам обеспечения реализации мероприятий"
    ]


def test_incompatible_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"format_version": 0}), encoding="utf-8")
    with pytest.raises(ModelError, match="train_readability"):
        load_model(path)
    with pytest.raises(ModelError, match="train_readability"):
        load_model(tmp_path / "missing.json")


def test_counting_is_fast() -> None:
    text = (PAIRS[0][0] + " " + PAIRS[1][1] + "\n") * 4  # ~1,000 characters
    doc = get_pipeline().analyse(text)
    hits = find_kantselyarit(doc)
    assess(doc, hits)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        assess(doc, hits)
        times.append(time.perf_counter() - t0)
    assert sorted(times)[15] < 0.002  # measured ~0.2 ms; generous for a noisy machine


@pytest.mark.shared
def test_calibration_pairs_are_filtered() -> None:
    path = SHARED / "readability" / "rusimplesenteval_dev.csv"
    if not path.exists():
        pytest.skip(f"нет общих данных {path}")
    from training.readability_data import read_pairs

    pairs, dropped = read_pairs(path)
    assert len(pairs) > 3000
    assert dropped["identical"] >= 1
    assert all(a.strip() != b.strip() for a, b in pairs)
