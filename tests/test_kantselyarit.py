"""The officialese finder: lexicon phrases on lemmas, gaps, rewrites, structures, negatives."""

from __future__ import annotations

import time

import pytest

from service.nlp.pipeline import get_pipeline
from service.officialese import Hit, find_kantselyarit
from service.officialese.lexicon import load_lexicon, parse_line


def hits_of(text: str) -> list[Hit]:
    """Return the hits of a text."""
    return find_kantselyarit(get_pipeline().analyse(text))


def fragments(text: str) -> list[str]:
    """Return the hit fragments of a text."""
    return [h.fragment for h in hits_of(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("В рамках акции жители посадили 200 деревьев.", "В рамках акции"),
        ("В целях профилактики гриппа откроем пункт прививок.", "В целях профилактики"),
        ("С целью экономии воду отключат ночью.", "С целью"),
        ("Осуществляется приём заявлений на путёвки.", "Осуществляется приём заявлений"),
        ("Приём документов осуществляется в МФЦ.", "Приём документов осуществляется"),
        ("Данный вопрос решён положительно.", "Данный вопрос"),
        ("В данной ситуации звоните 112.", "данной ситуации"),
        ("В настоящее время ремонт продолжается.", "В настоящее время"),
        ("Выплаты назначают в соответствии с законом.", "в соответствии с законом"),
        ("Информируем вас о том, что школа закрыта.", "Информируем вас о том, что"),
        ("Доводим до вашего сведения, что воды не будет.", "Доводим до вашего сведения"),
        ("Воды не будет в связи с ремонтом.", "в связи с ремонтом"),
        ("Мэр принял участие в заседании думы.", "принял участие в заседании"),
        ("Школьники приняли активное участие в субботнике.", "приняли активное участие в субботнике"),
        ("В ходе рейда нашли нарушения.", "В ходе"),
        ("Подведены итоги конкурса рисунков.", "Подведены итоги"),
        ("Обращаем внимание: вход по билетам.", "Обращаем внимание"),
        ("При наличии справки скидка 50%.", "При наличии справки"),
        ("Оплата посредством карты.", "посредством карты"),
        ("Вышеуказанный дом отключат от газа.", "Вышеуказанный"),
        ("Приносим извинения за доставленные неудобства.",
         "Приносим извинения за доставленные неудобства"),
        ("Состоялось торжественное мероприятие, посвящённое Дню Победы.",
         "торжественное мероприятие, посвящённое Дню"),
        ("Количество мест ограничено.", "Количество мест ограничено"),
        ("При себе необходимо иметь паспорт.", "При себе необходимо иметь"),
        ("Зачисляем по заявлению родителей (законных представителей).",
         "родителей (законных представителей"),
        ("Без холодного водоснабжения останутся дома 1–5.", "холодного водоснабжения"),
        ("Заседание прошло под председательством главы района.", "под председательством"),
        ("Услуга оказывается в обязательном порядке.", "в обязательном порядке"),
        ("Заявки принимаются по состоянию на 1 марта.", "по состоянию на"),
        ("Центр осуществляет деятельность с 2010 года.", "осуществляет деятельность"),
    ],
)
def test_phrase_found(text: str, fragment: str) -> None:
    """A known officialese phrase is found with its exact fragment."""
    assert fragment in fragments(text)


@pytest.mark.parametrize(
    "text",
    [
        "Купили новую рамку для фото, она висит в холле.",
        "Фото в рамке подарили ветерану.",
        "Данные счётчиков передайте до 25 числа.",
        "Персональные данные граждан защищены законом.",
        "Мы заменили трубы на улице Ленина, вода уже есть.",
        "Цель похода — дойти до озера к обеду.",
        "Завтра с 9:00 до 17:00 не будет воды на улице Садовой. Водовоз приедет в 11:00.",
        "Ход конём: в шахматном клубе новый тренер.",
        "Ребята взвесили рюкзаки: в среднем 3,8 кг.",
        "На базе отдыха «Берёзка» открылся летний лагерь.",
        "Сделали ремонт в спортзале, приходите заниматься!",
    ],
)
def test_plain_language_is_quiet(text: str) -> None:
    """Plain language, including look-alikes of officialese, gives no hit."""
    assert fragments(text) == []


