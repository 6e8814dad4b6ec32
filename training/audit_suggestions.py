"""Audit of the rewrites the rules suggest: each fragment beside its suggestion, plus cheap checks.

Run: python -m training.audit_suggestions --shared ../shared/data --kind long_sentences -n 300

Posts come from two corpora: real Telegram news posts (`corpora/tg_news_posts.csv` under
--shared, CC BY 4.0) and the annotated government posts (`gosposts/train.jsonl`, our copy by
default). Posts are read in a fixed shuffled order until -n suggestions of each kind are
collected from each corpus (or --max-posts are read). Every suggestion is printed next to its
fragment for a person to read; automatic checks mark the suspicious ones:

  long_sentences  in_token (the full stop lands inside «5-х», «т. е.», «№ 12», a name, a number,
                  quotes or brackets), head_lower / head_nonword (the new sentence starts with a
                  small letter, a digit, a hyphen), head_relative (it starts with «который», «где»,
                  «что», ...), short_part (a part with under 5 words or under 20 % of them),
                  no_verb (a part without any verb, short participle or predicative), empty, dup
  officialese /   placeholder ({…} left), dup (a word twice in a row in context), gov_case (the
  passive         replacement ends with a preposition, «чтобы» or a verb, and the next word of the
                  text is not in the case it takes), agreement (adjective and noun of the
                  replacement disagree, or «мы …» lands next to «будет» or a nominative noun),
                  infinitive (a finite verb became an infinitive), np_case (a noun replacement is
                  left in another case than the noun it replaces), drops_verb («или просто
                  уберите» would remove the verb), capital (a capital letter lost or invented)
  typos           capital (a capitalised word corrected into a small one), same, not_word,
                  in_word (a piece of a word cut by an accent mark or markup is «corrected»)
  caps            lowered_name (a proper name or an acronym is lowered), capital_mid (a capital
                  letter suggested in the middle of a sentence), mixed_span (the span holds words
                  that are not in capitals)
  noun_chain      (fixed advice; printed for reading only)

The checks are cheap heuristics: a flagged item is worth reading, an unflagged one is not
necessarily fine. The summary prints the counts per kind and corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from training.dataset import OWN_DATA

KINDS = ("long_sentences", "officialese", "passive", "noun_chain", "typos", "caps")
ABBREVIATIONS = frozenset(
    "ул г д им т е п с р пр пер кв обл руб тыс млн млрд см стр пос мкр корп каб тел др гг вв "
    "св ст чел мин ч проф доц акад".split())
RELATIVE = frozenset(
    "который которая которое которые которого которой которому которым которую котором которыми "
    "которых где куда откуда когда что чтобы если потому хотя пока чей чья чьё чьи".split())
PREDICATE_POS = frozenset({"VERB", "PRTS", "PRED", "ADJS"})
# The cases a preposition (or a word ending a replacement) takes.
GOVERN: dict[str, frozenset[str]] = {
    **{p: frozenset({"gent"}) for p in (
        "для", "без", "до", "из", "от", "у", "около", "после", "вместо", "кроме", "среди",
        "ради", "из-за", "возле", "против", "накануне", "нет", "много", "мало", "несколько",
        "во время", "в течение", "с помощью", "по итогам", "по поводу", "в честь", "избежать",
        "не было")},
    **{p: frozenset({"datv"}) for p in ("к", "ко", "благодаря", "согласно")},
    "по": frozenset({"datv", "loct", "accs"}),
    "чтобы": frozenset({"INFN", "nomn", "NPRO"}),
    **{p: frozenset({"accs"}) for p in ("про", "через", "сквозь")},
    **{p: frozenset({"accs", "loct"}) for p in ("в", "во", "на")},
    **{p: frozenset({"loct"}) for p in ("о", "об", "обо", "при")},
    **{p: frozenset({"gent", "ablt", "accs"}) for p in ("с", "со")},
    **{p: frozenset({"accs", "ablt"}) for p in ("за", "под")},
    **{p: frozenset({"ablt"}) for p in ("над", "перед", "между")},
}
_WORD = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*|\d+")
_CASE_ALIASES = {"gen2": "gent", "loc2": "loct", "acc2": "accs", "gen1": "gent", "loc1": "loct"}


@dataclass(slots=True)
class Found:
    """One suggestion of one kind in one post."""

    kind: str
    corpus: str
    post: str
    fragment: str
    suggestion: str
    shown: str = ""  # the fragment as printed (with the split marked)
    flags: list[str] = field(default_factory=list)
    source: str = ""  # the lexicon pattern of an officialese hit


# ---------------------------------------------------------------------------- corpora

def tg_posts(shared: Path) -> list[tuple[str, str]]:
    """Return (id, text) of the Telegram news posts."""
    path = shared / "corpora" / "tg_news_posts.csv"
    csv.field_size_limit(10_000_000)
    with open(path, encoding="utf-8", newline="") as f:
        return [(f"tg:{r['channel']}:{r['message_id']}", r["text"]) for r in csv.DictReader(f)
                if (r.get("text") or "").strip()]


def gos_posts(path: Path) -> list[tuple[str, str]]:
    """Return (id, text) of the annotated government posts."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(f"gos:{r['id']}", r["text"]) for r in rows if r.get("text", "").strip()]


