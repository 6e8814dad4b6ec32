"""Normalisation that keeps a map from every normalised character back to the original."""

from __future__ import annotations

import re
from dataclasses import dataclass

# VK mentions «[club123|Школа № 5]», «[id42|Анна]», «[public1|…]»: keep the display name.
VK_MENTION = re.compile(r"\[(?:club|id|public|event)\d+\|([^\]\n]{1,200})\]")
# Characters that only confuse tokenisation: soft hyphen, zero-width marks, BOM.
INVISIBLE = "\u00ad\u200b\u200e\u200f\u2060\ufeff"
SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t\x0b\x0c"
_SPECIAL = re.compile(
    VK_MENTION.pattern + "|\r\n?|[" + INVISIBLE + SPACES + "]"
)
_SPACE_SET = frozenset(SPACES)
# the characters a match of _SPECIAL can start with, as one class the engine scans for fast
_GATE = re.compile("[\\[\r" + INVISIBLE + SPACES + "]")
# what changes the length of the text: without it, only odd spaces are replaced, one for one
_RESIZE = re.compile(VK_MENTION.pattern + "|[\r" + INVISIBLE + "]")


@dataclass(slots=True)
class Normalized:
    """Normalised text and, when it differs, the original offset of each of its characters."""

    text: str
    offsets: list[int] | None  # None: every character at its original offset
    original_length: int

    def to_original(self, i: int) -> int:
        """Return the original offset of normalised offset `i` (end offsets allowed)."""
        if self.offsets is None:
            return i
        if i >= len(self.offsets):
            return self.original_length
        return self.offsets[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Return the original span of the normalised span [start, end)."""
        if self.offsets is None:
            return start, end
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Return `text` with VK mentions unwrapped, CRLF, odd spaces and invisible marks normalised."""
    gate = _GATE.search(text)  # no match of _SPECIAL starts before it
    if gate is None or not _SPECIAL.search(text, gate.start()):
        return Normalized(text, None, len(text))
    if not _RESIZE.search(text, gate.start()):  # odd spaces only: the same text as below,
        out = text  # and each character stays at its offset
        for ch in SPACES:
            if ch in out:
                out = out.replace(ch, " ")
        return Normalized(out, None, len(text))
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPECIAL.finditer(text):
        s, e = m.span()
        if s > pos:
            parts.append(text[pos:s])
            offsets.extend(range(pos, s))
        if m.group(1) is not None:  # VK mention: keep the name, map it to its own letters
            ns = m.start(1)
            parts.append(m.group(1))
            offsets.extend(range(ns, m.end(1)))
        else:
            ch = m.group(0)
            if ch[0] == "\r":
                parts.append("\n")
                offsets.append(e - 1)
            elif ch in _SPACE_SET:
                parts.append(" ")
                offsets.append(s)
            # invisible marks are dropped
        pos = e
    if pos < len(text):
        parts.append(text[pos:])
        offsets.extend(range(pos, len(text)))
    return Normalized("".join(parts), offsets, len(text))
