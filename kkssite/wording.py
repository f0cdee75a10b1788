"""How the site words things, once: dates and times, prices and numbers, and the "when", "where" and "what it
costs" of an activity, in the language of the page (or feed) being made.

Every page, card, feed and JSON-LD block takes these texts from here, so an activity's place or time reads the
same everywhere. Month and weekday names and number formats come from CLDR through Babel; the patterns and every
word come from the catalogue (kkssite/i18n.py), so a language is a catalogue, not code. Times are shown in the
site's time zone. Nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_time, parse_pattern
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from .i18n import N_, Language, pgettext
from .model import Accessibility, Activity, Registration, Session, Term

DASH = "\u2013"
#: Date and time patterns (CLDR/LDML, Babel): a language's catalogue may give its own.
LONG = pgettext("date pattern", "EEEE d MMMM y")  # tisdag 3 februari 2027
MEDIUM = pgettext("date pattern", "d MMMM y")  # 3 februari 2027
SHORT = pgettext("date pattern", "EEE d MMM")  # tis 3 feb.
SHORT_YEAR = pgettext("date pattern", "EEE d MMM y")  # tis 3 feb. 2027
MONTH = pgettext("date pattern", "LLLL y")  # februari 2027
DAY_IN_MONTH = pgettext("date pattern", "EEEE d")  # tisdag 3 (the first day of a range within a month)
WEEKDAY = pgettext("date pattern", "EEEE")  # tisdag
CLOCK = pgettext("time pattern", "HH:mm")  # 09.00
#: A registration deadline given as a date ends at 23.59 (validate.py); shown as the date alone.
END_OF_DAY = (23, 59)

STATUS_LABELS = {
    "scheduled": N_("Scheduled"),
    "cancelled": N_("Cancelled"),
    "postponed": N_("Postponed"),
    "full": N_("Fully booked"),
}
MODE_LABELS = {"on_site": N_("On site"), "online": N_("Online"), "hybrid": N_("On site and online")}
NEED_STATUS_LABELS = {"open": N_("Newly reported"), "planned": N_("Being planned"), "answered": N_("Answered"),
                      "closed": N_("Closed")}
#: What a material's file is, by its extension (anything else is a "file").
FILE_KINDS = {
    "pdf": N_("PDF"), "doc": N_("document"), "docx": N_("document"), "odt": N_("document"), "rtf": N_("document"),
    "txt": N_("text"), "ppt": N_("presentation"), "pptx": N_("presentation"), "odp": N_("presentation"),
    "key": N_("presentation"), "xls": N_("spreadsheet"), "xlsx": N_("spreadsheet"), "ods": N_("spreadsheet"),
    "csv": N_("spreadsheet"), "mp4": N_("video"), "mov": N_("video"), "webm": N_("video"), "mp3": N_("audio"),
    "m4a": N_("audio"), "wav": N_("audio"), "ogg": N_("audio"), "jpg": N_("image"), "jpeg": N_("image"),
    "png": N_("image"), "webp": N_("image"), "gif": N_("image"), "svg": N_("image"), "zip": N_("ZIP archive"),
}
#: Units of file sizes (CLDR), the largest that gives at least 1.
SIZE_UNITS = (("digital-gigabyte", 1000 ** 3), ("digital-megabyte", 1000 ** 2), ("digital-kilobyte", 1000))
ACCESSIBILITY_LABELS = {
    "step_free": N_("Step-free access"),
    "hearing_loop": N_("Hearing loop"),
    "sign_language": N_("Sign language interpretation"),
    "audio_description": N_("Audio description"),
}


class Wording:
    """The texts of one language, in one time zone."""

    def __init__(self, language: Language, tz: ZoneInfo) -> None:
        self.language = language
        self.tz = tz
        self.locale = language.locale
        self._ = language.gettext
        self.ngettext = language.ngettext
        self.p_ = language.pgettext
        self._dates: dict[tuple[date, str], str] = {}  # formatted dates of this build (a day recurs on many pages)

    # --- numbers and money -------------------------------------------------------------------------------

    def number(self, value: Decimal | int | float) -> str:
        """1 234 or 7,5: the locale's grouping and decimal sign."""
        return format_decimal(value, locale=self.locale)

    def kronor(self, amount: Decimal) -> str:
        """'1 200 kr'; 'Kostnadsfritt' for 0."""
        if amount == 0:
            return self._("Free of charge")
        whole = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
        return self._("{amount} kr", amount=self.number(whole))

    def percent(self, share: Decimal | float) -> str:
        """'12,5 %': a share (0.125) with at most one decimal, in the locale's percent pattern."""
        pattern = self.locale.percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
        return format_percent(share, format=pattern, locale=self.locale, decimal_quantization=True)

    def file_size(self, size: int) -> str:
        """'1,2 MB', '340 kB', '512 byte': decimal units (as file managers show them), at most one decimal."""
        for unit, factor in SIZE_UNITS:
            if size >= factor:
                value = Decimal(size) / factor
                return format_unit(value.quantize(Decimal("0.1")) if value < 100 else value.quantize(Decimal(1)),
                                   unit, length="short", format="#,##0.#", locale=self.locale)
        return format_unit(size, "digital-byte", length="short", locale=self.locale)

    def file_kind(self, path: str) -> str:
        """'PDF', 'presentation', 'video' … by the file's extension; 'file' for any other."""
        kind = FILE_KINDS.get(path.rsplit(".", 1)[-1].lower() if "." in path else "")
        return self._(kind) if kind else self._("file")

    def days(self, days: int) -> str:
        return self.ngettext("{days} day", "{days} days", days, days=self.number(days))

    def hours(self, hours: Decimal) -> str:
        """'7,5 timmar', '1 timme'."""
        number = hours.normalize() if hours != hours.to_integral() else hours.quantize(Decimal(1))
        return self.ngettext("{hours} hour", "{hours} hours", 1 if number == 1 else 2, hours=self.number(number))

    # --- dates and times -----------------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def _date(self, day: date, pattern: str) -> str:
        found = self._dates.get((day, pattern))
        if found is None:
            found = parse_pattern(self.p_("date pattern", pattern)).apply(day, self.locale)
            self._dates[(day, pattern)] = found
        return found

    def date_long(self, day: date | datetime) -> str:
        """'tisdag 3 februari 2027'"""
        return self._date(self._day(day), LONG)

    def date_medium(self, day: date | datetime) -> str:
        """'3 februari 2027'"""
        return self._date(self._day(day), MEDIUM)

    def date_short(self, day: date | datetime) -> str:
        """'tis 3 feb.'"""
        return self._date(self._day(day), SHORT)

    def month_year(self, day: date) -> str:
        """'februari 2027'"""
        return self._date(day, MONTH)

    def month_title(self, day: date) -> str:
        """'Februari 2027': a month on its own, as a heading or a choice."""
        text = self.month_year(day)
        return text[:1].upper() + text[1:]

    def clock(self, moment: datetime) -> str:
        """'09.00'"""
        return format_time(self.local(moment), self.p_("time pattern", CLOCK), locale=self.locale)

    def weekdays(self) -> tuple[str, ...]:
        """Monday to Sunday, written out (a month table's column headings)."""
        monday = date(2024, 1, 1)
        return tuple(self._date(date.fromordinal(monday.toordinal() + i), WEEKDAY) for i in range(7))

    def _day(self, value: date | datetime) -> date:
        return self.local(value).date() if isinstance(value, datetime) else value

    def span(self, start: datetime, end: datetime | None, all_day: bool) -> str:
        """A session: 'tisdag 3 februari 2027, 09.00–16.00'; all-day: the day or the days."""
        if all_day:
            first, last = start.date(), (end or start).date()
            if last == first:
                return self.date_long(first)
            if (first.year, first.month) == (last.year, last.month):
                return self._("{start}–{end}", start=self._date(first, DAY_IN_MONTH), end=self.date_long(last))
            return self._("{start} – {end}", start=self.date_long(first), end=self.date_long(last))
        day = self.date_long(start)
        if end is None:
            return self._("{day}, {time}", day=day, time=self.clock(start))
        if self.local(end).date() == self.local(start).date():
            return self._("{day}, {start}–{end}", day=day, start=self.clock(start), end=self.clock(end))
        return self._("{day}, {start} – {end_day}, {end}", day=day, start=self.clock(start),
                      end_day=self.date_long(end), end=self.clock(end))

    def span_short(self, start: datetime, end: datetime | None, all_day: bool, year: bool = False) -> str:
        """'tis 2 mars 18.00' for feed titles (with the year when `year`); all-day ranges as 'tis 2–fre 5 mars'."""
        pattern = SHORT_YEAR if year else SHORT
        if all_day:
            first, last = start.date(), (end or start).date()
            if last == first:
                return self._date(first, pattern)
            return self._("{start}–{end}", start=self._date(first, pattern), end=self._date(last, pattern))
        return self._("{day} {time}", day=self._date(self._day(start), pattern), time=self.clock(start))

    def session(self, session: Session) -> str:
        return self.span(session.start, session.end, session.all_day)

    def deadline(self, moment: datetime) -> str:
        """'fredag 10 december 2027' (a date-only deadline ends at 23.59) or with its time."""
        local = self.local(moment)
        if (local.hour, local.minute) == END_OF_DAY:
            return self.date_long(local)
        return self._("{day}, {time}", day=self.date_long(local), time=self.clock(local))

    # --- an activity ---------------------------------------------------------------------------------------

    def when(self, activity: Activity) -> str:
        """The first session, in full."""
        return self.session(activity.sessions[0])

    def when_short(self, activity: Activity, year: bool = False) -> str:
        first = activity.sessions[0]
        return self.span_short(first.start, first.end, first.all_day, year)

    def more_sessions(self, activity: Activity) -> str | None:
        """'4 tillfällen till och med 24 mars 2027' for a course of several sessions."""
        count = len(activity.sessions)
        if count == 1:
            return None
        last = self.date_medium(activity.sessions[-1].start)
        return self.ngettext("{n} session until {date}", "{n} sessions until {date}", count, date=last)

    def sessions(self, activity: Activity) -> list[str]:
        return [self.session(s) for s in activity.sessions]

    def session_label(self, activity: Activity, session: Session) -> str | None:
        """'tillfälle 2 av 4' for a session of a course."""
        if len(activity.sessions) == 1:
            return None
        return self._("session {index} of {count}", index=session.index, count=len(activity.sessions))

    def place(self, activity: Activity) -> str | None:
        """What a card says of where: the city, 'Malmö och digitalt', 'Digitalt'."""
        city = activity.city.name if activity.city else None
        if activity.mode == "online":
            return self._("Online")
        if activity.mode == "hybrid":
            return self._("{city} and online", city=city) if city else self._("On site and online")
        return city

    def place_name(self, activity: Activity) -> str:
        """The city, or 'Digitalt' (feed titles)."""
        if activity.mode == "online" or activity.city is None:
            return self._("Online")
        return activity.city.name

    def venue_lines(self, activity: Activity) -> list[str]:
        """Where, as the parts of an address: venue, street, postal code and city; a free-text venue and the
        city when the text does not already name it; the city alone. Empty for an online activity."""
        if activity.mode == "online":
            return []
        if activity.venue:
            venue = activity.venue
            city = " ".join(p for p in (venue.postal_code, venue.city.name) if p)
            return [p for p in (venue.name, venue.address, city) if p]
        if activity.venue_text:
            lines = [activity.venue_text]
            if activity.city and activity.city.name not in activity.venue_text:
                lines.append(activity.city.name)
            return lines
        return [activity.city.name] if activity.city else []

    def location(self, activity: Activity) -> str:
        """Where, on one line (iCalendar LOCATION, feeds, calendar links): 'Inkonst, Bergsgatan 29, 211 54 Malmö'."""
        if activity.mode == "online":
            return self._("Online")
        place = ", ".join(self.venue_lines(activity)) or self._("Venue to be announced")
        return self._("{place} (can also be followed online)", place=place) if activity.mode == "hybrid" else place

    def price(self, activity: Activity) -> str | None:
        """'1 200 kr', 'Kostnadsfritt' or the price as written."""
        price = activity.price
        if price is None:
            return None
        return self.kronor(price.amount) if price.amount is not None else price.text

    def price_with_fee(self, activity: Activity) -> str | None:
        shown = self.price(activity)
        if shown is not None and activity.no_show_fee:
            shown = self._("{price} (fee for not turning up without cancelling: {fee})", price=shown,
                           fee=self.kronor(activity.no_show_fee))
        return shown

    def status(self, status: str) -> str:
        return self._(STATUS_LABELS[status])

    def need_status(self, status: str) -> str:
        return self._(NEED_STATUS_LABELS[status])

    def mode(self, mode: str) -> str:
        return self._(MODE_LABELS[mode])

    def prefixed(self, activity: Activity, title: str, full: bool = False) -> str:
        """A title marked for a cancelled or postponed activity (and a fully booked one when `full`):
        'INSTÄLLT: Ljusdesign'."""
        if activity.status == "cancelled":
            return self._("CANCELLED: {title}", title=title)
        if activity.status == "postponed":
            return self._("POSTPONED: {title}", title=title)
        if full and activity.status == "full":
            return self._("FULLY BOOKED: {title}", title=title)
        return title

    def few(self, names: list[str], limit: int = 3) -> str:
        """Names as tags, the first `limit` of them and then how many more: 'Ljusdesigner, Ljustekniker';
        'Dockspelare, Skådespelare, Scenograf och 1 till'."""
        if len(names) <= limit:
            return ", ".join(names)
        return self.ngettext("{names} and {n} more", "{names} and {n} more", len(names) - limit,
                             names=", ".join(names[:limit]))

    def professions(self, activity: Activity) -> str:
        """Who an activity is for, as written: its professions and profession categories (a few, then how many
        more), or 'Alla yrken'."""
        if activity.all_professions:
            return self._("All professions")
        return self.few([t.name for t in activity.profession_selection])

    def art_forms(self, activity: Activity, every: int) -> str:
        """A card's art forms as tags, 'Teater · Dans'; 'Alla konstformer' when it has all `every` of them."""
        names = [t.name for t in activity.art_forms]
        if len(names) >= every:
            return self._("All art forms")
        if len(names) <= 3:
            return " · ".join(names)
        return self.ngettext("{names} and {n} more", "{names} and {n} more", len(names) - 2,
                             names=" · ".join(names[:2]))

    def deadline_label(self, registration: Registration) -> str:
        """'Sista anmälningsdag' or 'Sista ansökningsdag'."""
        if registration.kind == "ansökan":
            return self._("Last day to apply")
        return self._("Last day to register")

    def deadline_soon(self, registration: Registration) -> str:
        if registration.kind == "ansökan":
            return self._("Application closes soon")
        return self._("Registration closes soon")

    def registration_kind(self, registration: Registration) -> str:
        """'Anmälan (först till kvarn)' or 'Ansökan (med urval)'."""
        if registration.kind == "ansökan":
            return self._("Application (with selection)")
        return self._("Registration (first come, first served)")

    def registration_title(self, registration: Registration) -> str:
        return self._("Application") if registration.kind == "ansökan" else self._("Registration")

    def deadline_line(self, activity: Activity) -> str | None:
        """'Sista anmälningsdag: fredag 10 december 2027'."""
        r = activity.registration
        if r is None or r.deadline is None:
            return None
        return self._("{label}: {date}", label=self.deadline_label(r), date=self.deadline(r.deadline))

    def registration_text(self, activity: Activity) -> str | None:
        """One line for feeds: 'Anmälan, sista anmälningsdag fredag 10 december 2027, https://…'."""
        r = activity.registration
        if r is None:
            return None
        parts = [self._("Application with selection") if r.kind == "ansökan" else self._("Registration")]
        if r.deadline:
            label = self._("last day to apply") if r.kind == "ansökan" else self._("last day to register")
            parts.append(self._("{label} {date}", label=label, date=self.deadline(r.deadline)))
        parts += [p for p in (r.url, r.email) if p]
        return ", ".join(parts)

    def registration_noun(self, registration: Registration) -> str:
        """'anmälan' or 'ansökan', as in "(anmälan)" after a deadline."""
        return self._("application") if registration.kind == "ansökan" else self._("registration")

    def accessibility(self, facts: Accessibility) -> tuple[tuple[str, bool], ...]:
        """The stated accessibility facts of an activity or a venue, as (label, yes or no)."""
        return tuple((self._(label), value) for key, label in ACCESSIBILITY_LABELS.items()
                     if (value := getattr(facts, key)) is not None)

    def term_name(self, term: Term) -> str:
        """A term as a feed or a heading names a group of activities: the plural of a type ('Kurser')."""
        return term.plural or term.name

    def categories(self, activity: Activity) -> list[str]:
        """Type, professions (or 'Alla yrken'), art forms and city: CATEGORIES, RSS category, JSON tags."""
        names = [activity.type.name]
        names += [self._("All professions")] if activity.all_professions else [t.name for t in activity.professions]
        names += [t.name for t in activity.art_forms]
        if activity.city:
            names.append(activity.city.name)
        return list(dict.fromkeys(names))

    def facts(self, activity: Activity) -> list[tuple[str, str]]:
        """The labelled facts of every feed's description, in reading order."""
        rows: list[tuple[str, str]] = []
        if activity.status != "scheduled":
            status = self.status(activity.status)
            if activity.status_note:
                status = self._("{status}. {note}", status=status, note=activity.status_note)
            rows.append((self._("Status"), status))
        sessions = self.sessions(activity)
        if len(sessions) == 1:
            rows.append((self._("When"), sessions[0]))
        else:
            listed = "; ".join(self._("{index}) {session}", index=i, session=s) for i, s in enumerate(sessions, 1))
            rows.append((self._("Sessions ({count})", count=len(sessions)), listed))
        rows.append((self._("Where"), self.location(activity)))
        if (price := self.price_with_fee(activity)) is not None:
            rows.append((self._("Price"), price.replace("\u00a0", " ")))
        if activity.registration is not None and (registration := self.registration_text(activity)):
            rows.append((self.registration_title(activity.registration), registration))
        if activity.organisers:
            rows.append((self._("Organiser"), ", ".join(o.name for o in activity.organisers)))
        for change in activity.changes:
            rows.append((self._("Changed {date}", date=self.date_medium(change.date)), change.text))
        return rows

    def headline(self, activity: Activity, year: bool = False) -> str:
        """'tis 2 mars 18.00 · Malmö – Ljusdesign för scen' (feed item titles), marked when cancelled."""
        return self.prefixed(activity, self._("{when} · {place} – {title}", when=self.when_short(activity, year),
                                              place=self.place_name(activity), title=activity.title))
