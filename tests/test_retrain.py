"""Retraining on a region's own posts: a new version, newest loaded, predictions change."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.errors import InputError
from service.models.features import make_record
from service.models.loader import artifacts, load_text_models
from service.nlp.pipeline import get_pipeline
from training.cli import run
from training.dataset import BASE_FILE, OWN_DATA, default_shared, sha256_file

# A region where «субботник» posts are calls to come and help: useful, housing_utilities.
EXTRA = [
    ("Субботник во дворе дома {n} по ул. Лесной в субботу в {h}:00. Перчатки и мешки выдадим. "
     "Приходите всей семьёй!"),
    ("Зовём на субботник в сквер у школы № {n}: сбор в {h}:00 у входа. Грабли есть, "
     "берите хорошее настроение."),
    ("Общегородской субботник {n} апреля: уборка набережной с {h}:00. Регистрация групп по "
     "телефону 8 (800) 200-00-{n:02d}."),
]
PROBE = "В выходные субботник у Дома культуры, начало в 10:00. Ждём всех!"


def _write_extra(path: Path, n: int = 36) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = EXTRA[i % 3].format(n=i + 1, h=8 + i % 4)
            row = {"id": f"r{i}", "platform": "vk", "page_name": "Администрация посёлка",
                   "page_type": "municipality", "published_at": "2026-04-10T10:00:00+03:00",
                   "text": text, "attachments": [],
                   "labels": {"usefulness": 2, "rubric": "culture_leisure" if i % 2 else
                              "housing_utilities", "issues": [], "bureaucratese": []}}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _args(models_dir: Path, data: list[str] | None = None, replace: bool = False):
    return argparse.Namespace(what="usefulness", data=data, replace=replace, shared=None,
                              models_dir=str(models_dir), fast=True)


def _probe(models_dir: Path) -> tuple[str, float, list[tuple[str, float]]]:
    m = load_text_models(models_dir)
    rec = make_record(get_pipeline().analyse(PROBE), "municipality", "vk")
    return m.version, m.usefulness_one(rec), m.rubric_one(rec)


def test_retrain_with_extra_file_changes_version_and_predictions(tmp_path: Path) -> None:
    models = tmp_path / "models"
    assert run(_args(models)) == 0
    v1, use1, rub1 = _probe(models)
    extra = _write_extra(tmp_path / "region.jsonl")
    assert run(_args(models, [str(extra)])) == 0
    v2, use2, rub2 = _probe(models)
    assert v2 != v1 and len(artifacts(models)) == 2  # the old version stays, the newest loads
    assert use2 > use1 + 5
    assert dict(rub2)["culture_leisure"] + dict(rub2)["housing_utilities"] > \
        dict(rub1)["culture_leisure"] + dict(rub1)["housing_utilities"]
    meta = artifacts(models)[0][0]
    assert [d["file"] for d in meta["data"]] == ["train.jsonl", "region.jsonl"]
    assert all(len(d["sha256"]) == 64 for d in meta["data"])


def test_replace_trains_only_on_given_file(tmp_path: Path) -> None:
    extra = _write_extra(tmp_path / "only.jsonl")
    assert run(_args(tmp_path / "m", [str(extra)], replace=True)) == 0
    meta = artifacts(tmp_path / "m")[0][0]
    assert [d["file"] for d in meta["data"]] == ["only.jsonl"] and meta["examples"] == 36


@pytest.mark.parametrize("line,message", [
    ('{"text": "Пост", "labels": {"usefulness": 5}}', "usefulness должна быть 0, 1 или 2"),
    ('{"text": "Пост", "labels": {"rubric": "weather"}}', "неизвестная рубрика"),
    ("не json", "не JSON"),
])
def test_bad_training_file_is_refused(tmp_path: Path, line: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        run(_args(tmp_path / "m", [str(bad)]))


def test_replace_without_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--replace"):
        run(_args(tmp_path / "m", None, replace=True))


def test_train_command_runs_outside_the_repository(tmp_path: Path) -> None:
    """README's `gospablik train --data FILE`, from any directory: annotated posts retrain the
    text model; with no engagement export given, the engagement model is left alone."""
    extra = _write_extra(tmp_path / "region.jsonl", n=20)
    gospablik = Path(sys.executable).with_name("gospablik")
    done = subprocess.run([str(gospablik), "train", "--fast", "--replace", "--data", str(extra),
                           "--models-dir", str(tmp_path / "m")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Новая версия модели" in done.stdout and "gospablik train engagement" in done.stdout
    assert artifacts(tmp_path / "m")[0][0]["examples"] == 20
    assert not (tmp_path / "m" / "engagement").exists()


def test_train_all_sorts_annotated_posts_from_an_engagement_export(tmp_path: Path) -> None:
    labelled = _write_extra(tmp_path / "region.jsonl", n=20)
    export = tmp_path / "export.jsonl"
    with open(export, "w", encoding="utf-8") as fh:
        for i in range(80):
            fh.write(json.dumps({
                "text": f"Приглашаем на концерт в Дом культуры {i + 1} мая в 18:00.",
                "published_at": f"2025-05-{1 + i % 28:02d}T{8 + i % 12:02d}:00:00+03:00",
                "metrics": {"views": 500 + 20 * i, "likes": 10 + i % 7, "comments": 1,
                            "reposts": 0},
                "page": {"id": f"p{i % 3}", "subscribers": 3000}}, ensure_ascii=False) + "\n")
    args = argparse.Namespace(what="all", data=[str(export), str(labelled)], replace=True,
                              shared=None, models_dir=str(tmp_path / "m"), fast=True)
    assert run(args) == 0
    meta = artifacts(tmp_path / "m")[0][0]
    assert [d["file"] for d in meta["data"]] == ["region.jsonl"]  # not the export
    engagement = json.loads((tmp_path / "m" / "engagement" / "expected" / "meta.json").read_text())
    assert engagement["posts"] == 80  # not the annotated posts


@pytest.mark.shared
@pytest.mark.skipif(not (default_shared() / BASE_FILE).is_file(),
                    reason="нет ../shared/data/gosposts/train.jsonl: сверять нашу копию не с чем")
def test_own_copy_of_the_training_posts_matches_the_shared_file() -> None:
    assert sha256_file(OWN_DATA / BASE_FILE) == sha256_file(default_shared() / BASE_FILE)
