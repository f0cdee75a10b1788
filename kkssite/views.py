"""What each output of the route table shows: its instances and its context, made from the `Site` in one
language (views.Views has one method per route of routes.ROUTES).

A template sees exactly the context made here (plus the base context of every page, render.py), and a
serializer writes exactly the value made here; so the digest of a context is the key of its output (build.py).
Texts are worded here or by the template's filters, both through wording.py; addresses come from the Router.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from . import photos
from .facets import BY_KEY, FACETS, Facet
from .graph import (
    CalendarMonth,
    Card,
    DayEntry,
    FacetIndex,
    Feed,
    Pager,
    Related,
    Site,
    TermPage,
    paginate,
)
from .i18n import AUTONYMS, Language
from .model import Activity, Need, Session, Term, Venue, record_id
from .routes import BY_NAME, ROUTES, Output, Router
from .wording import Wording

T = TypeVar("T")

#: The art mark of an activity for every art form (or none in particular): the site's own colour and emblem.
ALL_ARTS = "alla"
#: Related upcoming activities on an activity page ("Fler för ljustekniker").
RELATED = 3
#: Feeds offered as choices by an activity page's "Prenumerera" (the rest are one step away).
CHOICES = 4
GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_LIVE = "https://outlook.live.com/calendar/0"
OUTLOOK_OFFICE = "https://outlook.office.com/calendar/0"
#: Cards on the home page.
HOME_CARDS = 8


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str  # site-relative, or absolute


@dataclass(frozen=True, slots=True)
class Translation:
    """A page in one language of the site: its language tag, the language's own name and the page's address."""

    lang: str
    name: str  # "English", "Svenska": the language's own name
    url: str  # site-relative
    current: bool  # the language of the page being shown


@dataclass(frozen=True, slots=True)
class Badge:
    """A status shown on a card: `key` names its style (cancelled, postponed, full, soon, draft)."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Photo:
    """An activity's photo as an <img>/<picture> shows it (photos.py): its sizes in WebP and in the fallback
    format (site-relative address, width), the fallback's middle size as `src`, the largest size's width and
    height (the aspect ratio that keeps the layout from shifting) and its alt text."""

    webp: tuple[tuple[str, int], ...]
    fallback: tuple[tuple[str, int], ...]
    type: str  # the fallback's media type
    src: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything an activity's card shows, worded: shared by the HTML cards and the filter's index."""

    slug: str
    url: str
    title: str
    start: str  # ISO 8601, for <time datetime>
    when: str  # "tisdag 3 februari 2027, 09.00–16.00"
    more: str | None  # "4 tillfällen till och med 24 mars 2027"
    type: str
    place: str | None  # "Malmö", "Malmö och digitalt", "Digitalt"
    price: str | None
    audience: str  # the professions as written, a few then how many more: "Ljusdesigner, Ljustekniker"
    deadline: str | None  # "Sista anmälningsdag: fredag 10 december 2027" while registration is open
    badges: tuple[Badge, ...]
    arts: str  # "Teater · Dans", "Alla konstformer"
    art: str  # the art form whose colour and emblem the card carries (its slug), or ALL_ARTS
    photo: Photo | None = None  # the activity's photo (content `image`) in its published sizes
    after: str | None = None  # a past activity's outcome and materials: "14 deltagare · 2 material"
    title_lang: str | None = None  # the language of the title where it is not the page's (no English title)

    @property
    def record(self) -> str:
        """The activity a card shows (keys.Digester: an output with the card shows the activity)."""
        return f"activity:{self.slug}"

    @property
    def cancelled(self) -> bool:
        return any(b.key == "cancelled" for b in self.badges)

    @property
    def statuses(self) -> tuple[Badge, ...]:
        """The badges of the activity's status alone (the month calendar shows these)."""
        return tuple(b for b in self.badges if b.key in ("cancelled", "postponed", "full"))

    @property
    def head_badges(self) -> tuple[Badge, ...]:
        """The badges beside the art form, above the date (the status, a draft): short, so the date never moves."""
        return tuple(b for b in self.badges if b.key != "soon")

    @property
    def soon(self) -> Badge | None:
        """"Sista anmälningsdag snart", shown with the deadline it is about."""
        return next((b for b in self.badges if b.key == "soon"), None)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A feed as pages link to it: its name and its addresses for calendar apps, Google, Outlook and RSS (not
    how many activities it holds: a page that shows a count gets it beside, so that pages which do not are
    not remade when the count changes)."""

    name: str
    calendar_name: str
    ics: str  # site-relative
    rss: str  # site-relative
    https: str
    rss_url: str

    @property
    def webcal(self) -> str:
        return "webcal://" + self.https.split("://", 1)[1]

    @property
    def google(self) -> str:
        return _google_subscription(self.webcal)

    @property
    def outlook(self) -> str:
        return _outlook_subscription(OUTLOOK_LIVE, self.https, self.calendar_name)

    @property
    def outlook_office(self) -> str:
        return _outlook_subscription(OUTLOOK_OFFICE, self.https, self.calendar_name)


# A feed's addresses are encoded once per process: every activity page links to each of its dozen feeds, and
# encoding them again for each page was a tenth of the time spent rendering.
@functools.lru_cache(maxsize=8192)
def _google_subscription(webcal: str) -> str:
    return f"{GOOGLE}?cid={quote(webcal, safe='')}"


@functools.lru_cache(maxsize=16384)
def _outlook_subscription(base: str, https: str, name: str) -> str:
    return f"{base}/addfromweb?" + urlencode({"url": https, "name": name})


@dataclass(frozen=True, slots=True)
class FeedView:
    """What a calendar or RSS feed holds and says about itself."""

    name: str  # "Ljustekniker i Blekinge"
    calendar_name: str  # "KulturKraft Syd – Ljustekniker i Blekinge"
    description: str
    page_url: str  # absolute
    ics_url: str
    rss_url: str
    activities: tuple[Activity, ...]  # the feed window's, by start
    newest: tuple[Activity, ...]  # its RSS items: the newest by `published`
    last_build: datetime  # the newest change among them (or in the window, for an empty feed)


@dataclass(frozen=True, slots=True)
class AddLinks:
    """Web links that open a prefilled "new event" form in Google Calendar and Outlook: what they say, and the
    addresses made from it when the page is written (in the render workers; 10,000 activities' links held
    encoded until then would be a hundred megabytes)."""

    label: str
    title: str
    summary: str
    url: str  # the activity page's, at the end of the event's text
    location: str
    zone: str
    dates: str  # Google's: 20270203T090000/20270203T160000, or whole days 20270203/20270204
    outlook_times: tuple[tuple[str, str], ...]

    @property
    def details(self) -> str:
        return f"{self.summary}\n\n{self.url}"

    @property
    def google(self) -> str:
        return GOOGLE + "?" + urlencode({"action": "TEMPLATE", "text": self.title, "dates": self.dates,
                                         "ctz": self.zone, "details": self.details, "location": self.location})

    @property
    def _outlook_query(self) -> str:
        return urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": self.title,
                          **dict(self.outlook_times), "body": self.details, "location": self.location})

    @property
    def outlook(self) -> str:
        return f"{OUTLOOK_LIVE}/deeplink/compose?{self._outlook_query}"

    @property
    def outlook_office(self) -> str:
        return f"{OUTLOOK_OFFICE}/deeplink/compose?{self._outlook_query}"


@dataclass(frozen=True, slots=True)
class NeedCard:
    """Everything a need's card shows, worded: shared by the needs listing, the filter's index and the feeds."""

    slug: str
    url: str
    title: str
    reported: str  # ISO date, for <time datetime>
    when: str  # "Inkommet 3 februari 2026"
    status: Badge
    audience: str  # the professions
    place: str | None  # "Malmö, Blekinge"
    interest: str | None  # "12 har önskat"
    answers: str | None  # "2 aktiviteter"
    title_lang: str | None = None  # as CardView's

    @property
    def record(self) -> str:
        """The need a card shows (keys.Digester: an output with the card shows the need)."""
        return f"need:{self.slug}"


@dataclass(frozen=True, slots=True)
class MaterialView:
    title: str
    url: str  # site-relative (a published file) or absolute (a link)
    note: str | None  # "PDF, 1,2 MB" for a file


@dataclass(frozen=True, slots=True)
class AfterView:
    """The "after the activity" section: what the outcome records, the evaluation and the materials."""

    facts: tuple[tuple[str, str], ...]  # (label, value)
    evaluation: str | None
    materials: tuple[MaterialView, ...]


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of a need's path: reported, being planned, answered by activities, what they led to, closed."""

    key: str
    label: str
    done: bool
    current: bool
    lines: tuple[str, ...]
    anchor: str | None = None  # the section of the page that shows the step


@dataclass(frozen=True, slots=True)
class ResultView:
    """A past activity on a need's page, with what it led to."""

    title: str
    url: str
    when: str
    after: AfterView


@dataclass(frozen=True, slots=True)
class TermLink:
    label: str
    url: str
    count: int
    slug: str = ""  # a term's (the art form tiles take its colour and emblem)


