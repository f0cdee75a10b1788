"""Declarative field types and one schema per kind of content file.

Each key is declared once, with its type, whether it is required and a one-line Swedish description (the
editor's guide lists the same keys; a test keeps the two in step). A field turns the loader's strings into
typed values or raises `Invalid` with what was expected; `apply_schema` runs every field of a record, never
stopping at the first mistake, and reports unknown keys with the closest known key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from .errors import Problems, did_you_mean
from .load import LineDict, LineList
from .model import MODES, NEED_STATUSES, STATUSES, Term, Vocabularies

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UID_RE = re.compile(r"^[A-Za-z0-9@._+-]{4,200}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_TIME_RE = re.compile(r"^(?P<h>\d{1,2})[:.](?P<m>\d{2})$")
TRUE = frozenset({"true", "ja", "yes"})
FALSE = frozenset({"false", "nej", "no"})

MISSING: Any = object()


class Invalid(Exception):
    """A value does not fit its field; `line` points at the offending list item when known.

    `more` carries further (message, line) pairs when several items of one list are wrong.
    """

    def __init__(self, message: str, line: int | None = None,
                 more: tuple[tuple[str, int | None], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.more = more


@dataclass
class Context:
    """What fields need to type values: the vocabularies, the time zone, and where to report."""

    path: str
    problems: Problems
    tz: ZoneInfo
    vocabularies: Vocabularies | None = None

    def report(self, line: int, key: str, message: str) -> None:
        self.problems.add(self.path, line, key, message)


def show(value: Any) -> str:
    """An editor's value as quoted in a message."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "…")
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "nycklar med värden"
    return repr(value)


class Field:
    """Base field: a description, required or not, and `parse(value, line, ctx) -> typed value`."""

    expected = "ett värde"

    def __init__(self, doc: str = "", *, required: bool = False, default: Any = None) -> None:
        self.doc = doc
        self.required = required
        self.default = default

    def parse(self, value: Any, line: int, ctx: Context) -> Any:
        raise NotImplementedError

    def _text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}")
        value = value.strip()
        if not value:
            raise Invalid(f"förväntade {self.expected}, fick ett tomt värde")
        return value


class Text(Field):
    expected = "en text"

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        return self._text(value)


class Pattern(Field):
    """A text that must match a regular expression; `expected` says in words what it matches."""

    def __init__(self, regex: re.Pattern[str], expected: str, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.regex = regex
        self.expected = expected

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        text = self._text(value)
        if not self.regex.match(text):
            raise Invalid(f"förväntade {self.expected}, fick {show(text)}")
        return text


#: The pattern fields: `Slug("Id", required=True)` is `Pattern(SLUG_RE, <what a slug is>, "Id", required=True)`.
Slug = partial(Pattern, SLUG_RE, "ett id med små bokstäver a–z, siffror och bindestreck (som ljus-och-scen)")
Uid = partial(Pattern, UID_RE, "ett kalender-id med bokstäver, siffror och @ . _ - (som "
                               "kks-2027-ljus@kulturkraftsyd.se)")
Url = partial(Pattern, URL_RE, "en webbadress som börjar med https://")
Email = partial(Pattern, EMAIL_RE, "en e-postadress som namn@exempel.se")


class Bool(Field):
    expected = "true eller false (ja eller nej)"

    def parse(self, value: Any, line: int, ctx: Context) -> bool:
        text = self._text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise Invalid(f"förväntade {self.expected}, fick {show(value)}")


class Integer(Field):
    expected = "ett heltal"

    def __init__(self, doc: str = "", *, minimum: int = 0, **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.minimum = minimum

    def parse(self, value: Any, line: int, ctx: Context) -> int:
        text = self._text(value)
        if not re.fullmatch(r"-?\d+", text):
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}")
        number = int(text)
        if number < self.minimum:
            raise Invalid(f"förväntade ett heltal från {self.minimum}, fick {number}")
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
    expected = "ett tal som 9 eller 7,5"

    def parse(self, value: Any, line: int, ctx: Context) -> Decimal:
        number = parse_number(self._text(value))
        if number is None:
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}")
        return number


class PriceField(Field):
    """A price: a number of kronor (0 = free) or a free text such as "500 kr för medlemmar"."""

    expected = "ett pris i kronor (0 = kostnadsfritt) eller en text"

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[Decimal | None, str | None]:
        text = self._text(value)
        number = parse_number(text)
        return (number, None) if number is not None else (None, text)


