"""Feeds and data files: iCalendar (ical.py), RSS 2.0 (rss.py), JSON Feed and open data (jsonfeed.py), the
host headers file, and the build's checks of the calendar against the previous build (health.py).

Each is a serializer of the route table: a function `(context, views) -> bytes` named in `SERIALIZERS`, given
the value views.py made for its output. Everything is deterministic: the same content and `now` give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..cms import config_yaml
from ..filters import filter_index
from ..findable import robots, sitemap
from . import ical, jsonfeed, rss

if TYPE_CHECKING:
    from ..views import Views

#: Media types by route (served by hosts that read output/_headers; see the README for nginx and Apache).
MEDIA_TYPES = {
    "*.ics": "text/calendar; charset=utf-8",
    "*feed.xml": "application/rss+xml; charset=utf-8",
    "changes-rss": "application/rss+xml; charset=utf-8",
    "json-feed": "application/feed+json; charset=utf-8",
    "open-data": "application/json; charset=utf-8",
}


def headers(context: dict[str, Any], views: Views) -> bytes:
    """output/_headers (Netlify, Cloudflare Pages): media types, CORS for partner sites, no indexing of .ics."""
    base = urlsplit(context["base"]).path or "/"
    lines = ["# Written by kkssite: media types of the calendar feeds (see README, Feeds and calendar "
             "subscriptions)."]
    for pattern, media_type in MEDIA_TYPES.items():
        path = pattern if pattern.startswith("*") else views.router.path(pattern)
        lines += ["", f"{base}{path}", f"  Content-Type: {media_type}", "  Access-Control-Allow-Origin: *"]
        if pattern.endswith(".ics"):
            lines.append("  X-Robots-Tag: noindex")
    if context.get("cms"):  # the web editor's settings are YAML, and the editor is for nobody's search results
        lines += ["", f"{base}{views.router.path('admin-config')}", "  Content-Type: text/yaml; charset=utf-8",
                  "", f"{base}{views.router.path('admin')}*", "  X-Robots-Tag: noindex"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def static(context: bytes, views: Views) -> bytes:
    """A theme file or a content file (an image), published as it is."""
    return context


#: The serializers of the route table, by the name its rows give.
SERIALIZERS: dict[str, Callable[[Any, Views], bytes]] = {
    "activity_ics": ical.activity_ics,
    "deadline_ics": ical.deadline_ics,
    "feed_ics": ical.feed_ics,
    "feed_rss": rss.feed_rss,
    "changes_rss": rss.changes_rss,
    "json_feed": jsonfeed.json_feed,
    "open_data": jsonfeed.open_data,
    "filter_index": filter_index,
    "sitemap": sitemap,
    "robots": robots,
    "headers": headers,
    "static": static,
    "cms_config": config_yaml,
}
