"""graph: upcoming vs past against `now`, facets with their terms, archive years, deadlines, cross-links."""

from datetime import datetime
from pathlib import Path

from support import NOW, activity

from kkssite.errors import Problems
from kkssite.graph import build_site, paginate
from kkssite.load import load
from kkssite.validate import validate


def site_of(content: Path, now: datetime = NOW):  # type: ignore[no-untyped-def]
    problems = Problems()
    catalog = validate(load(content, problems), problems)
    assert catalog is not None, [str(p) for p in problems]
    return build_site(catalog, now)


def test_upcoming_and_past_follow_now(make_content) -> None:  # type: ignore[no-untyped-def]
    site = site_of(make_content())
    assert [a.slug for a in site.upcoming] == ["dans-och-ljud", "ljusbord-for-turne"]
    assert [a.slug for a in site.past] == ["arsmote-2012"]
    later = site_of(make_content(), datetime(2027, 3, 30, 20, 0, tzinfo=NOW.tzinfo))
    assert [a.slug for a in later.upcoming] == ["ljusbord-for-turne"]  # second session still running


def test_all_day_activity_is_upcoming_until_its_day_ends(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=activity("heldag", start="2026-11-27", end=""))
    assert "heldag" in [a.slug for a in site_of(content).upcoming]
    evening = datetime(2026, 11, 27, 23, 30, tzinfo=NOW.tzinfo)
    assert "heldag" in [a.slug for a in site_of(content, evening).upcoming]


def test_facets_collect_activities_per_term(make_content) -> None:  # type: ignore[no-untyped-def]
    site = site_of(make_content())
    lights = site.term_pages[("professions", "ljustekniker")]
    assert [a.slug for a in lights.upcoming] == ["ljusbord-for-turne"]
    assert [a.slug for a in lights.past] == ["arsmote-2012"]  # "alla" includes every profession
    assert [a.slug for a in site.term_pages[("regions", "blekinge")].upcoming] == ["ljusbord-for-turne"]
    assert [a.slug for a in site.term_pages[("categories", "konstnarlig")].upcoming] == ["dans-och-ljud"]
    groups = site.facet("professions").groups
    assert [(g.slug, [tp.term.slug for tp in pages]) for g, pages in groups] == [
        ("konstnarlig", ["skadespelare", "dansare"]), ("teknisk", ["ljustekniker", "ljudtekniker"]),
        ("administrativ", ["producent"])]


def test_archive_deadlines_and_backlinks(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("snart", registration="\n  kind: anmälan\n  email: a@example.org\n  deadline: 2026-12-10")
    site = site_of(make_content(files=files))
    assert [year for year, _ in site.archive] == [2027, 2012]
    assert [a.slug for a in site.deadlines] == ["snart"]  # the other deadline is more than 30 days away
    assert [a.slug for a in site.by_need["ljus-i-blekinge"].upcoming] == ["ljusbord-for-turne"]
    assert [a.slug for a in site.by_venue["scenhuset"].upcoming] == ["dans-och-ljud"]


def test_pagination() -> None:
    pages = paginate(tuple(range(5)), 2, lambda n: "yrken/x/" if n == 1 else f"yrken/x/sida/{n}/")  # type: ignore[arg-type]
    assert [p.items for p in pages] == [(0, 1), (2, 3), (4,)]
    assert [p.url for p in pages] == ["yrken/x/", "yrken/x/sida/2/", "yrken/x/sida/3/"]
    assert (pages[0].previous, pages[0].next, pages[2].next) == (None, "yrken/x/sida/2/", None)
    assert len(paginate((), 2, lambda n: "x/")) == 1
    # only some pages (a patch's): each still knows every page's URL
    some = paginate(tuple(range(5)), 2, lambda n: f"x/{n}/", only={3, 9})  # type: ignore[arg-type]
    assert [(p.number, p.items, p.urls) for p in some] == [(3, (4,), ("x/1/", "x/2/", "x/3/"))]
    assert paginate(tuple(range(5)), 2, lambda n: f"x/{n}/", only=set()) == ()  # type: ignore[arg-type]
