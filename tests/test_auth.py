"""Access by tokens: 401 without a good token, drafts open or closed, batches readable only by
their token or an admin, queued-posts and draft-rate limits (429), no token in any log, and the
start-up warning for an exposed address without tokens."""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.auth import announce, exposure_warning
from service.api.limits import RateLimiter
from service.scoring import Scorer
from service.settings import Settings

ALICE, BOB, BOSS = ("alice-Zk3v9QxT2mWp7Lr4", "bob-Hn8cY1uE5sKd0Vb6", "boss-Qw2Er4Ty6Ui8Op0As")
WRONG = "mallory-Aa1Bb2Cc3Dd4Ee5Ff"
TOKENS = f"alice={ALICE}, bob={BOB}"
SECRETS = (ALICE, BOB, BOSS, WRONG)
DRAFT = {"text": "Уважаемые жители! С 1 марта открыта запись в кружки дома культуры. "
                 "Звоните по телефону 8-800-100-20-30.", "platform": "vk"}
PAGE = {"page": {"id": "club1", "name": "МФЦ Заречинска", "type": "mfc"},
        "posts": [DRAFT, {**DRAFT, "text": "Сегодня в школе № 5 прошёл день открытых дверей."}]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def posts(n: int, tag: str) -> list[dict[str, Any]]:
    """Return `n` realistic posts with ids tag0..; a tag makes the content (and the id) new."""
    return [{"id": f"{tag}{i}", "platform": "vk", "page": {"id": f"club{i % 3}"},
             "text": f"В рамках реализации программы благоустройства осуществляется ремонт "
                     f"двора на улице Садовой, дом {i + 1}. Вопросы: 8-800-100-20-30."}
            for i in range(n)]


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


@pytest.fixture()
def make(scorer: Scorer, redis_conn: Any, redis_server: Any):
    """Return a factory of test clients on the test Redis with tokens (or other settings)."""
    clients: list[TestClient] = []

    def make(**kw: Any) -> TestClient:
        kw.setdefault("api_tokens", TOKENS)
        kw.setdefault("admin_tokens", f"boss={BOSS}")
        settings = Settings(REDIS_URL=redis_server.url, chunk_size=8, **kw)
        client = TestClient(create_app(settings, scorer)).__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


GUARDED = [("GET", "/v1/batches/abc123"), ("GET", "/v1/batches/abc123/results"),
           ("GET", "/v1/batches/abc123/report"), ("POST", "/v1/batches"),
           ("POST", "/v1/pages/report"), ("POST", "/region/report"), ("GET", "/v1/no-such-path")]


def assert_401(r: Any, invalid: bool) -> None:
    assert r.status_code == 401, r.text
    err = r.json()["error"]
    assert err["field"] == "Authorization" and "токен" in err["message"]
    challenge = r.headers["www-authenticate"]
    assert challenge.startswith("Bearer ") and ('error="invalid_token"' in challenge) == invalid
    assert not any(s in r.text for s in SECRETS)


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_guarded_routes_need_a_good_token(make, method: str, path: str) -> None:
    client = make()
    assert_401(client.request(method, path), invalid=False)
    assert_401(client.request(method, path, headers=bearer(WRONG)), invalid=True)
    assert_401(client.request(method, path, headers={"Authorization": f"Basic {ALICE}"}), True)
    assert_401(client.request(method, path, headers=bearer(ALICE[:-1])), invalid=True)
    # the right token passes the gate: whatever the route answers, it is not a 401
    assert client.request(method, path, headers=bearer(ALICE)).status_code != 401


def test_right_token_gets_the_answer(make) -> None:
    client = make()
    r = client.post("/v1/pages/report", json=PAGE, headers=bearer(BOB))
    assert r.status_code == 200, r.text
    assert r.json()["posts"] == 2
    r = client.post("/v1/pages/report", json=PAGE, headers={"authorization": f"bearer  {BOSS} "})
    assert r.status_code == 200, r.text  # the scheme is case-insensitive, spaces trimmed


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/", "/region", "/auth.js",
                                  "/openapi.json", "/docs"])
