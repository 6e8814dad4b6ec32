"""The training set of the text models: annotated posts in the rubric's JSONL format.

Reads gosposts/train.jsonl (our copy in training/data/, or the one under `--shared`) plus any
`--data` files (or only them with
`--replace`), checks the labels, drops exact duplicates (a later file wins), and turns every
post into a `PostRecord` through the service's own pipeline, so training sees what serving sees.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.errors import InputError
from service.models.features import PostRecord, make_record
from service.nlp.pipeline import get_pipeline
from service.schemas import PostIn, fold_page_fields

REPO_ROOT = Path(__file__).resolve().parent.parent
RUBRICS = (
    "services", "safety", "housing_utilities", "transport_roads", "health", "education",
    "culture_leisure", "sport", "social_support", "official_activity", "greetings",
    "results_reports", "dialogue", "other",
)
BASE_FILE = Path("gosposts") / "train.jsonl"
OWN_DATA = Path(__file__).resolve().parent / "data"  # ships with the package: retraining works
# on a machine without ../shared


@dataclass(slots=True)
class Example:
    """One annotated post."""

    id: str
    text: str
    post: dict[str, Any]  # the post as the service receives it (text, platform, page, …)
    usefulness: int | None
    rubric: str | None
    source: str  # file name it came from


def default_shared() -> Path:
    """Return the default path of the shared data (<repo>/../shared/data)."""
    return REPO_ROOT.parent / "shared" / "data"


def data_files(shared: str | Path | None, extra: Sequence[str] | None,
               replace: bool) -> list[Path]:
    """Return the files to train on: the base file (unless replaced) and the extra ones."""
    files = [] if replace else [Path(shared or OWN_DATA) / BASE_FILE]
    files += [Path(f) for f in extra or ()]
    if not files:
        raise InputError("data", "нечего обучать: с --replace укажите хотя бы один файл --data")
    for f in files:
        if not f.is_file():
            raise InputError("data", f"файл не найден: {f} (укажите путь к данным через --shared)")
    return files


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_examples(path: Path) -> list[Example]:
    """Return the annotated posts of one JSONL file; raise `InputError` on a malformed line."""
    out: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError("data", f"{path.name}, строка {n}: не JSON ({exc.msg})") from None
            out.append(_example(row, path.name, n))
    return out


def _example(row: Any, source: str, n: int) -> Example:
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise InputError("data", f"{source}, строка {n}: нужен объект с полем text")
    labels = row.get("labels") or {}
    use = labels.get("usefulness")
    if use is not None and use not in (0, 1, 2):
        raise InputError("data", f"{source}, строка {n}: usefulness должна быть 0, 1 или 2")
    rubric = labels.get("rubric")
    if rubric is not None and rubric not in RUBRICS:
        raise InputError("data", f"{source}, строка {n}: неизвестная рубрика «{rubric}»")
    page = fold_page_fields(dict(row)).get("page")  # as the service reads it
    post = {"text": row["text"], "id": row.get("id"), "platform": row.get("platform"),
            "attachments": row.get("attachments") or [],
            "page": page if isinstance(page, dict) else None}
    return Example(str(row.get("id", f"{source}:{n}")), row["text"], post, use, rubric, source)


def load_examples(files: Iterable[Path]) -> list[Example]:
    """Return the labelled posts of all files; a later copy of the same text replaces earlier."""
    by_text: dict[str, Example] = {}
    for f in files:
        for ex in read_examples(f):
            if ex.usefulness is None and ex.rubric is None:
                continue
            key = " ".join(ex.text.lower().split())
            by_text.pop(key, None)
            by_text[key] = ex
    return list(by_text.values())


def to_record(post: dict[str, Any], extract_facts: Any = None) -> PostRecord:
    """Return the record of a raw post, analysed by the service pipeline (facts when given)."""
    p = PostIn.model_validate(post)
    doc = get_pipeline().analyse(p.text)
    facts = extract_facts(doc) if extract_facts is not None else None
    return make_record(doc, p.page.type if p.page else None, p.platform, p.attachments, facts)


def facts_extractor() -> Any:
    """Return service.facts.extract_facts when that module is installed and works, else None."""
    try:
        from service.facts import extract_facts
        extract_facts(get_pipeline().analyse("Приём 14 марта с 9:00, ул. Ленина, 5."))
    except Exception:  # noqa: BLE001 - any failure means: train without the facts block
        return None
    return extract_facts
