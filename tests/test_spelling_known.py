"""The spelling checker asks the dictionary about hundreds of edits of each unknown word; its
own look-up must answer exactly as pymorphy3's `word_is_known` (with «е» standing for «ё»)."""

from __future__ import annotations

from service.moderation.spelling import _cheap_edits, _known_lower, correct
from service.nlp.morph import get_morph

UNKNOWN = ["учавствовали", "обращатся", "мероприятиие", "празднованиея", "ветиринар",
           "прездент", "расписанее", "ещё", "елка", "ёлка", "зеленый", "вертолет", "щетчик"]


def test_known_answers_as_pymorphy3_on_every_edit():
    known = _known_lower()
    reference = get_morph().analyzer.word_is_known
    strings = {e for w in UNKNOWN for e in _cheap_edits(w)} | set(UNKNOWN)
    assert len(strings) > 2000
    verdicts = {s: known(s) for s in strings}
    assert verdicts == {s: reference(s) for s in strings}
    assert 20 < sum(verdicts.values()) < len(strings) // 2  # both answers are exercised
    # «е» written for «ё»: known through the substitutes, not as a key
    assert known("елка") and known("зеленый") and not known("ёлкаа")


def test_corrections_of_real_slips():
    assert correct("учавствовали") == "участвовали"
    assert correct("обращатся") == "обращаться"
