"""Usefulness and rubric models: committed artifact, fast path = pipeline, reasons, gains, loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from service.errors import ModelError
from service.models import FORMAT_VERSION
from service.models.features import make_record
from service.models.loader import artifacts, load_text_models
from service.models.signals import SIGNAL_NAMES, find_signals
from service.nlp.pipeline import get_pipeline
from service.scoring import Scorer
from service.settings import get_settings
from training.dedup import near_duplicate_groups

MODELS = get_settings().models_dir

OUTAGE = ("Уважаемые жители! 14 марта с 9:00 до 17:00 не будет холодной воды на улицах Ленина "
          "(дома 1–25) и Садовой. Водовоз приедет к дому 12 в 11:00 и в 15:00. Вопросы — по "
          "телефону 8 (800) 000-00-00.")
PROTOCOL = ("Глава администрации принял участие в заседании рабочей группы по вопросам "
            "обеспечения реализации мероприятий муниципальной программы.")
MEETING = ("Состоялась рабочая встреча главы округа с руководителями управляющих компаний. "
           "Стороны обсудили вопросы подготовки к отопительному сезону.")
GREETING = ("Уважаемые педагоги! От всей души поздравляю вас с профессиональным праздником — "
            "Днём учителя! Желаю крепкого здоровья, счастья и благополучия!")
SERVICE = ("Оформить пособие на ребёнка теперь можно в МФЦ или на Госуслугах. Возьмите паспорт, "
           "свидетельство о рождении и СНИЛС. Приём без записи: пн–пт с 8:00 до 20:00, "
           "ул. Мира, 10. Справки по телефону 8 (800) 100-00-00.")
EVENT_NO_PLACE = ("В субботу приглашаем всех на мастер-класс по росписи пряников для детей и "
                  "родителей. Будет весело и вкусно!")


def _record(text: str, page: str | None = None, platform: str = "vk",
            attachments: tuple[str, ...] = ()):
    from service.facts import extract_facts

    doc = get_pipeline().analyse(text)
    return make_record(doc, page, platform, attachments, extract_facts(doc))


@pytest.fixture(scope="module")
def models():
    return load_text_models(MODELS)


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


def test_committed_artifact_is_small_and_documented() -> None:
    found = artifacts(MODELS)
    assert found, "в models/text нет модели: обучите `gospablik train`"
    for meta, path in found:
        assert (path / "model.joblib").stat().st_size < 20_000_000
        card = (path / "MODEL_CARD.md").read_text(encoding="utf-8")
        for part in ("sha256", "Spearman", "accuracy", "Intended use", "Limits"):
            assert part in card
        rubric = meta["metrics"]["rubric"]
        rep = rubric["accuracy_repeated"]
        assert len(rep) == meta["config"]["repeats"]
        assert f"**{sum(rep) / len(rep):.3f}**" in card  # the headline is the repeated mean
        assert f"| {rubric['accuracy']} |" in card and str(rubric["baseline_majority_accuracy"]) in card
        assert meta["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("text,page,low,high", [
    (OUTAGE, "utility", 65, 100),
    (SERVICE, "mfc", 65, 100),
    (PROTOCOL, "municipality", 0, 30),
    (MEETING, "municipality", 0, 35),
    (GREETING, "school", 0, 30),
])
def test_usefulness_ranges(models, text: str, page: str, low: float, high: float) -> None:
    assert low <= models.usefulness_one(_record(text, page)) <= high


@pytest.mark.parametrize("text,page,rubric", [
    (OUTAGE, "utility", "housing_utilities"),
    (PROTOCOL, "municipality", "official_activity"),
    (GREETING, "school", "greetings"),
    (SERVICE, "mfc", "services"),
    ("Внимание! Завтра ожидается гололёд и сильный ветер до 25 м/с. Не оставляйте машины под "
     "деревьями, без необходимости не выходите из дома. Телефон экстренных служб — 112.",
     "emergency", "safety"),
    ("С 1 апреля автобус № 5 будет ходить по новому расписанию: первый рейс в 6:10, последний — "
     "в 22:40. Остановка «Школа» переносится на ул. Гагарина.", "transport", "transport_roads"),
])
def test_rubric_of_clear_posts(models, text: str, page: str, rubric: str) -> None:
    assert models.rubric_one(_record(text, page))[0][0] == rubric


def test_fast_path_equals_pipeline(models) -> None:
    texts = [OUTAGE, PROTOCOL, MEETING, GREETING, SERVICE, EVENT_NO_PLACE]
    recs = [_record(t, p) for t, p in zip(texts, ["utility", "municipality", None, "school",
                                                   "mfc", "culture"], strict=True)]
    batch = models.usefulness_scores(recs)
    proba = models.rubric_proba(recs)
    classes = models.rubric_classes
    for r, u, p in zip(recs, batch, proba, strict=True):
        assert models.usefulness_one(r) == pytest.approx(float(u), abs=1e-6)
        one = dict(models.rubric_one(r))
        for c, pc in zip(classes, p, strict=True):
            assert one[c] == pytest.approx(float(pc), abs=1e-6)


def test_scored_post_has_usefulness_block(scorer) -> None:
    out = scorer.score({"text": PROTOCOL, "page": {"type": "municipality"}})
    u = out["usefulness"]
    assert {"score", "rubric", "rubric_confidence", "rubric_second", "reasons",
            "model_version", "facts"} <= set(u)
    assert u["model_version"] == artifacts(MODELS)[0][0]["version"]
    assert out["scores"]["usefulness"] == pytest.approx(u["score"], abs=0.05)
    assert 0 < u["rubric_confidence"] <= 1
    down = [r for r in u["reasons"] if r["effect"] < 0]
    assert any(r["fragment"] == "принял участие" for r in down), u["reasons"]
    for r in u["reasons"]:
        assert r["message"] and abs(r["effect"]) >= 1
        if r["start"] is not None:
            assert PROTOCOL[r["start"] : r["end"]] == r["fragment"]


def test_reasons_name_facts_that_raise(scorer) -> None:
    u = scorer.score({"text": OUTAGE, "page": {"type": "utility"}})["usefulness"]
    up = " ".join(r["message"] for r in u["reasons"] if r["effect"] > 0)
    assert "телефон" in up or "время" in up or "адрес" in up


def test_usefulness_gain_of_missing_fact(models) -> None:
    rec = _record(EVENT_NO_PLACE, "culture")
    gain = models.gain_function(rec)
    assert gain("place") > 0 or gain("address") > 0
    assert gain("where") == max(gain("place"), gain("address"))
    full = models.gain_function(_record(OUTAGE, "utility"))
    assert full("phone") == 0.0  # already there: adding another gains nothing


def test_gain_is_in_stage_context() -> None:
    from service.facts import extract_facts
    from service.rules.context import Context
    from service.schemas import PostIn
    from service.stages.usefulness_stage import usefulness_stage

    post = PostIn(text=EVENT_NO_PLACE, platform="vk")
    doc = get_pipeline().analyse(post.text)
    ctx = Context(post, doc, "vk", [], None)  # type: ignore[arg-type]
    ctx.extra["facts"] = extract_facts(doc)
    usefulness_stage(ctx)
    assert callable(ctx.extra["usefulness_gain"])
    assert ctx.extra["usefulness_gain"]("when") >= 0


@pytest.mark.parametrize("text,signal,fragment", [
    ("Глава провёл рабочее совещание с руководителями служб.", "protocol", "провёл рабочее совещание"),
    ("Состоялась рабочая встреча с ветеранами.", "protocol", "Состоялась рабочая встреча"),
    ("Сердечно поздравляем ветеранов!", "greeting", "поздравляем"),
    ("Записаться можно по телефону регистратуры.", "action", "Записаться"),
    ("Завтра отключение горячей воды.", "warning", "отключение"),
])
def test_signals(text: str, signal: str, fragment: str) -> None:
    rec = make_record(get_pipeline().analyse(text))
    assert (signal, text.index(fragment), text.index(fragment) + len(fragment)) in rec.signals
    assert signal in SIGNAL_NAMES


def test_signal_not_across_sentences() -> None:
    doc = get_pipeline().analyse("Решение мы приняли. Участие в нём важно.")
    lemmas = [w.lemma for w in doc.words]
    assert not find_signals(lemmas, [w.sent for w in doc.words])


def test_near_duplicates_share_a_group() -> None:
    texts = [OUTAGE, OUTAGE.replace("14 марта", "21 марта").replace("Садовой", "Лесной"),
             PROTOCOL, GREETING]
    g = near_duplicate_groups(texts)
    assert g[0] == g[1] and len({g[1], g[2], g[3]}) == 3


def _copy_artifact(tmp_path: Path, **meta_changes) -> Path:
    meta, src = artifacts(MODELS)[0]
    dst = tmp_path / "text" / src.name
    shutil.copytree(src, dst)
    meta = {**meta, **meta_changes}
    (dst / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return dst


def test_loader_refuses_other_format(tmp_path: Path) -> None:
    _copy_artifact(tmp_path, format_version=FORMAT_VERSION + 1)
    with pytest.raises(ModelError, match=r"формата 2, сервис ждёт 1: переобучите.*gospablik train"):
        load_text_models(tmp_path)


def test_loader_refuses_tampered_file(tmp_path: Path) -> None:
    _copy_artifact(tmp_path, model_sha256="0" * 64)
    with pytest.raises(ModelError, match="не совпадает"):
        load_text_models(tmp_path)


def test_loader_skips_incompatible_newer(tmp_path: Path) -> None:
    good = _copy_artifact(tmp_path)
    bad = tmp_path / "text" / "99990101-000000-deadbeef"
    shutil.copytree(good, bad)
    meta = json.loads((bad / "meta.json").read_text(encoding="utf-8"))
    meta.update(format_version=99, created="9999-01-01T00:00:00+00:00", version=bad.name)
    (bad / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert load_text_models(tmp_path).version == good.name


def test_loader_without_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="gospablik train"):
        load_text_models(tmp_path)


def test_readyz_reports_model_version() -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    with TestClient(create_app()) as client:
        body = client.get("/readyz").json()
    assert body["usefulness_model"] == artifacts(MODELS)[0][0]["version"]
