"""A table of frequent word forms with their pymorphy3 readings: a lookup instead of a parse.

Built by training/build_morph_table.py from real posts and shipped in models/morph/: for each
form exactly what `MorphAnalyzer.parse` returns that the service uses (normal form, tag,
score, in order) and whether the form is in the dictionary. The file is an open-addressing
hash table read through `mmap`: loading costs a few milliseconds, and every process on the
machine (API, workers, `score`) shares one copy of its pages. The table is used only with
the pymorphy3 and dictionary versions it was built with (meta.json); otherwise the service
parses every form with pymorphy3, as before.
"""

from __future__ import annotations

import json
import mmap
from importlib import metadata
from pathlib import Path
from zlib import crc32

MAGIC = b"GSPMORPH1\n"
FORMAT_VERSION = 1
TABLE_FILE = "forms.bin"
META_FILE = "meta.json"
FIELD, PARSE = "\x1f", "\x1e"  # value: known flag, then parses (lemma, tag id, score)


def library_versions() -> dict[str, str]:
    """Return the installed versions the readings depend on (pymorphy3 and its dictionary)."""
    out = {}
    for name in ("pymorphy3", "pymorphy3-dicts-ru"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def encode(known: bool, parses: list[tuple[str, int, float]]) -> bytes:
    """Return the stored value of one form."""
    body = PARSE.join(f"{lemma}{FIELD}{tag}{FIELD}{score!r}" for lemma, tag, score in parses)
    return (("1" if known else "0") + body).encode("utf-8")


def write_table(path: Path, items: dict[str, bytes]) -> int:
    """Write the hash table of `form -> encoded value` to `path`; return its size in bytes."""
    n_slots = 1
    while n_slots < 2 * len(items):  # at most half full: short probe runs
        n_slots *= 2
    mask = n_slots - 1
    slots = [0] * n_slots
    records = bytearray()
    base = len(MAGIC) + 4 + 4 * n_slots
    for form in sorted(items):
        key, value = form.encode("utf-8"), items[form]
        h = crc32(key) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = base + len(records)
        records += len(key).to_bytes(2, "little") + key
        records += len(value).to_bytes(4, "little") + value
    data = (MAGIC + n_slots.to_bytes(4, "little")
            + b"".join(s.to_bytes(4, "little") for s in slots) + bytes(records))
    path.write_bytes(data)
    return len(data)


class MorphTable:
    """Read-only lookups in a built table (see the module docstring)."""

    def __init__(self, directory: Path, meta: dict | None = None) -> None:
        if meta is None:  # load_table passes the meta it has read and checked
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        # tag id -> (POS, grammemes) as plain strings, as service.nlp.morph reduces a tag
        self.tags: list[tuple[str | None, frozenset[str]]] = [
            (pos, frozenset(grams)) for pos, grams in meta["tags"]]
        with open(directory / TABLE_FILE, "rb") as f:
            self._mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if self._mm[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{directory / TABLE_FILE}: not a word form table")
        start = len(MAGIC)
        n_slots = int.from_bytes(self._mm[start : start + 4], "little")
        self._mask = n_slots - 1
        self._slots = memoryview(self._mm)[start + 4 : start + 4 + 4 * n_slots].cast("I")
        self.size = int(meta.get("forms", 0))

    def get(self, form: str) -> tuple[bool, list[tuple[str, int, float]]] | None:
        """Return (known, [(lemma, tag id, score), ...]) of a form, or None if not in the table."""
        value = self.value(form)
        if value is None:
            return None
        parses = []
        for part in value[1:].split(PARSE):
            lemma, tag, score = part.split(FIELD)
            parses.append((lemma, int(tag), float(score)))
        return value[0] == "1", parses

    def value(self, form: str) -> str | None:
        """Return the stored value of a form (see `encode`), or None if not in the table."""
        key = form.encode("utf-8")
        mm, slots, mask = self._mm, self._slots, self._mask
        h = crc32(key) & mask
        n = len(key)
        while True:
            off = slots[h]
            if not off:
                return None
            if mm[off] | mm[off + 1] << 8 == n and mm[off + 2 : off + 2 + n] == key:
                at = off + 2 + n
                size = int.from_bytes(mm[at : at + 4], "little")
                return mm[at + 4 : at + 4 + size].decode("utf-8")
            h = (h + 1) & mask


def load_table(directory: Path) -> tuple[MorphTable | None, str | None]:
    """Return the table of `directory` if it may be used here, else (None, why not)."""
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, f"нет таблицы словоформ в {directory}"
    if meta.get("format_version") != FORMAT_VERSION:
        return None, f"таблица словоформ формата {meta.get('format_version')}, нужен {FORMAT_VERSION}"
    if meta.get("versions") != library_versions():
        return None, (f"таблица словоформ собрана с {meta.get('versions')}, установлены "
                      f"{library_versions()}: пересоберите её (`python -m training.build_morph_table`)")
    try:
        return MorphTable(directory, meta), None
    except (OSError, ValueError, KeyError) as exc:
        return None, f"таблица словоформ не читается: {exc}"
