"""The OpenAPI spec tells the truth: schemathesis, every built-in check (`--checks all`), against
the service running under uvicorn with a real Redis. Every operation of the spec is tested."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.api.app import create_app
from service.jobs.embedded import free_port
from service.settings import Settings

EXAMPLES = 12  # per operation and phase: the whole file stays well under a minute


@pytest.fixture(scope="module")
def live_url(redis_server: Any) -> Iterator[str]:
    """The service on a free port (uvicorn in a thread; the lifespan runs once)."""
    app = create_app(Settings(REDIS_URL=redis_server.url, chunk_size=8))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(15)


# The spec as the app builds it (no lifespan needed); the cases are sent to the live service.
schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))  # slow scoring, large bodies: not a bug
def test_every_answer_is_declared(case: Any, live_url: str) -> None:
    # Every check runs on every operation, except one on the four POST routes: a body the schema
    # allows may still be refused with a 4xx for what JSON Schema cannot say — a text that is not
    # Russian or only blanks, a file that is not a posts file (a PNG as `file`). Those refusals
    # are declared (422/413 with the error schema) and checked by the other checks.
    excluded = [positive_data_acceptance] if case.method == "POST" else []
    case.call_and_validate(base_url=live_url, timeout=60, excluded_checks=excluded)


def test_405_names_the_allowed_methods(live_url: str) -> None:
    r = requests.get(f"{live_url}/v1/posts/score", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
    assert r.json()["error"]["field"] == "method"
    r = requests.delete(f"{live_url}/v1/batches/abc", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET"


def test_metrics_is_prometheus_text(live_url: str) -> None:
    r = requests.get(f"{live_url}/metrics", timeout=10)
    assert r.headers["content-type"].startswith("text/plain")
    spec = requests.get(f"{live_url}/openapi.json", timeout=10).json()
    assert list(spec["paths"]["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]


def test_raw_bodies_are_described(live_url: str) -> None:
    spec = requests.get(f"{live_url}/openapi.json", timeout=10).json()
    batch = spec["paths"]["/v1/batches"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data", "text/csv"} <= set(batch)
    form = spec["paths"]["/region/report"]["post"]["requestBody"]["content"]
    assert form["multipart/form-data"]["schema"]["required"] == ["file"]
    comps = spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, answer in op["responses"].items():
                if status.startswith("4"):  # every 4xx answers the one error shape
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    error = comps[ref.rsplit("/", 1)[1]]["properties"]["error"]
                    if "$ref" in error:
                        error = comps[error["$ref"].rsplit("/", 1)[1]]
                    assert {"field", "message"} <= set(error["properties"]), (method, path, status)
