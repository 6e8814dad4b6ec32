"""Finds and loads the newest compatible text model in models/text/<version>/.

An artifact is a directory with `model.joblib`, `meta.json` (format version, version id, created,
scikit-learn version, sha256 of the joblib file) and `MODEL_CARD.md`. joblib runs code when it
loads, so only a file whose sha256 matches its meta.json (written by our training) is loaded.

The service unpickles the scikit-learn classes of the file as plain holders of their fitted
attributes (`_LITE`): importing scikit-learn would take longer than everything else the
service loads. A file with any other scikit-learn class is loaded by joblib as it is.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from service.errors import ModelError
from service.models import FORMAT_VERSION, TEXT_MODEL
from service.models.features import FeatureRows
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
    installed = sklearn_version()
    if skl != installed:
        return (f"модель {meta.get('version', '?')} обучена на scikit-learn {skl}, а установлен "
                f"{installed}: {RETRAIN} или установите scikit-learn=={skl}")
    return None


def sklearn_version() -> str:
    """Return the installed scikit-learn version (without importing it: that takes a second)."""
    try:
        return metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        return "не установлен"


class LitePipeline:
    """A fitted scikit-learn `Pipeline` reduced to its steps (`pipe[0]`, `pipe[-1]`)."""

    steps: list[tuple[str, Any]]

    def __getitem__(self, i: int) -> Any:
        return self.steps[i][1]


class LiteLinear:
    """A fitted scikit-learn linear model reduced to its attributes (`coef_`, `intercept_`,
    `classes_`)."""


_LITE: dict[tuple[str, str], type] = {
    ("sklearn.pipeline", "Pipeline"): LitePipeline,
    ("sklearn.linear_model._ridge", "Ridge"): LiteLinear,
    ("sklearn.linear_model._logistic", "LogisticRegression"): LiteLinear,
    ("service.models.features", "PostFeatures"): FeatureRows,
}


class _NotLite(Exception):
    """The file holds a scikit-learn class `_LITE` does not know."""


class _ArrayShim:
    """What joblib's `NumpyArrayWrapper.read_array` asks of an unpickler."""

    def __init__(self, file_handle: Any, find_class: Any) -> None:
        import numpy

        self.file_handle, self.find_class, self.np = file_handle, find_class, numpy
        self.mmap_mode = None


def _load_fast(data: bytes) -> Any:
    """Return the unpickled models of a joblib stream with the C unpickler.

    joblib writes each array's bytes right after its wrapper's frame; the wrapper reads them
    back when it is built (`__setstate__`), and the arrays then replace the wrappers.
    """
    import io
    import pickle

    from joblib import numpy_pickle

    stream = io.BytesIO(data)

    class Wrapper(numpy_pickle.NumpyArrayWrapper):  # type: ignore[misc]
        def __setstate__(self, state: dict[str, Any]) -> None:
            self.__dict__.update(state)
            self.array = self.read_array(shim, True)

    class FastUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) == ("joblib.numpy_pickle", "NumpyArrayWrapper"):
                return Wrapper
            return _lite_class(module, name, super().find_class)

    unpickler = FastUnpickler(stream)
    shim = _ArrayShim(stream, unpickler.find_class)
    return _unwrap(unpickler.load(), Wrapper, {})


def _lite_class(module: str, name: str, find_class: Any) -> Any:
    """Return our plain stand-in for a scikit-learn class, or `find_class`'s answer for others.

    Raises _NotLite for a scikit-learn class we have no stand-in for (the caller then loads
    the file with scikit-learn itself)."""
    lite = _LITE.get((module, name))
    if lite is not None:
        return lite
    if module.split(".")[0] == "sklearn":
        raise _NotLite(f"{module}.{name}")
    return find_class(module, name)


_ATOMIC = frozenset({str, int, float, bool, type(None), bytes})


def _unwrap(obj: Any, wrapper: type, seen: dict[int, Any]) -> Any:
    """Return `obj` with every array wrapper inside it replaced by its array."""
    if isinstance(obj, wrapper):
        return obj.array  # type: ignore[attr-defined]
    key = id(obj)
    if key in seen:
        return seen[key]
    seen[key] = obj
    atomic = _ATOMIC
    if isinstance(obj, dict):
        for k, v in obj.items():
            if v.__class__ not in atomic:
                obj[k] = _unwrap(v, wrapper, seen)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if v.__class__ not in atomic:
                obj[i] = _unwrap(v, wrapper, seen)
    elif isinstance(obj, tuple):
        new = tuple(v if v.__class__ in atomic else _unwrap(v, wrapper, seen) for v in obj)
        if any(a is not b for a, b in zip(new, obj, strict=True)):
            seen[key] = new
            return new
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        _unwrap(obj.__dict__, wrapper, seen)
    return obj


def _load_lite(file: Path, raw: bytes) -> Any:
    """Return the unpickled models of a joblib file (`raw`: its bytes, already read and
    checked) without importing scikit-learn."""
    import zlib

    from joblib import numpy_pickle

    if raw[:1] == b"x":  # zlib, as our training writes it (compress=3)
        try:
            return _load_fast(zlib.decompress(raw))
        except _NotLite:
            raise
        except Exception:  # noqa: BLE001 - another joblib layout: its own (slower) reader
            pass

    class LiteUnpickler(numpy_pickle.NumpyUnpickler):  # type: ignore[misc]
        def find_class(self, module: str, name: str) -> Any:
            return _lite_class(module, name, super().find_class)

    with open(file, "rb") as f, \
            numpy_pickle._validate_fileobject_and_memmap(f, str(file), None) as (fobj, _):
        return LiteUnpickler(str(file), fobj, "auto").load()


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
    try:
        models = _load_lite(file, data)
    except _NotLite:
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
