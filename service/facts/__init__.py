"""Facts of a post: patterns, extraction (dates, places, contacts …) and post kinds."""

from service.facts.extract import Facts, extract_facts

__all__ = ["Facts", "extract_facts"]
