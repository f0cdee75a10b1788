"""Feeds and data files: iCalendar (ical.py), RSS 2.0 (rss.py), JSON Feed and open data (jsonfeed.py), the
needs' RSS and open data and the statistics' CSV files (tables.py), the host headers file, and the build's checks
of the calendar against the previous build (health.py).

Each is a serializer of the route table: a function `(context, views) -> bytes` named in `SERIALIZERS`, given
the value views.py made for its output. Everything is deterministic: the same content and `now` give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..cms import config_yaml
from ..embeds import upcoming_json
from ..filters import filter_index
from ..findable import robots, sitemap
from ..photos import Derivative
from ..programmes import digest_text
from . import ical, jsonfeed, rss, tables

if TYPE_CHECKING:
    from pathlib import Path

    from ..views import Views

#: Media types by route (served by hosts that read output/_headers; see the README for nginx and Apache).
MEDIA_TYPES = {
    "*.ics": "text/calendar; charset=utf-8",
    "*feed.xml": "application/rss+xml; charset=utf-8",
    "changes-rss": "application/rss+xml; charset=utf-8",
    "json-feed": "application/feed+json; charset=utf-8",
    "open-data": "application/json; charset=utf-8",
    "needs-data": "application/json; charset=utf-8",
    "*.csv": "text/csv; charset=utf-8",
}


#: The embeds' files (embeds.py), by URL word: every selection's kommande.json (read by partner pages, so with
#: CORS) and the web component's script (a stable address partners link to: revalidated within the hour).
EMBED_FILES = {
    "upcoming.json": ("application/json; charset=utf-8", True),
    "embed.js": ("text/javascript; charset=utf-8", False),
}
#: The digests' plain-text parts.
TEXT_FILES = ("newsletter.txt",)


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
    lines += ["", "# The embeds for partner sites (see README, Embeds for partner sites)."]
    for word, (media_type, cors) in EMBED_FILES.items():
        lines += ["", f"{base}*{views.router.segment(word)}", f"  Content-Type: {media_type}"]
        lines.append("  Access-Control-Allow-Origin: *" if cors else "  Cache-Control: public, max-age=3600")
    for word in TEXT_FILES:
        lines += ["", f"{base}*{views.router.segment(word)}", "  Content-Type: text/plain; charset=utf-8"]
    if context.get("cms"):  # the web editor's settings are YAML, and the editor is for nobody's search results
        lines += ["", f"{base}{views.router.path('admin-config')}", "  Content-Type: text/yaml; charset=utf-8",
                  "", f"{base}{views.router.path('admin')}*", "  X-Robots-Tag: noindex"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def static(context: bytes, views: Views) -> bytes:
    """A theme file or a content file (an image), published as it is."""
    return context


def image(context: Derivative, views: Views) -> bytes:
    """A published size of a photo: made before the outputs are (build.py `_photos`), kept as a fragment."""
    def missing() -> bytes:
        raise RuntimeError(f"{context.path} was not made before the outputs")
    return views.fragment("photo", context, missing)


#: The serializers of the route table, by the name its rows give.
SERIALIZERS: dict[str, Callable[[Any, Views], bytes]] = {
    "activity_ics": ical.activity_ics,
    "deadline_ics": ical.deadline_ics,
    "feed_ics": ical.feed_ics,
    "feed_rss": rss.feed_rss,
    "changes_rss": rss.changes_rss,
    "json_feed": jsonfeed.json_feed,
    "open_data": jsonfeed.open_data,
    "item_rss": tables.item_rss,
    "json_data": tables.json_data,
    "table_csv": tables.table_csv,
    "filter_index": filter_index,
    "upcoming_json": upcoming_json,
    "digest_text": digest_text,
    "sitemap": sitemap,
    "robots": robots,
    "headers": headers,
    "static": static,
    "cms_config": config_yaml,
    "image": image,
}

#: Serializers that can tell, in a patched build, that their output comes out as the previous build published it
#: without making it — outputs that join a fragment of every activity, whose bytes most edits leave as they were:
#: `(context, views, the published file) -> bool`. The build then keeps the file (build.py).
AS_BEFORE: dict[str, Callable[[Any, Views, Path], bool]] = {
    "open_data": jsonfeed.open_data_as_before,
}