def test_service_and_page_routes_stay_open(make, path: str) -> None:
    client = make()
    assert client.get(path).status_code == 200
    assert client.get(path, headers=bearer(WRONG)).status_code == 200  # not looked at


def test_drafts_open_by_default_closed_on_request(make) -> None:
    client = make()
    assert client.post("/v1/posts/score", json=DRAFT).status_code == 200
    assert client.post("/v1/posts/score", json=DRAFT, headers=bearer(ALICE)).status_code == 200
    # a token sent with an open draft is still checked: a stale one is told, not ignored
    assert_401(client.post("/v1/posts/score", json=DRAFT, headers=bearer(WRONG)), invalid=True)

    closed = make(open_drafts=False)
    assert_401(closed.post("/v1/posts/score", json=DRAFT), invalid=False)
    assert closed.post("/v1/posts/score", json=DRAFT, headers=bearer(BOB)).status_code == 200
    assert closed.get("/").status_code == 200  # the page loads; its calls need the token


def test_open_drafts_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("GOSPABLIK_API_TOKENS", TOKENS)
    monkeypatch.setenv("GOSPABLIK_OPEN_DRAFTS", "0")
    settings = Settings()
    assert settings.open_drafts is False
    assert [n for n, _, _ in settings.tokens()] == ["alice", "bob"]


def test_a_batch_is_read_by_its_token_or_an_admin(make, start_workers) -> None:
    client = make()
    sent = posts(12, "own")
    r = client.post("/v1/batches", json=sent, headers=bearer(ALICE))
    assert r.status_code == 202, r.text
    batch_id = r.json()["id"]
    start_workers(1, burst=True)
    deadline = time.monotonic() + 60
    while client.get(f"/v1/batches/{batch_id}", headers=bearer(ALICE)).json()["status"] \
            != "finished":
        assert time.monotonic() < deadline, "the batch did not finish"
        time.sleep(0.2)

    unknown = client.get("/v1/batches/ffff0000ffff0000ffff", headers=bearer(BOB))
    assert unknown.status_code == 404
    for tail in ("", "/results", "/report"):
        url = f"/v1/batches/{batch_id}{tail}"
        for token in (ALICE, BOSS):
            assert client.get(url, headers=bearer(token)).status_code == 200, (url, token)
        other = client.get(url, headers=bearer(BOB))
        # 404 exactly as for a batch that does not exist: nothing tells the batch is there
        assert other.status_code == 404, other.text
        assert other.json()["error"]["message"] == unknown.json()["error"]["message"].replace(
            "ffff0000ffff0000ffff", batch_id)
    lines = client.get(f"/v1/batches/{batch_id}/results", headers=bearer(BOSS)).text.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [p["id"] for p in sent]

    # the same file from another token is another batch, not a door into Alice's
    again = client.post("/v1/batches", json=sent, headers=bearer(BOB)).json()
    assert again["id"] != batch_id and again["duplicate"] is False
    same = client.post("/v1/batches", json=sent, headers=bearer(ALICE)).json()
    assert same["id"] == batch_id and same["duplicate"] is True


def test_queued_posts_limit_per_token_is_shared_by_api_processes(make, redis_conn) -> None:
    api1, api2 = make(max_queued_posts_per_token=30), make(max_queued_posts_per_token=30)
    first = api1.post("/v1/batches", json=posts(20, "a"), headers=bearer(ALICE))
    assert first.status_code == 202, first.text
    # no workers: the 20 posts stay queued; the other process sees them through Redis
    r = api2.post("/v1/batches", json=posts(20, "b"), headers=bearer(ALICE))
    assert r.status_code == 429, r.text
    assert int(r.headers["retry-after"]) >= 1
    err = r.json()["error"]
    assert err["field"] == "queue" and "20" in err["message"] and "30" in err["message"]
    metas = [k for k in redis_conn.scan_iter("gsp:batch:*") if k.count(b":") == 2]
    assert len(metas) == 1  # the refused batch is gone
    # a resend of the queued batch is no new work; another token has its own queue
    assert api2.post("/v1/batches", json=posts(20, "a"), headers=bearer(ALICE)).status_code == 202
    assert api2.post("/v1/batches", json=posts(20, "b"), headers=bearer(BOB)).status_code == 202
    # up to the limit exactly, then refused before the upload is even read
    assert api1.post("/v1/batches", json=posts(10, "c"), headers=bearer(ALICE)).status_code == 202
    r = api1.post("/v1/batches", json=posts(1, "d"), headers=bearer(ALICE))
    assert r.status_code == 429 and "30" in r.json()["error"]["message"]


