"""`gospablik score`: every input item gives one output line, in order, JSONL or CSV."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import main

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name, n", [("posts.jsonl", 8), ("posts.csv", 7),
                                     ("vk_wall_get.json", 7), ("telegram_result.json", 10)])
def test_one_line_per_item_in_order(tmp_path: Path, name: str, n: int) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["score", str(FIX / name), "-o", str(out), "-j", "1", "--no-progress",
                 "--pages", str(FIX / "pages.csv")]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n
    assert [x["line"] for x in lines] == sorted(x["line"] for x in lines)
    for x in lines:
        assert ("error" in x) != ("scores" in x)
        if "error" in x:
            assert x["error"]["field"] and x["error"]["message"]


def test_scored_lines_carry_engagement_and_page(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["score", str(FIX / "vk_wall_get.json"), "-o", str(out), "-j", "1",
                 "--no-progress"]) == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["id"] == "-218765_4512" and first["page_id"] == "-218765"
    assert first["engagement"]["kind"] == "measured" and first["scores"]["engagement"] > 0


def test_csv_output_and_two_processes(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["score", str(FIX / "posts.csv"), "-o", str(out), "-j", "2",
                 "--no-progress"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["c-1", "c-2", "c-3", "c-4", "c-5", "c-6", "c-7"]
    assert rows[0]["overall"] and rows[3]["error_field"] == "views"


def test_missing_input_exits_nonzero_with_a_russian_message(capsys) -> None:
    assert main(["score", "/nonexistent/posts.jsonl", "--no-progress"]) == 2
    assert "не найден" in capsys.readouterr().err


def test_stdin_to_stdout() -> None:
    data = (FIX / "posts.jsonl").read_text(encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "service.cli", "score", "-", "-j", "1"],
                       input=data, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 8
