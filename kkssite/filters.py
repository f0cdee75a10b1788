"""The filter of the listings: the form's fields (one select per facet of the facet table, from the
vocabularies) and the index it searches (/aktiviteter/index.json: every upcoming activity with its card texts,
facet terms, months and search text, and the feed of every selection that has one).

The needs listing (/behov/) uses the same form, script and index format with its own selects (profession, art
form, place, status) and items (/behov/index.json: every need with its card texts and terms): `needs_form` and
`needs_index_context`.

The form is rendered into every upcoming listing, hidden until theme/static/filter.js shows it; the script loads
the index on first use and renders the matching cards itself, so it searches all upcoming activities and not
only the page it is on. Without JavaScript the static facet pages do the job. The form depends only on the
vocabularies and the language; everything that depends on `now` and the activities is in the index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from . import photos, text
from .facets import BY_KEY, FACETS, Facet, parent_of, vocabulary
from .model import Activity, Need, Term

if TYPE_CHECKING:
    from .views import Views

#: Bumped when a field of the index changes meaning (filter.js checks it).
INDEX_VERSION = 2
#: The query parameter and value that select online and hybrid activities (msgids, context "url").
ONLINE = ("online", "yes")
#: The facets the needs filter selects by, and the query parameter of its status select (msgids, context "url";
#: the status values are their own URL words: open, planned, answered, closed).
NEED_FACETS = ("professions", "art-forms", "cities")
STATUS_PARAM = "status"


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a select: the URL query parameter and value it sets."""

    param: str  # "yrke", "yrkeskategori", "konstform", "ort", "region", "typ", "sprak", "digitalt"
    value: str
    label: str

    @property
    def key(self) -> str:
        """The option's value in the form: "yrke:ljustekniker" (filter.js splits it into the URL query)."""
        return f"{self.param}:{self.value}"


@dataclass(frozen=True, slots=True)
class Select:
    name: str  # form control name and id suffix
    label: str
    any_label: str  # the first option, "Alla yrken"
    groups: tuple[tuple[str | None, tuple[Option, ...]], ...]  # (optgroup label or None, options)
    id: str = ""  # the control's id after "filter-", when not its name (the page has a "filter-status" already)


@dataclass(frozen=True, slots=True)
class FilterView:
    selects: tuple[Select, ...]
    index: str  # site-relative URL of the index
    preset: str  # JSON: the starting selection, select name → option key ({} but on a facet term page)
    texts: str  # JSON: the script's texts, from the catalogue
    heading: str
    when: bool = True  # a "När" select, its choices from the index's periods
    subscribe: bool = True  # offers the feed of the selection


def param(views: Views, facet: Facet) -> str:
    return views.router.segment(facet.param)


def facet_selects(views: Views, members: list[Facet], online: bool = True) -> list[Select]:
    """One select per facet: its terms, grouped by its `group_by` facet's terms (each with an "all of it" option);
    the place select also chooses online activities when `online`."""
    w = views.w
    vocabularies = views.site.catalog.vocabularies
    selects = []
    for member in members:
        terms = vocabulary(member, vocabularies)

        def options(facet: Facet, items: list[Term]) -> tuple[Option, ...]:
            return tuple(Option(param(views, facet), t.slug, t.name) for t in items)

        groups: list[tuple[str | None, tuple[Option, ...]]] = []
        if member.key == "cities" and online:  # the place select also chooses online activities
            groups.append((None, (Option(views.router.segment(ONLINE[0]), views.router.segment(ONLINE[1]),
                                         w._("Online or remote")),)))
        if member.group_by:
            group = BY_KEY[member.group_by]
            for slug, parent in vocabulary(group, vocabularies).items():
                label = w._(group.everything, name=parent.name, lower=parent.name.lower()) if group.everything \
                    else parent.name
                everything = Option(param(views, group), parent.slug, label)
                belonging = sorted((t for t in terms.values() if parent_of(t) == slug),
                                   key=lambda t: text.collation_key(t.name, views.language.code))
                groups.append((parent.name, (everything, *options(member, belonging))))
        else:
            groups.append((None, options(member, list(terms.values()))))
        selects.append(Select(param(views, member), w._(member.label), w._(member.any_label), tuple(groups)))
    return selects


