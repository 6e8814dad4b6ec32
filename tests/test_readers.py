"""Readers: VK wall.get, Telegram Desktop export, CSV and JSON Lines into our post schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.errors import InputError
from service.readers import read_pages, read_posts

FIX = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
PAGES = FIX / "pages.csv"


def rows(name: str, **kw):  # type: ignore[no-untyped-def]
    return list(read_posts(FIX / name, **kw))


def test_vk_wall_get_items_reposts_and_groups() -> None:
    got = rows("vk_wall_get.json")
    assert [r.line for r in got] == [1, 2, 3, 4, 5, 6, 7]  # every item is a row, none dropped
    first = got[0].data
    assert first["id"] == "-218765_4512" and first["platform"] == "vk"
    assert first["metrics"] == {"views": 3120, "likes": 41, "reposts": 17, "comments": 9}
    assert first["attachments"] == ["photo"]
    assert first["published_at"] == "2025-03-14T10:00:00+03:00"  # unix time, Moscow clock
    assert first["page"] == {"id": "-218765", "name": "Администрация Заречинского округа",
                             "subscribers": 5400}
    repost = got[1].data
    assert repost["is_repost"] and repost["text"].startswith("В Заречинске открылась запись")
    assert repost["attachments"] == ["link"]  # the original's, the repost has none
    assert got[6].data["metrics"]["views"] is None  # old posts have no views


@pytest.mark.parametrize("line, field, words, has_data", [
    (3, "text", "без текста", True),  # photos only: kept for activity, not scored
    (4, "item", "объект поста", False),
    (5, "likes", "«много»", False),
    (6, "date", "Unix", False),
])
def test_vk_malformed_items_become_error_rows(line: int, field: str, words: str,
                                              has_data: bool) -> None:
    row = rows("vk_wall_get.json")[line - 1]
    assert row.error is not None and row.error.field == field and words in row.error.message
    assert (row.data is not None) == has_data


def test_vk_error_rows_keep_the_item_id() -> None:
    assert rows("vk_wall_get.json")[4].id == "-218765_4508"


def test_vk_api_error_response_is_refused() -> None:
    raw = json.dumps({"error": {"error_code": 15, "error_msg": "Access denied"}}).encode()
    with pytest.raises(InputError, match="Access denied"):
        list(read_posts(raw))


def test_telegram_export_texts_entities_reactions() -> None:
    got = rows("telegram_result.json")
    assert len(got) == 10  # service messages and album parts are rows too
    post = got[1].data
    assert post["platform"] == "telegram" and post["id"] == "2"
    assert post["metrics"] == {"views": 1480, "likes": 35, "reposts": 23, "comments": None}
    assert post["page"] == {"id": "1874512390", "name": "Поликлиника № 2 г. Заречинска"}
    assert post["attachments"] == ["photo"]
    assert got[2].data["text"] == ("Запись к врачам — через gosuslugi.ru или по телефону "
                                   "8 (84234) 2-15-15. Вызов врача на дом — до 12:00.")
    assert got[6].data["is_repost"] is True  # forwarded from another channel


@pytest.mark.parametrize("line, field, words", [
    (1, "type", "create_channel"),
    (5, "text", "альбома"),
    (6, "text", "альбома"),
    (8, "text", "строка"),
    (9, "type", "pin_message"),
    (10, "text", "без текста"),
])
def test_telegram_service_messages_and_bad_items_are_counted(line: int, field: str,
                                                             words: str) -> None:
    row = rows("telegram_result.json")[line - 1]
    assert row.error is not None and row.error.field == field and words in row.error.message


def test_telegram_video_without_text_is_kept_for_activity() -> None:
    row = rows("telegram_result.json")[9]
    assert row.data is not None and row.data["attachments"] == ["video"]


def test_jsonl_lines_and_errors() -> None:
    got = rows("posts.jsonl")
    assert [r.line for r in got] == [1, 2, 4, 5, 6, 7, 8, 9]  # blank line 3 is not an item
    assert [r.error.field if r.error else None for r in got] == [
        None, None, None, "json", "text", "metrics.views", "body", None]
    assert got[1].data["attachments"] == [{"type": "photo"}, {"type": "video"}]
    assert got[5].id == "s-106"


def test_csv_multiline_records_aliases_and_errors() -> None:
    got = rows("posts.csv")
    assert [r.line for r in got] == [2, 5, 6, 7, 8, 9, 10]  # the first record spans 3 lines
    first = got[0].data
    assert "\n\nПричина" in first["text"]
    assert first["metrics"] == {"views": 2400, "likes": 35, "reposts": 41, "comments": 6}
    assert first["page"]["subscribers"] == 5400 and first["is_repost"] is False
    concert = got[2].data
    assert concert["metrics"]["views"] == 1250 and concert["is_repost"] is True  # «1 250», «да»
    assert [(r.error.field if r.error else None) for r in got] == [
        None, None, None, "views", "text", "csv", "comments"]
    assert got[4].data is not None  # a photo without text is still a post


def test_semicolon_csv_from_excel_in_windows_1251() -> None:
    raw = "текст;просмотры;лайки;страница\nЗапись в кружки открыта;1 200;30;ДК «Юность»\n"
    got = list(read_posts(raw.encode("cp1251"), fmt="csv"))
    assert got[0].data == {"text": "Запись в кружки открыта", "is_repost": False,
                           "metrics": {"views": 1200, "likes": 30, "reposts": None,
                                       "comments": None},
                           "page": {"name": "ДК «Юность»"}}


def test_telegram_news_csv_columns_map_to_our_schema() -> None:
    raw = ("message_id,sender_id,channel,date,category,text\n"
           "11877,-1001000724666,Naked Science,2024-12-04T09:00:28+00:00,science,"
           "\"В Китае нашли ударный кратер\"\n").encode()
    data = next(read_posts(raw)).data
    assert data["id"] == "11877" and data["platform"] == "telegram"
    assert data["page"] == {"id": "-1001000724666", "name": "Naked Science"}
    assert data["published_at"] == "2024-12-04T09:00:28+00:00"


def test_pages_file_fills_page_metadata_by_any_vk_id_or_name() -> None:
    pages = read_pages(PAGES)
    assert pages["school5"]["category"] == "активный" and pages["school5"]["subscribers"] == 1200
    vk = rows("vk_wall_get.json", pages=PAGES)[0].data["page"]
    assert vk["category"] == "флагманский" and vk["type"] == "municipality"
    raw = b'{"text": "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "page": {"id": "club218765"}}'
    assert next(read_posts(raw, pages=pages)).data["page"]["category"] == "флагманский"
    by_name = next(read_posts(b'{"text": "x", "page": {"name": "\xd0\x94\xd0\x9a \xc2\xab\xd0'
                              b'\xae\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd1\x8c\xc2\xbb"}}',
                              pages=pages)).data["page"]
    assert by_name["category"] == "визитка"


def test_post_values_win_over_the_pages_file() -> None:
    raw = json.dumps({"text": "Текст", "page": {"id": "school5", "subscribers": 1500}}).encode()
    page = next(read_posts(raw, pages=PAGES)).data["page"]
    assert page["subscribers"] == 1500 and page["category"] == "активный"


@pytest.mark.parametrize("name, first_platform", [
    ("vk_wall_get.json", "vk"), ("telegram_result.json", None), ("posts.jsonl", "vk"),
    ("posts.csv", "vk"),
])
def test_format_detected_from_content_of_bytes(name: str, first_platform: str | None) -> None:
    got = list(read_posts((FIX / name).read_bytes()))
    assert got and (got[0].data or {}).get("platform") == first_platform


@pytest.mark.parametrize("source, fmt, words", [
    ("/nonexistent/posts.jsonl", None, "не найден"),
    (b"", None, "пустой"),
    (b"{}", "vk", "wall.get"),
    (b"[1, 2]", "telegram", "Telegram"),
    (b"text\nx\n", "xml", "неизвестный формат"),
    (b"a,b\n1,2\n", "csv", "столбца text"),
])
def test_unreadable_input_raises_at_once(source, fmt, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as exc:
        read_posts(source, fmt=fmt) if fmt != "csv" else list(read_posts(source, fmt=fmt))
    assert words in exc.value.message


def test_bad_pages_file_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "pages.csv"
    f.write_text("id,subscribers\na,100\nb,много\n", encoding="utf-8")
    with pytest.raises(InputError, match="строка 3"):
        read_pages(f)


@pytest.mark.shared
def test_telegram_news_corpus_reads_without_errors() -> None:
    path = SHARED / "corpora" / "tg_news_posts.csv"
    if not path.exists():
        pytest.skip("../shared/data/corpora/tg_news_posts.csv is absent")
    got = list(read_posts(path))
    assert len(got) == 22_099
    assert not [r for r in got if r.error]
    assert {r.data["platform"] for r in got} == {"telegram"}


def test_malformed_row_keeps_its_id_in_batch_storage() -> None:
    from service.jobs.batch import stored_row

    raw = '{"id": "p1", "text": "Приём заявлений открыт."}\n{"id": "p2", "text": 5}\n'.encode()
    rows = [stored_row(r, n) for n, r in enumerate(read_posts(raw, fmt="jsonl"), 1)]
    assert rows[0][1]["id"] == "p1" and rows[0][2] is None
    assert rows[1][1] == {"id": "p2"} and rows[1][2]["field"] == "text"


def test_annotated_record_format_gives_its_page(tmp_path: Path) -> None:
    """RUBRIC.md's record (top-level page_name / page_type) reads as our `page` object; a
    `page` object's own values win over flat ones."""
    from service.schemas import parse_post

    rec = {"id": "a1", "platform": "vk", "page_name": "МБОУ СОШ № 5", "page_type": "school",
           "text": "Завтра в 9:00 линейка у главного входа.", "attachments": ["photo"]}
    mixed = {"text": "Приём граждан переносится на пятницу.", "page_type": "mfc",
             "page_name": "", "page": {"id": "p7", "type": "municipality"}}
    f = tmp_path / "posts.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (rec, mixed)) + "\n",
                 encoding="utf-8")
    got = list(read_posts(f))
    assert got[0].data["page"] == {"name": "МБОУ СОШ № 5", "type": "school"}
    assert got[1].data["page"] == {"id": "p7", "type": "municipality"}
    assert "page_type" not in got[0].data
    post = parse_post(dict(rec), 30_000)
    assert post.page is not None and (post.page.type, post.page.name) == ("school",
                                                                           "МБОУ СОШ № 5")
    assert parse_post(dict(mixed), 30_000).page.type == "municipality"  # type: ignore[union-attr]
