"""A tiny Prometheus exposition of request counts and latencies (no extra dependency)."""

from __future__ import annotations

import threading
from collections import defaultdict

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    """Counters and latency histograms per route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.hist: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self.sums: dict[str, float] = defaultdict(float)
        self.extra: dict[str, float] = {}
        self.by_token: dict[tuple[str, int], int] = defaultdict(int)  # (token name, status)

    def observe(self, path: str, status: int, seconds: float) -> None:
        """Record one request."""
        if path.startswith("/v1/batches/"):
            path = "/v1/batches/{id}" + ("/results" if path.endswith("/results") else "")
        with self._lock:
            self.requests[(path, status)] += 1
            h = self.hist[path]
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    h[i] += 1
                    break
            else:
                h[-1] += 1
            self.sums[path] += seconds

    def observe_token(self, name: str, status: int) -> None:
        """Record one request sent with the token called `name` (never the token itself)."""
        with self._lock:
            self.by_token[(name, status)] += 1

    def render(self) -> str:
        """Return the Prometheus text format."""
        lines = ["# TYPE gospablik_requests_total counter"]
        with self._lock:
            for (path, status), n in sorted(self.requests.items()):
                lines.append(f'gospablik_requests_total{{path="{path}",status="{status}"}} {n}')
            lines.append("# TYPE gospablik_request_seconds histogram")
            for path, h in sorted(self.hist.items()):
                acc = 0
                for b, n in zip(BUCKETS, h, strict=False):
                    acc += n
                    lines.append(f'gospablik_request_seconds_bucket{{path="{path}",le="{b}"}} {acc}')
                acc += h[-1]
                lines.append(f'gospablik_request_seconds_bucket{{path="{path}",le="+Inf"}} {acc}')
                lines.append(f'gospablik_request_seconds_sum{{path="{path}"}} {self.sums[path]:.6f}')
                lines.append(f'gospablik_request_seconds_count{{path="{path}"}} {acc}')
            if self.by_token:
                lines.append("# TYPE gospablik_requests_by_token_total counter")
            for (name, status), n in sorted(self.by_token.items()):
                lines.append(
                    f'gospablik_requests_by_token_total{{token="{name}",status="{status}"}} {n}')
            for k, v in sorted(self.extra.items()):
                lines.append(f"{k} {v}")
        return "\n".join(lines) + "\n"


METRICS = Metrics()
