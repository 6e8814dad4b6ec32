"""Generate a realistic region: ~1,700 pages × one week ≈ 30,000 posts (JSON Lines + pages CSV).

Texts come from the annotated corpus (gosposts/train.jsonl, ours) and real Telegram posts
(corpora/tg_news_posts.csv, CC BY 4.0, NKTKLN/telegram-news-classifier); page sizes and
per-post metrics are drawn around real VK page statistics (engagement/ngo_vk_pages_engagement.csv,
Apache-2.0, Teplitsa/CSRLab). The output is a benchmark fixture, not a product artifact.

    python benchmarks/make_region.py -o /tmp/region [--pages 1700] [--posts 30000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MSK = timezone(timedelta(hours=3))
WEEK_START = datetime(2025, 11, 10, tzinfo=MSK)  # a Monday

# (page type, share of the region's pages, category weights: флагманский, активный, визитка)
PAGE_TYPES = [
    ("school", 0.26, (0.0, 0.25, 0.75)),
    ("kindergarten", 0.17, (0.0, 0.15, 0.85)),
    ("college", 0.03, (0.0, 0.6, 0.4)),
    ("culture", 0.10, (0.05, 0.6, 0.35)),
    ("library", 0.07, (0.0, 0.4, 0.6)),
    ("municipality", 0.09, (0.5, 0.45, 0.05)),
    ("regional_government", 0.03, (0.8, 0.2, 0.0)),
    ("hospital", 0.04, (0.2, 0.6, 0.2)),
    ("clinic", 0.04, (0.0, 0.5, 0.5)),
    ("mfc", 0.02, (0.3, 0.6, 0.1)),
    ("sport", 0.04, (0.0, 0.5, 0.5)),
    ("social_protection", 0.04, (0.0, 0.5, 0.5)),
    ("emergency", 0.02, (0.4, 0.5, 0.1)),
    ("utility", 0.02, (0.2, 0.6, 0.2)),
    ("transport", 0.01, (0.3, 0.6, 0.1)),
    ("youth", 0.02, (0.1, 0.6, 0.3)),
]
CATEGORIES = ("флагманский", "активный", "визитка")
# Relative posting rate per week and audience size quantile window per category.
CATEGORY_RATE = {"флагманский": 12.0, "активный": 1.0, "визитка": 0.4}
CATEGORY_SIZE = {"флагманский": (0.7, 1.0), "активный": (0.3, 0.85), "визитка": (0.0, 0.5)}
PLATFORMS = (("vk", 0.62), ("telegram", 0.2), ("ok", 0.12), ("max", 0.06))
TOWNS = ("Заречинска", "Сосновки", "Краснокаменска", "Берёзовска", "Озёрного", "Светлогорска",
         "Каменки", "Ольховки", "Приречного", "Лесногорска", "Речицы", "Ключевска")
DISTRICTS = ("Заречинского", "Сосновского", "Озёрного", "Приреченского", "Лесного",
             "Каменского", "Ключевского", "Берёзовского")
NAMES = {
    "school": "МБОУ «Средняя школа № {n}» г. {town}",
    "kindergarten": "МБДОУ «Детский сад № {n}» г. {town}",
    "college": "ГБПОУ «Колледж № {n}» г. {town}",
    "culture": "Дом культуры № {n} г. {town}",
    "library": "Библиотека № {n} г. {town}",
    "municipality": "Администрация {district} района (№ {n})",
    "regional_government": "Министерство № {n} области",
    "hospital": "ГБУЗ «Городская больница № {n}» г. {town}",
    "clinic": "Поликлиника № {n} г. {town}",
    "mfc": "МФЦ «Мои документы» № {n} г. {town}",
    "sport": "Спортивная школа № {n} г. {town}",
    "social_protection": "Центр соцзащиты № {n} {district} района",
    "emergency": "ЕДДС {district} района (№ {n})",
    "utility": "Водоканал № {n} г. {town}",
    "transport": "Автоколонна № {n} г. {town}",
    "youth": "Молодёжный центр № {n} г. {town}",
}
# Hour-of-day weights of posting (Moscow time): mornings and early evenings.
HOURS = [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.2, 2.5, 3.5, 3.8, 3.5,
         3.0, 2.8, 3.0, 3.0, 2.8, 2.6, 2.4, 2.0, 1.6, 1.0, 0.6, 0.3]
TG_SKIP = {"advertisement", "gaming"}
# News and city channels read like a busy government page; tabloid and IT channels do not.
TG_CHANNELS = {"РИА Новости", "Москва с огоньком", "Москвач • Новости Москвы", "Москва - новостная",
               "Раньше всех. Ну почти.", "Москва с огоньком Live", "Москва Live", "Naked Science",
               "BBC News | Русская служба", "Новости Москвы", "112"}


def load_gosposts(shared: Path) -> dict[str, list[dict]]:
    """Return annotated posts (text, attachments) grouped by page type."""
    out: dict[str, list[dict]] = {}
    with (shared / "gosposts" / "train.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.setdefault(r["page_type"], []).append(
                {"text": r["text"], "attachments": r.get("attachments") or []})
    return out


def load_tg(shared: Path) -> list[str]:
    """Return Telegram post texts long enough to stand alone."""
    with (shared / "corpora" / "tg_news_posts.csv").open(encoding="utf-8", newline="") as f:
        return [r["text"] for r in csv.DictReader(f)
                if r["channel"] in TG_CHANNELS and r["category"] not in TG_SKIP
                and len(r["text"].strip()) >= 60]


def _num(x: str) -> float:
    try:
        v = float(x)
    except ValueError:
        return 0.0
    return v if math.isfinite(v) else 0.0


def load_ngo(shared: Path) -> list[dict[str, float]]:
    """Return real page statistics with members and views, sorted by audience size."""
    rows = []
    path = shared / "engagement" / "ngo_vk_pages_engagement.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            members, views = _num(r["count_members"]), _num(r["views_mean_all"])
            if members < 20 or views <= 0:
                continue
            rows.append({"members": members, "views": min(views, members * 1.5 + 50),
                         "likes": _num(r["likes_mean_all"]),
                         "comments": _num(r["comments_mean_all"])})
    rows.sort(key=lambda r: r["members"])
    return rows


def _pick(rng: random.Random, pairs) -> str:  # type: ignore[no-untyped-def]
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def make_pages(rng: random.Random, n: int, ngo: list[dict[str, float]]) -> list[dict]:
    """Return `n` pages with type, category, platform, audience and metric baselines."""
    pages = []
    counters: dict[str, int] = {}
    for i in range(n):
        typ = rng.choices([t for t, _, _ in PAGE_TYPES], [w for _, w, _ in PAGE_TYPES])[0]
        cat_w = next(c for t, _, c in PAGE_TYPES if t == typ)
        cat = rng.choices(CATEGORIES, cat_w)[0]
        lo, hi = CATEGORY_SIZE[cat]
        base = ngo[int(rng.uniform(lo, hi) * (len(ngo) - 1))]
        counters[typ] = counters.get(typ, 0) + 1
        name = NAMES[typ].format(n=counters[typ], town=rng.choice(TOWNS),
                                 district=rng.choice(DISTRICTS))
        platform = _pick(rng, PLATFORMS)
        kind = "normal"
        u = rng.random()
        if u < 0.015:
            kind = "tiny"  # a handful of readers, a few likes: must not top the region
        elif u < 0.035:
            kind = "reach_cut"  # views cut to a few percent of members, ER looks high
        pages.append({
            "id": f"{platform}-{100000 + i}", "name": name, "type": typ, "category": cat,
            "platform": platform, "subscribers": int(base["members"] * rng.uniform(0.8, 1.25)),
            "region": "Энская область", "_base": base, "_kind": kind,
            "_rate": CATEGORY_RATE[cat] * rng.lognormvariate(0, 1.0),
        })
    return pages


def post_metrics(rng: random.Random, page: dict, attachments: list[str]) -> dict[str, int]:
    """Return views, likes, reposts and comments of one post around the page's baseline."""
    base, subs = page["_base"], page["subscribers"]
    views_mean = base["views"] * subs / max(base["members"], 1)
    if page["_kind"] == "tiny":
        views_mean = rng.uniform(6, 25)
    elif page["_kind"] == "reach_cut":
        views_mean = max(subs * rng.uniform(0.01, 0.04), 10)
    views = max(1, int(rng.lognormvariate(math.log(views_mean + 1), 0.55)))
    like_rate = base["likes"] / max(base["views"], 1)
    like_rate = min(max(like_rate, 0.002), 0.15)
    boost = 1.3 if "photo" in attachments or "video" in attachments else 1.0
    if page["_kind"] in ("tiny", "reach_cut"):
        like_rate *= 4
    rate = min(like_rate * boost * rng.lognormvariate(0, 0.5), 0.5)
    likes = _binomial(rng, views, rate)
    comments = _binomial(rng, views, min(base["comments"] / max(base["views"], 1), 0.05) + 0.0005)
    reposts = _binomial(rng, likes, 0.08)
    return {"views": views, "likes": likes, "reposts": reposts, "comments": comments}


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """Return a binomial draw (normal approximation for large n)."""
    if n <= 0 or p <= 0:
        return 0
    if n < 60:
        return sum(1 for _ in range(n) if rng.random() < p)
    mu, sd = n * p, math.sqrt(n * p * (1 - p))
    return int(min(max(round(rng.gauss(mu, sd)), 0), n))