def test_draft_rate_limit_per_client(make) -> None:
    client = make(drafts_per_second=0.5, drafts_burst=3)
    codes = [client.post("/v1/posts/score", json=DRAFT).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.post("/v1/posts/score", json=DRAFT)
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 2
    assert r.json()["error"]["field"] == "rate"
    # a token has its own bucket; the anonymous clients share their address's
    assert client.post("/v1/posts/score", json=DRAFT, headers=bearer(BOB)).status_code == 200


def test_rate_limiter_refills_and_forgets_idle_clients() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(0.5)]
    now[0] += 0.5
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0
    assert limiter.take("b") == 0.0  # another client, another bucket
    assert RateLimiter(rate=0, burst=1).take("a") == 0.0  # 0 turns the limit off


def test_no_token_in_logs_answers_or_metrics(make, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)
    client = make(open_drafts=False)
    for token in SECRETS:
        client.post("/v1/posts/score", json=DRAFT, headers=bearer(token))
        client.get("/v1/batches/abc123", headers=bearer(token))
    client.post("/v1/pages/report", json=PAGE, headers={"Authorization": f"Basic {WRONG}"})
    metrics = client.get("/metrics").text
    assert 'gospablik_requests_by_token_total{token="alice",status="200"}' in metrics
    assert 'gospablik_requests_by_token_total{token="boss",status="404"}' in metrics
    spec = client.get("/openapi.json").text
    announce("0.0.0.0", Settings(api_tokens=TOKENS, admin_tokens=f"boss={BOSS}"))
    out, err = capfd.readouterr()
    assert "alice, bob, boss (читает все пакеты)" in err
    everything = "\n".join([caplog.text, out, err, metrics, spec])
    for secret in SECRETS:
        assert secret not in everything


def test_bad_token_settings_refuse_to_start_without_echoing_them() -> None:
    for bad, words in [("alice=short-token", "короче 16"), ("bad name=" + ALICE, "имя 1-го"),
                       (f"a={ALICE},a={BOB}", "имя повторяется"),
                       (f"a={ALICE},b={ALICE}", "токен повторяется"),
                       (f"a={ALICE}, b=with space {BOB}", "недопустимыми знаками")]:
        with pytest.raises(ValueError) as exc:
            Settings(api_tokens=bad)
        assert words in str(exc.value)
        assert ALICE not in str(exc.value) and BOB not in str(exc.value)
    with pytest.raises(ValueError, match="повторяется"):
        Settings(api_tokens=f"alice={ALICE}", admin_tokens=f"alice={BOSS}")
    # a bare token (base64 padding included) gets a stable name that does not reveal it
    table = Settings(api_tokens=f"{ALICE}==,{BOB}").tokens()
    assert [t for _, t, _ in table] == [f"{ALICE}==", BOB]
    assert all(n.startswith("token-") and len(n) == 14 for n, _, _ in table)
    assert table[0][0] == Settings(api_tokens=f"{BOB},{ALICE}==").tokens()[1][0]


