"""A region's week (30,000 posts) through the HTTP API: `gospablik serve` with embedded Redis and
N local workers. Prints end-to-end time, posts/s, jobs/s, worker memory (RSS), 1 → 2 scaling,
and the same week with history writing off (`--history off,on`, the default) beside it.

    python benchmarks/bench_batch.py [--posts 30000] [--workers 1,2] [--chunk-sizes 500]

The region comes from benchmarks/make_region.py (gosposts + Telegram news texts, CC BY 4.0).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import redis
from rq import Worker

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from service.jobs.embedded import free_port  # noqa: E402
from service.jobs.store import as_str  # noqa: E402


def make_region(out: Path, n_posts: int, shared: Path) -> tuple[Path, Path]:
    """Return (posts.jsonl, pages.csv) of a generated region."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import make_region as mr

    posts, pages, _ = mr.generate(shared, out, n_posts=n_posts)
    return posts, pages


def start_serve(data_dir: Path, port: int, workers: int, chunk_size: int,
                history: bool = True, repo: Path = REPO) -> subprocess.Popen:
    """Start `gospablik serve` without REDIS_URL (embedded Redis + local workers); `history`:
    whether finished batches are recorded in the history (SQLite in `data_dir`)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "GOSPABLIK_REDIS_URL", "GOSPABLIK_DATABASE_URL")}
    env.update(GOSPABLIK_DATA_DIR=str(data_dir), GOSPABLIK_LOCAL_WORKERS=str(workers),
               GOSPABLIK_CHUNK_SIZE=str(chunk_size), PYTHONPATH=str(repo),
               GOSPABLIK_HISTORY="1" if history else "0")
    return subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
                            cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def wait_ready(base: str, data_dir: Path, workers: int, timeout: float = 60) -> redis.Redis:
    """Wait for /readyz and for `workers` registered RQ workers; return a Redis client."""
    deadline = time.monotonic() + timeout
    conn = redis.Redis(unix_socket_path=str(data_dir / "redis" / "redis.sock"))
    while time.monotonic() < deadline:
        try:
            if (httpx.get(f"{base}/readyz", timeout=2).status_code == 200
                    and Worker.count(connection=conn) >= workers):
                return conn
        except (httpx.HTTPError, redis.RedisError):
            pass
        time.sleep(0.2)
    raise SystemExit("сервис не поднялся за минуту")


def worker_rss(serve: subprocess.Popen) -> list[int]:
    """Return the RSS (bytes) of each worker process started by `serve`."""
    out = []
    for child in psutil.Process(serve.pid).children(recursive=True):
        try:
            if "worker" in child.cmdline():
                out.append(child.memory_info().rss)
        except psutil.Error:
            continue
    return out


def run_once(posts: Path, pages: Path, workers: int, chunk_size: int,
             history: bool = True, repo: Path = REPO) -> dict[str, Any]:
    """Submit the region to a fresh service (the code of `repo`); return the figures."""
    with tempfile.TemporaryDirectory(prefix="gsp-bench-") as tmp:
        port, data_dir = free_port(), Path(tmp)
        serve = start_serve(data_dir, port, workers, chunk_size, history, repo)
        base = f"http://127.0.0.1:{port}"
        try:
            conn = wait_ready(base, data_dir, workers)
            peak: list[int] = []
            with httpx.Client(base_url=base, timeout=300) as http:
                t0 = time.perf_counter()
                with posts.open("rb") as f, pages.open("rb") as g:
                    r = http.post("/v1/batches", files={"file": ("posts.jsonl", f),
                                                        "pages": ("pages.csv", g)})
                r.raise_for_status()
                bid = r.json()["id"]
                t_submit = time.perf_counter()
                while True:
                    st = http.get(f"/v1/batches/{bid}").json()
                    rss = worker_rss(serve)
                    peak = [max(a, b) for a, b in zip(peak, rss, strict=False)] or rss
                    if st["status"] in ("finished", "failed"):
                        break
                    time.sleep(0.2)
                t_done = time.perf_counter()
                # streamed, as an analyst's client (or curl) reads it; `get` would first
                # gather the whole ~170 MB in memory, which costs the client about 3 s more
                with http.stream("GET", f"/v1/batches/{bid}/results") as resp:
                    n_lines = sum(1 for line in resp.iter_lines() if line)
                t_results = time.perf_counter()
                report = http.get(f"/v1/batches/{bid}/report").json()
            report_s = as_str(conn.hget(f"gsp:batch:{bid}", "report_seconds")) or "?"
            busy = job_busy(conn, bid, st["chunks"])
            redis_mb = conn.info("memory")["used_memory"] / 2**20
            conn.close()
        finally:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
    processing = st["finished_at"] - st["started_at"]
    return {
        "workers": workers, "chunk_size": chunk_size, "posts": st["total"],
        "status": st["status"], "lines": n_lines, "chunks": st["chunks"],
        "failed_rows": st["failed_rows"], "report_pages": report["summary"]["pages"],
        "submit_s": t_submit - t0, "processing_s": processing, "done_s": t_done - t0,
        "end_to_end_s": t_results - t0, "report_s": report_s, "redis_mb": redis_mb,
        "posts_per_s": st["total"] / (t_done - t0),
        "worker_posts_per_s": st["total"] / processing,
        "jobs_per_s": (st["chunks"] + 1) / processing,
        "rss_mb": [round(b / 2**20) for b in peak],
        "busy": busy,
        "history": st.get("history"),  # what the report job recorded (None when off)
    }


def job_busy(conn: redis.Redis, bid: str, n_chunks: int) -> dict[str, Any]:
    """Return how the workers spent the batch: chunk seconds per worker, first start, last end."""
    from datetime import datetime

    per_worker: dict[str, float] = {}
    starts, ends = [], []
    for job_id in [f"gsp-{bid}-{k}" for k in range(n_chunks)] + [f"gsp-{bid}-report"]:
        raw = conn.hmget(f"rq:job:{job_id}", ["started_at", "ended_at", "worker_name"])
        if raw[0] is None or raw[1] is None:
            continue
        t0, t1 = (datetime.fromisoformat(str(as_str(v)).replace("Z", "+00:00")).timestamp()
                  for v in raw[:2])
        name = as_str(raw[2]) or "?"
        per_worker[name] = per_worker.get(name, 0.0) + (t1 - t0)
        starts.append(t0)
        ends.append(t1)
    span = (max(ends) - min(starts)) if starts else 0.0
    return {"span_s": span, "job_seconds": sorted(per_worker.values(), reverse=True)}


def raw_rate(posts: Path, n: int = 1500) -> float:
    """Return posts/s of the scorer in this process on one core (the ceiling per worker)."""
    import json

    from service.jobs.tasks import preload, score_rows

    with posts.open(encoding="utf-8") as f:
        rows = [[i + 1, json.loads(line), None] for i, line in zip(range(n), f, strict=False)]
    scorer = preload()
    score_rows(scorer, rows[:100])  # warm caches as a worker's first chunk does
    t0 = time.perf_counter()
    score_rows(scorer, rows)
    return len(rows) / (time.perf_counter() - t0)


def machine_floor(posts: Path, n: int = 1500) -> tuple[float, float]:
    """Return the bare razdel+pymorphy3 pass (benchmarks/bench_core.py) in posts/s: one process,
    and two processes at once (in total). The second shows what two cores really give here."""
    import json
    import multiprocessing as mp

    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_core import bare_floor

    with posts.open(encoding="utf-8") as f:
        texts = list(dict.fromkeys(json.loads(line)["text"] for line in f))[:n]
    one = bare_floor(texts)
    with mp.get_context("fork").Pool(2) as pool:
        t0 = time.perf_counter()
        pool.map(bare_floor, [texts, texts])
        two = 2 * len(texts) / (time.perf_counter() - t0)
    return one, two


def job_overhead(n_jobs: int = 300) -> dict[str, float]:
    """Return trivial jobs per second of one worker: our non-forking BatchWorker vs rq's Worker."""
    from rq import Queue
    from rq import Worker as ForkingWorker

    from service.jobs.embedded import EmbeddedRedis
    from service.jobs.worker import BatchWorker

    out = {}
    with tempfile.TemporaryDirectory(prefix="gsp-jobs-") as tmp, EmbeddedRedis(tmp) as server:
        conn = redis.Redis.from_url(server.url)
        for name, cls in (("BatchWorker", BatchWorker), ("rq Worker (fork)", ForkingWorker)):
            conn.flushall()
            q = Queue("gospablik", connection=conn)
            n = n_jobs if cls is BatchWorker else n_jobs // 4
            for _ in range(n):
                q.enqueue("time.time")
            t0 = time.perf_counter()
            cls(["gospablik"], connection=conn).work(burst=True, logging_level="ERROR")
            out[name] = n / (time.perf_counter() - t0)
        conn.close()
    return out


