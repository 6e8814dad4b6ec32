"""Batches on a real Redis with real worker processes: bad rows, a killed worker, a Redis
restart, two batches at once; plus the pure parts (chunk sizes, ids, CSV)."""

from __future__ import annotations

import json
import signal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import wait_final, wait_for
from rq import Worker
from rq.job import Job

from service.api.app import create_app
from service.jobs import batch
from service.jobs.export import csv_lines
from service.jobs.queue import JOB_RETRIES
from service.settings import Settings

TEMPLATES = [
    "Уважаемые жители! С {d} марта открыта запись в кружки дома культуры. "
    "Звоните по телефону 8-800-100-20-30, приходите с детьми.",
    "В рамках реализации программы благоустройства осуществляется проведение работ "
    "по ремонту дворовой территории по улице Садовой, дом {d}.",
    "Сегодня в школе № {d} прошёл день открытых дверей. Спасибо всем, кто пришёл!",
]


def posts(n: int, tag: str = "p") -> list[dict[str, Any]]:
    """Return `n` realistic posts with ids tag0..tag{n-1}."""
    return [{"id": f"{tag}{i}", "platform": "vk",
             "text": TEMPLATES[i % 3].format(d=i % 28 + 1),
             "page": {"id": f"page{i % 4}", "name": f"Страница {i % 4}"}}
            for i in range(n)]


@pytest.fixture()
def client(redis_conn: Any, redis_server: Any):
    settings = Settings(REDIS_URL=redis_server.url, chunk_size=8)
    with TestClient(create_app(settings)) as c:
        yield c


