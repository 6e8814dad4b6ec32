"""Which kinds of post this is (event, outage, service, ...) and its call to action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.facts.patterns import compile_gated, lower_text
from service.nlp.document import Doc, Token

if TYPE_CHECKING:
    from service.facts import Facts

_I = 0  # patterns are lower-cased and matched against the lower-cased text (faster than re.I)

EVENT_NOUNS = frozenset(
    "концерт мастер-класс праздник фестиваль соревнование турнир выставка лекция семинар "
    "экскурсия спектакль субботник ярмарка забег собрание вебинар занятие курс кружок квест "
    "конкурс вечер дискотека показ кинопоказ марафон олимпиада митинг шествие викторина "
    "эстафета консультация обследование вакцинация прививка диспансеризация флюорография "
    "осмотр встреча акция игра библионочь бал утренник спартакиада чемпионат первенство "
    "лыжня слёт слет форум презентация тренинг репетиция кинолекция чтение вечеринка "
    "фотограф проверка обслуживание праздник смена поездка".split()
)
FUTURE_LEMMAS = frozenset(
    "приглашать ждать стартовать начаться открываться планироваться приходить приезжать "
    "пройти состояться приглашаться открыться начинаться".split()
)
EVENT_PHRASES = compile_gated(r"(?:день|дн[еяю]\w*)\s+открытых\s+дверей|при[её]м\s+граждан", _I)
WANTS_REPLY = compile_gated(
    r"\bопрос\w*|\bанкет\w*|\bголосу\w+|\bищем\b|\bнужн[ыа]\s+(?:волонт|помощ|добровол)"
    r"|\bтребуются\b|\bпримите\s+участие|\bсбор\s+(?:помощи|вещей|предложений)|\bпредложени\w+\s+принима",
    _I,
)
INVITE = compile_gated(r"\bприглаша\w+|\bприходите\b|\bждём\b|\bждем\b", _I)
PAST_REPORT = compile_gated(
    r"\b(?:прош(?:ёл|ел|ла|ли)|состоял(?:ся|ась|ось|ись)|провели|провёл|провел|провела"
    r"|подвели\s+итоги|подведены\s+итоги|приняли\s+участие|принял[аи]?\s+участие|побывали"
    r"|стал[аи]?\s+(?:победител|призёр|призер|лауреат)|завершил(?:ся|ась|ись))\b",
    _I,
)
OUTAGE = compile_gated(
    r"\bотключ\w*|\bне\s+будет\s+(?:воды|света|тепла|газа|электричества|горячей|холодной)"
    r"|\bперекр(?:ыт|оют|оет)\w*|\bограничени\w+\s+(?:движения|подачи)|\bпрекращ\w+\s+подач"
    r"|\bаварийн\w+\s+работ|\bпорыв\w*|\bбез\s+(?:воды|света|отопления|газа)",
    _I,
)
SERVICE = compile_gated(
    r"\bуслуг\w*|\bвыплат\w*|\bпособи\w*|\bкомпенсаци\w*|\bльгот\w*|\bсубсиди\w*|\bсертификат\w*"
    r"|\bсправк\w*|\bприём\s+(?:документов|заявлений|граждан)|\bприем\s+(?:документов|заявлений|граждан)"
    r"|\bзапис(?:ь|ывайтесь|аться|ываться)\b|\bоформ(?:ить|ление)\b|\bподать\s+заявлени|\bнабор\b"
    r"|\bсоциальн\w+\s+контракт|\bконсультаци\w+\s+(?:по|для)|\bполучить\s+(?:помощь|выплату|услугу)"
    r"|\bгорячая\s+линия|\bбесплатн\w+\s+(?:юридическ|консультац|обследовани|обучени)"
    r"|\bпо\s+предварительной\s+записи",
    _I,
)
DEADLINE_WORDS = compile_gated(
    r"\bсрок\w*\s+(?:подачи|приёма|приема|оплаты|регистрации)|\bуспейте\b|\bпродлится\s+до"
    r"|\bне\s+позднее\b|\bприём\s+заявок\s+до|\bприем\s+заявок\s+до|\bзаявки\s+принимаются",
    _I,
)
REQUEST = compile_gated(
    r"\bпросим\b|\bпросьба\b|\bобращаем\s+(?:ваше\s+)?внимание|\bнапоминаем\s+о\s+необходимости"
    r"|\bпримите\s+участие|\bопрос\w*|\bнужн[ыа]\s+(?:волонт|помощ|спины|добровол)|\bищем\b"
    r"|\bтребуются\b|\bпомогите\b|\bсообщите\b|\bголосу\w+|\bанкет\w*|\bприглашаем\s+к\s+участию"
    r"|\bсбор\s+(?:помощи|вещей|макулатуры|предложений)|\bпредлагаем\s+(?:жителям|вам)",
    _I,
)
ANNOUNCE = compile_gated(
    r"\bприостановлен\w*|\bзакры\w+\s+(?:на|для)\s+|\bизменени\w+\s+в\s+расписани"
    r"|\bотмен\w+\s+(?:рейс|поезд|электрич)|\bбудет\s+закрыт|\bинформиру\w+|\bсообщаем\b|\bвнимани[ею]\b|\bобъявля\w+|\bизменени\w+\s+(?:в\s+)?(?:графике|режиме|расписани)"
    r"|\bрежим\s+работы|\bграфик\s+работы",
    _I,
)
GREETING = compile_gated(
    r"\bпоздравл\w+|\bс\s+(?:днём|днем|праздником|юбилеем|новым\s+годом|рождеством)"
    r"|\bжела\w+\s+(?:вам|всем|крепкого|счасть)|\bпамят\w+\s+дат|\bс\s+наступающим",
    _I,
)
PROTOCOL = compile_gated(
    r"\b(?:провёл|провел|провела|проведено|принял\w*\s+участие|состоялась\s+рабочая|рабоч\w+\s+встреч"
    r"|совещани\w*|заседани\w*|рабоч\w+\s+поездк|с\s+рабочим\s+визитом|посетил\w*)",
    _I,
)

# Calls to action: 2nd person plural imperatives; «нужно/необходимо/просим + infinitive»
VAGUE_CTA_LEMMAS = frozenset(
    "оставаться пропустить пропускать быть беречь обратить помнить следить принять "
    "соблюдать проявлять проявить".split()
)
MODAL = frozenset({"нужно", "необходимо", "надо", "просим", "просьба", "следует", "можно",
                   "успейте", "давайте"})
NOT_CTA = frozenset({"уважаемые", "дорогие", "здравствуйте", "извините", "простите"})


def _is_imperative(t: Token) -> bool:
    m = t.morph
    # «приходите» is parsed first as «вы приходите» (2nd person present): both are a call here
    return (m is not None and "plur" in m.tags and ("impr" in m.tags or "2per" in m.tags)
            and t.lower not in NOT_CTA)


# What `post_kinds` and `find_cta` ask of a word form, as bits (computed once per form):
_EVENT = 1  # its lemma names an event («концерт», «субботник»)
_PAST = 2  # a past-tense verb or short participle
_FUTURE = 4  # not past, and a future verb, an inviting lemma or an imperative
_IMPERATIVE = 8  # `_is_imperative`
_MODAL = 16  # one of MODAL («нужно», «просим»)
# lower-cased word form -> its bits; the analysis of a form is the same in every post
_CODES: dict[str, int] = {}


def _code(t: Token) -> int:
    """Return the bits of a word token's form (0 without morphology)."""
    m = t.morph
    if m is None:
        return 0
    imperative = _is_imperative(t)
    past = (m.pos == "VERB" or m.pos == "PRTS") and "past" in m.tags
    future = not past and (m.lemma in FUTURE_LEMMAS or "futr" in m.tags and m.pos == "VERB"
                           or imperative)
    code = ((_EVENT if m.lemma in EVENT_NOUNS else 0) | (_PAST if past else 0)
            | (_FUTURE if future else 0) | (_IMPERATIVE if imperative else 0)
            | (_MODAL if t.lower in MODAL else 0))
    if len(_CODES) > 200_000:
        _CODES.clear()
    _CODES[t.lower] = code
    return code


