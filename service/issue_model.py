"""Learned decisions for missing_when / missing_where / missing_contact / no_call_to_action.

A small logistic regression per code over the facts of the post (post kinds, which facts are
present, deferred flags, the call to action, the hand rules' verdicts), the page type, the tense
of the verbs and the lemmas of the text. Features are built here and used both by training
(training/train_issue_models.py) and the rules, so the two cannot drift. The artifact is a JSON
file of weights (models/issues/weights.json): no pickles, a dot product per code at run time.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from service.facts.kinds import text_signals
from service.settings import models_path

if TYPE_CHECKING:
    from service.facts import Facts
    from service.nlp.document import Doc
    from service.nlp.morph import Analysis

FORMAT_VERSION = 1
CODES = ("missing_when", "missing_where", "missing_contact", "no_call_to_action")
log = logging.getLogger(__name__)
_LEMMA_POS = frozenset({"NOUN", "VERB", "INFN", "ADJF", "ADJS", "PRTF", "PRTS", "GRND", "ADVB",
                        "PRED", "NUMR"})


# lower-cased word form -> (its lemma feature or None, (past, futr, impr) of a verb or None);
# the analysis of a form is the same in every post
_FORMS: dict[str, tuple[str | None, tuple[int, int, int] | None]] = {}
_LEMMA_KEYS: dict[str, str] = {}  # one key string per lemma, shared by every cached post


def _form(lower: str, m: Analysis) -> tuple[str | None, tuple[int, int, int] | None]:
    """Return what `features` takes from a word form (its analysis `m`), cached per form."""
    key = None
    if m.pos in _LEMMA_POS and len(m.lemma) > 2:
        key = _LEMMA_KEYS.get(m.lemma)
        if key is None:
            key = _LEMMA_KEYS[m.lemma] = "l:" + m.lemma
    verb = None
    if m.pos == "VERB":
        tags = m.tags
        verb = ("past" in tags) + 0, ("futr" in tags) + 0, ("impr" in tags) + 0
    if len(_FORMS) > 200_000:
        _FORMS.clear()
    got = _FORMS[lower] = key, verb
    return got


def _hand_rules(f: Facts) -> dict[str, bool]:
    """Return the hand rules' verdicts (imported late: the rules import this module)."""
    from service.rules import facts_rules as R

    return {"when": R.needs_when(f), "where": R.needs_where(f), "contact": R.needs_contact(f),
            "cta": R.hand_no_cta(f)}


def features(doc: Doc, f: Facts, page_type: str | None = None) -> dict[str, float]:
    """Return the sparse features of a post: name -> value."""
    out: dict[str, float] = {"bias_": 1.0}
    kinds = sorted(f.post_kinds)  # a set's order changes between processes; sums must not
    for k in kinds:
        out["kind:" + k] = 1.0
    if not f.post_kinds:
        out["kind:none"] = 1.0
    for x in (*f.dates, *f.times):
        typ = x.value.get("type") if isinstance(x.value, dict) else "any"
        out[f"{x.kind}:{typ}"] = 1.0
    for x in (*f.addresses, *f.places, *f.phones, *f.links, *f.emails, *f.qrs):
        out[f"{x.kind}:{x.value if isinstance(x.value, str) and x.kind != 'phone' else 'any'}"] = 1.0
    has_fact = {"when": bool(f.dates or f.times), "where": bool(f.addresses or f.places),
                "contact": bool(f.phones or f.links or f.emails or f.qrs)}  # = f.has(name)
    for name, has in has_fact.items():
        out[f"has:{name}"] = float(has)
        if not has:  # a kind that lacks a fact: the conjunctions a linear model cannot form
            for k in kinds:
                out[f"kind:{k}&no:{name}"] = 1.0
    flags = {"precise_when": f.precise_when, "deferred_when": f.deferred_when,
             "deferred_where": f.deferred_where, "wants_reply": f.wants_reply,
             "in_person": f.in_person, "cta": f.has_call_to_action, "vague_cta": f.vague_cta}
    for name, on in flags.items():
        if on:
            out["flag:" + name] = 1.0
    for name, on in _hand_rules(f).items():
        if on:
            out["rule:" + name] = 1.0
    greeting, protocol, past_reports = text_signals(doc)
    if greeting:
        out["flag:greeting"] = 1.0
    if protocol:
        out["flag:protocol"] = 1.0
    out["past_reports"] = min(past_reports, 3) / 3
    out["page:" + (page_type or "none")] = 1.0
    verbs = past = futr = impr = words = 0
    known = _FORMS.get
    for t in doc.tokens:
        m = t.morph
        if m is None:
            continue
        words += 1
        key, verb = known(t.lower) or _form(t.lower, m)
        if key is not None:
            out[key] = 1.0
        if verb is not None:
            verbs += 1
            past += verb[0]
            futr += verb[1]
            impr += verb[2]
    if verbs:
        out["verbs:past"] = past / verbs
        out["verbs:futr"] = futr / verbs
        out["verbs:impr"] = impr / verbs
    out["words:log"] = math.log1p(words) / 6
    return out