@pytest.mark.parametrize(
    ("text", "fragment", "wanted"),
    [
        ("Осуществляется приём заявлений.", "Осуществляется приём заявлений", "принимаем заявления"),
        ("Данные документы нужно принести.", "Данные документы", "Эти документы"),
        ("В данном случае звоните нам.", "В данном случае", "в этом случае"),
        ("Данной услугой пользуются сотни семей.", "Данной услугой", "этой услугой"),
        ("Мэр принял участие в заседании думы.", "принял участие в заседании",
         "участвовал в заседании"),
        ("Дети примут участие в конкурсе.", "примут участие в конкурсе", "будут участвовать"),
        ("В целях экономии закроем бассейн.", "В целях", "Для"),
        ("Состоялось открытие парка.", "Состоялось", "прошло"),
        ("Специалисты выразили благодарность волонтёрам.", "выразили благодарность",
         "поблагодарили"),
        ("Проводится вакцинация взрослых.", "Проводится вакцинация взрослых", "прививаем"),
    ],
)
def test_rewrite_is_built_from_the_match(text: str, fragment: str, wanted: str) -> None:
    """The suggestion reuses the matched words in the right form."""
    hit = next(h for h in hits_of(text) if h.fragment == fragment)
    assert wanted.lower() in hit.suggestion.lower()


@pytest.mark.parametrize(
    "text",
    [
        "В целях обеспечения реализации мероприятий муниципальной программы создана комиссия.",
        "Обсудили вопросы организации проведения капитального ремонта зданий.",
    ],
)
def test_noun_chain_is_a_structure(text: str) -> None:
    """Chains of verbal nouns with genitive dependents are reported as structures."""
    kinds = {h.kind for h in hits_of(text)}
    assert "structure" in kinds


def test_passive_verb_is_a_structure() -> None:
    """A passive «-ся» verb of officialdom is a structure with an active rewrite."""
    hit = next(h for h in hits_of("Выдача справок производится по вторникам.") if h.kind == "structure")
    assert hit.fragment == "Выдача справок производится"
    assert "выдаём справки" in hit.suggestion


def test_weak_entry_alone_is_quiet_but_shown_beside_a_strong_one() -> None:
    """A weak entry («население») alone is not shown; beside a strong one it is."""
    assert fragments("Население района выросло.") == []
    both = fragments("В рамках акции население района посадило сад.")
    assert both[:2] == ["В рамках акции", "население"]


@pytest.mark.parametrize(
    "text",
    [
        "Информируем вас о том, что в рамках программы в целях обеспечения безопасности "
        "осуществляется приём заявлений. Данный приём ведётся в связи с ремонтом.",
        "«В рамках» (в целях) — данный, «данные»; в соответствии с ... \n\n В ходе. В",
    ],
)
def test_hits_are_ordered_disjoint_and_exact(text: str) -> None:
    """Hits come in text order, never overlap, and their fragments are the text slices."""
    hits = hits_of(text)
    assert hits
    for a, b in zip(hits, hits[1:], strict=False):
        assert a.end <= b.start
    for h in hits:
        assert text[h.start : h.end] == h.fragment
        assert h.kind in ("phrase", "structure")
        assert h.suggestion


def test_phrase_does_not_cross_a_sentence_end() -> None:
    """«в. Рамках» across a full stop is not «в рамках»."""
    assert fragments("Приходите в. Рамках нет.") == []


def test_offsets_follow_the_original_text() -> None:
    """Offsets are into the submitted text even when it has odd spaces and emoji."""
    text = "🎉  Уважаемые!   В\u00a0рамках  акции…"
    hit = hits_of(text)[0]
    assert text[hit.start : hit.end] == hit.fragment
    assert hit.fragment.startswith("В") and hit.fragment.endswith("акции")


def test_lexicon_is_large_and_every_line_parses() -> None:
    """The shipped lexicon has several hundred entries, each with a rewrite."""
    lex = load_lexicon()
    assert len(lex.entries) >= 500
    assert all(e.rewrite for e in lex.entries)
    assert load_lexicon() is lex  # loaded once per process


def test_bad_pattern_is_rejected() -> None:
    """A pattern must start with a word, not a gap or a word class."""
    with pytest.raises(ValueError):
        parse_line("<NOUN> мероприятие\tпраздник\t\tgen")


def test_fast_enough_for_a_thousand_characters() -> None:
    """A 1,000-character post is scanned in well under a few milliseconds."""
    text = ("В рамках реализации программы в целях обеспечения безопасности жителей "
            "осуществляется приём заявлений на ремонт. Данный вопрос рассматривается. ") * 6
    text = text[:1000]
    doc = get_pipeline().analyse(text)
    find_kantselyarit(doc)
    best = min(_timed(doc) for _ in range(5))
    assert best < 0.005