def _token_codes(doc: Doc) -> list[int]:
    """Return the bits of each token (0 for a token that is not a word), cached on the doc."""
    got = doc.cache.get("kind_codes")
    if got is None:
        known = _CODES.get
        tokens = doc.tokens
        got = [known(t.lower) if t.morph is not None else 0 for t in tokens]
        if None in got:  # forms not seen before
            got = [_code(t) if c is None else c for c, t in zip(got, tokens, strict=True)]
        doc.cache["kind_codes"] = got
    return got  # type: ignore[return-value]


def find_cta(doc: Doc) -> tuple[tuple[int, int] | None, bool]:
    """Return the span of the first concrete call to action and whether only vague ones exist."""
    toks = doc.tokens
    vague = False
    codes = _token_codes(doc)
    # only an imperative or a modal word can open a call: the others are skipped in one pass
    for i in [i for i, c in enumerate(codes) if c & (_IMPERATIVE | _MODAL)]:
        t = toks[i]
        if t.kind != "word":
            continue
        verb: Token | None = None
        if codes[i] & _IMPERATIVE:
            verb = t
            if i > 0 and toks[i - 1].lower == "не" and t.morph is not None \
                    and t.morph.lemma in VAGUE_CTA_LEMMAS | {"забыть", "забывать", "стесняться"}:
                vague = vague or t.morph.lemma != "забыть"
                if t.morph.lemma in VAGUE_CTA_LEMMAS:
                    continue
        else:  # a modal word
            nxt = next((u for u in toks[i + 1:i + 4] if u.kind == "word" and u.pos == "INFN"), None)
            if nxt is None:
                continue
            verb = nxt
        assert verb.morph is not None
        if verb.morph.lemma in VAGUE_CTA_LEMMAS:
            vague = True
            continue
        s = doc.sentences[t.sent] if 0 <= t.sent < len(doc.sentences) else None
        return ((s.start, s.end) if s is not None else (t.start, verb.end)), False
    return None, vague


