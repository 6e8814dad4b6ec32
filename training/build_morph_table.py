"""Build models/morph/: the frequent word forms of real posts with their pymorphy3 readings.

    python -m training.build_morph_table [--shared ../shared/data] [--min-count 2]

Forms are counted as the service's tokenizer sees them (service.nlp.pipeline: lower-cased
words, and the words of hashtags) in the Telegram corpus (CC BY 4.0) and our annotated posts;
every 10th Telegram post is held out and only measures the coverage of the table. Each form
kept gets exactly what `MorphAnalyzer.parse` returns (normal form with ё as е, tag, score,
in order) and `word_is_known`. The table is valid only with the pymorphy3 and dictionary
versions written in meta.json: the service checks them and parses everything itself otherwise.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from service.models.features import _HASHTAG_WORD
from service.nlp.morph import _tag_info
from service.nlp.morph_table import (
    FORMAT_VERSION,
    META_FILE,
    TABLE_FILE,
    encode,
    library_versions,
    load_table,
    write_table,
)
from service.nlp.normalize import normalize
from service.nlp.tokenize import tokenize

REPO = Path(__file__).resolve().parent.parent
HOLD_OUT_EVERY = 10


def forms(text: str) -> Iterator[str]:
    """Yield the lower-cased word forms the service will look up for `text`."""
    nt = normalize(text).text
    for kind, s, e in tokenize(nt):
        if kind == "word":
            yield nt[s:e].lower()
        elif kind == "hashtag":
            yield from (w.lower() for w in _HASHTAG_WORD.findall(nt[s:e]) if len(w) > 1)


def corpus(shared: Path) -> tuple[list[str], list[str], list[str]]:
    """Return (training texts, held-out texts, source descriptions)."""
    csv.field_size_limit(10**7)
    tg = shared / "corpora" / "tg_news_posts.csv"
    with tg.open(encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["text"].strip()]
    train = [t for i, t in enumerate(texts) if i % HOLD_OUT_EVERY]
    held = [t for i, t in enumerate(texts) if i % HOLD_OUT_EVERY == 0]
    ours = REPO / "training" / "data" / "gosposts" / "train.jsonl"
    with ours.open(encoding="utf-8") as f:
        train += [json.loads(line)["text"] for line in f if line.strip()]
    sources = [f"{tg.name} (sha256 {_sha256(tg)[:12]}): {len(texts) - len(held)} posts, "
               f"every {HOLD_OUT_EVERY}th of {len(texts)} held out",
               f"training/data/gosposts/train.jsonl (sha256 {_sha256(ours)[:12]})"]
    return train, held, sources


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_forms(texts: Iterable[str]) -> Counter[str]:
    """Return how often each form occurs."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(forms(t))
    return counts


def build(out: Path, shared: Path, min_count: int) -> dict[str, object]:
    """Write the table and its meta.json into `out`; return the meta."""
    import pymorphy3

    t0 = time.perf_counter()
    train, held, sources = corpus(shared)
    counts = count_forms(train)
    kept = sorted(f for f, c in counts.items() if c >= min_count)
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    tag_ids: dict[object, int] = {}
    tags: list[tuple[str | None, list[str]]] = []
    items: dict[str, bytes] = {}
    for form in kept:
        parses = []
        for p in morph.parse(form):
            tid = tag_ids.get(p.tag)
            if tid is None:
                pos, grams = _tag_info(p.tag)
                tid = tag_ids[p.tag] = len(tags)
                tags.append((pos, sorted(grams)))
            parses.append((p.normal_form.replace("ё", "е"), tid, p.score))
        items[form] = encode(morph.word_is_known(form), parses)
    out.mkdir(parents=True, exist_ok=True)
    size = write_table(out / TABLE_FILE, items)
    held_counts = count_forms(held)
    held_tokens = sum(held_counts.values())
    covered = sum(c for f, c in held_counts.items() if f in items)
    meta: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code_revision": _revision(),
        "versions": library_versions(),
        "dictionary": {k: str(morph.dictionary.meta.get(k)) for k in
                       ("compiled_at", "source_version", "source_revision")},
        "sources": sources,
        "min_count": min_count,
        "forms": len(items),
        "bytes": size,
        "table_sha256": _sha256(out / TABLE_FILE),
        "held_out": {"posts": len(held), "word_tokens": held_tokens,
                     "token_coverage": round(covered / max(1, held_tokens), 4),
                     "distinct_forms": len(held_counts),
                     "form_coverage": round(sum(f in items for f in held_counts)
                                            / max(1, len(held_counts)), 4)},
        "build_seconds": round(time.perf_counter() - t0, 1),
        "tags": tags,
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    check(out, morph, kept)
    return meta


def check(out: Path, morph: object, kept: list[str]) -> None:
    """Read the written table back and compare every form with pymorphy3 (raise if different)."""
    from service.nlp.morph import Morph

    table, why_not = load_table(out)
    if table is None:
        raise SystemExit(f"таблица не читается: {why_not}")
    plain, fast = Morph(), Morph(table=table)
    plain.__dict__["analyzer"] = morph
    for form in kept:
        if plain.readings(form) != fast.readings(form) or plain.analyse(form) != fast.analyse(form):
            raise SystemExit(f"форма «{form}»: таблица расходится с pymorphy3")


def _revision() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Build the table; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "models" / "morph")
    ap.add_argument("--min-count", type=int, default=1, help="forms seen at least this often")
    args = ap.parse_args(argv)
    meta = build(args.out, args.shared, args.min_count)
    print(json.dumps({k: v for k, v in meta.items() if k != "tags"}, ensure_ascii=False,
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
