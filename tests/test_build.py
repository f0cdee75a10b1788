"""End-to-end builds of the fixture sites: pages, links, determinism, and failed builds that touch nothing."""

import gc
import hashlib
import re
import shutil
from pathlib import Path

import jinja2.runtime
import pytest
from htmlcheck import broken_links, heading_problems, parse_page
from support import FIXTURES, activity

from kkssite.errors import ContentError


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_minimal_site_has_every_kind_of_page(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_site(make_content())
    out = tmp_path / "output"
    expected = [
        "index.html", "404.html", "aktiviteter/index.html", "aktiviteter/ljusbord-for-turne/index.html",
        "yrken/index.html", "yrken/ljustekniker/index.html", "yrken/ljustekniker/tidigare/index.html",
        "yrkeskategorier/teknisk/index.html", "konstformer/dans/index.html", "orter/karlskrona/index.html",
        "regioner/blekinge/index.html", "typer/kurs/index.html", "behov/index.html",
        "behov/ljus-i-blekinge/index.html", "organisationer/kulturkraft-syd/index.html",
        "platser/scenhuset/index.html", "arkiv/index.html", "arkiv/2012/index.html", "om/index.html",
    ]
    assert [p for p in expected if not (out / p).is_file()] == []
    assert not (out / "aktiviteter" / "utkast").exists()  # drafts stay out
    assert result.activities == 3 and result.pages == len(list(out.rglob("*.html")))


def test_pagination_of_long_listings(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = {}
    for n in range(5):
        files.update(activity(f"kurs-{n}", start=f"2027-02-0{n + 1} 09:00"))
    build_site(make_content(files=files))
    pages = tmp_path / "output" / "yrken" / "ljustekniker"
    assert (pages / "sida" / "3" / "index.html").is_file()  # 6 upcoming at 2 per page
    assert not (pages / "sida" / "4").exists()
    assert 'rel="next" href="../../../../yrken/ljustekniker/sida/3/"' in (
        pages / "sida" / "2" / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_resolves_under_a_sub_path(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    assert broken_links(tmp_path / "output", "https://example.org/kalender/") == []


def test_pages_are_swedish_well_nested_and_headings_in_order(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    for page in sorted((tmp_path / "output").rglob("*.html")):
        parsed = parse_page(page)
        where = page.relative_to(tmp_path).as_posix()
        assert parsed.lang == "sv", where
        assert parsed.errors == [] and parsed.stack == [], where
        assert heading_problems(parsed) == [], where
        assert len(parsed.ids) == len(set(parsed.ids)), where


def test_activity_page_shows_the_facts(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    html = (tmp_path / "output/aktiviteter/ljusbord-for-turne/index.html").read_text(encoding="utf-8")
    for fact in ("tisdag 23 mars 2027, 18.00–21.00", "tisdag 30 mars 2027, 18.00–21.00", "Kostnadsfritt",
                 "Avgift vid uteblivande utan avanmälan: 500\u00a0kr", "Sista ansökningsdag", "måndag 1 mars 2027",
                 "Ansökan (med urval)", "Ljusprogrammering för turnerande tekniker", '<a href="../../sprak/sv/">Svenska</a>',
                 '<a href="../../sprak/no/">Norska</a>'):
        assert fact in html
    cancelled = (tmp_path / "output/aktiviteter/dans-och-ljud/index.html").read_text(encoding="utf-8")
    assert "<strong>Inställd.</strong> Kursledaren är sjuk." in cancelled


def test_raw_html_in_content_is_sanitized(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    html = (tmp_path / "output/om/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<strong>oss</strong>" in html


def test_same_content_and_now_give_identical_bytes(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    build_site(content, tmp_path / "a")
    build_site(content, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_rendered_pages_leave_no_garbage_for_later(make_content, build_site) -> None:  # type: ignore[no-untyped-def]
    """The collector is off during a build, and a rendered page leaves reference cycles (a Jinja context and
    its macros): the build collects them as it renders, rather than holding every page's until it ends."""
    content = make_content()
    collecting = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        build_site(content, workers=1)
        gc.set_debug(gc.DEBUG_SAVEALL)  # what the collection below finds unreachable stays in gc.garbage
        gc.collect()
        contexts = sum(1 for o in gc.garbage if isinstance(o, jinja2.runtime.Context))
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if collecting:
            gc.enable()
    assert contexts == 0


def test_failed_build_leaves_output_untouched(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    build_site(content)
    before = tree(tmp_path / "output")
    (content / "activities" / "trasig.md").write_text("---\ntitle: x\nstart: 14 mars\n---\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(content)
    assert tree(tmp_path / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "output"]  # no staging left


def test_broken_site_reports_one_line_per_mistake(make_content, build_site) -> None:  # type: ignore[no-untyped-def]
    content = make_content("broken")
    with pytest.raises(ContentError) as failure:
        build_site(content)
    lines = [str(p) for p in failure.value.problems if p.severity == "error"]
    expected = (FIXTURES / "broken-expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines == expected


def test_root_relative_links_in_content_follow_the_page(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    html = (tmp_path / "output/om/index.html").read_text(encoding="utf-8")
    assert '<a href="../arkiv/" rel="noopener">arkivet</a>' in html and 'href="https://example.com/"' in html


@pytest.mark.slow
def test_the_sample_site_builds_with_working_links_under_a_sub_path(build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "content", content)
    site = (content / "site.yml").read_text(encoding="utf-8")
    (content / "site.yml").write_text(re.sub(r"(?m)^base_url: .*$", "base_url: https://example.org/kalender/", site),
                                      encoding="utf-8")
    result = build_site(content)
    assert result.activities >= 40
    output = tmp_path / "output"
    assert broken_links(output, "https://example.org/kalender/") == []
    for page in sorted(output.rglob("*.html")):
        parsed = parse_page(page)
        lang = "en" if page.relative_to(output).parts[0] == "en" else "sv"  # the English version under /en/
        assert parsed.lang == lang and parsed.errors == [] and heading_problems(parsed) == [], page
