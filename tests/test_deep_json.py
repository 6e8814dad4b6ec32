"""Deeply nested JSON is a clear 4xx in the API and a bad row in a file, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.fastjson import MAX_DEPTH, loads, too_deep


def nested_page(depth: int) -> str:
    return ('{"text": "Приходите на ярмарку в субботу.", "page": ' + '{"a": ' * depth + "1"
            + "}" * depth + "}")


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, nested_page(5_000), nested_page(MAX_DEPTH + 1)],
    ids=["list-bomb", "object-5000", "just-too-deep"],
)
def test_deep_body_is_a_422_naming_the_body(client, body: str) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/posts/score", content=body,
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "body" and "вложенность" in err["message"]


def test_nesting_a_post_really_has_is_scored(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/posts/score", content=nested_page(MAX_DEPTH - 2),
                    headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["scores"]["readability"] > 50


def test_too_deep_counts_levels() -> None:
    value = json.loads(nested_page(10))
    assert not too_deep(value, 11) and too_deep(value, 10)
    assert not too_deep([1, [2, [3]]], 3) and too_deep([1, [2, [3]]], 2)


def test_deep_line_is_a_bad_row_and_the_others_are_scored(tmp_path: Path) -> None:
    from service.cli import main as cli_main

    src = tmp_path / "posts.jsonl"
    out = tmp_path / "scored.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": "Приходите на ярмарку в субботу."}, ensure_ascii=False),
        '{"id": "b", "text": "x", "page": ' + '{"a": ' * 3_000 + "1" + "}" * 3_000 + "}",
        json.dumps({"id": "c", "text": "Библиотека работает до 19:00."}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    assert cli_main(["score", str(src), "-o", str(out), "-j", "1"]) == 0
    rows = [loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, "c"]
    assert rows[1]["error"]["field"] == "json" and "вложенность" in rows[1]["error"]["message"]
    assert all("scores" in rows[i] for i in (0, 2))
