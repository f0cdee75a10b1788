"""RSS 2.0 feeds: /feed.xml, one per facet term and profession × region beside its kalender.ics, and
/andringar.xml (cancellations, postponements and change-log entries).

Written with `feedgenerator` (the standalone Django feed generator that Pelican uses): it escapes through a SAX
XML writer, sorts attributes, writes `atom:link rel="self"` from `feed_url`, and lets a subclass supply
`lastBuildDate`, which here comes from the content (never the clock, the library's fallback for empty feeds).
Items carry the event namespace (ev:startdate, ev:enddate, ev:location) because RSS has no event date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from feedgenerator import Rss201rev2Feed
from markupsafe import Markup

from ..graph import Site
from ..model import Activity
from ..text import day_medium
from .common import (
    FEED_ITEMS,
    Feed,
    FeedSet,
    Stamps,
    TextCache,
    feed_order,
    last_change,
    local_midnight,
    page_url,
    place_name,
    when_short,
)

EVENT_NS = "http://purl.org/rss/1.0/modules/event/"
CHANGES = "andringar.xml"


class EventRss(Rss201rev2Feed):
    """RSS 2.0 with the event namespace and a lastBuildDate given by the caller."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:ev": EVENT_NS}

    def latest_post_date(self) -> datetime:
        return self.feed["last_build"]

    def add_item_elements(self, handler, item) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        for key in ("startdate", "enddate", "location"):
            if item.get(key):
                handler.addQuickElement(f"ev:{key}", item[key])


def _channel(site: Site, title: str, link: str, description: str, self_url: str, last_build: datetime) -> EventRss:
    return EventRss(title=title, link=link, description=description, language="sv", feed_url=self_url,
                    ttl="360", last_build=last_build)


def _write(feed: EventRss) -> bytes:
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")


def _add_activity(rss: EventRss, site: Site, activity: Activity, stamps: Stamps, texts: TextCache) -> None:
    item = texts(activity)
    url = page_url(site, activity)
    rss.add_item(title=item.title, link=url, description=item.description, unique_id=url, pubdate=stamps.created,
                 updateddate=stamps.modified, categories=item.categories, startdate=item.start, enddate=item.end,
                 location=item.location)


#: The RSS of the previous build in this process (the live preview), by what it was made from.
_previous: dict[str, bytes] = {}


def feed_rss(site: Site, feed: Feed, feeds: FeedSet, texts: TextCache, settings: str = "",
             memo: dict[str, bytes] | None = None) -> bytes:
    """One filter's RSS: its newest activities by `published`."""
    items = feed_order(feed, feeds.stamps)
    last_build = last_change(feed.activities, feeds.stamps, last_change(feeds.window, feeds.stamps))
    key = "|".join((settings, feed.rss, feed.calendar_name, feed.description, feed.page_url, feed.rss_url,
                    last_build.isoformat(), *(site.fingerprints[a.slug] for a in items)))
    if memo is not None and key in _previous:
        memo[key] = _previous[key]
        return memo[key]
    rss = _channel(site, feed.calendar_name, feed.page_url, feed.description, feed.rss_url, last_build)
    for activity in items:
        _add_activity(rss, site, activity, feeds.stamps[activity.slug], texts)
    data = _write(rss)
    if memo is not None:
        memo[key] = data
    return data


@dataclass(frozen=True, slots=True)
class ChangeItem:
    """One entry of /andringar.xml."""

    guid: str
    title: str
    description: str
    date: datetime
    activity: Activity


def change_items(site: Site, feeds: FeedSet, texts: TextCache) -> list[ChangeItem]:
    """Cancellations, postponements and change-log entries of the feed window, newest first."""
    items: list[ChangeItem] = []
    for activity in feeds.window:
        url = page_url(site, activity)
        stamps = feeds.stamps[activity.slug]
        text = texts(activity)
        if activity.status in ("cancelled", "postponed"):
            anchor = "installt" if activity.status == "cancelled" else "uppskjutet"
            items.append(ChangeItem(f"{url}#{anchor}", text.title, text.description, stamps.modified, activity))
        for index, change in enumerate(activity.changes, start=1):
            title = f"ÄNDRAT: {activity.title} ({when_short(activity)} · {place_name(activity)}) – {change.text}"
            note = Markup("<p><strong>Ändrat {}:</strong> {}</p>").format(day_medium(change.date), change.text)
            items.append(ChangeItem(f"{url}#andring-{index}", title, note + text.description,
                                    local_midnight(change.date), activity))
    items.sort(key=lambda i: (-i.date.timestamp(), i.guid))
    return items[:FEED_ITEMS]


def changes_rss(site: Site, feeds: FeedSet, texts: TextCache) -> bytes:
    items = change_items(site, feeds, texts)
    config = site.config
    rss = _channel(site, f"{config.title} – Ändringar och inställt", config.base_url + "aktiviteter/",
                   f"Inställda, uppskjutna och ändrade aktiviteter i {config.title}, så snart sidan byggts om "
                   "(kalenderprenumerationer uppdateras bara med några timmars mellanrum).",
                   config.base_url + CHANGES,
                   max((i.date for i in items), default=last_change(feeds.window, feeds.stamps)))
    for item in items:
        text = texts(item.activity)
        rss.add_item(title=item.title, link=page_url(site, item.activity), description=item.description,
                     unique_id=item.guid, pubdate=item.date, categories=text.categories, startdate=text.start,
                     enddate=text.end, location=text.location)
    return _write(rss)


def render_rss(site: Site, feeds: FeedSet, texts: TextCache) -> dict[str, bytes]:
    """Every RSS file. A feed whose items (by fingerprint) and settings are those of a feed of the previous
    build in this process is reused as it was (the live preview rebuilds after every save)."""
    global _previous
    settings = repr((site.config, site.catalog.vocabularies))
    memo: dict[str, bytes] = {}
    files = {feed.rss: feed_rss(site, feed, feeds, texts, settings, memo) for feed in feeds}
    files[CHANGES] = changes_rss(site, feeds, texts)
    _previous = memo
    return files
