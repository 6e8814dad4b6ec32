"""Officialese (канцелярит): the lexicon of patterns (`lexicon`) and the finder (`finder`)."""

from service.officialese.finder import Hit, find_kantselyarit

__all__ = ["Hit", "find_kantselyarit"]
