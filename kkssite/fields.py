"""Declarative field types and one schema per kind of content file.

Each key is declared once, with its type, whether it is required and a one-line description (the editor's
guide lists the same keys; a test keeps the two in step). A field turns the loader's strings into typed values
or raises `Invalid` with what was expected; `apply_schema` runs every field of a record, never stopping at the
first mistake, and reports unknown keys with the closest known key.

A field also says what `kkssite new` writes for its key (`new=`, see `New`) and what `kkssite new --like` does with
it when it makes the next run of an activity (`again=`, see `Again`), so kkssite/new.py follows the schemas with
no list of keys of its own. An empty value (`start:`) in an activity is collected as a `Placeholder` rather than
reported: a draft may hold it for now, a published activity may not (validate.py decides).

Every text here is an English msgid of the editors' catalogue (kkssite/i18n.py): a schema's descriptions and a
field's `expected` phrase are marked with `N_` where they are declared and translated where they are shown
(`Field.description()`, `Field.expectation()`), so nothing is translated at import time.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .emblems import EMBLEMS
from .errors import Problems, did_you_mean
from .i18n import N_, _, available, editor
from .load import LineDict, LineList, Unfilled
from .model import MODES, NEED_STATUSES, STATUSES, Term, Vocabularies
from .wording import MODE_LABELS, NEED_STATUS_LABELS, STATUS_LABELS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UID_RE = re.compile(r"^[A-Za-z0-9@._+-]{4,200}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_TIME_RE = re.compile(r"^(?P<h>\d{1,2})[:.](?P<m>\d{2})$")
TRUE = frozenset({"true", "ja", "yes"})
FALSE = frozenset({"false", "nej", "no"})

MISSING: Any = object()


class New(enum.Enum):
    """What `kkssite new` (kkssite/new.py) writes for a key besides what the schema requires.

    A key without one is written for the editor to fill in when it is required, and as a commented-out line
    (with its description) otherwise; a new key in a schema so appears in what `new` writes by itself."""

    TITLE = "title"  # the title or name given on the command line (one per schema)
    UID = "uid"  # a fresh calendar id
    TODAY = "today"  # today's date in the site's time zone
    DRAFT = "draft"  # true: a new activity is a draft
    ASK = "ask"  # written to fill in although the schema does not require it (a rule across keys does)


class Again(enum.Enum):
    """How `kkssite new --like` treats a key of the activity it starts from (the next run of a course)."""

    COPY = "copy"  # the same value (facets, venue, organisers, leaders, price, body…)
    BLANK = "blank"  # a date of that run: left empty for the editor, last time's value in a comment
    DROP = "drop"  # what happened to that run (status, changes, updated): left out


class Placeholder(NamedTuple):
    """A key written with an empty value (`start:`): in a draft, a value the editor has yet to fill in."""

    line: int
    key: str  # with its block: registration.deadline, sessions[2].start
    expected: str  # the field's expectation, in the editors' language
    required: bool


class Invalid(Exception):
    """A value does not fit its field; `line` points at the offending list item when known, `suggestion` is
    the value suggested for a typo (errors.Hint.suggestion), if any.

    `more` carries further problems when several items of one list are wrong.
    """

    def __init__(self, message: str, line: int | None = None, more: tuple[Invalid, ...] = (),
                 suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.more = more
        self.suggestion = suggestion


@dataclass
class Context:
    """What fields need to type values: the vocabularies, the time zone, and where to report."""

    path: str
    problems: Problems
    tz: ZoneInfo
    vocabularies: Vocabularies | None = None
    #: Where empty values are collected instead of reported (activities, which may be drafts); None: report them.
    placeholders: list[Placeholder] | None = None

    def report(self, line: int, key: str, message: str, suggestion: str = "") -> None:
        self.problems.add(self.path, line, key, message, suggestion=suggestion)


def show(value: Any) -> str:
    """An editor's value as quoted in a message."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "…")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("keys with values")
    return repr(value)


class Field:
    """Base field: a description, required or not, and `parse(value, line, ctx) -> typed value`.

    `doc`, `label` and `expected` are msgids (marked with `N_`); `expected` may have placeholders that
    `expectation` fills (`{choices}`, `{vocabulary}`). `label` is the key's short name in the web editor's form
    (cms.py), `doc` its hint there and its description everywhere.

    An optional key whose value is empty (`key:`, `""`, `null`, `[]` or `{}`) counts as not given: that is how a
    web editor writes a field that was filled in and cleared again (apply_schema).
    """

    expected = N_("a value")

    def __init__(self, doc: str = "", *, required: bool = False, default: Any = None, new: New | None = None,
                 again: Again = Again.COPY, label: str = "") -> None:
        self.doc = doc
        self.required = required
        self.default = default
        self.new = new  # what `kkssite new` writes (see New)
        self.again = again  # what `kkssite new --like` does with the value (see Again)
        self.label = label

    def description(self) -> str:
        """The one-line description of the key, in the editors' language."""
        return editor.gettext(self.doc) if self.doc else ""

    def title(self) -> str:
        """The short name of the key in the web editor's form, in the editors' language ("" when none)."""
        return editor.gettext(self.label) if self.label else ""

    def expectation(self) -> str:
        """What the field expects ("en text"), in the editors' language: the `{expected}` of its messages."""
        return editor.gettext(self.expected)

    def parse(self, value: Any, line: int, ctx: Context) -> Any:
        raise NotImplementedError

    def invalid(self, value: Any) -> Invalid:
        """The common complaint: "expected <what this field expects>, got <the value>"."""
        return Invalid(_("expected {expected}, got {value}", expected=self.expectation(), value=show(value)))

    def _text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.invalid(value)
        text = value.strip()
        if not text:
            raise Invalid(_("expected {expected}, got an empty value", expected=self.expectation()))
        return text


