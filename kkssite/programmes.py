"""Programmes to print and digests to mail: the calendar on a notice board and in an e-mail.

- `/program/<facet>/<slug>/` for every profession category, profession and region: the activities of the
  coming half-year (from `now` through the end of the sixth month after the current one), month by month, with
  dates, places, prices and deadlines, the page's address and a QR code of it (segno, as inline SVG); an A4
  print stylesheet (theme/static/programme.css) makes it a notice for the rehearsal-room wall.
- `/nyhetsbrev/<yyyy>-<mm>/<category>/` for every profession category and the current month and the next
  two: the activities of that month and the registration deadlines that fall in it, as an HTML e-mail with
  inline styles and tables for layout (theme/templates/digest.html) and, beside it, the same as plain text
  (`nyhetsbrev.txt`, `digest_text` here), for editors to paste into their mail tool.

Everything is worded by wording.py in the page's language and every address comes from the Router; the
e-mail's addresses are absolute.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .graph import TermPage
from .model import Activity

if TYPE_CHECKING:
    from .views import CardView, Views

#: The facets with a printable programme, in the order of the programme index.
PROGRAMME_FACETS = ("categories", "professions", "regions")
#: A programme runs from `now` through the end of the month this many months after the current one.
PROGRAMME_MONTHS = 6
#: The facet with a monthly digest, and for how many months (the current one first).
DIGEST_FACET = "categories"
DIGEST_MONTHS = 3
#: Width of the plain-text e-mail's lines.
TEXT_WIDTH = 72


@dataclass(frozen=True, slots=True)
class Entry:
    """An activity as a programme or a digest lists it: its card, where it is (on one line), its summary and
    its absolute address."""

    card: CardView
    headline: str  # the title, marked when cancelled, postponed or fully booked ("INSTÄLLT: …")
    where: str
    summary: str
    url: str


@dataclass(frozen=True, slots=True)
class MonthGroup:
    title: str  # "December 2026"
    entries: tuple[Entry, ...]


def month_start(year: int, month: int) -> date:
    """The first day of a month, any number of months on (month may exceed 12)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def programme_window(views: Views) -> tuple[datetime, datetime]:
    """From `now` to the start of the month after the sixth month after the current one (exclusive)."""
    now = views.site.now
    local = now.astimezone(views.site.tz)
    end = month_start(local.year, local.month + PROGRAMME_MONTHS + 1)
    return now, datetime.combine(end, time(0, 0), tzinfo=views.site.tz)


def entry(views: Views, activity: Activity) -> Entry:
    return Entry(views.card(activity), views.w.prefixed(activity, activity.title, full=True),
                 views.w.location(activity), activity.summary,
                 views.router.absolute(views.router.url(activity)))


def by_month(views: Views, activities: tuple[Activity, ...]) -> tuple[MonthGroup, ...]:
    """Activities grouped by the month they start in (one that has begun belongs to the current month)."""
    local = views.site.now.astimezone(views.site.tz)
    current = month_start(local.year, local.month)
    groups: dict[date, list[Entry]] = {}
    for activity in activities:
        start = activity.start.astimezone(views.site.tz)
        key = max(month_start(start.year, start.month), current)
        groups.setdefault(key, []).append(entry(views, activity))
    return tuple(MonthGroup(views.w.month_title(key), tuple(items)) for key, items in sorted(groups.items()))


def qr_code(address: str) -> Markup:
    """A QR code of an address as inline SVG (sized by the style sheet; black on white, as scanners want)."""
    import segno  # here: with its writers it imports urllib.request and http.client, 15 ms of every build's start

    code = segno.make(address, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, light="#fff")
    return Markup(svg)


def programme_terms(views: Views) -> list[TermPage]:
    return [tp for key in PROGRAMME_FACETS for tp in views.site.facet(key).terms]


def programme_url(views: Views, tp: TermPage) -> str | None:
    """The programme of a term page, when its facet has programmes."""
    if tp.facet.key not in PROGRAMME_FACETS:
        return None
    return views.router.path("programme", facet=tp.facet.key, term=tp.term.slug)


def in_window(views: Views, tp: TermPage) -> tuple[Activity, ...]:
    _start, end = programme_window(views)
    return tuple(a for a in tp.upcoming if a.start < end)


def programme_context(views: Views, tp: TermPage) -> dict[str, Any]:
    w = views.w
    start, end = programme_window(views)
    path = views.router.path("programme", facet=tp.facet.key, term=tp.term.slug)
    address = views.router.absolute(path)
    activities = in_window(views, tp)
    last = date.fromordinal(end.date().toordinal() - 1)
    return views.page(
        path, name=tp.term.name,
        period=w._("{start} – {end}", start=w.date_medium(start), end=w.date_medium(last)),
        months=by_month(views, activities), count=len(activities),
        address=address, qr=qr_code(address),
        term_url=views.router.url(tp), index_url=views.router.path("programmes"),
        description=w._("Printable programme of the coming half-year: {subject}. {site}.",
                        subject=w._(tp.facet.subject, name=tp.term.name), site=views.config.title),
    )


def programmes_context(views: Views) -> dict[str, Any]:
    """The programme index: every programme, by facet (professions grouped by category), with its count."""
    from .views import TermLink

    sections = []
    for key in PROGRAMME_FACETS:
        index = views.site.facet(key)
        groups = tuple(
            (group.name if group else None,
             tuple(TermLink(tp.term.name, views.router.path("programme", facet=key, term=tp.term.slug),
                            len(in_window(views, tp))) for tp in pages))
            for group, pages in index.groups)
        sections.append((key, views.w._(index.facet.title), groups))
    start, end = programme_window(views)
    last = date.fromordinal(end.date().toordinal() - 1)
    return views.page(views.router.path("programmes"), sections=tuple(sections),
                      period=views.w._("{start} – {end}", start=views.w.date_medium(start),
                                       end=views.w.date_medium(last)))


