"""Which kinds of post this is (event, outage, service, ...) and its call to action."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

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


class _Flags(NamedTuple):
    """What `post_kinds` and `find_cta` ask of a word form (computed once per form)."""

    event: bool  # its lemma names an event («концерт», «субботник»)
    past: bool  # a past-tense verb or short participle
    future: bool  # not past, and a future verb, an inviting lemma or an imperative
    imperative: bool  # `_is_imperative`


_NO_FLAGS = _Flags(False, False, False, False)
# lower-cased form -> its flags; the analysis of a form is the same in every post
_FLAGS: dict[str, _Flags] = {}


def _flags(t: Token) -> _Flags:
    """Return the flags of a token's word form (all False without morphology)."""
    got = _FLAGS.get(t.lower)
    if got is None:
        m = t.morph
        if m is None:
            return _NO_FLAGS
        imperative = _is_imperative(t)
        past = (m.pos == "VERB" or m.pos == "PRTS") and "past" in m.tags
        future = not past and (m.lemma in FUTURE_LEMMAS or "futr" in m.tags and m.pos == "VERB"
                               or imperative)
        if len(_FLAGS) > 200_000:
            _FLAGS.clear()
        got = _FLAGS[t.lower] = _Flags(m.lemma in EVENT_NOUNS, past, future, imperative)
    return got


def find_cta(doc: Doc) -> tuple[tuple[int, int] | None, bool]:
    """Return the span of the first concrete call to action and whether only vague ones exist."""
    toks = doc.tokens
    vague = False
    known = _FLAGS.get  # the flags of a form seen before, without a call per token
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        verb: Token | None = None
        if (known(t.lower) or _flags(t)).imperative:
            verb = t
            if i > 0 and toks[i - 1].lower == "не" and t.morph is not None \
                    and t.morph.lemma in VAGUE_CTA_LEMMAS | {"забыть", "забывать", "стесняться"}:
                vague = vague or t.morph.lemma != "забыть"
                if t.morph.lemma in VAGUE_CTA_LEMMAS:
                    continue
        elif t.lower in MODAL:
            nxt = next((u for u in toks[i + 1:i + 4] if u.kind == "word" and u.pos == "INFN"), None)
            if nxt is None:
                continue
            verb = nxt
        else:
            continue
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
    tokens = doc.tokens
    # a phrase found within a sentence is found in the whole text: most posts have none
    phrases = EVENT_PHRASES.search(text) is not None
    known = _FLAGS.get  # the flags of a form seen before, without a call per token
    for s in doc.sentences:
        has_event = phrases and EVENT_PHRASES.search(text, s.start, s.end) is not None
        fut = was = False
        for k in range(s.first, s.last):
            t = tokens[k]
            if t.morph is None:
                continue
            flags = known(t.lower) or _flags(t)
            has_event = has_event or flags.event
            if flags.past:
                was = True
            elif flags.future:
                fut = True
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
