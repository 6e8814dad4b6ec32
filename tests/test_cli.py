"""The command line: `check` for a person, `score` for files, clear errors and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from service.cli import main

DRAFT = (
    "Информируем вас о том, что в настоящее время в рамках реализации программы осуществляется "
    "приём заявлений на компенсацию расходов на оплату жилищно-коммунальных услуг."
)


PLAIN = ("Завтра с 9:00 до 17:00 не будет холодной воды на улице Ленина. Вопросы — по телефону "
         "8 (800) 000-00-00.")
AXES_RU = {"readability": "Читаемость", "usefulness": "Польза", "engagement": "Вовлечённость",
           "activity": "Активность", "overall": "Итог"}


@pytest.fixture(scope="module")
def scorer():
    from service.scoring import Scorer

    return Scorer()


def _grade(out: str) -> str:
    found = re.findall(r"^  Уровень сложности: (.+?), чтение ≈ \d+ с$", out, re.M)
    assert len(found) == 1, out
    return found[0]


def test_check_prints_marked_text_scores_and_fixes(capsys, scorer) -> None:
    assert main(["check", DRAFT, "--color", "never"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    want = scorer.score({"text": DRAFT})
    # the scores a person sees are the scorer's, rounded
    for axis, label in AXES_RU.items():
        v = want["scores"][axis]
        if v is None:  # and why not
            assert lines.count(f"  {label}: нет ({want[axis]['reason']})") == 1, label
            continue
        shown = f"  {label}: {v:.0f}"  # an estimate may say so after the figure
        assert sum(line == shown or line.startswith(shown + " (") for line in lines) == 1, shown
    # an official sentence of 22 words is for a student or a specialist, not for a school grade
    assert _grade(out) == want["readability"]["grade_label"]
    assert _grade(out) in ("студент", "специалист")
    # the problems, most important first, each with its suggestion on the next line
    items = want["feedback"]
    codes = {it["code"] for it in items}
    assert {"kantselyarit", "missing_contact"} <= codes
    start = lines.index("Что исправить (сначала самое важное)")
    for n, it in enumerate(items, 1):
        head, arrow = lines[start + 2 * n - 1], lines[start + 2 * n]
        assert head.startswith(f"{n}. [") and it["message"] in head
        assert arrow == f"   → {it['suggestion']}"
    now = next(n for n, it in enumerate(items, 1) if it["fragment"] == "в настоящее время")
    assert "«в настоящее время»" in lines[start + 2 * now - 1]
    assert "сейчас" in lines[start + 2 * now]
    # the span of the first problem is marked in the text with its number
    first = items[0]
    assert f"[[{DRAFT[first['start']:first['end']]}]][1]" in out


def test_check_tells_a_plain_text_from_an_official_one(capsys) -> None:
    assert main(["check", PLAIN, "--color", "never"]) == 0
    plain = capsys.readouterr().out
    assert main(["check", DRAFT, "--color", "never"]) == 0
    official = capsys.readouterr().out
    grade = re.fullmatch(r"(\d+) класс", _grade(plain))
    assert grade and 1 <= int(grade.group(1)) <= 9, _grade(plain)  # «6 класс»: a school grade
    score = re.compile(r"^  Читаемость: (\d+)", re.M)
    assert int(score.findall(plain)[0]) > int(score.findall(official)[0]) + 20


def test_check_json(capsys, scorer) -> None:
    assert main(["check", DRAFT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(scorer.score({"text": DRAFT})))
    assert data["fix_first"] == data["feedback"][0]
    kan = [it for it in data["feedback"] if it["code"] == "kantselyarit"]
    assert "в настоящее время" in [it["fragment"] for it in kan]
    for it in kan:
        assert DRAFT[it["start"]:it["end"]] == it["fragment"] and it["suggestion"]
    axes = [v for k, v in data["scores"].items() if k != "overall" and v is not None]
    assert data["scores"]["overall"] == pytest.approx(sum(axes) / len(axes), abs=0.06)
    assert data["readability"]["grade_label"] in ("студент", "специалист")


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
