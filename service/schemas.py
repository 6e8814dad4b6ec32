"""Input schemas of a post and the validation that turns bad input into `InputError`."""

from __future__ import annotations

import math
import re
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from service.errors import InputError

Platform = Literal["vk", "ok", "telegram", "max"]
PLATFORMS: tuple[str, ...] = ("vk", "ok", "telegram", "max")
ATTACHMENT_TYPES = frozenset(
    {"photo", "video", "link", "poll", "doc", "audio", "article", "clip", "sticker", "album",
     "graffiti", "market", "event", "podcast", "story", "gif", "voice", "file", "other"}
)

# Links, e-mails, hashtags and mentions are not prose: their letters say nothing of the language.
_NOT_PROSE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[#@]\w+|\]\([^)]*\)|\b[\w.-]+\.(?:ru|com|org|net|io)\S*")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_CYR_WORD = re.compile(r"[а-яёА-ЯЁ]{2,}")
MIN_FOREIGN_LETTERS = 20
MIN_RUSSIAN_WORDS = 2
# Nothing but spaces and invisible marks (zero-width, direction marks, BOM, control chars).
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]*")
# No page has more subscribers than a trillion, no post more views: larger is a broken export
# (and would overflow the float arithmetic of the engagement axis).
MAX_COUNT = 10**12



def _whole_number(v: Any) -> Any:
    """Return a JSON integer (5 or 5.0) as int; refuse booleans, strings and fractions."""
    if isinstance(v, bool | str):
        raise ValueError("ожидается целое число")
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return int(v)
    return v


# A count (views, likes, subscribers …): what the schema says is what is accepted.
Count = Annotated[Annotated[int, Field(ge=0, le=MAX_COUNT)] | None, BeforeValidator(_whole_number)]
# The published schema of the fields whose validators take more than one JSON type.
ID_SCHEMA = WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
TEXT_SCHEMA = WithJsonSchema({
    "type": "string", "minLength": 1,
    "description": "текст поста по-русски, до 30 000 символов (GOSPABLIK_MAX_TEXT_CHARS); пустой, "
                   "слишком длинный или не русский текст — ответ 422 или 413"})
PLATFORM_SCHEMA = WithJsonSchema({"anyOf": [
    {"enum": list(PLATFORMS)},
    {"type": "string", "description": "то же в любом регистре и по-русски: ВКонтакте, "
                                      "Одноклассники, Телеграм, Макс, tg"},
    {"type": "null"}]})
TIME_SCHEMA = WithJsonSchema({"anyOf": [
    {"type": "string", "description": "ISO 8601, например 2025-03-14T10:00:00+03:00"},
    {"type": "number", "description": "секунды Unix"}, {"type": "null"}]})
ATTACHMENTS_SCHEMA = WithJsonSchema({"anyOf": [
    {"type": "array", "items": {"anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "required": ["type"],
         "properties": {"type": {"type": "string", "minLength": 1}}}]}},
    {"type": "string", "description": "типы через запятую: photo, video"}, {"type": "null"}]})
REPOST_SCHEMA = WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}],
                                "default": False})

FIELD_NAMES_RU = {
    "text": "текст",
    "platform": "площадка",
}


class Metrics(BaseModel):
    """Engagement counts of a published post."""

    model_config = ConfigDict(extra="ignore")

    views: Count = None
    likes: Count = None
    reposts: Count = None
    comments: Count = None


PAGE_FIELDS = ("id", "name", "type", "category", "subscribers", "region")
FLAT_PAGE_FIELDS = tuple(f"page_{k}" for k in PAGE_FIELDS)  # the same, flattened (CSV, RUBRIC.md)


def fold_page_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Move flat page fields (`page_type`, `page_name` …: the annotated corpus' record format,
    RUBRIC.md, and our CSV columns) into `page`; the `page` object's own values win."""
    flat = {k: data.pop(f) for k, f in zip(PAGE_FIELDS, FLAT_PAGE_FIELDS, strict=True)
            if f in data}
    flat = {k: v for k, v in flat.items() if v not in (None, "")}
    if not flat:
        return data
    page = data.get("page")
    if page is None:
        data["page"] = flat
    elif isinstance(page, dict):
        data["page"] = {**flat, **{k: v for k, v in page.items() if v not in (None, "")}}
    return data  # a `page` that is not an object is refused by the validators


