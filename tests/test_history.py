"""The history store: two weeks of a region's pages, uploaded in either order, again, at once;
two regions side by side; a restart; SQLite and a real PostgreSQL; the API, the CLI and a real
batch through an RQ worker."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest

from service.history import HistoryStore, get_store, reset_store
from service.history.weeks import page_weeks
from service.settings import Settings, get_settings

REPO = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
ZAR, PRI = "Заречинская область", "Приозёрный край"
W46, W47 = "2025-W46", "2025-W47"

PAGES_CSV = f"""page_id,name,type,category,subscribers,region
school5,МБОУ СОШ № 5 г. Заречинска,school,активный,1200,{ZAR}
school7,Школа № 7 с. Берёзовка,school,визитка,300,{ZAR}
mfc_zar,МФЦ Заречинска,mfc,активный,5400,{ZAR}
dk_yunost,ДК «Юность»,culture,визитка,830,{ZAR}
school_pri,Гимназия № 2 г. Приозёрска,school,активный,900,{PRI}
mfc_pri,МФЦ Приозёрска,mfc,активный,3100,{PRI}
"""

# Officialese and long sentences: what a trainer works on with an admin.
HEAVY = [
    "Информируем вас о том, что в целях обеспечения реализации мероприятий по организации "
    "летнего отдыха детей осуществляется приём заявлений от родителей (законных "
    "представителей) обучающихся на предоставление путёвок в загородный оздоровительный лагерь.",
    "Доводим до сведения, что в соответствии с утверждённым планом проведения мероприятий "
    "администрацией учреждения было осуществлено проведение совещания по вопросу обеспечения "
    "безопасности образовательного процесса.",
    "В рамках реализации государственной программы осуществляется проведение работ по "
    "благоустройству территории в целях повышения уровня комфортности проживания граждан.",
]
# Plain, useful posts: what the same admin writes after coaching.
CLEAR = [
    "Запись в первый класс начнётся 1 апреля на Госуслугах. Понадобятся паспорт, свидетельство "
    "о рождении ребёнка и справка о регистрации. Вопросы — по телефону 8 (84234) 3-12-45.",
    "В субботу, 22 ноября, в 11:00 в актовом зале школы — ярмарка кружков. Приходите с детьми: "
    "покажем робототехнику, шахматы и хор. Вход свободный.",
    "Завтра с 9:00 до 17:00 не будет воды в домах 3–9 по ул. Ленина. Аварийная служба: "
    "8-800-100-20-30. Наберите воду заранее.",
    "МФЦ на ул. Мира, 12 работает в субботу с 9:00 до 14:00. Паспорт можно оформить без "
    "записи: возьмите талон у входа.",
]


def _post(pid: str, day: str, text: str, n: int, views: int = 900) -> dict[str, Any]:
    return {"id": f"{pid}-{day}-{n}", "platform": "vk", "published_at": f"{day}T10:{n:02d}:00+03:00",
            "text": text, "metrics": {"views": views, "likes": 20 + n, "reposts": 2, "comments": n},
            "page": {"id": pid}}


def region_posts() -> dict[str, list[dict[str, Any]]]:
    """Return the posts of week 46 and week 47: school5 improves, mfc_zar slides back."""
    w46 = [
        _post("school5", "2025-11-10", HEAVY[0], 1), _post("school5", "2025-11-12", HEAVY[1], 2),
        _post("school7", "2025-11-11", CLEAR[1], 3),
        _post("mfc_zar", "2025-11-11", CLEAR[3], 4), _post("mfc_zar", "2025-11-13", CLEAR[2], 5),
        _post("dk_yunost", "2025-11-14", CLEAR[1], 6),
        _post("school_pri", "2025-11-12", HEAVY[2], 7), _post("mfc_pri", "2025-11-13", CLEAR[3], 8),
    ]
    w47 = [
        _post("school5", "2025-11-17", CLEAR[0], 1), _post("school5", "2025-11-19", CLEAR[1], 2),
        _post("school5", "2025-11-21", CLEAR[2], 3),
        _post("school7", "2025-11-18", CLEAR[3], 4),
        _post("mfc_zar", "2025-11-18", HEAVY[2], 5), _post("mfc_zar", "2025-11-20", HEAVY[1], 6),
        _post("school_pri", "2025-11-19", CLEAR[0], 7), _post("mfc_pri", "2025-11-20", HEAVY[0], 8),
        {**_post("school7", "2025-11-20", "", 9), "text": ""},  # a photo without text
    ]
    return {W46: w46, W47: w47}


@pytest.fixture(scope="module")
def pages_meta() -> dict[str, dict[str, Any]]:
    from service.readers import read_pages

    return read_pages(PAGES_CSV.encode())


@pytest.fixture(scope="module")
def scored() -> dict[str, list[dict[str, Any]]]:
    """The two weeks scored by the real scorer, each as its own upload (batch engagement)."""
    from service.readers import read_posts
    from service.report.collect import collect_rows

    out = {}
    for wk, posts in region_posts().items():
        raw = "\n".join(json.dumps(p, ensure_ascii=False) for p in posts).encode()
        out[wk] = collect_rows(read_posts(raw, "jsonl"), jobs=1)
    return out


# ---- backends: SQLite file, or a fresh database on the PostgreSQL server ----

def _pg_base() -> str:
    url = os.environ.get("GOSPABLIK_TEST_DATABASE_URL")
    if url == "":
        pytest.skip("PostgreSQL для тестов не найден (scripts/ensure_postgres.py не смог его "
                    "поднять): тесты истории на PostgreSQL пропущены")
    return url or PG_DEFAULT


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh history database: a SQLite file, or CREATE DATABASE gospablik_test_<random>."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.sqlite3'}"
        return
    psycopg = pytest.importorskip("psycopg")
    base = _pg_base()
    name = f"gospablik_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL по адресу {base.split('@')[-1]} не отвечает: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        reset_store()
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def open_store(db_url: str) -> Iterator[Callable[[], HistoryStore]]:
    """Open a new store object on the test database (a 'restart' is opening another)."""
    opened: list[HistoryStore] = []

    def make() -> HistoryStore:
        opened.append(HistoryStore(db_url))
        return opened[-1]

    yield make
    for s in opened:
        s.close()


def figures(history: dict[str, Any] | None) -> dict[str, Any]:
    """Return a page history without when and from which upload it was recorded."""
    assert history is not None
    return {"page": history["page"],
            "weeks": [{k: v for k, v in w.items() if k not in ("recorded_at", "source")}
                      for w in history["weeks"]]}


def everything(store: HistoryStore) -> dict[str, Any]:
    return {pid: figures(store.page_history(pid)) for pid in
            ("school5", "school7", "mfc_zar", "dk_yunost", "school_pri", "mfc_pri")}


def row_count(store: HistoryStore) -> int:
    from sqlalchemy import func, select

    from service.history.schema import page_weeks as table

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def expected_mean(rows: list[dict[str, Any]], pid: str, axis: str) -> float:
    vals = [r["scores"][axis] for r in rows
            if not r.get("error") and r["page"]["id"] == pid and r["scores"].get(axis) is not None]
    return round(fmean(vals), 1)


# ---- the store ----

@pytest.mark.parametrize("order", [(W46, W47), (W47, W46)], ids=["in-order", "out-of-order"])
def test_two_weeks_in_either_order_give_a_two_week_history(
        open_store: Callable[[], HistoryStore], scored: dict[str, list[dict[str, Any]]],
        pages_meta: dict[str, dict[str, Any]], order: tuple[str, str]) -> None:
    store = open_store()
    for wk in order:
        summary = store.record(scored[wk], pages_meta, source=f"batch:{wk}")
        assert summary.weeks == [wk]
        assert summary.regions == sorted([PRI, ZAR])
    h = store.page_history("school5")
    assert h is not None
    assert h["page"] == {"id": "school5", "name": "МБОУ СОШ № 5 г. Заречинска",
                         "type": "school", "category": "активный", "region": ZAR,
                         "municipality": None, "platform": "vk"}
    w1, w2 = h["weeks"]
    assert (w1["week"], w1["start"], w2["week"], w2["start"]) == \
        (W46, "2025-11-10", W47, "2025-11-17")
    assert (w1["posts"], w2["posts"]) == (2, 3)
    for axis in ("readability", "usefulness"):  # the means of the scored posts, week by week
        a = expected_mean(scored[W46], "school5", axis)
        b = expected_mean(scored[W47], "school5", axis)
        assert (w1["scores"][axis], w2["scores"][axis]) == (a, b)
    # The coached school writes plainly in week 47: officialese gone, readability up.
    assert w1["problems"].get("kantselyarit") == 2 and "kantselyarit" not in w2["problems"]
    assert w2["scores"]["readability"] - w1["scores"]["readability"] > 10
    assert w2["scores"]["overall"] > w1["scores"]["overall"]
    assert w1["rank"]["region_of"] == 4 and w1["rank"]["type_of"] == 2  # its region, its type
    assert w2["rank"]["region"] < w1["rank"]["region"]
    # A photo without text is a published post, not a scored one.
    s7 = store.page_history("school7")
    assert s7 is not None
    assert [(w["posts"], w["posts_with_text"]) for w in s7["weeks"]] == [(1, 1), (2, 1)]
    # The culture house posted in week 46 only: week 47 is on record as silent.
    dk = store.page_history("dk_yunost")
    assert dk is not None
    assert [(w["week"], w["posts"]) for w in dk["weeks"]] == [(W46, 1), (W47, 0)]
    assert dk["weeks"][0]["rank"]["region"] is not None
    assert dk["weeks"][1]["scores"]["overall"] is None and dk["weeks"][1]["rank"]["region"] is None
    assert dk["weeks"][1]["meets_norm"] is False
    assert store.page_history("no-such-page") is None


def test_both_orders_a_repeat_and_one_upload_of_both_weeks_agree(
        open_store: Callable[[], HistoryStore],
        scored: dict[str, list[dict[str, Any]]], pages_meta: dict[str, dict[str, Any]]) -> None:
    forward = open_store()
    forward.record(scored[W46], pages_meta)
    forward.record(scored[W47], pages_meta)
    want = everything(forward)
    n_rows = row_count(forward)
    assert n_rows == 12  # 6 pages × 2 weeks
    forward.record(scored[W46], pages_meta)  # the same week again: no doubles, same figures
    assert row_count(forward) == n_rows
    assert everything(forward) == want
    # One upload spanning both weeks fills both, with the same figures.
    both = open_store()
    _clear(both)
    summary = both.record(scored[W46] + scored[W47], pages_meta)
    assert summary.weeks == [W46, W47] and summary.rows == 12
    assert everything(both) == want


def _clear(store: HistoryStore) -> None:
    from service.history.db import write_transaction
    from service.history.schema import page_weeks as table
    from service.history.schema import pages as pages_table

    store.page_history("x")  # migrates
    with write_transaction(store.engine) as conn:
        conn.execute(table.delete())
        conn.execute(pages_table.delete())


def test_two_regions_side_by_side(open_store: Callable[[], HistoryStore],
                                  scored: dict[str, list[dict[str, Any]]],
                                  pages_meta: dict[str, dict[str, Any]]) -> None:
    store = open_store()
    store.record(scored[W47], pages_meta)
    store.record(scored[W46], pages_meta)
    zar, pri = store.region_history(ZAR), store.region_history(PRI)
    assert zar is not None and pri is not None
    assert [w["week"] for w in zar["weeks"]] == [W46, W47]
    assert [(w["pages"], w["posts"]) for w in zar["weeks"]] == [(4, 6), (3, 7)]
    assert [(w["pages"], w["posts"]) for w in pri["weeks"]] == [(2, 2), (2, 2)]
    # Ranks count the pages of the region only.
    gym = store.page_history("school_pri")
    assert gym is not None
    assert {w["rank"]["region_of"] for w in gym["weeks"]} == {2}
    assert {w["rank"]["type_of"] for w in gym["weeks"]} == {1}
    # Means over the region's pages with scored posts.
    s5 = store.pages_history(["school5", "school7", "mfc_zar", "dk_yunost"])
    mean47 = round(fmean(ws[1]["scores"]["readability"] for ws in s5.values()
                         if ws[1]["posts_with_text"]), 1)
    assert zar["weeks"][1]["scores"]["readability"] == mean47
    moved = {m["page"]["id"]: m for m in zar["improved"] + zar["fell"]}
    assert set(moved) <= {"school5", "school7", "mfc_zar"}  # never a page of the other region
    assert moved["school5"]["delta"] > 0 and zar["improved"][0]["page"]["id"] == "school5"
    assert moved["mfc_zar"]["delta"] < 0 and moved["mfc_zar"] in zar["fell"]
    assert moved["school5"]["from_week"] == W46 and moved["school5"]["to_week"] == W47
    assert store.region_history("Нет такого края") is None
    assert set(store.pages_history(["school5", "nope"])) == {"school5"}


def test_a_region_week_uploaded_in_parts_is_ranked_as_a_whole(
        open_store: Callable[[], HistoryStore], scored: dict[str, list[dict[str, Any]]],
        pages_meta: dict[str, dict[str, Any]]) -> None:
    rows = [r for r in scored[W47] if r["page"]["id"] in ("school5", "school7", "mfc_zar")]
    whole = open_store()
    whole.record(rows, {k: v for k, v in pages_meta.items() if k != "dk_yunost"})
    want = {pid: whole.page_history(pid)["weeks"][0]["rank"]  # type: ignore[index]
            for pid in ("school5", "school7", "mfc_zar")}
    assert {r["region_of"] for r in want.values()} == {3}
    _clear(whole)
    for part in (("mfc_zar",), ("school5", "school7")):  # say, the VK pages, then Telegram's
        whole.record([r for r in rows if r["page"]["id"] in part], pages_meta)
    got = {pid: whole.page_history(pid)["weeks"][0]["rank"]  # type: ignore[index]
           for pid in ("school5", "school7", "mfc_zar")}
    assert got == want


def test_a_restart_keeps_the_history(open_store: Callable[[], HistoryStore], db_url: str,
                                     scored: dict[str, list[dict[str, Any]]],
                                     pages_meta: dict[str, dict[str, Any]]) -> None:
    first = open_store()
    first.record(scored[W46], pages_meta)
    first.record(scored[W47], pages_meta)
    want = everything(first)
    first.close()
    assert everything(open_store()) == want  # a new store object on the same database
    code = ("import json, sys; from service.history import HistoryStore; "
            "print(json.dumps(HistoryStore(sys.argv[1]).page_history('school5')))")
    done = subprocess.run([sys.executable, "-c", code, db_url], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert figures(json.loads(done.stdout)) == want["school5"]  # and a new process


def _synthetic(pid: str, when: str, readability: float = 60.0) -> dict[str, Any]:
    return {"id": f"{pid}-{when}", "published_at": when, "page": {"id": pid, "type": "school"},
            "scores": {"readability": readability, "usefulness": 50.0, "engagement": None,
                       "overall": 55.0}, "feedback": [], "moderation": {"blocked": False}}


def test_weeks_are_counted_in_the_region_time_zone() -> None:
    # Sunday 22:30 UTC is already Monday 01:30 in Moscow.
    rows = [_synthetic("school5", "2025-11-16T22:30:00+00:00")]
    msk, _ = page_weeks(rows, tz="Europe/Moscow")
    utc, _ = page_weeks(rows, tz="UTC")
    naive, _ = page_weeks([_synthetic("school5", "2025-11-16T23:30:00")], tz="Asia/Vladivostok")
    assert [w.week for w in msk] == [W47]
    assert [w.week for w in utc] == [W46]
    assert [w.week for w in naive] == [W46]  # a time without an offset is local already


def _writer(url: str, n: int) -> None:
    store = HistoryStore(url)
    for i in range(6):
        store.record([_synthetic(f"p{n}-{i}", f"2025-11-1{i % 4}T10:00:00+03:00", 40 + i)],
                     None, region="Тест")
    store.close()


def test_several_processes_write_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    ctx = mp.get_context("fork")  # the writers need not import the scorer again
    procs = [ctx.Process(target=_writer, args=(url, n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = HistoryStore(url)
    try:
        assert row_count(store) == 18
        h = store.page_history("p2-5")
        assert h is not None and h["weeks"][0]["rank"]["region_of"] >= 1
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()


# ---- the settings' store: API, CLI, the batch hook ----

@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The process's settings point at a fresh data dir (its history.sqlite3)."""
    monkeypatch.setenv("GOSPABLIK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GOSPABLIK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    reset_store()
    yield tmp_path
    reset_store()
    get_settings.cache_clear()


@pytest.fixture()
def filled(data_dir: Path, scored: dict[str, list[dict[str, Any]]],
           pages_meta: dict[str, dict[str, Any]]) -> HistoryStore:
    store = get_store()
    assert store.url.endswith(str(data_dir / "history.sqlite3"))
    store.record(scored[W46], pages_meta)
    store.record(scored[W47], pages_meta)
    return store


def test_api_page_and_region_history(filled: HistoryStore, data_dir: Path) -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        r = client.get("/v1/pages/school5/history")
        assert r.status_code == 200
        body = r.json()
        assert body == json.loads(json.dumps(filled.page_history("school5")))
        assert [w["week"] for w in body["weeks"]] == [W46, W47]
        assert set(body["weeks"][0]["scores"]) == {"readability", "usefulness", "engagement",
                                                    "activity", "overall"}
        r = client.get("/v1/pages/нет-такой/history")
        assert r.status_code == 404
        assert r.json()["error"]["field"] == "id"
        assert "нет в истории" in r.json()["error"]["message"]
        r = client.get(f"/v1/regions/{ZAR}/history")
        assert r.status_code == 200
        region = r.json()
        assert [w["week"] for w in region["weeks"]] == [W46, W47]
        assert region["improved"][0]["page"]["id"] == "school5"
        assert set(region["improved"][0]) == {"page", "from", "to", "delta", "from_week",
                                              "to_week"}
        assert client.get("/v1/regions/Атлантида/history").status_code == 404
        spec = client.get("/openapi.json").json()["paths"]
        assert "404" in spec["/v1/pages/{page_id}/history"]["get"]["responses"]
    locked = Settings(data_dir=data_dir, api_tokens="trainer=" + "t0ken-for-tests-" * 2)
    with TestClient(create_app(locked)) as client:
        assert client.get("/v1/pages/school5/history").status_code == 401
        ok = client.get("/v1/pages/school5/history",
                        headers={"Authorization": "Bearer " + "t0ken-for-tests-" * 2})
        assert ok.status_code == 200


def test_cli_history_for_a_person_and_as_json(filled: HistoryStore,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    assert main(["history", "school5"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("МБОУ СОШ № 5 г. Заречинска (school5) — школа, " + ZAR)
    assert lines[1].split() == ["неделя", "посты", "читаемость", "польза", "вовлечённость",
                                "активность", "итог", "место"]
    w1, w2 = filled.page_history("school5")["weeks"]  # type: ignore[index]
    assert lines[3].startswith(f"{W46} (10.11–16.11.2025)")
    assert lines[4].startswith(f"{W47} (17.11–23.11.2025)")
    delta = round(w2["scores"]["overall"] - w1["scores"]["overall"])
    assert f"{w2['scores']['overall']:.0f} (+{delta})" in lines[4]
    assert lines[4].rstrip().endswith(f"{w2['rank']['region']} из {w2['rank']['region_of']}")
    assert w2['rank']['region_of'] == 3  # the culture house was silent in week 47
    assert main(["history", "school5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(
        json.dumps(filled.page_history("school5")))
    assert main(["history", "нет-такой"]) == 1
    assert "нет в истории" in capsys.readouterr().err


def test_report_save_records_the_weeks(data_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import main

    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(p, ensure_ascii=False)
                               for p in region_posts()[W46]), encoding="utf-8")
    pages = tmp_path / "pages.csv"
    pages.write_text(PAGES_CSV, encoding="utf-8")
    out = tmp_path / "region.html"
    assert main(["report", str(posts), "--pages", str(pages), "-o", str(out), "--save"]) == 0
    assert "История: в истории записано: страниц 6, недели 2025-W46" in capsys.readouterr().err
    h = get_store().page_history("school5")
    assert h is not None and [w["week"] for w in h["weeks"]] == [W46]
    assert h["weeks"][0]["source"] == "report:posts.jsonl"
    assert out.stat().st_size > 1000
    # A history that cannot be written: the report is still there, the exit code says it.
    out.unlink()
    monkeypatch.setenv("GOSPABLIK_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere")
    get_settings.cache_clear()
    reset_store()
    assert main(["report", str(posts), "-o", str(out), "--save"]) == 1
    assert "Ошибка: история не записана (OperationalError" in capsys.readouterr().err
    assert out.stat().st_size > 1000


def test_a_history_failure_is_told_not_raised(monkeypatch: pytest.MonkeyPatch,
                                              data_dir: Path,
                                              scored: dict[str, list[dict[str, Any]]]) -> None:
    from service.jobs.report import record_history

    monkeypatch.setenv("GOSPABLIK_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere")
    get_settings.cache_clear()
    reset_store()
    told = json.loads(record_history(scored[W46], None, "b-1") or "{}")
    assert told["recorded"] is False
    assert told["message"].startswith("история не записана (OperationalError)")
    monkeypatch.setenv("GOSPABLIK_HISTORY", "0")
    get_settings.cache_clear()
    assert record_history(scored[W46], None, "b-1") is None  # recording turned off


def test_a_real_batch_records_its_weeks(redis_conn: Any, start_workers: Any, data_dir: Path,
                                        scored: dict[str, list[dict[str, Any]]],
                                        pages_meta: dict[str, dict[str, Any]]) -> None:
    from service.jobs import batch

    start_workers(1)  # inherits GOSPABLIK_DATA_DIR: writes this test's history.sqlite3
    settings = Settings(data_dir=data_dir, chunk_size=4)
    posts = region_posts()
    bid, created = batch.submit(redis_conn, posts[W47] + posts[W46], settings, "hist-1",
                                pages=PAGES_CSV.encode())
    assert created
    deadline = time.monotonic() + 120
    while (st := batch.status(redis_conn, bid))["status"] not in batch.FINAL:
        assert time.monotonic() < deadline, st
        time.sleep(0.2)
    assert st["status"] == "finished"
    assert st["history"]["recorded"] is True, st["history"]
    assert st["history"]["weeks"] == [W46, W47] and st["history"]["pages"] == 6
    # The worker's figures equal those of the same posts recorded in this process.
    here = HistoryStore(f"sqlite:///{data_dir / 'here.sqlite3'}")
    try:
        from service.readers import read_posts
        from service.report.collect import collect_rows

        raw = "\n".join(json.dumps(p, ensure_ascii=False) for p in posts[W47] + posts[W46])
        here.record(collect_rows(read_posts(raw.encode(), "jsonl"), jobs=1), pages_meta)
        assert everything(get_store()) == everything(here)
    finally:
        here.close()
