"""A fast regex tokenizer for social-media Russian: links, hashtags, emoji, numbers, words."""

from __future__ import annotations

import re

EMOJI_CHARS = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u2190-\u21ff"
    "\u25a0-\u25ff\u2100-\u214f\u3030\u303d\u3297\u3299\ufe0f\u200d\U000e0020-\U000e007f"
)
TLD = r"(?:ru|рф|su|com|org|net|info|io|me|online|site|pro|gov|edu|рус|дети|москва)"
TOKEN_RE = re.compile(
    # A run of letters followed by a space or by punctuation that cannot continue a link, an
    # e-mail or a compound word is a plain word: the common case, matched before the slower
    # alternatives (which would all fail on it, and `word` would give the same span).
    r"(?P<plain>[^\W\d_]++(?![\w.@+\-‑'’]|://))"
    # possessive runs (`*+`, `++`): the character after them can never be one of theirs
    r"|(?P<url>(?:https?://|www\.)[^\s<>«»\"]+"
    r"|(?<![\w@.])[a-zа-яё0-9][\w\-]*+(?:\.[\w\-]++)*\." + TLD + r"(?![\w])(?:/[^\s<>«»\"]*)?)"
    r"|(?P<email>[\w.+-]++@[\w-]++(?:\.[\w-]+)+)"
    r"|(?P<hashtag>#[^\W_][\w]*)"
    r"|(?P<mention>@[A-Za-z0-9_]{3,})"
    r"|(?P<num>\d+(?:[.,:]\d+)*)"
    r"|(?P<word>[^\W\d_]+(?:\d+[^\W\d_]*)*(?:[-‑'’][^\W\d_]+)*\d*)"
    r"|(?P<emoji>[" + EMOJI_CHARS + r"]+)"
    # one mark per token: «!!!» is three tokens (the rules count them so)
    r"|(?P<punct>[^\w\s])",
    re.IGNORECASE,
)
TOKEN_KINDS = ("word", "num", "url", "email", "hashtag", "mention", "emoji", "punct")
if set(TOKEN_RE.groupindex) != {"plain", *TOKEN_KINDS}:  # the pipeline keeps a table per kind
    raise RuntimeError("TOKEN_KINDS must name every kind of token TOKEN_RE gives")
URL_TRAIL = ".,;:!?)»\"'…"
# TOKEN_RE behind a look-ahead for a non-space: every alternative of TOKEN_RE starts with a
# character that is not a space (no kind of token holds one first), so the matches, their
# groups and their order are the same; the engine only rejects a space at once instead of
# trying each alternative there (spaces are half the positions it searches).
TOKEN_SCAN = re.compile(r"(?=\S)(?:" + TOKEN_RE.pattern + ")", TOKEN_RE.flags)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Return (kind, start, end) for every token of `text`."""
    out: list[tuple[str, int, int]] = []
    append = out.append
    for m in TOKEN_SCAN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "plain":
            append(("word", *m.span()))
            continue
        if kind == "punct" and m.group(0)[0] == "_":
            continue
        s, e = m.span()
        if kind == "url":
            # a sentence-final period or bracket belongs to the sentence, not to the link
            while e > s and text[e - 1] in URL_TRAIL:
                e -= 1
            append((kind, s, e))
            if e < m.end():
                for j in range(e, m.end()):
                    append(("punct", j, j + 1))
            continue
        append((kind, s, e))
    return out
