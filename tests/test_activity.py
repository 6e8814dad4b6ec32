"""Activity of a page: frequency against its category's norm, regularity, hours, content mix,
reposts and texts duplicated across pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from service.activity import duplicate_share, group_by_page, load_norms, page_activity

START = datetime(2025, 3, 10)  # a Monday
WEEK = (START, START + timedelta(days=7) - timedelta(seconds=1))
NEWS = ("С 17 марта автобус № 12 ходит по новому расписанию: первый рейс в 5:40, последний "
        "в 23:10. Расписание — на сайте администрации.")


def posts(n: int, days: int = 7, hour: int = 10, **extra) -> list[dict]:  # type: ignore[no-untyped-def]
    """Return n posts spread evenly over `days` days from START."""
    step = days * 24 / max(n, 1)
    out = []
    for i in range(n):
        t = START + timedelta(hours=i * step)
        out.append({"text": f"Новость {i}", "published_at": t.replace(hour=hour).isoformat(),
                    **extra})
    return out


@pytest.mark.parametrize("category, n, below", [
    ("флагманский", 7, True),      # one a day is too little for the region's main page
    ("флагманский", 14, False),
    ("активный", 2, True),
    ("активный", 5, False),
    ("визитка", 1, False),
    ("flagship", 7, True),         # aliases from exports
    ("card", 1, False),
])
def test_frequency_against_the_category_norm(category: str, n: int, below: bool) -> None:
    a = page_activity(posts(n), {"category": category}, period=WEEK)
    assert a["below_norm"] is below and a["category_known"]
    assert a["posts_per_week"] == pytest.approx(n, abs=0.01)


def test_more_posts_up_to_the_target_score_higher() -> None:
    scores = [page_activity(posts(n), {"category": "активный"}, period=WEEK)["score"]
              for n in (1, 3, 5)]
    assert scores[0] < scores[1] < scores[2]


def test_unknown_category_uses_the_default_and_says_so() -> None:
    a = page_activity(posts(3), {"category": "музей"}, period=WEEK)
    assert a["category"] == "активный" and not a["category_known"]
    assert any("категория страницы не указана" in r for r in a["reasons"])


def test_long_gap_is_a_reason() -> None:
    burst = posts(5, days=1)  # five posts on Monday, then silence for six days
    a = page_activity(burst, {"category": "активный"}, period=WEEK)
    assert a["regularity"]["longest_gap_days"] > 5
    assert any("перерыв" in r for r in a["reasons"])
    assert a["components"]["regularity"] < 100


def test_flooding_a_day_is_a_reason() -> None:
    a = page_activity(posts(10, days=1), {"category": "визитка"}, period=WEEK)
    assert any("перегружена" in r for r in a["reasons"])


def test_night_posts_are_a_reason() -> None:
    a = page_activity(posts(5, hour=2), {"category": "активный"}, period=WEEK)
    assert a["hours"]["night_share"] == 1.0 and any("ночью" in r for r in a["reasons"])
    assert a["hours"]["by_hour"][2] == 5


def test_content_mix_from_scored_rubrics() -> None:
    protocol = posts(5, usefulness={"rubric": "official_activity"})
    varied = posts(5)
    for p, r in zip(varied, ["services", "safety", "culture_leisure", "health", "dialogue"],
                    strict=True):
        p["usefulness"] = {"rubric": r}
    a = page_activity(protocol, {"category": "активный"}, period=WEEK)
    b = page_activity(varied, {"category": "активный"}, period=WEEK)
    assert a["content_mix"]["protocol_share"] == 1.0 and any("протокольные" in r
                                                             for r in a["reasons"])
    assert b["components"]["mix"] > a["components"]["mix"]
    assert page_activity(posts(5), {}, period=WEEK)["components"]["mix"] is None


def test_reposts_share() -> None:
    a = page_activity(posts(5, is_repost=True), {"category": "активный"}, period=WEEK)
    assert a["repost_share"] == 1.0 and any("репосты" in r for r in a["reasons"])


def test_duplicate_share_across_pages() -> None:
    region = {
        "school": [{"text": NEWS}, {"text": "Своя новость школы о конкурсе чтецов " * 3}],
        "library": [{"text": NEWS.upper()}],  # same words, other case: still a copy
        "dk": [{"text": NEWS, "is_repost": True}, {"text": "С праздником!"}],
    }
    shares = duplicate_share(region)
    assert shares == {"school": 0.5, "library": 1.0, "dk": 0.0}  # reposts and short texts aside
    a = page_activity(posts(5), {"category": "активный"}, period=WEEK, duplicate=0.8)
    assert any("других страницах" in r for r in a["reasons"])


def test_weekly_breakdown_over_two_weeks() -> None:
    two = (START, START + timedelta(days=14) - timedelta(seconds=1))
    a = page_activity(posts(4, days=7), {"category": "активный"}, period=two)
    assert [w["posts"] for w in a["weekly"]] == [4, 0]
    assert [w["meets_norm"] for w in a["weekly"]] == [True, False]
    assert a["weekly"][0]["week"] == "2025-W11" and a["posts_per_week"] == 2.0
    assert a["regularity"]["weeks_meeting_norm"] == 0.5


def test_no_dates_means_no_score() -> None:
    a = page_activity([{"text": "Без даты"}], {"category": "активный"})
    assert a["score"] is None and "дат" in a["reason"]


def test_default_period_is_at_least_a_week() -> None:
    a = page_activity(posts(3, days=2), {"category": "активный"})
    assert a["posts_per_week"] == 3.0


def test_group_by_page_and_good_page_reason() -> None:
    region = [dict(p, page={"id": "a", "category": "активный"}) for p in posts(6)]
    region += [dict(p, page={"name": "Б"}) for p in posts(2)]
    groups = group_by_page(region)
    assert list(groups) == ["a", "Б"] and len(groups["a"]) == 6
    a = page_activity(groups["a"], period=WEEK)
    assert a["category"] == "активный" and a["score"] > 85 and "так держать" in a["reason"]


def test_norms_file_has_a_rationale_for_every_category(tmp_path: Path) -> None:
    norms = load_norms()
    assert set(norms.categories) == {"флагманский", "активный", "визитка"}
    for norm in norms.categories.values():
        assert norm["rationale"] and norm["min_per_week"] <= norm["target_per_week"]
    bad = tmp_path / "norms.toml"
    bad.write_text('default = "нет такой"\n[categories."активный"]\nmin_per_week = 3\n',
                   encoding="utf-8")
    with pytest.raises(ValueError, match="default"):
        load_norms(str(bad))
