"""Small helpers shared by the tests that run real services: waiting, and realistic posts."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any

TEXTS = [
    "Уважаемые жители! С {d} марта открыта запись в кружки дома культуры. "
    "Звоните по телефону 8-800-100-20-30, приходите с детьми.",
    "В рамках реализации программы благоустройства осуществляется проведение работ "
    "по ремонту дворовой территории по улице Садовой, дом {d}.",
    "Сегодня в школе № {d} прошёл день открытых дверей. Спасибо всем, кто пришёл!",
]


def service_posts(n: int, tag: str, pages: int = 3, page_name: str = "Администрация поселения"
                  ) -> list[dict[str, Any]]:
    """Return `n` realistic posts with ids tag0..tag{n-1} spread over `pages` pages."""
    return [{"id": f"{tag}{i}", "platform": "vk", "text": TEXTS[i % 3].format(d=i % 28 + 1),
             "page": {"id": f"page{i % pages}", "name": f"{page_name} {i % pages}"}}
            for i in range(n)]


def wait_for(cond: Callable[[], Any], timeout: float = 20.0, step: float = 0.05) -> Any:
    """Return the first truthy value of `cond()`; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def wait_final(client: Any, batch_id: str, timeout: float = 40.0) -> dict[str, Any]:
    """Poll a batch's status through a TestClient until finished or failed; return it."""
    st: dict[str, Any] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = client.get(f"/v1/batches/{batch_id}").json()
        if st["status"] in ("finished", "failed"):
            return st
        time.sleep(0.1)
    raise AssertionError(f"batch {batch_id} did not finish: {st}")


def stop_process(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> float:
    """Send `sig`, wait for the exit (killing after a minute); return the seconds it took."""
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return time.monotonic() - t0
