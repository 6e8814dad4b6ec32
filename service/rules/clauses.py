"""Clause structure of a sentence's tokens: what a long sentence may be split on.

Quote and bracket depths, predicates and their subjects, the words that open subordinate
clauses, relative words («который», «где») and the pronouns that replace them, where a clause
ends. The functions take a sentence's tokens (with their morphology), their depths from
`bracket_depths` and token indices.
"""

from __future__ import annotations

from service.nlp.document import Token
from service.nlp.morph import Reading, get_morph

# A predicate makes a clause a sentence: a finite verb, «проведён», «можно», «готов».
PREDICATE_POS = frozenset({"VERB", "PRTS", "PRED", "ADJS"})
PREDICATE_WORDS = frozenset({"есть", "рады", "видно", "возможно", "важно", "пора"})
# Words that may start the second sentence as they are (capitalised): «…, но…» -> «…. Но…».
KEEP_CONJ = frozenset({"а", "но", "однако", "зато", "поэтому", "причём", "причем", "затем",
                       "потом", "впрочем", "ведь", "также"})
COORDINATORS = frozenset({"и", "а", "но", "или", "либо", "да"})
# Words opening a subordinate clause: a verb after them is not the predicate of the sentence,
# and a new sentence cannot start with them as they are.
SUBORDINATORS = frozenset(
    "который которая которое которые которого которой которому которым которую котором которыми "
    "которых где куда откуда когда если что чтобы потому хотя пока как чем будто словно "
    "поскольку ли чей чья чьё чьи чего чему чём кто кого кому кем ком почему зачем сколько "
    "какой какая какое какие какого каком каким какую какими каких".split())
# «, который …» -> «Он …»: the personal pronoun of each form (alone, after a preposition).
RELATIVE_PRONOUN = {
    "который": ("он", "него"), "которая": ("она", "неё"), "которое": ("оно", "него"),
    "которые": ("они", "них"), "которого": ("его", "него"), "которой": ("ей", "ней"),
    "которому": ("ему", "нему"), "которым": ("им", "ним"), "которыми": ("ими", "ними"),
    "которых": ("их", "них"), "котором": ("", "нём"), "которую": ("её", "неё"),
}
# Accusative of the forms that are also nominative: «, которые мы собрали» -> «Их мы собрали».
RELATIVE_ACCUSATIVE = {"который": "его", "которое": "его", "которые": "их"}
GENITIVE_PREPOSITIONS = frozenset(
    "у от до из для без около после вокруг возле среди кроме вместо против ради мимо".split())
PREPOSITIONS_WITHOUT_N = frozenset({"благодаря", "согласно", "вопреки", "навстречу", "подобно"})
PERSONAL_NOMINATIVE = frozenset({"я", "ты", "мы", "вы", "он", "она", "оно", "они"})
# «…, сообщил РИА Новости источник»: a reporting clause is no sentence by itself.
SPEECH_VERBS = frozenset(
    "сообщить сообщать заявить заявлять считать передать передавать указать указывать отметить "
    "отмечать подчеркнуть подчёркивать подчеркивать сказать говорить рассказать рассказывать "
    "написать писать пояснить пояснять уточнить уточнять добавить добавлять напомнить напоминать "
    "полагать утверждать признать признавать объявить объявлять информировать констатировать "
    "следовать говориться сообщаться уточняться отмечаться считаться".split())
OPENING = frozenset("«“„([{")
CLOSING = frozenset("»”)]}")
CLAUSE_END = frozenset(",;:—–.!?…")


def bracket_depths(tokens: list[Token]) -> list[int]:
    """Return, for each token, how many quotes or brackets are open before it."""
    out: list[int] = []
    depth = 0
    straight = False
    for t in tokens:
        out.append(depth + straight)
        if t.kind != "punct":
            continue
        c = t.text
        if c in OPENING:
            depth += 1
        elif c in CLOSING:
            depth = max(0, depth - 1)
        elif c == '"':
            straight = not straight
    # a sentence quoted as a whole (or inside a quote that spans sentences) is split as usual
    floor = min((d for d, t in zip(out, tokens, strict=True) if t.kind == "word"), default=0)
    return [max(0, d - floor) for d in out]


