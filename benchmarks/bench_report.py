"""Time the region report of a generated region: reading, scoring, report, HTML, CSV and XLSX.

    python benchmarks/bench_report.py [--pages 1700] [--posts 30000] [-j 2] [--out DIR]

Generates the region (benchmarks/make_region.py) unless --posts-file/--pages-file are given,
scores it once with `-j` processes and renders the three formats from the one scored set, the
way `gospablik report` does per format. Target: all of it ≤ 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _cpu() -> float:
    """Return CPU seconds used by this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1700)
    ap.add_argument("--posts", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", default="/tmp/gospablik_bench_report")
    ap.add_argument("--posts-file", default=None)
    ap.add_argument("--pages-file", default=None)
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    figures: list[tuple[str, float, float, str]] = []
    mark = [time.perf_counter(), _cpu()]

    def lap(name: str, note: str = "") -> None:
        now, cpu = time.perf_counter(), _cpu()
        figures.append((name, now - mark[0], cpu - mark[1], note))
        mark[:] = [time.perf_counter(), _cpu()]


    if args.posts_file:
        posts_path, pages_path = Path(args.posts_file), Path(args.pages_file or "")
    else:
        from make_region import generate

        posts_path, pages_path, _ = generate(Path(args.shared), out, args.pages, args.posts,
                                             args.seed)
        lap("generate region", str(posts_path))

    from service.readers import read_pages, read_posts
    from service.report.build import region_report
    from service.report.cli import render
    from service.report.collect import add_engagement, collect_rows

    mark[:] = [time.perf_counter(), _cpu()]
    t0, c0 = mark
    pages = read_pages(pages_path) if pages_path.name else None
    rows = list(read_posts(posts_path, None, pages))
    lap("read posts + pages", f"{len(rows)} rows")
    t = time.perf_counter()
    scored = collect_rows(rows, args.jobs)
    lap("score (incl. batch engagement)",
        f"{args.jobs} processes, {len(rows) / (time.perf_counter() - t):.0f} posts/s")
    add_engagement(scored)
    lap("  batch engagement alone (again)", "included in the line above")
    report = region_report(scored, pages)
    lap("region report (all pages)",
        f"{report['summary']['pages']} pages, {report['summary']['weak_pages']} need help")
    for fmt in ("html", "csv", "xlsx"):
        data = render(report, fmt, scored)
        (out / f"report.{fmt}").write_bytes(data)
        lap(f"render {fmt}", f"{len(data) / 1e6:.1f} MB")
    total, cpu = time.perf_counter() - t0, _cpu() - c0
    again = next(f for f in figures if f[0].startswith("  batch"))
    total, cpu = total - again[1], cpu - again[2]

    width = max(len(f[0]) for f in figures)
    print(f"{'step':<{width}}  {'wall':>8}  {'cpu':>8}")
    for name, secs, cpu_s, note in figures:
        print(f"{name:<{width}}  {secs:7.2f}s  {cpu_s:7.2f}s  {note}")
    print(f"{'TOTAL read→score→3 reports':<{width}}  {total:7.2f}s  {cpu:7.2f}s  "
          "(target ≤ 60 s wall on 2 cores)")
    print(f"cpu/2 cores ≈ {cpu / 2:.1f} s: the wall time on an idle 2-core machine is "
          "about this plus the serial steps' share")
    print(f"load average: {os.getloadavg()[0]:.1f}; reports in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
