"""The engagement prior fitted on NGO VK pages, and the beta-binomial shrinkage built on it."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.errors import ModelError
from service.settings import models_path

FORMAT_VERSION = 1
LN10 = math.log(10)
Z_LOWER = 0.674  # rank by the 25th percentile of the posterior: small samples cannot top a list


@dataclass(frozen=True, slots=True)
class Prior:
    """How ER by views and reach fall with audience size (see models/engagement/MODEL_CARD.md)."""

    er_a: float
    er_b: float
    sigma: float  # spread of ER between pages, log scale
    reach_a: float
    reach_b: float
    kappa: float  # strength of the beta prior, in views
    repost_factor: float
    sigma_within: float  # spread of a post around its page's baseline, log scale
    lo: float
    hi: float
    default_subscribers: int

    def _x(self, subscribers: float | None) -> float:
        s = self.default_subscribers if not subscribers else subscribers
        return math.log10(min(max(s, self.lo), self.hi))

    def er_views(self, subscribers: float | None) -> float:
        """Return the expected ER by views (a share, reposts included) for an audience size."""
        return math.exp(self.er_a + self.er_b * self._x(subscribers)) * self.repost_factor

    def reach(self, subscribers: float | None) -> float:
        """Return the expected views per post divided by subscribers."""
        return math.exp(self.reach_a + self.reach_b * self._x(subscribers))

    def audience_from_views(self, views: float) -> float:
        """Return the audience size whose expected views per post equal `views`."""
        if views <= 0:
            return self.lo
        x = (math.log(views) - self.reach_a) / (LN10 + self.reach_b)
        return min(max(10**x, self.lo), self.hi)


@lru_cache(maxsize=1)
def load_prior(path: str | None = None) -> Prior:
    """Return the shipped prior (cached); raise `ModelError` when missing or incompatible."""
    p = Path(path) if path else models_path("engagement", "prior.json")
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"нет файла априорной модели вовлечённости {p}: запустите "
                         f"python -m training.engagement_prior ({exc})") from None
    if d.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{p}: версия формата {d.get('format_version')}, нужна "
                         f"{FORMAT_VERSION}; пересоздайте: python -m training.engagement_prior")
    lo, hi = d["subscribers_range"]
    return Prior(d["er_views"]["intercept"], d["er_views"]["slope"], d["er_views"]["sigma"],
                 d["reach"]["intercept"], d["reach"]["slope"], d["kappa"], d["repost_factor"],
                 d["sigma_within"], lo, hi, d["default_subscribers"])


def posterior(hits: float, trials: float, mean: float, kappa: float) -> tuple[float, float]:
    """Return the beta-binomial posterior mean of a rate and its 25th-percentile lower bound."""
    hits = min(hits, trials)
    mu = (hits + kappa * mean) / (trials + kappa)
    sd = math.sqrt(mu * (1 - mu) / (trials + kappa + 1))
    return mu, mu * math.exp(-Z_LOWER * sd / mu) if mu > 0 else 0.0


def percentile(z: float) -> float:
    """Return 100·Φ(z), the share of a normal population below z, in percent."""
    return 50.0 * (1.0 + math.erf(z / math.sqrt(2.0)))


def vs(rate: float, baseline: float, sigma: float) -> float:
    """Return the 0–100 standing of `rate` against `baseline` on a log scale of spread `sigma`."""
    if rate <= 0 or baseline <= 0:
        return 0.0
    return percentile(math.log(rate / baseline) / sigma)
