"""Obscene and insulting words, also masked («х*р»), spaced («х у й»), stretched or disguised.

A word is profane when it is a form of the shipped lexicon (slaviclean + our insults), or when it
starts with an obscene root after a verbal prefix («на-хуй», «за-еб-ал», «рас-пизд-яй») and the
dictionary does not know it as an ordinary word («потребовать», «страхуй», «сабля» stay clean).
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from service.lexicons import lexicon_path, word_set
from service.nlp.morph import get_morph

VULGAR_TAGS = frozenset({"Slng", "Infr"})

# Verbal prefixes an obscene root takes: «на|хуй», «за|еб|ал», «подъ|еб|нуть», «рас|пизд|яй».
_PREFIX = (
    r"(?:не|ни)?(?:вы|за|на|по|до|от|отъ|об|объ|о|а|у|с|съ|вз|взъ|вс|раз|разъ|рас|из|изъ|ис"
    r"|при|пере|под|подъ|про|недо|въ|в)?"
)
ROOT_RE = re.compile(
    "^" + _PREFIX + r"(?:"
    r"ху(?:[йеяю]|ил[аоуеы]?$|ищ|ит[аеуы]|и$)"  # хуй, хуевый, хуярить, хуила, хуита
    r"|пи[зс]д|пезд|пзд"  # пизда, спиздить, распиздяй, пездец, vowel-less «пздц»
    r"|[её]б(?:а|у$|ут|л|н[уеиая]|ыр|ись|ош|[её]т|ук|ун|уч|ал|ен|ан|ищ)"  # ебать, заебал, уебан, уебище
    r"|бля(?:д|т|$)"  # бля, блядь, блять (not «бляха», «бляшка»)
    r"|муда[кч]|мудил|мудозвон"  # not «мудрый»
    r"|залуп|пид[оа]р|педик|г[ао]ндон"
    r"|хер(?:н|ов|ач|[аеу]?$|ас|ен)"  # херня, нахер, похер, херово (not «Херсон», «херувим»)
    r"|хрен(?:ов[аоеиы]|ач|ь|ею|ел|ев|ет|от)"  # хреновый, хрень (not «хрен», horseradish)
    r"|говн|жоп|дерьм|дрочи|дроч[ен]|срак|сран[аоеиыь]|срач|ссан[аоеиы]|ссык|сцик"
    r"|чмо$|чмош|чмыр|быдл|дебил|шлюх|шалав|сучар|мраз[ио]|педераст|педрил"
    r")"
    r"|^(?:долб|дол)о[её]б"  # долбоеб
)
# What a mask hides when the filled word is checked against ROOT_RE: pieces of obscene roots
# («п*здёж» -> «и», «распи**яй» -> «зд»).
_ROOT_PIECES = (
    "хуй", "хуе", "хуя", "хую", "пизд", "пезд", "еба", "ебу", "ебл", "ебн", "ебищ", "бляд", "блят",
    "муда", "мудил", "залуп", "пидор", "пидар", "херн", "хрен", "говн", "жоп", "дерьм", "дроч",
    "срак", "сран", "шлюх", "шалав", "сучар", "мраз", "педр", "гандон", "гондон",
)
_FILLS: dict[int, tuple[str, ...]] = {
    n: tuple(sorted({r[i : i + n] for r in _ROOT_PIECES for i in range(len(r) - n + 1)}))
    for n in range(1, 6)
}
# Roots that are unmistakable in Latin transliteration («pizdec», «blyad», «pohuy», «zaebali»);
# the softer ones («her», «govno») would fire on English and on names.
TRANSLIT_ROOT = re.compile(
    "^" + _PREFIX + r"(?:ху[йяё]|пи[зс]д|пезд|бля(?:[дт]|$)|муда[кч])"
    r"|^" + _PREFIX + r"[её]б(?:ат|ал|ан[аоуеы]|ну|л[аои]|ут|ош)"
)
_TRANSLIT = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("ja", "я"), ("ju", "ю"),
)
_TRANSLIT_ONE = str.maketrans({
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т",
    "u": "у", "f": "ф", "h": "х", "c": "ц", "w": "в", "q": "к", "x": "кс",
})
_LATIN_WORD = re.compile(r"^[a-z]{3,}$")
_Y_AFTER_VOWEL = re.compile(r"(?<=[aeiouаеёиоуыэюя])y")
# A privacy-masked surname: «Е***ов», «С**ова», «К***ский» — capitalised, the middle hidden.
SURNAME_MASKED = re.compile(
    r"^[А-ЯЁ][а-яё]{0,3}[*#%@.…]+(?:[а-яё]?(?:[оеё]в|[иы]н|[сц]к)"
    r"(?:[аоуеыи]|ым|ой|ом|ую|ых|их|ого|ому|ий|ая|ое|ые)?|енко|[уюя]к|[ыи]х|ич)$"
)
# Dots or an ellipsis between letters of one word: «п...ц», «х..й» (not «т.е.», «г.Москва»).
DOTTED = re.compile(
    r"(?<![\w.*#%@])[А-Яа-яЁё][А-Яа-яЁё*#%@]*(?:(?:\.{2,}|…)[А-Яа-яЁё][А-Яа-яЁё*#%@]*)+(?![\w*#%@])"
)
_DOTS = re.compile(r"\.{2,}|…")
_AT_MASK = re.compile(r"(?<=[А-Яа-яЁё])@")  # «бл@», «бл@ть»; not «@club», «info@mail.ru»
_CYR = re.compile(r"^[а-яё]+$")
_HAS_CYR = re.compile(r"[а-яё]")
_REPEAT = re.compile(r"([а-я])\1+")


# A word that needs a closer look: an obscene root at its start or a run of a repeated letter
# (ROOT_RE.match or _REPEAT.search in one call; most words have neither).
_SUSPECT = re.compile(f"(?:{ROOT_RE.pattern})|.*?([а-я])\\1")


def _first_group(m: re.Match[str]) -> str:
    """Return the letter of a run (a callable replacement: no template expansion per match)."""
    return m.group(1)


def _squeeze(word: str) -> str:
    """Return the word with runs of a repeated letter squeezed to one («хууууй» -> «хуй»)."""
    # most words have no run: a search is much cheaper than a substitution
    return word if _REPEAT.search(word) is None else _REPEAT.sub(_first_group, word)
# Look-alikes and digits used for letters: «xуй», «6ля», «п0здец», «3аебал».
_LOOKALIKE = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
    "t": "т", "x": "х", "y": "у", "u": "и", "0": "о", "3": "з", "4": "ч", "6": "б", "@": "а",
    "$": "с", "ё": "е", "z": "з",
})
_LOOKALIKE_ONLY = re.compile(r"^[abcehkmoptxyu0346@$]+$")
MASKS = "*#%"  # not «_»: «__» is Telegram's italics
_MASK_RUN = re.compile(r"[*#%]+")
_MASK_PARTS = re.compile(r"[*#%]+|[^*#%]+")  # a masked word cut into runs of masks and letters
# Masks only at the end are mostly markdown («на**», «С#»): trust them after these beginnings.
TRAILING_MASK_PREFIXES = frozenset({"х", "бл", "пи", "пиз", "хуй", "еб", "сук"})
# A candidate word: letters, digits, look-alike symbols and masks, not inside a link.
CANDIDATE = re.compile(r"[0-9A-Za-zА-Яа-яЁё*#%@$]+")
# Letters written apart: «х у й», «б.л.я», «х-у-й».
SPACED = re.compile(r"(?<![\w*])(?:[^\W\d_][ .\-_*]{1,2}){2,}[^\W\d_](?![\w*])")
# What every SPACED match holds from the last separator after its first letter on: a letter
# between separators and a letter after it («х[ у ]й»). Rare in prose and, opening with a
# separator, scanned fast; a match of SPACED starts at most two characters before it.
SPACED_GATE = re.compile(r"[ .\-_*][^\W\d_][ .\-_*]{1,2}[^\W\d_](?:[ .\-_*]|(?![\w*]))")
LINK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:ru|рф|com|org|net|me)\S*")


@dataclass(slots=True, frozen=True)
class Hit:
    """One profane word: its span in the text and how it was written."""

    start: int
    end: int
    fragment: str
    how: str  # plain | masked | disguised | spaced | translit


class Lexicon:
    """Profane word forms with the look-ups the matcher needs (cached per word)."""

    def __init__(self, forms: list[str]) -> None:
        self.forms = frozenset(forms)
        self.ordered = sorted(self.forms)
        # the forms with repeated letters squeezed, for stretched words («хууууй»): one
        # substitution over all forms at once (a newline never joins a run of letters)
        self.collapsed = (frozenset(_REPEAT.sub(_first_group, "\n".join(self.ordered)).split("\n"))
                          if self.ordered else frozenset())
        self.is_profane = lru_cache(maxsize=50_000)(self._is_profane)
        self.masked_match = lru_cache(maxsize=10_000)(self._masked_match)
        self.translit_match = lru_cache(maxsize=10_000)(self._translit_match)
        self._innocent = lru_cache(maxsize=50_000)(self._innocent_word)

    def _innocent_word(self, word: str) -> bool:
        """Return True when the dictionary knows `word` only as an ordinary word."""
        morph = get_morph().analyzer
        if not morph.word_is_known(word):
            return False
        for p in morph.parse(word):
            if VULGAR_TAGS & p.tag.grammemes or p.normal_form.replace("ё", "е") in self.forms:
                return False
        return True

    def _is_profane(self, word: str) -> bool:
        """Return True when a lower-case Cyrillic word (ё as е) is obscene or insulting."""
        if word in self.forms:
            return True
        if ROOT_RE.match(word) and not self._innocent(word):
            return True
        squeezed = _squeeze(word)  # «хууууй», «пиииздец»
        if squeezed == word:
            return False
        # the cheap tests before the dictionary: most words with a double letter are ordinary
        if squeezed in self.collapsed or squeezed in self.forms:
            return not get_morph().analyzer.word_is_known(word)
        return (bool(ROOT_RE.match(squeezed)) and not get_morph().analyzer.word_is_known(word)
                and not self._innocent(squeezed))

    def is_profane_plain(self, word: str) -> bool:
        """Return `is_profane(word)` for a plain word, rejecting most words with one set look-up
        and one regex test (a word not in the lexicon, with no obscene root at its start and
        no run of a repeated letter, is clean), without filling the cache."""
        if word in self.forms:
            return True
        if _SUSPECT.match(word) is None:
            return False
        return self.is_profane(word)

    def _masked_match(self, word: str) -> str | None:
        """Return the form a masked word («х*р», «бл*ть», «о**ел») stands for, or None."""
        m = _MASK_RUN.search(word)
        if m is None or m.start() == 0:
            return None
        prefix = word[: m.start()]
        if m.end() == len(word) and prefix not in TRAILING_MASK_PREFIXES:
            return None
        pattern = re.compile(
            "".join(
                f"[а-я]{{1,{len(part) + 1}}}" if part[0] in MASKS else re.escape(part)
                for part in _MASK_PARTS.findall(word)
            )
        )
        ordered = self.ordered
        i = bisect.bisect_left(ordered, prefix)
        while i < len(ordered) and ordered[i].startswith(prefix):
            if pattern.fullmatch(ordered[i]):
                return ordered[i]
            i += 1
        return self._root_fill(word)

    def _root_fill(self, word: str) -> str | None:
        """Return a filling of the masks that the obscene-root rule catches («п*здёж»), or None."""
        parts = _MASK_PARTS.findall(word)
        if get_morph().analyzer.word_is_known(_MASK_RUN.sub("", word)):
            return None  # «М**инздрав», «в**ора»: bold markup around a letter, nothing hidden
        runs = [i for i, part in enumerate(parts) if part[0] in MASKS]
        if len(runs) > 2:
            return None
        options = [
            [f for n in range(max(1, len(parts[i]) - 1), min(len(parts[i]) + 1, 5) + 1)
             for f in _FILLS[n]]
            for i in runs
        ]
        for fills in itertools.product(*options):
            for i, fill in zip(runs, fills, strict=True):
                parts[i] = fill
            filled = "".join(parts)
            if ROOT_RE.match(filled) and not self._innocent(filled):
                return filled
        return None

    def _translit_match(self, word: str) -> str | None:
        """Return the Cyrillic of a transliterated obscene word («pizdec», «pohuy»), or None."""
        cyr = word
        for lat, ru in _TRANSLIT:
            cyr = cyr.replace(lat, ru)
        # «y»: «й» after a vowel («pohuy»), «ы» after a consonant («tvoy» / «vy»).
        cyr = _Y_AFTER_VOWEL.sub("й", cyr).replace("y", "ы").translate(_TRANSLIT_ONE)
        cyr = cyr.replace("ё", "е")
        if TRANSLIT_ROOT.match(cyr) and not self._innocent(cyr):
            return cyr
        return None


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """Return the shipped lexicon, loaded once per process."""
    with gzip.open(lexicon_path("profanity_forms.txt.gz"), "rt", encoding="utf-8") as f:
        return Lexicon([w for w in f.read().split("\n") if w])


def _soft_insults() -> frozenset[str]:
    """Return the lemmas of mild insults that are also titles («Идиот» by Dostoevsky)."""
    return word_set("insults.txt")


def _strip_masks(tok: str) -> str:
    """Return the token without markdown-like asterisks around it («*важно*» -> «важно»)."""
    tok = tok.lstrip(MASKS)
    core = tok.rstrip(MASKS)
    if core != tok and len(core) > 3:
        return core  # «цена*» is a footnote; «х**», «бл*» keep their masks
    return tok


def _classify(tok: str) -> tuple[str, str] | None:
    """Return (normalised word, how) for a candidate token, or None when it is not a word."""
    low = tok.lower()
    if _CYR.match(low):
        return low.replace("ё", "е"), "plain"
    if not _HAS_CYR.search(low) and not (_LOOKALIKE_ONLY.match(low) and len(low) >= 4):
        return None
    if low.isdigit():
        return None
    word = low.translate(_LOOKALIKE)
    if any(c in MASKS for c in word):
        return word, "masked"
    if not _CYR.match(word):
        return None
    return word, "disguised"


def _in_title(text: str, start: int, word: str) -> bool:
    """Return True for a capitalised mild insult opening a quoted title: роман «Идиот»."""
    return start > 0 and text[start - 1] == "«" and text[start].isupper() and (
        get_morph().analyse(word).lemma in _soft_insults()
    )


def _verdict_with(tok: str, lex: Lexicon) -> tuple[str, str] | None:
    """Return (normalised word, how) when the token is profane in `lex`, else None."""
    got = _classify(tok)
    if got is None:
        return _translit_verdict(tok, lex)
    word, how = got
    if how == "masked":
        if SURNAME_MASKED.match(tok):
            return None  # «Е***ов Дмитрий»: a name hidden for privacy, not мат
        return got if lex.masked_match(word) is not None else None
    if lex.is_profane(word):
        return got
    if "@" in tok and _AT_MASK.search(tok):  # «бл@», «бл@ть»: «@» as a mask, not as «а»
        return _verdict_with(_AT_MASK.sub("*", tok), lex)
    return _translit_verdict(tok, lex) if how == "disguised" else None


def _translit_verdict(tok: str, lex: Lexicon) -> tuple[str, str] | None:
    """Return (word, "translit") for a Latin token spelling мат («pizdec», «pohuy»), else None."""
    low = tok.lower()
    if _LATIN_WORD.match(low) and lex.translit_match(low) is not None:
        return low, "translit"
    return None


@lru_cache(maxsize=100_000)
def _verdict(tok: str) -> tuple[str, str] | None:
    """Return the verdict of a token against the shipped lexicon (cached: words repeat)."""
    return _verdict_with(tok, get_lexicon())


def _raw_verdict(raw: str) -> tuple[int, str, tuple[str, str]] | None:
    """Return (offset of the unmasked token, token, verdict) of a raw match, None when clean."""
    tok = _strip_masks(raw)
    if not tok:
        return None
    low = tok.lower()
    if _CYR.match(low) is not None:  # a plain word (most are, «**важно» too): no disguise
        word = low.replace("ё", "е")
        return (raw.index(tok), tok, (word, "plain")) if get_lexicon().is_profane_plain(word) else None
    verdict = _verdict(tok)
    return None if verdict is None else (raw.index(tok), tok, verdict)


# Verdicts of raw candidate tokens against the shipped lexicon, computed once per process: the
# clean ones as a set (a post is clean when the set holds all its tokens: one C-level pass),
# the rare profane ones with their verdicts. Both are emptied when they grow past their bound.
_CLEAN: set[str] = set()
_PROFANE: dict[str, tuple[int, str, tuple[str, str]]] = {}
CLEAN_MAX = 200_000
PROFANE_MAX = 20_000


def _cached_verdict(raw: str) -> tuple[int, str, tuple[str, str]] | None:
    """Return `_raw_verdict(raw)`, remembered for the next posts."""
    if raw in _CLEAN:
        return None
    got = _PROFANE.get(raw)
    if got is not None:
        return got
    got = _raw_verdict(raw)
    if got is None:
        if len(_CLEAN) >= CLEAN_MAX:
            _CLEAN.clear()
        _CLEAN.add(raw)
    else:
        if len(_PROFANE) >= PROFANE_MAX:
            _PROFANE.clear()
        _PROFANE[raw] = got
    return got


def _all_clean(tokens: list[str]) -> bool:
    """Return True when no raw candidate token is profane in the shipped lexicon."""
    clean = _CLEAN
    if clean.issuperset(tokens):
        return True
    forms = get_lexicon().forms
    cyr, suspect = _CYR.match, _SUSPECT.match
    found = False
    for raw in tokens:
        if raw in clean:
            continue
        low = raw.lower()
        # inline, the commonest verdict of `_raw_verdict`: a plain word out of the lexicon,
        # with no obscene root and no stretched letter, is clean
        if cyr(low) is not None and (word := low.replace("ё", "е")) not in forms and (
                suspect(word) is None):
            if len(clean) >= CLEAN_MAX:
                clean.clear()
            clean.add(raw)
        elif _cached_verdict(raw) is not None:
            found = True
    return not found


def find_profanity(text: str, lexicon: Lexicon | None = None) -> list[Hit]:
    """Return every obscene or insulting word of `text` with its span."""
    lex = lexicon or get_lexicon()
    hits: list[Hit] = []
    # Almost every post is clean: check all its words at once first (cached verdicts), and
    # walk the matches with their offsets only when one of them is not.
    clean = lexicon is None and _all_clean(CANDIDATE.findall(text))
    links: list[tuple[int, int]] | None = None  # spans of links, found on the first hit
    for m in CANDIDATE.finditer(text) if not clean else ():
        if lexicon is None:  # the cached verdict first: almost every word is clean
            got = _cached_verdict(m.group(0))
            if got is None:
                continue
            shift, tok, verdict = got
        else:
            tok = _strip_masks(m.group(0))
            found = _verdict_with(tok, lex) if tok else None
            if found is None:
                continue
            shift, verdict = m.group(0).index(tok), found
        s = m.start()
        if links is None:
            links = ([lm.span() for lm in LINK.finditer(text)]
                     if ("." in text or "@" in text) else [])
        if links and any(a <= s < b for a, b in links):
            continue
        s += shift
        e = s + len(tok)
        if s > 1 and text[s - 1] == "-" and (tok[0].isupper() or text[s - 2].isdigit()):
            continue  # «1980-х**», «Эд-Дуре»: a suffix or the second half of a name
        word, how = verdict
        if how != "masked" and _in_title(text, s, word):
            continue
        hits.append(Hit(s, e, text[s:e], how))
    if ".." in text or "…" in text:
        for m in DOTTED.finditer(text):
            tok = _DOTS.sub(lambda d: "*" * (3 if d.group(0) == "…" else len(d.group(0))), m.group(0))
            if _verdict_with(tok, lex) is None:
                continue
            s, e = m.span()
            if any(h.start < e and s < h.end for h in hits):
                continue
            if links is None:
                links = [lm.span() for lm in LINK.finditer(text)]
            if any(a <= s < b for a, b in links):
                continue
            hits.append(Hit(s, e, text[s:e], "masked"))
    gate = SPACED_GATE.search(text) if " " in text or "." in text or "-" in text else None
    if gate is not None:
        for m in SPACED.finditer(text, max(0, gate.start() - 2)):
            word = re.sub(r"[^\w]|_", "", m.group(0)).lower().replace("ё", "е")
            if len(word) >= 3 and _CYR.match(word) and lex.is_profane(word):
                hits.append(Hit(m.start(), m.end(), m.group(0), "spaced"))
    hits.sort(key=lambda h: h.start)
    return hits


def mask(word: str) -> str:
    """Return the word with all but its first letter hidden: «хрень» -> «х****»."""
    return word[:1] + "*" * max(len(word) - 1, 2) if len(word) > 1 else word
