"""Evaluate the moderation and spelling checks: profanity, personal_data, typos.

Prints post-level precision and recall on gosposts/train.jsonl (LIST_MIN of personal data chosen
by 5-fold cross-validation), profanity recall on slaviclean lemmas held out of the lexicon and on
disguised forms, false alarms on the innocent traps, and hit rates on the Telegram news corpus
(spelling on the half of it the attested-word list was not built from).

Personal data of children and residents (lists of names, a name with a home address) is scored on
data/moderation/personal_data_cases.jsonl: posts written for this check, each with a `split`. The
rules were developed on "dev" only; "heldout" was written at the same time, before any rule
tuning, and its failures are not listed unless --show-heldout-errors is given. Its failures were
looked at once, and three general fixes followed (a prize is not a famous person's mark; a quote
after an address is not a venue; a venue must be the address's own field), so its figure since
then is not a clean estimate: the clean one, from the first run, is FIRST_HELDOUT. "heldout_b" was
written after that look and before those fixes; the rules were not tuned on it.

Profanity is also scored on data/moderation/profanity_cases.jsonl: 248 госпаблик-style posts and
comments (101 with мат: plain, masked «п...ц», Latin look-alikes, spaced, stretched, transliterated,
obscene insults; 147 without: words and names with obscene substrings, euphemisms, vulgar but not
obscene words, non-obscene insults, officials named in their role, complaints). They were written
before the profanity rules were read and the rules were not tuned on them (split "heldout"; its
failures are listed with --show-profanity-errors). Label: мат — the obscene roots (хуй, пизд-,
еб-/ёб-, бляд-, муд- …), not «говно», «жопа», «хрен», «блин», «дебил». 37 of its 58 innocent
words and names share a word with TRAPS below (same everyday words), so that part is less fresh
than the rest; the other 21 (Хуснуллин, Сукко, Мудьюг, дебаты, колебания, выхухоль …) are new.

Usage: python -m training.eval_moderation [--shared PATH] [--tg-sample N] [--cases-only]
       [--show-dev-errors] [--show-heldout-errors] [--show-profanity-errors]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import pymorphy3

from service.moderation import personal_data as pd
from service.moderation.profanity import Lexicon, find_profanity, get_lexicon
from service.moderation.spelling import find_typos
from service.nlp.pipeline import get_pipeline
from training import build_attested_words as attested
from training import build_profanity_lexicon as lexbuild

REPO = Path(__file__).resolve().parent.parent
PD_CASES = REPO / "training" / "data" / "moderation" / "personal_data_cases.jsonl"
PROFANITY_CASES = REPO / "training" / "data" / "moderation" / "profanity_cases.jsonl"
PROFANITY_SPLIT_TITLE = {"heldout": "отложенные (написаны отдельно от правил)"}
# Kinds whose label is a matter of policy: rude but not мат. The check flags «грубое или
# нецензурное» on purpose (говно, жопа, дебил, офигеть), the cases' label is мат only.
PROFANITY_POLICY_KINDS = frozenset({"vulgar_not_mat", "insult_nonobscene", "euphemism"})
# The figures of the first run (2026-12-07), before its failures were looked at.
PROFANITY_FIRST_RUN = ("P 0.871 R 0.871; without the rude-not-мат kinds P 0.989; plain 27/28, "
                       "masked 14/19, look-alike 17/18, spaced 10/10, stretched/caps 6/6, "
                       "insults 11/11, transliterated 0/6; innocent substrings 44/44 and names "
                       "14/14 not flagged")
# The held-out figures of the first run, before its failures were looked at.
FIRST_HELDOUT = ("P 1.000 R 0.905: children lists 32 of 35, residents lists 9 of 9, name with "
                 "address 16 of 19, negatives 87 of 87 not flagged")
SPLIT_TITLE = {
    "dev": "dev (rules tuned on it)",
    "heldout": "held-out (written apart from the rules)",
    "heldout_b": "held-out B (written after the first held-out run, before the fixes it led to)",
}
TRAPS = (
    "оскорблять хлебать страхуй страхование потребовать команда сукно гребля гребец колебаться "
    "употреблять рубля блямба скипидар мандарин психуй хулиган тебя ребята небо требовать корабля "
    "сабля оглобля Хуанхэ подстрахуй застрахуйте сухую бляха бляшки себе Себастьян мудрый хулить "
    "херувим Херсон херес сучок сучка петуха гребет хрен фига лох мерзкий шляться сравнение "
    "хохолок мандат мандолина истребитель учебник хлеб гребень сугроб Хуан скидка рубль ебонит"
).split()


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, int]:
    """Return precision, recall and the number of gold positives."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    npred, ngold = sum(pred), sum(gold)
    return (tp / npred if npred else 1.0), (tp / ngold if ngold else 1.0), ngold