@dataclass(frozen=True, slots=True)
class Pick:
    """A choice that leads to a page: the home page's profession picker (its value is the filter's)."""

    label: str
    value: str
    url: str


@dataclass(frozen=True, slots=True)
class Earlier:
    """What a patched build knows of the build it starts from: the fragment keys of that build (`key(kind,
    value)`, from the records' earlier digests) and the ids of the records the patch changed."""

    key: Callable[[str, Any], str]
    changed: frozenset[str]


class Fragments:
    """Pieces of outputs shared by many outputs (an activity's serialized events, its open-data record), each
    made once: kept for this build, and between builds by the build store while what they are made of holds.
    `key(kind, value)` is a fragment's key (keys.py, with the build's base: code, settings, language);
    `stored(keys)` fetches stored ones. `fresh` holds the keys made by this build (the build stores them).
    `known`: records' fragment keys from an earlier build of the same records (the live preview's), by identity.
    `earlier`: in a patched build, the keys of the build it starts from (see `as_before`)."""

    def __init__(self, key: Callable[[str, Any], str],
                 stored: Callable[[Iterable[str]], dict[str, bytes]] | None = None,
                 known: dict[str, dict[int, tuple[str, Any]]] | None = None, earlier: Earlier | None = None) -> None:
        self.make_key = key
        self.stored = stored
        self.earlier = earlier
        self.made: dict[str, bytes] = {}
        self.fresh: set[str] = set()
        self._keys = {} if known is None else known  # a record's fragment keys, by kind and identity

    def key(self, kind: str, value: Any) -> str:
        """A fragment's key; a record's is remembered (records live as long as the build, so do their ids)."""
        if not hasattr(type(value), "KIND"):
            return self.make_key(kind, value)
        memo = self._keys.setdefault(kind, {})
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = (self.make_key(kind, value), value)
        return found[0]

    def keys_of(self, kind: str, values: Iterable[Any]) -> list[str]:
        """`key(kind, value)` of many values (10,000 records' on every save of the live preview)."""
        memo, key = self._keys.setdefault(kind, {}), self.key
        return [found[0] if (found := memo.get(id(value))) is not None else key(kind, value) for value in values]

    def preload(self, items: Iterable[tuple[str, Any]]) -> None:
        """Fetch the stored fragments of many (kind, value) at once (their keys made only where there is a store)."""
        if self.stored is not None:
            self.preload_keys(self.key(kind, value) for kind, value in items)

    def preload_keys(self, keys: Iterable[str]) -> None:
        """Fetch the stored fragments of these keys (from `keys_of`) that this build does not have yet."""
        if self.stored is not None:
            self.made.update(self.stored([k for k in keys if k not in self.made]))

    def get_many(self, kind: str, values: Sequence[Any], make: Callable[[Any], bytes]) -> list[bytes]:
        """`get(kind, value, …)` of many values; `make(value)` makes a missing one."""
        made, found = self.made, []
        for key, value in zip(self.keys_of(kind, values), values, strict=True):
            data = made.get(key)
            if data is None:
                data = made[key] = make(value)
                self.fresh.add(key)
            found.append(data)
        return found

    def as_before(self, kind: str, values: Iterable[Any], make: Callable[[Any], bytes]) -> bool:
        """Whether the fragments of these records come out as the bytes they had in the build a patch starts
        from: those of the records the patch changed are made (and kept, like any other) and compared with their
        stored earlier ones; the others have the keys they had. False outside a patch, or where an earlier
        fragment is not in the store."""
        earlier = self.earlier
        if earlier is None or self.stored is None:
            return False
        changed = [value for value in values if record_id(value) in earlier.changed]
        keys = [earlier.key(kind, value) for value in changed]
        found = self.stored(keys)
        return all(key in found and self.get(kind, value, functools.partial(make, value)) == found[key]
                   for key, value in zip(keys, changed, strict=True))

    def adopt(self, made: dict[str, bytes]) -> None:
        """Fragments another process made for this build (a worker's): kept, and stored, like this one's."""
        self.made.update(made)
        self.fresh.update(made)

    def has(self, kind: str, value: Any) -> bool:
        return self.key(kind, value) in self.made

    def put(self, kind: str, value: Any, data: bytes) -> None:
        key = self.key(kind, value)
        self.made[key] = data
        self.fresh.add(key)

    def get(self, kind: str, value: Any, make: Callable[[], bytes]) -> bytes:
        key = self.key(kind, value)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = make()
            self.fresh.add(key)
        return found


