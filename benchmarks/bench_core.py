"""Core speed: full scoring on one core next to ruts' readability statistics on the same real
posts, the draft latency over HTTP next to /healthz of the same server, start-up, and RSS.

    python benchmarks/bench_core.py [--shared ../shared/data] [--posts 2000] [--requests 400]

ruts (Russian Text Statistics) is the yardstick, not a dependency: it is installed into the
benchmark's own environment (`--ruts-venv`, created with pip on the first run). Both sides run
in a fresh process pinned to the same core, without their start-up, over the same posts; the
figure of each is posts per second of wall time, with CPU time beside it (on a busy machine the
CPU figure is the steadier one). Drafts are distinct texts: a repeated text would hit the cache.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gospablik-bench"

# Run inside the ruts environment: its readability statistics of every post (no start-up).
RUTS_CODE = """
import json, sys, time
from ruts import ReadabilityStats
texts = json.load(open(sys.argv[1], encoding="utf-8"))
ReadabilityStats("Прогрев: текст для первого разбора.").get_stats()
errors = 0
w0, c0 = time.perf_counter(), time.process_time()
for t in texts:
    try:
        ReadabilityStats(t).get_stats()
    except Exception:
        errors += 1
print(json.dumps({"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
                  "errors": errors}))
"""

# Run with the project's interpreter: full scoring as `gospablik score -j 1` does it.
OURS_CODE = """
import json, sys, time
from service.jobs.tasks import preload
texts = json.load(open(sys.argv[1], encoding="utf-8"))
scorer = preload()
rows = [{"text": t, "platform": "telegram"} for t in texts]
errors = 0
w0, c0 = time.perf_counter(), time.process_time()
for i in range(0, len(rows), 500):
    errors += sum("error" in r for r in scorer.score_chunk(rows[i:i + 500]))
print(json.dumps({"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
                  "errors": errors}))
"""


def load_posts(shared: Path, n: int) -> list[str]:
    """Return up to n texts of real Telegram posts (evenly spread over the corpus)."""
    csv.field_size_limit(10**7)
    with open(shared / "corpora" / "tg_news_posts.csv", encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["text"].strip()]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def draft_of_1000_chars(texts: list[str]) -> list[str]:
    """Return drafts of about 1,000 characters made of whole real posts."""
    drafts, cur = [], ""
    for t in texts:
        cur = f"{cur}\n\n{t}" if cur else t
        if len(cur) >= 1000:
            drafts.append(cur[:1100])
            cur = ""
    return drafts


def pct(xs: list[float], q: float) -> float:
    """Return the q-quantile of xs in milliseconds."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def bare_floor(texts: list[str]) -> float:
    """Return posts/s of the bare pass: razdel sentenize+tokenize and pymorphy3 parse, no cache."""
    import pymorphy3
    from razdel import sentenize, tokenize

    morph = pymorphy3.MorphAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        for s in sentenize(t):
            for tok in tokenize(s.text):
                if tok.text.isalpha():
                    morph.parse(tok.text.lower())
    return len(texts) / (time.perf_counter() - t0)


def ruts_python(venv: Path) -> Path:
    """Return the interpreter of the benchmark's ruts environment, created on first use."""
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"ставлю ruts в {venv} (один раз)…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import ruts"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "ruts"], check=True)
    return python


