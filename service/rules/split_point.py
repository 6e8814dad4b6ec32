"""Where to split a long sentence in two, and the advice that says how."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from service.nlp.document import Token
from service.rules.clauses import (
    CLAUSE_END,
    CLOSING,
    COORDINATORS,
    KEEP_CONJ,
    RELATIVE_PRONOUN,
    agrees_with,
    bracket_depths,
    clause_end,
    first_predicate,
    full_stop,
    has_predicate,
    is_predicate,
    leading_clause,
    noun_like,
    opens_clause,
    own_clause,
    relative_pronoun,
    reporting,
    starts_clause,
    subject_pronoun,
)

# Where a long sentence may be split: only at a clause boundary (a comma before «и», «а», «но»,
# «который», «где», ...; a semicolon; a spaced dash or a colon between two clauses), never
# inside «5-х», «т. е.», «№ 12», a name, a number, quotes or brackets. Both parts must read as
# sentences: a predicate (a finite verb, «проведён», «можно», «готов») outside subordinate
# clauses, and a fair share of the words each.
MIN_PART_WORDS = 5
MIN_PART_SHARE = 0.25
KEEP_PAIRS = frozenset({("при", "этом"), ("кроме", "того"), ("после", "этого"), ("в", "итоге"),
                        ("тем", "не"), ("к", "тому")})
WHERE = {"где": "там", "куда": "туда", "откуда": "оттуда"}
ADVERBS = frozenset({*WHERE.values(), "тогда"})
WHAT = {"чего": "этого", "чему": "этому", "чем": "этим", "чём": "этом"}  # «после чего» -> «После этого»
TIME_NOUNS = frozenset(
    "год день время момент период час минута неделя месяц вечер утро ночь эпоха лето зима весна "
    "осень пора дата сутки век январь февраль март апрель май июнь июль август сентябрь октябрь "
    "ноябрь декабрь понедельник вторник среда четверг пятница суббота воскресенье".split())
# «…, и, как правило, эти курсы …»: a comma that closes an aside is no boundary.
ASIDE_STARTS = frozenset(
    "как по например конечно разумеется безусловно кстати судя возможно вероятно видимо "
    "наверное впрочем кроме к в".split())
# «Однако, …», «Конечно, …»: a comma after such a word belongs to it, not to a clause boundary
ASIDE_WORDS = frozenset("однако конечно например впрочем итак во-первых во-вторых наконец кстати "
                        "безусловно разумеется естественно видимо вероятно пожалуй".split())
DASHES = frozenset("—–-")


@dataclass(slots=True, frozen=True)
class Split:
    """A split of a sentence's tokens: the first part ends at token `tail`; the new sentence is
    `new` (replacing tokens `drop`..`head` - 1, may be empty) followed by token `head` on."""

    tail: int
    drop: int
    head: int
    new: str = ""


def _complete_end(tokens: list[Token], depths: list[int], i: int, marks: Collection[str]) -> bool:
    """Return True when the first part (tokens before `i`) ends with a whole clause: its last
    stretch after any of `marks` has a predicate. «…мифы о том, что Вселенная — это …» and
    «…потепления полутора градусами Цельсия — и пришли к выводу» do not."""
    k = i - 1
    while k >= 0 and not (tokens[k].kind == "punct" and depths[k] == 0 and tokens[k].text in marks
                          and (tokens[k].text != "." or full_stop(tokens, k))):
        k -= 1  # «.gif», «т. е.»: a full stop inside a sentence ends nothing
    return has_predicate(tokens, depths, k + 1, i, False)


def _first_clause_whole(tokens: list[Token], depths: list[int], a: int) -> bool:
    """Return True when the new sentence from `a` (after its conjunction) does not start with
    a clause without its verb: «…. А бесконечное море энергии, которую …», «…. А конкретно
    на Нидерландах, …». It may open with a subordinate clause or an aside first."""
    n = len(tokens)
    c = next((k for k in range(a, n) if tokens[k].text == "," and depths[k] == 0), None)
    if c is None or has_predicate(tokens, depths, a, c, False) or opens_clause(tokens, a):
        return True
    if tokens[a].lower in ASIDE_STARTS or (tokens[a].lower, tokens[a + 1].lower if a + 1 < n else "") in KEEP_PAIRS:
        return True  # «причём в последней, по собственным утверждениям, …»
    nxt = tokens[c + 1] if c + 1 < n else None
    return nxt is not None and nxt.kind == "word" and (
        nxt.pos in ("PRTF", "GRND", "ADJF") or nxt.lower in ASIDE_STARTS
        or (nxt.lower in COORDINATORS and not starts_clause(tokens, c + 1, n)))


def _closes_aside(tokens: list[Token], depths: list[int], i: int) -> bool:
    """Return True when the comma at `i` closes an inserted phrase: a participle or gerund
    phrase («пациентки, страдающие бесплодием, имеют право»), a subordinate clause, or an
    aside («…, и, как правило, эти курсы …»)."""
    k = i - 1
    while k >= 0 and not (tokens[k].kind == "punct" and depths[k] == 0 and tokens[k].text in ",;:—–"):
        k -= 1
    if k < 0 or k + 1 >= i or tokens[k].text != ",":
        return False
    first = tokens[k + 1]
    if first.kind == "word" and (first.pos in ("PRTF", "GRND", "ADJF") or opens_clause(tokens, k + 1)):
        return True  # «…, установленного в области, может быть оказана …»
    words = [t for t in tokens[k + 1 : i] if t.kind == "word"]
    if len(words) > 4 or has_predicate(tokens, depths, k + 1, i, False):
        return False
    return first.lower in ASIDE_STARTS or (k > 0 and tokens[k - 1].lower in COORDINATORS)


def _clause_ends_sentence(tokens: list[Token], depths: list[int], head: int,
                          subject: str | None) -> bool:
    """Return True when a relative clause from `head` runs to the end of the sentence.

    «…музей, который открылся в 2010 году, и пригласили гостей», «…комплексы ПВО, которые
    могут сработать, при этом не стал раскрывать …»: the words after the clause belong to the
    first sentence, so the clause cannot become a sentence of its own. Other commas may
    follow: another clause, a participle or gerund phrase, a phrase without a verb («…, кроме
    понедельника»), a second verb of the clause («…, поддерживает 46 команд»). `subject`:
    plur / masc / femn / neut when the relative word is the subject of its clause.
    """
    base = depths[head]
    n = len(tokens)
    for k in range(head, n - 1):
        t = tokens[k]
        if t.kind != "punct" or depths[k] != base:
            continue
        if t.text == ";":
            return True
        if t.text in "—–:":
            return False  # «…ударах, которые распространяются в соцсетях, — фейки»
        if t.text != ",":
            continue
        w = tokens[k + 1].lower
        w2 = tokens[k + 2].lower if k + 2 < n else ""
        if w in COORDINATORS or w in KEEP_CONJ or (w, w2) in KEEP_PAIRS:
            return False
        if reporting(tokens, depths, k, clause_end(tokens, depths, k + 1)):
            return False  # «…, где они пересекаются, сообщает WSJ»: the report is of all
        if subject is not None and not opens_clause(tokens, k + 1):
            end = clause_end(tokens, depths, k + 1)
            verb = next((u for u in tokens[k + 1 : end] if u.kind == "word" and is_predicate(u)),
                        None)
            if (verb is not None and verb.morph is not None and verb.morph.pos != "PRED"
                    and not agrees_with(verb.morph.tags, subject)):
                return False  # a verb of the first sentence's subject
    return True


def _candidate(tokens: list[Token], depths: list[int], i: int) -> tuple[Split, float] | None:
    """Return the split at punctuation token `i` and its penalty, None when it is no boundary."""
    n = len(tokens)
    p, prev, nxt = tokens[i], tokens[i - 1], tokens[i + 1]
    if nxt.kind != "word" or (prev.kind == "punct" and prev.text not in CLOSING and prev.text != "*"):
        return None  # «», — сказал»: direct speech; «**», markdown bold, may close a part
    if prev.kind == "word" and (len(prev.text) == 1 or prev.text == "№"):
        return None  # an initial («А. С. Пушкин») or «№»
    w = nxt.lower
    w2 = tokens[i + 2].lower if i + 2 < n else ""
    split: Split | None = None
    penalty = 0.0
    relative = False  # the second sentence is a relative clause: it must run to the end
    subject: str | None = None  # ... and its subject when the relative word was one
    infinitive = False  # «…. Это нужно, чтобы успеть»: an infinitive is enough
    conj = -1  # a conjunction starts the second part: the index of the word after it
    asyndetic = False
    if p.text == ",":
        rel = relative_pronoun(tokens, i + 1)
        if w == "и":
            if i + 2 >= n or tokens[i + 2].kind != "word" or opens_clause(tokens, i + 2):
                return None
            split, conj = Split(i - 1, i + 1, i + 2), i + 2
        elif (w in KEEP_CONJ or (w, w2) in KEEP_PAIRS) and (w, w2) not in (("но", "и"), ("а", "не")):
            if (w, w2) == ("а", "также") and not (i + 3 < n and is_predicate(tokens[i + 3])):
                return None  # «, а также лицам, …»: more of the same list
            split, conj = Split(i - 1, i + 1, i + 1), i + (3 if (w, w2) in KEEP_PAIRS else 2)
        elif (w, w2) == ("в", "результате") and i + 3 < n and tokens[i + 3].lower in RELATIVE_PRONOUN:
            split, penalty = Split(i - 1, i + 1, i + 4, "в результате"), 0.1
        elif (rel is not None or w in WHERE or w == "когда") and any(
                t.lemma in ("тот", "такой") for t in tokens[max(0, i - 4) : i]):
            return None  # «в той форме, в которой …», «на тот период, когда …»: it defines the noun
        elif rel is not None:
            split, penalty, relative = Split(i - 1, i + 1, rel[0], rel[1]), 0.1, True
            subject = {"он": "masc", "она": "femn", "оно": "neut", "они": "plur"}.get(rel[1])
        elif w in WHERE and noun_like(prev):
            split, penalty, relative = Split(i - 1, i + 1, i + 2, WHERE[w]), 0.1, True
        elif w == "когда" and prev.kind == "word" and prev.lemma in TIME_NOUNS:
            split, penalty, relative = Split(i - 1, i + 1, i + 2, "тогда"), 0.1, True
        elif nxt.pos == "PREP" and w2 in WHAT:
            prep = "об" if w == "о" else w
            split, penalty = Split(i - 1, i + 1, i + 3, f"{prep} {WHAT[w2]}"), 0.1
        elif w == "чтобы" and not (prev.kind == "word" and (
                prev.pos in ("VERB", "INFN", "PRED", "ADJS") or prev.lower in ("того", "так"))):
            split, penalty, infinitive = Split(i - 1, i + 1, i + 1, "это нужно,"), 0.2, True
            relative = True
        elif (w, w2) in (("потому", "что"), ("так", "как")):
            split, penalty, relative = Split(i - 1, i + 1, i + 3, "это потому, что"), 0.2, True
        elif (nxt.pos not in ("PRTF", "GRND", "CONJ", "PRCL")
              and not (prev.kind == "word" and (prev.pos in ("VERB", "INFN", "CONJ", "PRCL")
                                                or prev.lower in ASIDE_WORDS))
              and not leading_clause(tokens)
              and not _closes_aside(tokens, depths, i) and own_clause(tokens, depths, i + 1)):
            # «…проведены классные часы, состоялась встреча с инспектором…»: two clauses
            split, penalty, asyndetic = Split(i - 1, i + 1, i + 1), 0.15, True
    elif p.text in DASHES or p.text in ";:":
        if p.text in DASHES and not (prev.end < p.start and p.end < nxt.start):
            return None  # «5-х», «Белоруссия-Россия»: a hyphen inside a word
        if p.text == ":" and prev.kind == "word" and (prev.pos in ("VERB", "INFN", "GRND") or any(
                t.lemma in ("следующий", "так", "такой") for t in tokens[max(0, i - 3) : i])):
            return None  # «сообщил: …», «по следующим направлениям: …» need what follows
        if opens_clause(tokens, i + 1):
            return None
        if w == "и" and p.text not in ";:":
            if i + 2 < n and tokens[i + 2].kind == "word":
                split, conj = Split(i - 1, i + 1, i + 2), i + 2
        else:
            split = Split(i - 1, i + 1, i + 1)
        penalty = 0.0 if p.text == ";" else 0.05 if p.text in DASHES else 0.1
    if split is None or split.head >= n or (tokens[split.head].kind != "word" and not split.new):
        return None
    if not has_predicate(tokens, depths, 0, i):
        return None
    marks = (CLAUSE_END if asyndetic or p.text == ":" else ";:" if p.text == ";"
             else ";:—–.!?…")  # «…дороги Пежгора — Шелокша; движение …»: a dash in a name
    if (p.text != "," or asyndetic) and not _complete_end(tokens, depths, i, marks):
        return None
    if p.text != "," and _elliptic_end(tokens, depths, i):
        return None  # «…, а с другой — могут стать …»
    if conj >= 0 and (conj >= n or not _first_clause_whole(tokens, depths, conj)):
        return None
    # the new sentence's verb comes before its first colon: «…. Только на куда большем
    # расстоянии: он отдалился …» is no sentence
    end2 = next((k for k in range(split.head, n) if depths[k] == 0 and (
        tokens[k].text in ":;" or full_stop(tokens, k))), n)
    if not has_predicate(tokens, depths, split.head, end2, False if infinitive else None,
                          infinitive) or reporting(tokens, depths, split.head, end2):
        return None
    if not split.new and any(t.lower in RELATIVE_PRONOUN
                             for t in tokens[split.head : clause_end(tokens, depths, split.head)]):
        return None  # «…. Но упадок которого начался …»
    if relative and not _clause_ends_sentence(tokens, depths, split.head, subject):
        return None
    if _correlative_spans(tokens, depths, i):
        return None
    if (conj >= 0 and conj - split.drop == 1) or (relative and split.new in ADVERBS):
        # «…, и выкурила его» -> «Она выкурила его»; «…, где выступила» -> «Там она выступила»
        start = conj if conj >= 0 else split.head
        pronoun = subject_pronoun(tokens, depths, start, split.tail)
        verb = first_predicate(tokens, start, n)
        if verb is None or verb > start + 1 or (verb == start + 1 and tokens[start].pos not in (
                "ADVB", "PRCL")):
            pronoun = None  # «Но ударов по энергетике он …»: only right before the verb
        if pronoun is not None:
            lead = split.new or (tokens[split.drop].lower if w != "и" else "")
            split = Split(split.tail, split.drop, start, f"{lead} {pronoun}".strip())
    return split, penalty


def _elliptic_end(tokens: list[Token], depths: list[int], i: int) -> bool:
    """Return True when the first part ends with a clause without its verb: «…, а с другой —»."""
    k = i - 1
    while k >= 0 and not (tokens[k].kind == "punct" and depths[k] == 0 and tokens[k].text in ",;:—–"):
        k -= 1
    return (k >= 0 and k + 2 < i and tokens[k + 1].lower in COORDINATORS
            and tokens[k + 2].lower != "и"  # «не только …, но и …»
            and not has_predicate(tokens, depths, k + 1, i, False))


def _correlative_spans(tokens: list[Token], depths: list[int], i: int) -> bool:
    """Return True for «если/когда/так как …, [split] …, то …»: the «то» half is after the
    split."""
    if not (any(t.lower in ("если", "когда", "раз") for t in tokens[:i]) or leading_clause(tokens)):
        return False
    return any(tokens[k].text == "," and depths[k] == 0 and tokens[k + 1].lower == "то"
               for k in range(i + 1, len(tokens) - 1))


def split_point(tokens: list[Token]) -> Split | None:
    """Return where to split a long sentence, None when no clause boundary will do.

    The boundary nearest its middle that leaves two sentences with a fair share of the words
    each."""
    n_words = sum(1 for t in tokens if t.kind == "word")
    min_part = max(MIN_PART_WORDS, MIN_PART_SHARE * n_words)
    if n_words < 2 * min_part:
        return None
    depths = bracket_depths(tokens)
    best: tuple[float, Split] | None = None
    before = 0
    for i, t in enumerate(tokens[:-1]):
        if t.kind == "word":
            before += 1
            continue
        if (t.kind != "punct" or depths[i] or i == 0 or before < min_part
                or n_words - before < min_part or t.text not in ",;:—–-"):
            continue
        found = _candidate(tokens, depths, i)
        if found is None:
            continue
        split, penalty = found
        after = sum(1 for u in tokens[split.head :] if u.kind == "word")
        if after < min_part:
            continue
        cost = abs(before / n_words - 0.5) + penalty
        if best is None or cost < best[0]:
            best = (cost, split)
    return best[1] if best else None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def split_advice(text: str, tokens: list[Token], split: Split) -> str:
    """Return the advice to split a sentence as `split` says, with the junction written out."""
    words1 = [t for t in tokens[: split.tail + 1] if t.kind in ("word", "num")]
    tail = words1[-1].text if words1 else tokens[split.tail].text
    # a few words either side (counted in words: «1 000 000» is not cut)
    only1 = [t for t in words1 if t.kind == "word"]
    start1 = min(only1[-4].start if len(only1) >= 4 else tokens[0].start, words1[-1].start)
    end1 = tokens[split.tail].end
    while text[start1:end1].count("»") > text[start1:end1].count("«"):
        opening = text.rfind("«", tokens[0].start, start1)
        if opening < 0:
            break
        start1 = opening  # show the title's opening quote
    words2 = [t for t in tokens[split.head :] if t.kind == "word"] or tokens[split.head :]
    rest = text[tokens[split.head].start : words2[min(3, len(words2) - 1)].end]
    if split.new:
        rest = split.new + ("" if rest[:1] in ",;:" else " ") + rest
    dropped = (text[tokens[split.drop].start : tokens[split.head - 1].end]
               if split.head > split.drop else "")
    if dropped and split.new:
        how = (f"поставьте точку после «{tail}», а «{dropped}» замените на "
               f"«{_capitalised(split.new)}»")
    elif dropped:
        how = f"поставьте точку после «{tail}» и уберите «{dropped}»"
    elif split.new:
        how = (f"поставьте точку после «{tail}» и начните новое со слов "
               f"«{_capitalised(split.new)} {tokens[split.head].text}»")
    else:
        how = (f"поставьте точку после «{tail}» и начните новое с "
               f"«{_capitalised(tokens[split.head].text)}»")
    return f"Разделите на два предложения: {how}: «…{text[start1:end1]}. {_capitalised(rest)}…»."


NO_SPLIT_ADVICE = (
    "Разделите на два предложения: здесь нет удобного места для точки — переформулируйте. "
    "Сначала главное (кто что сделал или что нужно сделать), подробности — отдельным предложением."
)