def filter_form(views: Views, facet: Facet | None = None, term: Term | None = None) -> FilterView:
    """The filter form in the language of `views`, preset to a facet term's option on that term's page."""
    w = views.w
    selects = facet_selects(views, [f for f in FACETS if f.select])
    preset: dict[str, str] = {}
    if facet is not None and term is not None:
        for select in selects:
            for _group, found in select.groups:
                for option in found:
                    if option.param == param(views, facet) and option.value == term.slug:
                        preset[select.name] = option.key
    texts = {
        "one": w._("{n} upcoming activity matches"), "other": w._("{n} upcoming activities match"),
        "chosen": w._(" the filter: {chosen}."), "plain": ".",
        "none": w._(" Remove one of the choices or clear the filter."),
        "filtering": w._("Filtering …"),
        "failed": w._("The filter could not be loaded. Choose a profession, art form, city or type from the menu "
                      "instead."),
        "show": w._("Show the filter"), "hide": w._("Hide the filter"), "choices": w._(" ({n} chosen)"),
        "copied": w._("Copied!"),
        "count": w._("{label} ({n})"),  # a choice with its number of hits: "Hösten 2026, juli–december (1)"
        "crossed": w._("{term} in {place}"), "everything": w._("All activities"),
        "exact": w._("Subscribe to what you chose: {name}, now with {n} upcoming."),
        "closest": w._("No calendar holds exactly what you chose. The closest is {name}, now with {n} upcoming."),
    }
    return FilterView(tuple(selects), views.router.path("filter-index"), json.dumps(preset, ensure_ascii=False),
                      json.dumps(texts, ensure_ascii=False), w._("Filter the activities"))


def needs_form(views: Views) -> FilterView:
    """The filter of /behov/: profession, art form, place (a region or a city) and status."""
    from .model import NEED_STATUSES

    w = views.w
    selects = facet_selects(views, [BY_KEY[key] for key in NEED_FACETS], online=False)
    status = views.router.segment(STATUS_PARAM)
    selects.append(Select(status, w._("Status"), w._("Every status"), ((None, tuple(
        Option(status, views.router.segment(s), w.need_status(s)) for s in NEED_STATUSES)),), id="behovsstatus"))
    texts = {
        "one": w._("{n} need matches"), "other": w._("{n} needs match"),
        "chosen": w._(" the filter: {chosen}."), "plain": ".",
        "none": w._(" Remove one of the choices or clear the filter."),
        "filtering": w._("Filtering …"),
        "failed": w._("The filter could not be loaded. The needs are listed by status below."),
        "show": w._("Show the filter"), "hide": w._("Hide the filter"), "choices": w._(" ({n} chosen)"),
        "copied": w._("Copied!"),
    }
    return FilterView(tuple(selects), views.router.path("needs-index"), "{}", json.dumps(texts, ensure_ascii=False),
                      w._("Filter the needs"), when=False, subscribe=False)


# --- the index ----------------------------------------------------------------------------------------------


def fold(value: str) -> str:
    """Lower case without diacritics and with single spaces: what filter.js compares ("Malmö" → "malmo")."""
    return " ".join(text.without_accents(value).split())


def _slugs(terms: tuple[Term, ...], vocabulary: dict[str, Term]) -> list[str] | str:
    """Slugs, or "*" when the activity has every term of the vocabulary (keeps the index small)."""
    return "*" if len(terms) == len(vocabulary) and vocabulary else [t.slug for t in terms]


def facet_slugs(views: Views, activity: Activity, select_only: bool = False) -> dict[str, Any]:
    """An activity's terms by filter parameter ({"yrke": ["ljustekniker"], "region": ["skane"], "digitalt":
    ["ja"]}, "*" for every term): what the filter and the embeds match a selection against. `select_only`: only
    the facets with a select of their own (filter.js fits a grouping facet's term, a region, by its members)."""
    vocabularies = views.site.catalog.vocabularies
    facets: dict[str, Any] = {}
    for facet in FACETS:
        if select_only and not facet.select:
            continue
        terms = facet.terms_of(activity, vocabularies)
        if terms:
            facets[param(views, facet)] = _slugs(terms, vocabulary(facet, vocabularies))
    if activity.mode != "on_site":
        facets[views.router.segment(ONLINE[0])] = [views.router.segment(ONLINE[1])]
    return facets


