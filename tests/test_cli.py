"""The command line: `check` for a person, `score` for files, clear errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from service.cli import main

DRAFT = (
    "Информируем вас о том, что в настоящее время в рамках реализации программы осуществляется "
    "приём заявлений на компенсацию расходов на оплату жилищно-коммунальных услуг."
)


def test_check_prints_marked_text_scores_and_fixes(capsys) -> None:
    assert main(["check", DRAFT, "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "[[" in out and "]]" in out  # highlighted spans
    assert "Читаемость" in out and "Что исправить" in out
    assert "→" in out  # a suggestion


def test_check_json(capsys) -> None:
    assert main(["check", DRAFT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feedback"] and data["scores"]["readability"] is not None


@pytest.mark.parametrize("text", ["", "   ", "Hello there, this is English."])
def test_check_bad_text_exits_nonzero(capsys, text: str) -> None:
    assert main(["check", text]) == 2
    err = capsys.readouterr().err
    assert "Ошибка" in err and "text" in err


def test_check_reads_stdin() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "service.cli", "check", "-", "--color", "never"],
        input=DRAFT, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "Что исправить" in r.stdout


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "check" in capsys.readouterr().out


def test_check_page_type_and_attachments_reach_the_models(capsys) -> None:
    text = "В связи с ремонтом 2 октября приём граждан не ведётся. Приносим извинения."
    assert main(["check", text, "--json"]) == 0
    bare = json.loads(capsys.readouterr().out)
    assert main(["check", text, "--json", "--page-type", "library", "--attachments", "photo"]) == 0
    told = json.loads(capsys.readouterr().out)
    assert told["usefulness"]["rubric_confidence"] != bare["usefulness"]["rubric_confidence"]
    assert told["scores"]["engagement"] > bare["scores"]["engagement"]  # a photo helps


@pytest.mark.parametrize("argv, words", [
    (["check", "--page-type", "планета", "текст"], ["--page-type", "недопустимое значение",
                                                    "'планета'", "library"]),
    (["score"], ["не хватает аргументов: input"]),
    (["check", "--platform"], ["--platform", "нужно значение"]),
    (["score", "a.jsonl", "--bogus"], ["неизвестные аргументы: --bogus"]),
])
def test_argument_errors_speak_russian(capsys, argv: list[str], words: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "ошибка:" in err and "использование:" in err and "error" not in err
    for w in words:
        assert w in err
