"""The package as installed (a wheel, as in the Docker image), not the source tree: its code,
lexicons and training data are inside it, and it finds the models through GOSPABLIK_MODELS_DIR."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
POST = {"id": "p1", "platform": "vk", "page_name": "Администрация посёлка",
        "page_type": "municipality", "published_at": "2026-04-10T10:00:00+03:00",
        "text": "Субботник во дворе дома 5 по ул. Лесной в субботу в 9:00. Перчатки выдадим.",
        "attachments": [], "labels": {"usefulness": 2, "rubric": "housing_utilities",
                                      "issues": [], "bureaucratese": []}}


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Unpack the wheel (conftest.py builds it once) into a fresh directory."""
    site = tmp_path_factory.mktemp("package") / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    done = subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(site),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `gospablik ARGS` on the installed copy, with the models moved out of the repo."""
    models = cwd / "models"
    if not models.exists():
        shutil.copytree(REPO / "models", models)
    code = ("import sys, service, training; from service.cli import main; "
            f"assert service.__file__.startswith({str(site)!r}), service.__file__; "
            f"assert training.__file__.startswith({str(site)!r}), training.__file__; "
            "sys.exit(main(sys.argv[1:]))")
    env = {**os.environ, "PYTHONPATH": str(site), "GOSPABLIK_MODELS_DIR": str(models)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_wheel_holds_the_training_data_and_lexicons(installed: Path) -> None:
    assert (installed / "training" / "data" / "gosposts" / "train.jsonl").stat().st_size > 1e6
    assert (installed / "training" / "data" / "gosposts" / "RUBRIC.md").is_file()
    assert any((installed / "service" / "lexicons").rglob("*.tsv"))
    assert not (installed / "models").exists()  # models come from GOSPABLIK_MODELS_DIR


def test_installed_check_scores_a_post(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "check", "--json",
                "Завтра с 9:00 до 17:00 не будет воды на ул. Ленина, 5.")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["scores"]["usefulness"] > 50
    assert out["usefulness"]["rubric"] == "housing_utilities"
    assert out["usefulness"]["model_version"] in {p.name for p in (tmp_path / "models" / "text").iterdir()}


def test_installed_train_adds_posts_to_its_own_copy_of_the_data(installed: Path,
                                                                tmp_path: Path) -> None:
    extra = tmp_path / "region.jsonl"
    extra.write_text(json.dumps(POST, ensure_ascii=False) + "\n", encoding="utf-8")
    done = _run(installed, tmp_path, "train", "--fast", "--data", str(extra))
    assert done.returncode == 0, done.stderr
    assert "961 размеченных постов из 2 файлов" in done.stdout
