"""The route table: every output of the site, declared once (Hugo's page kinds × output formats, as data).

A `Route` says what an output is (a page from a template, or a file from a serializer), where it goes (a path
pattern), and which instances of it the site has and what each one shows (`outputs`, in views.py). Everything
that needs an address asks the `Router`, which formats the patterns for one language: pages, feeds, the sitemap,
canonical URLs and JSON-LD, the filter's index, the subscribe links, the menu, the health checks, and the
reserved first segments that content pages may not take. Adding an output is adding a row.

Patterns are written in English: a literal segment ("activities", "calendar.ics", "{slug}-deadline.ics") is a
msgid of the catalogue's "url" context, so /activities/ is /aktiviteter/ on the Swedish site; `{name}` is a
parameter of the instance. A pattern ending in "/" is a page folder (its file is index.html).

What an output shows is what its `outputs` function gives it, and nothing else: a template sees its context
and the base context of every page (settings, menu, footer, language), never the whole site. So the build cache
can key every output by its route, its producer and a digest of exactly that context (build.py, keys.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .facets import Facet
from .graph import FacetIndex, MonthRef, TermPage
from .i18n import N_, Language
from .load import ASSET_FOLDERS
from .model import Activity, Need, Organisation, Page, Venue

if TYPE_CHECKING:
    from .views import Views

_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Output:
    """One output of a route: its address and what it shows."""

    route: Route
    path: str  # site-relative address: a page's folder ("aktiviteter/x/") or a file ("kalender.ics")
    context: Any  # a template's variables (dict), or the value a serializer writes
    params: tuple[tuple[str, str], ...] = ()  # the route's parameters (and a listing's page), sorted by name

    @property
    def file(self) -> str:
        """The output file: a page folder's index.html."""
        return Router.file(self.path)


@dataclass(frozen=True, slots=True)
class Route:
    """One kind of output. `template` names the theme template of a page; `serializer` names the function of
    views.SERIALIZERS that turns a context into bytes (a feed, a data file). `outputs(views)` lists the route's
    outputs; `menu` places a page in the main menu (with `label`); `sitemap` lists its pages in sitemap.xml."""

    name: str
    pattern: str
    outputs: Callable[[Views], Iterable[Output]]
    template: str | None = None
    serializer: str | None = None
    menu: int | None = None
    label: str | None = None
    sitemap: bool = True
    once: bool = False  # made once for the whole site (in its first language), not once per language

    @property
    def page(self) -> bool:
        return self.pattern.endswith("/") or self.pattern == ""


def _views(name: str) -> Callable[[Views], Iterable[Output]]:
    """The outputs of a route, made by the method of the same name of views.Views."""
    return lambda views: getattr(views, name)()


def route(name: str, pattern: str, **kw: Any) -> Route:
    return Route(name, pattern, _views(name.replace("-", "_")), **kw)


