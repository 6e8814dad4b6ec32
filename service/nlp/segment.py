"""Which line breaks end a sentence: posts written a line per point vs hard-wrapped documents.

A post often puts each point on its own line («Когда: …», «Где: …»), and a line break there ends
the sentence even without a full stop. Text pasted from Word, PDF or an official letter is
hard-wrapped instead: one sentence runs over several lines, and ending a sentence at every line
would make a decree look like dozens of five-word sentences. A break between two adjacent lines
is *soft* (the sentence goes on) when:

- the next line starts with a lower-case letter (razdel then decides within the joined text);
- the line ends with a comma, a hyphen or dash, an opening bracket or quote, or a word that
  cannot end a sentence (a preposition or conjunction);
- the block is set in a fixed width (three or more lines, all but the last nearly as long as
  the longest) and the line ends without punctuation.

A list item (bullet, number, emoji, hashtag) always starts a new sentence, and a line ending
with final punctuation, a colon or a semicolon ends one. A blank line always ends one.
"""

from __future__ import annotations

import re

from service.nlp.tokenize import EMOJI_CHARS

# a list item, a hashtag, an emoji or a dash opening the line
_LIST_START = re.compile(
    r"(?:[-–—•·*▪►●○◦➤→✓✔☑+]|\d{1,3}[.)](?!\d)|[а-яa-z][)]|#|[" + EMOJI_CHARS + r"])"
)
_FINAL = frozenset(".!?…")
_CLOSERS = "\"'»”)]"
_GLUE_END = frozenset(",-–—(«„“‐")
# words that cannot end a Russian sentence: the line breaks inside a phrase
_DANGLING = frozenset(
    "в во на с со к ко по о об обо от ото из изо у за для до при про без под над перед через "
    "между и а но или либо что чтобы как который которая которое которые которых которым "
    "которой которого которую где когда если также ли не ни бы около после среди вокруг кроме "
    "вместо ради согласно благодаря вследствие"
    .split()
)
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")
FIXED_WIDTH_MIN_LINES = 3
FIXED_WIDTH_MIN_CHARS = 40  # a column narrower than this is a list of short points, not a page
FIXED_WIDTH_SHARE = 0.75  # every wrapped line at least this share of the longest one
FRAGMENT_MAX_WORDS = 4  # a heading, greeting or label line is this short
_GREETING = re.compile(
    r"(?:уважаем|дорог|здравствуй|добр(?:ый|ое|ого)\s+(?:день|утро|вечер|дня|утра|вечера)|"
    r"привет)", re.IGNORECASE,
)


def starts_item(line: str) -> bool:
    """Return True when a (left-stripped) line opens a list item, a hashtag or an emoji."""
    return _LIST_START.match(line) is not None


def fixed_width(lines: list[str]) -> bool:
    """Return True for a block of adjacent lines hard-wrapped to one width."""
    if len(lines) < FIXED_WIDTH_MIN_LINES:
        return False
    widths = [len(x.strip()) for x in lines[:-1]]
    top = max(widths)
    return top >= FIXED_WIDTH_MIN_CHARS and min(widths) >= FIXED_WIDTH_SHARE * top


def continues(prev: str, nxt: str, wrapped: bool) -> bool:
    """Return True when the line `nxt` continues the sentence of the line `prev` before it."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or starts_item(n):
        return False
    if n[0].islower():
        return True
    last = p.rstrip(_CLOSERS)[-1:] or p[-1]
    if last in _FINAL or last in ":;":
        return False
    if last in _GLUE_END:
        return True
    m = _LAST_WORD.search(p)
    if m is not None and p.endswith(m.group(1)) and m.group(1).lower() in _DANGLING:
        return True
    return wrapped and (last.isalnum() or last in _CLOSERS)


def is_fragment(unit: str, n_words: int) -> bool:
    """Return True for a line run that is a heading, greeting, label or list item, not prose.

    Such lines («Уважаемый пользователь!», «Где: площадь Ленина», «Приложение: 1. Фото.»,
    «- паспорт») would deflate the sentence length of the text around them; a short sentence
    of its own («Приходите!») is prose and counts.
    """
    if n_words > FRAGMENT_MAX_WORDS:
        return False
    u = unit.strip()
    last = u.rstrip(_CLOSERS)[-1:]
    return (last not in _FINAL or ":" in u or starts_item(u)
            or _GREETING.match(u) is not None)


def units(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the (start, end) spans of runs of lines that form sentences together.

    `lines` are the spans of the non-blank lines of `text`, in order.
    """
    out: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        # the block: adjacent lines (no blank line between them)
        j = i + 1
        while j < n and text.count("\n", lines[j - 1][1], lines[j][0]) == 1:
            j += 1
        block = [text[s:e] for s, e in lines[i:j]]
        wrapped = fixed_width(block)
        start = lines[i][0]
        for k in range(i + 1, j):
            if not continues(block[k - i - 1], block[k - i], wrapped):
                out.append((start, lines[k - 1][1]))
                start = lines[k][0]
        out.append((start, lines[j - 1][1]))
        i = j
    return out