def eval_train(rows: list[dict]) -> None:
    """Print post-level precision and recall of the three codes on the annotated posts."""
    pipe = get_pipeline()
    preds = {"profanity": [], "personal_data": [], "typos": []}
    for r in rows:
        text = r["text"]
        preds["profanity"].append(bool(find_profanity(text)))
        preds["personal_data"].append(bool(pd.find_personal_data(text)))
        preds["typos"].append(bool(find_typos(pipe.analyse(text))))
    print(f"{'code':15} {'P':>6} {'R':>6} {'n':>4}   (train.jsonl, {len(rows)} posts — на "
          "обучающих данных: the rules were developed looking at them)")
    for code, pred in preds.items():
        p, rec, n = prf(pred, [code in r["labels"]["issues"] for r in rows])
        print(f"{code:15} {p:6.3f} {rec:6.3f} {n:4d}")


def cv_list_min(rows: list[dict], folds: int = 5) -> None:
    """Print personal_data P/R with LIST_MIN picked on 4 folds and scored on the fifth."""
    rng = random.Random(13)
    idx = list(range(len(rows)))
    rng.shuffle(idx)
    gold = ["personal_data" in r["labels"]["issues"] for r in rows]
    preds: dict[int, list[bool]] = {}
    for k in (2, 3, 4, 5):
        pd.LIST_MIN = k
        preds[k] = [bool(pd.find_personal_data(r["text"])) for r in rows]
    pd.LIST_MIN = 3
    out_pred = [False] * len(rows)
    chosen = []
    for f in range(folds):
        test = set(idx[f::folds])
        train = [i for i in idx if i not in test]

        def f1(k: int, ids: list[int] = train) -> float:
            p, r, _ = prf([preds[k][i] for i in ids], [gold[i] for i in ids])
            return 2 * p * r / (p + r) if p + r else 0.0

        best = max(sorted(preds), key=lambda k: (f1(k), k == 3))
        chosen.append(best)
        for i in test:
            out_pred[i] = preds[best][i]
    p, r, n = prf(out_pred, gold)
    print(f"personal_data, 5-fold CV of LIST_MIN (chosen {chosen}): P {p:.3f} R {r:.3f} (n={n})")


def eval_heldout_lemmas(shared: Path, folds: int = 5) -> None:
    """Print recall on forms of slaviclean lemmas left out of the lexicon (roots must catch them)."""
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    pairs = lexbuild.slaviclean_forms(shared / lexbuild.CSV)
    shipped = get_lexicon().forms
    lemmas = sorted({lemma for _, lemma in pairs})
    random.Random(7).shuffle(lemmas)
    hit = total = 0
    for f in range(folds):
        held = set(lemmas[f::folds])
        train = [(w, lemma) for w, lemma in pairs if lemma not in held]
        lex = Lexicon(sorted(lexbuild.build(train + lexbuild.insult_forms(morph), morph)))
        test = {w for w, lemma in pairs if lemma in held and w in shipped}
        hit += sum(lex.is_profane(w) for w in test)
        total += len(test)
    print(f"profanity recall on held-out slaviclean lemmas' forms ({folds} folds, перекрёстная "
          f"проверка: each fold's lemmas left out of the lexicon): {hit / total:.3f} of {total}")