def make_posts(rng: random.Random, pages: list[dict], total: int,
               gos: dict[str, list[dict]], tg: list[str]) -> list[dict]:
    """Return about `total` posts spread over the pages for one week, in time order."""
    scale = total / sum(p["_rate"] for p in pages)
    shared_texts = [rng.choice(tg) for _ in range(40)]  # region-wide reposts of one text
    tg_pool = tg[:]
    rng.shuffle(tg_pool)
    posts = []
    for page in pages:
        n = _poisson(rng, page["_rate"] * scale)
        mine = gos.get(page["type"]) or gos["municipality"]
        for k in range(n):
            u = rng.random()
            is_repost = False
            if u < 0.5:
                src = rng.choice(mine)
                text, att = src["text"], list(src["attachments"])
            elif u < 0.57:
                text, att, is_repost = rng.choice(shared_texts), ["photo"], True
            else:
                text = tg_pool.pop() if tg_pool else rng.choice(tg)
                att = rng.choices([[], ["photo"], ["video"], ["link"], ["photo", "photo"]],
                                  [0.3, 0.4, 0.1, 0.1, 0.1])[0]
            day = rng.randrange(7)
            hour = rng.choices(range(24), HOURS)[0]
            when = WEEK_START + timedelta(days=day, hours=hour, minutes=rng.randrange(60))
            posts.append({
                "id": f"{page['id']}_{k + 1}", "platform": page["platform"],
                "published_at": when.isoformat(), "text": text, "attachments": att,
                "metrics": post_metrics(rng, page, att), "page": {"id": page["id"]},
                "is_repost": is_repost,
            })
    posts.sort(key=lambda p: (p["published_at"], p["id"]))
    return posts


