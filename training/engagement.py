"""Train the expected-engagement model of drafts from an export with metrics.

    gospablik train engagement --data EXPORT [--data EXPORT2] [--models-dir models]

EXPORT is any file `gospablik score` reads (VK wall.get, Telegram result.json, CSV, JSON
Lines) with views and reactions. The target is a post's ER by views relative to its page's
baseline (both shrunk for small numbers), so the model learns what content adds, not which
page is big. Evaluated on a time-ordered split (the latest 20 % of posts); then refitted on
all posts and saved to <models-dir>/engagement/expected/ with its model card.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import platform
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from scipy.stats import spearmanr
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline

from service.engagement.expected import MODEL_FORMAT, content_features, expected_prior, model_row
from service.engagement.prior import load_prior, posterior
from service.post_fields import numbers, page_key, parse_time
from service.readers import read_posts
from service.settings import get_settings

MIN_POSTS = 50
TEST_SHARE = 0.2


def load_export(paths: list[str]) -> tuple[list[dict[str, Any]], int]:
    """Return usable posts (text, date, views, reactions) sorted by time, and rows skipped."""
    posts, skipped = [], 0
    for path in paths:
        for row in read_posts(path):
            d = row.data
            n = numbers(d) if d else None
            when = parse_time(d.get("published_at")) if d else None
            if (row.error or not d or not n or not n.views or when is None
                    or (n.likes is None and n.comments is None and n.reposts is None)):
                skipped += 1
                continue
            d["_time"] = when.replace(tzinfo=None) if when.tzinfo is None else \
                when.astimezone(UTC).replace(tzinfo=None)
            posts.append(d)
    posts.sort(key=lambda d: d["_time"])
    return posts, skipped


def targets(train: list[dict[str, Any]], posts: list[dict[str, Any]]) -> np.ndarray:
    """Return ln(post ER / its page's baseline), with baselines from `train` posts only."""
    prior = load_prior()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in train:
        n = numbers(d)
        s = sums[page_key(d)]
        s[0] += min((n.likes or 0) + (n.comments or 0) + (n.reposts or 0), n.views or 0)
        s[1] += n.views or 0
    out = []
    for d in posts:
        n = numbers(d)
        m0 = prior.er_views(n.subscribers or prior.audience_from_views(n.views or 1))
        hits, views = sums.get(page_key(d), (0.0, 0.0))
        base = (hits + prior.kappa * m0) / (views + prior.kappa)
        h = (n.likes or 0) + (n.comments or 0) + (n.reposts or 0)
        mu, _ = posterior(h, n.views or 0, base, prior.kappa)
        out.append(math.log(mu / base))
    return np.array(out)


def rows_of(posts: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Return the model's feature rows of posts."""
    return [model_row(content_features(d.get("text") or "", d.get("attachments"),
                                       d.get("published_at"))) for d in posts]


def make_pipeline() -> Pipeline:
    """Return the unfitted model: content features -> ridge regression."""
    return Pipeline([("vec", DictVectorizer(sparse=False)), ("ridge", Ridge(alpha=3.0))])


def evaluate(posts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return figures of the model on the latest posts, trained on the earlier ones."""
    cut = int(len(posts) * (1 - TEST_SHARE))
    train, test = posts[:cut], posts[cut:]
    y_train, y_test = targets(train, train), targets(train, test)
    model = make_pipeline().fit(rows_of(train), y_train)
    pred = model.predict(rows_of(test))
    prior_pred = [expected_prior(content_features(d.get("text") or "", d.get("attachments"),
                                                  d.get("published_at")))["score"] for d in test]
    rho = float(spearmanr(pred, y_test).statistic)
    rho_prior = float(spearmanr(prior_pred, y_test).statistic)
    return {
        "train_posts": len(train), "test_posts": len(test),
        "test_from": test[0]["_time"].isoformat(), "test_to": test[-1]["_time"].isoformat(),
        "spearman": round(rho, 3) if rho == rho else None,
        "spearman_prior": round(rho_prior, 3) if rho_prior == rho_prior else None,
        "mae": round(float(np.abs(pred - y_test).mean()), 3),
        "mae_baseline": round(float(np.abs(y_test - float(np.median(y_train))).mean()), 3),
    }


def card(meta: dict[str, Any]) -> str:
    """Return the model card (Markdown)."""
    e = meta["evaluation"]
    return f"""# Expected engagement of a draft (trained)

Trained by `gospablik train engagement` on {meta['posts']} posts ({meta['trained_at']}).
Data: {', '.join(meta['data'])}; sha256 {', '.join(meta['data_sha256'])}.
Rows skipped (no text, date, views or reactions): {meta['skipped']}.

Target: ln(post ER by views / its page's baseline), both shrunk with the engagement prior
(models/engagement/prior.json). Features: attachments, length, paragraphs, links, hashtags,
a question to readers, a call to action, posting hour (3-hour bins). Model: DictVectorizer +
Ridge(alpha=3).

## Time-ordered evaluation
Trained on the earliest {e['train_posts']} posts, tested on the latest {e['test_posts']}
({e['test_from']} … {e['test_to']}).

| | value |
|---|---|
| Spearman ρ, model vs actual lift | {e['spearman']} |
| Spearman ρ, the content prior's score vs actual lift | {e['spearman_prior']} |
| MAE of ln lift, model | {e['mae']} |
| MAE of ln lift, constant (median) | {e['mae_baseline']} |

The saved model is refitted on all posts after this evaluation.

## Intended use and limits
Ranks drafts of the pages it was trained on by the engagement their content may bring. It
knows nothing of topic or timing news; a page unlike the training pages gets a rough guess.
Library versions: scikit-learn {sklearn.__version__}, numpy {np.__version__},
Python {platform.python_version()}.
"""


def train(args: argparse.Namespace) -> int:
    """Train, evaluate and save the expected-engagement model; return the exit code."""
    paths = list(getattr(args, "data", None) or [])
    if not paths:
        print("Ошибка: укажите выгрузку с метриками: --data ФАЙЛ", file=sys.stderr)
        return 2
    posts, skipped = load_export(paths)
    if len(posts) < MIN_POSTS:
        print(f"Ошибка: в выгрузке {len(posts)} постов с текстом, датой, просмотрами и "
              f"реакциями, а нужно хотя бы {MIN_POSTS}", file=sys.stderr)
        return 2
    evaluation = evaluate(posts)
    model = make_pipeline().fit(rows_of(posts), targets(posts, posts))
    y = targets(posts, posts)
    models_dir = getattr(args, "models_dir", None) or get_settings().models_dir
    out = Path(models_dir) / "engagement" / "expected"
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / "model.joblib")
    meta = {
        "name": "engagement-expected", "format_version": MODEL_FORMAT, "posts": len(posts),
        "skipped": skipped, "trained_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "sigma": round(float(np.std(y)) or 1.0, 4), "evaluation": evaluation,
        "data": [Path(p).name for p in paths],
        "data_sha256": [hashlib.sha256(Path(p).read_bytes()).hexdigest()[:16] for p in paths],
        "library_versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
    (out / "MODEL_CARD.md").write_text(card(meta), encoding="utf-8")
    print(f"Модель ожидаемой вовлечённости обучена на {len(posts)} постах и сохранена в {out}.\n"
          f"Проверка на последних по времени {evaluation['test_posts']} постах: ρ Спирмена "
          f"{evaluation['spearman']} (у априорной оценки {evaluation['spearman_prior']}).",
          file=sys.stderr)
    return 0


run = train
