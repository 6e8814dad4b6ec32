"""`gospablik train [all|usefulness|rubric|engagement]`: train models and write new versions."""

from __future__ import annotations

import argparse
import importlib

from service.errors import InputError

WHAT = ("all", "usefulness", "rubric", "engagement")


def run(args: argparse.Namespace) -> int:
    """Train what `args.what` names; return the exit code."""
    what = getattr(args, "what", "all") or "all"
    if what not in WHAT:
        raise InputError("what", f"неизвестная модель «{what}»: выберите {', '.join(WHAT)}")
    code = 0
    if what in ("all", "usefulness", "rubric"):
        from training.train_text_models import train

        if what != "all":
            print("Польза и рубрика обучаются вместе, одной моделью текста.")
        from training.train_text_models import CONFIG, FAST

        cfg = FAST if getattr(args, "fast", False) else CONFIG
        train(args.data, bool(args.replace), args.shared, args.models_dir, cfg)
    if what == "engagement" or (what == "all" and args.data):
        code = _engagement(args)
    elif what == "all":
        print("Вовлечённость обучается по выгрузке постов с метриками: "
              "gospablik train engagement --data ФАЙЛ.")
    return code


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