def compare_before(posts: Path, pages: Path, rows: list[dict[str, Any]], before: Path) -> None:
    """Run each configuration again with the code of `before`; print both times and RSS."""
    for now in list(rows):
        old = run_once(posts, pages, now["workers"], now["chunk_size"], repo=before)
        print(f"before → now, workers={now['workers']} chunk={now['chunk_size']}: region week "
              f"finished after {old['done_s']:.1f} s → {now['done_s']:.1f} s "
              f"(×{old['done_s'] / now['done_s']:.2f} faster; goal ≥ ×2), in the workers "
              f"{old['worker_posts_per_s']:.0f} → {now['worker_posts_per_s']:.0f} posts/s; "
              f"worker RSS MB {old['rss_mb']} → {now['rss_mb']} (goal ≤ 600); code of "
              f"{before}", flush=True)


def compare_history(posts: Path, pages: Path, rows: list[dict[str, Any]], modes: str) -> None:
    """Run the largest configuration again with history writing off; print both times.

    The runs above record the history; the write itself is timed inside the report job too
    (`history.seconds` of the batch status), which a busy machine disturbs less.
    """
    if "off" not in modes.split(",") or not rows:
        return
    on = max(rows, key=lambda r: (r["workers"], r["chunk_size"]))
    off = run_once(posts, pages, on["workers"], on["chunk_size"], history=False)
    off["history_on"] = False
    rows.append(off)
    told = on.get("history") or {}
    write_s = told.get("seconds")
    write = "?" if write_s is None else f"{write_s:.2f} s = {write_s / on['done_s']:.1%} of the week"
    print(f"history writing, workers={on['workers']} chunk={on['chunk_size']}: region week "
          f"finished after {off['done_s']:.1f} s without → {on['done_s']:.1f} s with "
          f"({on['done_s'] / off['done_s'] - 1:+.1%}); the write itself {write} "
          f"({told.get('rows', '?')} page-weeks of {told.get('pages', '?')} pages, weeks "
          f"{', '.join(told.get('weeks') or []) or '?'}; recorded: "
          f"{told.get('recorded', 'no status')})", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per configuration; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=30000)
    ap.add_argument("--workers", default="1,2", help="worker counts to compare, e.g. 1,2")
    ap.add_argument("--chunk-sizes", default="500", help="rows per job to compare, e.g. 100,500")
    ap.add_argument("--job-overhead", action="store_true",
                    help="also measure trivial jobs/s (what a job costs besides its posts)")
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--before", type=Path, default=None,
                    help="a checkout of the previous commit (git worktree add /tmp/before "
                         "HEAD~1): its figure is printed beside today's, same run")
    ap.add_argument("--history", default="off,on",
                    help="history writing to compare at the largest worker count: off,on; on")
    args = ap.parse_args(argv)
    if not (Path(args.shared) / "gosposts" / "train.jsonl").exists():
        print(f"нет данных в {args.shared}: укажите --shared", file=sys.stderr)
        return 2
    if args.job_overhead:
        for name, rate in job_overhead().items():
            print(f"trivial jobs, 1 worker, {name}: {rate:.0f} jobs/s")
    with tempfile.TemporaryDirectory(prefix="gsp-region-") as tmp:
        posts, pages = make_region(Path(tmp), args.posts, Path(args.shared))
        print(f"region: {posts.stat().st_size / 2**20:.1f} MB of JSON Lines, {args.posts} posts")
        one, two = machine_floor(posts)
        print(f"this machine now: bare razdel+pymorphy3 pass {one:.0f} posts/s in one process, "
              f"{two:.0f} posts/s in two at once (×{two / one:.2f} from the second core)")
        raw = raw_rate(posts)
        print(f"the scorer alone, one process: {raw:.0f} posts/s (the ceiling of one worker)")
        rows = []
        for cs in (int(x) for x in args.chunk_sizes.split(",")):
            for n in (int(x) for x in args.workers.split(",")):
                res = run_once(posts, pages, n, cs)
                rows.append(res)
                print(f"workers={n} chunk={cs}: {res['status']}, {res['lines']} lines, "
                      f"{res['chunks']} chunks; submit {res['submit_s']:.1f} s, "
                      f"processing {res['processing_s']:.1f} s (report {res['report_s']} s), finished after "
                      f"{res['done_s']:.1f} s, with results downloaded {res['end_to_end_s']:.1f} s"
                      f" | {res['posts_per_s']:.0f} posts/s end to end, "
                      f"{res['worker_posts_per_s']:.0f} posts/s in workers, "
                      f"{res['jobs_per_s']:.1f} jobs/s ({res['worker_posts_per_s'] / (n * raw):.0%}"
                      f" of {n} × the scorer alone) | worker RSS MB {res['rss_mb']}, "
                      f"Redis {res['redis_mb']:.0f} MB | jobs ran {res['busy']['span_s']:.1f} s "
                      f"from the first start to the report's end; seconds in jobs per worker "
                      f"{[round(x, 1) for x in res['busy']['job_seconds']]}",
                      flush=True)
        if args.before is not None:
            compare_before(posts, pages, rows, args.before.resolve())
        compare_history(posts, pages, rows, args.history)
        by_n = {r["workers"]: r for r in rows if r.get("history_on", True)}
        if 1 in by_n and 2 in by_n:
            gain = by_n[2]["worker_posts_per_s"] / by_n[1]["worker_posts_per_s"]
            print(f"scaling 1 → 2 workers: ×{gain:.2f} in the workers, "
                  f"{by_n[1]['done_s']:.1f} s → {by_n[2]['done_s']:.1f} s end to end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