def card_item(views: Views, activity: Activity, prefix: str = "", select_only: bool = False) -> dict[str, Any]:
    """An activity's card as compact JSON (the filter's index and the embeds' kommande.json): its texts, its
    badges and its facet terms; `prefix` is left out of its page's address (the index names it once)."""
    card = views.card(activity)
    item: dict[str, Any] = {
        "u": card.url.removeprefix(prefix),
        "t": card.title,
        "d": card.start,
        "w": card.when,
        "ty": card.type,
        "au": card.audience,
        "f": facet_slugs(views, activity, select_only),
    }
    optional = {"x": card.more, "pl": card.place, "pr": card.price, "dl": card.deadline, "ar": card.arts,
                "a": card.art}
    item.update({key: value for key, value in optional.items() if value})
    if card.badges:
        item["b"] = [[b.key, b.label] for b in card.badges]
    return item


def index_item(views: Views, activity: Activity, months: list[str], prefix: str) -> dict[str, Any]:
    item = card_item(views, activity, prefix, select_only=True)
    card = views.card(activity)
    # what the card shows (title, type, place, audience, art forms) filter.js adds itself; "s" holds the rest
    words = [activity.summary, *(t.name for t in activity.professions if not activity.all_professions),
             *(t.name for t in activity.art_forms if t.name not in card.arts
               and len(activity.art_forms) < len(views.site.catalog.vocabularies.art_forms)),
             activity.venue.name if activity.venue else "",
             activity.venue_text or "", *(leader.name for leader in activity.leaders),
             *(o.name for o in activity.organisers)]
    item["m"] = months
    item["s"] = fold(" ".join(w for w in words if w))
    if activity.image is not None:  # filter.js draws it as the HTML card does (views.Photo, _photo.html)
        sizes = photos.sizes_of(activity.image, photos.fallback_format(activity.image))
        # compact: every size's file is <stem>-<width>.webp and .<suffix>; the box is the largest's
        item["ph"] = [sizes[0].stem, [d.width for d in sizes], sizes[0].suffix, sizes[-1].width, sizes[-1].height,
                      activity.image_alt or ""]
    return item


def periods(views: Views, months: list[str]) -> list[dict[str, Any]]:
    """The choices of the "När" select: half-years (spring = January–June, autumn = July–December) and months."""
    w = views.w
    halves: dict[str, tuple[str, list[str]]] = {}
    for month in months:
        year, number = int(month[:4]), int(month[5:])
        if number <= 6:
            key = views.router.segment("spring-{year}").format(year=year)
            label = w._("Spring {year}, January–June", year=year)
        else:
            key = views.router.segment("autumn-{year}").format(year=year)
            label = w._("Autumn {year}, July–December", year=year)
        halves.setdefault(key, (label, []))[1].append(month)
    month_options = [[m, w.month_title(date(int(m[:4]), int(m[5:]), 1)), [m]] for m in months]
    return [
        {"g": w._("Half-year"), "o": [[key, label, ms] for key, (label, ms) in halves.items()]},
        {"g": w._("Month"), "o": month_options},
    ]


def feeds(views: Views) -> dict[str, Any]:
    """The feeds the filter can offer, compactly (every listing's filter loads the index on first use):
    `terms`: each option that has a feed of its own → its folder (the term's page, which holds its calendar and
    RSS feed, named as the index's "files" say); `crossed`: [parameter, crossed parameter] when a facet's terms
    are also crossed with another's (a profession in a region: the crossed term's slug is a folder inside the
    term's); `all`: the whole calendar's folder and page. Their names are the options' labels (and the texts
    "crossed" and "everything"); an option's broader one (a city's region) is the first of its optgroup."""
    terms: dict[str, str] = {}
    crossed: list[str] = []
    for feed in views.site.feeds:
        if feed.facet is None or feed.term is None:
            continue
        if feed.cross is not None:
            crossed = [param(views, feed.facet), param(views, BY_KEY[feed.facet.crosses or ""])]
            continue
        terms[f"{param(views, feed.facet)}:{feed.term.slug}"] = views.feed_page(feed)
    everything = views.site.feeds.site
    rss_name = views.router.segment("feed.xml")
    return {"terms": terms, "crossed": crossed,
            "all": [views.subscription(everything).rss[: -len(rss_name)], views.feed_page(everything)]}


