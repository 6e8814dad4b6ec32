"""Usefulness and rubric models: committed artifact, fast path = pipeline, reasons, gains, loader."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
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
    from service.models.loader import load_artifact

    found = artifacts(MODELS)
    assert found, "в models/text нет модели: обучите `gospablik train`"
    for meta, path in found:
        size = (path / "model.joblib").stat().st_size
        assert size < 20_000_000
        card = (path / "MODEL_CARD.md").read_text(encoding="utf-8")
        for part in ("Spearman", "accuracy", "Intended use", "Limits"):
            assert part in card
        # the card and meta.json describe the file that is really there
        digest = hashlib.sha256((path / "model.joblib").read_bytes()).hexdigest()
        assert meta["model_sha256"] == digest and f"sha256 `{digest}`" in card
        assert f"`model.joblib`: {size / 1e6:.2f} MB" in card
        assert meta["examples"] == meta["metrics"]["posts"] == sum(d["rows"] for d in meta["data"])
        assert f"{meta['examples']} labelled posts" in card
        rubric = meta["metrics"]["rubric"]
        rep = rubric["accuracy_repeated"]
        assert len(rep) == meta["config"]["repeats"]
        assert f"**{sum(rep) / len(rep):.3f}**" in card  # the headline is the repeated mean
        assert f"| {rubric['accuracy']} |" in card and str(rubric["baseline_majority_accuracy"]) in card
        assert meta["format_version"] == FORMAT_VERSION
        # the cross-validated figures are of the model that was saved: the same rubrics, blocks
        models = load_artifact(path, meta)
        assert models.rubric_classes == sorted(rubric["recall"])
        assert list(models.usefulness[0].blocks) == meta["config"]["usefulness"]["blocks"]
        assert list(models.rubric[0].blocks) == meta["config"]["rubric"]["blocks"]


def test_saved_model_reloads_and_predicts_as_trained(tmp_path: Path) -> None:
    """Train on 40 annotated posts, save as `gospablik train` does, load as the service does:
    the loaded models predict exactly what the fitted ones did on posts they never saw."""
    from training.dataset import BASE_FILE, OWN_DATA, facts_extractor, load_examples, to_record
    from training.train_text_models import FAST, fit, save

    src = tmp_path / "part.jsonl"
    lines = (OWN_DATA / BASE_FILE).read_text(encoding="utf-8").splitlines()[:40]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    examples = load_examples([src])
    extract = facts_extractor()
    fitted = fit(examples, [to_record(e.post, extract) for e in examples], FAST,
                 extract is not None)
    out = save(fitted, tmp_path / "models", [src], {}, FAST, extract is not None, len(examples))
    loaded = load_text_models(tmp_path / "models")
    assert loaded.version == fitted.version == out.name
    held = [(OUTAGE, "utility"), (PROTOCOL, "municipality"), (GREETING, "school"),
            (SERVICE, "mfc"), (EVENT_NO_PLACE, "culture")]
    recs = [_record(t, p) for t, p in held]
    assert [loaded.usefulness_one(r) for r in recs] == [fitted.usefulness_one(r) for r in recs]
    assert [loaded.rubric_one(r) for r in recs] == [fitted.rubric_one(r) for r in recs]
    assert [loaded.gain_function(r)("where") for r in recs] == \
        [fitted.gain_function(r)("where") for r in recs]
    # and the model is not a constant: the held posts get different scores and rubrics
    assert len({round(loaded.usefulness_one(r), 3) for r in recs}) > 1
    assert len({loaded.rubric_one(r)[0][0] for r in recs}) > 1
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["examples"] == len(examples) == 40
    assert meta["data"] == [{"file": "part.jsonl", "rows": 40,
                             "sha256": hashlib.sha256(src.read_bytes()).hexdigest()}]
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "without cross-validation" in card and "| `part.jsonl` | 40 |" in card


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


def test_scored_post_has_usefulness_block(scorer, models) -> None:
    out = scorer.score({"text": PROTOCOL, "page": {"type": "municipality"}})
    u = out["usefulness"]
    assert {"score", "rubric", "rubric_confidence", "rubric_second", "reasons",
            "model_version", "facts"} <= set(u)
    assert u["model_version"] == artifacts(MODELS)[0][0]["version"]
    assert out["scores"]["usefulness"] == pytest.approx(u["score"], abs=0.05)
    # the rubric block is the model's answer for this post on this kind of page
    ranked = models.rubric_one(_record(PROTOCOL, "municipality"))
    (best, p1), (second, p2) = ranked[0], ranked[1]
    assert u["rubric"] == best == "official_activity"
    assert u["rubric_confidence"] == round(p1, 3)
    assert u["rubric_second"] == ({"rubric": second, "confidence": round(p2, 3)}
                                  if p2 >= 0.6 * p1 else None)
    # a plain useful post outranks a protocol one by far
    for text, page in ((OUTAGE, "utility"), (SERVICE, "mfc")):
        useful = scorer.score({"text": text, "page": {"type": page}})["scores"]["usefulness"]
        assert useful > out["scores"]["usefulness"] + 30
    down = [r for r in u["reasons"] if r["effect"] < 0]
    assert any(r["fragment"] == "принял участие" for r in down), u["reasons"]
    for r in u["reasons"]:
        assert r["message"] and abs(r["effect"]) >= 1
        if r["start"] is not None:
            assert PROTOCOL[r["start"] : r["end"]] == r["fragment"]


def test_reasons_name_facts_that_raise(scorer, models) -> None:
    from service.models.explain import FACT_TEXT

    u = scorer.score({"text": OUTAGE, "page": {"type": "utility"}})["usefulness"]
    up = {r["message"].split(" — ")[0]: r for r in u["reasons"] if r["effect"] > 0}
    # the outage's phone raises its usefulness, and says so in plain words
    phone = up[FACT_TEXT["phone"]]
    assert "телефон" in phone["message"] and "повышает" in phone["message"]
    assert phone["fragment"] is None and phone["start"] is None  # a fact, not a phrase
    assert phone["message"].endswith(f"на {phone['effect']:.0f}")
    # its effect is what a phone adds to a post without one (the «what if» of the same model)
    added = models.gain_function(_record(EVENT_NO_PLACE, "culture"))("phone")
    assert phone["effect"] == pytest.approx(added, abs=0.06)
    assert FACT_TEXT["time"] in up  # «с 9:00 до 17:00»


def test_usefulness_gain_of_missing_fact(models) -> None:
    rec = _record(EVENT_NO_PLACE, "culture")
    gain = models.gain_function(rec)
    assert gain("place") > 0 or gain("address") > 0
    assert gain("where") == max(gain("place"), gain("address"))
    full = models.gain_function(_record(OUTAGE, "utility"))
    assert full("phone") == 0.0  # already there: adding another gains nothing


def _stage(text: str):
    from service.facts import extract_facts
    from service.rules.context import Context
    from service.schemas import PostIn
    from service.stages.usefulness_stage import usefulness_stage

    post = PostIn(text=text, platform="vk")
    doc = get_pipeline().analyse(post.text)
    ctx = Context(post, doc, "vk", [], None)  # type: ignore[arg-type]
    ctx.extra["facts"] = extract_facts(doc)
    usefulness_stage(ctx)
    return ctx.extra["usefulness"]["score"], ctx.extra["usefulness_gain"]


def test_gain_is_in_stage_context(models, scorer) -> None:
    from service.facts.extract import FACT_KINDS
    from service.models.features import with_fact

    score, gain = _stage(EVENT_NO_PLACE)  # «В субботу»: a day without an hour, no place
    assert gain("date") == pytest.approx(0.0, abs=1e-9)  # it has a date: another helps nothing
    assert gain("time") > 0 and gain("when") == gain("time")
    assert gain("where") > 0
    # each gain is the change of the model's score when that fact is added, or 0 if it lowers it
    rec = _record(EVENT_NO_PLACE)
    base = models.usefulness_one(rec)
    assert base == pytest.approx(score, abs=0.05)
    for kind in FACT_KINDS:
        change = models.usefulness_one(with_fact(rec, kind)) - base
        assert gain(kind) == pytest.approx(max(0.0, change), abs=1e-6), kind
    # the scorer shows the same gain on the missing_when item, in points of the overall score
    out = scorer.score({"text": EVENT_NO_PLACE})
    axes = sum(v is not None for k, v in out["scores"].items() if k != "overall")
    when = next(it for it in out["feedback"] if it["code"] == "missing_when")
    assert when["gain"] == round(gain("when") / axes, 1) > 0
    # the fix helps: with the hour the post is more useful and adding a time gains nothing
    fixed, fixed_gain = _stage(EVENT_NO_PLACE.replace("В субботу", "В субботу, 15 марта, в 12:00"))
    assert fixed > score and fixed_gain("where") > 0
    assert fixed_gain("when") == pytest.approx(0.0, abs=1e-9)
    placed, placed_gain = _stage(EVENT_NO_PLACE.replace(
        "В субботу", "В субботу, 15 марта, в 12:00, в библиотеке на ул. Мира, 5,"))
    assert placed > fixed and placed_gain("where") == pytest.approx(0.0, abs=1e-9)


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


def test_post_kinds_enter_the_features_in_one_order_whatever_the_hash_seed() -> None:
    """Post kinds are a set, whose order changes with the process's string hashing; the
    models add their terms up in the features' order, so a post scored by two workers must
    get its kinds in one order (sorted), or the sums differ in their last digits."""
    code = (
        "from service.facts.extract import Facts\n"
        "from service.issue_model import features\n"
        "from service.models.features import facts_summary\n"
        "from service.nlp.pipeline import get_pipeline\n"
        "f = Facts(post_kinds={'event', 'request', 'report', 'announcement', 'service'})\n"
        "doc = get_pipeline().analyse('Приходите на субботник в субботу.')\n"
        "print([k for k in facts_summary(f) if k.startswith('kind:')])\n"
        "print([k for k in features(doc, f) if k.startswith('kind:')])\n"
    )
    seen = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": seed},
                             cwd=Path(__file__).resolve().parent.parent).stdout
        seen.add(out)
    assert len(seen) == 1, seen
    first = seen.pop().splitlines()[0]
    assert first == str([f"kind:{k}" for k in sorted(
        ["event", "request", "report", "announcement", "service"])])


def test_fact_gain_by_its_changed_term_equals_the_full_reprediction() -> None:
    """`TextModels.fact_delta` computes «this post with one more date/place/phone…» from the
    facts block's changed term only; it must give the very float of the facts block's sum
    recomputed for the record built by `with_fact` (as the gains were computed before), and
    the full re-prediction's difference up to rounding (the gains the admin sees)."""
    from service.facts.extract import extract_facts
    from service.models.features import with_fact
    from service.models.loader import get_text_models

    models = get_text_models(str(get_settings().models_dir))
    assert models.has_facts
    with gzip.open(Path(__file__).parent / "fixtures" / "reference_posts.jsonl.gz", "rt",
                   encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    texts = [r["text"] for r in rows if isinstance(r, dict) and isinstance(r.get("text"), str)
             and r["text"].strip()][:120]
    kinds = ("date", "time", "address", "place", "phone", "link", "email", "no_such_kind")
    pipe = get_pipeline()
    compared = present = 0
    for text in texts:
        doc = pipe.analyse(text)
        record = make_record(doc, None, None, (), extract_facts(doc),
                             span_terms=models.usefulness_terms)
        raw = models._use_raw(record)[0]
        for kind in kinds:
            bigger = with_fact(record, kind)
            block = models._facts_sum(bigger) - models._facts_sum(record)
            full = models._use_raw(bigger)[0] - raw
            delta = models.fact_delta(record, kind)
            assert delta == block, (text[:60], kind)
            assert abs(delta - full) < 1e-12, (text[:60], kind)
            compared += 1
            present += bool(record.facts and record.facts.get(kind))
    assert compared == len(texts) * len(kinds) and present > 20