# ---------------------------------------------------------------------------- suggestions

def _suggestions(text: str, platform: str, kinds: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """Yield (kind, fragment, suggestion, lexicon pattern) of a post for the asked kinds."""
    from service.nlp.pipeline import get_pipeline
    from service.officialese import find_kantselyarit
    from service.readability import assess
    from service.rules.context import Context
    from service.rules.form import caps
    from service.rules.language import long_sentences
    from service.rules.typos import typos
    from service.schemas import PostIn

    doc = get_pipeline().analyse(text)
    hits = find_kantselyarit(doc)
    for h in hits:
        kind = ("noun_chain" if h.pattern == "noun-chain"
                else "passive" if h.kind == "structure" else "officialese")
        if kind in kinds:
            yield kind, h.fragment, h.suggestion, h.pattern
    rules: list[tuple[str, Callable]] = [
        ("long_sentences", long_sentences), ("typos", typos), ("caps", caps)]
    if not kinds & {k for k, _ in rules}:
        return
    ctx = Context(PostIn(text=text, platform=platform), doc, platform, hits, assess(doc, hits))
    for kind, rule in rules:
        if kind in kinds:
            for it in rule(ctx):
                yield kind, it.fragment or "", it.suggestion or "", ""


# ---------------------------------------------------------------------------- checks

def _readings(word: str) -> tuple:
    from service.nlp.morph import get_morph
    return get_morph().readings(word.lower().replace("ё", "е") if word else word)


def _cases(word: str) -> set[str]:
    out = set()
    for r in _readings(word):
        for g in r.grams:
            out.add(_CASE_ALIASES.get(g, g))
    return out


def _is_predicate(word: str) -> bool:
    from service.nlp.morph import get_morph
    rs = _readings(word)
    if not rs or not get_morph().analyzer.word_is_known(word.lower()):
        return False
    return rs[0].pos in PREDICATE_POS or word.lower() in ("есть", "рады")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _dup(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    return any(a == b and a.isalpha() and len(a) > 1 for a, b in zip(low, low[1:], strict=False))


_SPLIT_NEW = re.compile(r"«…(?P<p1>.*)\. (?P<p2>.*)…»\.?\s*$", re.DOTALL)
_SPLIT_OLD = re.compile(r"точку после «(?P<tail>[^»]*)» и начните новое с «(?P<head>[^»]*)»")


def check_long(f: Found) -> None:
    """Flag a long-sentence split that is not at a clause boundary or gives no sentence."""
    frag, sugg = f.fragment, f.suggestion
    m = _SPLIT_NEW.search(sugg)
    pos = -1
    head = ""
    if m is not None:
        p1, head = m.group("p1").strip(), m.group("p2").strip()
        i = frag.find(p1)
        if i >= 0:
            pos = i + len(p1)
    else:
        m = _SPLIT_OLD.search(sugg)
        if m is None:
            f.shown = frag
            return  # advice without a split point
        tail, head = m.group("tail"), m.group("head")
        if not tail or not head:
            f.flags.append("empty")
        mm = re.search(re.escape(tail) + r"(?P<sep>[^\w]*)" + re.escape(head), frag)
        if mm is not None:
            pos = mm.start("sep")
    if pos < 0:
        f.flags.append("not_found")
        f.shown = frag
        return
    first, rest = frag[:pos], frag[pos:]
    f.shown = first + " ‖ " + rest.lstrip()
    sep = re.match(r"[^\w«\"(]*", rest)
    sep_text = sep.group(0) if sep else ""
    w1, w2 = _words(first), _words(rest)
    tail_word = w1[-1] if w1 else ""
    closed = first.rstrip()[-1:] in ")»\"”"  # after a bracket or a quote: «… и т. д.).»
    if (not any(c.isspace() for c in sep_text) or (len(tail_word) == 1 and not closed)
            or (tail_word.lower() in ABBREVIATIONS and sep_text.startswith("."))
            or tail_word == "№" or first.rstrip().endswith("№")
            or (tail_word.isdigit() and w2[:1] and w2[0].isdigit())
            or _opened(first, frag, "«", "»") or _opened(first, frag, "(", ")")
            or (first.count('"') % 2 == 1 and frag.count('"') % 2 == 0)):
        f.flags.append("in_token")
    if not head:
        f.flags.append("empty")
    elif head[0].isalpha() and head[0].islower():
        f.flags.append("head_lower")
    elif not head[0].isalpha() and head[0] not in "«\"(":
        f.flags.append("head_nonword")
    hw = _words(head)
    if hw and hw[0].lower() in RELATIVE:
        f.flags.append("head_relative")
    n = len(w1) + len(w2)
    if min(len(w1), len(w2)) < 5 or min(len(w1), len(w2)) < 0.2 * n:
        f.flags.append("short_part")
    inf = head.startswith("Это нужно")  # «…. Это нужно, чтобы успеть»
    if not any(_is_predicate(w) for w in w1) or not any(
            _is_predicate(w) or (inf and _readings(w)[:1] and _readings(w)[0].pos == "INFN")
            for w in w2):
        f.flags.append("no_verb")
    if m is not None and _dup(_words(m.group(0))):
        f.flags.append("dup")


def _opened(first: str, whole: str, left: str, right: str) -> bool:
    """Return True when `first` leaves open a quote or bracket that `whole` closes later."""
    open1 = first.count(left) - first.count(right)
    return open1 > max(0, whole.count(left) - whole.count(right))


def _options(sugg: str) -> list[str]:
    """Return the quoted replacements of a «Проще: «…» или «…»» suggestion (advice: none)."""
    if not sugg.startswith("Проще: «"):
        return []  # advice («Скажите, кто …») or «Уберите эти слова»
    body = re.sub(r"(, или просто уберите)?\.$", "", sugg[len("Проще: «"):])
    return body[:-1].split("» или «") if body.endswith("»") else [body]


def _agree(adj: str, noun: str) -> bool:
    """Return True when some readings of an adjective and a noun share case, number, gender."""
    for a in _readings(adj):
        if a.pos not in ("ADJF", "PRTF"):
            return True  # not an adjective: nothing to check
        for n in _readings(noun):
            if n.pos != "NOUN":
                continue
            ca = {_CASE_ALIASES.get(g, g) for g in a.grams}
            cn = {_CASE_ALIASES.get(g, g) for g in n.grams}
            if not ca & cn & {"nomn", "gent", "datv", "accs", "ablt", "loct"}:
                continue
            if ("plur" in a.grams) != ("plur" in n.grams):
                continue
            if "sing" in a.grams and not a.grams & n.grams & {"masc", "femn", "neut"}:
                if not n.grams & {"ms-f", "GNdr"}:
                    continue
            return True
    return not any(n.pos == "NOUN" for n in _readings(noun))


def _in_context(text: str, fragment: str, new: str, width: int = 50) -> str:
    """Return the fragment's surroundings with `new` in its place, marked ⟦…⟧."""
    i = text.find(fragment)
    if i < 0:
        return f"⟦{new}⟧"
    before = " ".join(text[max(0, i - width) : i].split())
    after = " ".join(text[i + len(fragment) : i + len(fragment) + width].split())
    return f"…{before}{' ' if text[i - 1 : i].isspace() else ''}⟦{new}⟧" \
           f"{' ' if text[i + len(fragment) : i + len(fragment) + 1].isspace() else ''}{after}…"


def check_rewrite(f: Found, text: str) -> None:
    """Flag an officialese rewrite that breaks the sentence it is put into."""
    sugg = f.suggestion
    opts = _options(sugg)
    f.shown = _in_context(text, f.fragment, f.fragment)
    if opts:
        f.suggestion = sugg + "   ⇒ " + "   ⇒ ".join(_in_context(text, f.fragment, o) for o in opts)
    if "{" in sugg or "}" in sugg:
        f.flags.append("placeholder")
    if not opts:
        return
    i = text.find(f.fragment)
    before = text[:i] if i >= 0 else ""
    after = text[i + len(f.fragment):] if i >= 0 else ""
    prev_w = _words(before)[-1:] if re.search(r"[\w»]\s*$", before) else []
    nm = re.match(r"\s+([^\W\d_]+(?:-[^\W\d_]+)*)", after)
    nxt = nm.group(1) if nm else None
    frag_words = _words(f.fragment)
    frag_finite = any(r.pos == "VERB" for w in frag_words for r in _readings(w)[:1])
    frag_inf = any(r.pos == "INFN" for w in frag_words for r in _readings(w)[:1])
    frag_case = _np_case(frag_words)
    flags: set[str] = set()
    if "просто уберите" in sugg and any(
            r.pos in ("VERB", "PRTS") for w in frag_words for r in _readings(w)[:1]):
        flags.add("drops_verb")  # «Работа проведена» -> «Работа»
    for opt in opts:
        ow = _words(opt)
        if not ow:
            continue
        if _dup(prev_w + ow + ([nxt] if nxt else [])):
            flags.add("dup")
        two = " ".join(ow[-2:]).lower()
        last = two if two in GOVERN else ow[-1].lower()
        if (nxt is not None and not opt.rstrip().endswith((",", ":", "—"))
                and re.match(r"[а-яё]", nxt, re.IGNORECASE) and not _is_numberish(nxt)
                and _readings(nxt)[0].pos not in ("ADVB", "COMP", "PRCL", "CONJ", "PREP")):
            nc = _cases(nxt) | {r.pos for r in _readings(nxt) if r.pos}
            if last in GOVERN:
                if not nc & GOVERN[last] and nxt.lower() != "не":
                    flags.add("gov_case")
            else:
                fl = frag_words[-1].lower() if frag_words else ""
                governed = (_readings(fl)[:1] and _readings(fl)[0].pos == "NOUN"
                            and "gent" in nc and not nc & {"nomn", "accs"}
                            and _readings(nxt)[0].pos in ("NOUN", "ADJF", "PRTF"))
                lr = _readings(last)[:1]
                if governed and lr and lr[0].pos not in ("NOUN", "PREP", "NUMR", "ADJF") \
                        and last not in GOVERN:
                    flags.add("gov_case")
        for a, b in zip(ow, ow[1:], strict=False):
            if not _agree(a, b):
                flags.add("agreement")
        if frag_finite and not frag_inf and any(
                _readings(w)[:1] and _readings(w)[0].pos == "INFN" and w.lower() != "есть"
                and not (k and ow[k - 1].lower().startswith("буд")) for k, w in enumerate(ow)):
            flags.add("infinitive")  # «будут участвовать» is a future, «есть» a verb
        if ow[0].lower() == "мы" and (
                (prev_w and _readings(prev_w[0])[0].lemma == "быть"
                 and _readings(prev_w[0])[0].pos == "VERB")
                or (prev_w and _readings(prev_w[0])[0].pos == "NOUN"
                    and "nomn" in _cases(prev_w[0]) and "accs" not in _cases(prev_w[0]))):
            flags.add("agreement")  # «будет мы провели», «продукция мы произвели»
        if frag_case and _is_np(ow) and frag_case not in _cases(ow[-1]):
            flags.add("np_case")  # «в массовых мероприятиях» -> «в праздник»
        lost = f.fragment[:1].isupper() and opt[:1].islower()
        invented = (f.fragment[:1].islower() and opt[:1].isupper()
                    and not (ow and (ow[0].isupper() or ow[0] in text)))  # «РФ», «Дню»
        if lost or invented:
            flags.add("capital")
    f.flags.extend(sorted(flags))


def _np_case(words: list[str]) -> str | None:
    """Return the case of the first noun of a fragment when its form allows only one (and it
    is not the nominative): «мероприятиях» -> loct; «оптимизации» (gent/datv/loct) -> None."""
    for w in words:
        rs = _readings(w)
        if not rs or rs[0].pos != "NOUN":
            continue
        number = "plur" if "plur" in rs[0].grams else "sing"
        cases = {_CASE_ALIASES.get(g, g) for r in rs if r.pos == "NOUN" and number in r.grams
                 for g in r.grams} & {"nomn", "gent", "datv", "accs", "ablt", "loct"}
        return next(iter(cases)) if len(cases) == 1 and cases != {"nomn"} else None
    return None


def _is_np(words: list[str]) -> bool:
    """Return True for a plain noun phrase: adjectives and nouns, at least one noun."""
    pos = [(_readings(w)[:1] or [None])[0] for w in words]
    return all(r is not None and r.pos in ("NOUN", "ADJF", "PRTF") for r in pos) and any(
        r is not None and r.pos == "NOUN" for r in pos)


def _is_numberish(word: str) -> bool:
    return word[:1].isdigit() or word.isupper()


def check_typo(f: Found, text: str) -> None:
    """Flag a spelling correction that loses a capital, is no word, or corrects a piece of a
    word cut by markup or an accent mark («ви́дением» -> «дением», «содерж**а**т»)."""
    f.shown = _in_context(text, f.fragment, f.fragment, 30)
    w, c = f.fragment, f.suggestion
    whole = re.search(r"(?<![\w\u0300-\u036f\u00ad\u200b])" + re.escape(w) + r"(?![\w\u0300-\u036f\u00ad\u200b])",
                      text)
    i = -1 if whole is not None else text.find(w)  # only a piece of a word is suspicious
    if i >= 0:
        before, after = text[i - 1 : i], text[i + len(w) : i + len(w) + 2]
        if (before and (before.isalpha() or unicodedata.category(before) == "Mn"))\
                or (after[:1] and (after[:1].isalpha() or unicodedata.category(after[:1]) == "Mn"))\
                or (after[:1] in "*_" and after[1:2].isalpha()):
            f.flags.append("in_word")
    if w[:1].isupper() and not c[:1].isupper():
        f.flags.append("capital")
    if w.lower() == c.lower():
        f.flags.append("same")
    from service.nlp.morph import get_morph
    if not all(get_morph().analyzer.word_is_known(x.lower()) for x in c.split()):
        f.flags.append("not_word")


def check_caps(f: Found, text: str) -> None:
    """Flag a «write it in small letters» rewrite that lowers names or invents a capital."""
    f.shown = _in_context(text, f.fragment, f.fragment, 30)
    m = re.search(r"«(.*)»;", f.suggestion, re.DOTALL)
    if m is None:
        return
    new = m.group(1)
    from service.lexicons import word_set
    from service.nlp.morph import get_morph
    known = word_set("known_abbreviations.txt")
    old_w, new_w = _words(f.fragment), _words(new)
    for a, b in zip(old_w, new_w, strict=False):
        if a == b:
            continue
        if not a.isupper() and a != a.lower():
            f.flags.append("lowered_name")  # «Ленина» -> «ленина»
            break
        ra = get_morph().analyse(a.lower())
        name = any(t in ra.tags for t in ("Name", "Surn", "Geox", "Orgn"))
        acronym = a.lower() in known or "Abbr" in ra.tags or not ra.known
        if a.isupper() and ((name and b[:1].islower()) or (acronym and not name)):
            f.flags.append("lowered_name")  # «МФЦ» -> «мфц», «РОССИИ» -> «россии»
            break
    if any(w != w.upper() and w[:1].isalpha() and w.lower() != w for w in old_w) or any(
            w.islower() for w in old_w):
        f.flags.append("mixed_span")
    i = text.find(f.fragment)
    before = text[:i].rstrip(" \t\"«*_-—–•[(`") if i >= 0 else ""
    first = get_morph().analyse(old_w[0].lower()) if old_w else None
    proper = first is not None and any(t in first.tags for t in ("Name", "Surn", "Geox", "Orgn"))
    if (new[:1].isupper() and before and before[-1] not in ".!?\n:…" and not proper
            and not _is_emoji(before[-1])):
        f.flags.append("capital_mid")


def _is_emoji(ch: str) -> bool:
    return ord(ch) > 0x2000 and not ch.isalpha()


def check(f: Found, text: str) -> None:
    """Run the checks of the item's kind."""
    if f.kind == "long_sentences":
        check_long(f)
    elif f.kind in ("officialese", "passive"):
        check_rewrite(f, text)
    elif f.kind == "typos":
        check_typo(f, text)
    elif f.kind == "caps":
        check_caps(f, text)
    else:
        f.shown = f.fragment


# ---------------------------------------------------------------------------- output

def side_by_side(left: str, right: str, width: int) -> str:
    """Return two texts wrapped into two columns."""
    col = max(20, (width - 3) // 2)
    a = textwrap.wrap(" ".join(left.split()), col) or [""]
    b = textwrap.wrap(" ".join(right.split()), col) or [""]
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    return "\n".join(f"{x:<{col}} │ {y}" for x, y in zip(a, b, strict=True))


def collect(posts: list[tuple[str, str]], corpus: str, platform: str, kinds: set[str], n: int,
            max_posts: int, seed: int) -> tuple[list[Found], int]:
    """Return up to `n` suggestions of each kind from `posts` (in a seeded order), posts read."""
    order = list(range(len(posts)))
    random.Random(seed).shuffle(order)
    out: list[Found] = []
    got: Counter[str] = Counter()
    read = 0
    for k in order[:max_posts]:
        pid, text = posts[k]
        want = {kd for kd in kinds if got[kd] < n}
        if not want:
            break
        read += 1
        seen_frag: set[tuple[str, str]] = set()
        for kind, frag, sugg, source in _suggestions(text, platform, want):
            if got[kind] >= n or (kind, frag) in seen_frag:
                continue
            seen_frag.add((kind, frag))
            f = Found(kind, corpus, pid, frag, sugg, source=source)
            check(f, text)
            out.append(f)
            got[kind] += 1
    return out, read


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"),
                    help="shared data folder with corpora/tg_news_posts.csv")
    ap.add_argument("--gosposts", type=Path, default=OWN_DATA / "gosposts" / "train.jsonl",
                    help="annotated government posts (JSON lines)")
    ap.add_argument("--kind", action="append", choices=[*KINDS, "all"],
                    help="suggestion kind (repeatable; default: all)")
    ap.add_argument("-n", type=int, default=300, help="suggestions of each kind per corpus")
    ap.add_argument("--max-posts", type=int, default=20000, help="posts read per corpus at most")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--width", type=int, default=160, help="line width of the printout")
    ap.add_argument("--suspicious", action="store_true", help="print only flagged suggestions")
    ap.add_argument("--summary", action="store_true", help="print only the counts")
    args = ap.parse_args(argv)
    kinds = set(KINDS) if not args.kind or "all" in args.kind else set(args.kind)

    sources: list[tuple[str, str, list[tuple[str, str]]]] = []
    tg = args.shared / "corpora" / "tg_news_posts.csv"
    if tg.exists():
        sources.append(("tg", "telegram", tg_posts(args.shared)))
    else:
        print(f"нет файла {tg}: Telegram-посты пропущены", file=sys.stderr)
    if args.gosposts.exists():
        sources.append(("gos", "vk", gos_posts(args.gosposts)))
    else:
        print(f"нет файла {args.gosposts}: госпосты пропущены", file=sys.stderr)
    if not sources:
        return 2

    found: list[Found] = []
    read: dict[str, int] = {}
    for corpus, platform, posts in sources:
        got, read[corpus] = collect(posts, corpus, platform, kinds, args.n, args.max_posts,
                                    args.seed)
        found.extend(got)

    if not args.summary:
        for kind in KINDS:
            items = [f for f in found if f.kind == kind and (f.flags or not args.suspicious)]
            if not items:
                continue
            print(f"\n{'=' * 20} {kind} ({len(items)}) {'=' * 20}")
            for f in items:
                mark = "⚠ " + ", ".join(f.flags) if f.flags else "ok"
                print(f"\n[{f.post}] {mark}" + (f"   ({f.source})" if f.source else ""))
                print(side_by_side(f.shown, f.suggestion, args.width))

    print(f"\nпрочитано постов: {', '.join(f'{c} {n}' for c, n in read.items())}")
    print(f"{'kind':<16} {'corpus':<6} {'items':>6} {'suspicious':>10}  flags")
    for kind in KINDS:
        for corpus in read:
            items = [f for f in found if f.kind == kind and f.corpus == corpus]
            if kind not in kinds:
                continue
            sus = sum(1 for f in items if f.flags)
            flags = Counter(fl for f in items for fl in f.flags)
            print(f"{kind:<16} {corpus:<6} {len(items):>6} {sus:>10}  "
                  + ", ".join(f"{k} {v}" for k, v in flags.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
