"""Embeds for partner sites: the activities of a selection shown on a theatre's intranet or a union's pages.

Three outputs work together (rows of the route table, made here for views.py):
- `kommande.json` beside every feed (`/kommande.json`, `/yrken/<slug>/kommande.json`,
  `/yrken/<slug>/<region>/kommande.json` …): the upcoming activities of that selection as the cards word them,
  each with its facet terms, so that a narrower selection (`yrke` and `typ`) is the file of one term filtered in
  the browser. A file per selection rather than the filter's index or aktiviteter.json: a partner page loads the
  few kB of its own profession, not every upcoming activity of the site (the index carries search texts and
  months, aktiviteter.json the whole archive) — and the cost is one small file beside each feed.
- `/badda-in.js`, the web component `<kks-aktiviteter>` (theme/templates/embed.js with this language's words
  and texts): it reads its attributes (the filter's query parameters, `antal`, `visning`), fetches the one
  kommande.json that holds the selection from the site the script was loaded from, and renders accessible
  markup into its shadow root with its own styles; the element's own content (a plain link) is what shows
  without JavaScript. The same script sets the height of the site's frames on the host page from the messages
  they send (no double scroll bars).
- `/badda-in/ram/`, the compact frame page for an `<iframe>`: the component, configured from the frame's
  query, reporting its height to the host page with `postMessage`.
And `/badda-in/`, where a partner picks a selection, a number and a layout, sees the component live and copies
either snippet. Nothing sets a cookie, stores anything, or loads anything from anywhere but this site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from .facets import BY_KEY, FACETS, vocabulary
from .filters import ONLINE, card_item, json_bytes, param
from .model import Activity

if TYPE_CHECKING:
    from .views import Views

#: Bumped when a field of kommande.json changes meaning (the script checks it).
VERSION = 1
#: How many activities an embed shows unless told otherwise, and at most.
DEFAULT_COUNT = 5
MAX_COUNT = 50
#: The words of the component's own attributes and values (msgids of the "url" context, like query parameters).
ELEMENT = "kks-activities"
COUNT = "count"
LAYOUT = "layout"
LAYOUTS = ("list", "cards")
#: The message the frame page sends to its host page: {"type": MESSAGE, "height": <CSS pixels>}.
MESSAGE = "kks-embed-height"


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of the component as the builder page documents it."""

    name: str
    meaning: str
    text: str | None  # what it takes, in words
    codes: tuple[str, ...]  # … or as the values themselves (a slug for example, the words of a layout)


def selections(views: Views) -> Iterator[tuple[str, dict[str, str], str, tuple[Activity, ...]]]:
    """Every selection with a kommande.json: (route, params, its page, its upcoming activities), the whole site
    first, then each term of each facet, then each term crossed with the terms of the facet it crosses."""
    site = views.site
    yield "site-upcoming", {}, views.router.path("activities"), site.upcoming
    vocabularies = site.catalog.vocabularies
    for (key, slug), tp in site.term_pages.items():
        yield "term-upcoming", {"facet": key, "term": slug}, views.router.url(tp), tp.upcoming
    for (key, slug), tp in site.term_pages.items():
        if tp.facet.crosses is None:
            continue
        other = BY_KEY[tp.facet.crosses]
        for cross in vocabulary(other, vocabularies).values():
            # the upcoming of the term's crossed feed (which holds the upcoming ones and the recently ended)
            crossed = {a.slug for a in site.feeds.crossed[(key, slug, cross.slug)].activities}
            held = tuple(a for a in tp.upcoming if a.slug in crossed)
            yield "crossed-upcoming", {"facet": key, "term": slug, "cross": cross.slug}, views.router.url(tp), held


def upcoming_context(views: Views, page: str, activities: tuple[Activity, ...]) -> dict[str, Any]:
    """Each activity's item is a fragment (made from the activity and its card's state), shared by every
    selection that holds it."""
    return {"v": VERSION, "page": page, "count": len(activities),
            "items": tuple((a, views.site.cards[a.slug]) for a in activities)}


def upcoming_json(context: dict[str, Any], views: Views) -> bytes:
    """A selection's kommande.json, compact ("items" last)."""
    head = {key: value for key, value in context.items() if key != "items"}
    items = [views.fragment("card-item", item, partial(_card_json, views, item[0])) for item in context["items"]]
    return json_bytes(head)[:-1] + b',"items":[' + b",".join(items) + b"]}\n"


def _card_json(views: Views, activity: Activity) -> bytes:
    return json_bytes(card_item(views, activity))


def _order() -> list[str]:
    """Facets in the order the script picks a selection's file: the narrow ones (grouped by another) first."""
    return [f.key for f in sorted(FACETS, key=lambda f: f.group_by is None)]


def script_config(views: Views) -> dict[str, Any]:
    """What the component's script knows of this site and language: its element name, the words of its
    attributes, where each selection's file is, and its texts (from the catalogue)."""
    router, w = views.router, views.w
    mark = "\x00"
    terms = []
    for key in _order():
        facet = BY_KEY[key]
        entry: dict[str, Any] = {
            "p": param(views, facet),
            "file": router.path("term-upcoming", facet=key, term=mark).replace(mark, "{term}"),
        }
        if facet.crosses:
            entry["cross"] = param(views, BY_KEY[facet.crosses])
            entry["crossed"] = router.path("crossed-upcoming", facet=key, term=mark, cross=mark + mark) \
                .replace(mark + mark, "{cross}").replace(mark, "{term}")
        terms.append(entry)
    title = views.config.title
    return {
        "element": router.segment(ELEMENT),
        "self": router.path("embed-script"),
        "frame": router.path("embed-frame"),
        "listing": router.path("activities"),
        "site": router.path("site-upcoming"),
        "version": VERSION,
        "lang": views.language.tag,
        "terms": terms,
        "online": [router.segment(ONLINE[0]), router.segment(ONLINE[1])],
        "count": router.segment(COUNT),
        "layout": router.segment(LAYOUT),
        "layouts": [router.segment(name) for name in LAYOUTS],
        "default": DEFAULT_COUNT,
        "max": MAX_COUNT,
        "message": MESSAGE,
        "texts": {
            "label": w._("Activities from {site}", site=title),
            "all": w._("See all {n} activities at {site}", n="{n}", site=title),
            "calendar": w._("More in the calendar of {site}", site=title),
            "none": w._("No upcoming activities right now."),
            "failed": w._("The activities could not be loaded."),
        },
    }


def attributes(views: Views) -> tuple[Attribute, ...]:
    """The component's attributes (and the frame's query parameters), documented on the builder page: one per
    facet (its filter parameter, with an example slug), online, the number and the layout."""
    w, router = views.w, views.router
    found = []
    for facet in FACETS:
        example = next(iter(vocabulary(facet, views.site.catalog.vocabularies)), "")
        found.append(Attribute(param(views, facet), w._(facet.label), w._("a slug, for example"), (example,)))
    found.append(Attribute(router.segment(ONLINE[0]), w._("only activities that can be followed online"), None,
                           (router.segment(ONLINE[1]),)))
    found.append(Attribute(router.segment(COUNT), w._("how many activities to show, the soonest first ({default} "
                                                     "if not given)", default=DEFAULT_COUNT),
                           w._("1 to {max}", max=MAX_COUNT), ()))
    found.append(Attribute(router.segment(LAYOUT), w._("a compact list (the default) or cards side by side"), None,
                           tuple(router.segment(name) for name in LAYOUTS)))
    return tuple(found)