def _timed(doc: object) -> float:
    """Return the seconds one scan of `doc` takes."""
    t0 = time.perf_counter()
    find_kantselyarit(doc)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def test_quality_on_a_held_out_fold() -> None:
    """On 120 posts of held-out fold 3 the span precision and post-level F1 stay high."""
    from training.dataset import OWN_DATA
    from training.eval_kantselyarit import evaluate, fold_of, load_rows, predict

    rows = [r for r in load_rows(OWN_DATA) if fold_of(r["id"]) == 3][:120]
    spans, _ = predict(rows)
    m = evaluate(rows, spans)
    assert m["span_p"] >= 0.6
    assert m["span_r"] >= 0.6
    assert m["post_f1"] >= 0.85


@pytest.mark.parametrize(
    ("text", "fragment", "wanted", "unwanted"),
    [
        # a preposition-like phrase takes its noun phrase along, in the case the new word needs
        ("Воды не будет в связи с плановым ремонтом.", "в связи с плановым ремонтом",
         "из-за планового ремонта", "из-за плановым"),
        ("Выплаты назначают в соответствии с законом.", "в соответствии с законом",
         "по закону", "по законом"),
        ("Семинар прошёл на базе школы № 5.", "на базе школы", "в школе", "«в»"),
        ("При наличии справки скидка 50%.", "При наличии справки", "Если есть справка",
         "справки»"),
        ("В рамках реализации национального проекта закупили оборудование.",
         "В рамках реализации национального проекта", "Чтобы выполнить национальный проект",
         "национальное проект"),
        ("Слова благодарности прозвучали в адрес классных руководителей.",
         "в адрес классных руководителей", "классным руководителям", "«к»"),
        ("К участию приглашаются младшие школьники.", "К участию приглашаются младшие школьники",
         "Приглашаем младших школьников", "школьники»"),
        ("Установку посредством APK-файлов запретили.", "посредством APK-файлов",
         "через APK-файлы", "Apk"),
        ("Войска наступают с целью вернуть территорию.", "с целью вернуть", "чтобы вернуть",
         "для вернуть"),
        ("В рамках «Недели добра» собрали вещи.", "В рамках «Недели", "Во время «Недели",
         "На «Недели"),
        ("Ажиотаж обусловлен ранним началом лета.", "обусловлен ранним началом",
         "из-за раннего начала", "потому что"),
        # «в случае» + noun: «при …» in the locative, never «если отказа»
        ("В случае повторного нарушения грозит штраф.", "В случае повторного нарушения",
         "При повторном нарушении", "Если"),
        # a plain noun replacement is put in the case of the noun it replaces
        ("Рассмотрены вопросы теплоснабжения района.", "теплоснабжения", "отопления",
         "«отопление»"),
        # «в результате чего» stays a linking phrase
        ("В рамках учений начался пожар, в результате чего пострадали двое.", "в результате чего",
         "из-за чего", "из-за этого"),
        # the number after «порядка» is kept
        ("Долг составил порядка 36 миллионов рублей.", "порядка 36", "около 36", "«около»"),
    ],
)
def test_rewrite_fits_the_sentence(text: str, fragment: str, wanted: str, unwanted: str) -> None:
    """A replacement put into the sentence keeps it grammatical: cases follow the new word."""
    hit = next(h for h in hits_of(text) if h.fragment == fragment)
    assert wanted in hit.suggestion
    assert unwanted not in hit.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Анализ данных с помощью Python.",  # «данных с» is data, not «данный»
        "Хранение данных пользователей защищено.",
        "Живёт рядом с заводом.",
    ],
)
def test_data_and_prepositions_are_not_officialese(text: str) -> None:
    """«данных», «рядом» followed by a preposition are no «данный …» or «ряд …» phrase."""
    assert not any(h.pattern.startswith(("данный", "ряд")) for h in hits_of(text))


def test_passive_participle_gets_advice_not_a_broken_rewrite() -> None:
    """«Работа проведена» cannot become «Работа мы провели»: the advice says who did it."""
    hit = next(h for h in hits_of("Работа проведена в срок. В рамках акции всё сделано.")
               if h.fragment == "проведена")
    assert hit.suggestion.startswith("Скажите, кто это сделал")
    assert "мы провели" in hit.suggestion


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # «будет» before the passive belongs to the rewrite, else «будет мы выдаём»
        ("С 17 декабря будет осуществляться выдача новогодних подарков детям.",
         "«мы будем выдавать новогодние подарки»"),
        ("Осуществляется приём заявлений на путёвки.", "«Мы принимаем заявления»"),
    ],
)
def test_passive_rewrite_keeps_the_tense(text: str, wanted: str) -> None:
    """A «мы …» rewrite of a passive takes its future auxiliary along."""
    assert any(wanted in h.suggestion for h in hits_of(text))
