"""No post text in logs: a post with a passport number, a phone and a unique word goes through the
draft check, a page report, a batch scored by a real RQ worker, a validation error and a server
error; no log line — of any logger at DEBUG, of stderr, of the worker process — carries them."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.settings import Settings

MARKER = "зюзяблик"
PASSPORT = "4510 123456"
PHONE = "+7 912 345-67-89"
TEXT = (f"Уважаемые жители! Для записи к врачу назовите паспорт {PASSPORT} и телефон {PHONE}. "
        f"Кодовое слово — {MARKER}.")
SECRETS = (MARKER, PASSPORT, PHONE, "4510", "345-67-89", "Для записи к врачу")


def post(i: int = 0) -> dict[str, Any]:
    return {"id": f"n{i}", "text": TEXT, "platform": "vk",
            "published_at": "2025-03-14T10:00:00+03:00", "page": {"id": "club1", "name": "ЦРБ"}}


def assert_clean(*logs: str) -> None:
    for log in logs:
        for secret in SECRETS:
            assert secret not in log, f"{secret!r} in the log:\n{log[-2000:]}"


@pytest.fixture()
def client(redis_conn: Any, redis_server: Any):  # type: ignore[no-untyped-def]
    with TestClient(create_app(Settings(REDIS_URL=redis_server.url, chunk_size=4))) as c:
        yield c


def test_no_post_text_in_any_log(client, start_workers, redis_server, caplog, capfd) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)  # every logger, every level
    assert client.post("/v1/posts/score", json=post()).status_code == 200
    assert client.post("/v1/pages/report", json={"posts": [post(i) for i in range(3)]}
                       ).status_code == 200
    # validation errors: pydantic's error carries the whole input
    for bad in ({**post(), "published_at": TEXT}, {**post(), "platform": TEXT},
                {**post(), "metrics": {"views": TEXT}}, {**post(), "page": TEXT}):
        assert client.post("/v1/posts/score", json=bad).status_code == 422
    assert client.post("/v1/pages/report", json={"page": TEXT, "posts": [post()]}
                       ).status_code == 422

    # a batch scored by a real worker process, read back as results and report
    r = client.post("/v1/batches", json=[post(i) for i in range(6)] + [{"id": "bad", "x": TEXT}])
    assert r.status_code == 202, r.text
    batch_id = r.json()["id"]
    start_workers(1)
    deadline = time.monotonic() + 60
    while client.get(f"/v1/batches/{batch_id}").json()["status"] not in ("finished", "failed"):
        assert time.monotonic() < deadline, "the batch did not finish"
        time.sleep(0.1)
    lines = client.get(f"/v1/batches/{batch_id}/results").text.splitlines()
    assert len(lines) == 7 and MARKER in lines[0]  # the results carry the text: logs do not
    assert client.get(f"/v1/batches/{batch_id}/report").status_code == 200

    worker_logs = [p.read_text(encoding="utf-8", errors="replace")
                   for p in Path(redis_server.data_dir).glob("worker-*.log")]
    out, err = capfd.readouterr()
    assert_clean(caplog.text, out, err, *worker_logs)
    assert all(r.getMessage() for r in caplog.records)  # the records were really captured
    access = [r.getMessage() for r in caplog.records if r.name == "gospablik.access"]
    # one line per request, with the route's template, status, sizes and time
    assert any(" POST /v1/posts/score 200 in=" in line for line in access), access[:5]
    assert any(" GET /v1/batches/{batch_id}/results 200 " in line for line in access), access


def test_a_server_error_is_logged_without_its_message(client, monkeypatch, caplog, capfd) -> None:  # type: ignore[no-untyped-def]
    """The exception quotes the post (as `int('…')` or pydantic would): the client gets a JSON
    500 with a request number, the log gets that number, the size, the type and the frames."""
    caplog.set_level(logging.DEBUG)
    scorer = client.app.state.scorer

    def boom(data: dict[str, Any]) -> dict[str, Any]:
        raise ValueError(f"cannot score {data['text']!r}")

    monkeypatch.setattr(scorer, "score", boom)
    r = client.post("/v1/posts/score", json=post())  # raise_server_exceptions: nothing escapes
    assert r.status_code == 500
    err = r.json()["error"]
    number = err["message"].split("запрос ")[1].split(")")[0]
    assert err["field"] == "server" and MARKER not in r.text
    logged = [rec.getMessage() for rec in caplog.records if rec.name == "gospablik.errors"]
    assert len(logged) == 1 and number in logged[0] and "ValueError" in logged[0]
    assert "posts.py" in logged[0] and "bytes" in logged[0]  # where and how big, not what
    out, err_out = capfd.readouterr()
    assert_clean(caplog.text, out, err_out)


def test_a_failed_job_is_logged_without_its_message(redis_conn, caplog) -> None:  # type: ignore[no-untyped-def]
    """RQ's own failure line quotes the exception; the worker logs the job id and frames only."""
    from rq import Queue

    from service.jobs.worker import BatchWorker

    caplog.set_level(logging.DEBUG)
    worker = BatchWorker(["gospablik-test"], connection=redis_conn)
    job = Queue("gospablik-test", connection=redis_conn).enqueue("builtins.print", "id-only")
    try:
        int(TEXT)
    except ValueError:
        worker.handle_exception(job, *sys.exc_info())
    logged = [rec.getMessage() for rec in caplog.records if rec.name == "gospablik.worker"]
    assert len(logged) == 1 and job.id in logged[0] and "ValueError" in logged[0]
    assert_clean(caplog.text)