def _poisson(rng: random.Random, lam: float) -> int:
    """Return a Poisson draw (at least 0)."""
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


PAGE_COLUMNS = ["page_id", "page_name", "page_type", "page_category", "page_subscribers",
                "page_region", "platform"]


def write(out: Path, pages: list[dict], posts: list[dict]) -> tuple[Path, Path]:
    """Write posts.jsonl and pages.csv into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    posts_path, pages_path = out / "posts.jsonl", out / "pages.csv"
    with posts_path.open("w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    with pages_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(PAGE_COLUMNS)
        for p in pages:
            w.writerow([p["id"], p["name"], p["type"], p["category"], p["subscribers"],
                        p["region"], p["platform"]])
    return posts_path, pages_path


def generate(shared: Path, out: Path, n_pages: int = 1700, n_posts: int = 30000,
             seed: int = 7) -> tuple[Path, Path, int]:
    """Generate the region into `out`; return the posts path, the pages path and the post count."""
    rng = random.Random(seed)
    gos, tg, ngo = load_gosposts(shared), load_tg(shared), load_ngo(shared)
    pages = make_pages(rng, n_pages, ngo)
    posts = make_posts(rng, pages, n_posts, gos, tg)
    posts_path, pages_path = write(out, pages, posts)
    return posts_path, pages_path, len(posts)


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default="/tmp/gospablik_region", help="output folder")
    ap.add_argument("--pages", type=int, default=1700)
    ap.add_argument("--posts", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "gosposts" / "train.jsonl").exists():
        print(f"нет данных в {shared}: укажите --shared", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    posts_path, pages_path, n = generate(shared, Path(args.out), args.pages, args.posts, args.seed)
    print(f"generated {n} posts of {args.pages} pages in {time.perf_counter() - t0:.1f} s")
    print(f"posts: {posts_path}\npages: {pages_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
