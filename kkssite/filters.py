"""The filter of the listings: the form's fields (from the vocabularies) and the index it searches
(/aktiviteter/index.json: every upcoming activity with its card texts, facet slugs, months and search text).

The form is rendered into every upcoming listing, hidden until theme/static/filter.js shows it; the script loads
the index on first use and renders the matching cards itself, so it searches all upcoming activities and not
only the page it is on. Without JavaScript the static facet pages do the job. The form depends only on the
vocabularies (site settings), so pages that carry it stay cacheable; everything that depends on `now` and the
activities is in the index, which is rebuilt with every build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import text
from .graph import Site
from .model import Activity, Term

INDEX = "aktiviteter/index.json"
#: Bumped when a field of the index changes meaning (filter.js checks it).
INDEX_VERSION = 1
#: The value of the "plats" field that selects online and hybrid activities.
ONLINE = "digitalt"


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a select: the URL query key and value it sets, and the feed folder of that selection."""

    param: str  # "yrke", "yrkeskategori", "konstform", "ort", "region", "typ", "digitalt"
    value: str
    label: str
    feed: str | None  # site-relative folder of kalender.ics and feed.xml, e.g. "yrken/ljustekniker/"

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

    @property
    def params(self) -> tuple[str, ...]:
        """The URL query keys this select can set."""
        return tuple(dict.fromkeys(o.param for _, options in self.groups for o in options))


@dataclass(frozen=True, slots=True)
class FilterForm:
    selects: tuple[Select, ...]
    index: str  # site-relative URL of the index

    def preset(self, facet_key: str | None = None, slug: str | None = None) -> str:
        """The form's starting selection, as JSON for a data attribute: on a facet term page the term's option
        ({"yrke": "yrke:ljustekniker"}, select name → option value), elsewhere nothing ({})."""
        for select in self.selects:
            for _, options in select.groups:
                for option in options:
                    if facet_key and option.feed == f"{facet_key}/{slug}/":
                        return json.dumps({select.name: option.key}, ensure_ascii=False)
        return "{}"


def filter_form(site: Site) -> FilterForm:
    """The filter form of a site (computed once per site; templates ask on every listing page)."""
    return site.derive("filter_form", _build_filter_form)


def _build_filter_form(site: Site) -> FilterForm:
    v = site.catalog.vocabularies

    def options(param: str, facet: str, terms: list[Term]) -> tuple[Option, ...]:
        return tuple(Option(param, t.slug, t.name, f"{facet}/{t.slug}/") for t in terms)

    professions = tuple(
        (category.name, (Option("yrkeskategori", category.slug, f"Alla {category.name.lower()}",
                                f"yrkeskategorier/{category.slug}/"),
                         *options("yrke", "yrken", [p for p in v.professions.values() if p.category == slug])))
        for slug, category in v.categories.items()
    )
    places = tuple(
        (region.name, (Option("region", region.slug, f"Hela {region.name}", f"regioner/{region.slug}/"),
                       *options("ort", "orter", [c for c in v.cities.values() if c.region == slug])))
        for slug, region in v.regions.items()
    )
    online = ((None, (Option("digitalt", "ja", "Digitalt eller på distans", None),)),)
    form = FilterForm(
        selects=(
            Select("yrke", "Yrke", "Alla yrken", professions),
            Select("konstform", "Konstform", "Alla konstformer",
                   ((None, options("konstform", "konstformer", list(v.art_forms.values()))),)),
            Select("plats", "Ort", "Alla orter", (*online, *places)),
            Select("typ", "Typ av aktivitet", "Alla typer", ((None, options("typ", "typer", list(v.types.values()))),)),
        ),
        index=INDEX,
    )
    return form


# --- the index ----------------------------------------------------------------------------------------------


def fold(value: str) -> str:
    """Lower case without diacritics and with single spaces: what filter.js compares ("Malmö" → "malmo")."""
    return " ".join(text.without_accents(value).split())


