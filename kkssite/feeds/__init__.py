"""Feeds and syndication: iCalendar (ical.py), RSS 2.0 (rss.py), JSON Feed and open data (jsonfeed.py), the
host headers file, and what templates need to link to them (links.py).

`render_feeds(site)` returns every feed file as `{output path: bytes}`, written by build.py like the pages;
`check_feeds` (health.py) compares them with the previous output. Everything is deterministic: the same content
and `now` give the same bytes.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from ..config import BuildOptions
from ..graph import Site
from ..workers import default_workers
from .common import WINDOW_MONTHS, TextCache, feed_set
from .health import check_feeds
from .ical import EventStore, render_ical
from .jsonfeed import JSON_FEED, OPEN_DATA, render_json
from .links import TEMPLATE_GLOBALS
from .rss import CHANGES, render_rss

__all__ = ["TEMPLATE_GLOBALS", "WINDOW_MONTHS", "check_feeds", "event_store", "render_feeds", "subscription_paths"]

#: Media types by file (served by hosts that read output/_headers; see the README for nginx and Apache).
MEDIA_TYPES = {
    "*.ics": "text/calendar; charset=utf-8",
    "*feed.xml": "application/rss+xml; charset=utf-8",
    CHANGES: "application/rss+xml; charset=utf-8",
    JSON_FEED: "application/feed+json; charset=utf-8",
    OPEN_DATA: "application/json; charset=utf-8",
}


def headers_file(site: Site) -> bytes:
    """output/_headers (Netlify, Cloudflare Pages): media types, CORS for partner sites, no indexing of .ics."""
    base = urlsplit(site.config.base_url).path or "/"
    lines = ["# Written by kkssite: media types of the calendar feeds (see README, Feeds and calendar "
             "subscriptions)."]
    for pattern, media_type in MEDIA_TYPES.items():
        lines += ["", f"{base}{pattern}", f"  Content-Type: {media_type}", "  Access-Control-Allow-Origin: *"]
        if pattern.endswith(".ics"):
            lines.append("  X-Robots-Tag: noindex")
    return ("\n".join(lines) + "\n").encode("utf-8")


def subscription_paths(site: Site) -> list[str]:
    """The output paths of every subscription feed (not the single-activity downloads)."""
    paths = []
    for feed in feed_set(site):
        paths += [feed.ics, feed.rss]
    return [*paths, CHANGES, JSON_FEED, OPEN_DATA]


def event_store(options: BuildOptions) -> EventStore | None:
    """Where a build keeps its serialized events for the next one: beside the build cache (none without one;
    with --clean it is rewritten, not read)."""
    if options.cache is None:
        return None
    name = hashlib.sha256(f"{options.content.resolve()}\n{options.output.resolve()}".encode()).hexdigest()[:16]
    return EventStore(options.cache / f"feeds-{name}.pickle", trust=not options.clean)


def render_feeds(site: Site, workers: int | None = None, store: EventStore | None = None) -> dict[str, bytes]:
    """Every feed file of the site: .ics per filter and per activity, RSS, JSON Feed, open data, _headers.
    Each activity's events are serialized once, on `workers` processes (default: every core), or taken from
    `store` when the activity did not change since the last build."""
    feeds = feed_set(site)
    texts = TextCache(site)
    files = render_ical(site, feeds, workers or default_workers(), store)
    files.update(render_rss(site, feeds, texts))
    files.update(render_json(site, feeds, texts))
    files["_headers"] = headers_file(site)
    return files