def is_predicate(t: Token) -> bool:
    """Return True for a word that can carry a clause: a finite verb, «проведён», «можно»."""
    m = t.morph
    if m is None or not m.known or len(t.text) < 2:
        return False  # an unknown name is guessed to be anything, «е» of «т. е.» a verb too
    return m.pos in PREDICATE_POS or t.lower in PREDICATE_WORDS


def opens_clause(tokens: list[Token], i: int) -> bool:
    """Return True when token `i` (or `i` + 1 after a preposition) opens a subordinate clause."""
    t = tokens[i]
    if t.kind != "word":
        return False
    if t.lower in SUBORDINATORS:
        return True
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if (t.lower, nxt) in (("так", "как"), ("тогда", "как"), ("потому", "что"), ("так", "что")):
        return True
    return t.pos == "PREP" and nxt in SUBORDINATORS


def has_predicate(tokens: list[Token], depths: list[int], a: int, b: int,
                   sub: bool | None = None, infinitive: bool = False) -> bool:
    """Return True when tokens a..b-1 hold a predicate outside subordinate clauses and quotes.

    Brackets count as quotes. `sub`: the part starts inside a subordinate clause (None: find
    out, also after a leading conjunction: «а когда станет ясно, …»). A subordinate clause
    lasts at least until its own verb («где Gemini, по словам Google, распознаёт игру») and
    may hold others («Так как мужчину, которого он ударил, зовут Сергей, …»)."""
    if sub is None:
        k = a + 1 if a < b and tokens[a].kind == "punct" else a
        sub = k < b and starts_clause(tokens, k, b)
    base = depths[a] if a < len(depths) else 0
    # one entry per open subordinate clause: has its verb been seen («как …» needs none)
    stack: list[bool] = [tokens[a].lower == "как"] if sub else []
    for k in range(a, b):
        t = tokens[k]
        if t.kind == "punct":
            if t.text in ",;—–" and depths[k] == base:
                if t.text == ";":
                    stack.clear()
                while stack and stack[-1]:
                    stack.pop()
                if k + 1 < b and starts_clause(tokens, k + 1, b):
                    stack.append(tokens[k + 1].lower == "как")
            continue
        if depths[k] != base or t.kind != "word":
            continue
        if is_predicate(t) or (infinitive and not stack and t.pos == "INFN"):
            if not stack:
                return True
            stack[-1] = True
    return False


def starts_clause(tokens: list[Token], k: int, b: int) -> bool:
    """Return True when a subordinate clause starts at `k`, maybe after a conjunction.

    «когда …», «в котором …», «и какие …», «а когда …»."""
    return opens_clause(tokens, k) or (
        tokens[k].lower in COORDINATORS | KEEP_CONJ and k + 1 < b and opens_clause(tokens, k + 1))


def noun_like(t: Token) -> bool:
    """Return True for a token that can be the place a «где» clause is about."""
    if t.kind == "num" or t.text in CLOSING:
        return True
    return t.kind == "word" and (t.pos == "NOUN" or t.text[:1].isupper()
                                 or (t.morph is not None and not t.morph.known))


def relative_pronoun(tokens: list[Token], j: int) -> tuple[int, str] | None:
    """Return (head, pronoun) for «, [prep] который …» at `j`: the pronoun replaces j..head-1."""
    prep = tokens[j].lower if tokens[j].pos == "PREP" else ""
    k = j + 1 if prep else j
    if k >= len(tokens):
        return None
    form = tokens[k].lower
    pair = RELATIVE_PRONOUN.get(form)
    if pair is None:
        return None
    if prep:
        pronoun = pair[1] if prep not in PREPOSITIONS_WITHOUT_N else pair[0] or pair[1]
        if form == "которой" and prep not in PREPOSITIONS_WITHOUT_N:
            pronoun = "неё" if prep in GENITIVE_PREPOSITIONS else "ней"
        return k + 1, f"{prep} {pronoun}"
    pronoun = pair[0]
    if form in RELATIVE_ACCUSATIVE and _object_relative(tokens, k):
        pronoun = RELATIVE_ACCUSATIVE[form]  # «, которые мы собрали» -> «Их мы собрали»
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if form == "которой" and nxt is not None and nxt.lower in ("нет", "не"):
        pronoun = "её"
    return (k + 1, pronoun) if pronoun else None


