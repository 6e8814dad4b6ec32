"""The keyword patterns of facts (and the engagement prior's call to action) are searched only
in texts that hold one of their necessary literals, read from the pattern itself
(service.nlp.gate): the same matches as the bare pattern, on real posts."""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import pytest

from service.engagement import expected as X
from service.facts import kinds as K
from service.facts import patterns as P
from service.nlp.gate import Gated, necessary_literals

POSTS = Path(__file__).parent / "fixtures" / "reference_posts.jsonl.gz"
GATED = {f"{mod.__name__}.{name}": v for mod in (K, P, X) for name, v in vars(mod).items()
         if isinstance(v, Gated)}


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with gzip.open(POSTS, "rt", encoding="utf-8") as f:
        out = [json.loads(line).get("text", "") for line in f if line.strip()]
    out += [t.lower() for t in out]  # the facts patterns see the lower-cased text
    return out + ["сегодня в 10:00 приходите в дом культуры", "с днём учителя!", "пн-пт (сб)",
                  "ПРИХОДИТЕ все! Ждём Вас", "ᲀступайте и Звоните"]


def test_every_keyword_pattern_is_gated():
    assert len(GATED) >= 15
    assert {"service.facts.kinds.REQUEST", "service.facts.patterns.RELATIVE",
            "service.engagement.expected._CTA"} <= set(GATED)


@pytest.mark.parametrize("name", sorted(GATED))
def test_gated_pattern_finds_what_the_bare_pattern_finds(name, texts):
    gated = GATED[name]
    bare = gated.pattern
    found = 0
    for t in texts:
        want = [m.span() for m in bare.finditer(t)]
        assert [m.span() for m in gated.finditer(t)] == want
        assert gated.findall(t) == bare.findall(t)
        got = gated.search(t, 5, 300)
        assert (got and got.span()) == (bare.search(t, 5, 300) and bare.search(t, 5, 300).span())
        found += bool(want)
        if want:  # a text with a match holds one of the keys
            assert gated.possible(t)
    assert found < len(texts)  # the gate has texts to skip


def test_necessary_literals_of_alternatives_groups_and_repeats():
    assert necessary_literals(re.compile(r"\bпросим\b|\bищем\b")) == ("ищем", "просим")
    # the longest needed run of each alternative (re factors «днём|днем» into «дн[её]м»);
    # a key holding another key is dropped
    assert necessary_literals(re.compile(r"с\s+(?:днём|днем)|поздравл\w+|поздравляем")) == (
        "дн", "поздравл")
    assert necessary_literals(re.compile(r"(?:ab)+c?|x{2,}")) == ("ab", "x")
    assert necessary_literals(re.compile(r"a|\d+")) is None  # a branch with no letters
    assert necessary_literals(re.compile(r"(?:abc)?\d")) is None  # an optional group
    # a case-insensitive pattern: case-folded keys, looked for in the case-folded text
    assert necessary_literals(re.compile("ПриВет|ЁЛКА", re.I)) == ("привет", "ёлка")
    assert Gated(re.compile("ПриВет", re.I)).search("ну ПРИВЕТ!").span() == (3, 9)
    assert necessary_literals(re.compile(r"(?i:привет)")) is None
    with pytest.raises(ValueError):
        Gated(re.compile(r"\b(?:в|к)\s+\d"))  # one-letter keys gate nothing


def test_case_folded_keys_see_every_letter_ignorecase_takes_for_theirs():
    """`re.IGNORECASE` takes «ᲀ» (U+1C80) for «в», «Ё» for «ё» ...: str.casefold must map every
    such character to that very letter, or a gate on a case-insensitive pattern would skip a
    text the pattern matches."""
    letters = sorted({c for g in GATED.values() if g.fold for k in g.keys for c in k})
    assert "в" in letters and len(letters) > 20
    everything = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    for letter in letters:
        same = re.compile(re.escape(letter), re.IGNORECASE).findall(everything)
        assert len(same) >= 1
        for ch in same:
            assert ch.casefold() == letter, (letter, ch, hex(ord(ch)))
    cta = X._CTA
    assert cta.fold and cta.search("ᲀсе ЗВОНИТЕ нам") and not cta.search("звонок был вчера")


# PLACE as it was written before it was rearranged for speed (service.facts.patterns.PLACE)
PLACE_READABLE = P._c(
    rf"(?:\b(?:в|во|на|у|возле|около|напротив|рядом\s+с|при)\s+(?:[\w\-]+\s+){{0,2}}?{P.PLACE_NOUNS}\w*"
    r"|\b(?:ДК|МФЦ|ФОК|ДЮСШ|СОШ|ЦРБ)\b"
    r"|(?:[Цц]ентральн\w+\s+(?:городск\w+\s+|районн\w+\s+)?библиотек\w*"
    r"|[Дд]ом\w*\s+культуры|[Дд]вор\w+\s+(?:культуры|спорта))"
    r"|\b(?:онлайн|в\s+онлайн-формате|в\s+режиме\s+онлайн|дистанционно))",
    P._I,
)


