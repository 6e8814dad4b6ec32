"""Cheap necessary conditions of regular expressions, read from the patterns themselves.

Most posts match none of the keyword patterns, and a regular expression that fails walks
every position of the text; a few substring checks for the literals one of which every match
must contain say the same much faster. `Gated` puts a compiled pattern behind them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Any

_sre_parse = _sre_parser.parse
_AT, _LITERAL, _SUBPATTERN, _BRANCH = (_sre_constants.AT, _sre_constants.LITERAL,
                                       _sre_constants.SUBPATTERN, _sre_constants.BRANCH)
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT,
            _sre_constants.POSSESSIVE_REPEAT)


def _needed(items: Any) -> set[str] | None:
    """Return literals one of which every match of the parsed sequence contains, or None.

    Each item of a sequence is needed; of the items that give literals (a run of letters, a
    group, an alternation whose every branch gives some, a repeat at least once) the set
    with the longest shortest literal is taken.
    """
    best: set[str] | None = None
    run: list[str] = []

    def consider(got: set[str] | None) -> None:
        nonlocal best
        if got and all(got) and (best is None or _rank(got) > _rank(best)):
            best = got

    for op, av in items:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is _AT:
            continue  # zero-width (\b, ^): the letters on both sides are one run no more
        if op is _SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if not add_flags and not del_flags:
                consider(_needed(sub.data))
        elif op is _BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = _needed(branch.data)
                if not got:
                    union = set()
                    break
                union |= got
            consider(union or None)
        elif op in _REPEATS and av[0] >= 1:
            consider(_needed(av[2].data))
    if run:
        consider({"".join(run)})
    return best


def _rank(keys: set[str]) -> tuple[int, int]:
    """Return how selective a set of necessary literals is (longer, then fewer, is better)."""
    return min(4, min(map(len, keys))), -len(keys)


def necessary_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Return strings one of which every match of `pattern` contains (None: none known).

    Read from the pattern itself (`_needed`), so the list
    cannot drift from the pattern; a key holding another key is left out (the shorter one
    is found wherever the longer one is). For a case-insensitive pattern the keys are case-
    folded and are looked for in the case-folded text (`str.casefold` maps every letter
    `re.IGNORECASE` takes for a Russian one to that letter: tests/test_facts_gates.py).
    """
    if pattern.flags & re.VERBOSE:
        return None
    keys = _needed(_sre_parse(pattern.pattern, pattern.flags).data)
    if not keys:
        return None
    if pattern.flags & re.IGNORECASE:  # looked for in the case-folded text
        keys = {k.casefold() for k in keys}
    return tuple(sorted(k for k in keys if not any(o != k and o in k for o in keys)))


class Gated:
    """A compiled pattern searched only in texts that hold one of its necessary literals.

    Most posts match none of the keyword patterns, and a regular expression that fails
    walks every position of the text; a few substring checks say the same much faster.
    """

    __slots__ = ("fold", "keys", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        keys = necessary_literals(pattern)
        if not keys or min(map(len, keys)) < 2:
            raise ValueError(f"no useful necessary literals in {pattern.pattern!r}")
        self.pattern = pattern
        self.keys = keys
        self.fold = bool(pattern.flags & re.IGNORECASE)

    def possible(self, text: str) -> bool:
        """Return False when `text` cannot match (it holds none of the literals)."""
        if self.fold:
            text = text.casefold()
        for k in self.keys:
            if k in text:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """Return `re.Pattern.search` of the text (None at once when it cannot match)."""
        return self.pattern.search(text, pos, endpos) if self.possible(text) else None

    def findall(self, text: str) -> list[Any]:
        """Return `re.Pattern.findall` of the text."""
        return self.pattern.findall(text) if self.possible(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Return `re.Pattern.finditer` of the text."""
        return self.pattern.finditer(text) if self.possible(text) else iter(())