def _object_relative(tokens: list[Token], k: int) -> bool:
    """Return True when «который» / «которое» / «которые» at `k` is the object of its clause.

    «, которые мы собрали», «, который можно использовать», «, которые пропускает
    компилятор»: the verb has another subject, takes none, or does not agree with the word.
    """
    form = tokens[k].lower
    prev_pos: str | None = None
    for t in tokens[k + 1 :]:
        if t.kind == "punct" and t.text in CLAUSE_END:
            return False
        if t.kind != "word":
            continue
        if t.lower in PERSONAL_NOMINATIVE:
            return True
        m = t.morph
        if m is not None and m.pos == "NOUN" and prev_pos != "PREP" and any(
                r.pos == "NOUN" and "nomn" in r.grams for r in get_morph().readings(t.lower)):
            return True  # «, который Всемирная организация здравоохранения считает …»
        prev_pos = m.pos if m is not None else None
        if m is None or not m.known or m.pos not in PREDICATE_POS:
            continue
        if m.pos == "PRED" or (m.pos == "ADJS" and "neut" in m.tags):
            return True  # «можно», «нужно»: no subject
        if m.pos == "VERB" and m.tags & {"1per", "2per", "impr"}:
            return True
        return not agrees_with(m.tags, "plur" if form == "которые" else
                                "neut" if form == "которое" else "masc")
    return False


def agrees_with(tags: frozenset[str], subject: str) -> bool:
    """Return True when a predicate with `tags` agrees with a subject: plur, masc, femn, neut."""
    if ("plur" in tags) != (subject == "plur"):
        return False
    gender = next((g for g in ("masc", "femn", "neut") if g in tags), None)
    return gender is None or subject == "plur" or gender == subject


def _subject_of(verb: Token, reading: Reading) -> bool:
    """Return True when a noun reading can be the subject of a predicate word."""
    if "nomn" not in reading.grams or (reading.pos not in ("NOUN", "NPRO")
                                       and "Subx" not in reading.grams):  # «учащиеся»
        return False
    tags = verb.morph.tags if verb.morph is not None else frozenset()
    if "plur" in reading.grams:
        return agrees_with(tags, "plur")
    gender = next((g for g in ("masc", "femn", "neut") if g in reading.grams), "")
    return agrees_with(tags, gender) or ("ms-f" in reading.grams and "plur" not in tags)


def clause_end(tokens: list[Token], depths: list[int], a: int) -> int:
    """Return the index of the punctuation that ends the clause starting at `a`."""
    base = depths[a]
    return next((k for k in range(a, len(tokens)) if tokens[k].kind == "punct"
                 and depths[k] == base and tokens[k].text in CLAUSE_END), len(tokens))


def _has_subject(tokens: list[Token], depths: list[int], a: int, end: int, v: int) -> bool:
    """Return True when the predicate at `v` of the clause a..end-1 has its subject there or
    needs none: a subject before it («, граждане не будут …»), right after it when the verb
    takes no object («, состоялась встреча»), «приглашаем», «можно», «отремонтировано 6 км»,
    «будет введена выплата». «, проинспектировала работу …» has none: it is the first
    clause's."""
    verb = tokens[v]
    m = verb.morph
    if m is None:
        return False
    if m.pos == "PRED" or m.tags & {"1per", "2per", "impr"} or any(
            tokens[k].pos == "PRTS" and depths[k] == depths[a] for k in range(a, end)):
        return True
    if "neut" in m.tags and "sing" in m.tags:
        return True  # impersonal: «было отремонтировано», «стало известно»
    morph = get_morph()
    for k in range(a, end):
        t = tokens[k]
        if k == v:
            continue
        if k > v:  # after the verb: the first noun, and only when the verb takes no object
            if t.kind != "word" or t.pos in ("ADJF", "PRTF", "ADVB", "NUMR", "INFN", "PRCL"):
                continue
            return ("intr" in m.tags and t.pos in ("NOUN", "NPRO")
                    and any(_subject_of(verb, r) for r in morph.readings(t.lower)))
        if (t.kind == "word" and depths[k] == depths[a] and t.pos in ("NOUN", "NPRO", "ADJF", "PRTF")
                and not (k > a and tokens[k - 1].pos == "PREP")
                and any(_subject_of(verb, r) for r in morph.readings(t.lower))):
            return True
    return False


