"""Expected engagement of a draft from its content: a documented prior, or a trained model.

The prior is a table of points over a typical post (50), from common practice of community
pages, not fitted on data: it says so in its reason. `gospablik train engagement --data EXPORT`
fits a model of a post's ER relative to its page's baseline from the same features; when
`models/engagement/expected/` holds one, drafts are scored by it instead.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.engagement.prior import percentile
from service.nlp.gate import Gated
from service.post_fields import parse_time
from service.settings import models_path

MODEL_FORMAT = 1

_URL = re.compile(r"https?://\S+|www\.\S+")
_HASHTAG = re.compile(r"#\w+")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_APPEAL = re.compile(
    r"\b(?:вы|вас|вам|ваш\w*|расскажите|поделитесь|напишите|как думаете|как считаете|"
    r"а как у вас|согласны)\b", re.IGNORECASE)
_CTA = Gated(re.compile(
    r"\b(?:приходите|записывайтесь|запишитесь|регистрируйтесь|зарегистрируйтесь|голосуйте|"
    r"проголосуйте|пишите|напишите|звоните|позвоните|участвуйте|примите участие|поделитесь|"
    r"подписывайтесь|подпишитесь|переходите|перейдите|узнайте|оставляйте|оставьте|"
    r"присоединяйтесь|жд[её]м вас|не пропустите|успейте|подайте|заполните|ставьте|"
    r"приглашаем)\b", re.IGNORECASE))  # searched only in texts that hold one of its stems

# (feature, test, points, what the reader is told). Points over a typical post = 50.
PRIOR = [
    ("video", lambda f: f["video"], 12, "есть видео"),
    ("photo", lambda f: f["photo"] and not f["video"], 8, "есть фото"),
    ("poll", lambda f: f["poll"], 6, "есть опрос"),
    ("no_media", lambda f: f["n_attachments"] == 0, -10, "нет ни фото, ни видео"),
    ("short", lambda f: f["n_chars"] < 100, -6, "очень короткий текст"),
    ("fit_length", lambda f: 100 <= f["n_chars"] <= 1500, 3, "удобная длина"),
    ("long", lambda f: f["n_chars"] > 2500, -6, "очень длинный текст"),
    ("question", lambda f: f["question"], 8, "вопрос к читателям"),
    ("cta", lambda f: f["cta"], 5, "призыв к действию"),
    ("good_hour", lambda f: f["hour"] in (7, 8, 9, 17, 18, 19, 20, 21), 4, "удачное время"),
    ("night", lambda f: f["hour"] is not None and (f["hour"] >= 23 or f["hour"] < 6), -8,
     "публикация ночью"),
    ("hashtags", lambda f: f["n_hashtags"] > 5, -4, "много хештегов"),
]
BY_MODEL = "оценка модели"  # how a draft's expected engagement is marked for people
# Flags of every draft's result: the score is the model's expectation, nothing was measured.
MODEL_FLAGS = {"estimated": True, "estimate_note": BY_MODEL}
PRIOR_REASON = ("оценка по содержанию — априорная, по общим правилам, а не по статистике "
                "ваших постов")


def content_features(text: str, attachments: list[str] | None = None,
                     published_at: Any = None) -> dict[str, Any]:
    """Return the content factors of a post that engagement depends on."""
    atts = [str(a) for a in attachments or []]
    links = "http" in text or "www." in text  # every match of `_URL` holds one of them
    prose = _URL.sub(" ", text) if links else text
    when = parse_time(published_at) if not isinstance(published_at, datetime) else published_at
    return {
        "n_chars": len(text),
        "n_attachments": len(atts),
        "photo": any(a in ("photo", "album") for a in atts),
        "video": any(a in ("video", "clip") for a in atts),
        "poll": "poll" in atts,
        "question": "?" in prose and ("?" in prose.rstrip()[-300:]
                                      or bool(_APPEAL.search(prose))),
        "cta": bool(_CTA.search(prose)),
        "n_hashtags": len(_HASHTAG.findall(text)) if "#" in text else 0,
        "n_links": len(_URL.findall(text)) if links else 0,
        "n_paragraphs": (max(1, len([p for p in _PARAGRAPHS.split(text) if p.strip()]))
                         if "\n" in text else 1),
        "hour": when.hour if when is not None else None,
    }


def expected_prior(features: dict[str, Any]) -> dict[str, Any]:
    """Return the prior's expected engagement (0–100) of a draft with its factors."""
    factors = [(name, pts, msg) for name, test, pts, msg in PRIOR if test(features)]
    score = max(5.0, min(95.0, 50.0 + sum(p for _, p, _ in factors)))
    told = ", ".join(f"{msg} ({'+' if p > 0 else '−'}{abs(p)})" for _, p, msg in factors)
    return {"score": round(score, 1), "kind": "expected", "model": "prior", **MODEL_FLAGS,
            "reason": PRIOR_REASON + (f": {told}" if told else ""),
            "factors": [{"factor": n, "effect": p, "message": m} for n, p, m in factors]}


@lru_cache(maxsize=1)
def load_trained(model_dir: str | None = None) -> dict[str, Any] | None:
    """Return the trained expected-engagement model and its meta, or None when absent."""
    d = Path(model_dir) if model_dir else models_path("engagement", "expected")
    meta_file = d / "meta.json"
    if not meta_file.exists():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("format_version") != MODEL_FORMAT:
        return None
    import joblib  # only when a region has trained a model: keeps drafts fast otherwise

    return {"pipeline": joblib.load(d / "model.joblib"), "meta": meta}


def model_row(features: dict[str, Any]) -> dict[str, float]:
    """Return the features as the numeric row the trained model takes."""
    row = {k: float(v) for k, v in features.items() if k != "hour" and v is not None}
    hour = features.get("hour")
    row["n_chars_log"] = math.log1p(features["n_chars"])
    if hour is not None:
        row[f"hour_{hour // 3 * 3:02d}"] = 1.0
    return row


def expected(text: str, attachments: list[str] | None = None, published_at: Any = None,
             model_dir: str | None = None) -> dict[str, Any]:
    """Return the expected engagement of a draft: the trained model when present, else the prior."""
    features = content_features(text, attachments, published_at)
    trained = load_trained(model_dir)
    if trained is None:
        return expected_prior(features)
    meta = trained["meta"]
    lift = float(trained["pipeline"].predict([model_row(features)])[0])
    score = percentile(lift / meta["sigma"])
    times = f"{math.exp(lift):.2f}".replace(".", ",")
    return {"score": round(score, 1), "kind": "expected", "model": "trained", **MODEL_FLAGS,
            "reason": (f"оценка по содержанию по модели, обученной на {meta['posts']} постах "
                       f"({meta['trained_at']}): ожидаемый ER — {times} от обычного для "
                       "страницы")}
