"""Readability rules: officialese phrases, long sentences, unexplained abbreviations."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from service.feedback import Item
from service.lexicons import word_set
from service.nlp.document import Token
from service.nlp.morph import Reading, get_morph
from service.ru import plural_form
from service.rules.context import Context

# A sentence is too long when its words plus its long words (4+ syllables, which cost a
# reader about as much as a second word) reach this. Chosen by 5-fold cross-validation on the
# annotated posts (F1 0.78 vs 0.75 for a plain «25+ words» count); a plain sentence of 30
# short words passes, 22 words of officialdom do not.
LONG_SENTENCE_EFFORT = 34
LONG_WORD_SYLLABLES = 4
# Where a long sentence may be split: only at a clause boundary (a comma before «и», «а», «но»,
# «который», «где», ...; a semicolon; a spaced dash or a colon between two clauses), never
# inside «5-х», «т. е.», «№ 12», a name, a number, quotes or brackets. Both parts must read as
# sentences: a predicate (a finite verb, «проведён», «можно», «готов») outside subordinate
# clauses, and a fair share of the words each.
MIN_PART_WORDS = 5
MIN_PART_SHARE = 0.25
PREDICATE_POS = frozenset({"VERB", "PRTS", "PRED", "ADJS"})
PREDICATE_WORDS = frozenset({"есть", "рады", "видно", "возможно", "важно", "пора"})
# Words that may start the second sentence as they are (capitalised): «…, но…» -> «…. Но…».
KEEP_CONJ = frozenset({"а", "но", "однако", "зато", "поэтому", "причём", "причем", "затем",
                       "потом", "впрочем", "ведь", "также"})
KEEP_PAIRS = frozenset({("при", "этом"), ("кроме", "того"), ("после", "этого"), ("в", "итоге"),
                        ("тем", "не"), ("к", "тому")})
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
WHERE = {"где": "там", "куда": "туда", "откуда": "оттуда"}
ADVERBS = frozenset({*WHERE.values(), "тогда"})
WHAT = {"чего": "этого", "чему": "этому", "чем": "этим", "чём": "этом"}  # «после чего» -> «После этого»
TIME_NOUNS = frozenset(
    "год день время момент период час минута неделя месяц вечер утро ночь эпоха лето зима весна "
    "осень пора дата сутки век январь февраль март апрель май июнь июль август сентябрь октябрь "
    "ноябрь декабрь понедельник вторник среда четверг пятница суббота воскресенье".split())
# «…, сообщил РИА Новости источник»: a reporting clause is no sentence by itself.
SPEECH_VERBS = frozenset(
    "сообщить сообщать заявить заявлять считать передать передавать указать указывать отметить "
    "отмечать подчеркнуть подчёркивать подчеркивать сказать говорить рассказать рассказывать "
    "написать писать пояснить пояснять уточнить уточнять добавить добавлять напомнить напоминать "
    "полагать утверждать признать признавать объявить объявлять информировать констатировать "
    "следовать говориться сообщаться уточняться отмечаться считаться".split())
# «…, и, как правило, эти курсы …»: a comma that closes an aside is no boundary.
ASIDE_STARTS = frozenset(
    "как по например конечно разумеется безусловно кстати судя возможно вероятно видимо "
    "наверное впрочем кроме к в".split())
# «Однако, …», «Конечно, …»: a comma after such a word belongs to it, not to a clause boundary
ASIDE_WORDS = frozenset("однако конечно например впрочем итак во-первых во-вторых наконец кстати "
                        "безусловно разумеется естественно видимо вероятно пожалуй".split())
OPENING = frozenset("«“„([{")
CLOSING = frozenset("»”)]}")
DASHES = frozenset("—–-")
CLAUSE_END = frozenset(",;:—–.!?…")


@dataclass(slots=True, frozen=True)
class Split:
    """A split of a sentence's tokens: the first part ends at token `tail`; the new sentence is
    `new` (replacing tokens `drop`..`head` - 1, may be empty) followed by token `head` on."""

    tail: int
    drop: int
    head: int
    new: str = ""


def _depths(tokens: list[Token]) -> list[int]:
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


def _is_predicate(t: Token) -> bool:
    """Return True for a word that can carry a clause: a finite verb, «проведён», «можно»."""
    m = t.morph
    if m is None or not m.known or len(t.text) < 2:
        return False  # an unknown name is guessed to be anything, «е» of «т. е.» a verb too
    return m.pos in PREDICATE_POS or t.lower in PREDICATE_WORDS


def _opens_clause(tokens: list[Token], i: int) -> bool:
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


def _has_predicate(tokens: list[Token], depths: list[int], a: int, b: int,
                   sub: bool | None = None, infinitive: bool = False) -> bool:
    """Return True when tokens a..b-1 hold a predicate outside subordinate clauses, quotes
    and brackets. `sub`: the part starts inside a subordinate clause (None: find out, also
    after a leading conjunction: «а когда станет ясно, …»). A subordinate clause lasts at
    least until its own verb («где Gemini, по словам Google, распознаёт игру») and may hold
    others («Так как мужчину, которого он ударил, зовут Сергей, …»)."""
    if sub is None:
        k = a + 1 if a < b and tokens[a].kind == "punct" else a
        sub = k < b and _starts_clause(tokens, k, b)
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
                if k + 1 < b and _starts_clause(tokens, k + 1, b):
                    stack.append(tokens[k + 1].lower == "как")
            continue
        if depths[k] != base or t.kind != "word":
            continue
        if _is_predicate(t) or (infinitive and not stack and t.pos == "INFN"):
            if not stack:
                return True
            stack[-1] = True
    return False


def _starts_clause(tokens: list[Token], k: int, b: int) -> bool:
    """Return True when a subordinate clause starts at `k`, maybe after a conjunction:
    «когда …», «в котором …», «и какие …», «а когда …»."""
    return _opens_clause(tokens, k) or (
        tokens[k].lower in COORDINATORS | KEEP_CONJ and k + 1 < b and _opens_clause(tokens, k + 1))


def _noun_like(t: Token) -> bool:
    """Return True for a token that can be the place a «где» clause is about."""
    if t.kind == "num" or t.text in CLOSING:
        return True
    return t.kind == "word" and (t.pos == "NOUN" or t.text[:1].isupper()
                                 or (t.morph is not None and not t.morph.known))


def _relative(tokens: list[Token], j: int) -> tuple[int, str] | None:
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
        return not _agrees_with(m.tags, "plur" if form == "которые" else
                                "neut" if form == "которое" else "masc")
    return False


def _agrees_with(tags: frozenset[str], subject: str) -> bool:
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
        return _agrees_with(tags, "plur")
    gender = next((g for g in ("masc", "femn", "neut") if g in reading.grams), "")
    return _agrees_with(tags, gender) or ("ms-f" in reading.grams and "plur" not in tags)


def _clause_end(tokens: list[Token], depths: list[int], a: int) -> int:
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


def _first_predicate(tokens: list[Token], a: int, end: int) -> int | None:
    """Return the index of the first predicate word among tokens a..end-1."""
    return next((k for k in range(a, end) if tokens[k].kind == "word" and _is_predicate(tokens[k])),
                None)


def _own_clause(tokens: list[Token], depths: list[int], a: int) -> bool:
    """Return True when the clause from `a` (to the next comma) is a sentence by itself: it
    has a predicate with its own subject (or needing none), is no subordinate clause and no
    reporting clause («…, сообщил РИА Новости источник»)."""
    end = _clause_end(tokens, depths, a)
    if any(t.lower in SUBORDINATORS for t in tokens[a:end]):
        return False  # «, каждый пункт которого …», «, в то время как …», «, продают ли …»
    v = _first_predicate(tokens, a, end)
    if v is None or tokens[v].lemma in SPEECH_VERBS:
        return False
    return _has_subject(tokens, depths, a, end, v)


def _pronoun(tokens: list[Token], depths: list[int], head: int, tail: int) -> str | None:
    """Return the subject pronoun the new sentence needs: «…, и выкурила его» -> «Она
    выкурила его». None when the clause has its own subject or the verb does not tell one
    (present tense, impersonal)."""
    end = _clause_end(tokens, depths, head)
    v = _first_predicate(tokens, head, end)
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


def _complete_end(tokens: list[Token], depths: list[int], i: int, marks: Collection[str]) -> bool:
    """Return True when the first part (tokens before `i`) ends with a whole clause: its last
    stretch after any of `marks` has a predicate. «…мифы о том, что Вселенная — это …» and
    «…потепления полутора градусами Цельсия — и пришли к выводу» do not."""
    k = i - 1
    while k >= 0 and not (tokens[k].kind == "punct" and depths[k] == 0 and tokens[k].text in marks
                          and (tokens[k].text != "." or _full_stop(tokens, k))):
        k -= 1  # «.gif», «т. е.»: a full stop inside a sentence ends nothing
    return _has_predicate(tokens, depths, k + 1, i, False)


def _first_clause_whole(tokens: list[Token], depths: list[int], a: int) -> bool:
    """Return True when the new sentence from `a` (after its conjunction) does not start with
    a clause without its verb: «…. А бесконечное море энергии, которую …», «…. А конкретно
    на Нидерландах, …». It may open with a subordinate clause or an aside first."""
    n = len(tokens)
    c = next((k for k in range(a, n) if tokens[k].text == "," and depths[k] == 0), None)
    if c is None or _has_predicate(tokens, depths, a, c, False) or _opens_clause(tokens, a):
        return True
    if tokens[a].lower in ASIDE_STARTS or (tokens[a].lower, tokens[a + 1].lower if a + 1 < n else "") in KEEP_PAIRS:
        return True  # «причём в последней, по собственным утверждениям, …»
    nxt = tokens[c + 1] if c + 1 < n else None
    return nxt is not None and nxt.kind == "word" and (
        nxt.pos in ("PRTF", "GRND", "ADJF") or nxt.lower in ASIDE_STARTS
        or (nxt.lower in COORDINATORS and not _starts_clause(tokens, c + 1, n)))


def _reporting(tokens: list[Token], depths: list[int], a: int, b: int) -> bool:
    """Return True when the first verb of tokens a..b-1 is an attribution after a comma:
    «…. Дамаск, сорвав её наступление, сообщил РИА Новости источник»."""
    for k in range(a, b):
        t = tokens[k]
        if depths[k] == depths[a] and t.kind == "word" and _is_predicate(t):
            return t.lemma in SPEECH_VERBS and k > a and tokens[k - 1].text == ","
    return False


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
    if first.kind == "word" and (first.pos in ("PRTF", "GRND", "ADJF") or _opens_clause(tokens, k + 1)):
        return True  # «…, установленного в области, может быть оказана …»
    words = [t for t in tokens[k + 1 : i] if t.kind == "word"]
    if len(words) > 4 or _has_predicate(tokens, depths, k + 1, i, False):
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
        if _reporting(tokens, depths, k, _clause_end(tokens, depths, k + 1)):
            return False  # «…, где они пересекаются, сообщает WSJ»: the report is of all
        if subject is not None and not _opens_clause(tokens, k + 1):
            end = _clause_end(tokens, depths, k + 1)
            verb = next((u for u in tokens[k + 1 : end] if u.kind == "word" and _is_predicate(u)),
                        None)
            if (verb is not None and verb.morph is not None and verb.morph.pos != "PRED"
                    and not _agrees_with(verb.morph.tags, subject)):
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
        rel = _relative(tokens, i + 1)
        if w == "и":
            if i + 2 >= n or tokens[i + 2].kind != "word" or _opens_clause(tokens, i + 2):
                return None
            split, conj = Split(i - 1, i + 1, i + 2), i + 2
        elif (w in KEEP_CONJ or (w, w2) in KEEP_PAIRS) and (w, w2) not in (("но", "и"), ("а", "не")):
            if (w, w2) == ("а", "также") and not (i + 3 < n and _is_predicate(tokens[i + 3])):
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
        elif w in WHERE and _noun_like(prev):
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
              and not _leading_clause(tokens)
              and not _closes_aside(tokens, depths, i) and _own_clause(tokens, depths, i + 1)):
            # «…проведены классные часы, состоялась встреча с инспектором…»: two clauses
            split, penalty, asyndetic = Split(i - 1, i + 1, i + 1), 0.15, True
    elif p.text in DASHES or p.text in ";:":
        if p.text in DASHES and not (prev.end < p.start and p.end < nxt.start):
            return None  # «5-х», «Белоруссия-Россия»: a hyphen inside a word
        if p.text == ":" and prev.kind == "word" and (prev.pos in ("VERB", "INFN", "GRND") or any(
                t.lemma in ("следующий", "так", "такой") for t in tokens[max(0, i - 3) : i])):
            return None  # «сообщил: …», «по следующим направлениям: …» need what follows
        if _opens_clause(tokens, i + 1):
            return None
        if w == "и" and p.text not in ";:":
            if i + 2 < n and tokens[i + 2].kind == "word":
                split, conj = Split(i - 1, i + 1, i + 2), i + 2
        else:
            split = Split(i - 1, i + 1, i + 1)
        penalty = 0.0 if p.text == ";" else 0.05 if p.text in DASHES else 0.1
    if split is None or split.head >= n or (tokens[split.head].kind != "word" and not split.new):
        return None
    if not _has_predicate(tokens, depths, 0, i):
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
        tokens[k].text in ":;" or _full_stop(tokens, k))), n)
    if not _has_predicate(tokens, depths, split.head, end2, False if infinitive else None,
                          infinitive) or _reporting(tokens, depths, split.head, end2):
        return None
    if not split.new and any(t.lower in RELATIVE_PRONOUN
                             for t in tokens[split.head : _clause_end(tokens, depths, split.head)]):
        return None  # «…. Но упадок которого начался …»
    if relative and not _clause_ends_sentence(tokens, depths, split.head, subject):
        return None
    if _correlative_spans(tokens, depths, i):
        return None
    if (conj >= 0 and conj - split.drop == 1) or (relative and split.new in ADVERBS):
        # «…, и выкурила его» -> «Она выкурила его»; «…, где выступила» -> «Там она выступила»
        start = conj if conj >= 0 else split.head
        pronoun = _pronoun(tokens, depths, start, split.tail)
        verb = _first_predicate(tokens, start, n)
        if verb is None or verb > start + 1 or (verb == start + 1 and tokens[start].pos not in (
                "ADVB", "PRCL")):
            pronoun = None  # «Но ударов по энергетике он …»: only right before the verb
        if pronoun is not None:
            lead = split.new or (tokens[split.drop].lower if w != "и" else "")
            split = Split(split.tail, split.drop, start, f"{lead} {pronoun}".strip())
    return split, penalty


def _full_stop(tokens: list[Token], k: int) -> bool:
    """Return True for a «.» that ends a sentence the segmenter missed («…суммами.** Далее»),
    not one after an abbreviation or an initial («г. Москва», «А. С. Пушкин»)."""
    if tokens[k].text != "." or k == 0:
        return False
    before = tokens[k - 1]
    if before.kind == "word" and (len(before.text) <= 3 and before.text.islower()
                                  or len(before.text) == 1):
        return False
    nxt = next((t for t in tokens[k + 1 :] if t.kind != "punct"), None)
    return nxt is not None and nxt.text[:1].isupper()


def _elliptic_end(tokens: list[Token], depths: list[int], i: int) -> bool:
    """Return True when the first part ends with a clause without its verb: «…, а с другой —»."""
    k = i - 1
    while k >= 0 and not (tokens[k].kind == "punct" and depths[k] == 0 and tokens[k].text in ",;:—–"):
        k -= 1
    return (k >= 0 and k + 2 < i and tokens[k + 1].lower in COORDINATORS
            and tokens[k + 2].lower != "и"  # «не только …, но и …»
            and not _has_predicate(tokens, depths, k + 1, i, False))


def _correlative_spans(tokens: list[Token], depths: list[int], i: int) -> bool:
    """Return True for «если/когда/так как …, [split] …, то …»: the «то» half is after the
    split."""
    if not (any(t.lower in ("если", "когда", "раз") for t in tokens[:i]) or _leading_clause(tokens)):
        return False
    return any(tokens[k].text == "," and depths[k] == 0 and tokens[k + 1].lower == "то"
               for k in range(i + 1, len(tokens) - 1))


def _leading_clause(tokens: list[Token]) -> bool:
    """Return True when the sentence opens with a subordinate clause («Так как …», «Но если …»)."""
    k = next((k for k, t in enumerate(tokens) if t.kind == "word"), None)
    return k is not None and _starts_clause(tokens, k, len(tokens))


def _split_point(tokens: list[Token]) -> Split | None:
    """Return where to split a long sentence: the clause boundary nearest its middle, None
    when there is none that leaves two sentences with a fair share of the words each."""
    n_words = sum(1 for t in tokens if t.kind == "word")
    min_part = max(MIN_PART_WORDS, MIN_PART_SHARE * n_words)
    if n_words < 2 * min_part:
        return None
    depths = _depths(tokens)
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


def _split_advice(text: str, tokens: list[Token], split: Split) -> str:
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


def kantselyarit(ctx: Context) -> Iterator[Item]:
    """Yield one item per officialese phrase, with its plain-Russian rewrite."""
    if not ctx.kantselyarit:
        return
    gain = ctx.readability.gain(kantselyarit=-1)
    for hit in ctx.kantselyarit:
        if hit.kind == "structure" and hit.pattern == "noun-chain":
            message = "Цепочка отглагольных существительных и родительных падежей: фразу трудно понять"
        elif hit.kind == "structure":
            message = f"«{hit.fragment}»: непонятно, кто это делает. Скажите, кто и что делает"
        else:
            message = f"Канцелярит: «{hit.fragment}» — так говорят документы, а не люди"
        yield Item(
            code="kantselyarit",
            axis="readability",
            severity="warning",
            message=message,
            start=hit.start,
            end=hit.end,
            fragment=hit.fragment,
            suggestion=hit.suggestion,
            gain=gain,
        )


def long_sentences(ctx: Context) -> Iterator[Item]:
    """Yield an item for each sentence too long to read in one breath, with where to split it."""
    doc = ctx.doc
    gain = None
    for s in doc.sentences:
        if s.n_words * 2 < LONG_SENTENCE_EFFORT:
            continue
        n_long = sum(
            1 for t in doc.sentence_tokens(s) if t.kind == "word" and t.syllables >= LONG_WORD_SYLLABLES
        )
        if s.n_words + n_long < LONG_SENTENCE_EFFORT:
            continue
        if gain is None:
            gain = ctx.readability.gain(sentences=1)
        toks = doc.sentence_tokens(s)
        split = _split_point(toks)
        suggestion = NO_SPLIT_ADVICE if split is None else _split_advice(doc.text, toks, split)
        yield Item(
            code="long_sentences",
            axis="readability",
            severity="warning",
            message=(
                f"Длинное предложение: {s.n_words} {plural_form(s.n_words, 'слово', 'слова', 'слов')}"
                + (f", из них {n_long} длинных" if n_long >= 5 else "")
                + ". Его трудно дочитать на одном дыхании"
            ),
            start=s.start,
            end=s.end,
            fragment=doc.text[s.start : s.end],
            suggestion=suggestion,
            gain=gain,
        )


def _acronym_base(w: str) -> str:
    """Return the acronym without a lower-case case ending: «ТОСы» → «ТОС»."""
    if len(w) >= 4 and w[-1] in "ыаеуоми" and w[:-1].isupper():
        return w[:-1]
    return w


def _looks_like_acronym(t: Token, after_acronym: bool) -> bool:
    """Return True for a capitalised acronym such as «КДН» or «МБУ» (not «ВНИМАНИЕ», «НА»)."""
    w = _acronym_base(t.text)
    if not (2 <= len(w) <= 7) or not w.isupper() or not any("А" <= c <= "Я" for c in w):
        return False
    m = t.morph
    if m is not None and m.known and "Abbr" not in m.tags and not after_acronym:
        return False  # a real word in capitals is a caps problem, not an acronym
    return True


def _acronym_groups(toks: list[Token]) -> list[tuple[int, int]]:
    """Return (first, last) token indices of acronyms, chains like «МБУ ДО», «КДН и ЗП» joined."""
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and _looks_like_acronym(t, False):
            j = i
            while True:
                if j + 1 < len(toks) and toks[j + 1].kind == "word" and _looks_like_acronym(
                    toks[j + 1], True
                ):
                    j += 1
                elif (j + 2 < len(toks) and toks[j + 1].lower == "и"
                      and toks[j + 2].kind == "word" and _looks_like_acronym(toks[j + 2], True)):
                    j += 2
                else:
                    break
            groups.append((i, j))
            i = j + 1
        else:
            i += 1
    return groups


def unexplained_abbreviation(ctx: Context) -> Iterator[Item]:
    """Yield an item for each acronym a resident may not know and the post does not explain."""
    known = word_set("known_abbreviations.txt")
    doc = ctx.doc
    toks = doc.tokens
    groups = doc.memo("acronym_groups", lambda: _acronym_groups(toks))
    explained: set[str] = set()
    for a, b in groups:
        before = toks[a - 1].text if a > 0 else ""
        after = toks[b + 1].text if b + 1 < len(toks) else ""
        if before == "(" or after == "(":
            explained.add(doc.text[toks[a].start : toks[b].end])
    counts = ctx.readability.counts
    gain = ctx.readability.gain(abbreviations=-1) if "abbreviations" in counts else 0.5
    seen: set[str] = set()
    for a, b in groups:
        key = doc.text[toks[a].start : toks[b].end]
        parts = [_acronym_base(toks[k].text).lower() for k in range(a, b + 1)
                 if toks[k].lower != "и"]
        unknown = [p for p in parts if p not in known]
        if not unknown or key in explained or key in seen:
            continue
        nxt = toks[b + 1].text if b + 1 < len(toks) else ""
        if len(parts) == 1 and nxt[:1] in "«\"":
            continue  # legal form before an institution's name: «ГБУЗ «Черемшанская ЦРБ»»
        seen.add(key)
        yield Item(
            code="unexplained_abbreviation",
            axis="readability",
            severity="info",
            message=f"Сокращение «{key}» может быть непонятно жителям",
            start=toks[a].start,
            end=toks[b].end,
            fragment=key,
            suggestion=f"Расшифруйте «{key}» при первом упоминании или замените понятным словом.",
            gain=gain,
        )
