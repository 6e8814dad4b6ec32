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