#: Every output of the site. Order: the order of `plan`, the sitemap and the build's statistics.
ROUTES: tuple[Route, ...] = (
    route("home", "", template="home.html"),
    route("not-found", "404.html", template="404.html", sitemap=False, once=True),
    route("activities", "activities/", template="listing.html", menu=1, label=N_("Activities")),
    route("activity", "activities/{slug}/", template="activity.html"),
    route("activity-ics", "activities/{slug}/{slug}.ics", serializer="activity_ics"),
    route("deadline-ics", "activities/{slug}/{slug}-deadline.ics", serializer="deadline_ics"),
    route("facet", "{facet}/", template="facet.html"),
    route("term", "{facet}/{term}/", template="term.html"),
    route("term-past", "{facet}/{term}/earlier/", template="term.html"),
    route("term-ics", "{facet}/{term}/calendar.ics", serializer="feed_ics"),
    route("term-rss", "{facet}/{term}/feed.xml", serializer="feed_rss"),
    route("crossed-ics", "{facet}/{term}/{cross}/calendar.ics", serializer="feed_ics"),
    route("crossed-rss", "{facet}/{term}/{cross}/feed.xml", serializer="feed_rss"),
    route("needs", "needs/", template="needs.html", menu=6, label=N_("Needs")),
    route("need", "needs/{slug}/", template="need.html"),
    route("needs-rss", "needs/feed.xml", serializer="item_rss"),
    route("needs-data", "needs/needs.json", serializer="json_data"),
    route("needs-index", "needs/index.json", serializer="filter_index"),
    route("wish", "wish/", template="wish.html"),
    route("statistics", "statistics/", template="statistics.html"),
    route("statistics-csv", "statistics/{table}.csv", serializer="table_csv"),
    route("organisations", "organisations/", template="organisations.html"),
    route("organisation", "organisations/{slug}/", template="organisation.html"),
    route("venues", "venues/", template="venues.html"),
    route("venue", "venues/{slug}/", template="venue.html"),
    route("subscribe", "subscribe/", template="subscribe.html"),
    route("calendar", "calendar/", template="calendar.html", menu=2, label=N_("Calendar")),
    route("month", "calendar/{year}/{month}/", template="month.html"),
    route("archive", "archive/", template="archive.html", menu=7, label=N_("Archive")),
    route("year", "archive/{year}/", template="listing.html"),
    route("embed", "embed/", template="embed.html"),
    route("embed-frame", "embed/frame/", template="embed_frame.html", sitemap=False),
    route("embed-script", "embed.js", template="embed.js"),
    route("programmes", "programme/", template="programmes.html"),
    route("programme", "programme/{facet}/{term}/", template="programme.html"),
    route("digests", "newsletter/", template="digests.html", sitemap=False),
    route("digest", "newsletter/{month}/{term}/", template="digest.html", sitemap=False),
    route("digest-text", "newsletter/{month}/{term}/newsletter.txt", serializer="digest_text"),
    route("content-page", "{slug}/", template="page.html"),
    route("site-ics", "calendar.ics", serializer="feed_ics"),
    route("site-rss", "feed.xml", serializer="feed_rss"),
    route("changes-rss", "changes.xml", serializer="changes_rss"),
    route("json-feed", "feed.json", serializer="json_feed"),
    route("open-data", "activities.json", serializer="open_data"),
    route("filter-index", "activities/index.json", serializer="filter_index"),
    route("site-upcoming", "upcoming.json", serializer="upcoming_json"),
    route("term-upcoming", "{facet}/{term}/upcoming.json", serializer="upcoming_json"),
    route("crossed-upcoming", "{facet}/{term}/{cross}/upcoming.json", serializer="upcoming_json"),
    route("sitemap", "sitemap.xml", serializer="sitemap", once=True),
    route("robots", "robots.txt", serializer="robots", once=True),
    route("headers", "_headers", serializer="headers", once=True),
    route("admin", "admin/", template="admin.html", sitemap=False, once=True),
    route("admin-config", "admin/config.yml", serializer="cms_config", once=True),
    route("admin-file", "admin/{path}", serializer="static", once=True),
    route("static-file", "{path}", serializer="static", once=True),
    route("image", "{path}", serializer="image", once=True),
    route("asset", "{path}", serializer="static", once=True),
)
BY_NAME: dict[str, Route] = {r.name: r for r in ROUTES}
#: Paginated listings: page n of a listing is <listing>page/<n>/.
PAGE_SEGMENT = "page"
#: Folder of the theme's content-hashed static files (render.Theme names them).
STATIC_FOLDER = "static"
#: Patterns whose first segment is not translated: fixed names every host or client looks for (and the web
#: editor's /admin/, where Decap CMS is by convention).
UNTRANSLATED = frozenset({"404.html", "sitemap.xml", "robots.txt", "_headers", "admin/", "admin/config.yml",
                          "admin/{path}"})


#: URL words the filter and the listings use besides the patterns (query parameters and values, page segments),
#: and the wish form's (/onska/?yrke=ljustekniker) query parameters for a need and its title.
EXTRA_WORDS = (PAGE_SEGMENT, "when", "online", "yes", "spring-{year}", "autumn-{year}", "status", "need", "title",
               # the embeds' element and its attributes (embeds.py)
               "kks-activities", "count", "layout", "list", "cards")


