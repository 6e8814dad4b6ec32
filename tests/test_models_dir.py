"""Every artifact is read from the models dir setting (GOSPABLIK_MODELS_DIR), never from beside
the code: an installed package (the Docker image) has no models/ next to its modules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Scores one post in a fresh process and prints every file it opened whose path names "models".
PROBE = r"""
import json, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and "models" in args[0]:
        opened.append(args[0])
sys.addaudithook(hook)
from service.scoring import Scorer
from service.engagement.expected import expected
from service.engagement.prior import load_prior
out = Scorer().score({"text": "Завтра, 14 марта, с 9:00 до 17:00 не будет холодной воды на ул. "
                      "Ленина, 5. Вопросы по телефону 8 (800) 000-00-00.", "page_type": "utility"})
expected("Приходите на концерт в субботу в 18:00.")
load_prior()  # the page baselines of the report
print(json.dumps({"opened": opened, "axes": sorted(out["scores"])}))
"""


def test_service_reads_every_artifact_from_the_models_dir_setting(tmp_path: Path) -> None:
    models = tmp_path / "elsewhere" / "models"
    shutil.copytree(REPO / "models", models)
    env = {**os.environ, "GOSPABLIK_MODELS_DIR": str(models)}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    opened = [Path(p).resolve() for p in got["opened"]]
    beside_code = [p for p in opened if p.is_relative_to(REPO / "models")]
    assert not beside_code, f"read from the source tree, not GOSPABLIK_MODELS_DIR: {beside_code}"
    read = {p.relative_to(models).parts[0] for p in opened if p.is_relative_to(models)}
    assert {"text", "vectors", "issues", "readability", "engagement"} <= read
    assert "нет модели замечаний" not in done.stderr  # the issue model did not fall back
