"""`PostFeatures`: records -> sparse features as a scikit-learn transformer (training).

The service never imports this module: it loads fitted models with `FeatureRows` in its place
(service.models.loader), which has everything but `fit`. Pickles name the class
`service.models.features.PostFeatures`, as before the split, so both load either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from service.models.features import BLOCKS, FeatureRows, PostRecord, TermBlock


class PostFeatures(BaseEstimator, TransformerMixin, FeatureRows):  # type: ignore[misc]
    """Records -> sparse features; `blocks` switches blocks (e.g. "facts") on and off."""

    def __init__(self, blocks: tuple[str, ...] = ("terms", "meta", "surface", "signals"),
                 min_df: int = 2, max_terms: int = 40_000,
                 weights: dict[str, float] | None = None) -> None:
        self.blocks = blocks
        self.min_df = min_df
        self.max_terms = max_terms
        self.weights = weights

    def fit(self, records: Sequence[PostRecord], y: Any = None) -> PostFeatures:
        """Fit every block; return self."""
        self.blocks_ = []
        offset = 0
        self.offsets_ = {}
        for name in self.blocks:
            cls = BLOCKS[name]
            block = (cls(self.min_df, self.max_terms) if issubclass(cls, TermBlock) else cls())
            block.fit(records)
            width = len(block.names())
            self.blocks_.append((offset, block, (self.weights or {}).get(name, 1.0)))
            self.offsets_[name] = (offset, offset + width)
            offset += width
        self.n_features_ = offset
        return self


PostFeatures.__module__ = "service.models.features"  # the name pickles carry
