"""`kkssite check` finds links into the site that resolve to nothing the build makes (as `zola check` does): in a
body or a URL field, relative, root-relative or under base_url; a warning with path:line, never an error."""

from __future__ import annotations

from pathlib import Path

from support import NOW, activity

from kkssite.build import check
from kkssite.cli import main
from kkssite.config import BuildOptions
from kkssite.links import resolve

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.org/kalender/"

BODY = """En beskrivning med länkar.

Se [arkivet](/arkiv/) och [ett år som inte finns](/arkiv/1999/).
Läs [om oss](../../om/) och [en aktivitet som saknas](../saknas/).
En [absolut länk](https://example.org/kalender/aktiviteter/lankar/) och en [som saknas](https://example.org/kalender/anmalan/x).
[Extern](https://example.com/anmalan/) · [e-post](mailto:info@example.org) · [avsnitt](#upplagg) · [ljudet](https://example.org/annat/).
Mistypad: [aktivitet](/aktiviteter/dans-och-ljd/).
"""


def link_warnings(content: Path) -> list[str]:
    catalog, problems = check(BuildOptions(content=content, now=NOW))
    assert catalog is not None and not problems.errors, [str(p) for p in problems.errors]
    return [str(p) for p in problems.warnings if "pekar in på webbplatsen" in p.message]


def test_sample_content_links_resolve() -> None:
    """The sample content's registrations once pointed at kulturkraftsyd.se/anmalan/…, where no page exists."""
    assert link_warnings(ROOT / "content") == []


def test_links_into_the_site_must_resolve(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("lankar", registration="\n  kind: anmälan\n  url: https://example.org/kalender/anmalan/lankar")
    text = files["activities/lankar.md"].replace("En beskrivning.\n", BODY)
    content = make_content(files={"activities/lankar.md": text})
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    path = "content/activities/lankar.md"
    warnings = link_warnings(content)
    assert warnings == sorted(warnings)
    expected = {
        f"{path}:{line_of('url: https://example.org/kalender/anmalan')}: varning: registration.url: länken "
        "https://example.org/kalender/anmalan/lankar pekar in på webbplatsen, men där finns ingen sida "
        "(/anmalan/lankar); länka till en sida som finns, eller till rätt adress om sidan ligger någon annanstans",
        f"{path}:{line_of('/arkiv/1999/')}: varning: länken /arkiv/1999/ pekar in på webbplatsen, men där finns "
        "ingen sida (/arkiv/1999/); länka till en sida som finns, eller till rätt adress om sidan ligger någon "
        "annanstans",
        f"{path}:{line_of('../saknas/')}: varning: länken ../saknas/ pekar in på webbplatsen, men där finns ingen "
        "sida (/aktiviteter/saknas/); länka till en sida som finns, eller till rätt adress om sidan ligger någon "
        "annanstans",
        f"{path}:{line_of('kalender/anmalan/x')}: varning: länken https://example.org/kalender/anmalan/x pekar in "
        "på webbplatsen, men där finns ingen sida (/anmalan/x); länka till en sida som finns, eller till rätt "
        "adress om sidan ligger någon annanstans",
        f"{path}:{line_of('dans-och-ljd')}: varning: länken /aktiviteter/dans-och-ljd/ pekar in på webbplatsen, "
        "men där finns ingen sida (/aktiviteter/dans-och-ljd/); länka till en sida som finns, eller till rätt "
        'adress om sidan ligger någon annanstans – menade du "aktiviteter/dans-och-ljud/"?',
    }
    assert set(warnings) == expected, "\n".join(sorted(set(warnings) ^ expected))


def test_check_prints_link_warnings_and_succeeds(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content(files=activity("lankar", online_url="https://example.org/kalender/mote", mode="online",
                                city=""))
    assert main(["check", "--now", "2026-11-27T12:00"]) == 0
    captured = capsys.readouterr()
    assert "content/activities/lankar.md:" in captured.err and ": varning: online_url: länken" in captured.err
    assert "Traceback" not in captured.err and "Inga fel i innehållet" in captured.out
    assert not Path("output").exists()


def test_resolve_reads_links_as_a_browser_does() -> None:
    page = "aktiviteter/x/"
    assert resolve("../y/", page, BASE) == "aktiviteter/y/"
    assert resolve("bild.jpg", page, BASE) == "aktiviteter/x/bild.jpg"
    assert resolve("/images/a.jpg?v=1#top", page, BASE) == "images/a.jpg"
    assert resolve("https://EXAMPLE.org/kalender/", page, BASE) == ""
    assert resolve("http://example.org/kalender/arkiv", page, BASE) == "arkiv"
    assert resolve("//example.org/kalender/arkiv/", page, BASE) == "arkiv/"
    for elsewhere in ("https://example.org/kalendern/", "https://example.com/kalender/", "mailto:a@b.se",
                      "tel:+4640000000", "#avsnitt", "?q=ljus"):
        assert resolve(elsewhere, page, BASE) is None, elsewhere