LATIN = {"х": "x", "у": "y", "е": "e", "о": "o", "р": "p", "а": "a", "с": "c"}


def disguises(word: str, rng: random.Random) -> dict[str, str]:
    """Return disguised spellings of a word: masked, Latin look-alikes, spaced, stretched."""
    i = rng.randrange(1, len(word) - 1) if len(word) > 2 else 1
    latin = "".join(LATIN.get(c, c) for c in word)
    return {
        "masked": word[:i] + "*" + word[i + 1 :],
        "latin": latin if latin != word else word[0] + "\u0445" + word[1:],
        "spaced": " ".join(word),
        "stretched": word[:i] + word[i] * 3 + word[i + 1 :],
    }


def eval_disguised(n: int = 1500) -> None:
    """Print recall on disguised spellings of lexicon forms and false alarms on the traps."""
    rng = random.Random(3)
    forms = [w for w in get_lexicon().ordered if len(w) >= 4]
    sample = rng.sample(forms, min(n, len(forms)))
    for kind in ("masked", "latin", "spaced", "stretched"):
        got = sum(bool(find_profanity(disguises(w, rng)[kind])) for w in sample)
        print(f"profanity recall, {kind:9}: {got / len(sample):.3f} of {len(sample)} (на "
              "обучающих данных: disguises of the lexicon's own forms)")
    fired = [w for w in TRAPS if find_profanity(w)]
    print(f"innocent traps: {len(fired)} of {len(TRAPS)} fire {fired} (на обучающих данных: "
          "listed while the rules were written)")


def eval_tg(shared: Path, sample: int) -> None:
    """Print the share of real news posts each check fires on, and the speed per 1,000 chars."""
    posts = attested.read_posts(shared, "odd")
    rng = random.Random(5)
    posts = rng.sample(posts, min(sample, len(posts)))
    seen = frozenset(attested.attested(attested.read_posts(shared, "even")))
    pipe = get_pipeline()
    docs = [pipe.analyse(t) for _, t in posts]
    timings = {}
    hits = {}
    for name, fn, args in (
        ("profanity", find_profanity, [t for _, t in posts]),
        ("personal_data", pd.find_personal_data, [t for _, t in posts]),
        ("typos", lambda d: find_typos(d, seen), docs),
    ):
        fn(args[0])
        t0 = time.perf_counter()
        hits[name] = sum(bool(fn(a)) for a in args)
        timings[name] = (time.perf_counter() - t0) * 1e3
    chars = sum(len(t) for _, t in posts) / 1000
    print(f"tg_news_posts ({len(posts)} posts of the held-out half):")
    for name in hits:
        print(f"  {name:14} fires on {hits[name] / len(posts):6.2%} of posts; "
              f"{timings[name] / chars:.3f} ms per 1,000 chars (first pass, cold caches)")


def eval_pd_cases(path: Path = PD_CASES, show: frozenset[str] = frozenset()) -> dict:
    """Print personal_data precision and recall on the written cases, per split and per kind.

    Return {split: (precision, recall, n_pos, n_neg)}. Failures are listed for the splits in
    `show` only (dev while developing; heldout for the final report).
    """
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    out = {}
    for split in SPLIT_TITLE:
        part = [r for r in rows if r["split"] == split]
        if not part:
            continue
        pred = [bool(pd.find_personal_data(r["text"])) for r in part]
        gold = [bool(r["personal_data"]) for r in part]
        p, rec, npos = prf(pred, gold)
        out[split] = (p, rec, npos, len(part) - npos)
        print(f"personal_data cases, {SPLIT_TITLE[split]}: P {p:.3f} R {rec:.3f} "
              f"(positives {npos}, negatives {len(part) - npos})")
        if split == "heldout":
            print(f"  (first run, before its failures were seen: {FIRST_HELDOUT})")
        for kind in sorted({r["kind"] for r in part}):
            ids = [i for i, r in enumerate(part) if r["kind"] == kind]
            right = sum(pred[i] == gold[i] for i in ids)
            what = "found" if gold[ids[0]] else "not flagged"
            print(f"  {kind:22} {what:11} {right:3d} of {len(ids):3d}")
        if split in show:
            for r, pr, g in zip(part, pred, gold, strict=True):
                if pr != g:
                    got = [(x.kind, r["text"][x.start : x.end])
                           for x in pd.find_personal_data(r["text"])]
                    print(f"  MISS {r['kind']}: {r['text']!r}" if g else
                          f"  FALSE {r['kind']}: {got}")
    return out


