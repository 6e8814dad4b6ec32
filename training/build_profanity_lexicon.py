"""Build service/lexicons/profanity_forms.txt.gz: obscene and insulting word forms, one a line.

Sources: slaviclean_ru_profanity.csv (22k forms of 287 lemmas, MIT, slaviclean), the pymorphy3
forms of those lemmas it misses, and our own service/lexicons/insults.txt (lemmas expanded to
all forms with pymorphy3). Dropped:
- forms pymorphy3 knows only as an innocent word (the list has generation slips such as
  «петуха», «гребет», «вебу», «задалбливаю»), except KEEP;
- lemmas whose ordinary meaning is common on public pages (EXCLUDE_LEMMAS, EXCLUDE_FORMS).
Every form is written in lower case with «ё» as «е».

Usage: python -m training.build_profanity_lexicon [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

import pymorphy3

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "service" / "lexicons" / "profanity_forms.txt.gz"
INSULTS = REPO / "service" / "lexicons" / "insults.txt"
CSV = Path("lexicons") / "profanity" / "slaviclean_ru_profanity.csv"

# Ordinary words on a public page: «мерзкий поступок», «шляться», horseradish, fig tree,
# a belt buckle («бляха»; «бляха-муха» is as mild as «блин»), a tuft («хохолок»), a plant («лох
# серебристый»), «быковать» (to act tough).
EXCLUDE_LEMMAS = frozenset({
    "мерзкий", "мерзота", "мерзотный", "шляться", "хрен", "фига", "фиговый", "фигово",
    "бляха", "бляхамуха", "хохолка", "хохол", "быковать", "лох", "ебург", "сучка",
})
EXCLUDE_FORMS = frozenset({"хренов", "фиг", "сук", "сучья", "дрочена", "дрочен", "дрочены", "сса"})
KEEP = frozenset({"сука", "суке", "суку", "хули"})  # the innocent reading («сук») is rare
VULGAR_TAGS = frozenset({"Slng", "Infr"})


def yo(word: str) -> str:
    """Return the word in lower case with «ё» written as «е»."""
    return word.lower().replace("ё", "е")


def innocent_only(morph: pymorphy3.MorphAnalyzer, form: str, lemmas: set[str]) -> bool:
    """Return True when every dictionary reading of `form` is an ordinary, non-profane word."""
    if not morph.word_is_known(form):
        return False
    for p in morph.parse(form):
        if yo(p.normal_form) in lemmas or VULGAR_TAGS & p.tag.grammemes:
            return False
    return True


def slaviclean_forms(path: Path) -> list[tuple[str, str]]:
    """Return (form, lemma) pairs of the slaviclean list."""
    with open(path, encoding="utf-8") as f:
        return [(yo(r["flexion"]), yo(r["lemma"])) for r in csv.DictReader(f)]


def lexeme_forms(morph: pymorphy3.MorphAnalyzer, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the dictionary forms of the slaviclean lemmas pymorphy3 knows (fills gaps: «херню»)."""
    out = []
    for lemma in sorted({lemma for _, lemma in pairs} - EXCLUDE_LEMMAS):
        if not morph.word_is_known(lemma):
            continue
        for p in morph.parse(lemma):
            if yo(p.normal_form) == lemma:
                out.extend((yo(f.word), lemma) for f in p.lexeme)
                break
    return out


def insult_forms(morph: pymorphy3.MorphAnalyzer) -> list[tuple[str, str]]:
    """Return (form, lemma) pairs of every form of our insult lemmas."""
    out = []
    for line in INSULTS.read_text(encoding="utf-8").splitlines():
        lemma = line.split("#", 1)[0].strip()
        if not lemma:
            continue
        parses = [p for p in morph.parse(lemma) if yo(p.normal_form) == yo(lemma)] or morph.parse(lemma)
        for form in {yo(f.word) for f in parses[0].lexeme}:
            out.append((form, yo(lemma)))
    return out


def build(pairs: list[tuple[str, str]], morph: pymorphy3.MorphAnalyzer) -> set[str]:
    """Return the forms to ship after the exclusions."""
    lemmas = {lemma for _, lemma in pairs} - EXCLUDE_LEMMAS
    out = set()
    for form, lemma in pairs:
        if lemma in EXCLUDE_LEMMAS or form in EXCLUDE_FORMS or len(form) < 2:
            continue
        if form not in KEEP and innocent_only(morph, form, lemmas):
            continue
        out.add(form)
    return out


def main(argv: list[str] | None = None) -> None:
    """Write the gzipped lexicon and print its size."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args(argv)
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    pairs = slaviclean_forms(args.shared / CSV)
    pairs += lexeme_forms(morph, pairs) + insult_forms(morph)
    forms = build(pairs, morph)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(sorted(forms)) + "\n")
    print(f"{OUT.relative_to(REPO)}: {len(forms)} forms of {len(pairs)}, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