def first_predicate(tokens: list[Token], a: int, end: int) -> int | None:
    """Return the index of the first predicate word among tokens a..end-1."""
    return next((k for k in range(a, end) if tokens[k].kind == "word" and is_predicate(tokens[k])),
                None)


def own_clause(tokens: list[Token], depths: list[int], a: int) -> bool:
    """Return True when the clause from `a` (to the next comma) is a sentence by itself.

    It has a predicate with its own subject (or needing none), is no subordinate clause and
    no reporting clause («…, сообщил РИА Новости источник»)."""
    end = clause_end(tokens, depths, a)
    if any(t.lower in SUBORDINATORS for t in tokens[a:end]):
        return False  # «, каждый пункт которого …», «, в то время как …», «, продают ли …»
    v = first_predicate(tokens, a, end)
    if v is None or tokens[v].lemma in SPEECH_VERBS:
        return False
    return _has_subject(tokens, depths, a, end, v)


def subject_pronoun(tokens: list[Token], depths: list[int], head: int, tail: int) -> str | None:
    """Return the subject pronoun the clause from `head` needs as a sentence, or None.

    «…, и выкурила его» -> «Она выкурила его». None when the clause has its own subject or
    the verb does not tell one (present tense, impersonal)."""
    end = clause_end(tokens, depths, head)
    v = first_predicate(tokens, head, end)
    if v is None or _has_subject(tokens, depths, head, end, v):
        return None
    m = tokens[v].morph
    if m is None or m.pos != "VERB" or "past" not in m.tags:
        return None
    first = {t.lower for t in tokens[: tail + 1] if t.kind == "word"}
    if "plur" in m.tags:
        return next((p for p in ("мы", "вы") if p in first), "они")
    if "я" in first:
        return "я"
    return {"masc": "он", "femn": "она"}.get(next((g for g in ("masc", "femn") if g in m.tags), ""))


def reporting(tokens: list[Token], depths: list[int], a: int, b: int) -> bool:
    """Return True when the first verb of tokens a..b-1 is an attribution after a comma.

    «…. Дамаск, сорвав её наступление, сообщил РИА Новости источник»."""
    for k in range(a, b):
        t = tokens[k]
        if depths[k] == depths[a] and t.kind == "word" and is_predicate(t):
            return t.lemma in SPEECH_VERBS and k > a and tokens[k - 1].text == ","
    return False


def full_stop(tokens: list[Token], k: int) -> bool:
    """Return True for a «.» that ends a sentence the segmenter missed («…суммами.** Далее»).

    Not one after an abbreviation or an initial («г. Москва», «А. С. Пушкин»)."""
    if tokens[k].text != "." or k == 0:
        return False
    before = tokens[k - 1]
    if before.kind == "word" and (len(before.text) <= 3 and before.text.islower()
                                  or len(before.text) == 1):
        return False
    nxt = next((t for t in tokens[k + 1 :] if t.kind != "punct"), None)
    return nxt is not None and nxt.text[:1].isupper()


def leading_clause(tokens: list[Token]) -> bool:
    """Return True when the sentence opens with a subordinate clause («Так как …», «Но если …»)."""
    k = next((k for k, t in enumerate(tokens) if t.kind == "word"), None)
    return k is not None and starts_clause(tokens, k, len(tokens))