class Views:
    """The outputs of every route, in one language. `files` are the published-as-they-are files (the theme's
    static files by their hashed names, content images); `first` is whether this is the site's first language,
    which makes the outputs that exist once per site."""

    def __init__(self, site: Site, language: Language, router: Router, files: dict[str, bytes] | None = None,
                 fragments: Fragments | None = None, first: bool = True,
                 languages: tuple[tuple[Language, Router], ...] = ()) -> None:
        self.site = site
        self.language = language
        self.router = router
        #: Every language of the site with its Router, the first the site's own (the language switcher, hreflang).
        self.languages = languages or ((language, router),)
        #: The pages of the other languages, for the sitemap (which is made once, by the first language).
        self.sitemap_extra: tuple[str, ...] = ()
        self.w = Wording(language, site.tz)
        self.config = site.config
        self.files = files or {}
        self.fragments = fragments or Fragments(lambda kind, value: f"{kind}:{id(value)}")
        self.first = first
        self._related: dict[object, tuple[list[Activity], list[Activity]]] = {}  # see more_like
        self._cards: dict[str, CardView] = {}
        self._subscriptions: dict[tuple[str, str, str], Subscription] = {}
        self._once: dict[Any, Any] = {}
        #: The outputs to make, by route and parameters: None for every output (a full build), else only these
        #: (a patched build re-plans the outputs that show what changed; build.py). Every route's method asks
        #: `wants` before it makes an output's context, so the others cost nothing.
        self.wanted: dict[str, set[tuple[tuple[str, str], ...]]] | None = None
        self._positions: dict[str, int] | None = None  # each activity's place in the catalogue, by slug

    def once(self, name: Any, make: Callable[[], T]) -> T:
        """A value made once per build in this language (the VTIMEZONE, an activity's RSS texts)."""
        if name not in self._once:
            self._once[name] = make()
        return self._once[name]  # type: ignore[no-any-return]

    def fragment(self, kind: str, value: Any, make: Callable[[], bytes]) -> bytes:
        return self.fragments.get(kind, value, make)

    def outputs(self) -> Iterator[Output]:
        """Every output of the site in this language, in the order of the route table. The sitemap lists the
        pages made before it (it comes after every page in the table)."""
        pages: list[str] = []
        for route in ROUTES:
            if route.once and not self.first:
                continue
            if route.name == "sitemap":
                if self.wants("sitemap"):
                    yield self.out("sitemap", {"paths": tuple(self.router.absolute(p)
                                                              for p in (*pages, *self.sitemap_extra))})
                continue
            for output in route.outputs(self):
                if route.page and route.sitemap:
                    pages.append(output.path)
                yield output

    def out(self, route: str, context: Any, **params: str) -> Output:
        return Output(BY_NAME[route], self.router.path(route, **params), context, tuple(sorted(params.items())))

    def translations(self, output: Output) -> tuple[Translation, ...]:
        """The same page in every language of the site (this one included), for the language switcher and the
        hreflang alternates; a page made once for the whole site (404) has the home page of each."""
        if len(self.languages) < 2:
            return ()
        params = dict(output.params)
        page = int(params.pop("page", "1"))
        found = []
        for language, router in self.languages:
            path = router.path("home") if output.route.once else router.page(router.path(output.route.name, **params),
                                                                              page)
            found.append(Translation(language.tag, AUTONYMS.get(language.code, language.code), path,
                                     language.code == self.language.code))
        return tuple(found)

    def wants(self, route: str, **params: str) -> bool:
        """Whether this build makes the output of `route` with these parameters."""
        return self.wanted is None or tuple(sorted(params.items())) in self.wanted.get(route, ())

    def wants_some(self, route: str, **params: str) -> bool:
        """Whether this build makes any output of `route` with these parameters and others (a listing's pages)."""
        return self.wanted is None or next(self._wanted_with(route, params), None) is not None  # (() is falsy)

    def wanted_pages(self, route: str, **params: str) -> set[int] | None:
        """The numbers of the pages of a listing (`route` with these parameters and a `page`) this build makes;
        None for all of them."""
        if self.wanted is None:
            return None
        return {int(dict(wanted)["page"]) for wanted in self._wanted_with(route, params)}

    def _wanted_with(self, route: str, params: dict[str, str]) -> Iterator[tuple[tuple[str, str], ...]]:
        """The wanted outputs of `route` whose parameters include these."""
        items = params.items()
        return (wanted for wanted in (self.wanted or {}).get(route, ()) if all(item in wanted for item in items))

    # --- shared pieces ---------------------------------------------------------------------------------------

    def card(self, activity: Activity) -> CardView:
        """An activity's card at `now`, worded once per build."""
        found = self._cards.get(activity.slug)
        if found is None:
            state = self.site.cards[activity.slug]
            every = len(self.site.catalog.vocabularies.art_forms)
            found = self._cards[activity.slug] = CardView(
                activity.slug, self.router.url(activity), activity.title, activity.start.isoformat(),
                self.w.when(activity), self.w.more_sessions(activity), activity.type.name, self.w.place(activity),
                self.w.price(activity), self.w.professions(activity),
                self.w.deadline_line(activity) if state.deadline else None, self.badges(activity, state),
                self.w.art_forms(activity, every), self.art(activity), self.photo(activity),
                self.after_line(activity) if state.past else None, self.shown_in(activity, "title"))
        return found

    def photo(self, record: Activity | Venue) -> Photo | None:
        """An activity's or a venue's photo in its published sizes (photos.py), or None."""
        image = record.image
        if image is None:
            return None
        webp = photos.sizes_of(image, "WEBP")
        fallback = photos.sizes_of(image, photos.fallback_format(image))
        largest = fallback[-1]
        return Photo(tuple((d.path, d.width) for d in webp), tuple((d.path, d.width) for d in fallback),
                     largest.media_type, fallback[min(1, len(fallback) - 1)].path, largest.width, largest.height,
                     record.image_alt or "")

    def shared_image(self, activity: Activity) -> photos.Derivative | None:
        """The size of an activity's photo that Open Graph, JSON-LD and the feeds point at."""
        return photos.shared(activity.image) if activity.image else None

    def shown_in(self, record: Any, field: str) -> str | None:
        """The language a record's text is shown in when it is not the page's: the site's own, on a page of
        another language that has none of its own (translate.py); else None."""
        return self.config.language if field in record.swedish else None

    def after_line(self, activity: Activity) -> str | None:
        """What a past activity's card says of what it led to: '14 deltagare · 2 material'."""
        parts = []
        if activity.outcome is not None and activity.outcome.participants is not None:
            n = activity.outcome.participants
            parts.append(self.w.ngettext("{number} participant", "{number} participants", n,
                                         number=self.w.number(n)))
        if activity.materials:
            n = len(activity.materials)
            parts.append(self.w.ngettext("{number} material", "{number} materials", n, number=self.w.number(n)))
        return " · ".join(parts) or None

    def art(self, activity: Activity) -> str:
        """The art form an activity's card and page carry the colour and emblem of: its first, unless it has
        every art form."""
        every = len(self.site.catalog.vocabularies.art_forms)
        return activity.art_forms[0].slug if activity.art_forms and len(activity.art_forms) < every else ALL_ARTS

    def identity(self) -> tuple[str, str]:
        """The art forms' marks for every page: an SVG sprite of their emblems (`#em-<slug>`, and `#em-alla`)
        and the CSS of their colours (`.af-<slug>`: light and dark)."""
        from .emblems import DEFAULT, symbol

        terms = self.site.catalog.vocabularies.art_forms.values()
        sprite = "".join(symbol(t.emblem or DEFAULT, f"em-{t.slug}") for t in terms) + symbol(DEFAULT, f"em-{ALL_ARTS}")
        css = "".join(f".af-{t.slug}{{--af-l:{t.colour};--af-d:{t.colour_dark}}}" for t in terms
                      if t.colour and t.colour_dark)
        return sprite, css

    def badges(self, activity: Activity, state: Card) -> tuple[Badge, ...]:
        badges = []
        if state.status != "scheduled":
            badges.append(Badge(state.status, self.w.status(state.status)))
        if state.soon and activity.registration is not None:
            badges.append(Badge("soon", self.w.deadline_soon(activity.registration)))
        if state.draft:
            badges.append(Badge("draft", self.w._("Draft")))
        return tuple(badges)

    def cards(self, activities: Iterable[Activity]) -> tuple[CardView, ...]:
        return tuple(self.card(a) for a in activities)

    def pager(self, pager: Pager[Activity]) -> Pager[CardView]:
        return Pager(self.cards(pager.items), pager.number, pager.urls)

    def subscription(self, feed: Feed) -> Subscription:
        key = (feed.facet.key if feed.facet else "", feed.term.slug if feed.term else "",
               feed.cross.slug if feed.cross else "")
        found = self._subscriptions.get(key)
        if found is None:
            ics, rss = self.feed_paths(feed)
            name = self.feed_name(feed)
            found = self._subscriptions[key] = Subscription(
                name, self.w._("{site} – {name}", site=self.config.title, name=name), ics, rss,
                self.router.absolute(ics), self.router.absolute(rss))
        return found

    def feed_paths(self, feed: Feed) -> tuple[str, str]:
        """The calendar and the RSS feed of a feed, site-relative."""
        if feed.facet is None or feed.term is None:
            return self.router.path("site-ics"), self.router.path("site-rss")
        if feed.cross is None:
            params = {"facet": feed.facet.key, "term": feed.term.slug}
            return self.router.path("term-ics", **params), self.router.path("term-rss", **params)
        params = {"facet": feed.facet.key, "term": feed.term.slug, "cross": feed.cross.slug}
        return self.router.path("crossed-ics", **params), self.router.path("crossed-rss", **params)

    def feed_name(self, feed: Feed) -> str:
        if feed.term is None:
            return self.w._("All activities")
        if feed.cross is not None:
            return self.w._("{term} in {place}", term=feed.term.name, place=feed.cross.name)
        return self.w.term_name(feed.term)

    def feed_page(self, feed: Feed) -> str:
        if feed.facet is None or feed.term is None:
            return self.router.path("activities")
        return self.router.term(feed.facet, feed.term.slug)

    def feed_view(self, feed: Feed) -> FeedView:
        sub = self.subscription(feed)
        window = self.w._("upcoming activities and those that took place in the last six months")
        if feed.facet is None or feed.term is None:
            description = self.w._("{site}: {window}.", site=self.config.title, window=window)
        else:
            subject = self.w._(feed.facet.subject, name=feed.term.name)
            if feed.cross is not None:
                subject = self.w._("{subject} in {place}", subject=subject, place=feed.cross.name)
            description = self.w._("{site}, {subject}: {window}.", site=self.config.title, subject=subject,
                                   window=window)
        feeds = self.site.feeds
        last = feeds.last_change(feed.activities, feeds.last_change(feeds.window))
        return FeedView(sub.name, sub.calendar_name, description, self.router.absolute(self.feed_page(feed)),
                        sub.https, sub.rss_url, feed.activities, tuple(feeds.newest(feed)), last)

    def term_feed(self, tp: TermPage) -> Feed:
        return self.site.feeds.terms[(tp.facet.key, tp.term.slug)]

    def crossed(self, tp: TermPage) -> list[Subscription]:
        """The feeds of a term crossed with each term of the facet its facet crosses (a profession per region)."""
        return [self.subscription(feed) for feed in self.crossed_feeds(tp)]

    def crossed_feeds(self, tp: TermPage) -> list[Feed]:
        if tp.facet.crosses is None:
            return []
        other = BY_KEY[tp.facet.crosses]
        return [self.site.feeds.crossed[(tp.facet.key, tp.term.slug, slug)] for slug in self.vocabulary(other)]

    def vocabulary(self, facet: Facet) -> dict[str, Term]:
        from .facets import vocabulary

        return vocabulary(facet, self.site.catalog.vocabularies)

    def alternates(self, tp: TermPage | None = None) -> tuple[Subscription, ...]:
        """The feeds a page names in its head (<link rel="alternate">): its own, then the whole calendar's."""
        whole = self.subscription(self.site.feeds.site)
        return (self.subscription(self.term_feed(tp)), whole) if tp is not None else (whole,)

    def page(self, canonical: str | None, **context: Any) -> dict[str, Any]:
        """A page's context with what base.html needs of it: its canonical address and its feeds.

        A context holds the records it shows (or their cards), not only texts made of them: the build keeps, per
        output, the records it shows (keys.py), and a patched build re-plans the outputs that show an edited
        record. Where a page shows only texts of records (a list of names), `shows` names the records."""
        context.setdefault("alternates", self.alternates())
        return {"canonical": canonical, **context}

    def related(self, related: Related) -> dict[str, tuple[CardView, ...]]:
        return {"upcoming": self.cards(related.upcoming), "past": self.cards(related.past)}

    # --- pages -----------------------------------------------------------------------------------------------

    def home(self) -> Iterator[Output]:
        if not self.wants("home"):
            return
        site = self.site
        month = site.current_month
        deadlines = tuple((r.deadline, self.card(a), self.w.registration_noun(r))
                          for a in site.deadlines if (r := a.registration) is not None)
        professions = BY_KEY["professions"]
        picker = tuple((group.name if group else None,
                        tuple(Pick(tp.term.name, tp.term.slug, self.router.url(tp)) for tp in self.alphabetical(pages)))
                       for group, pages in site.facet(professions.key).groups)
        entries = []
        for facet in sorted((f for f in FACETS if f.entry), key=lambda f: f.entry or 0):
            index = site.facet(facet.key)
            members = next((f for f in FACETS if f.group_by == facet.key), None)
            more = Link(self.w._(members.any_label), self.router.path("facet", facet=members.key)) if members else None
            entries.append((facet.key, self.w._(facet.title), self.term_links(index), more))
        others = tuple(Link(self.w._(f.title), self.router.path("facet", facet=f.key))
                       for f in FACETS if not f.entry and not f.menu and not f.group_by)
        yield self.out("home", self.page(
            self.router.path("home"), cards=self.cards(site.upcoming[:HOME_CARDS]), total=len(site.upcoming),
            month=Link(self.w.month_year(month.first), self.router.month(month.ref)),
            deadlines=deadlines, entries=tuple(entries), others=others, picker=picker,
            picker_param=self.router.segment(professions.param), all_professions=self.router.path(
                "facet", facet=professions.key), listing=self.router.path("activities"),
            **self.taught_in()))

    def taught_in(self) -> dict[str, Link]:
        """On the home page of a translation: a link to the activities taught in its language (the language
        facet's page of the term whose slug is the language's code, /en/languages/en/), when there is one."""
        if self.language.code == self.config.language:
            return {}
        tp = self.site.term_pages.get(("languages", self.language.code))
        if tp is None:
            return {}
        return {"taught_in": Link(self.w._("Activities taught in English"), self.router.url(tp))}

    def term_links(self, index: FacetIndex) -> tuple[TermLink, ...]:
        return tuple(TermLink(tp.term.name, self.router.url(tp), tp.count, tp.term.slug) for tp in index.terms)

    def alphabetical(self, pages: Iterable[TermPage]) -> list[TermPage]:
        """Terms in the alphabetical order of the page's language (å, ä, ö last in Swedish)."""
        from .text import collation_key

        return sorted(pages, key=lambda tp: collation_key(tp.term.name, self.language.code))

    def not_found(self) -> Iterator[Output]:
        if not self.wants("not-found"):
            return
        links = {name: self.router.path(name) for name in ("archive", "activities", "calendar")}
        links["professions"] = self.router.path("facet", facet="professions")
        yield self.out("not-found", {"canonical": None, "alternates": self.alternates(), "links": links})

    def activities(self) -> Iterator[Output]:
        if not self.wants_some("activities"):
            return
        base = self.router.path("activities")
        yield from self._listing("activities", base, self.site.upcoming, {}, title=self.w._("Upcoming activities"),
                                 past_url=self.router.path("archive"), year=None, summary=None,
                                 filter=self.filter_view(),
                                 subscription=self.subscription(self.site.feeds.site))

    def _listing(self, route: str, base: str, activities: tuple[Activity, ...], params: dict[str, str],
                 **context: Any) -> Iterator[Output]:
        for pager in paginate(activities, self.config.per_page, lambda n: self.router.page(base, n),
                              self.wanted_pages(route, **params)):
            page = self.pager(pager)
            yield Output(BY_NAME[route], page.url, self.page(page.url, pager=page, total=len(activities), **context),
                         tuple(sorted({**params, "page": str(pager.number)}.items())))

    def filter_view(self, facet: Facet | None = None, term: Term | None = None) -> Any:
        from .filters import filter_form

        return filter_form(self, facet, term)

    def wanted_activities(self, route: str) -> Sequence[Activity]:
        """The activities whose output of `route` (a parameter `slug`) this build makes, in the catalogue's order:
        a patch looks up the few it makes instead of asking `wants` of 10,000."""
        activities = self.site.catalog.activities
        if self.wanted is None:
            return activities
        if self._positions is None:
            self._positions = {a.slug: i for i, a in enumerate(activities)}
        slugs = (dict(params).get("slug") for params in self.wanted.get(route, ()) if len(params) == 1)
        return [activities[i] for i in sorted(self._positions[s] for s in slugs if s in self._positions)]

    def activity(self) -> Iterator[Output]:
        for a in self.wanted_activities("activity"):
            yield self.out("activity", self.activity_context(a), slug=a.slug)

    def activity_context(self, a: Activity) -> dict[str, Any]:
        from .findable import event_jsonld

        state = self.site.cards[a.slug]
        r = a.registration
        return self.page(
            self.router.url(a), a=a, card=self.card(a), state=state,
            jsonld=event_jsonld(self, a), image=self.shared_image(a),
            type_url=self.router.term(BY_KEY["types"], a.type.slug),
            city_url=self.router.term(BY_KEY["cities"], a.city.slug) if a.city else None,
            where=self.w.venue_lines(a), venue_url=self.router.url(a.venue) if a.venue else None,
            professions=tuple(
                Link(t.name + (self.w._(" (all)") if t.vocabulary == "categories" else ""),
                     self.router.term(BY_KEY["categories" if t.vocabulary == "categories" else "professions"], t.slug))
                for t in a.profession_selection),
            art_forms=tuple(Link(t.name, self.router.term(BY_KEY["art-forms"], t.slug)) for t in a.art_forms),
            languages=tuple(Link(t.name, self.router.term(BY_KEY["languages"], t.slug)) for t in a.languages),
            deadline_label=self.w.deadline_label(r) if r else None,
            accessibility=self.w.accessibility(a.accessibility),
            subscriptions=self.activity_subscriptions(a),
            choices=self.activity_choices(a),
            calendar=self.activity_calendar(a),
            organisers=tuple(Link(o.name, self.router.url(o)) for o in a.organisers),
            needs=tuple(Link(n.title, self.router.url(n)) for n in a.needs),
            after=self.after(a),
            action=self.action(a, state), map_url=self.map_url(a), art=self.art(a),
            arts=tuple(Link(t.name, self.router.term(BY_KEY["art-forms"], t.slug)) for t in a.art_forms),
            more=self.more_like(a),
        )

    def action(self, activity: Activity, state: Card) -> Link | None:
        """The one main action of an activity page ("Anmäl dig", "Ansök"), while one can still join."""
        r = activity.registration
        if r is None or state.past or activity.status in ("cancelled", "full"):
            return None
        if r.deadline is not None and state.deadline is None:
            return None  # the deadline has passed
        label = self.w._("Apply") if r.kind == "ansökan" else self.w._("Register")
        if r.url:
            return Link(label, r.url)
        if r.email:
            return Link(label, f"mailto:{r.email}?" + urlencode({"subject": activity.title}, quote_via=quote))
        return None

    def map_url(self, activity: Activity) -> str | None:
        """OpenStreetMap at the venue, when its coordinates are known (a link: the page loads nothing from it)."""
        if activity.venue is None or activity.mode == "online":
            return None
        return self.venue_map(activity.venue)

    def more_like(self, activity: Activity) -> tuple[str, tuple[CardView, ...]] | None:
        """"Fler för ljustekniker": a few upcoming activities for the activity's first profession (or category),
        or simply the next ones when it is for every profession."""
        site = self.site
        term = next(iter(activity.profession_selection), None)
        if term is None:
            heading, pool = self.w._("More upcoming activities"), site.upcoming
        else:
            key = "categories" if term.vocabulary == "categories" else "professions"
            heading = self.w._("More for {lower}", lower=term.name.lower())
            pool = site.term_pages[(key, term.slug)].upcoming
        # those that name the profession (or its category) first, then those for every profession, each in the
        # pool's order: the first RELATED + 1 of each kind are found once per pool (one may be this activity);
        # sorting the whole pool for each of N activities made the build grow with N squared
        memo = (term.vocabulary, term.slug) if term else None
        if memo not in self._related:
            named: list[Activity] = []
            every: list[Activity] = []
            for other in pool:  # (until both are found: at 10,000 a pool is thousands of stored records to read)
                if other.status != "cancelled":
                    kind = every if other.all_professions else named
                    if len(kind) <= RELATED:
                        kind.append(other)
                    elif len(named) > RELATED and len(every) > RELATED:
                        break
            self._related[memo] = named, every
        named, every = self._related[memo]
        found = tuple(a for a in (*named, *every) if a.slug != activity.slug)[:RELATED]
        return (heading, self.cards(found)) if found else None

    def activity_choices(self, activity: Activity) -> tuple[Subscription, ...]:
        """What an activity page offers to follow, most specific first: each of its professions (in its region
        when it has one), its profession categories as written, its region and its type; at most CHOICES."""
        feeds = self.site.feeds
        found: list[Feed] = []
        region = activity.region
        for term in activity.profession_selection:
            if term.vocabulary == "professions" and region and (
                    crossed := feeds.crossed.get(("professions", term.slug, region))):
                found.append(crossed)
            elif (feed := feeds.terms.get(("professions" if term.vocabulary == "professions" else "categories",
                                             term.slug))) is not None:
                found.append(feed)
        if region:
            found.append(feeds.terms[("regions", region)])
        found.append(feeds.terms[("types", activity.type.slug)])
        if len(found) > CHOICES:  # keep the region and the type, and as many professions as fit
            found = found[: CHOICES - (2 if region else 1)] + found[-(2 if region else 1):]
        return tuple({id(f): self.subscription(f) for f in found}.values())

    def activity_subscriptions(self, activity: Activity) -> tuple[Subscription, ...]:
        """The feeds an activity belongs to, most specific first: its professions (each also in the activity's
        region), profession categories as written, art forms (unless all), type, city, region, the whole site."""
        feeds = self.site.feeds
        found: list[Feed] = []

        def add(key: str, terms: Iterable[Term]) -> None:
            for term in terms:
                feed = feeds.terms.get((key, term.slug))
                if feed is not None and feed not in found:
                    found.append(feed)

        for term in activity.profession_selection:
            if term.vocabulary == "professions":
                add("professions", [term])
                if activity.region and (crossed := feeds.crossed.get(("professions", term.slug, activity.region))):
                    found.append(crossed)
            else:
                add("categories", [term])
        if len(activity.art_forms) < len(self.site.catalog.vocabularies.art_forms):
            add("art-forms", activity.art_forms)
        add("types", [activity.type])
        if activity.city:
            add("cities", [activity.city])
        if activity.region:
            add("regions", [self.site.catalog.vocabularies.regions[activity.region]])
        found.append(feeds.site)
        return tuple(self.subscription(f) for f in found)

    def activity_calendar(self, activity: Activity) -> dict[str, Any]:
        """The "add to calendar" block: the .ics download, its deadline's, and Google/Outlook links per session."""
        url = self.router.absolute(self.router.url(activity))
        multi = len(activity.sessions) > 1
        links = tuple(self._add_links(activity, s, self.w._("Session {index}: {when}", index=s.index,
                                                            when=self.w.session(s)) if multi else self.w.session(s),
                                      url)
                      for s in activity.sessions)
        r = activity.registration
        has_deadline = r is not None and r.deadline is not None
        return {
            "ics": self.router.path("activity-ics", slug=activity.slug),
            "deadline_ics": self.router.path("deadline-ics", slug=activity.slug) if has_deadline else None,
            "deadline_title": self.deadline_title(activity) if has_deadline else None,
            "sessions": links,
        }

    def deadline_title(self, activity: Activity) -> str:
        """'Sista anmälningsdag: <title>', marked when the activity is cancelled, postponed or fully booked."""
        assert activity.registration is not None
        text = self.w._("{label}: {title}", label=self.w.deadline_label(activity.registration), title=activity.title)
        return self.w.prefixed(activity, text, full=True)

    def session_title(self, activity: Activity, session: Session) -> str:
        title = self.w.prefixed(activity, activity.title)
        if len(activity.sessions) > 1:
            title = self.w._("{title} ({index}/{count})", title=title, index=session.index,
                             count=len(activity.sessions))
        return title

    def _add_links(self, activity: Activity, session: Session, label: str, url: str) -> AddLinks:
        title = self.session_title(activity, session)
        location = self.w.location(activity)
        tz = self.site.tz
        start = session.start.astimezone(tz)
        end = (session.end or session.start).astimezone(tz)
        if session.all_day:
            last = end.date().toordinal() + 1
            last_day = date.fromordinal(last)
            dates = f"{start:%Y%m%d}/{last_day:%Y%m%d}"
            outlook_times = (("startdt", start.date().isoformat()), ("enddt", last_day.isoformat()),
                             ("allday", "true"))
        else:
            dates = f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}"
            outlook_times = (("startdt", start.isoformat(timespec="seconds")),
                             ("enddt", end.isoformat(timespec="seconds")), ("allday", "false"))
        return AddLinks(label, title, activity.summary, url, location, self.config.timezone, dates, outlook_times)

    def facet(self) -> Iterator[Output]:
        """A facet's terms: within each group (a profession category, a region) alphabetically; an ungrouped
        facet in the order of vocabularies.yml (art forms, types, languages are chosen orders)."""
        for index in self.site.facets:
            if not self.wants("facet", facet=index.facet.key):
                continue
            groups = tuple((group.name if group else None,
                            tuple(TermLink(tp.term.name, self.router.url(tp), tp.count)
                                  for tp in (self.alphabetical(pages) if group else pages)))
                           for group, pages in index.groups)
            url = self.router.path("facet", facet=index.facet.key)
            yield self.out("facet", self.page(url, title=self.w._(index.facet.title), groups=groups),
                           facet=index.facet.key)

    def term(self) -> Iterator[Output]:
        for index in self.site.facets:
            for tp in index.terms:
                params = {"facet": tp.facet.key, "term": tp.term.slug}
                if not self.wants_some("term", **params):
                    continue
                base = self.router.url(tp)
                feed = self.term_feed(tp)
                yield from self._listing(
                    "term", base, tp.upcoming, params, **self._term(tp, False),
                    filter=self.filter_view(tp.facet, tp.term),
                    subscription=self.subscription(feed), crossed=tuple(self.crossed(tp)),
                    alternates=self.alternates(tp))

    def term_past(self) -> Iterator[Output]:
        for index in self.site.facets:
            for tp in index.terms:
                params = {"facet": tp.facet.key, "term": tp.term.slug}
                if not tp.past or not self.wants_some("term-past", **params):
                    continue
                base = self.router.path("term-past", **params)
                yield from self._listing(
                    "term-past", base, tp.past, params, **self._term(tp, True),
                    filter=None, subscription=self.subscription(self.term_feed(tp)), crossed=tuple(self.crossed(tp)),
                    alternates=self.alternates(tp))

    def _term(self, tp: TermPage, past: bool) -> dict[str, Any]:
        from .programmes import programme_url

        facet = tp.facet
        subject = self.w._(facet.subject, name=tp.term.name)
        if past:
            description = self.w._("Past activities: {subject}. {site}.", subject=subject, site=self.config.title)
        else:
            description = self.w._("Upcoming activities: {subject}. {site}.", subject=subject, site=self.config.title)
        return {
            "term": tp.term, "past": past, "description": description,
            # a term with a colour or an emblem of its own (an art form) carries its mark on its pages
            "art": tp.term.slug if tp.term.colour or tp.term.emblem else None,
            "crumb": Link(self.w._(facet.title), self.router.path("facet", facet=facet.key)),
            "upcoming_url": self.router.url(tp), "upcoming_count": len(tp.upcoming),
            "past_url": self.router.path("term-past", facet=facet.key, term=tp.term.slug) if tp.past else None,
            "past_count": len(tp.past), "wish": self.term_wish(tp),
            "programme_url": programme_url(self, tp),
        }

    # --- needs: the listing, a need's page and path, the wish form, the needs' feed and data ----------------

    def needs_in_order(self) -> list[Need]:
        """By status (reported, being planned, answered, closed), then the newest report first."""
        from .model import NEED_STATUSES

        return sorted(self.site.catalog.needs.values(),
                      key=lambda n: (NEED_STATUSES.index(n.status), -n.reported.toordinal(), n.slug))

    def need_card(self, need: Need) -> NeedCard:
        w = self.w
        path = self.site.need_paths[need.slug]
        answers = len(path.upcoming) + len(path.past)
        return NeedCard(
            need.slug, self.router.url(need), need.title, need.reported.isoformat(),
            w._("Reported {date}", date=w.date_medium(need.reported)),
            Badge(f"need-{need.status}", w.need_status(need.status)), self.need_audience(need), self.need_place(need),
            w.ngettext("{number} has asked for it", "{number} have asked for it", need.interest,
                       number=w.number(need.interest)) if need.interest else None,
            w.ngettext("{number} activity", "{number} activities", answers, number=w.number(answers))
            if answers else None, self.shown_in(need, "title"))

    def need_audience(self, need: Need) -> str:
        if need.all_professions:
            return self.w._("All professions")
        return ", ".join(t.name for t in need.professions)

    def need_place(self, need: Need) -> str | None:
        """The need's cities, and the regions none of them is in: 'Malmö, Lund, Blekinge'."""
        covered = {c.region for c in need.cities}
        names = [c.name for c in need.cities] + [r.name for r in need.regions if r.slug not in covered]
        return ", ".join(names) or None

    def wish_url(self, *params: tuple[str, str]) -> str:
        """The wish form, pre-filled by its query: ('yrke', 'ljustekniker'), ('behov', slug) …"""
        query = urlencode([(self.router.segment(key), value) for key, value in params])
        return self.router.path("wish") + (f"?{query}" if query else "")

    def term_wish(self, tp: TermPage) -> str:
        return self.wish_url((tp.facet.param, tp.term.slug))

    def needs(self) -> Iterator[Output]:
        if not self.wants("needs"):
            return
        from .filters import needs_form

        headings = {"open": self.w._("Reported needs"), "planned": self.w._("Needs being planned"),
                    "answered": self.w._("Answered needs"), "closed": self.w._("Closed needs")}
        groups: dict[str, list[NeedCard]] = {}
        for n in self.needs_in_order():
            groups.setdefault(n.status, []).append(self.need_card(n))
        yield self.out("needs", self.page(
            self.router.path("needs"), groups=tuple((status, headings[status], tuple(cards))
                                                    for status, cards in groups.items()),
            total=len(self.site.catalog.needs), filter=needs_form(self), wish=self.wish_url(),
            rss=self.router.path("needs-rss"), data=self.router.path("needs-data"),
            statistics=self.router.path("statistics")))

    def need(self) -> Iterator[Output]:
        for n in self.site.catalog.needs.values():
            if not self.wants("need", slug=n.slug):
                continue
            reporters = tuple(Link(o.name, self.router.url(o)) for o in n.reporters)
            params = [("need", n.slug), ("title", n.title)]
            params += [] if n.all_professions else [("profession", t.slug) for t in n.professions]
            params += [("art-form", t.slug) for t in n.art_forms if len(n.art_forms) < len(
                self.site.catalog.vocabularies.art_forms)]
            params += [("city", t.slug) for t in n.cities[:1]] or [("region", t.slug) for t in n.regions[:1]]
            yield self.out("need", self.page(
                self.router.url(n), need=n, card=self.need_card(n), reporters=reporters,
                steps=self.need_steps(n), results=self.need_results(n), wish=self.wish_url(*params),
                **self.related(self.site.by_need[n.slug])), slug=n.slug)

    def need_steps(self, need: Need) -> tuple[PathStep, ...]:
        """Reported → being planned → the activities that answer it → what they led to (→ closed)."""
        w = self.w
        path = self.site.need_paths[need.slug]
        who = [*(o.name for o in need.reporters), *need.reported_by]
        reported = [w._("{date} by {who}", date=w.date_medium(need.reported), who=", ".join(who)) if who
                    else w.date_medium(need.reported)]
        if need.interest:
            reported.append(w.ngettext("{number} has asked for it", "{number} have asked for it", need.interest,
                                       number=w.number(need.interest)))
        planned: list[str] = []
        if need.status == "planned" and need.status_note:
            planned.append(need.status_note)
        announced = [a.published for a in (*path.upcoming, *path.past) if a.published]
        if announced:
            planned.append(w._("The first activity was announced {date}", date=w.date_medium(min(announced))))
        answered: list[str] = []
        if path.upcoming:
            answered.append(w.ngettext("{number} upcoming activity", "{number} upcoming activities",
                                       len(path.upcoming), number=w.number(len(path.upcoming))))
        if path.past:
            answered.append(w.ngettext("{number} past activity", "{number} past activities", len(path.past),
                                       number=w.number(len(path.past))))
        results: list[str] = []
        if path.participants is not None:
            results.append(w.ngettext("{number} participant", "{number} participants", path.participants,
                                      number=w.number(path.participants)))
        if path.organisations is not None:
            results.append(w.ngettext("{number} organisation took part", "{number} organisations took part",
                                      path.organisations, number=w.number(path.organisations)))
        materials = sum(len(a.materials) for a in path.results)
        if materials:
            results.append(w.ngettext("{number} material to download or watch", "{number} materials to download or "
                                      "watch", materials, number=w.number(materials)))
        steps = [("reported", w.need_status("open"), True, reported, None),
                 ("planned", w._("Being planned"), path.planned, planned, None),
                 ("answered", w._("Activities that answer the need"), path.answered, answered, "aktiviteter"),
                 ("results", w._("What they led to"), bool(path.results), results,
                  "resultat" if path.results else None)]
        if need.status == "closed":
            steps.append(("closed", w._("Closed"), True, [need.status_note] if need.status_note else [], None))
        # The need stands at the last step it has reached; once it has led somewhere (or is closed), all are done.
        reached = [key for key, _label, done, _lines, _anchor in steps if done]
        current = None if reached[-1] in ("results", "closed") else reached[-1]
        return tuple(PathStep(key, label, done and key != current, key == current, tuple(lines), anchor)
                     for key, label, done, lines, anchor in steps)

    def need_results(self, need: Need) -> tuple[ResultView, ...]:
        return tuple(ResultView(a.title, self.router.url(a), self.w.when(a), after)
                     for a in self.site.need_paths[need.slug].results if (after := self.after(a)) is not None)

    def after(self, activity: Activity) -> AfterView | None:
        """What a past activity led to: its outcome's numbers, the evaluation and the materials (None if neither
        is recorded, or the activity has not taken place)."""
        if not self.site.cards[activity.slug].past or (activity.outcome is None and not activity.materials):
            return None
        w = self.w
        facts: list[tuple[str, str]] = []
        outcome = activity.outcome
        if outcome is not None:
            if outcome.participants is not None:
                facts.append((w._("Participants"), w.number(outcome.participants)))
            if outcome.by_category:
                facts.append((w._("Participants per professional category"), ", ".join(
                    w._("{category}: {number}", category=term.name, number=w.number(n))
                    for term, n in outcome.by_category)))
            if outcome.organisations is not None:
                facts.append((w._("Organisations taking part"), w.number(outcome.organisations)))
        materials = tuple(
            MaterialView(m.title, m.file, w._("{kind}, {size}", kind=w.file_kind(m.file), size=w.file_size(m.size)))
            if m.file is not None and m.size is not None else MaterialView(m.title, m.url or "", None)
            for m in activity.materials)
        return AfterView(tuple(facts), outcome.evaluation if outcome else None, materials)

    def needs_index(self) -> Iterator[Output]:
        from .filters import needs_index_context

        if self.wants("needs-index"):
            yield self.out("needs-index", needs_index_context(self))

    def needs_rss(self) -> Iterator[Output]:
        """The needs an organiser can act on (reported and being planned), the newest report first."""
        from markupsafe import Markup

        if not self.wants("needs-rss"):
            return
        from .feeds.tables import FeedItem, ItemFeed

        w = self.w
        tz = self.site.tz
        items = []
        acting = sorted((n for n in self.site.catalog.needs.values() if n.status in ("open", "planned")),
                        key=lambda n: (-n.reported.toordinal(), n.slug))
        for n in acting:
            card = self.need_card(n)
            url = self.router.absolute(card.url)
            facts = [(w._("Status"), card.status.label), (w._("Professions"), card.audience)]
            facts += [(w._("Art forms"), ", ".join(t.name for t in n.art_forms))] if n.art_forms else []
            facts += [(w._("Where"), card.place)] if card.place else []
            facts += [(w._("Interest"), card.interest)] if card.interest else []
            rows = Markup("").join(Markup("<li><strong>{}:</strong> {}</li>").format(k, v) for k, v in facts)
            description = str(Markup("<ul>{}</ul>{}<p><a href=\"{}\">{}</a></p>").format(
                rows, Markup(n.body_html), url, w._("Read more on the website")))
            items.append(FeedItem(n.title, url, description, url,
                                  datetime.combine(n.reported, datetime.min.time(), tzinfo=tz),
                                  tuple(t.name for t in (*n.professions, *n.art_forms))))
        last = max((i.published for i in items), default=datetime(2000, 1, 1, tzinfo=tz))
        yield self.out("needs-rss", ItemFeed(
            w._("{site} – Needs", site=self.config.title), self.router.absolute(self.router.path("needs")),
            w._("Competence needs that professionals have reported to {site} and that no activity answers yet: for "
                "organisers who want to offer something.", site=self.config.title),
            self.router.absolute(self.router.path("needs-rss")), last, tuple(items), tuple(acting)))

    def needs_data(self) -> Iterator[Output]:
        """/behov/behov.json: every need as open data (fields in the README)."""
        if not self.wants("needs-data"):
            return
        router, w = self.router, self.w

        def terms(items: tuple[Term, ...]) -> list[dict[str, str]]:
            return [{"slug": t.slug, "name": t.name} for t in items]

        records = []
        for n in self.needs_in_order():
            path = self.site.need_paths[n.slug]
            records.append({
                "slug": n.slug, "url": router.absolute(router.url(n)), "title": n.title,
                "status": n.status, "status_label": w.need_status(n.status), "status_note": n.status_note,
                "reported": n.reported.isoformat(),
                "reported_by": {"organisations": [{"slug": o.slug, "name": o.name,
                                                   "url": router.absolute(router.url(o))} for o in n.reporters],
                                "text": list(n.reported_by)},
                "interest": n.interest, "all_professions": n.all_professions,
                "professions": terms(n.professions), "profession_categories": terms(n.categories),
                "art_forms": terms(n.art_forms), "regions": terms(n.regions), "cities": terms(n.cities),
                "activities": [{"slug": a.slug, "title": a.title, "url": router.absolute(router.url(a)),
                                "start": a.start.astimezone(self.site.tz).isoformat(),
                                "past": self.site.cards[a.slug].past} for a in (*reversed(path.past), *path.upcoming)],
                "first_activity": path.first_answer.isoformat() if path.first_answer else None,
                "participants": path.participants,
                "description": n.body_html,
            })
        yield self.out("needs-data", {
            "shows": tuple((n, *self.site.need_paths[n.slug].past, *self.site.need_paths[n.slug].upcoming)
                           for n in self.needs_in_order()),
            "version": 1, "title": w._("{site} – Needs", site=self.config.title),
            "home_page_url": router.absolute(router.path("needs")),
            "wish_url": router.absolute(router.path("wish")), "count": len(records), "needs": records})

    def statistics(self) -> Iterator[Output]:
        from .figures import statistics_context

        if self.wants("statistics"):
            yield self.out("statistics", self.page(self.router.path("statistics"), **statistics_context(self)))

    def statistics_csv(self) -> Iterator[Output]:
        from .figures import csv_tables

        if not self.wants_some("statistics-csv"):
            return
        for word, table in csv_tables(self):
            yield self.out("statistics-csv", table, table=word)

    def wish(self) -> Iterator[Output]:
        from .wish import wish_context

        if self.wants("wish"):
            yield self.out("wish", self.page(self.router.path("wish"), **wish_context(self)))

    def organisations(self) -> Iterator[Output]:
        if not self.wants("organisations"):
            return
        shown = sorted(self.site.catalog.organisations.values(), key=lambda o: o.name)
        rows = tuple(TermLink(o.name, self.router.url(o), len(self.site.by_organisation[o.slug].upcoming))
                     for o in shown)
        yield self.out("organisations", self.page(self.router.path("organisations"), rows=rows, shows=tuple(shown)))

    def organisation(self) -> Iterator[Output]:
        for o in self.site.catalog.organisations.values():
            if not self.wants_some("organisation", slug=o.slug):
                continue
            yield from self._related_pages("organisation", self.router.url(o), self.site.by_organisation[o.slug],
                                           {"slug": o.slug}, organisation=o)

    def _related_pages(self, route: str, base: str, related: Related, params: dict[str, str],
                       **context: Any) -> Iterator[Output]:
        """A record's page with its activities, upcoming then past, paginated like the listings (a long-lived
        organiser or venue gathers hundreds): page 1 at `base`, page n at <base>sida/<n>/."""
        upcoming = len(related.upcoming)
        everything = (*related.upcoming, *related.past)
        for pager in paginate(everything, self.config.per_page, lambda n: self.router.page(base, n),
                              self.wanted_pages(route, **params)):
            first = (pager.number - 1) * self.config.per_page
            shown = range(first, first + len(pager.items))
            page: Pager[CardView] = Pager((), pager.number, pager.urls)  # the cards are upcoming and past
            yield Output(BY_NAME[route], pager.url, self.page(
                pager.url, pager=page, total=len(everything),
                upcoming=self.cards(everything[i] for i in shown if i < upcoming),
                past=self.cards(everything[i] for i in shown if i >= upcoming),
                upcoming_total=upcoming, past_total=len(related.past), **context),
                tuple(sorted({**params, "page": str(pager.number)}.items())))

    def venues(self) -> Iterator[Output]:
        if not self.wants("venues"):
            return
        shown = sorted(self.site.catalog.venues.values(), key=lambda v: v.name)
        rows = tuple((TermLink(v.name, self.router.url(v), len(self.site.by_venue[v.slug].upcoming)), v.city.name)
                     for v in shown)
        yield self.out("venues", self.page(self.router.path("venues"), rows=rows, shows=tuple(shown)))

    def venue(self) -> Iterator[Output]:
        for v in self.site.catalog.venues.values():
            if not self.wants_some("venue", slug=v.slug):
                continue
            yield from self._related_pages("venue", self.router.url(v), self.site.by_venue[v.slug], {"slug": v.slug},
                                           venue=v, photo=self.photo(v),
                                           accessibility=self.w.accessibility(v.accessibility),
                                           map_url=self.venue_map(v))

    @staticmethod
    def venue_map(venue: Any) -> str | None:
        if venue.coordinates is None:
            return None
        lat, lon = venue.coordinates
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    def subscribe(self) -> Iterator[Output]:
        if not self.wants("subscribe"):
            return
        sections = []
        for index in self.site.facets:
            groups = tuple(
                (group.name if group else None,
                 tuple((self.subscription(self.term_feed(tp)), self.term_feed(tp).count,
                        tuple((self.subscription(f), f.count) for f in self.crossed_feeds(tp)))
                       for tp in (self.alphabetical(pages) if group else pages)))
                for group, pages in index.groups)
            note = None
            if index.facet.crossed_note and index.facet.crosses:
                example = next(iter(self.vocabulary(BY_KEY[index.facet.crosses]).values()), None)
                note = self.w._(index.facet.crossed_note, example=example.name if example else "")
            total = sum(1 + len(extra) for _group, rows in groups for _sub, _count, extra in rows)
            sections.append((index.facet.key, self.w._(index.facet.title), groups, note, total))
        files = {name: self.router.absolute(self.router.path(name))
                 for name in ("changes-rss", "json-feed", "open-data")}
        yield self.out("subscribe", self.page(self.router.path("subscribe"),
                                              everything=self.subscription(self.site.feeds.site),
                                              everything_count=self.site.feeds.site.count,
                                              sections=tuple(sections), files=files,
                                              example=next((self.subscription(f)
                                                            for f in self.site.feeds.crossed.values()), None),
                                              archive_url=self.router.path("archive"),
                                              embed_url=self.router.path("embed")))

    def calendar(self) -> Iterator[Output]:
        if not self.wants("calendar"):
            return
        current = self.site.current_month
        years: dict[int, list[CalendarMonth]] = {}
        for m in self.site.months:
            if m.activities or m is current:
                years.setdefault(m.year, []).append(m)
        rows = tuple((year, tuple((Link(self.w.month_year(m.first), self.router.month(m.ref)), len(m.activities),
                                   m is current) for m in months))
                     for year, months in sorted(years.items(), reverse=True))
        # /kalender/ opens on the month of now, as its own page shows it, with every month listed below
        yield self.out("calendar", self.page(self.router.path("calendar"), years=rows,
                                             this_month=Link(self.w.month_year(current.first),
                                                             self.router.month(current.ref)),
                                             **self.month_context(current)))

    def month(self) -> Iterator[Output]:
        for m in self.site.months:
            if not self.wants("month", year=str(m.year), month=f"{m.month:02d}"):
                continue
            yield self.out("month", self.page(self.router.month(m.ref), **self.month_context(m)),
                           year=str(m.year), month=f"{m.month:02d}")

    def month_context(self, m: CalendarMonth) -> dict[str, Any]:
        """What a month's grid shows (the month page, and the calendar page for the month of now)."""
        def ref(r: Any) -> Link | None:
            return Link(self.w.month_year(r.first), self.router.month(r)) if r else None

        weeks = tuple((w.number, tuple(
            None if d is None else (d.date, d.today, self.w.date_long(d.date),
                                    tuple(self.day_entry(e) for e in d.entries))
            for d in w.days)) for w in m.weeks)
        return {"name": self.w.month_year(m.first), "title": self.w.month_title(m.first), "weeks": weeks,
                "count": len(m.activities), "previous": ref(m.previous), "next": ref(m.next),
                "earlier": ref(m.earlier), "later": ref(m.later),
                "current": ref(m.current) if m.current != m.ref else None, "weekdays": self.w.weekdays()}

    def day_entry(self, entry: DayEntry) -> dict[str, Any]:
        session, activity = entry.session, entry.activity
        w = self.w
        if entry.part == "day":
            time = w._("all day")
        elif entry.part == "start":
            time = w._("from {time}", time=w.clock(session.start))
        elif entry.part == "end":
            time = w._("until {time}", time=w.clock(session.end or session.start))
        elif session.end is not None:
            time = w._("{start}–{end}", start=w.clock(session.start), end=w.clock(session.end))
        else:
            time = w.clock(session.start)
        card = self.card(activity)
        return {"card": card, "time": time, "title": activity.title, "url": card.url,
                "part": w.session_label(activity, session),
                "cancelled": card.cancelled, "statuses": card.statuses}

    def archive(self) -> Iterator[Output]:
        if not self.wants("archive"):
            return
        years = tuple(TermLink(str(year), self.router.path("year", year=str(year)), len(activities))
                      for year, activities in self.site.archive)
        yield self.out("archive", self.page(self.router.path("archive"), years=years,
                                            statistics=self.router.path("statistics")))

    def year(self) -> Iterator[Output]:
        for year, activities in self.site.archive:
            if not self.wants_some("year", year=str(year)):
                continue
            base = self.router.path("year", year=str(year))
            yield from self._listing("year", base, activities, {"year": str(year)},
                                     title=self.w._("Activities {year}", year=year),
                                     year=year, past_url=None, summary=self.year_summary(year),
                                     filter=None, subscription=self.subscription(self.site.feeds.site),
                                     archive_url=self.router.path("archive"))

    def year_summary(self, year: int) -> Link | None:
        """An archive year's participants, where recorded, linking the statistics: 'Deltagare 2013: 212 …'."""
        stats = self.site.statistics
        if year not in stats.years or not stats.per_year[stats.years.index(year)].recorded:
            return None
        tally = stats.per_year[stats.years.index(year)]
        return Link(self.w.ngettext(
            "{year}: {participants} participants in the {recorded} activity that recorded them",
            "{year}: {participants} participants in the {recorded} activities that recorded them", tally.recorded,
            year=year, participants=self.w.number(tally.participants), recorded=self.w.number(tally.recorded)),
            self.router.path("statistics"))

    def content_page(self) -> Iterator[Output]:
        for p in self.site.catalog.pages.values():
            if not self.wants("content-page", slug=p.slug):
                continue
            yield self.out("content-page", self.page(self.router.url(p), page=p), slug=p.slug)

    # --- embeds, programmes and digests (embeds.py, programmes.py) ----------------------------------------

    def embed(self) -> Iterator[Output]:
        from .embeds import DEFAULT_COUNT, ELEMENT, LAYOUTS, MAX_COUNT, attributes

        if not self.wants("embed"):
            return
        router = self.router
        form = self.filter_view()
        yield self.out("embed", self.page(
            router.path("embed"), selects=form.selects, attributes=attributes(self),
            element=router.segment(ELEMENT), script=router.absolute(router.path("embed-script")),
            frame=router.absolute(router.path("embed-frame")), script_path=router.path("embed-script"),
            count_name=router.segment("count"), layout_name=router.segment("layout"),
            layouts=tuple(router.segment(name) for name in LAYOUTS), default_count=DEFAULT_COUNT,
            max_count=MAX_COUNT, listing=router.absolute(router.path("activities")),
            listing_path=router.path("activities"),
            example=next(iter(self.vocabulary(BY_KEY["professions"])), ""),
            profession_param=router.segment(BY_KEY["professions"].param),
            site_json=router.path("site-upcoming"), open_data=router.path("open-data")))

    def embed_frame(self) -> Iterator[Output]:
        from .embeds import ELEMENT

        if self.wants("embed-frame"):
            yield self.out("embed-frame", {"element": self.router.segment(ELEMENT),
                                       "listing": self.router.path("activities"),
                                       "script": self.router.path("embed-script")})

    def embed_script(self) -> Iterator[Output]:
        from .embeds import script_config

        if self.wants("embed-script"):
            yield self.out("embed-script", {"embed": script_config(self)})

    def site_upcoming(self) -> Iterator[Output]:
        yield from self._upcoming("site-upcoming")

    def term_upcoming(self) -> Iterator[Output]:
        yield from self._upcoming("term-upcoming")

    def crossed_upcoming(self) -> Iterator[Output]:
        yield from self._upcoming("crossed-upcoming")

    def _upcoming(self, route: str) -> Iterator[Output]:
        from .embeds import selections, upcoming_context

        if not self.wants_some(route):
            return
        for name, params, page, activities in selections(self):
            if name == route and self.wants(route, **params):
                yield self.out(route, upcoming_context(self, page, activities), **params)

    def programmes(self) -> Iterator[Output]:
        from .programmes import programmes_context

        if self.wants("programmes"):
            yield self.out("programmes", programmes_context(self))

    def programme(self) -> Iterator[Output]:
        from .programmes import programme_context, programme_terms

        for tp in programme_terms(self):
            if self.wants("programme", facet=tp.facet.key, term=tp.term.slug):
                yield self.out("programme", programme_context(self, tp), facet=tp.facet.key, term=tp.term.slug)

    def digests(self) -> Iterator[Output]:
        from .programmes import digests_context

        if self.wants("digests"):
            yield self.out("digests", digests_context(self))

    def digest(self) -> Iterator[Output]:
        yield from self._digests("digest")

    def digest_text(self) -> Iterator[Output]:
        yield from self._digests("digest-text")

    def _digests(self, route: str) -> Iterator[Output]:
        from .programmes import DIGEST_FACET, digest_context, digest_months, month_key

        if not self.wants_some(route):
            return
        for month in digest_months(self):
            for tp in self.site.facet(DIGEST_FACET).terms:
                if self.wants(route, month=month_key(month), term=tp.term.slug):
                    yield self.out(route, digest_context(self, month, tp), month=month_key(month), term=tp.term.slug)

    # --- feeds and data files ------------------------------------------------------------------------------

    def activity_ics(self) -> Iterator[Output]:
        for a in self.wanted_activities("activity-ics"):
            yield self.out("activity-ics", a, slug=a.slug)

    def deadline_ics(self) -> Iterator[Output]:
        for a in self.wanted_activities("deadline-ics"):
            if a.registration is not None and a.registration.deadline is not None:
                yield self.out("deadline-ics", a, slug=a.slug)

    def site_ics(self) -> Iterator[Output]:
        if self.wants("site-ics"):
            yield self.out("site-ics", self.feed_view(self.site.feeds.site))

    def site_rss(self) -> Iterator[Output]:
        if self.wants("site-rss"):
            yield self.out("site-rss", self.feed_view(self.site.feeds.site))

    def term_ics(self) -> Iterator[Output]:
        for (key, slug), feed in self.site.feeds.terms.items():
            if self.wants("term-ics", facet=key, term=slug):
                yield self.out("term-ics", self.feed_view(feed), facet=key, term=slug)

    def term_rss(self) -> Iterator[Output]:
        for (key, slug), feed in self.site.feeds.terms.items():
            if self.wants("term-rss", facet=key, term=slug):
                yield self.out("term-rss", self.feed_view(feed), facet=key, term=slug)

    def crossed_ics(self) -> Iterator[Output]:
        for (key, slug, cross), feed in self.site.feeds.crossed.items():
            if self.wants("crossed-ics", facet=key, term=slug, cross=cross):
                yield self.out("crossed-ics", self.feed_view(feed), facet=key, term=slug, cross=cross)

    def crossed_rss(self) -> Iterator[Output]:
        for (key, slug, cross), feed in self.site.feeds.crossed.items():
            if self.wants("crossed-rss", facet=key, term=slug, cross=cross):
                yield self.out("crossed-rss", self.feed_view(feed), facet=key, term=slug, cross=cross)

    def changes_rss(self) -> Iterator[Output]:
        if self.wants("changes-rss"):
            feeds = self.site.feeds
            yield self.out("changes-rss", {"changed": feeds.changed, "since": feeds.last_change(feeds.window)})

    def json_feed(self) -> Iterator[Output]:
        if self.wants("json-feed"):
            yield self.out("json-feed", self.feed_view(self.site.feeds.site))

    def open_data(self) -> Iterator[Output]:
        if self.wants("open-data"):
            yield self.out("open-data", {"activities": self.site.catalog.activities})

    def filter_index(self) -> Iterator[Output]:
        from .filters import index_context

        if self.wants("filter-index"):
            yield self.out("filter-index", index_context(self))

    def sitemap(self) -> Iterator[Output]:  # pragma: no cover - made by outputs(), after every page
        raise AssertionError("the sitemap is made by Views.outputs")

    def robots(self) -> Iterator[Output]:
        if self.wants("robots"):
            yield self.out("robots", {"sitemap": self.router.absolute(self.router.path("sitemap"))})

    def headers(self) -> Iterator[Output]:
        if self.wants("headers"):
            yield self.out("headers", {"base": self.router.base_url, "cms": self.config.cms is not None})

    # --- the web editor (cms.py): only with `cms:` in site.yml ------------------------------------------------

    def admin(self) -> Iterator[Output]:
        from . import cms

        if self.config.cms is not None and self.wants("admin"):
            yield self.out("admin", {"script": cms.SCRIPT, "uid_host": cms.uid_host(self.config),
                                     "uid_collection": "activities"})

    def admin_config(self) -> Iterator[Output]:
        from . import cms

        if self.config.cms is not None and self.wants("admin-config"):
            yield self.out("admin-config", cms.decap_config(self.config.cms, self.config,
                                                            self.site.catalog.vocabularies))

    def admin_file(self) -> Iterator[Output]:
        from . import cms

        if self.config.cms is not None:
            for path, data in cms.vendored().items():
                if self.wants("admin-file", path=path):
                    yield self.out("admin-file", data, path=path)

    def static_file(self) -> Iterator[Output]:
        for path, data in self.files.items():
            if path.startswith("static/") and self.wants("static-file", path=path):
                yield self.out("static-file", data, path=path)

    def image(self) -> Iterator[Output]:
        """The published sizes of the activities' and venues' photos (photos.py), each once."""
        if not self.wants_some("image"):
            return  # a patch that re-plans no photo: its records are not read for their photos
        seen: set[str] = set()
        catalog = self.site.catalog
        records: tuple[Activity | Venue, ...] = (*catalog.activities, *catalog.venues.values())
        for record in records:
            for d in photos.derivatives(record.image) if record.image else ():
                if d.path not in seen and self.wants("image", path=d.path):
                    seen.add(d.path)
                    yield self.out("image", d, path=d.path)

    def asset(self) -> Iterator[Output]:
        for path, data in self.files.items():
            if not path.startswith("static/") and self.wants("asset", path=path):
                yield self.out("asset", data, path=path)


