"""Speed work must not change what the scorer says: the fixed sample of real posts
(tests/fixtures/reference_posts.jsonl.gz) scores exactly as the stored reference outputs,
made by benchmarks/make_reference.py from the code the speed work started from.

After a deliberate change of the outputs (a retrained model, a new rule), regenerate the
reference at that commit: `python benchmarks/make_reference.py --repo <worktree of it>`.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from service.jobs.tasks import score_rows
from service.scoring import Scorer

FIXTURES = Path(__file__).parent / "fixtures"
TOLERANCE = 1e-9  # unrounded floats; rounded ones (scores, gains) must match to the digit


def _read(name: str) -> list[Any]:
    with gzip.open(FIXTURES / name, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Return where `got` differs from `want` (floats within TOLERANCE are equal)."""
    if isinstance(want, float) and isinstance(got, int | float) and not isinstance(got, bool):
        return [] if abs(got - want) <= TOLERANCE else [f"{path}: {got!r} != {want!r}"]
    if type(got) is not type(want):
        return [f"{path}: {got!r} != {want!r}"]
    if isinstance(want, dict):
        out = [f"{path}.{k}: missing" for k in want if k not in got]
        out += [f"{path}.{k}: unexpected" for k in got if k not in want]
        for k in want:
            if k in got:
                out += differences(got[k], want[k], f"{path}.{k}")
        return out
    if isinstance(want, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items != {len(want)}: {got!r} != {want!r}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in differences(g, w, f"{path}[{i}]")]
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]


@pytest.fixture(scope="module")
def sample() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    posts, ref = _read("reference_posts.jsonl.gz"), _read("reference_outputs.jsonl.gz")
    assert len(posts) == len(ref) > 300
    return posts, ref


def _report(diffs: list[str]) -> str:
    return f"{len(diffs)} differences, first: " + "\n".join(diffs[:15])


def test_differences_sees_a_changed_gain() -> None:
    want = {"feedback": [{"gain": 3.4, "code": "kantselyarit"}], "x": 0.1 + 0.2}
    assert differences({"feedback": [{"gain": 3.4, "code": "kantselyarit"}], "x": 0.3}, want) == []
    assert differences({"feedback": [{"gain": 3.5, "code": "kantselyarit"}], "x": 0.3}, want)
    assert differences({"feedback": [], "x": 0.3}, want)


def test_single_posts_score_as_the_reference(sample: Any) -> None:
    posts, ref = sample
    scorer = Scorer()
    diffs = []
    for n, (post, want) in enumerate(zip(posts, ref, strict=True), 1):
        got = scorer.score_row(json.loads(json.dumps(post)), n)
        diffs += differences(got, want["single"], f"line {n} ({post.get('id')})")
    assert not diffs, _report(diffs)


def test_a_batch_chunk_scores_as_the_reference(sample: Any) -> None:
    posts, ref = sample
    rows = [[n, json.loads(json.dumps(p)), None] for n, p in enumerate(posts, 1)]
    chunk = score_rows(Scorer(), rows)
    assert chunk.bad == sum("error" in r["single"] for r in ref) == 3
    diffs = []
    for n, (head, tail, want) in enumerate(zip(chunk.heads, chunk.tails, ref, strict=True), 1):
        got = json.loads(head + tail)
        # the scored part; the input fields joined for the report belong to service.report
        keys = want["single"].keys()
        diffs += differences({k: got.get(k) for k in keys}, {k: want["batch"].get(k) for k in keys},
                             f"line {n}")
    assert not diffs, _report(diffs)


def test_models_load_without_scikit_learn_with_the_same_values(tmp_path: Path) -> None:
    import subprocess
    import sys

    import joblib

    from service.models.features import make_record
    from service.models.loader import artifacts, load_text_models
    from service.nlp.pipeline import get_pipeline
    from service.settings import get_settings

    models_dir = get_settings().models_dir
    code = ("import sys; from service.models.loader import load_text_models; "
            f"load_text_models({str(models_dir)!r}); print('sklearn' in sys.modules)")
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert fresh.stdout.strip() == "False"  # the service never imports scikit-learn
    lite = load_text_models(models_dir)
    real = joblib.load(artifacts(models_dir)[0][1] / "model.joblib")
    assert hasattr(real.rubric, "predict_proba") and not hasattr(lite.rubric, "predict_proba")
    texts = ["Уважаемые жители! 14 марта с 10:00 до 14:00 в МФЦ на ул. Ленина, 5 пройдёт приём "
             "граждан. Запись по телефону 8 (800) 123-45-67.",
             "Поздравляем победителей олимпиады по математике! #гордимся",
             "Информируем о том, что осуществляется приём заявлений на компенсацию."]
    recs = [make_record(get_pipeline().analyse(t)) for t in texts]
    assert (lite.usefulness_scores(recs) == real.usefulness_scores(recs)).all()
    assert abs(lite.rubric_proba(recs) - real.rubric_proba(recs)).max() < 1e-12
    assert lite.rubric_classes == real.rubric_classes


def test_the_morph_table_says_what_pymorphy3_says(tmp_path: Path) -> None:
    import json
    import shutil

    from service.nlp.morph import Morph, get_morph
    from service.nlp.morph_table import META_FILE, TABLE_FILE, load_table
    from service.settings import models_path

    fast = get_morph()
    assert fast.table is not None and fast.table.size > 50_000
    plain = Morph()  # no table: pymorphy3 for every form
    words = ["приём", "заявлений", "осуществляется", "стали", "мфц", "ёлка", "кузькиной",
             "администрацией", "гбоу", "субботник", "zoom", "впуспупу"]
    assert any(fast.table.get(w) is not None for w in words)
    assert fast.table.get("впуспупу") is None
    for w in words:
        assert fast.readings(w) == plain.readings(w), w
        assert fast.analyse(w) == plain.analyse(w), w
    # a table built with other pymorphy3 versions is not used
    shutil.copy(models_path("morph", TABLE_FILE), tmp_path / TABLE_FILE)
    meta = json.loads(models_path("morph", META_FILE).read_text(encoding="utf-8"))
    meta["versions"]["pymorphy3"] = "0.0.1"
    (tmp_path / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    table, why = load_table(tmp_path)
    assert table is None and why is not None and "пересоберите" in why