def eval_profanity_cases(path: Path = PROFANITY_CASES, show: bool = False) -> dict:
    """Print profanity precision and recall on the written cases, per split and per kind.

    Return {split: (precision, recall, n_pos, n_neg, {kind: (right, n)})}. Failures are listed
    only when `show` is set (the cases are held out: look once, do not tune the rules on them).
    """
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    out = {}
    for split, title in PROFANITY_SPLIT_TITLE.items():
        part = [r for r in rows if r["split"] == split]
        if not part:
            continue
        found = [find_profanity(r["text"]) for r in part]
        pred = [bool(x) for x in found]
        gold = [bool(r["profanity"]) for r in part]
        p, rec, npos = prf(pred, gold)
        kinds = {}
        print(f"profanity cases, {title}: P {p:.3f} R {rec:.3f} "
              f"(positives {npos}, negatives {len(part) - npos})")
        for kind in sorted({r["kind"] for r in part}, key=lambda k: (not gold[
                next(i for i, r in enumerate(part) if r["kind"] == k)], k)):
            ids = [i for i, r in enumerate(part) if r["kind"] == kind]
            right = sum(pred[i] == gold[i] for i in ids)
            kinds[kind] = (right, len(ids))
            what = "found" if gold[ids[0]] else "not flagged"
            print(f"  {kind:22} {what:11} {right:3d} of {len(ids):3d}")
        keep = [i for i, r in enumerate(part) if r["kind"] not in PROFANITY_POLICY_KINDS]
        p2, _, _ = prf([pred[i] for i in keep], [gold[i] for i in keep])
        print(f"  without the kinds rude but not мат ({', '.join(sorted(PROFANITY_POLICY_KINDS))}"
              f", flagged by design): P {p2:.3f}")
        if split == "heldout":
            print(f"  (first run, before its failures were seen: {PROFANITY_FIRST_RUN})")
        out[split] = (p, rec, npos, len(part) - npos, kinds)
        if show:
            for r, x, pr, g in zip(part, found, pred, gold, strict=True):
                if pr != g:
                    got = [r["text"][m.start : m.end] for m in x]
                    print(f"  MISS {r['kind']}: {r['text']!r}" if g else
                          f"  FALSE {r['kind']}: {got} in {r['text']!r}")
    return out


def main(argv: list[str] | None = None) -> None:
    """Run every evaluation and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--tg-sample", type=int, default=4000)
    ap.add_argument("--cases-only", action="store_true",
                    help="only the written cases of data/moderation (personal data, profanity)")
    ap.add_argument("--show-dev-errors", action="store_true")
    ap.add_argument("--show-heldout-errors", action="store_true")
    ap.add_argument("--show-profanity-errors", action="store_true")
    args = ap.parse_args(argv)
    show = frozenset(s for s, on in (("dev", args.show_dev_errors),
                                     ("heldout", args.show_heldout_errors),
                                     ("heldout_b", args.show_heldout_errors)) if on)
    eval_pd_cases(show=show)
    eval_profanity_cases(show=args.show_profanity_errors)
    if args.cases_only:
        return
    with open(args.shared / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    eval_train(rows)
    cv_list_min(rows)
    eval_heldout_lemmas(args.shared)
    eval_disguised()
    eval_tg(args.shared, args.tg_sample)


if __name__ == "__main__":
    main()