@dataclass(frozen=True, slots=True)
class CodeModel:
    """Weights of one code's logistic regression and its decision threshold."""

    weights: dict[str, float]
    threshold: float

    def proba(self, feats: dict[str, float]) -> float:
        """Return the probability that the post has this defect."""
        w = self.weights  # features without a weight add exactly 0.0: skipped
        z = sum([w[k] * v for k, v in feats.items() if k in w])  # a list: the same sum, faster
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def fires(self, feats: dict[str, float]) -> bool:
        """Return True when the probability reaches the threshold."""
        return self.proba(feats) >= self.threshold


# models -> (them, their codes, feature -> every code's weight (0.0 where a code has none))
_TABLES: dict[int, tuple[dict[str, CodeModel], tuple[str, ...], dict[str, tuple[float, ...]]]] = {}


def _table(models: dict[str, CodeModel]) -> tuple[tuple[str, ...], dict[str, tuple[float, ...]]]:
    """Return the codes of `models` and every feature's weights in them (built once per models)."""
    got = _TABLES.get(id(models))
    if got is None or got[0] is not models:
        codes = tuple(models)
        keys = dict.fromkeys(k for m in models.values() for k in m.weights)
        table = {k: tuple(float(models[c].weights.get(k, 0.0)) for c in codes) for k in keys}
        if len(_TABLES) > 8:
            _TABLES.clear()
        got = _TABLES[id(models)] = (models, codes, table)
    return got[1], got[2]


def verdicts(models: dict[str, CodeModel], feats: dict[str, float]) -> dict[str, bool]:
    """Return `models[code].fires(feats)` of every code.

    One pass over the features: each known feature's row of weights (one per code), scaled by
    its value; each code's sum is then taken over its column, in the order of the features as
    `proba` takes it. A code without a weight for a feature adds 0.0 there (+0.0 or -0.0),
    which leaves a float sum as it is, so every code gets exactly `proba`'s sum.
    """
    codes, table = _table(models)
    rows = [row if v == 1.0 else tuple([w * v for w in row])
            for row, v in zip(map(table.get, feats), feats.values(), strict=True) if row is not None]
    sums = list(map(sum, zip(*rows, strict=True))) if rows else [0] * len(codes)
    exp = math.exp
    return {code: 1.0 / (1.0 + exp(-max(min(z, 40.0), -40.0))) >= models[code].threshold
            for code, z in zip(codes, sums, strict=True)}


@lru_cache(maxsize=2)
def load_issue_model(path: str | None = None) -> dict[str, CodeModel] | None:
    """Return the per-code models (cached), or None when the artifact is missing or stale."""
    p = Path(path) if path else models_path("issues", "weights.json")
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("нет модели замечаний %s (%s): работают ручные правила; обучите: "
                    "python -m training.train_issue_models", p, exc)
        return None  # the rules fall back to the hand rules
    if d.get("format_version") != FORMAT_VERSION:
        log.warning("%s: версия формата %s, нужна %s: работают ручные правила; переобучите: "
                    "python -m training.train_issue_models", p, d.get("format_version"),
                    FORMAT_VERSION)
        return None
    return {code: CodeModel(m["weights"], float(m["threshold"]))
            for code, m in d.get("codes", {}).items()
            if code in CODES and m.get("use", "model") == "model"}