def index_context(views: Views) -> dict[str, Any]:
    """What the index holds: every upcoming activity (its card, facets and months), the periods, the feeds."""
    site = views.site
    months_by_slug: dict[str, list[str]] = {a.slug: [] for a in site.upcoming}
    for month in site.months:
        key = f"{month.year}-{month.month:02d}"
        for activity in month.activities:
            if activity.slug in months_by_slug:
                months_by_slug[activity.slug].append(key)
    this_month = f"{site.current_month.year}-{site.current_month.month:02d}"
    prefix = views.router.path("activities")
    all_months = sorted({m for ms in months_by_slug.values() for m in ms if m >= this_month})
    return {
        "v": INDEX_VERSION,
        "base": views.router.base_url,
        "periods": periods(views, all_months),
        "files": [views.router.segment("calendar.ics"), views.router.segment("feed.xml")],
        "feeds": feeds(views),
        "p": prefix,  # every item's "u" (its page) is in this folder: "aktiviteter/"
        # each activity's item is a fragment: made from the activity, its card's state, its months and the prefix
        "items": tuple((a, site.cards[a.slug], tuple(months_by_slug[a.slug]), prefix) for a in site.upcoming),
    }


def need_item(views: Views, card: Any, need: Need) -> dict[str, Any]:
    """A need in /behov/index.json: its card's texts (in the keys of an activity's: filter.js draws both) and the
    terms it is filtered by."""
    vocabularies = views.site.catalog.vocabularies
    facets: dict[str, Any] = {}
    for facet in FACETS:
        terms = {"professions": need.professions, "categories": need.categories, "art-forms": need.art_forms,
                 "regions": need.regions, "cities": need.cities}.get(facet.key, ())
        if terms:
            facets[param(views, facet)] = _slugs(terms, vocabulary(facet, vocabularies))
    facets[views.router.segment(STATUS_PARAM)] = [views.router.segment(need.status)]
    words = [*need.reported_by, *(o.name for o in need.reporters), *(t.name for t in need.professions),
             *(t.name for t in need.art_forms), *(t.name for t in need.cities), text.html_text(need.body_html)]
    item: dict[str, Any] = {"u": card.url, "t": card.title, "d": card.reported, "w": card.when, "au": card.audience,
                            "f": facets, "m": [], "s": fold(" ".join(w for w in words if w)),
                            "b": [[card.status.key, card.status.label]]}
    optional = {"ty": card.interest, "pl": card.place, "pr": card.answers}
    item.update({key: value for key, value in optional.items() if value})
    return item


def needs_index_context(views: Views) -> dict[str, Any]:
    """What /behov/index.json holds: every need (by status, as the listing shows them), no periods or feeds."""
    needs = views.needs_in_order()
    return {"v": INDEX_VERSION, "base": views.router.base_url, "periods": [], "files": [], "feeds": {},
            "shows": tuple(needs), "items": [need_item(views, views.need_card(n), n) for n in needs]}


def filter_index(context: dict[str, Any], views: Views) -> bytes:
    """The index as compact JSON ("items" last: each item is serialized once and kept while it is unchanged)."""
    head = {key: value for key, value in context.items() if key not in ("items", "shows")}
    items = [json_bytes(item) if isinstance(item, dict) else  # the needs' index: few items, made here
             views.fragment("index-item", item, partial(_item_json, views, item)) for item in context["items"]]
    return json_bytes(head)[:-1] + b',"items":[' + b",".join(items) + b"]}\n"


def _item_json(views: Views, item: tuple[Activity, Any, tuple[str, ...], str]) -> bytes:
    return json_bytes(index_item(views, item[0], list(item[2]), item[3]))


def json_bytes(value: Any) -> bytes:
    """Compact JSON, as every index and selection file is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
