"""RSS 2.0 feeds: /feed.xml, one per facet term and profession × region beside its kalender.ics, and
/andringar.xml (cancellations, postponements and change-log entries).

Written with `feedgenerator` (the standalone Django feed generator that Pelican uses): it escapes through a SAX
XML writer, sorts attributes, writes `atom:link rel="self"` from `feed_url`, and lets a subclass supply
`lastBuildDate`, which here comes from the content (never the clock, the library's fallback for empty feeds).
Items carry the event namespace (ev:startdate, ev:enddate, ev:location) because RSS has no event date.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, time
from io import StringIO
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..graph import FEED_ITEMS
from ..model import Activity

if TYPE_CHECKING:
    from ..views import FeedView, Views

EVENT_NS = "http://purl.org/rss/1.0/modules/event/"


def new_feed(**channel: Any) -> Any:
    """An RSS 2.0 feed with these channel fields (feedgenerator's `Rss201rev2Feed` arguments, and `last_build`),
    to `add_item` to and `_write`."""
    return _event_rss()(**channel)


@functools.cache
def _event_rss() -> type:
    """feedgenerator's RSS 2.0 with the event namespace and a lastBuildDate given by the caller. Made with the
    first feed: feedgenerator brings the XML, URL and HTTP modules (25 ms to import), which a patched build that
    makes no feed does without."""
    from feedgenerator import Rss201rev2Feed

    class EventRss(Rss201rev2Feed):  # type: ignore[misc]
        def rss_attributes(self) -> dict[str, str]:
            return {**super().rss_attributes(), "xmlns:ev": EVENT_NS}

        def latest_post_date(self) -> datetime:
            return self.feed["last_build"]  # type: ignore[no-any-return]

        def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
            super().add_item_elements(handler, item)
            for key in ("startdate", "enddate", "location"):
                if item.get(key):
                    handler.addQuickElement(f"ev:{key}", item[key])

    return EventRss


@dataclass(frozen=True, slots=True)
class ItemText:
    """The per-activity texts of an item, the same in every feed that lists the activity."""

    title: str
    description: str
    categories: list[str]
    start: str
    end: str
    location: str


def item_text(views: Views, activity: Activity) -> ItemText:
    def make() -> ItemText:
        w = views.w
        first, last = activity.sessions[0], activity.sessions[-1]
        tz = views.site.tz
        start = first.start.date().isoformat() if first.all_day else first.start.astimezone(tz).isoformat()
        end_moment = last.end or last.start
        end = end_moment.date().isoformat() if last.all_day else end_moment.astimezone(tz).isoformat()
        year = activity.start.astimezone(tz).year != views.site.now.astimezone(tz).year
        return ItemText(w.headline(activity, year), description_html(views, activity), w.categories(activity),
                        start, end, w.location(activity))

    return views.once(("rss-item", activity.slug), make)


def description_html(views: Views, activity: Activity) -> str:
    """A short HTML description for RSS and JSON Feed (every value escaped)."""
    w = views.w
    rows = Markup("").join(Markup("<li><strong>{}:</strong> {}</li>").format(label, value)
                           for label, value in w.facts(activity))
    url = views.router.absolute(views.router.url(activity))
    return str(Markup("<p>{}</p><ul>{}</ul><p><a href=\"{}\">{}</a></p>")
               .format(activity.summary, rows, url, w._("Read more on the website")))


def _channel(views: Views, title: str, link: str, description: str, self_url: str, last_build: datetime) -> Any:
    return new_feed(title=title, link=link, description=description, language=views.language.tag,
                    feed_url=self_url, ttl="360", last_build=last_build)


def _write(feed: Any) -> bytes:
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")


def feed_rss(feed: FeedView, views: Views) -> bytes:
    """One filter's RSS: its newest activities by `published`."""
    rss = _channel(views, feed.calendar_name, feed.page_url, feed.description, feed.rss_url, feed.last_build)
    stamps = views.site.feeds.stamps
    for activity in feed.newest:
        item = item_text(views, activity)
        url = views.router.absolute(views.router.url(activity))
        rss.add_item(title=item.title, link=url, description=item.description, unique_id=url,
                     pubdate=stamps[activity.slug].created, updateddate=stamps[activity.slug].modified,
                     categories=item.categories, startdate=item.start, enddate=item.end, location=item.location)
    return _write(rss)


@dataclass(frozen=True, slots=True)
class ChangeItem:
    """One entry of /andringar.xml."""

    guid: str
    title: str
    description: str
    date: datetime
    activity: Activity


def change_items(views: Views, changed: tuple[Activity, ...]) -> list[ChangeItem]:
    """Cancellations, postponements and change-log entries of the feed window's activities, newest first."""
    w = views.w
    items: list[ChangeItem] = []
    tz = views.site.tz
    for activity in changed:
        url = views.router.absolute(views.router.url(activity))
        stamps = views.site.feeds.stamps[activity.slug]
        text = item_text(views, activity)
        if activity.status in ("cancelled", "postponed"):
            anchor = "installt" if activity.status == "cancelled" else "uppskjutet"
            items.append(ChangeItem(f"{url}#{anchor}", text.title, text.description, stamps.modified, activity))
        for index, change in enumerate(activity.changes, start=1):
            title = w._("CHANGED: {title} ({when} · {place}) – {change}", title=activity.title,
                        when=w.when_short(activity), place=w.place_name(activity), change=change.text)
            note = Markup("<p><strong>{}</strong> {}</p>").format(
                w._("Changed {date}:", date=w.date_medium(change.date)), change.text)
            # the item's own description is HTML made (and escaped) here: joined as markup, not escaped again
            items.append(ChangeItem(f"{url}#andring-{index}", title, str(note + Markup(text.description)),
                                    datetime.combine(change.date, time(0, 0), tzinfo=tz), activity))
    items.sort(key=lambda i: (-i.date.timestamp(), i.guid))
    return items[:FEED_ITEMS]


def changes_rss(context: dict[str, Any], views: Views) -> bytes:
    items = change_items(views, context["changed"])
    config = views.config
    w = views.w
    rss = _channel(views, w._("{site} – Changes and cancellations", site=config.title),
                   views.router.absolute(views.router.path("activities")),
                   w._("Cancelled, postponed and changed activities in {site}, as soon as the site has been rebuilt "
                       "(calendar subscriptions are only updated every few hours).", site=config.title),
                   views.router.absolute(views.router.path("changes-rss")),
                   max((i.date for i in items), default=context["since"]))
    for item in items:
        text = item_text(views, item.activity)
        rss.add_item(title=item.title, link=views.router.absolute(views.router.url(item.activity)),
                     description=item.description, unique_id=item.guid, pubdate=item.date,
                     categories=text.categories, startdate=text.start, enddate=text.end, location=text.location)
    return _write(rss)

