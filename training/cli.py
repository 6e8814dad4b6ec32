"""`gospablik train [all|usefulness|rubric|engagement]`: train models and write new versions."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from service.errors import InputError

WHAT = ("all", "usefulness", "rubric", "engagement")


def run(args: argparse.Namespace) -> int:
    """Train what `args.what` names; return the exit code.

    `all` with `--data` sorts the files by content: annotated posts (the rubric's JSONL, a
    `labels` object per line) retrain the text models, any other file is an export with
    engagement metrics for the engagement model."""
    what = getattr(args, "what", "all") or "all"
    if what not in WHAT:
        raise InputError("what", f"неизвестная модель «{what}»: выберите {', '.join(WHAT)}")
    data = list(args.data or [])
    labelled = ([f for f in data if not Path(f).is_file() or _is_labelled(f)] if what == "all"
                else data)  # a missing file goes where its error says "not found"
    exports = [f for f in data if f not in labelled] if what == "all" else data
    code = 0
    if what in ("usefulness", "rubric") or (what == "all" and (labelled or not data)):
        from training.train_text_models import CONFIG, FAST, train

        if what != "all":
            print("Польза и рубрика обучаются вместе, одной моделью текста.")
        cfg = FAST if getattr(args, "fast", False) else CONFIG
        train(labelled or None, bool(args.replace), args.shared, args.models_dir, cfg)
    if what == "engagement" or (what == "all" and exports):
        code = _engagement(argparse.Namespace(**{**vars(args), "data": exports}))
    elif what == "all":
        print("Вовлечённость обучается по выгрузке постов с метриками: "
              "gospablik train engagement --data ФАЙЛ.")
    return code


def _is_labelled(path: str) -> bool:
    """Return True when the file's first non-empty line is a JSON post with a `labels` object."""
    try:
        with open(path, encoding="utf-8") as fh:
            line = next((ln for ln in fh if ln.strip()), "")
        row = json.loads(line)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(row, dict) and isinstance(row.get("labels"), dict)


def _engagement(args: argparse.Namespace) -> int:
    """Train the engagement model when its trainer is installed; else say so."""
    try:
        mod = importlib.import_module("training.engagement")
    except ModuleNotFoundError as exc:
        if exc.name != "training.engagement":
            raise
        print("Обучение вовлечённости пока недоступно: нет модуля training/engagement.py.")
        return 0 if args.what == "all" else 1
    return int(mod.train(args) or 0)
