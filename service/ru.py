"""Small helpers for Russian text shown to users."""

from __future__ import annotations


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """Return the noun form agreeing with `n`: «1 оборот», «3 оборота», «5 оборотов»."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


# Numbers a person reads as words in short sentences («три недели без канцелярита»).
_WORDS = {1: "один", 2: "два", 3: "три", 4: "четыре", 5: "пять", 6: "шесть", 7: "семь",
          8: "восемь", 9: "девять", 10: "десять"}
_WORDS_FEMININE = {**_WORDS, 1: "одна", 2: "две"}


def count_words(n: int, one: str, few: str, many: str, feminine: bool = False) -> str:
    """Return «три недели», «пять недель», «12 недель»: words up to ten, digits above."""
    words = _WORDS_FEMININE if feminine else _WORDS
    return f"{words.get(n, str(n))} {plural_form(n, one, few, many)}"


def signed(v: float, digits: int = 0) -> str:
    """Return a change with its sign for people: «+5», «−3», «±0» (a true minus sign)."""
    r = round(v, digits)
    text = f"{abs(r):.{digits}f}".replace(".", ",")
    if r > 0:
        return f"+{text}"
    return f"−{text}" if r < 0 else f"±{text}"


def percent(share: float) -> str:
    """Return a share as «80 %» (rounded to a whole percent)."""
    return f"{round(100 * share)} %"
