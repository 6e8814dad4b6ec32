"""The `gospablik` command: check, score, report, history, serve, worker, train."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from service.errors import GospablikError, InputError
from service.report.labels import PAGE_TYPE_RU


def _lazy(module: str, func: str = "run"):  # type: ignore[no-untyped-def]
    """Return a command that imports `module` only when it runs (keeps `check` fast)."""

    def call(args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return call


# argparse's own messages, in Russian: (pattern of the English message, Russian template)
_ARGPARSE_RU = (
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     "{arg}: недопустимое значение {value}, возможные: {choices}"),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>.+)"),
     "{arg}: недопустимое значение {value}"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "{arg}: после флага нужно значение"),
    (re.compile(r"the following arguments are required: (?P<args>.+)"),
     "не хватает аргументов: {args}"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "неизвестные аргументы: {args}"),
    (re.compile(r"argument (?P<arg>\S+): (?P<rest>.+)"), "{arg}: {rest}"),
)


class RussianFormatter(argparse.HelpFormatter):
    """Help and usage with Russian headings."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          "использование: " if prefix is None else prefix)


class RussianParser(argparse.ArgumentParser):
    """An argument parser that speaks Russian: help headings, usage, errors (exit code 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", RussianFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="показать эту справку и выйти")

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ARGPARSE_RU:
            m = pattern.fullmatch(message)
            if m:
                message = template.format(**m.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of all sub-commands."""
    p = RussianParser(
        prog="gospablik",
        description="Оценка постов госпабликов: читаемость, польза, вовлечённость, активность.",
    )
    sub = p.add_subparsers(dest="command", metavar="КОМАНДА")

    c = sub.add_parser("check", help="проверить один текст и показать, что исправить")
    c.add_argument("text", nargs="?", default="-", help="текст поста или «-» для чтения из stdin")
    c.add_argument("--platform", default=None, help="vk, ok, telegram или max")
    c.add_argument("--page-type", default=None, metavar="ТИП", choices=sorted(PAGE_TYPE_RU),
                   help="чья страница: " + ", ".join(sorted(PAGE_TYPE_RU)))
    c.add_argument("--attachments", default=None, help="вложения через запятую: photo,video")
    c.add_argument("--json", action="store_true", help="вывести результат в JSON")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    c.set_defaults(func=_lazy("service.cli_check"))

    s = sub.add_parser("score", help="оценить файл постов (JSONL, CSV, VK, Telegram, OK, MAX)")
    s.add_argument("input", help="файл постов или «-» для stdin")
    s.add_argument("-o", "--output", default="-", help="куда писать JSON Lines (по умолчанию stdout)")
    s.add_argument("--format", default=None, help="формат входа: jsonl, csv, vk, telegram, ok, max")
    s.add_argument("--pages", default=None, help="CSV с данными страниц")
    s.add_argument("-j", "--jobs", type=int, default=0, help="процессов (0 — все ядра)")
    s.add_argument("--no-progress", action="store_true", help="не показывать прогресс")
    s.set_defaults(func=_lazy("service.cli_score"))

    r = sub.add_parser("report", help="отчёт по региону и страницам (HTML, CSV или XLSX)")
    r.add_argument("input", help="файл постов")
    r.add_argument("-o", "--output", required=True, help="report.html, report.csv или report.xlsx")
    r.add_argument("--pages", default=None, help="CSV с данными страниц")
    r.add_argument("--format", default=None, help="формат входа: jsonl, csv, vk, telegram, ok, max")
    r.add_argument("--save", action="store_true",
                   help="записать недели страниц в историю (gospablik history)")
    r.add_argument("--region", default=None,
                   help="регион для страниц, у которых он не указан (для истории)")
    r.set_defaults(func=_lazy("service.report.cli"))

    hi = sub.add_parser("history", help="история страницы по неделям")
    hi.add_argument("page_id", metavar="PAGE_ID", help="id страницы (как в файле постов)")
    hi.add_argument("--json", action="store_true", help="вывести историю в JSON")
    hi.set_defaults(func=_lazy("service.history.cli"))

    v = sub.add_parser("serve", help="запустить HTTP API и веб-страницы")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--workers", type=int, default=1, help="процессов uvicorn")
    v.set_defaults(func=_lazy("service.serve"))

    w = sub.add_parser("worker", help="запустить обработчик пакетных заданий (RQ)")
    w.add_argument("--burst", action="store_true", help="выйти, когда очередь опустеет")
    w.add_argument("--health", action="store_true",
                   help="проверить, жив ли обработчик на этой машине (код 0 — жив)")
    w.set_defaults(func=_lazy("service.jobs.worker"))

    t = sub.add_parser("train", help="обучить модели (польза, рубрика, вовлечённость)")
    t.add_argument("what", nargs="?", default="all", help="all, usefulness, rubric, engagement")
    t.add_argument("--data", action="append", default=None, help="файл с размеченными постами")
    t.add_argument("--replace", action="store_true", help="обучать только на --data")
    t.add_argument("--shared", default=None, help="путь к ../shared/data")
    t.add_argument("--models-dir", default=None, help="куда сохранить модели")
    t.add_argument("--fast", action="store_true", help="без кросс-валидации (быстрее)")
    t.set_defaults(func=_lazy("training.cli"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"Ошибка в поле «{exc.field}»: {exc.message}", file=sys.stderr)
        return 2
    except GospablikError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