class Choice(Field):
    """One of a fixed set of words; `aliases` maps accepted spellings to the canonical word."""

    def __init__(self, choices: Mapping[str, str], doc: str = "", *, aliases: Mapping[str, str] | None = None,
                 **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.choices = choices
        self.aliases = dict(aliases or {})

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "ett av " + ", ".join(self.choices)

    def parse(self, value: Any, line: int, ctx: Context) -> str:
        text = self._text(value)
        text = self.aliases.get(text.lower(), text)
        if text not in self.choices:
            hint = did_you_mean(text, list(self.choices) + list(self.aliases))
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}{hint}")
        return text


def zone_time(day: date, hour: int, minute: int, second: int, tz: ZoneInfo, written: str) -> datetime:
    try:
        naive = datetime.combine(day, time(hour, minute, second))
    except ValueError:
        raise Invalid(f"förväntade ett klockslag som 18:00, fick {show(written)}") from None
    local = naive.replace(tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        raise Invalid(
            f"klockan {hour:02d}:{minute:02d} den {day.isoformat()} finns inte i svensk tid (klockan ställs "
            "fram en timme vid sommartid); välj en annan tid"
        )
    return local


def parse_moment(text: str, tz: ZoneInfo) -> tuple[datetime, bool]:
    """'2027-02-03 09:00' (local), '… +01:00' or a date alone; returns (aware datetime, date_only)."""
    match = _DATETIME_RE.match(text.strip())
    if not match:
        raise Invalid(f"förväntade datum och tid som 2027-03-14 18:00, fick {show(text)}")
    try:
        day = date.fromisoformat(match["date"])
    except ValueError:
        raise Invalid(f"datumet {show(match['date'])} finns inte i kalendern") from None
    if match["h"] is None:
        return datetime.combine(day, time(0, 0), tzinfo=tz), True
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["tz"]:
        try:
            naive = datetime.combine(day, time(hour, minute, second))
            offset = datetime.fromisoformat(f"2000-01-01T00:00:00{match['tz'].replace('Z', '+00:00')}").tzinfo
        except ValueError:
            raise Invalid(f"förväntade datum och tid som 2027-03-14 18:00+01:00, fick {show(text)}") from None
        return naive.replace(tzinfo=offset).astimezone(tz), False
    return zone_time(day, hour, minute, second, tz, text), False


class Moment(Field):
    """A date-time (local unless an offset is given) or, when `dates` is allowed, a date alone."""

    expected = "datum och tid som 2027-03-14 18:00"

    def __init__(self, doc: str = "", *, dates: bool = True, **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.dates = dates

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[datetime, bool]:
        moment, date_only = parse_moment(self._text(value), ctx.tz)
        if date_only and not self.dates:
            raise Invalid(f"förväntade {self.expected} (med klockslag), fick {show(value)}")
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

    expected = "två tal [latitud, longitud] med decimalpunkt, som [55.6049, 13.0038]"

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[float, float]:
        items = value if isinstance(value, list) else [part for part in str(value).split(",") if part.strip()]
        numbers = [parse_number(str(item).strip().lstrip("-")) for item in items if isinstance(item, str)]
        if len(items) != 2 or len(numbers) != 2 or None in numbers:
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}")
        lat, lon = (float(str(item).strip()) for item in items)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Invalid(f"förväntade {self.expected}; latitud −90 till 90, longitud −180 till 180")
        return lat, lon


class DateField(Field):
    expected = "ett datum som 2027-03-14"

    def parse(self, value: Any, line: int, ctx: Context) -> date:
        text = self._text(value)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
        except ValueError:
            raise Invalid(f"datumet {show(text)} finns inte i kalendern") from None
        raise Invalid(f"förväntade {self.expected}, fick {show(value)}")


class TermRef(Field):
    """A slug from one vocabulary; unknown terms get the closest slug (or the slug of a Swedish name)."""

    def __init__(self, vocabulary: str, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.vocabulary = vocabulary

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"ett id ur {self.vocabulary} i vocabularies.yml"

    def terms(self, ctx: Context) -> dict[str, Term]:
        assert ctx.vocabularies is not None
        return getattr(ctx.vocabularies, self.vocabulary)

    def lookup(self, text: str, ctx: Context, extra: Mapping[str, Term] | None = None) -> Term:
        terms = self.terms(ctx)
        if text in terms:
            return terms[text]
        if extra and text in extra:
            return extra[text]
        pool = {**terms, **(extra or {})}
        hint = did_you_mean(text, pool, {slug: t.name for slug, t in pool.items()})
        raise Invalid(f"okänt värde {show(text)}, förväntade {self.expected}{hint}")

    def parse(self, value: Any, line: int, ctx: Context) -> Term:
        return self.lookup(self._text(value), ctx)


class TermList(TermRef):
    """One or more slugs from a vocabulary (a single slug or a list). `alla` and categories when allowed."""

    def __init__(self, vocabulary: str, doc: str = "", *, allow_all: bool = False,
                 groups: str | None = None, expected: str | None = None, **kw: Any) -> None:
        super().__init__(vocabulary, doc, **kw)
        self.allow_all = allow_all
        self.groups = groups
        self._expected = expected

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self._expected or super().expected

    def parse(self, value: Any, line: int, ctx: Context) -> tuple[Term, ...]:
        items = value if isinstance(value, list) else [value]
        lines = value.lines if isinstance(value, LineList) else [line] * len(items)
        if not items:
            raise Invalid(f"förväntade minst ett id ur {self.vocabulary}, fick en tom lista")
        extra: dict[str, Term] = {}
        if self.allow_all:
            extra["alla"] = Term(self.vocabulary, "alla", "Alla")
        if self.groups and ctx.vocabularies is not None:
            extra.update(getattr(ctx.vocabularies, self.groups))
        result: list[Term] = []
        wrong: list[tuple[str, int | None]] = []
        for item, item_line in zip(items, lines, strict=True):
            try:
                term = self.lookup(self._text(item), ctx, extra)
            except Invalid as exc:
                wrong.append((exc.message, item_line))
                continue
            if term not in result:
                result.append(term)
        if wrong:
            raise Invalid(wrong[0][0], wrong[0][1], tuple(wrong[1:]))
        return tuple(result)


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
                raise Invalid(exc.message, exc.line or item_line) from None
        return tuple(result)


class Sub(Field):
    """A nested mapping with its own schema (registration, accessibility, a session, a leader…)."""

    expected = "nycklar med värden på egna, indragna rader"

    def __init__(self, schema: Schema, doc: str = "", **kw: Any) -> None:
        super().__init__(doc, **kw)
        self.schema = schema

    def parse(self, value: Any, line: int, ctx: Context, key: str = "") -> Record:
        if not isinstance(value, LineDict):
            raise Invalid(f"förväntade {self.expected}, fick {show(value)}")
        return apply_schema(value, self.schema, ctx, prefix=key)


class SubList(Sub):
    """A list of nested mappings (sessions, leaders, changes)."""

    def parse(self, value: Any, line: int, ctx: Context, key: str = "") -> tuple[Record, ...]:
        if not isinstance(value, LineList) or not value:
            raise Invalid("förväntade en lista där varje rad börjar med - och har nycklar med värden")
        return tuple(
            Sub.parse(self, item, value.line_of(i), ctx, key=f"{key}[{i + 1}]") for i, item in enumerate(value)
        )


Schema = dict[str, Field]


class Record(dict[str, Any]):
    """Typed values of one mapping; `failed` names the keys whose values were wrong or missing."""

    failed: set[str]

    @property
    def ok(self) -> bool:
        return not self.failed


def apply_schema(raw: LineDict, schema: Schema, ctx: Context, prefix: str = "") -> Record:
    """Type every key of `raw` by `schema`, reporting each problem; keys that failed hold their default."""
    result = Record()
    result.failed = set()
    for key, value in raw.items():
        full = f"{prefix}.{key}" if prefix else key
        field = schema.get(key)
        if field is None:
            hint = did_you_mean(key, schema)
            ctx.report(raw.line_of(key), full, f"okänd nyckel{hint or ' (se content/README.md för alla nycklar)'}")
            continue
        try:
            if isinstance(field, Sub):
                result[key] = field.parse(value, raw.line_of(key), ctx, key=full)
            else:
                result[key] = field.parse(value, raw.line_of(key), ctx)
            parts = result[key] if isinstance(result[key], tuple) else (result[key],)
            if any(isinstance(part, Record) and part.failed for part in parts):
                result.failed.add(key)
        except Invalid as exc:
            result.failed.add(key)
            for message, line in ((exc.message, exc.line), *exc.more):
                ctx.report(line or raw.line_of(key), full, message)
    for key, field in schema.items():
        if key not in result:
            if field.required:
                full = f"{prefix}.{key}" if prefix else key
                if key not in raw:
                    ctx.report(raw.line, full, f"saknas; förväntade {field.expected}")
                result.failed.add(key)
            result[key] = field.default
    return result


# --- Schemas ---------------------------------------------------------------------------------------------

ACCESSIBILITY_SCHEMA: Schema = {
    "step_free": Bool("Tillgängligt utan trappsteg (rullstol)"),
    "hearing_loop": Bool("Hörslinga finns"),
    "sign_language": Bool("Teckenspråkstolkning"),
    "audio_description": Bool("Syntolkning"),
    "note": Text("Fri text om tillgänglighet"),
}

SESSION_SCHEMA: Schema = {
    "start": Moment("Tillfällets start", required=True),
    "end": EndMoment("Tillfällets slut (eller bara klockslag, som 21:00)"),
}

LEADER_SCHEMA: Schema = {
    "name": Text("Namn", required=True),
    "role": Text("Roll, som kursledare eller föreläsare"),
    "link": Url("Länk till presentation"),
}

REGISTRATION_SCHEMA: Schema = {
    "kind": Choice({"anmälan": "", "ansökan": ""}, "anmälan (först till kvarn) eller ansökan (med urval)",
                   aliases={"anmalan": "anmälan", "ansokan": "ansökan"}, required=True),
    "url": Url("Länk till anmälan eller ansökan"),
    "email": Email("E-post för anmälan"),
    "opens": Moment("Anmälan öppnar (datum eller datum och tid)"),
    "deadline": Moment("Sista dag för anmälan/ansökan (ett datum betyder dagens slut)"),
    "notice_by": DateField("Besked om antagning senast"),
}

CHANGE_SCHEMA: Schema = {
    "date": DateField("Datum för ändringen", required=True),
    "text": Text("Vad som ändrades", required=True),
}

ACTIVITY_SCHEMA: Schema = {
    "title": Text("Aktivitetens rubrik", required=True),
    "type": TermRef("types", "Typ av aktivitet", required=True),
    "professions": TermList("professions", "Yrken (id), yrkeskategori eller alla", required=True,
                            allow_all=True, groups="categories",
                            expected="ett eller flera id ur professions, en yrkeskategori ur categories, eller alla"),
    "art_forms": TermList("art_forms", "Konstformer (id) eller alla", required=True, allow_all=True),
    "city": TermRef("cities", "Ort (id); behövs inte när mode är online"),
    "start": Moment("Start: 2027-02-03 09:00, eller bara ett datum för heldag"),
    "end": EndMoment("Slut: datum och tid, bara klockslag, eller sista dagen för heldag"),
    "sessions": SubList(SESSION_SCHEMA, "Flera tillfällen: lista med start och end"),
    "uid": Uid("Stabilt kalender-id (skrivs av kkssite new)"),
    "all_day": Bool("Heldag (bara med datum utan klockslag)"),
    "mode": Choice(MODES, "on_site, online eller hybrid", default="on_site"),
    "online_url": Url("Länk för digitalt deltagande"),
    "venue": Text("Plats: id för en fil i venues/ eller fri text"),
    "audience": TermList("audiences", "Målgrupp: individer och/eller organisationer"),
    "level": TermRef("levels", "Nivå"),
    "language": TermList("languages", "Språk (ett eller flera)"),
    "hours": Number("Omfattning i timmar"),
    "leaders": SubList(LEADER_SCHEMA, "Kursledare och medverkande: name, role, link"),
    "price": PriceField("Pris i kronor (0 = kostnadsfritt) eller text"),
    "no_show_fee": Number("Avgift vid uteblivande utan avanmälan, kronor"),
    "seats": Integer("Antal platser", minimum=1),
    "registration": Sub(REGISTRATION_SCHEMA, "Anmälan: kind, url/email, opens, deadline, notice_by"),
    "requirements": Text("Förkunskaper och krav"),
    "accessibility": Sub(ACCESSIBILITY_SCHEMA, "Tillgänglighet"),
    "organisers": ListOf(Slug(), "Arrangörer (id för filer i organisations/)"),
    "funding": Text("Finansiering"),
    "status": Choice(STATUSES, "scheduled, cancelled, postponed eller full", default="scheduled",
                     aliases={"inställd": "cancelled", "uppskjuten": "postponed", "fullbokad": "full",
                              "canceled": "cancelled"}),
    "status_note": Text("Förklaring till status"),
    "summary": Text("Kort sammanfattning (en eller två meningar)"),
    "image": Text("Bild: sökväg under content/, som images/ljus.jpg"),
    "image_alt": Text("Bildens alt-text (krävs med image)"),
    "published": DateField("Publiceringsdatum"),
    "updated": Moment("Senast ändrad (datum eller datum och tid)"),
    "changes": SubList(CHANGE_SCHEMA, "Ändringslogg: date och text"),
    "needs": ListOf(Slug(), "Behov som aktiviteten svarar på (id för filer i needs/)"),
    "draft": Bool("Utkast: visas inte förrän false", default=False),
}

VENUE_SCHEMA: Schema = {
    "name": Text("Platsens namn", required=True),
    "address": Text("Gatuadress"),
    "postal_code": Text("Postnummer"),
    "city": TermRef("cities", "Ort (id)", required=True),
    "coordinates": Coordinates("Koordinater: [latitud, longitud]"),
    "url": Url("Webbplats"),
    "accessibility": Sub(ACCESSIBILITY_SCHEMA, "Tillgänglighet"),
}

ORGANISATION_SCHEMA: Schema = {
    "name": Text("Organisationens namn", required=True),
    "url": Url("Webbplats"),
    "email": Email("E-post"),
}

NEED_SCHEMA: Schema = {
    "title": Text("Behovet i en rubrik", required=True),
    "reported_by": Text("Vem som rapporterade behovet"),
    "reported": DateField("När behovet rapporterades", required=True),
    "professions": TermList("professions", "Yrken, yrkeskategori eller alla", allow_all=True,
                            groups="categories", default=()),
    "art_forms": TermList("art_forms", "Konstformer eller alla", allow_all=True, default=()),
    "cities": TermList("cities", "Orter", default=()),
    "status": Choice(NEED_STATUSES, "open eller answered", default="open",
                     aliases={"öppet": "open", "öppen": "open", "besvarat": "answered", "besvarad": "answered"}),
}

PAGE_SCHEMA: Schema = {
    "title": Text("Sidans rubrik", required=True),
    "menu": Integer("Plats i menyn (lägre först)"),
    "summary": Text("Kort beskrivning"),
}

CONTACT_SCHEMA: Schema = {
    "email": Email("E-post"),
    "phone": Text("Telefon"),
    "address": Text("Postadress"),
}

SITE_SCHEMA: Schema = {
    "title": Text("Webbplatsens namn", required=True),
    "tagline": Text("Undertitel", default=""),
    "base_url": Url("Adressen där webbplatsen publiceras, slutar med /", required=True),
    "language": Choice({"sv": "svenska"}, "Språk", default="sv"),
    "timezone": Text("Tidszon", default="Europe/Stockholm"),
    "description": Text("Beskrivning", required=True),
    "contact": Sub(CONTACT_SCHEMA, "Kontaktuppgifter"),
    "per_page": Integer("Antal aktiviteter per listsida", minimum=1, default=20),
}

TERM_SCHEMAS: dict[str, Schema] = {
    name: {"slug": Slug("Id", required=True), "name": Text("Namn", required=True), **extra}
    for name, extra in {
        "categories": {},
        "professions": {"category": Slug("Yrkeskategori", required=True)},
        "art_forms": {},
        "types": {"plural": Text("Pluralform")},
        "regions": {},
        "cities": {"region": Slug("Region", required=True)},
        "levels": {},
        "audiences": {},
        "languages": {},
    }.items()
}

SCHEMAS: dict[str, Schema] = {
    "activity": ACTIVITY_SCHEMA,
    "venue": VENUE_SCHEMA,
    "organisation": ORGANISATION_SCHEMA,
    "need": NEED_SCHEMA,
    "page": PAGE_SCHEMA,
}
