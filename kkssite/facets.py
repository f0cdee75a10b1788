"""The facet table: every way of sorting activities by a controlled vocabulary, declared once.

A facet is Hugo's taxonomy: a vocabulary of `vocabularies.yml` whose terms each get a listing page (upcoming
activities, with `tidigare/` for past ones), a calendar and an RSS feed, a place in the listings' filter and in
the subscribe page. The site graph, the filter, the subscribe links, the feeds and the route table all read this
table; adding a facet is adding a row (and its texts to the catalogue).

Texts are msgids (English, marked with `N_`), translated where they are shown; `key` is also the msgid of the
facet's URL segment (context "url": /yrken/ in Swedish) and `param` that of its filter's query parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .i18n import N_
from .model import Activity, Term, Vocabularies

TermsOf = Callable[[Activity, Vocabularies], tuple[Term, ...]]


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet. `group_by` names the facet whose terms group this one's terms (a profession belongs to a
    profession category, a city to a region): its index page and its filter select are grouped by them, and the
    group's own terms appear in the same select. `crosses` names a facet whose terms each term of this one is
    also combined with, in feeds of their own (a profession in a region)."""

    key: str  # vocabulary of vocabularies.yml; URL segment msgid
    param: str  # msgid of the filter's query parameter (context "url")
    terms_of: TermsOf
    title: str  # "Professions": the index page, the subscribe page's section
    label: str  # "Profession": the filter select
    any_label: str  # "All professions": the filter's first option
    subject: str  # "profession {name}": how a feed or a page description names one term
    group_by: str | None = None
    crosses: str | None = None
    everything: str | None = None  # a grouping facet's "all of this term" option: "All {lower}", "All of {name}"
    crossed_note: str | None = None  # the subscribe page's note on the crossed feeds ({example}: a crossed term)
    select: bool = True  # has a filter select of its own (a grouping facet's terms sit in its members' select)
    menu: int | None = None  # position of its index page in the main menu
    entry: int | None = None  # position of its terms on the home page ("Find activities for you")

    def __reduce__(self) -> tuple[object, tuple[str]]:
        """Pickled by key (its terms_of may be a lambda): the build store keeps the site graph between builds."""
        return _by_key, (self.key,)


def _region(activity: Activity, vocabularies: Vocabularies) -> tuple[Term, ...]:
    region = activity.city.region if activity.city else None
    return (vocabularies.regions[region],) if region in vocabularies.regions else ()


FACETS: tuple[Facet, ...] = (
    Facet("professions", "profession", lambda a, v: a.professions, N_("Professions"), N_("Profession"),
          N_("All professions"), N_("profession {name}"), group_by="categories", crosses="regions", menu=3,
          crossed_note=N_("Each profession is also available per region, for example only in {example}.")),
    Facet("categories", "category", lambda a, v: a.categories, N_("Professional categories"),
          N_("Professional category"), N_("All professional categories"), N_("professional category {name}"),
          select=False, entry=1, everything=N_("All {lower}")),
    Facet("art-forms", "art-form", lambda a, v: a.art_forms, N_("Art forms"), N_("Art form"),
          N_("All art forms"), N_("art form {name}"), menu=4, entry=2),
    Facet("types", "type", lambda a, v: (a.type,), N_("Types of activity"), N_("Type of activity"),
          N_("All types"), N_("type {name}")),
    Facet("cities", "city", lambda a, v: (a.city,) if a.city else (), N_("Cities"), N_("City"),
          N_("All cities"), N_("city {name}"), group_by="regions", menu=5),
    Facet("regions", "region", _region, N_("Regions"), N_("Region"), N_("All regions"), N_("region {name}"),
          select=False, entry=3, everything=N_("All of {name}")),
    Facet("languages", "language", lambda a, v: a.languages, N_("Languages of instruction"),
          N_("Language"), N_("All languages"), N_("language {name}")),
)

BY_KEY: dict[str, Facet] = {facet.key: facet for facet in FACETS}


def _by_key(key: str) -> Facet:
    return BY_KEY[key]


def vocabulary(facet: Facet, vocabularies: Vocabularies) -> dict[str, Term]:
    """The terms of a facet's vocabulary, slug → Term, in the order of vocabularies.yml."""
    terms: dict[str, Term] = getattr(vocabularies, facet.key.replace("-", "_"))
    return terms


def parent_of(term: Term) -> str | None:
    """The slug of the term that groups `term` (its profession category or region)."""
    return term.category or term.region
