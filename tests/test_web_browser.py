"""The region page in a real headless Chromium: a live service (uvicorn, real Redis, a real RQ
worker, SQLite history), one week uploaded through the API and the next through the page; the
progress moves, the finished report opens from its batch, and a page card shows the trend."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="нет /usr/bin/chromium: apt-get install chromium (test.sh ставит его сам, если "
           "запущен от root)")

PAGES_CSV = """page_id,name,type,category,subscribers,region,municipality
school5,МБОУ СОШ № 5 г. Заречинска,school,активный,1200,Заречинская область,Заречинск
school7,Школа № 7 с. Берёзовка,school,визитка,300,Заречинская область,Берёзовский район
school9,Лицей № 9 г. Заречинска,school,активный,950,Заречинская область,Заречинск
mfc_zar,МФЦ Заречинска,mfc,активный,5400,Заречинская область,Заречинск
"""
HEAVY = [
    "Информируем вас о том, что в целях обеспечения реализации мероприятий по организации "
    "летнего отдыха детей осуществляется приём заявлений от родителей (законных "
    "представителей) обучающихся на предоставление путёвок в загородный оздоровительный лагерь.",
    "Доводим до сведения, что в соответствии с утверждённым планом проведения мероприятий "
    "администрацией учреждения было осуществлено проведение совещания по вопросу обеспечения "
    "безопасности образовательного процесса.",
    "В рамках реализации государственной программы осуществляется проведение работ по "
    "благоустройству пришкольной территории в целях повышения уровня комфортности обучения.",
    "В целях недопущения нарушений довожу до сведения родительской общественности о "
    "необходимости обеспечения контроля за соблюдением обучающимися правил дорожного движения.",
]
CLEAR = [
    "Запись в первый класс начнётся 1 апреля на Госуслугах. Понадобятся паспорт, свидетельство "
    "о рождении ребёнка и справка о регистрации. Вопросы — по телефону 8 (84234) 3-12-45.",
    "В субботу, 22 ноября, в 11:00 в актовом зале школы — ярмарка кружков. Приходите с детьми: "
    "покажем робототехнику, шахматы и хор. Вход свободный.",
    "Завтра с 9:00 до 17:00 не будет воды в домах 3–9 по ул. Ленина. Аварийная служба: "
    "8-800-100-20-30. Наберите воду заранее.",
    "Родительское собрание 4 «Б» класса — в четверг, 20 ноября, в 18:00 в кабинете 12. "
    "Расскажем о поездке в музей и ответим на вопросы. Телефон классного руководителя: "
    "8 (84234) 3-40-11.",
]


def _week(days: list[str], school5: list[str]) -> list[dict[str, Any]]:
    """Four posts of each page in the week; school5 writes `school5`, the others stay the same."""
    posts = []
    for pid in ("school5", "school7", "school9", "mfc_zar"):
        for i, day in enumerate(days):
            text = school5[i] if pid == "school5" else CLEAR[(i + len(pid)) % 4]
            posts.append({"id": f"{pid}-{day}", "platform": "vk", "text": text,
                          "published_at": f"{day}T1{i}:00:00+03:00",
                          "metrics": {"views": 700 + 40 * i, "likes": 15 + i, "reposts": 1,
                                      "comments": i},
                          "page": {"id": pid}})
    return posts


WEEK46 = _week(["2025-11-10", "2025-11-11", "2025-11-12", "2025-11-13"], HEAVY)
WEEK47 = _week(["2025-11-17", "2025-11-18", "2025-11-19", "2025-11-20"], CLEAR)


def _jsonl(posts: list[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(p, ensure_ascii=False) for p in posts).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def service(redis_server, redis_conn, start_workers, tmp_path, monkeypatch) -> Iterator[str]:
    """A live service on a free port: real Redis, one real RQ worker, history in tmp_path."""
    import uvicorn

    from service.api.app import create_app
    from service.history import reset_store
    from service.settings import Settings

    monkeypatch.setenv("GOSPABLIK_DATA_DIR", str(tmp_path))  # the worker records history here
    monkeypatch.delenv("GOSPABLIK_DATABASE_URL", raising=False)
    monkeypatch.delenv("GOSPABLIK_API_TOKENS", raising=False)
    # Rows slowed to 120 ms in chunks of 4: the batch takes a few seconds and its progress moves.
    start_workers(1, row_delay_ms=120)
    settings = Settings(redis_url=redis_server.url, data_dir=tmp_path, chunk_size=4)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("сервис не запустился за 60 с")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(15)
    reset_store()


def _upload_by_api(base: str, posts: list[dict[str, Any]]) -> str:
    import httpx

    r = httpx.post(f"{base}/v1/batches?force=true", files={
        "file": ("week46.jsonl", _jsonl(posts)), "pages": ("pages.csv", PAGES_CSV.encode())},
        timeout=30)
    assert r.status_code == 202, r.text
    batch_id = r.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        st = httpx.get(f"{base}/v1/batches/{batch_id}", timeout=10).json()
        if st["status"] in ("finished", "failed"):
            assert st["status"] == "finished", st
            return str(batch_id)
        time.sleep(0.3)
    pytest.fail("первая неделя не обработалась за 60 с")


# Records every state of the progress box the page shows, for the test to read afterwards.
WATCH = """() => { window.__seen = []; const box = document.getElementById('progress');
  const note = () => window.__seen.push({phase: document.getElementById('phase').textContent,
    status: document.getElementById('status').textContent,
    done: document.getElementById('bar').getAttribute('value'),
    max: document.getElementById('bar').getAttribute('max')});
  new MutationObserver(note).observe(box, {subtree: true, childList: true, attributes: true,
                                           characterData: true}); }"""


def test_region_page_runs_through_the_batch_queue_and_opens_a_card_with_a_trend(
        service: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    _upload_by_api(service, WEEK46)  # the first week: through the API
    posts_file = tmp_path / "week47.jsonl"
    posts_file.write_bytes(_jsonl(WEEK47))
    pages_file = tmp_path / "pages.csv"
    pages_file.write_text(PAGES_CSV, encoding="utf-8")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{service}/region")
            page.set_input_files("#file", str(posts_file))
            page.set_input_files("#pages", str(pages_file))
            page.evaluate(WATCH)
            page.click("button[type=submit]")

            # the progress shows, then the finished report replaces it
            expect(page.locator("#progress")).to_be_visible(timeout=10_000)
            expect(page.locator("#report")).to_be_visible(timeout=60_000)
            seen = page.evaluate("window.__seen")
            assert not errors, errors
            counted = [s for s in seen if s["phase"].startswith("Оценено")]
            assert counted, f"the progress never said how many posts were scored: {seen}"
            assert all(s["phase"].endswith("(" + str(int(100 * int(s["done"]) / 16)) + " %)")
                       and s["max"] == "16" for s in counted), counted
            dones = sorted({int(s["done"]) for s in counted})
            assert len(dones) >= 2 and dones[0] < 16, f"the bar did not move: {dones}"
            assert any(s["status"].startswith("осталось около") for s in counted), counted
            expect(page.locator("#downloads")).to_be_visible()

            report = page.frame_locator("#report")
            expect(report.locator("h1")).to_have_text("Отчёт по госпабликам региона")
            # the trainer's filters: type and municipality, from the pages file
            expect(report.locator("#f-mun option")).to_have_text(
                ["все муниципалитеты", "Берёзовский район", "Заречинск"])
            report.locator("#f-mun").select_option("Берёзовский район")
            visible = report.locator("#ranking tbody tr:visible")
            expect(visible).to_have_count(1)
            expect(visible.first).to_contain_text("Школа № 7 с. Берёзовка")
            report.locator("#f-mun").select_option("")

            # school5 dropped its канцелярит: its section shows the rise, then its card
            section = report.locator("#p-school5")
            section.locator("summary").click()
            expect(section).to_contain_text("Как менялась страница: 2 недели в истории")
            expect(section).to_contain_text("↑ стало лучше после недели 10.11–16.11")
            section.locator("a.card-link").click()
            expect(page.locator("#card")).to_be_visible(timeout=10_000)
            card = page.frame_locator("#card")
            expect(card.locator("h1")).to_have_text("МБОУ СОШ № 5 г. Заречинска")
            expect(card.locator(".trend")).to_have_text("↑ стало лучше после недели 10.11–16.11")
            expect(card.locator("main")).to_contain_text(
                re.compile(r"Итог недели — \d+ из 100, на \d+ балл(а|ов)? больше, чем неделей раньше\."))
            expect(card.locator("main")).to_contain_text("Ушла проблема «Канцелярит»")
            expect(card.locator("main")).to_contain_text("школ региона")
            expect(card.locator("svg.spark")).to_have_count(1)
            page.click("#back")
            expect(page.locator("#report")).to_be_visible()
            assert not errors, errors
        finally:
            browser.close()