def one_core_run(python: Path | str, code: str, texts_file: Path, cpu: int) -> dict[str, float]:
    """Run `code` in a fresh process pinned to `cpu` (one BLAS thread); return its figures."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=str(REPO))
    out = subprocess.run([str(python), "-c", code, str(texts_file)], env=env, cwd=REPO,
                         capture_output=True, text=True, check=True,
                         preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def free_port() -> int:
    """Return a free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process in MB."""
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / 2**20


def http_latency(drafts: list[str], n: int) -> tuple[list[float], list[float], float, float]:
    """Return draft and /healthz latencies over HTTP (one keep-alive connection, taken in
    turns), the seconds until /readyz answered, and the server's RSS."""
    import http.client

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    code = (
        "import uvicorn; from service.api.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, loop='uvloop', "
        "http='httptools', log_level='warning')"
    )
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        ready = time.perf_counter() - t0
        conn = http.client.HTTPConnection("127.0.0.1", port)
        bodies = [json.dumps({"text": d, "platform": "vk"}).encode() for d in drafts]
        warm = 30
        if len(bodies) < n + warm:
            raise SystemExit(f"мало разных черновиков: {len(bodies)} < {n + warm}")
        lat: list[float] = []
        health: list[float] = []
        for i in range(n + warm):  # each draft once: a repeated text would hit the cache
            t1 = time.perf_counter()
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            t2 = time.perf_counter()
            conn.request("POST", "/v1/posts/score", bodies[i],
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            t3 = time.perf_counter()
            if resp.status != 200 or r.status != 200:
                raise RuntimeError(f"HTTP {resp.status} / {r.status}")
            if i >= warm:
                health.append(t2 - t1)
                lat.append(t3 - t2)
        return lat, health, ready, rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """Run all measurements and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--posts", type=int, default=2000, help="posts for the throughput run")
    ap.add_argument("--requests", type=int, default=400, help="distinct drafts over HTTP")
    ap.add_argument("--ruts-venv", type=Path, default=CACHE / "ruts-venv")
    ap.add_argument("--cpu", type=int, default=None, help="core to pin both runs to")
    ap.add_argument("--skip-http", action="store_true")
    args = ap.parse_args(argv)
    texts = load_posts(args.shared, args.posts)
    drafts = draft_of_1000_chars(load_posts(args.shared, 6000))
    print(f"posts: {len(texts)} (median {statistics.median(map(len, texts)):.0f} chars); "
          f"drafts: {len(drafts)} distinct of ~{statistics.mean(map(len, drafts)):.0f} chars")

    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="gsp-core-") as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        ruts = one_core_run(ruts_python(args.ruts_venv), RUTS_CODE, texts_file, cpu)
        ours = one_core_run(sys.executable, OURS_CODE, texts_file, cpu)
    n = len(texts)
    print(f"one core (cpu {cpu}), {n} real posts: full scoring {n / ours['wall']:.0f} posts/s "
          f"({n / ours['cpu']:.0f} per CPU second); ruts readability statistics alone "
          f"{n / ruts['wall']:.0f} posts/s ({n / ruts['cpu']:.0f} per CPU second); "
          f"ours / ruts {ruts['wall'] / ours['wall']:.2f} (CPU {ruts['cpu'] / ours['cpu']:.2f}; "
          f"goal ≥ 1); rows with error: ours {ours['errors']:.0f}, ruts {ruts['errors']:.0f}")

    from service.scoring import Scorer, settle_gc
    from service.settings import get_settings

    t0 = time.perf_counter()
    scorer = Scorer(text_cache=get_settings().draft_text_cache)  # as the API process has it
    scorer.score({"text": "Прогрев."})
    settle_gc()  # as the API does after start-up
    print(f"scorer ready in {time.perf_counter() - t0:.2f} s (in this process)")
    lat = []
    for d in drafts[: args.requests]:
        t0 = time.perf_counter()
        scorer.score({"text": d, "platform": "vk"})
        lat.append(time.perf_counter() - t0)
    print(f"in-process, distinct 1,000-char drafts: p50 {pct(lat, .5):.2f} ms, "
          f"p99 {pct(lat, .99):.2f} ms; RSS {rss_mb(os.getpid()):.0f} MB")
    if args.skip_http:
        return 0
    hl, health, ready, server_rss = http_latency(drafts, min(args.requests, len(drafts) - 30))
    print(f"HTTP, one connection, {len(hl)} distinct 1,000-char drafts: p50 {pct(hl, .5):.2f} ms, "
          f"p99 {pct(hl, .99):.2f} ms; /healthz of the same server p50 {pct(health, .5):.2f} ms; "
          f"draft / healthz {pct(hl, .5) / pct(health, .5):.1f}× (goal ≤ 5)")
    print(f"server ready (/readyz) {ready:.1f} s after start; its RSS after the run "
          f"{server_rss:.0f} MB (goal ≤ 400)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
