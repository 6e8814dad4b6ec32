"""Word-vector block of the rubric model: the table, fast path = pipeline, unknown words."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from service.errors import ModelError
from service.models.features import (
    VECTORS_FILE,
    PostFeatures,
    VectorBlock,
    load_word_vectors,
    make_record,
)
from service.models.loader import load_text_models
from service.nlp.pipeline import get_pipeline
from service.settings import get_settings, models_path

SCHOOL = ("В школе № 3 прошёл открытый урок по физике: учителя показали ученикам опыты с "
          "электричеством, а старшеклассники провели экскурсию по лаборатории.")
WATER = ("Уважаемые жители! В среду с 9:00 до 18:00 не будет холодной воды на улице Садовой: "
         "ремонт водопровода. Подвоз воды — к дому 12.")
SCHOOL_2 = ("Учителя нашей гимназии провели для первоклассников урок безопасности, ребята узнали "
            "правила дорожного движения.")
WATER_2 = ("Внимание! Отключение горячей воды по улице Ленина с 10 по 14 мая: плановая промывка "
           "труб.")
LIBRARY = ("Библиотека приглашает детей на чтения сказок Пушкина в субботу в 12:00. "
           "Вход свободный.")
UNKNOWN = "Ясноволжск 👇 Черемшанск 📍"


def _record(text: str, page: str | None = None):
    return make_record(get_pipeline().analyse(text), page, "vk")


@pytest.fixture(scope="module")
def block() -> VectorBlock:
    return VectorBlock().fit([_record(t) for t in (SCHOOL, SCHOOL_2, WATER, WATER_2, LIBRARY)])


def test_table_is_small_documented_and_needs_no_navec() -> None:
    path = models_path("vectors", VECTORS_FILE)
    assert path.stat().st_size < 8_000_000
    card = (path.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "MIT" in card and "navec" in card
    code = ("import sys; from service.models.features import load_word_vectors; "
            "index, v = load_word_vectors(); assert 'школа' in index and v.shape[1] == 100; "
            "assert 'navec' not in sys.modules and 'natasha' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_vectors_place_words_by_meaning() -> None:
    index, vectors = load_word_vectors()

    def cos(a: str, b: str) -> float:
        x, y = vectors[index[a]], vectors[index[b]]
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert cos("школа", "учитель") > cos("школа", "водопровод") + 0.1
    assert cos("вода", "водопровод") > cos("вода", "библиотека") + 0.1


def test_row_is_unit_and_close_for_close_topics(block: VectorBlock) -> None:
    texts = (SCHOOL, SCHOOL_2, WATER, WATER_2)
    rows = [dict(block.row(_record(t))) for t in texts]
    for row in rows:
        assert sorted(row) == list(range(block.dims_))
        assert sum(v * v for v in row.values()) == pytest.approx(1.0, abs=1e-5)
    s1, s2, w1, w2 = (np.asarray([r[j] for j in range(block.dims_)]) for r in rows)
    assert s1 @ s2 > max(s1 @ w1, s1 @ w2, s2 @ w1, s2 @ w2) + 0.05
    assert w1 @ w2 > max(w1 @ s1, w1 @ s2) + 0.05


def test_unknown_words_give_no_row_and_change_nothing(block: VectorBlock) -> None:
    assert block.row(_record(UNKNOWN)) == []
    assert block.row(_record("")) == []
    with_unknown = dict(block.row(_record(WATER + " " + UNKNOWN)))
    plain = dict(block.row(_record(WATER)))
    assert with_unknown == pytest.approx(plain, abs=1e-6)


def test_block_row_equals_pipeline_and_survives_pickling(block: VectorBlock) -> None:
    import pickle

    texts = (SCHOOL, WATER, UNKNOWN, LIBRARY)
    recs = [_record(t, "school") for t in texts]
    feats = PostFeatures(("terms", "vectors"), 1, 1000, {"vectors": 0.7}).fit(recs)
    x = feats.transform([_record(t, "school") for t in texts])
    lo, hi = feats.offsets_["vectors"]
    assert x[2, lo:hi].nnz == 0  # only unknown words: the block is empty
    assert x[0, lo:hi].nnz == hi - lo
    again = pickle.loads(pickle.dumps(feats))
    for i, text in enumerate(texts):
        row = dict(again.row(_record(text, "school")))
        dense = x[i].toarray().ravel()
        for j in range(lo, hi):
            assert row.get(j, 0.0) == pytest.approx(dense[j], abs=1e-9)
    assert "_lookup_cache" not in pickle.loads(pickle.dumps(block)).__dict__


def test_committed_rubric_model_uses_vectors_in_both_paths() -> None:
    models = load_text_models(get_settings().models_dir)
    feats = models.rubric[0]
    assert "vectors" in feats.blocks
    lo, hi = feats.offsets_["vectors"]
    recs = [_record(SCHOOL, "school"), _record(UNKNOWN, "municipality")]
    batch = feats.transform(recs)
    for i, text in enumerate((SCHOOL, UNKNOWN)):
        fresh = _record(text, ("school", "municipality")[i])
        fast = {j: v for j, v in feats.row(fresh) if lo <= j < hi}
        dense = batch[i, lo:hi].toarray().ravel()
        assert len(fast) == (hi - lo if i == 0 else 0)
        for j, v in fast.items():
            assert v == pytest.approx(dense[j - lo], abs=1e-9)
    assert models.rubric_one(recs[1])  # unknown words only: still a prediction


def test_model_refuses_another_table(block: VectorBlock) -> None:
    import copy

    other = copy.deepcopy(block)
    other.__dict__.pop("_lookup_cache", None)
    other.fingerprint_ = (other.fingerprint_[0], other.fingerprint_[1] + 1.0)
    with pytest.raises(ModelError, match="переобучите"):
        other.row(_record(SCHOOL))