def test_exposed_address_without_tokens_warns_loudly() -> None:
    text = exposure_warning("0.0.0.0", Settings())
    assert text is not None
    assert "ВНИМАНИЕ" in text and "0.0.0.0" in text and "GOSPABLIK_API_TOKENS" in text
    assert "читать результаты" in text
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert exposure_warning(host, Settings()) is None, host
    for host in ("::", "10.0.0.5", "gospablik.region.local"):
        assert exposure_warning(host, Settings()) is not None, host
    assert exposure_warning("0.0.0.0", Settings(api_tokens=TOKENS)) is None
    out = io.StringIO()
    announce("0.0.0.0", Settings(), out)
    assert out.getvalue().strip() == text


def test_spec_declares_the_token_where_it_is_needed(make) -> None:
    spec = make(max_queued_posts_per_token=10).get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    create = spec["paths"]["/v1/batches"]["post"]
    assert create["security"] == [{"bearer": []}]
    assert {"401", "429"} <= set(create["responses"])
    assert create["responses"]["429"]["headers"]["Retry-After"]
    for code in ("401", "429"):  # the one error schema of the service
        assert "Error" in json.dumps(create["responses"][code]["content"]) \
            or "field" in json.dumps(create["responses"][code]["content"])
    draft = spec["paths"]["/v1/posts/score"]["post"]
    assert draft["security"] == [{"bearer": []}, {}]  # a token is optional while drafts are open
    assert "security" not in spec["paths"]["/healthz"]["get"]


def test_without_tokens_everything_is_open_as_before(scorer) -> None:
    with TestClient(create_app(Settings(), scorer)) as client:
        r = client.post("/v1/pages/report", json=PAGE, headers=bearer(WRONG))
        assert r.status_code == 200, r.text  # no tokens configured: the header is not looked at
        codes = {client.post("/v1/posts/score", json=DRAFT).status_code for _ in range(45)}
        assert codes == {200}  # no rate limit without tokens (burst is 40)
        spec = client.get("/openapi.json").json()
        assert "securitySchemes" not in spec.get("components", {})
        assert "security" not in spec["paths"]["/v1/batches/{batch_id}"]["get"]


JS_HARNESS = r"""
const fs = require("fs");
const store = {}, calls = [], asked = [];
let answers = process.argv[3].split(",");
globalThis.window = globalThis;
globalThis.localStorage = {getItem: k => (k in store ? store[k] : null),
  setItem: (k, v) => { store[k] = String(v); }, removeItem: k => { delete store[k]; }};
globalThis.prompt = msg => { asked.push(msg); return answers.shift() || null; };
globalThis.fetch = (url, o) => {
  const auth = o.headers.get("Authorization");
  calls.push(auth);
  return Promise.resolve({status: auth === "Bearer right-token-123456" ? 200 : 401});
};
eval(fs.readFileSync(process.argv[2], "utf8"));
(async () => {
  const a = await authFetch("/v1/batches", {method: "POST"});
  const b = await authFetch("/v1/batches/x");
  console.log(JSON.stringify({a: a.status, b: b.status, calls, asked: asked.length,
                              wrong: asked.map(m => m.startsWith("Токен не подошёл")), store}));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="нет node")
def test_web_pages_ask_for_the_token_once(tmp_path: Path) -> None:
    js = Path(__file__).resolve().parent.parent / "service/web/auth.js"
    harness = tmp_path / "harness.js"
    harness.write_text(JS_HARNESS)

    def run(answers: str) -> dict[str, Any]:
        out = subprocess.run(["node", str(harness), str(js), answers], capture_output=True,
                             text=True, timeout=20, check=True).stdout
        return json.loads(out)

    # a wrong answer first: asked again, told so; then the token is kept and sent without asking
    got = run("wrong-token-1234567,Bearer right-token-123456")
    assert got["a"] == 200 and got["b"] == 200 and got["asked"] == 2
    assert got["wrong"] == [False, True]
    assert got["calls"] == [None, "Bearer wrong-token-1234567", "Bearer right-token-123456",
                            "Bearer right-token-123456"]
    assert got["store"] == {"gospablik.token": "right-token-123456"}
    # cancelled: the 401 goes back to the page, nothing is kept
    got = run("")
    assert got["a"] == 401 and got["store"] == {}