def _from_every_start(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Return the match found from each start (as `_where` retries from the next position)."""
    out, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        out.append(m.span())
        pos = m.start() + 1
    return out


def test_place_matches_as_its_readable_form(texts):
    edge = ["в библиотеке", "ав библиотеке", "(в библиотеке", "вбиблиотеке", "в дк", "удк",
            "1онлайн", "_онлайн", "эонлайн", "в малом зале", "рядом  с  центром", "в ДК «Юность»"]
    found = 0
    for t in texts + [e.lower() for e in edge]:
        want = _from_every_start(PLACE_READABLE, t)
        assert _from_every_start(P.PLACE, t) == want, t[:80]
        found += bool(want)
    assert found > 50


# DATE_WORDS and PHONE_HINT as they were written before they were rearranged for speed
DATE_WORDS_READABLE = P._c(
    rf"(?<![\d.,])({P._DAY})(?:\s*(?:[-–—]|по|и)\s*{P._DAY})?\s+{P.MONTH_GEN}{P._YEAR}", P._I)
PHONE_HINT_READABLE = re.compile(r"\d-\d\d-|(?:\+7|8)[\s\-]*\(?\s*\d{3}")


def test_dates_and_phone_hint_match_as_their_readable_forms(texts):
    edge = ["1 мая", "31 мая", "32 мая", "3 1 мая", ".1 мая", ",12 мая", "112 мая", "٣ мая",
            "1-3 мая", "30 и 31 мая 2025 г.", "0 мая", "29по30 марта", "a1 марта", "+7 (900)",
            "8-900", "88005", "1-23-45", "+78", "8 ( 123"]
    found = 0
    for t in texts + [e.lower() for e in edge]:
        want = [(m.span(), m.groups()) for m in DATE_WORDS_READABLE.finditer(t)]
        assert [(m.span(), m.groups()) for m in P.DATE_WORDS.finditer(t)] == want, t[:80]
        found += bool(want)
        assert (P.PHONE_HINT.search(t) is None) == (PHONE_HINT_READABLE.search(t) is None), t[:80]
    assert found > 20


# MONTH_ONLY as it was written before each alternative checked its own `\b`
MONTH_ONLY_READABLE = P._c(
    rf"\b(?:в|во|с|до|к|на)\s+(?:начале\s+|конце\s+|середине\s+)?{P.MONTH_ANY}\b", P._I)


def test_month_only_matches_as_its_readable_form(texts):
    edge = ["в мае", "вв мае", "1в мае", "_в мае", "(в мае)", "во  вторник", "ввторник", "с пн",
            "со ср", "каждую среду", "вкаждую среду", "в ночь на сб", "в ночь на сбор", "сегодня",
            "всегодня", "на этой неделе", "в эти выходные", "на выходных", "в начале марта",
            "до конце мая", "к маю", "на май", "ᲀ мае", "в среду в мае"]
    found = 0
    for t in texts + [e.lower() for e in edge]:
        want = [m.span() for m in MONTH_ONLY_READABLE.finditer(t)]
        assert [m.span() for m in P.MONTH_ONLY.finditer(t)] == want, t[:80]
        assert [m.span() for m in P.MONTH_ONLY.pattern.finditer(t)] == want, t[:80]
        found += bool(want)
    assert found > 20


def test_settlement_gate_holds_wherever_a_settlement_matches(texts):
    from service.facts.extract import _where  # noqa: F401  (the gate is written out there)

    edge = ["с. Берёзовка", "пос. Южный", "вопрос. Итак", "ПОСЁЛОК Новый", "Посёлке Лесном",
            "в селе Ивановка", "Сёла Дальние", "деревня Гора", "хутор Красный", "пгт Уркан",
            "д.Ива", "с.\u00a0Ива", "Хуторе Малом", "поселке Ясном", "x. Малый", "ᲃело Новое"]
    found = 0
    for t in texts + edge:
        if P.SETTLEMENT.search(t) is None:
            continue
        found += 1
        folded = t.casefold()
        assert (any(map(folded.__contains__, P.SETTLEMENT_WORDS))
                or (any(map(t.__contains__, P.SETTLEMENT_ABBREVIATIONS))
                    and P.SETTLEMENT_ABBREVIATION.search(t) is not None)), t[:80]
    assert found > 10
