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
    assert lines == _in_process(FIX / name, FIX / "pages.csv")
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


def _in_process(path: Path, pages: Path | None = None) -> list[dict]:
    """Return what scoring each row of the file in this process gives (the CLI's expected lines)."""
    from service.readers import read_posts
    from service.scoring import Scorer

    scorer, out = Scorer(), []
    for row in read_posts(path, pages=pages):
        if row.error is not None:
            got = {"id": row.id, "line": row.line, "error": row.error.as_dict()}
        else:
            got = scorer.score_row(row.data, row.line)
            got.setdefault("line", row.line)
        page = (row.data or {}).get("page")
        if isinstance(page, dict) and page.get("id") is not None:
            got["page_id"] = str(page["id"])
        out.append(json.loads(json.dumps(got, ensure_ascii=False)))
    return out


def test_stdin_to_stdout() -> None:
    data = (FIX / "posts.jsonl").read_text(encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "service.cli", "score", "-", "-j", "1"],
                       input=data, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    # one line per item, in file order, with the file's line numbers (line 3 is blank)
    assert [(x["line"], x["id"]) for x in lines] == [
        (1, "s-101"), (2, "s-102"), (4, "s-103"), (5, None), (6, "s-105"), (7, "s-106"),
        (8, None), (9, "s-108")]
    # a bad row says which field is wrong, and has no scores
    errors = {x["line"]: x["error"]["field"] for x in lines if "error" in x}
    assert errors == {5: "json", 6: "text", 7: "metrics.views", 8: "body"}
    assert all("scores" not in x for x in lines if "error" in x)
    assert all(x["error"]["message"] for x in lines if "error" in x)
    # a scored line is the whole scored post, the same as scoring it in-process
    assert lines == _in_process(FIX / "posts.jsonl")
    for x in (x for x in lines if "error" not in x):
        assert x["page_id"] == "school5" and x["engagement"]["kind"] == "measured"
        axes = [v for k, v in x["scores"].items() if k != "overall" and v is not None]
        assert x["scores"]["overall"] == pytest.approx(sum(axes) / len(axes), abs=0.06)
        assert {"readability", "usefulness", "feedback", "moderation", "fix_first"} <= set(x)
    assert [x["platform"] for x in lines if "error" not in x] == ["vk", "vk", "vk", "ok"]
