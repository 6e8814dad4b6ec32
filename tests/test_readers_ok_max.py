"""Odnoklassniki (OK API mediatopic.getByIds, stream.get) and MAX (Bot API GET /messages,
GET /updates) readers: fields, bad files, bad items, detection, CLI, batches, region report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import wait_final

from service.errors import InputError
from service.readers import read_posts
from service.readers.max import is_max
from service.readers.ok import is_ok
from service.readers.telegram import is_telegram
from service.readers.vk import is_vk

FIX = Path(__file__).parent / "fixtures"
OK_IDS = "ok_mediatopic_getbyids.json"
OK_STREAM = "ok_stream_get.json"
MAX_MESSAGES = "max_messages.json"
MAX_UPDATES = "max_updates.json"
SCHOOL = {"id": "53874291046529", "name": "МБОУ СОШ № 5 г. Заречинска", "subscribers": 1240}
CHANNEL = "-70984732948"


def rows(name: str, **kw: Any) -> list[Any]:
    return list(read_posts(FIX / name, **kw))


def load(name: str) -> Any:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


# ---- Odnoklassniki ----

def test_ok_getbyids_maps_text_date_metrics_and_group() -> None:
    got = rows(OK_IDS)
    assert [r.line for r in got] == list(range(1, 9))  # every topic is a row, none dropped
    first = got[0].data
    assert first["id"] == "155043021538104" and first["platform"] == "ok"
    assert first["published_at"] == "2025-03-10T09:15:00+03:00"  # created_ms, Moscow clock
    assert first["metrics"] == {"views": 1850, "likes": 64, "reposts": 12, "comments": 9}
    assert first["attachments"] == ["photo"] and first["is_repost"] is False
    assert first["page"] == SCHOOL  # owner_ref group:… with the group from entities
    assert first["text"].startswith("Уважаемые родители будущих первоклассников!\n\nС 1 апреля")


def test_ok_text_blocks_join_and_attachment_types() -> None:
    got = rows(OK_IDS)
    olympiad = got[4].data["text"]
    assert olympiad == ("Поздравляем победителей муниципального этапа олимпиады по математике!"
                        "\n\nДиплом I степени — Артём Кузнецов (9 «А»), II степени — Алина "
                        "Смирнова (8 «Б»). Ребята поедут на региональный этап 2 апреля.")
    assert got[4].data["metrics"]["views"] is None  # no views_count in that topic
    assert got[2].data["attachments"] == ["poll"] and "собрания" in got[2].data["text"]
    assert got[3].data["attachments"] == ["link"]


def test_ok_photo_without_text_is_kept_for_activity() -> None:
    row = rows(OK_IDS)[1]
    assert row.error is not None and row.error.field == "text" and "без текста" in row.error.message
    assert row.data is not None and row.data["attachments"] == ["photo"]
    assert row.id == "155043021538105"


@pytest.mark.parametrize("line, field, words, rid", [
    (6, "created_ms", "миллисекундах", "155043021538109"),
    (7, "like_summary", "«много»", "155043021538110"),
    (8, "item", "объект медиатопика", None),
])
def test_ok_bad_topics_are_error_rows_with_their_reason(line: int, field: str, words: str,
                                                       rid: str | None) -> None:
    got = rows(OK_IDS)
    row = got[line - 1]
    assert row.error is not None and row.error.field == field and words in row.error.message
    assert row.data is None and row.id == rid
    assert sum(1 for r in got if r.error is None) == 4  # the other topics are read


def test_ok_stream_get_reads_the_feed_and_a_reshare_by_its_original() -> None:
    got = rows(OK_STREAM)
    # the reshared original of another group is context, not a post of the feed
    assert [r.id for r in got] == ["155043100200301", "155043100200302", "155043100200303"]
    assert all(r.error is None and r.data["page"]["name"] == "МФЦ Заречинского округа"
               for r in got)
    assert got[1].data["attachments"] == ["video"]  # movie block
    reshare = got[2].data
    assert reshare["is_repost"] is True
    assert reshare["text"].startswith("Уважаемые жители! 15 марта с 10:00")
    assert reshare["metrics"]["views"] == 640  # the reshare's own counters


def test_ok_several_responses_in_a_list_are_numbered_through() -> None:
    raw = json.dumps([load(OK_IDS), load(OK_STREAM)], ensure_ascii=False).encode()
    got = list(read_posts(raw))
    assert [r.line for r in got] == list(range(1, 12))
    assert {r.data["platform"] for r in got if r.data} == {"ok"}


def test_ok_api_error_answer_is_refused_at_once() -> None:
    raw = b'{"error_code": 102, "error_msg": "PARAM_SESSION_EXPIRED : Session expired", ' \
          b'"error_data": null}'
    with pytest.raises(InputError, match="OK API с ошибкой.*Session expired"):
        read_posts(raw)


# ---- MAX ----

def test_max_messages_map_text_date_views_and_channel() -> None:
    got = rows(MAX_MESSAGES)
    assert [r.line for r in got] == list(range(1, 9))
    first = got[0].data
    assert first["id"] == "mid.ffffb2f1a9c40001" and first["platform"] == "max"
    assert first["published_at"] == "2025-03-14T10:00:00+03:00"  # timestamp in ms
    assert first["metrics"] == {"views": 2870, "likes": None, "reposts": None, "comments": None}
    assert first["page"] == {"id": CHANNEL}
    assert first["attachments"] == ["photo"] and first["text"].startswith("18 марта")
    assert got[2].data["attachments"] == ["link"]  # share kept, the button keyboard is not media
    assert got[7].data["attachments"] == ["doc"]


def test_max_forward_and_photo_only() -> None:
    got = rows(MAX_MESSAGES)
    fwd = got[3].data
    assert fwd["is_repost"] is True and fwd["text"].startswith("С 17 марта МФЦ")
    assert fwd["attachments"] == ["photo"]  # the original's
    photos = got[1]
    assert photos.error is not None and "без текста" in photos.error.message
    assert photos.data["attachments"] == ["photo", "photo"]


@pytest.mark.parametrize("line, field, words", [
    (5, "timestamp", "миллисекундах"),
    (6, "recipient", "личное сообщение"),
    (7, "text", "строка"),
])
def test_max_bad_messages_are_error_rows(line: int, field: str, words: str) -> None:
    got = rows(MAX_MESSAGES)
    row = got[line - 1]
    assert row.error is not None and row.error.field == field and words in row.error.message
    assert row.id == f"mid.ffffb2f1a9c4000{line}"
    assert sum(1 for r in got if r.error is None) == 4


def test_max_updates_service_events_and_group_chats() -> None:
    got = rows(MAX_UPDATES)
    assert [(r.error.field if r.error else None) for r in got] == [
        "update_type", None, "recipient"]
    assert "bot_added" in got[0].error.message
    assert "группового чата" in got[2].error.message
    assert got[1].data["text"].startswith("Ремонт моста") and got[1].data["metrics"]["views"] == 3310


def test_max_channel_title_from_chat_objects_in_the_file() -> None:
    doc = load(MAX_MESSAGES)
    doc["chat"] = {"chat_id": int(CHANNEL), "type": "channel", "status": "active",
                   "title": "Администрация Заречинского округа", "participants_count": 3120}
    page = next(read_posts(json.dumps(doc, ensure_ascii=False).encode())).data["page"]
    assert page == {"id": CHANNEL, "name": "Администрация Заречинского округа",
                    "subscribers": 3120}
    doc = load(MAX_MESSAGES)
    doc["chats"] = [{"chat_id": int(CHANNEL), "title": "Администрация", "participants_count": 7}]
    page = next(read_posts(json.dumps(doc, ensure_ascii=False).encode())).data["page"]
    assert page["name"] == "Администрация" and page["subscribers"] == 7


def test_max_api_error_answer_is_refused_at_once() -> None:
    with pytest.raises(InputError, match="MAX Bot API с ошибкой.*Invalid access_token"):
        read_posts(b'{"code": "verify.token", "message": "Invalid access_token"}')


# ---- detection and bad files ----

@pytest.mark.parametrize("name, platform", [
    (OK_IDS, "ok"), (OK_STREAM, "ok"), (MAX_MESSAGES, "max"), (MAX_UPDATES, "max"),
])
def test_detected_from_content_and_forced_by_format(name: str, platform: str) -> None:
    raw = (FIX / name).read_bytes()
    for kw in ({}, {"fmt": platform}, {"fmt": "json"}):
        got = list(read_posts(raw, **kw))
        assert {r.data["platform"] for r in got if r.data} == {platform}, kw


def test_each_format_claims_only_its_own_files() -> None:
    docs = {n: load(n) for n in (OK_IDS, OK_STREAM, MAX_MESSAGES, MAX_UPDATES,
                                 "vk_wall_get.json", "telegram_result.json")}
    claims = {n: [f.__name__ for f in (is_ok, is_max, is_vk, is_telegram) if f(d)]
              for n, d in docs.items()}
    # Telegram's check takes any `messages` list, so read_posts asks MAX first; MAX's check
    # needs a message with a `body` object, which no Telegram export has.
    assert claims == {OK_IDS: ["is_ok"], OK_STREAM: ["is_ok"],
                      MAX_MESSAGES: ["is_max", "is_telegram"], MAX_UPDATES: ["is_max"],
                      "vk_wall_get.json": ["is_vk"], "telegram_result.json": ["is_telegram"]}
    # our own schema stays ours: a list of posts and a single post
    assert not is_ok([{"text": "x"}]) and not is_max({"text": "x", "code": "a", "message": "b"})


@pytest.mark.parametrize("name, fmt, words", [
    ("vk_wall_get.json", "ok", "не ответ OK API"),
    ("telegram_result.json", "max", "не ответ MAX Bot API"),
    (MAX_MESSAGES, "ok", "нет списка media_topics"),
    (OK_IDS, "max", "нет списка messages"),
])
def test_wrong_forced_format_is_refused_at_once(name: str, fmt: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        read_posts(FIX / name, fmt=fmt)
    assert exc.value.field == "input" and words in exc.value.message


def test_format_aliases_and_unknown_format() -> None:
    raw = (FIX / OK_STREAM).read_bytes()
    assert len(list(read_posts(raw, fmt="Одноклассники"))) == 3
    with pytest.raises(InputError, match="ok, max"):
        read_posts(raw, fmt="facebook")


def test_pages_file_fills_ok_group_and_max_channel(tmp_path: Path) -> None:
    pages = tmp_path / "pages.csv"
    pages.write_text("page_id,name,type,category,subscribers,region\n"
                     "53874291046529,МБОУ СОШ № 5 г. Заречинска,school,активный,1240,Заречинская "
                     "область\n"
                     f"{CHANNEL},Администрация Заречинского округа,municipality,флагманский,3120,"
                     "Заречинская область\n", encoding="utf-8")
    school = rows(OK_IDS, pages=pages)[0].data["page"]
    assert (school["type"], school["category"]) == ("school", "активный")
    channel = rows(MAX_MESSAGES, pages=pages)[0].data["page"]
    assert channel["name"] == "Администрация Заречинского округа"
    assert (channel["type"], channel["subscribers"]) == ("municipality", 3120)


# ---- the whole way: CLI, region report, batch upload ----

@pytest.mark.parametrize("name, n, errors", [(OK_IDS, 8, 4), (MAX_MESSAGES, 8, 4)])
def test_cli_score_writes_a_line_per_item(tmp_path: Path, name: str, n: int, errors: int) -> None:
    from service.cli import main

    out = tmp_path / "out.jsonl"
    assert main(["score", str(FIX / name), "-o", str(out), "-j", "1", "--no-progress"]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n and sum("error" in x for x in lines) == errors
    scored = [x for x in lines if "scores" in x]
    assert {x["platform"] for x in scored} == {"ok" if name == OK_IDS else "max"}
    assert all(x["error"]["message"] for x in lines if "error" in x)


def test_region_report_treats_ok_and_max_like_the_others(tmp_path: Path) -> None:
    from service.report.build import region_report
    from service.report.collect import collect_rows
    from service.report.html import render_page
    from service.report.tables import to_csv

    pages = tmp_path / "pages.csv"
    pages.write_text(f"page_id,name,type,category,subscribers\n{CHANNEL},Администрация "
                     "Заречинского округа,municipality,флагманский,3120\n", encoding="utf-8")
    from service.readers import read_pages

    meta = read_pages(pages)
    got = [*rows(OK_IDS, pages=meta), *rows(OK_STREAM, pages=meta), *rows(MAX_MESSAGES, pages=meta)]
    scored = collect_rows(got, jobs=1)
    report = region_report(scored, meta)
    by_id = {r["page"]["id"]: r for r in report["pages"]}
    assert set(by_id) == {"53874291046529", "56219384756102", CHANNEL}
    assert {pid: r["page"]["platform"] for pid, r in by_id.items()} == {
        "53874291046529": "ok", "56219384756102": "ok", CHANNEL: "max"}
    school, channel = by_id["53874291046529"], by_id[CHANNEL]
    assert school["page"]["name"] == "МБОУ СОШ № 5 г. Заречинска" and school["posts"] >= 4
    assert channel["page"]["name"] == "Администрация Заречинского округа"
    assert channel["scores"]["readability"] is not None and channel["scores"]["activity"] is not None
    assert school["scores"]["engagement"] is not None  # OK gives likes, reshares, comments
    assert "площадка: MAX" in render_page(channel)
    assert "площадка: Одноклассники" in render_page(school)
    assert report["summary"]["pages"] == 3
    assert "Заречинского округа" in to_csv(report)


@pytest.fixture()
def client(redis_conn: Any, redis_server: Any):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.api.app import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(REDIS_URL=redis_server.url, chunk_size=8))) as c:
        yield c


def test_batch_upload_accepts_ok_and_max_files(client: Any, start_workers: Any) -> None:
    ok = client.post("/v1/batches", files={"file": (OK_IDS, (FIX / OK_IDS).read_bytes(),
                                                    "application/json")})
    mx = client.post("/v1/batches", content=(FIX / MAX_UPDATES).read_bytes(),
                     headers={"Content-Type": "application/json"})
    assert ok.status_code == 202 and mx.status_code == 202, (ok.text, mx.text)
    start_workers(1)
    st = wait_final(client, ok.json()["id"])
    assert (st["status"], st["total"], st["failed_rows"]) == ("finished", 8, 4)
    lines = [json.loads(x) for x in
             client.get(f"/v1/batches/{ok.json()['id']}/results").text.splitlines()]
    assert [x["line"] for x in lines] == list(range(1, 9))
    assert lines[0]["platform"] == "ok" and lines[0]["id"] == "155043021538104"
    assert lines[5]["error"]["field"] == "created_ms"
    st = wait_final(client, mx.json()["id"])
    assert (st["total"], st["failed_rows"]) == (3, 2)
    report = client.get(f"/v1/batches/{mx.json()['id']}/report").json()
    assert [(p["page"]["id"], p["page"]["platform"]) for p in report["pages"]
            if p["posts"]] == [(CHANNEL, "max")]