def _slugs(terms: tuple[Term, ...], vocabulary: dict[str, Term]) -> list[str] | str:
    """Slugs, or "*" when the activity has every term of the vocabulary (keeps the index small)."""
    return "*" if len(terms) == len(vocabulary) and vocabulary else [t.slug for t in terms]


def index_item(site: Site, activity: Activity, months: list[str]) -> dict[str, Any]:
    v = site.catalog.vocabularies
    card = site.cards[activity.slug]
    facets: dict[str, Any] = {
        "yrke": _slugs(activity.professions, v.professions),
        "yrkeskategori": _slugs(activity.categories, v.categories),
        "konstform": _slugs(activity.art_forms, v.art_forms),
        "typ": [activity.type.slug],
    }
    if activity.city:  # as the facet pages /orter/ and /regioner/ (and their feeds) have it
        facets["ort"] = [activity.city.slug]
        if activity.region:
            facets["region"] = [activity.region]
    if activity.mode != "on_site":
        facets["digitalt"] = ["ja"]
    # what the card shows (title, type, place, audience) filter.js adds itself; "s" holds the rest
    words = [activity.summary, *(t.name for t in activity.professions if not activity.all_professions),
             *(t.name for t in activity.art_forms), activity.venue.name if activity.venue else "",
             activity.venue_text or "", *(leader.name for leader in activity.leaders),
             *(o.name for o in activity.organisers)]
    item: dict[str, Any] = {
        "u": f"aktiviteter/{activity.slug}/",
        "t": activity.title,
        "d": activity.start.isoformat(),
        "w": card.when,
        "ty": activity.type.name,
        "au": card.audience,
        "f": facets,
        "m": months,
        "s": fold(" ".join(w for w in words if w)),
    }
    optional = {"x": card.more, "pl": card.place, "pr": card.price, "dl": card.deadline}
    item.update({key: value for key, value in optional.items() if value})
    if card.badges:
        item["b"] = [[b.key, b.label] for b in card.badges]
    return item


def periods(months: list[str]) -> list[dict[str, Any]]:
    """The choices of the "När" select: half-years (spring = January–June, autumn = July–December) and months."""
    halves: dict[str, tuple[str, list[str]]] = {}
    for month in months:
        year, number = int(month[:4]), int(month[5:])
        spring = number <= 6
        key = f"{'varen' if spring else 'hosten'}-{year}"
        label = f"{'Våren' if spring else 'Hösten'} {year} ({'januari–juni' if spring else 'juli–december'})"
        halves.setdefault(key, (label, []))[1].append(month)
    month_options = [[m, text.month_year(date(int(m[:4]), int(m[5:]), 1)).capitalize(), [m]] for m in months]
    return [
        {"g": "Halvår", "o": [[key, label, ms] for key, (label, ms) in halves.items()]},
        {"g": "Månad", "o": month_options},
    ]


def filter_index(site: Site) -> bytes:
    """The index of every upcoming activity, soonest first, as compact JSON."""
    months_by_slug: dict[str, list[str]] = {a.slug: [] for a in site.upcoming}
    for month in site.months:
        key = f"{month.year}-{month.month:02d}"
        for activity in month.activities:
            if activity.slug in months_by_slug:
                months_by_slug[activity.slug].append(key)
    this_month = f"{site.current_month.year}-{site.current_month.month:02d}"
    all_months = sorted({m for ms in months_by_slug.values() for m in ms if m >= this_month})
    data = {
        "v": INDEX_VERSION,
        "base": site.config.base_url,
        "periods": periods(all_months),
        "items": [index_item(site, a, months_by_slug[a.slug]) for a in site.upcoming],
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def filter_files(site: Site) -> dict[str, bytes]:
    return {INDEX: filter_index(site)}


#: Functions the theme's templates may call (render.Theme adds them as Jinja globals).
TEMPLATE_GLOBALS = {"filter_form": filter_form}
