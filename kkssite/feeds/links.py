"""What the templates show about feeds: subscription links per filter (webcal://, https://, Google Calendar,
Outlook), "add to calendar" links per activity, and the rows of the subscribe page /prenumerera/.

Templates call these as globals with the site, e.g. `subscription(site, term_page)`; the feeds themselves are
computed once per build (`common.feed_set`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from ..graph import Site, TermPage
from ..model import Activity, Session, Term
from .common import (
    STATUS_PREFIX,
    STOCKHOLM,
    Feed,
    deadline_title,
    feed_set,
    location_text,
    page_url,
    session_texts,
)
from .ical import TZID, activity_ics, deadline_ics
from .jsonfeed import JSON_FEED, OPEN_DATA
from .rss import CHANGES

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_LIVE = "https://outlook.live.com/calendar/0"
OUTLOOK_OFFICE = "https://outlook.office.com/calendar/0"


def webcal(url: str) -> str:
    """https://host/x.ics → webcal://host/x.ics (opens the subscribe dialog of the calendar app)."""
    return "webcal://" + url.split("://", 1)[1]


@dataclass(frozen=True, slots=True)
class Subscription:
    """A feed as the templates link to it."""

    feed: Feed

    @property
    def name(self) -> str:
        return self.feed.name

    @property
    def calendar_name(self) -> str:
        return self.feed.calendar_name

    @property
    def ics(self) -> str:
        """Site-relative path, for `|url`."""
        return self.feed.ics

    @property
    def rss(self) -> str:
        return self.feed.rss

    @property
    def https(self) -> str:
        return self.feed.ics_url

    @property
    def webcal(self) -> str:
        return webcal(self.feed.ics_url)

    @property
    def google(self) -> str:
        return f"{GOOGLE}?cid={quote(self.webcal, safe='')}"

    @property
    def outlook(self) -> str:
        return f"{OUTLOOK_LIVE}/addfromweb?" + urlencode({"url": self.https, "name": self.calendar_name})

    @property
    def outlook_office(self) -> str:
        return f"{OUTLOOK_OFFICE}/addfromweb?" + urlencode({"url": self.https, "name": self.calendar_name})

    @property
    def rss_url(self) -> str:
        return self.feed.rss_url

    @property
    def count(self) -> int:
        return len(self.feed.activities)


def subscription(site: Site, target: TermPage | tuple[str, str] | None = None) -> Subscription:
    """The subscription of a term page, of a (profession slug, region slug) pair, or (None) of the whole site."""
    feeds = feed_set(site)
    if target is None:
        return Subscription(feeds.site)
    if isinstance(target, TermPage):
        return Subscription(feeds.terms[(target.facet.key, target.term.slug)])
    return Subscription(feeds.combinations[target])


def combinations(site: Site, term_page: TermPage) -> list[Subscription]:
    """Profession × region subscriptions of a profession page (empty for other facets)."""
    if term_page.facet.key != "yrken":
        return []
    feeds = feed_set(site)
    return [Subscription(feeds.combinations[(term_page.term.slug, region)])
            for region in site.catalog.vocabularies.regions]


def activity_subscriptions(site: Site, activity: Activity) -> list[Subscription]:
    """The filters an activity belongs to, most specific first: its professions (and each in the activity's
    region), profession categories as written, art forms, type, city, region, then the whole calendar."""
    feeds = feed_set(site)
    found: list[Feed] = []

    def add(facet: str, terms: tuple[Term, ...] | list[Term]) -> None:
        for term in terms:
            feed = feeds.term(facet, term.slug)
            if feed is not None and feed not in found:
                found.append(feed)

    for term in activity.profession_selection:
        if term.vocabulary == "professions":
            add("yrken", [term])
            if activity.region and (term.slug, activity.region) in feeds.combinations:
                found.append(feeds.combinations[(term.slug, activity.region)])
        else:
            add("yrkeskategorier", [term])
    if len(activity.art_forms) < len(site.catalog.vocabularies.art_forms):
        add("konstformer", activity.art_forms)
    add("typer", [activity.type])
    if activity.city:
        add("orter", [activity.city])
    if activity.region:
        add("regioner", [site.catalog.vocabularies.regions[activity.region]])
    found.append(feeds.site)
    return [Subscription(f) for f in found]


