"""Places of pages by overall within a region's week and among pages of the same type (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

K = TypeVar("K")


def ranks(entries: Iterable[tuple[K, str, str, str | None, float | None]]
          ) -> dict[K, dict[str, int | None]]:
    """Return the places of (key, region, week, type, overall) entries, best overall first.

    Within a region and week (`region`, of `region_of`), and among the pages of the same type
    there (`type`, `type_of`). Ties share a place (1, 2, 2, 4); no overall, no place.
    """
    groups: defaultdict[tuple[Any, ...], list[tuple[K, float]]] = defaultdict(list)
    out: dict[K, dict[str, int | None]] = {}
    for key, reg, wk, typ, value in entries:
        out[key] = {"region": None, "region_of": None, "type": None, "type_of": None}
        if value is None:
            continue
        groups[("region", reg, wk)].append((key, value))
        if typ:
            groups[("type", reg, wk, typ)].append((key, value))
    for group, members in groups.items():
        kind = group[0]
        members.sort(key=lambda m: -m[1])
        prev, place = None, 0
        for i, (key, value) in enumerate(members, 1):
            if value != prev:
                place, prev = i, value
            out[key][kind] = place
            out[key][f"{kind}_of"] = len(members)
    return out