class Text(Field):
    expected = N_("a text")

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        return self._text(value)


class LongText(Text):
    """A text of a sentence or more (a summary, a note): a text area in the web editor."""


class ImagePath(Text):
    """A path below content/ of an image in content/images/ (validate.py checks that it exists)."""


class Pattern(Field):
    """A text that must match a regular expression; `expected` (a msgid) says in words what it matches."""

    def __init__(self, regex: re.Pattern[str], expected: str, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.regex = regex
        self.expected = expected

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        text = self._text(value)
        if not self.regex.match(text):
            raise self.invalid(text)
        return text


#: The pattern fields: `Slug("Id", required=True)` is `Pattern(SLUG_RE, <what a slug is>, "Id", required=True)`.
Slug = partial(Pattern, SLUG_RE, N_("an id of lower-case letters a–z, digits and hyphens (such as ljus-och-scen)"))
Uid = partial(Pattern, UID_RE, N_("a calendar id of letters, digits and @ . _ - (such as "
                                  "kks-2027-ljus@kulturkraftsyd.se)"))
Url = partial(Pattern, URL_RE, N_("a web address that starts with https://"))
Email = partial(Pattern, EMAIL_RE, N_("an e-mail address such as name@example.se"))
Colour = partial(Pattern, COLOUR_RE, N_("a colour written as # and six hexadecimal digits, such as #9b1c31"))


class Bool(Field):
    expected = N_("true or false (yes or no)")

    def parse(self, value: Any, line: int, ctx: Context) -> bool:
        text = self._text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise self.invalid(value)


class Integer(Field):
    expected = N_("a whole number")

    def __init__(self, doc: str = "", *, minimum: int = 0, **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.minimum = minimum

    def parse(self, value: Any, line: int, ctx: Context) -> int:
        text = self._text(value)
        if not re.fullmatch(r"-?\d+", text):
            raise self.invalid(value)
        number = int(text)
        if number < self.minimum:
            raise Invalid(_("expected a whole number from {minimum}, got {number}", minimum=self.minimum,
                            number=number))
        return number


def parse_number(text: str) -> Decimal | None:
    """A non-negative number written 1200, 1 200, 7,5 or 7.5 (Swedish decimal comma allowed)."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".").removesuffix("kr").strip()
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None


class Number(Field):
    expected = N_("a number such as 9 or 7,5")

    def parse(self, value: Any, line: int, ctx: Context) -> Decimal:
        number = parse_number(self._text(value))
        if number is None:
            raise self.invalid(value)
        return number


class PriceField(Field):
    """A price: a number of kronor (0 = free) or a free text such as "500 kr for members"."""

    expected = N_("a price in kronor (0 = free of charge) or a text")

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[Decimal | None, str | None]:
        text = self._text(value)
        number = parse_number(text)
        return (number, None) if number is not None else (None, text)


class Choice(Field):
    """One of a fixed set of words; `aliases` maps accepted spellings (content values, as editors may write them)
    to the canonical word. The words are what editors type; their descriptions are msgids."""

    expected = N_("one of {choices}")

    def __init__(self, choices: Collection[str], doc: str = "", *, aliases: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None, **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.choices = choices
        self.aliases = dict(aliases or {})
        self.labels = dict(labels or {})  # word → msgid of its name (the web editor's select)

    def choice_label(self, word: str) -> str:
        """The name of one of the words in the editors' language (the word itself when it has none)."""
        return editor.gettext(self.labels[word]) if word in self.labels else word

    def expectation(self) -> str:
        return editor.gettext(self.expected, choices=", ".join(self.choices))

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        text = self._text(value)
        text = self.aliases.get(text.lower(), text)
        if text not in self.choices:
            hint = did_you_mean(text, list(self.choices) + list(self.aliases))
            raise Invalid(_("expected {expected}, got {value}{hint}", expected=self.expectation(), value=show(value),
                            hint=hint), suggestion=hint.suggestion)
        return text


def zone_time(day: date, hour: int, minute: int, second: int, tz: ZoneInfo, written: str) -> datetime:
    try:
        naive = datetime.combine(day, time(hour, minute, second))
    except ValueError:
        raise Invalid(_("expected a time of day such as 18:00, got {value}", value=show(written))) from None
    local = naive.replace(tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        raise Invalid(_("{time} on {date} does not exist in Swedish time (the clocks go forward an hour for summer "
                        "time); choose another time", time=time(hour, minute).strftime("%H:%M"),
                        date=day.isoformat()))
    return local


DATE_AND_TIME = N_("a date and time such as 2027-03-14 18:00")


def parse_moment(text: str, tz: ZoneInfo) -> tuple[datetime, bool]:
    """'2027-02-03 09:00' (local), '… +01:00' or a date alone; returns (aware datetime, date_only)."""
    match = _DATETIME_RE.match(text.strip())
    if not match:
        raise Invalid(_("expected {expected}, got {value}", expected=editor.gettext(DATE_AND_TIME), value=show(text)))
    try:
        day = date.fromisoformat(match["date"])
    except ValueError:
        raise Invalid(_("the date {value} does not exist in the calendar", value=show(match["date"]))) from None
    if match["h"] is None:
        return datetime.combine(day, time(0, 0), tzinfo=tz), True
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["tz"]:
        try:
            naive = datetime.combine(day, time(hour, minute, second))
            offset = datetime.fromisoformat(f"2000-01-01T00:00:00{match['tz'].replace('Z', '+00:00')}").tzinfo
        except ValueError:
            raise Invalid(_("expected a date and time such as 2027-03-14 18:00+01:00, got {value}",
                            value=show(text))) from None
        return naive.replace(tzinfo=offset).astimezone(tz), False
    return zone_time(day, hour, minute, second, tz, text), False


class Moment(Field):
    """A date-time (local unless an offset is given) or, when `dates` is allowed, a date alone."""

    expected = DATE_AND_TIME

    def __init__(self, doc: str = "", *, dates: bool = True, **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.dates = dates

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[datetime, bool]:
        moment, date_only = parse_moment(self._text(value), ctx.tz)
        if date_only and not self.dates:
            raise Invalid(_("expected {expected} (with a time of day), got {value}", expected=self.expectation(),
                            value=show(value)))
        return moment, date_only


class EndMoment(Moment):
    """Like Moment, but a time alone ('16:00') means the same day as the start; returned as a raw tuple."""

    def parse(self, value: Any, line: int, ctx: Context) -> Any:
        text = self._text(value)
        match = _TIME_RE.match(text)
        if match:
            return ("time", int(match["h"]), int(match["m"]), text)
        return super().parse(value, line, ctx)


class Coordinates(Field):
    """[latitude, longitude] in decimal degrees with a decimal point."""

    expected = N_("two numbers [latitude, longitude] with a decimal point, such as [55.6049, 13.0038]")

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[float, float]:
        items = value if isinstance(value, list) else [part for part in str(value).split(",") if part.strip()]
        numbers = [parse_number(str(item).strip().lstrip("-")) for item in items if isinstance(item, str)]
        if len(items) != 2 or len(numbers) != 2 or None in numbers:
            raise self.invalid(value)
        lat, lon = (float(str(item).strip()) for item in items)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Invalid(_("expected {expected}; latitude −90 to 90, longitude −180 to 180",
                            expected=self.expectation()))
        return lat, lon


class DateField(Field):
    expected = N_("a date such as 2027-03-14")

    def parse(self, value: Any, line: int, ctx: Context) -> date:
        text = self._text(value)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
        except ValueError:
            raise Invalid(_("the date {value} does not exist in the calendar", value=show(text))) from None
        raise self.invalid(value)


class Vocabulary(Field):
    """What the fields of a vocabulary share: its terms, and a lookup that suggests the closest slug (or the
    slug of a Swedish name) for an unknown one."""

    expected = N_("an id from {vocabulary} in vocabularies.yml")

    def __init__(self, vocabulary: str, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.vocabulary = vocabulary

    def expectation(self) -> str:
        return editor.gettext(self.expected, vocabulary=self.vocabulary)

    def terms(self, ctx: Context) -> dict[str, Term]:
        assert ctx.vocabularies is not None
        terms: dict[str, Term] = getattr(ctx.vocabularies, self.vocabulary)
        return terms

    def lookup(self, text: str, ctx: Context, extra: Mapping[str, Term] | None = None) -> Term:
        terms = self.terms(ctx)
        if text in terms:
            return terms[text]
        if extra and text in extra:
            return extra[text]
        pool = {**terms, **(extra or {})}
        hint = did_you_mean(text, pool, {slug: t.name for slug, t in pool.items()})
        raise Invalid(_("unknown value {value}, expected {expected}{hint}", value=show(text),
                        expected=self.expectation(), hint=hint), suggestion=hint.suggestion)



class TermRef(Vocabulary):
    """A slug from one vocabulary."""

    def parse(self, value: Any, line: int, ctx: Context) -> Term:
        return self.lookup(self._text(value), ctx)


class TermList(Vocabulary):
    """One or more slugs from a vocabulary (a single slug or a list). `alla` and categories when allowed;
    `expected` (a msgid) replaces the vocabulary's phrase when categories or `alla` are allowed."""

    def __init__(self, vocabulary: str, doc: str = "", *, allow_all: bool = False,
                 groups: str | None = None, expected: str | None = None, **kw: Any) -> None:
        super().__init__(vocabulary, doc, **kw)
        self.allow_all = allow_all
        self.groups = groups
        if expected is not None:
            self.expected = expected

    def extra(self, vocabularies: Vocabularies | None) -> dict[str, Term]:
        """What may be written besides the vocabulary's terms: `alla`, and the groups' terms (categories)."""
        extra: dict[str, Term] = {}
        if self.allow_all:
            extra["alla"] = Term(self.vocabulary, "alla", "Alla")
        if self.groups and vocabularies is not None:
            extra.update(getattr(vocabularies, self.groups))
        return extra

    def choices(self, vocabularies: Vocabularies) -> dict[str, Term]:
        """Everything that may be written, in the order a list offers it: `alla`, the groups, the terms."""
        return {**self.extra(vocabularies), **getattr(vocabularies, self.vocabulary)}

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[Term, ...]:
        items = value if isinstance(value, list) else [value]
        lines = value.lines if isinstance(value, LineList) else [line] * len(items)
        if not items:
            raise Invalid(_("expected at least one id from {vocabulary}, got an empty list",
                            vocabulary=self.vocabulary))
        extra = self.extra(ctx.vocabularies)
        result: list[Term] = []
        wrong: list[Invalid] = []
        for item, item_line in zip(items, lines, strict=True):
            try:
                term = self.lookup(self._text(item), ctx, extra)
            except Invalid as exc:
                exc.line = item_line
                wrong.append(exc)
                continue
            if term not in result:
                result.append(term)
        if wrong:
            first = wrong[0]
            raise Invalid(first.message, first.line, tuple(wrong[1:]), first.suggestion)
        return tuple(result)


class Counts(Vocabulary):
    """A number for each of some terms of a vocabulary: `{konstnarlig: 8, teknisk: 4}` or one per line."""

    expected = N_("an id from {vocabulary} and a number on each line, such as teknisk: 4")

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[tuple[Term, int], ...]:
        if not isinstance(value, LineDict) or not value:
            raise self.invalid(value)
        number = Integer()
        found: dict[str, tuple[Term, int]] = {}
        wrong: list[Invalid] = []
        for key, count in value.items():
            try:
                found[key] = (self.lookup(key, ctx), number.parse(count, value.line_of(key), ctx))
            except Invalid as exc:
                exc.line = value.line_of(key)
                wrong.append(exc)
        if wrong:
            first = wrong[0]
            raise Invalid(first.message, first.line, tuple(wrong[1:]), first.suggestion)
        order = list(self.terms(ctx))
        return tuple(sorted(found.values(), key=lambda item: order.index(item[0].slug)))


class ListOf(Field):
    """A list of items of one field type (a single value counts as a one-item list)."""

    def __init__(self, item: Field, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.item = item

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[Any, ...]:
        items = value if isinstance(value, list) else [value]
        lines = value.lines if isinstance(value, LineList) else [line] * len(items)
        result = []
        for item, item_line in zip(items, lines, strict=True):
            try:
                result.append(self.item.parse(item, item_line, ctx))
            except Invalid as exc:
                raise Invalid(exc.message, exc.line or item_line, suggestion=exc.suggestion) from None
        return tuple(result)


class RefList(ListOf):
    """Ids of files of another kind of content (`folder`: organisations, needs); validate.py checks they exist."""

    def __init__(self, folder: str, doc: str = "", **kw: Any) -> None:
        super().__init__(Slug(), doc, **kw)
        self.folder = folder


class Nested(Field):
    """A field whose values are mappings with a schema of their own; `key` names it in messages."""

    expected = N_("keys with values on their own, indented lines")

    def __init__(self, schema: Schema, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.schema = schema

    def record(self, value: Any, ctx: Context, key: str) -> Record:
        if not isinstance(value, LineDict):
            raise self.invalid(value)
        return apply_schema(value, self.schema, ctx, prefix=key)

    def parse(self, value: Any, line: int, ctx: Context, key: str = "") -> Any:
        raise NotImplementedError


class Sub(Nested):
    """A nested mapping (registration, accessibility…)."""

    def parse(self, value: Any, line: int, ctx: Context, key: str = "") -> Record:
        return self.record(value, ctx, key)


class SubList(Nested):
    """A list of nested mappings (sessions, leaders, changes)."""

    def parse(self, value: Any, line: int, ctx: Context, key: str = "") -> tuple[Record, ...]:
        if not isinstance(value, LineList) or not value:
            raise Invalid(_("expected a list in which every item starts with - and has keys with values"))
        return tuple(self.record(item, ctx, f"{key}[{i + 1}]") for i, item in enumerate(value))


Schema = dict[str, Field]


class Record(dict[str, Any]):
    """Typed values of one mapping; `failed` names the keys whose values were wrong or missing."""

    failed: set[str]

    @property
    def ok(self) -> bool:
        return not self.failed


#: YAML's words for no value (the loader keeps them as text): Decap CMS writes a cleared select as `level: null`.
NULLS = frozenset({"~", "null", "Null", "NULL"})


def blank(value: Any) -> bool:
    """A value that says "none": `""` (also blanks only), YAML's `null` or `~`, `[]`, or keys whose values are all
    such (`{}`, and a block a web editor wrote as `registration: {opens: "", deadline: ""}` when nothing in it was
    filled in) — but not a key left unfilled (`start:`, load.Unfilled), which is a placeholder to fill in."""
    if isinstance(value, Unfilled):
        return False
    if isinstance(value, str):
        return not value.strip() or value.strip() in NULLS
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        return all(blank(item) for item in value.values())
    return False


def is_empty(value: Any) -> bool:
    """Whether a value is left empty (`start:` or `start: ""`): a placeholder in a draft (for an optional key only
    `start:`, see apply_schema)."""
    return isinstance(value, str) and not value.strip()


def apply_schema(raw: LineDict, schema: Schema, ctx: Context, prefix: str = "") -> Record:
    """Type every key of `raw` by `schema`, reporting each problem; keys that failed hold their default.

    An optional key with an empty value is not given (a web editor writes a cleared field as `""`, a cleared
    select as `null`), unless it is left unfilled (`start:`, as `kkssite new` writes the keys to fill in). With
    `ctx.placeholders`, such an unfilled value, or any empty value of a required key, is not reported but
    collected there (the key counts as failed): whether it is a warning (a draft) or an error is decided once
    the whole file is known (validate.link)."""
    result = Record()
    result.failed = set()
    for key, value in raw.items():
        full = f"{prefix}.{key}" if prefix else key
        field = schema.get(key)
        if field is None:
            hint = did_you_mean(key, schema)
            ctx.report(raw.line_of(key), full, _("unknown key{hint}", hint=hint) if hint
                       else _("unknown key (see content/README.md for every key)"), hint.suggestion)
            continue
        if not field.required and blank(value):
            continue  # not given: the default, below
        if ctx.placeholders is not None and is_empty(value) and (field.required or isinstance(value, Unfilled)):
            ctx.placeholders.append(Placeholder(raw.line_of(key), full, field.expectation(), field.required))
            result.failed.add(key)
            continue
        try:
            if isinstance(field, Nested):
                result[key] = field.parse(value, raw.line_of(key), ctx, key=full)
            else:
                result[key] = field.parse(value, raw.line_of(key), ctx)
            parts = result[key] if isinstance(result[key], tuple) else (result[key],)
            if any(isinstance(part, Record) and part.failed for part in parts):
                result.failed.add(key)
        except Invalid as exc:
            result.failed.add(key)
            for problem in (exc, *exc.more):
                ctx.report(problem.line or raw.line_of(key), full, problem.message, problem.suggestion)
    for key, field in schema.items():
        if key not in result:
            if field.required:
                full = f"{prefix}.{key}" if prefix else key
                if key not in raw:
                    ctx.report(raw.line, full, _("missing; expected {expected}", expected=field.expectation()))
                result.failed.add(key)
            result[key] = field.default
    return result


# --- Schemas ---------------------------------------------------------------------------------------------

ACCESSIBILITY_SCHEMA: Schema = {
    "step_free": Bool(N_("Step-free access (wheelchair)"), label=N_("Step-free access")),
    "hearing_loop": Bool(N_("There is a hearing loop"), label=N_("Hearing loop")),
    "sign_language": Bool(N_("Sign language interpretation"), label=N_("Sign language interpretation")),
    "audio_description": Bool(N_("Audio description"), label=N_("Audio description")),
    "note": LongText(N_("Free text about accessibility"), label=N_("Note")),
}

SESSION_SCHEMA: Schema = {
    "start": Moment(N_("Start of the session"), required=True, again=Again.BLANK, label=N_("Start")),
    "end": EndMoment(N_("End of the session (or only a time of day, such as 21:00)"), again=Again.BLANK,
                     label=N_("End")),
}

LEADER_SCHEMA: Schema = {
    "name": Text(N_("Name"), required=True, label=N_("Name")),
    "role": Text(N_("Role, such as course leader or lecturer"), label=N_("Role")),
    "link": Url(N_("Link to a presentation"), label=N_("Link")),
    "about": LongText(N_("A sentence or two about the person, shown with the name (instead of a section of the "
                         "body)"), label=N_("About")),
}

REGISTRATION_SCHEMA: Schema = {
    "kind": Choice(("anmälan", "ansökan"),
                   N_("anmälan (first come, first served) or ansökan (with selection)"),
                   aliases={"anmalan": "anmälan", "ansokan": "ansökan"}, required=True,
                   labels={"anmälan": N_("Registration (first come, first served)"),
                           "ansökan": N_("Application (with selection)")}, label=N_("Registration or application")),
    "url": Url(N_("Link for registering or applying"), label=N_("Link")),
    "email": Email(N_("E-mail address for registering"), label=N_("E-mail")),
    "opens": Moment(N_("Registration opens (a date, or a date and time)"), again=Again.BLANK, label=N_("Opens")),
    "deadline": Moment(N_("Last day to register or apply (a date means the end of that day)"), again=Again.BLANK,
                       label=N_("Last day")),
    "notice_by": DateField(N_("Admission decision by"), again=Again.BLANK, label=N_("Decision by")),
}

CHANGE_SCHEMA: Schema = {
    "date": DateField(N_("Date of the change"), required=True, label=N_("Date")),
    "text": Text(N_("What was changed"), required=True, label=N_("Change")),
}

OUTCOME_SCHEMA: Schema = {
    "participants": Integer(N_("Number of participants"), label=N_("Participants")),
    "participants_by_category": Counts("categories", N_("Participants per profession category: an id from "
                                                        "categories and a number on each line"),
                                       label=N_("Participants per profession category")),
    "organisations": Integer(N_("Number of organisations that took part"), label=N_("Organisations")),
    "evaluation": LongText(N_("What the evaluation said, in short"), label=N_("Evaluation")),
}

MATERIAL_SCHEMA: Schema = {
    "title": Text(N_("What the material is, such as Slides from the course"), required=True, label=N_("Title")),
    "url": Url(N_("A link to the material (a recording, a document on another website)"), label=N_("Link")),
    "file": Text(N_("A file below content/, such as materials/ljusdesign-2013.pdf"), label=N_("File")),
}

#: A record's texts in English (`en:`): where one is missing the English page shows the Swedish text.
ENGLISH_SCHEMA: Schema = {
    "title": Text(N_("Title in English"), label=N_("English title")),
    "summary": Text(N_("Short summary in English"), label=N_("English summary")),
}
ENGLISH_TITLE_SCHEMA: Schema = {
    "title": Text(N_("Title in English"), label=N_("English title")),
}
ENGLISH_DOC = N_("In English: title and summary (the English body follows the line === English ===)")

ACTIVITY_SCHEMA: Schema = {
    "title": Text(N_("Title of the activity"), required=True, new=New.TITLE, label=N_("Title")),
    "type": TermRef("types", N_("Type of activity"), required=True, label=N_("Type")),
    "professions": TermList("professions", N_("Professions (ids), a profession category or alla"), required=True,
                            allow_all=True, groups="categories",
                            expected=N_("one or more ids from professions, a profession category from "
                                        "categories, or alla"), label=N_("Professions")),
    "art_forms": TermList("art_forms", N_("Art forms (ids) or alla"), required=True, allow_all=True,
                          label=N_("Art forms")),
    "city": TermRef("cities", N_("City (id); not needed when mode is online"), new=New.ASK, label=N_("City")),
    "start": Moment(N_("Start: 2027-02-03 09:00, or only a date for a whole day"), new=New.ASK, again=Again.BLANK,
                    label=N_("Start")),
    "end": EndMoment(N_("End: a date and time, only a time of day, or the last day for whole days"), new=New.ASK,
                     again=Again.BLANK, label=N_("End")),
    "sessions": SubList(SESSION_SCHEMA, N_("Several sessions: a list with start and end"), label=N_("Sessions")),
    "uid": Uid(N_("Stable calendar id (written by kkssite new)"), new=New.UID, label=N_("Calendar id")),
    "all_day": Bool(N_("Whole day (only with dates without a time of day)"), label=N_("Whole day")),
    "mode": Choice(MODES, N_("on_site, online or hybrid"), default="on_site",
                   labels=MODE_LABELS, label=N_("Taking part")),
    "online_url": Url(N_("Link for taking part online"), label=N_("Online link")),
    "venue": Text(N_("Venue: the id of a file in venues/, or free text"), label=N_("Venue")),
    "audience": TermList("audiences", N_("Audience: individuals and/or organisations"), label=N_("Audience")),
    "level": TermRef("levels", N_("Level"), label=N_("Level")),
    "language": TermList("languages", N_("Languages (one or more)"), label=N_("Languages")),
    "hours": Number(N_("Length in hours"), label=N_("Hours")),
    "leaders": SubList(LEADER_SCHEMA, N_("Course leaders and contributors: name, role, link"),
                       label=N_("Course leaders")),
    "price": PriceField(N_("Price in kronor (0 = free of charge) or a text"), label=N_("Price")),
    "no_show_fee": Number(N_("Fee in kronor for not coming without cancelling"), label=N_("No-show fee")),
    "seats": Integer(N_("Number of places"), minimum=1, label=N_("Number of places")),
    "registration": Sub(REGISTRATION_SCHEMA, N_("Registration: kind, url/email, opens, deadline, notice_by"),
                        label=N_("Registration")),
    "requirements": LongText(N_("Prerequisites and requirements"), label=N_("Prerequisites")),
    "accessibility": Sub(ACCESSIBILITY_SCHEMA, N_("Accessibility"), label=N_("Accessibility")),
    "organisers": RefList("organisations", N_("Organisers (ids of files in organisations/)"), label=N_("Organisers")),
    "funding": Text(N_("Funding"), label=N_("Funding")),
    "status": Choice(STATUSES, N_("scheduled, cancelled, postponed or full"), default="scheduled",
                     aliases={"inställd": "cancelled", "uppskjuten": "postponed", "fullbokad": "full",
                              "canceled": "cancelled"}, again=Again.DROP, labels=STATUS_LABELS, label=N_("Status")),
    "status_note": LongText(N_("Explanation of the status"), again=Again.DROP, label=N_("About the status")),
    "summary": LongText(N_("Short summary (one or two sentences)"), label=N_("Summary")),
    "image": ImagePath(N_("Image: a path below content/, such as images/ljus.jpg"), label=N_("Image")),
    "image_alt": Text(N_("Alt text of the image (required with image)"), label=N_("Alt text")),
    "published": DateField(N_("Publication date"), new=New.TODAY, label=N_("Published")),
    "updated": Moment(N_("Last changed (a date, or a date and time)"), again=Again.DROP, label=N_("Updated")),
    "changes": SubList(CHANGE_SCHEMA, N_("Change log: date and text"), again=Again.DROP, label=N_("Changes")),
    "needs": RefList("needs", N_("Needs that the activity answers (ids of files in needs/)"), label=N_("Needs")),
    "outcome": Sub(OUTCOME_SCHEMA, N_("After the activity: participants, organisations, evaluation"),
                   label=N_("Outcome")),
    "materials": SubList(MATERIAL_SCHEMA, N_("After the activity: slides, recordings, documentation (title and "
                                             "url or file)"), label=N_("Materials")),
    "draft": Bool(N_("Draft: not shown on the website while true"), default=False, new=New.DRAFT, label=N_("Draft")),
    "en": Sub(ENGLISH_SCHEMA, ENGLISH_DOC, label=N_("In English")),
}

VENUE_SCHEMA: Schema = {
    "name": Text(N_("Name of the venue"), required=True, new=New.TITLE, label=N_("Name")),
    "address": Text(N_("Street address"), label=N_("Address")),
    "postal_code": Text(N_("Postal code"), label=N_("Postal code")),
    "city": TermRef("cities", N_("City (id)"), required=True, label=N_("City")),
    "coordinates": Coordinates(N_("Coordinates: [latitude, longitude]"), label=N_("Coordinates")),
    "url": Url(N_("Website"), label=N_("Website")),
    "accessibility": Sub(ACCESSIBILITY_SCHEMA, N_("Accessibility"), label=N_("Accessibility")),
    "image": ImagePath(N_("Image: a path below content/, such as images/ljus.jpg"), label=N_("Image")),
    "image_alt": Text(N_("Alt text of the image (required with image)"), label=N_("Alt text")),
}

ORGANISATION_SCHEMA: Schema = {
    "name": Text(N_("Name of the organisation"), required=True, new=New.TITLE, label=N_("Name")),
    "url": Url(N_("Website"), label=N_("Website")),
    "email": Email(N_("E-mail address"), label=N_("E-mail")),
}

NEED_SCHEMA: Schema = {
    "title": Text(N_("The need as a title"), required=True, new=New.TITLE, label=N_("Title")),
    "reported_by": ListOf(Text(), N_("Who reported the need: ids of files in organisations/ and/or a free text"),
                        label=N_("Reported by")),
    "reported": DateField(N_("When the need was reported"), required=True, new=New.TODAY, label=N_("Reported")),
    "interest": Integer(N_("How many have asked for it (raise it as more wishes arrive)"), minimum=1,
                        label=N_("Interest")),
    "professions": TermList("professions", N_("Professions, a profession category or alla"), allow_all=True,
                            groups="categories", default=(), label=N_("Professions")),
    "art_forms": TermList("art_forms", N_("Art forms or alla"), allow_all=True, default=(), label=N_("Art forms")),
    "regions": TermList("regions", N_("Regions"), default=(), label=N_("Regions")),
    "cities": TermList("cities", N_("Cities"), default=(), label=N_("Cities")),
    "status": Choice(NEED_STATUSES, N_("open, planned, answered or closed"), default="open",
                     aliases={"inkommet": "open", "inkommen": "open", "öppet": "open", "öppen": "open",
                              "planeras": "planned", "planerat": "planned", "planerad": "planned",
                              "besvarat": "answered", "besvarad": "answered",
                              "avslutat": "closed", "avslutad": "closed", "stängt": "closed"},
                     labels=NEED_STATUS_LABELS, label=N_("Status")),
    "status_note": LongText(N_("Explanation of the status (required when the need is closed)"),
                            label=N_("About the status")),
    "en": Sub(ENGLISH_TITLE_SCHEMA, N_("In English: title (the English body follows the line === English ===)"),
              label=N_("In English")),
}

PAGE_SCHEMA: Schema = {
    "title": Text(N_("Title of the page"), required=True, new=New.TITLE, label=N_("Title")),
    "menu": Integer(N_("Place in the menu (lower first)"), label=N_("Menu")),
    "summary": LongText(N_("Short description"), label=N_("Summary")),
    "en": Sub(ENGLISH_SCHEMA, ENGLISH_DOC, label=N_("In English")),
}

CONTACT_SCHEMA: Schema = {
    "email": Email(N_("E-mail address")),
    "phone": Text(N_("Phone number")),
    "address": Text(N_("Postal address")),
}

LIMITS_SCHEMA: Schema = {
    "text_mb": Number(N_("Largest Markdown file in content/, in MB (default 2)")),
    "asset_mb": Number(N_("Largest image or other published file in content/, in MB (default 20)")),
}

NEEDS_INBOX_SCHEMA: Schema = {
    "action": Url(N_("The address the wish form sends its answers to (a form service or an e-service)"),
                  required=True),
}

#: The web editor (/admin/, cms.py): where Decap CMS reads and writes the content, and how editors log in.
CMS_BACKENDS = ("github", "gitlab", "test")
REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+$")
CMS_SCHEMA: Schema = {
    "backend": Choice(CMS_BACKENDS, N_("Where the content is kept: github, gitlab, or test (the editor works but "
                                       "saves nothing)"), required=True),
    "repo": Pattern(REPO_RE, N_("a repository such as organisation/kkssite"),
                    N_("The repository: owner/name (on GitLab also group/subgroup/name)")),
    "branch": Text(N_("The branch the website is built from"), default="main"),
    "auth_url": Url(N_("Address of the login service: for GitHub an OAuth service, for your own GitLab its "
                       "address")),
    "auth_endpoint": Text(N_("Path of the login on the login service (default: auth, for GitLab "
                             "oauth/authorize)")),
    "site_domain": Text(N_("The site at Netlify whose login (OAuth) GitHub editors use, when the website is "
                           "published elsewhere, such as kulturkraftsyd.netlify.app")),
    "app_id": Text(N_("Application ID of the GitLab application that editors log in with")),
    "api_url": Url(N_("Address of the API of your own GitLab or GitHub Enterprise")),
    "local_backend": Url(N_("Address of a local Decap server for editing on your own computer, such as "
                            "http://127.0.0.1:8081/api/v1")),
}

#: The languages a site may also be published in, besides its own (each under /<code>/: /en/).
TRANSLATIONS = ("en",)

SITE_ENGLISH_SCHEMA: Schema = {
    "tagline": Text(N_("Tagline in English")),
    "description": Text(N_("Description in English")),
}

SITE_SCHEMA: Schema = {
    "title": Text(N_("Name of the website"), required=True),
    "tagline": Text(N_("Tagline"), default=""),
    "base_url": Url(N_("The address where the website is published, ending with /"), required=True),
    "language": Choice(available(), N_("Language"), default="sv"),
    "timezone": Text(N_("Time zone"), default="Europe/Stockholm"),
    "description": Text(N_("Description"), required=True),
    "contact": Sub(CONTACT_SCHEMA, N_("Contact details")),
    "per_page": Integer(N_("Number of activities per list page"), minimum=1, default=20),
    "limits": Sub(LIMITS_SCHEMA, N_("Size limits of the files in content/")),
    "needs_inbox": Sub(NEEDS_INBOX_SCHEMA, N_("Where wishes for activities go (without it: an e-mail to the "
                                              "contact address)")),
    "cms": Sub(CMS_SCHEMA, N_("The web editor at /admin/: backend, repo, branch and login")),
    "translations": ListOf(Choice(TRANSLATIONS), N_("Also publish the website in these languages: en (under /en/)"),
                           default=()),
    "en": Sub(SITE_ENGLISH_SCHEMA, N_("The website's texts in English: tagline, description")),
}

_TERM_EXTRAS: dict[str, Schema] = {
    "categories": {},
    "professions": {"category": Slug(N_("Profession category"), required=True)},
    "art_forms": {
        "colour": Colour(N_("Colour in light mode (cards, the art form's pages); needs 4.5:1 against the page")),
        "colour_dark": Colour(N_("Colour in dark mode; needs 4.5:1 against the dark page")),
        "emblem": Choice(tuple(EMBLEMS), N_("Emblem: a small drawing shown with the art form's name")),
    },
    "types": {"plural": Text(N_("Plural form")), "en_plural": Text(N_("Plural form in English"))},
    "regions": {},
    "cities": {"region": Slug(N_("Region"), required=True)},
    "levels": {},
    "audiences": {},
    "languages": {},
}
TERM_SCHEMAS: dict[str, Schema] = {
    name: {"slug": Slug(N_("Id"), required=True), "name": Text(N_("Name"), required=True),
           "en": Text(N_("Name in English")), **extra}
    for name, extra in _TERM_EXTRAS.items()
}

SCHEMAS: dict[str, Schema] = {
    "activity": ACTIVITY_SCHEMA,
    "venue": VENUE_SCHEMA,
    "organisation": ORGANISATION_SCHEMA,
    "need": NEED_SCHEMA,
    "page": PAGE_SCHEMA,
}