# --- digests ------------------------------------------------------------------------------------------------


def digest_months(views: Views) -> list[date]:
    local = views.site.now.astimezone(views.site.tz)
    return [month_start(local.year, local.month + n) for n in range(DIGEST_MONTHS)]


def month_key(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def digest_context(views: Views, month: date, tp: TermPage) -> dict[str, Any]:
    """One month of one profession category: what its HTML e-mail and its plain-text part both show."""

    def make() -> dict[str, Any]:
        w, router, tz = views.w, views.router, views.site.tz
        following = month_start(month.year, month.month + 1)

        def month_of(moment: datetime) -> date:
            local = moment.astimezone(tz)
            return date(local.year, local.month, 1)

        starting = tuple(a for a in tp.upcoming if month_of(a.start) == month)
        closing = tuple(
            a for a in tp.upcoming
            if (deadline := views.site.cards[a.slug].deadline) is not None and month_of(deadline) == month
            and month_of(a.start) >= following)
        closing = tuple(sorted(closing, key=lambda a: (views.site.cards[a.slug].deadline, a.slug)))
        feed = views.site.feeds.terms[(tp.facet.key, tp.term.slug)]
        subscription = views.subscription(feed)
        name = tp.term.name
        month_name = w.month_year(month)
        absolute = router.absolute
        return {
            "lang": views.language.tag,
            "site": views.config.title,
            "home": absolute(router.path("home")),
            "title": w._("{name}: activities in {month}", name=name, month=month_name),
            "intro": w._("Competence development for {lower} in {month}: courses, workshops, seminars and "
                         "network meetings from {site}.", lower=name.lower(), month=month_name,
                         site=views.config.title),
            "entries": tuple(entry(views, a) for a in starting),
            "closing": tuple(entry(views, a) for a in closing),
            "term_url": absolute(router.url(tp)),
            "programme_url": absolute(router.path("programme", facet=tp.facet.key, term=tp.term.slug)),
            "subscribe_url": absolute(router.path("subscribe")),
            "term_subscribe": absolute(router.url(tp)) + "#prenumerera-rubrik",
            "calendar_https": subscription.https,
            "rss": subscription.rss_url,
            "web_url": absolute(router.path("digest", month=month_key(month), term=tp.term.slug)),
        }

    return views.once(("digest", month, tp.term.slug), make)


def digests_context(views: Views) -> dict[str, Any]:
    """The editors' index of digests: every month and category, with its HTML and plain-text addresses."""
    months = []
    for month in digest_months(views):
        rows = []
        for tp in views.site.facet(DIGEST_FACET).terms:
            key = month_key(month)
            context = digest_context(views, month, tp)
            rows.append((tp.term.name, views.router.path("digest", month=key, term=tp.term.slug),
                         views.router.path("digest-text", month=key, term=tp.term.slug),
                         len(context["entries"]), len(context["closing"])))
        months.append((views.w.month_title(month), tuple(rows)))
    # for editors, not for search engines: no canonical address, so noindex (base.html)
    return views.page(None, months=tuple(months), subscribe_url=views.router.path("subscribe"))


def digest_text(context: dict[str, Any], views: Views) -> bytes:
    """The plain-text part of a digest: the same texts as the HTML e-mail, wrapped at TEXT_WIDTH."""
    w = views.w
    lines: list[str] = []

    def para(text: str, indent: str = "") -> None:
        lines.extend(textwrap.wrap(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False) or [""])

    def heading(text: str, underline: str) -> None:
        lines.extend(["", text, underline * min(len(text), TEXT_WIDTH), ""])

    def item(e: Entry, closing: bool) -> None:
        card = e.card
        para(e.headline)
        if closing and card.deadline:
            para(card.deadline)
        para(card.when + (f" ({card.more})" if card.more else ""))
        para(e.where)
        para(" · ".join(p for p in (card.type, card.price) if p))
        if not closing:
            if card.deadline:
                para(card.deadline)
            para(e.summary)
        if card.statuses:  # cancelled, postponed or fully booked: nothing to register for
            para(w._("Read more: {url}", url=e.url))
        else:
            para(w._("Read more and register: {url}", url=e.url))
        lines.append("")

    lines.append(context["site"])
    heading(context["title"], "=")
    para(context["intro"])
    heading(w._("Starting this month"), "-")
    if context["entries"]:
        for e in context["entries"]:
            lines.append("")
            item(e, closing=False)
    else:
        lines.append("")
        para(w._("No activities start this month. See what comes later: {url}", url=context["term_url"]))
    if context["closing"]:
        heading(w._("Apply in time: the deadline is this month"), "-")
        for e in context["closing"]:
            item(e, closing=True)
    heading(w._("Stay up to date"), "-")
    para(w._("Printable programme for the coming half-year: {url}", url=context["programme_url"]))
    para(w._("Subscribe in your calendar: {url}", url=context["calendar_https"]))
    para(w._("RSS: {url}", url=context["rss"]))
    para(w._("All calendars and help with subscribing: {url}", url=context["subscribe_url"]))
    lines.append("")
    para(w._("This letter on the web: {url}", url=context["web_url"]))
    text = "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.encode("utf-8")
