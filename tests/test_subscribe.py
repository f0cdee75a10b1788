"""The subscribe page and the subscribe links on activity, term and listing pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
from feedgen_util import build_fixture

BASE = "https://example.org/kalender/"


class Links(HTMLParser):
    """Collects <a href>, <link rel=alternate>, <script src>, data-copy values and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[str, dict[str, str | None]]] = []
        self.alternates: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self.copies: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.anchors.append((a["href"] or "", a))
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        if a.get("data-copy"):
            self.copies.append(a["data-copy"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def hrefs(self) -> list[str]:
        return [href for href, _ in self.anchors]


def page(output: Path, rel: str) -> Links:
    parser = Links()
    parser.feed((output / rel).read_text(encoding="utf-8"))
    return parser


def local_file(output: Path, url: str) -> Path:
    """The output file behind an absolute (https or webcal) site URL."""
    https = "https://" + url.removeprefix("webcal://") if url.startswith("webcal://") else url
    assert https.startswith(BASE), url
    return output / unquote(https.removeprefix(BASE))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output, _ = build_fixture(tmp_path_factory.mktemp("subscribe"))
    return output


TERM_FEEDS = [
    "yrken/ljustekniker/", "yrken/producent/", "yrkeskategorier/teknisk/", "konstformer/musik/", "typer/kurs/",
    "typer/seminarium/", "orter/karlskrona/", "regioner/skane/", "regioner/blekinge/",
    "yrken/ljustekniker/blekinge/", "yrken/dansare/skane/", "",
]


@pytest.mark.parametrize("folder", TERM_FEEDS)
def test_subscribe_page_links_every_filter_three_ways_and_its_rss(site: Path, folder: str) -> None:
    links = page(site, "prenumerera/index.html")
    https = f"{BASE}{folder}kalender.ics"
    webcal = https.replace("https://", "webcal://")
    assert https in links.hrefs
    assert https in links.copies
    assert webcal in links.hrefs
    google = [h for h in links.hrefs if h.startswith("https://calendar.google.com/calendar/render?cid=")]
    assert any(parse_qs(urlsplit(g).query)["cid"] == [webcal] for g in google)
    assert f"{BASE}{folder}feed.xml" in links.hrefs


def test_subscribe_page_lists_every_term_of_every_facet(site: Path) -> None:
    links = page(site, "prenumerera/index.html")
    terms = [p.parent.relative_to(site).as_posix() for p in site.glob("*/*/kalender.ics")]
    assert len(terms) == 5 + 3 + 3 + 3 + 2 + 2 + 3  # professions, categories, art forms, types, cities, regions, languages
    for term in terms:
        assert f"{BASE}{term}/kalender.ics" in links.hrefs, term
    for feed in site.glob("yrken/*/*/kalender.ics"):
        assert f"{BASE}{feed.relative_to(site).as_posix()}" in links.hrefs


def test_every_feed_link_on_the_subscribe_page_exists(site: Path) -> None:
    links = page(site, "prenumerera/index.html")
    feeds = [h for h in links.hrefs if h.startswith(("webcal://", BASE)) and h.endswith((".ics", ".xml", ".json"))]
    assert len(feeds) >= 3 * 29  # webcal, https and RSS of 18 terms, 10 combinations and the whole calendar
    for url in feeds:
        assert local_file(site, url).is_file(), url


def test_subscribe_page_explains_subscribing_for_each_client(site: Path) -> None:
    text = " ".join(page(site, "prenumerera/index.html").text)
    for client in ("Google Kalender", "Outlook", "Apple Kalender", "Thunderbird"):
        assert client in text
    assert "uppdateras" in text
    assert "aldrig uppdateras" in text  # a download does not
    assert "sex månaderna" in text
    assert f"{BASE}andringar.xml" in page(site, "prenumerera/index.html").hrefs


def test_copy_script_is_shipped_and_referenced(site: Path) -> None:
    links = page(site, "prenumerera/index.html")
    scripts = [s for s in links.scripts if "subscribe" in s]
    assert scripts
    script = (site / "prenumerera" / scripts[0]).resolve()
    assert script.is_file()
    assert "clipboard.writeText" in script.read_text(encoding="utf-8")


def test_activity_page_offers_one_subscribe_with_choices_and_every_calendar_one_step_away(site: Path) -> None:
    """"Lägg till i kalender" for the activity, then one "Prenumerera": its choices are the activity's
    professions (in its region), region and type; every calendar of the activity is in a <details>."""
    html = (site / "aktiviteter/vinter/index.html").read_text(encoding="utf-8")
    assert html.index('id="kalender-lagg-till"') < html.index('id="kalender-prenumerera"')
    block = html.split('id="prenumerera"', 1)[1].split("</section>", 1)[0]
    names = [part.split('data-name="', 1)[1].split('"', 1)[0] for part in block.split("<input")[1:]]
    assert names == ["Ljustekniker i Skåne", "Skåne", "Kurser"]
    assert 'data-feed="webcal" href="webcal://example.org/kalender/yrken/ljustekniker/skane/kalender.ics"' in block
    assert block.count("<details") == 1 and block.index("<details") > block.index('data-feed="rss"')
    links = page(site, "aktiviteter/vinter/index.html")
    for folder in ("yrken/ljustekniker/", "yrken/ljustekniker/skane/", "konstformer/teater/", "typer/kurs/",
                   "orter/malmo/", "regioner/skane/", ""):
        assert f"webcal://example.org/kalender/{folder}kalender.ics" in links.hrefs, folder
        assert f"{BASE}{folder}feed.xml" in links.hrefs
    download = [h for h in links.hrefs if h.endswith("vinter.ics")]
    assert len(download) == 1
    assert (site / "aktiviteter/vinter" / download[0]).resolve() == (site / "aktiviteter/vinter/vinter.ics")
    google = next(h for h in links.hrefs if "action=TEMPLATE" in h)
    query = parse_qs(urlsplit(google).query)
    assert query["dates"] == ["20270119T190000/20270119T210000"]
    assert query["ctz"] == ["Europe/Stockholm"]
    assert query["text"] == ["Ljusdesign för scen"]
    assert query["location"] == ["Scenhuset, Storgatan 1, 211 00 Malmö"]
    assert BASE + "aktiviteter/vinter/" in query["details"][0]
    outlook = next(h for h in links.hrefs if h.startswith("https://outlook.live.com/calendar/0/deeplink/compose"))
    oquery = parse_qs(urlsplit(outlook).query)
    assert oquery["startdt"] == ["2027-01-19T19:00:00+01:00"]
    assert oquery["subject"] == ["Ljusdesign för scen"]
    assert any(h.startswith("https://outlook.office.com/") for h in links.hrefs)


def test_activity_page_links_deadline_download_and_each_session(site: Path) -> None:
    links = page(site, "aktiviteter/dst-mars/index.html")
    deadline = [h for h in links.hrefs if h.endswith("dst-mars-sista-dag.ics")]
    assert deadline
    assert (site / "aktiviteter/dst-mars" / deadline[0]).resolve().is_file()
    google = [parse_qs(urlsplit(h).query)["dates"][0] for h in links.hrefs if "action=TEMPLATE" in h]
    assert google == ["20270327T190000/20270327T210000", "20270328T190000/20270328T210000",
                      "20270329T190000/20270329T210000"]
    allday = page(site, "aktiviteter/heldag/index.html")
    dates = [parse_qs(urlsplit(h).query)["dates"][0] for h in allday.hrefs if "action=TEMPLATE" in h]
    assert dates == ["20270210/20270213"]


def test_term_page_has_its_own_links_and_alternates(site: Path) -> None:
    links = page(site, "yrken/ljustekniker/index.html")
    alternates = {(a["type"], a["href"]) for a in links.alternates}
    assert ("application/rss+xml", f"{BASE}yrken/ljustekniker/feed.xml") in alternates
    assert ("text/calendar", f"{BASE}yrken/ljustekniker/kalender.ics") in alternates
    assert ("application/rss+xml", f"{BASE}feed.xml") in alternates
    for folder in ("yrken/ljustekniker/", "yrken/ljustekniker/skane/", "yrken/ljustekniker/blekinge/"):
        assert f"webcal://example.org/kalender/{folder}kalender.ics" in links.hrefs
    past = page(site, "yrken/ljustekniker/tidigare/index.html")
    assert ("application/rss+xml", f"{BASE}yrken/ljustekniker/feed.xml") in {
        (a["type"], a["href"]) for a in past.alternates}
    city = page(site, "orter/malmo/index.html")
    assert "webcal://example.org/kalender/orter/malmo/kalender.ics" in city.hrefs
    assert not [h for h in city.hrefs if "/orter/malmo/skane/" in h]


def test_listing_pages_link_the_whole_calendar(site: Path) -> None:
    for rel in ("aktiviteter/index.html", "arkiv/2027/index.html"):
        links = page(site, rel)
        assert "webcal://example.org/kalender/kalender.ics" in links.hrefs
        assert f"{BASE}feed.xml" in links.hrefs
        assert {"application/rss+xml", "text/calendar", "application/feed+json"} <= {
            a["type"] for a in links.alternates}


def test_relative_links_resolve(site: Path) -> None:
    for rel in ("prenumerera/index.html", "aktiviteter/vinter/index.html", "yrken/ljustekniker/index.html"):
        for href in page(site, rel).hrefs:
            if "://" in href or href.startswith(("mailto:", "#")):
                continue
            target = urljoin(f"{BASE}{rel}", href.split("?", 1)[0]).removeprefix(BASE)  # a query fills a form
            path = site / target
            assert path.is_file() or (path / "index.html").is_file(), (rel, href)


def test_cancelled_activity_offers_no_download_but_keeps_subscriptions(site: Path) -> None:
    links = page(site, "aktiviteter/installd/index.html")
    assert not [h for h in links.hrefs if h.endswith("installd.ics") or "action=TEMPLATE" in h]
    assert "webcal://example.org/kalender/yrken/dansare/kalender.ics" in links.hrefs
    assert "Aktiviteten är inställd." in " ".join(links.text)
    assert (site / "aktiviteter/installd/installd.ics").is_file()  # still published, with STATUS:CANCELLED
