"""views.py: what the pages show, worded, from the site graph."""

from __future__ import annotations

import sys
from pathlib import Path

from support import FIXTURES, NOW

from kkssite.errors import Problems
from kkssite.graph import build_site
from kkssite.i18n import Language
from kkssite.load import load
from kkssite.routes import Router
from kkssite.validate import validate
from kkssite.views import RELATED, Views


def test_more_like_an_activity_is_the_first_of_its_profession_then_the_first_for_everyone(tmp_path: Path) -> None:
    """"Fler för …": the first upcoming activities that name the activity's first profession, then those for every
    profession, in the term page's order, none cancelled, never the activity itself."""
    sys.path.insert(0, str(FIXTURES.parent.parent))  # bench/ is not an installed package
    from bench.generate import generate

    catalog = validate(load(generate(200, tmp_path / "content"), Problems()), Problems())
    assert catalog is not None
    for i, activity in enumerate(catalog.activities):  # most for everyone: pools where that kind is found first
        if i % 4:
            object.__setattr__(activity, "all_professions", True)
    site = build_site(catalog, NOW)
    language = Language.load(catalog.config.language)
    views = Views(site, language, Router(language, catalog.config.base_url))
    checked = 0
    for activity in site.upcoming:
        term = next(iter(activity.profession_selection), None)
        if term is None:
            continue
        key = "categories" if term.vocabulary == "categories" else "professions"
        pool = [a for a in site.term_pages[(key, term.slug)].upcoming
                if a.status != "cancelled" and a.slug != activity.slug]
        expected = ([a for a in pool if not a.all_professions] + [a for a in pool if a.all_professions])[:RELATED]
        found = views.more_like(activity)
        assert found is not None and found[0] == f"Fler för {term.name.lower()}"
        assert [card.slug for card in found[1]] == [a.slug for a in expected], activity.slug
        checked += 1
    assert checked > 20
