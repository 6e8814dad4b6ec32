"""Groups of near-duplicate posts (MinHash over word shingles), so CV folds never split them.

Templated posts («Уважаемые жители! 14 марта отключение воды…») differ by a date or an address;
if one copy sits in training and another in testing, cross-validation flatters the model.
MinHash with banding finds candidate pairs in linear time; candidates are confirmed by the exact
Jaccard similarity of their shingle sets, and connected posts form one group.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
_PRIME = (1 << 61) - 1
N_PERM, BANDS = 64, 16  # 16 bands of 4 rows: pairs with Jaccard >= ~0.4 are found reliably


def shingles(text: str, k: int = 3) -> set[int]:
    """Return the hashed word k-shingles of a text (digits masked, so dates do not matter)."""
    words = [w if not w.isdigit() else "0" for w in _WORD.findall(text.lower())]
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())}
    return {zlib.crc32(" ".join(words[i : i + k]).encode()) for i in range(len(words) - k + 1)}


def near_duplicate_groups(texts: Sequence[str], threshold: float = 0.5, prefix_words: int = 8,
                          seed: int = 13) -> list[int]:
    """Return a group id per text; texts with shingle Jaccard >= threshold or the same first
    `prefix_words` words (digits masked) share a group."""
    n = len(texts)
    sets = [shingles(t) for t in texts]
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, N_PERM, dtype=np.uint64)
    b = rng.integers(0, _PRIME, N_PERM, dtype=np.uint64)
    rows = N_PERM // BANDS
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, bytes], list[int]] = {}
    prefixes: dict[str, int] = {}
    for i, t in enumerate(texts):
        words = _WORD.findall(t.lower())
        if len(words) >= prefix_words:
            key = " ".join("0" if w.isdigit() else w for w in words[:prefix_words])
            first = prefixes.setdefault(key, i)
            if first != i:
                parent[find(i)] = find(first)
    for i, s in enumerate(sets):
        x = np.fromiter(s, dtype=np.uint64, count=len(s))
        # (a*x + b) mod p, computed in uint64 with wrap-around; fine as a hash family here.
        sig = ((x[:, None] * a[None, :] + b[None, :]) % _PRIME).min(axis=0)
        for band in range(BANDS):
            key = (band, sig[band * rows : (band + 1) * rows].tobytes())
            buckets.setdefault(key, []).append(i)
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        # all pairs in small buckets; in a huge bucket (a mass template) each against the first
        pairs = ([(p, q) for k, p in enumerate(members) for q in members[k + 1 :]]
                 if len(members) <= 30 else [(members[0], q) for q in members[1:]])
        for p, q in pairs:
            if (p, q) in checked or find(p) == find(q):
                continue
            checked.add((p, q))
            inter = len(sets[p] & sets[q])
            if inter / (len(sets[p]) + len(sets[q]) - inter) >= threshold:
                parent[find(q)] = find(p)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(n)]