def results(client: TestClient, batch_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/batches/{batch_id}/results")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines()]


def assert_complete(rows: list[dict[str, Any]], sent: list[dict[str, Any]]) -> None:
    """Every submitted row exactly once, in order, each scored."""
    assert [r["line"] for r in rows] == list(range(1, len(sent) + 1))
    assert [r["id"] for r in rows] == [p["id"] for p in sent]
    assert all("scores" in r and "error" not in r for r in rows)


# ---- pure parts ----

@pytest.mark.parametrize(("total", "chunk_size", "expected"), [
    (30_000, 500, 500),   # a region's week: full chunks
    (1_000, 500, 125),    # small batch: ~8 chunks so every worker gets some
    (80, 500, 25),        # tiny batch: not below the minimum chunk
    (3, 500, 25),
    (80, 10, 10),         # configured small chunks win
    (1, 1, 1),
])
def test_plan_chunk_size(total: int, chunk_size: int, expected: int) -> None:
    assert batch.plan_chunk_size(total, chunk_size) == expected


def test_content_id_same_content_same_id() -> None:
    a = batch.content_id(b'[{"text": "a"}]', b"json", b"")
    assert a == batch.content_id(b'[{"text": "a"}]', b"json", b"")
    assert a != batch.content_id(b'[{"text": "b"}]', b"json", b"")
    assert a != batch.content_id(b'[{"text": "a"}]', b"json", b"id,name\n1,x\n")
    assert batch.fresh_id() != batch.fresh_id()


def test_csv_export_flattens_and_keeps_errors() -> None:
    lines = [json.dumps({"line": 1, "id": "a", "scores": {"overall": 61.5},
                         "readability": {"grade_level": 8.1}, "moderation": {"blocked": False},
                         "feedback": [{"code": "kantselyarit"}]}, ensure_ascii=False),
             json.dumps({"line": 2, "id": None, "error": {"field": "text",
                                                          "message": "пустой текст"}},
                        ensure_ascii=False)]
    text = "".join(csv_lines(lines)).lstrip("\ufeff").splitlines()
    header = text[0].split(",")
    first = dict(zip(header, text[1].split(","), strict=True))
    second = dict(zip(header, text[2].split(","), strict=True))
    assert (first["id"], first["overall"], first["blocked"], first["feedback_items"]) == (
        "a", "61.5", "нет", "1")
    assert (second["line"], second["error_message"]) == ("2", "пустой текст")


def test_without_redis_batches_are_unavailable() -> None:
    with TestClient(create_app(Settings(REDIS_URL=None))) as c:
        r = c.post("/v1/batches", json=posts(2))
        assert r.status_code == 503
        assert "REDIS_URL" in r.json()["error"]["message"]
        ready = c.get("/readyz").json()
        assert ready["redis"] is None


# ---- with a real Redis and real workers ----

def test_unknown_batch_is_404(client: TestClient) -> None:
    r = client.get("/v1/batches/nonexistent0")
    assert r.status_code == 404
    assert "не найден" in r.json()["error"]["message"]
    assert client.get("/readyz").json()["redis"] is True


def test_batch_with_malformed_rows(client: TestClient, start_workers: Any,
                                   redis_server: Any) -> None:
    sent: list[Any] = posts(20)
    sent[2] = {"id": "no-text"}                                   # reader: no text
    sent[5] = "просто строка"                                      # reader: not an object
    sent[9] = {"id": "en", "text": "This is an English post and it will not be scored at all."}
    sent[13] = {"id": "blank", "text": "   "}                      # scorer: empty text
    r = client.post("/v1/batches", json=sent)
    assert r.status_code == 202, r.text
    body = r.json()
    bid = body["id"]
    assert (body["status"], body["total"], body["duplicate"]) == ("queued", 20, False)
    # nothing runs yet: results are not ready and the status says so
    early = client.get(f"/v1/batches/{bid}/results")
    assert early.status_code == 409 and "обрабатывается" in early.json()["error"]["message"]

    start_workers(1)
    st = wait_final(client, bid)
    assert (st["status"], st["done"], st["total"], st["failed_rows"]) == ("finished", 20, 20, 4)
    assert st["failed_chunks"] == [] and st["eta_seconds"] == 0.0
    rows = results(client, bid)
    assert [r["line"] for r in rows] == list(range(1, 21))
    bad = {r["line"]: r for r in rows if "error" in r}
    assert sorted(bad) == [3, 6, 10, 14]
    assert bad[10]["id"] == "en" and bad[14]["id"] == "blank"
    assert bad[3]["error"]["field"] == "text"
    assert all(r["error"]["message"] for r in bad.values())
    good = [r for r in rows if "error" not in r]
    assert [r["id"] for r in good] == [p["id"] for i, p in enumerate(sent)
                                       if i not in (2, 5, 9, 13)]

    csv_text = client.get(f"/v1/batches/{bid}/results?format=csv").text
    assert len(csv_text.lstrip("\ufeff").splitlines()) == 21  # header + one row per post
    report = client.get(f"/v1/batches/{bid}/report").json()
    assert report["summary"]["posts"] == 16 and report["summary"]["errors"] == 4
    html = client.get(f"/v1/batches/{bid}/report", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text

    again = client.post("/v1/batches", json=sent).json()   # same content: same batch
    assert (again["id"], again["duplicate"], again["status"]) == (bid, True, "finished")
    forced = client.post("/v1/batches?force=true", json=sent).json()
    assert forced["id"] != bid and forced["duplicate"] is False
    wait_final(client, forced["id"])

    # results live in Redis: a new API process (a restart) still serves them
    with TestClient(create_app(Settings(REDIS_URL=redis_server.url))) as fresh:
        assert len(results(fresh, bid)) == 20


def test_batch_results_and_report_equal_the_offline_path(client: TestClient,
                                                        start_workers: Any) -> None:
    """Chunks store lines and small report views; the report job patches only the lines'
    batch-level tail. What comes out must equal scoring the same file in one process."""
    from service.report.build import region_report
    from service.report.collect import collect

    sent = posts(40, "e")
    for i, p in enumerate(sent):
        p["metrics"] = {"views": 300 + 37 * i, "likes": i % 9, "reposts": i % 3, "comments": i % 4}
        p["published_at"] = f"2025-11-{10 + i % 7:02d}T{8 + i % 10:02d}:15:00+03:00"
    sent[7] = {"id": "bad", "text": ""}
    bid = client.post("/v1/batches", json=sent).json()["id"]
    start_workers(1)
    assert wait_final(client, bid)["status"] == "finished"

    got = results(client, bid)
    offline = collect(sent[:7] + sent[8:], jobs=1)
    scored = [r for r in got if "error" not in r]
    assert len(scored) == len(offline) == 39
    assert any(r["engagement"].get("score") is not None for r in scored)
    for a, b in zip(scored, offline, strict=True):
        b = {**b, "line": a["line"]}
        assert a == b, a["id"]
    report = client.get(f"/v1/batches/{bid}/report").json()
    errors = [r for r in got if "error" in r]
    assert [r["id"] for r in errors] == ["bad"]
    expected = json.loads(json.dumps(region_report(offline + errors, None), ensure_ascii=False))
    assert report["summary"] == expected["summary"]
    # the served report adds each page's progress over weeks from the history store
    assert [{k: v for k, v in r.items() if k != "history"} for r in report["pages"]] \
        == expected["pages"]


def test_file_upload_jsonl_with_broken_line(client: TestClient, start_workers: Any) -> None:
    good = posts(6, "f")
    lines = [json.dumps(p, ensure_ascii=False) for p in good]
    lines.insert(3, '{"id": "broken", "text": "незакрытая кавычка}')
    data = ("\n".join(lines) + "\n").encode()
    r = client.post("/v1/batches", files={"file": ("week.jsonl", data, "application/x-ndjson")})
    assert r.status_code == 202, r.text
    assert r.json()["source"] == "week.jsonl"
    start_workers(1, burst=False)
    st = wait_final(client, r.json()["id"])
    assert (st["total"], st["failed_rows"]) == (7, 1)
    rows = results(client, r.json()["id"])
    assert [r.get("id") for r in rows if "error" not in r] == [p["id"] for p in good]
    assert rows[3]["line"] == 4 and rows[3]["error"]["field"] == "json"


@pytest.mark.parametrize(("payload", "status", "field"), [
    (b"", 422, "file"),
    (b"[]", 422, "file"),
])
def test_empty_submissions_are_refused(client: TestClient, payload: bytes, status: int,
                                       field: str) -> None:
    r = client.post("/v1/batches", content=payload, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert r.json()["error"]["field"] in (field, "input")


def busy_worker(conn: Any, pids: set[int]) -> tuple[int, str] | None:
    """Return (pid, job id) of one of `pids` that is in the middle of a job it has started.

    "Started" matters: a job a worker has popped but not yet started sits in RQ's intermediate
    queue, and a worker killed there gets its job back only after RQ's one-minute check of
    that queue — a different path, which made this test fail now and then on a loaded machine.
    """
    for w in Worker.all(connection=conn):
        job_id = w.get_current_job_id()
        if w.pid in pids and w.get_state() == "busy" and job_id:
            if Job.fetch(job_id, connection=conn).get_status() == "started":
                return w.pid, job_id
    return None


def test_worker_killed_mid_batch(client: TestClient, start_workers: Any, redis_conn: Any) -> None:
    sent = posts(64, "k")  # 8 chunks of 8 rows, 40 ms a row: ~0.3 s a chunk
    procs = start_workers(2, row_delay_ms=40)
    bid = client.post("/v1/batches", json=sent).json()["id"]
    victim, job_id = wait_for(lambda: busy_worker(redis_conn, {p.pid for p in procs}))
    next(p for p in procs if p.pid == victim).send_signal(signal.SIGKILL)  # no goodbye

    st = wait_final(client, bid, timeout=90)  # the lease lapses in ~3 s; room for a slow machine
    assert (st["status"], st["done"], st["failed_rows"], st["failed_chunks"]) == (
        "finished", 64, 0, [])
    assert_complete(results(client, bid), sent)  # nothing lost, nothing twice
    # the dead worker's chunk came back through RQ's abandoned-job handling, as a retry
    job = Job.fetch(job_id, connection=redis_conn)
    assert job.get_status() == "finished" and job.retries_left == JOB_RETRIES - 1


def test_redis_restarted_between_chunks(client: TestClient, start_workers: Any,
                                        redis_server: Any) -> None:
    sent = posts(48, "r")  # 6 chunks of 8 rows
    start_workers(1, row_delay_ms=30)
    bid = client.post("/v1/batches", json=sent).json()["id"]
    before = wait_for(lambda: (s := client.get(f"/v1/batches/{bid}").json())["done"] >= 8 and s)
    assert before["status"] == "running"

    redis_server.restart()  # SIGTERM flushes the append-only file; same socket, same data

    after = client.get(f"/v1/batches/{bid}").json()  # the API reconnects by itself
    assert after["total"] == 48 and after["done"] >= before["done"]
    st = wait_final(client, bid)
    assert (st["status"], st["done"], st["failed_rows"]) == ("finished", 48, 0)
    assert_complete(results(client, bid), sent)


def test_second_batch_while_first_runs(client: TestClient, start_workers: Any) -> None:
    first, second = posts(48, "a"), posts(16, "b")
    start_workers(2, row_delay_ms=10)
    a = client.post("/v1/batches", json=first).json()["id"]
    wait_for(lambda: client.get(f"/v1/batches/{a}").json()["status"] == "running")
    b = client.post("/v1/batches", json=second).json()["id"]
    assert a != b
    st_a, st_b = wait_final(client, a), wait_final(client, b)
    assert st_a["status"] == st_b["status"] == "finished"
    assert_complete(results(client, a), first)
    assert_complete(results(client, b), second)
    assert client.get(f"/v1/batches/{b}/report").json()["summary"]["posts"] == 16


def test_chunk_failing_after_retries_is_reported(client: TestClient, redis_conn: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process worker (as rq's own tests do): chunk 2 always breaks; its rows stay."""
    from service.jobs import tasks
    from service.jobs.worker import BatchWorker

    real = tasks.score_rows
    calls = {"n": 0}

    def flaky(scorer: Any, rows: list[list[Any]]) -> Any:
        if rows[0][0] == 9:  # the chunk that starts at line 9
            calls["n"] += 1
            raise RuntimeError("сломался")
        return real(scorer, rows)

    monkeypatch.setattr(tasks, "score_rows", flaky)
    sent = posts(24, "x")
    bid = client.post("/v1/batches", json=sent).json()["id"]
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        BatchWorker(["gospablik"], connection=redis_conn, heartbeat=1).work(burst=True)
    finally:  # the worker installs its own handlers: give pytest its Ctrl+C back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert calls["n"] == JOB_RETRIES + 1  # tried, then retried twice
    st = client.get(f"/v1/batches/{bid}").json()
    assert (st["status"], st["done"], st["failed_rows"]) == ("failed", 24, 8)
    assert st["failed_chunks"] == [{"chunk": 2, "first_line": 9, "rows": 8,
                                    "reason": "внутренняя ошибка (RuntimeError)"}]
    rows = results(client, bid)
    assert [r["line"] for r in rows] == list(range(1, 25))
    assert [r["id"] for r in rows] == [p["id"] for p in sent]  # never dropped
    assert {r["error"]["field"] for r in rows[8:16]} == {"batch"}
    assert all("scores" in r for r in rows[:8] + rows[16:])
    assert client.get(f"/v1/batches/{bid}/report").json()["summary"]["posts"] == 16


def test_serve_starts_embedded_redis_and_workers_and_stops_them(tmp_path: Any,
                                                               redis_server: Any) -> None:
    """The one run command: `gospablik serve` without REDIS_URL brings up everything.

    (`redis_server` only makes the test skip where no Redis server binary exists.)"""
    import os
    import subprocess
    import sys

    import httpx
    import psutil

    from service.jobs.embedded import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "GOSPABLIK_REDIS_URL")}
    env.update(GOSPABLIK_DATA_DIR=str(tmp_path), GOSPABLIK_LOCAL_WORKERS="1",
               GOSPABLIK_JOB_HEARTBEAT="1")
    serve = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    children: list[psutil.Process] = []
    try:
        def ready() -> bool:
            try:
                return httpx.get(f"{base}/readyz", timeout=2).json().get("redis") is True
            except (httpx.HTTPError, ValueError):
                return False

        wait_for(ready, timeout=40, step=0.2)
        children = psutil.Process(serve.pid).children(recursive=True)
        assert any("worker" in " ".join(p.cmdline()) for p in children)
        bid = httpx.post(f"{base}/v1/batches", json=posts(5), timeout=30).json()["id"]

        def done() -> bool:
            st = httpx.get(f"{base}/v1/batches/{bid}", timeout=5).json()
            return st["status"] == "finished"

        wait_for(done, timeout=40, step=0.2)
        assert list((tmp_path / "redis").glob("appendonly*"))  # data kept in the data dir
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(60)
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