def url_words() -> list[str]:
    """Every URL word: the literal segments of the patterns, the facets' keys and filter parameters, and
    EXTRA_WORDS. Each is a msgid of the catalogue's "url" context (extracted by i18n.extract_with_url_words)."""
    from .facets import FACETS
    from .model import NEED_STATUSES
    from .stats import TABLES

    words: dict[str, None] = {}
    for r in ROUTES:
        if r.pattern in UNTRANSLATED:
            continue
        for part in r.pattern.split("/"):
            if part and not _PARAM.fullmatch(part):
                words[part] = None
    for facet in FACETS:
        words[facet.key] = None
        words[facet.param] = None
    for word in (*EXTRA_WORDS, *NEED_STATUSES, *TABLES):  # the needs filter's status values; the CSV files' names
        words[word] = None
    return list(words)


def reserved_segments(language: Language) -> frozenset[str]:
    """The first path segments the site's own routes use (in `language`): a content page may not take one."""
    router = Router(language, "https://example.invalid/")
    found = {router.segment(PAGE_SEGMENT), *ASSET_FOLDERS, STATIC_FOLDER}
    for r in ROUTES:
        first = r.pattern.split("/", 1)[0]
        if first and not _PARAM.fullmatch(first) and "." not in first:
            found.add(router.segment(first))
    for key in _facet_keys():
        found.add(router.segment(key))
    return frozenset(found)


def _facet_keys() -> tuple[str, ...]:
    from .facets import FACETS

    return tuple(f.key for f in FACETS)


class Router:
    """Addresses in one language: every route's path, and the URL of every kind of thing a page links to."""

    def __init__(self, language: Language, base_url: str, prefix: str = "") -> None:
        self.language = language
        self.base_url = base_url
        self.prefix = prefix  # "" for the site's first language, "en/" for another

    def segment(self, word: str) -> str:
        """A literal path segment in this language ("activities" → "aktiviteter")."""
        return self.language.url(word)

    def path(self, route_name: str, **params: str) -> str:
        """The site-relative address of one output: 'aktiviteter/ljusdesign/' or 'yrken/ljustekniker/kalender.ics'."""
        pattern = BY_NAME[route_name].pattern
        parts: list[str] = []
        for part in pattern.split("/"):
            if not part:
                parts.append(part)
            elif _PARAM.fullmatch(part):
                name = part[1:-1]
                parts.append(self.segment(params[name]) if name == "facet" else params[name])
            elif pattern in UNTRANSLATED:
                parts.append(part)
            else:
                parts.append(self.segment(part).format(**params))
        return ("" if BY_NAME[route_name].once else self.prefix) + "/".join(parts)

    def page(self, base: str, number: int) -> str:
        """Page `number` of a paginated listing whose first page is `base`."""
        return base if number == 1 else f"{base}{self.segment(PAGE_SEGMENT)}/{number}/"

    def absolute(self, path: str) -> str:
        return self.base_url + path

    @staticmethod
    def file(path: str) -> str:
        """The file of an address: a folder's index.html."""
        return f"{path}index.html" if path.endswith("/") or path == "" else path

    def url(self, target: Any) -> str:
        """The site-relative URL of a model object (or an address, returned as it is)."""
        if isinstance(target, str):
            return target
        if isinstance(target, Activity):
            return self.path("activity", slug=target.slug)
        if isinstance(target, TermPage):
            return self.term(target.facet, target.term.slug)
        if isinstance(target, FacetIndex):
            return self.path("facet", facet=target.facet.key)
        if isinstance(target, Need):
            return self.path("need", slug=target.slug)
        if isinstance(target, Organisation):
            return self.path("organisation", slug=target.slug)
        if isinstance(target, Venue):
            return self.path("venue", slug=target.slug)
        if isinstance(target, Page):
            return self.path("content-page", slug=target.slug)
        if isinstance(target, MonthRef):
            return self.month(target)
        raise TypeError(f"no URL for {type(target).__name__}")

    def term(self, facet: Facet, slug: str) -> str:
        return self.path("term", facet=facet.key, term=slug)

    def month(self, ref: MonthRef) -> str:
        return self.path("month", year=str(ref.year), month=f"{ref.month:02d}")