# --- add one activity to a calendar ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddLinks:
    """Web links that open a prefilled "new event" form in Google Calendar and Outlook."""

    label: str
    google: str
    outlook: str
    outlook_office: str


def _add_links(activity: Activity, session: Session, label: str, url: str) -> AddLinks:
    title = STATUS_PREFIX.get(activity.status, "") + activity.title
    if len(activity.sessions) > 1:
        title += f" ({session.index}/{len(activity.sessions)})"
    details = f"{activity.summary}\n\n{url}"
    location = location_text(activity)
    start = session.start.astimezone(STOCKHOLM)
    end = (session.end or session.start).astimezone(STOCKHOLM)
    if session.all_day:
        last = end.date() + timedelta(days=1)
        dates = f"{start:%Y%m%d}/{last:%Y%m%d}"
        outlook_times = {"startdt": start.date().isoformat(), "enddt": last.isoformat(), "allday": "true"}
    else:
        dates = f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}"
        outlook_times = {"startdt": _iso(start), "enddt": _iso(end), "allday": "false"}
    google = GOOGLE + "?" + urlencode({"action": "TEMPLATE", "text": title, "dates": dates, "ctz": TZID,
                                       "details": details, "location": location})
    outlook_query = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
                               **outlook_times, "body": details, "location": location})
    return AddLinks(label, google, f"{OUTLOOK_LIVE}/deeplink/compose?{outlook_query}",
                    f"{OUTLOOK_OFFICE}/deeplink/compose?{outlook_query}")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class ActivityCalendar:
    """Everything the "Lägg till i kalender" block of an activity page links to."""

    ics: str  # site-relative
    deadline_ics: str | None
    deadline_title: str | None
    sessions: tuple[AddLinks, ...]


def activity_calendar(site: Site, activity: Activity) -> ActivityCalendar:
    url = page_url(site, activity)
    texts = session_texts(activity)
    multi = len(activity.sessions) > 1
    links = tuple(_add_links(activity, s, f"Tillfälle {s.index}: {texts[s.index - 1]}" if multi else texts[0], url)
                  for s in activity.sessions)
    has_deadline = activity.registration is not None and activity.registration.deadline is not None
    return ActivityCalendar(
        activity_ics(activity), deadline_ics(activity) if has_deadline else None,
        deadline_title(activity) if has_deadline else None, links,
    )


# --- the subscribe page ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    main: Subscription
    extra: tuple[Subscription, ...]  # profession × region


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    groups: tuple[tuple[str | None, tuple[Row, ...]], ...]


def subscribe_sections(site: Site) -> list[Section]:
    """One section per facet, its rows grouped as on the facet's index page (professions by category)."""
    sections = []
    for facet in site.facets:
        groups = tuple(
            (parent.name if parent else None,
             tuple(Row(subscription(site, tp), tuple(combinations(site, tp))) for tp in pages))
            for parent, pages in facet.groups
        )
        sections.append(Section(facet.spec.key, facet.spec.title, groups))
    return sections


def site_files(site: Site) -> dict[str, str]:
    """Absolute URLs of the site-wide feeds that have no Feed object of their own."""
    base = site.config.base_url
    return {"changes": base + CHANGES, "json_feed": base + JSON_FEED, "open_data": base + OPEN_DATA}


#: Functions the theme's templates may call (render.Theme adds them as Jinja globals).
TEMPLATE_GLOBALS = {
    "subscription": subscription,
    "combinations": combinations,
    "activity_subscriptions": activity_subscriptions,
    "activity_calendar": activity_calendar,
    "subscribe_sections": subscribe_sections,
    "feed_files": site_files,
}
