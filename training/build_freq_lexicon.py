"""Build service/lexicons/freq_rnc2011.tsv: lemma -> frequency (ipm) from the RNC list.

Source: freqrnc2011.tsv, «(c) О. Н. Ляшевская, С. А. Шаров, НКРЯ 2009-2011» (free with citation).
The ipm of a lemma is summed over its parts of speech; «ё» is written «е» (as our lemmas are);
lemmas under 1 ipm are dropped: at run time a missing lemma counts as rare anyway.

Usage: python -m training.build_freq_lexicon [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "service" / "lexicons" / "freq_rnc2011.tsv"
MIN_IPM = 1.0
HEADER = (
    "# lemma<TAB>ipm — frequency of a lemma in the Russian National Corpus (summed over parts\n"
    "# of speech, ё -> е, lemmas of 1 ipm and more). Source: freqrnc2011.tsv,\n"
    "# (c) О. Н. Ляшевская, С. А. Шаров, НКРЯ 2009-2011. Built by training/build_freq_lexicon.py\n"
)


def read_rnc(path: Path) -> dict[str, float]:
    """Return lemma -> ipm summed over parts of speech."""
    ipm: dict[str, float] = defaultdict(float)
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            lemma = row["Lemma"].strip().lower().replace("ё", "е")
            if lemma:
                ipm[lemma] += float(row["Freq(ipm)"])
    return dict(ipm)


def main(argv: list[str] | None = None) -> None:
    """Write the compact lexicon and print how many lemmas it has."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args(argv)
    ipm = read_rnc(args.shared / "lexicons" / "frequency" / "freqrnc2011.tsv")
    rows = sorted(((k, v) for k, v in ipm.items() if v >= MIN_IPM), key=lambda kv: (-kv[1], kv[0]))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for lemma, v in rows:
            f.write(f"{lemma}\t{v:.1f}\n")
    print(f"{OUT.relative_to(REPO)}: {len(rows)} lemmas of {len(ipm)}")


if __name__ == "__main__":
    main()