def text_signals(doc: Doc) -> tuple[bool, bool, int]:
    """Return whether the post opens with a greeting, reads like a protocol, and how many past
    reports it holds (cached on the doc: the post kinds and the issue model both ask)."""
    got = doc.cache.get("post_signals")
    if got is None:
        text = lower_text(doc)
        got = doc.cache["post_signals"] = (GREETING.search(text[:200]) is not None,
                                           PROTOCOL.search(text) is not None,
                                           len(PAST_REPORT.findall(text)))
    return got  # type: ignore[return-value]


def post_kinds(doc: Doc, f: Facts) -> tuple[set[str], tuple[int, int] | None]:
    """Return the kinds of post (which facts it needs) and the span of its key sentence."""
    text = lower_text(doc)
    kinds: set[str] = set()
    focus: tuple[int, int] | None = None
    greeting, protocol, past_reports = text_signals(doc)
    past = 0
    future = 0
    event_sent = None
    codes = _token_codes(doc)
    # a phrase found within a sentence is found in the whole text: most posts have none
    phrases = EVENT_PHRASES.search(text) is not None
    for s in doc.sentences:
        has_event = phrases and EVENT_PHRASES.search(text, s.start, s.end) is not None
        # the distinct bits of the sentence's words (a future form is never a past one)
        bits = 0
        for c in set(codes[s.first:s.last]):
            bits |= c
        has_event = has_event or bits & _EVENT != 0
        was = bits & _PAST != 0
        fut = bits & _FUTURE != 0
        past += was and not fut
        future += fut
        if has_event and fut and event_sent is None:
            event_sent = s
    past = max(past, past_reports)
    if event_sent is not None and future >= past:
        kinds.add("event")
        focus = (event_sent.start, event_sent.end)
    hit = OUTAGE.search(text)
    if hit is not None:
        kinds.add("outage")
        focus = focus or _sentence_span(doc, hit.start())
    hit = SERVICE.search(text)
    if hit is not None:
        kinds.add("service")
        focus = focus or _sentence_span(doc, hit.start())
    if DEADLINE_WORDS.search(text) or any(
            isinstance(d.value, dict) and d.value.get("type") == "deadline" for d in f.dates):
        kinds.add("deadline")
    hit = REQUEST.search(text)
    if hit is not None:
        kinds.add("request")
        focus = focus or _sentence_span(doc, hit.start())
    if ANNOUNCE.search(text):
        kinds.add("announcement")
    if greeting and not INVITE.search(text) or protocol and past > future:
        kinds -= {"event", "service", "request", "announcement"}
    return kinds, focus


def _sentence_span(doc: Doc, pos: int) -> tuple[int, int] | None:
    """Return the span of the sentence that holds character `pos`."""
    for s in doc.sentences:
        if s.start <= pos < s.end:
            return s.start, s.end
    return None
