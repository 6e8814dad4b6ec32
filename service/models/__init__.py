"""Trained text models (usefulness and rubric): features, loading, prediction, reasons."""

from __future__ import annotations

FORMAT_VERSION = 1  # bump when PostFeatures or TextModels change incompatibly
TEXT_MODEL = "text"  # models/text/<version>/

__all__ = ["FORMAT_VERSION", "TEXT_MODEL"]
