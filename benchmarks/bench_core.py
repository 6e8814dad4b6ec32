"""Core speed: single-draft latency (in-process and over HTTP), one-core batch throughput
against the bare razdel+pymorphy3 floor measured in the same run, and serving RSS.

    python benchmarks/bench_core.py [--shared ../shared/data] [--posts 3000] [--requests 500]
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
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


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


def free_port() -> int:
    """Return a free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process in MB."""
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / 2**20


def http_latency(drafts: list[str], n: int) -> tuple[list[float], float]:
    """Return per-request latencies over HTTP (one keep-alive connection) and server RSS."""
    import http.client

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    code = (
        "import uvicorn; from service.api.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, loop='uvloop', "
        "http='httptools', log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        bodies = [json.dumps({"text": d, "platform": "vk"}).encode() for d in drafts]
        lat: list[float] = []
        for i in range(n + 50):
            body = bodies[i % len(bodies)]
            t0 = time.perf_counter()
            conn.request("POST", "/v1/posts/score", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}")
            if i >= 50:  # warm-up excluded
                lat.append(time.perf_counter() - t0)
        return lat, rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """Run all measurements and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--posts", type=int, default=3000, help="posts for the throughput run")
    ap.add_argument("--requests", type=int, default=500, help="drafts for the latency runs")
    args = ap.parse_args(argv)
    texts = load_posts(args.shared, args.posts)
    drafts = draft_of_1000_chars(load_posts(args.shared, 4000))
    print(f"posts: {len(texts)} (mean {statistics.mean(map(len, texts)):.0f} chars); "
          f"drafts: {len(drafts)} of ~{statistics.mean(map(len, drafts)):.0f} chars")

    from service.scoring import Scorer, settle_gc
    from service.settings import get_settings

    t0 = time.perf_counter()
    scorer = Scorer(text_cache=get_settings().draft_text_cache)  # as the API process has it
    scorer.score({"text": "Прогрев."})
    settle_gc()  # as the API does after start-up
    print(f"scorer ready in {time.perf_counter() - t0:.2f} s")

    lat = []
    for i in range(args.requests + 50):
        t0 = time.perf_counter()
        scorer.score({"text": drafts[i % len(drafts)], "platform": "vk"})
        if i >= 50:
            lat.append(time.perf_counter() - t0)
    print(f"in-process, 1,000-char draft: p50 {pct(lat, .5):.2f} ms, p99 {pct(lat, .99):.2f} ms")

    floor = bare_floor(texts)
    fresh = Scorer()  # same caches warm-up state as a new worker: morph cache is shared per process
    t0 = time.perf_counter()
    errors = 0
    for t in texts:
        r = fresh.score_row({"text": t, "platform": "telegram"})
        errors += "error" in r
    ours = len(texts) / (time.perf_counter() - t0)
    print(f"one core: ours {ours:.0f} posts/s; bare razdel+pymorphy3 floor {floor:.0f} posts/s; "
          f"ratio {ours / floor:.2f} (goal ≥ 0.33); rows with error: {errors}")
    print(f"in-process RSS: {rss_mb(os.getpid()):.0f} MB")

    hl, server_rss = http_latency(drafts, args.requests)
    print(f"HTTP, 1,000-char draft, 1 connection: p50 {pct(hl, .5):.2f} ms, "
          f"p99 {pct(hl, .99):.2f} ms (goal ≤ 10 / ≤ 30)")
    print(f"serving process RSS after the run: {server_rss:.0f} MB (goal ≤ 400)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