class Page(BaseModel):
    """The page a post belongs to."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str | None, ID_SCHEMA] = None
    name: str | None = None
    type: str | None = None
    category: str | None = None
    subscribers: Count = None
    region: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class PostIn(BaseModel):
    """A post as submitted (DESIGN.md «Input: a post»)."""

    model_config = ConfigDict(extra="ignore")

    text: Annotated[str, TEXT_SCHEMA]
    id: Annotated[str | None, ID_SCHEMA] = None
    platform: Annotated[Platform | None, PLATFORM_SCHEMA] = None
    published_at: Annotated[datetime | None, TIME_SCHEMA] = None
    attachments: Annotated[list[str], ATTACHMENTS_SCHEMA] = Field(default_factory=list)
    metrics: Metrics | None = None
    page: Page | None = None
    is_repost: Annotated[bool, REPOST_SCHEMA] = False

    @model_validator(mode="before")
    @classmethod
    def _flat_page(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(f in data for f in FLAT_PAGE_FIELDS):
            return fold_page_fields(dict(data))  # a copy: the caller's object stays as given
        return data

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("id должен быть строкой или числом")
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float) and math.isfinite(v) and v.is_integer():
            return str(int(v))
        return v

    @field_validator("is_repost", mode="before")
    @classmethod
    def _repost_flag(cls, v: Any) -> Any:
        if isinstance(v, int | float) and v in (0, 1):  # true, false, 0, 1 (as the schema says)
            return bool(v)
        raise ValueError("ожидается true или false")

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_lower(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip().lower()
            aliases = {"вк": "vk", "вконтакте": "vk", "vkontakte": "vk", "tg": "telegram",
                       "телеграм": "telegram", "одноклассники": "ok", "макс": "max", "": None}
            return aliases.get(v, v)
        return v

    @field_validator("attachments", mode="before")
    @classmethod
    def _attachment_types(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, str):
            v = [p for p in v.replace(";", ",").split(",") if p.strip()]
        if not isinstance(v, list):
            raise ValueError("ожидается список типов вложений, например [\"photo\"]")
        out = []
        for a in v:
            if isinstance(a, dict):
                a = a.get("type")
            if not isinstance(a, str) or not a.strip():
                raise ValueError("каждое вложение — строка с типом или объект с полем type")
            a = a.strip().lower()
            out.append(a if a in ATTACHMENT_TYPES else "other")
        return out


def _pydantic_field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "body"


def _pydantic_message(err: dict[str, Any]) -> str:
    typ = err.get("type", "")
    loc = err.get("loc", ())
    if typ == "missing":
        return "обязательное поле отсутствует"
    if loc and loc[0] == "platform" and typ in ("literal_error", "enum"):
        return f"неизвестная площадка {err.get('input')!r}; допустимы: vk, ok, telegram, max"
    if typ in ("string_type",):
        return "ожидается строка"
    if typ in ("int_type", "int_parsing", "int_from_float"):
        return "ожидается целое число"
    if typ == "greater_than_equal":
        return "число не может быть отрицательным"
    if typ in ("less_than_equal", "int_parsing_size"):
        return f"число слишком большое: можно не больше {MAX_COUNT:_}".replace("_", " ")
    if typ == "finite_number":
        return "ожидается обычное число: NaN и бесконечность не годятся"
    if typ == "string_unicode":
        return "в строке неверные символы Юникода"
    if typ.startswith("datetime") or typ.startswith("date"):
        return "ожидается дата и время в формате ISO 8601, например 2025-03-14T10:00:00+03:00"
    if typ in ("model_type", "dict_type"):
        return "ожидается объект"
    if typ == "list_type":
        return "ожидается список"
    if typ == "bool_type":
        return "ожидается true или false"
    msg = str(err.get("msg", "неверное значение"))
    return msg.removeprefix("Value error, ")


def parse_post(data: Any, max_chars: int) -> PostIn:
    """Return a validated post or raise `InputError` naming the field and the problem."""
    if not isinstance(data, dict):
        raise InputError("body", "ожидается JSON-объект поста с полем text")
    try:
        post = PostIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(_pydantic_field(tuple(err["loc"])), _pydantic_message(dict(err))) from None
    check_text(post.text, max_chars)
    return post


def check_text(text: str, max_chars: int) -> None:
    """Raise `InputError` when `text` is empty, too long or not Russian."""
    if not text or not text.strip() or _INVISIBLE.fullmatch(text):
        raise InputError("text", "текст пустой: вставьте текст поста")
    if len(text) > max_chars:
        raise InputError(
            "text",
            f"текст слишком длинный: {len(text)} символов, можно не больше {max_chars}",
        )
    if _not_russian(text):
        raise InputError(
            "text", "текст не на русском языке: сервис проверяет только русские тексты"
        )


@lru_cache(maxsize=4096)  # reposts: a region's week sends the same text many times
def _not_russian(text: str) -> bool:
    """Return True for a text in another language, with hardly a Russian word."""
    prose = _NOT_PROSE.sub(" ", _CODE.sub(" ", text))
    russian = _CYR_WORD.finditer(prose)
    if all(next(russian, None) is not None for _ in range(MIN_RUSSIAN_WORDS)):
        return False  # enough Russian words: no need to count the foreign letters
    foreign = sum(1 for ch in prose if ch.isalpha() and not "\u0400" <= ch <= "\u04ff")
    # Emoji-only, hashtag-only or code-only posts are scored (they get «too short»); a text in
    # another language, with hardly a Russian word, is refused: its scores would mean nothing.
    return foreign >= MIN_FOREIGN_LETTERS and len(_CYR_WORD.findall(prose)) < MIN_RUSSIAN_WORDS
