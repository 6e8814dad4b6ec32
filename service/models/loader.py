"""Finds and loads the newest compatible text model in models/text/<version>/.

An artifact is a directory with `model.joblib`, `meta.json` (format version, version id, created,
scikit-learn version, sha256 of the joblib file) and `MODEL_CARD.md`. joblib runs code when it
loads, so only a file whose sha256 matches its meta.json (written by our training) is loaded.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import sklearn

from service.errors import ModelError
from service.models import FORMAT_VERSION, TEXT_MODEL
from service.models.text_model import TextModels

RETRAIN = "переобучите: `gospablik train`"


def read_meta(path: Path) -> dict[str, Any] | None:
    """Return the meta.json of an artifact directory, or None when it is missing or broken."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def artifacts(models_dir: Path | str) -> list[tuple[dict[str, Any], Path]]:
    """Return (meta, directory) of every text model artifact, newest first."""
    root = Path(models_dir) / TEXT_MODEL
    found = []
    for d in root.iterdir() if root.is_dir() else ():
        meta = read_meta(d) if d.is_dir() else None
        if meta is not None:
            found.append((meta, d))
    found.sort(key=lambda md: (str(md[0].get("created", "")), md[1].name), reverse=True)
    return found


def incompatibility(meta: dict[str, Any]) -> str | None:
    """Return why this service cannot load the artifact (Russian, with the fix), or None."""
    fmt = meta.get("format_version")
    if fmt != FORMAT_VERSION:
        return f"модель {meta.get('version', '?')} формата {fmt}, сервис ждёт {FORMAT_VERSION}: {RETRAIN}"
    skl = meta.get("sklearn")
    if skl != sklearn.__version__:
        return (f"модель {meta.get('version', '?')} обучена на scikit-learn {skl}, а установлен "
                f"{sklearn.__version__}: {RETRAIN} или установите scikit-learn=={skl}")
    return None


def load_artifact(path: Path, meta: dict[str, Any]) -> TextModels:
    """Return the models of one artifact; raise `ModelError` when its file is not ours."""
    import joblib

    file = path / "model.joblib"
    try:
        data = file.read_bytes()
    except OSError:
        raise ModelError(f"нет файла {file}: {RETRAIN}") from None
    if hashlib.sha256(data).hexdigest() != meta.get("model_sha256"):
        raise ModelError(f"файл {file} не совпадает с meta.json (повреждён или подменён): {RETRAIN}")
    models = joblib.load(file)
    if not isinstance(models, TextModels):
        raise ModelError(f"в {file} не модель текста: {RETRAIN}")
    models.version = str(meta.get("version", path.name))
    return models


def load_text_models(models_dir: Path | str) -> TextModels:
    """Return the newest compatible text models; raise `ModelError` saying how to fix it."""
    found = artifacts(models_dir)
    if not found:
        raise ModelError(f"нет модели пользы и рубрик в {Path(models_dir) / TEXT_MODEL}: "
                         "обучите её командой `gospablik train`")
    for meta, path in found:
        if incompatibility(meta) is None:
            return load_artifact(path, meta)
    raise ModelError(incompatibility(found[0][0]) or RETRAIN)


@lru_cache(maxsize=4)
def get_text_models(models_dir: str) -> TextModels:
    """Return the process-wide text models of a models directory (loaded once)."""
    return load_text_models(models_dir)


def text_models_or_error(models_dir: Path | str) -> TextModels | ModelError:
    """Return the loaded models or the `ModelError` that prevents loading them."""
    try:
        return get_text_models(str(models_dir))
    except ModelError as exc:
        return exc


def ready_probe(app: Any) -> dict[str, Any]:
    """Return the readiness of the text models for /readyz: version, or False and why."""
    from service.settings import get_settings

    settings = getattr(app.state, "settings", None) or get_settings()
    got = text_models_or_error(settings.models_dir)
    if isinstance(got, ModelError):
        return {"usefulness_model": False, "usefulness_model_error": str(got)}
    return {"usefulness_model": got.version}
