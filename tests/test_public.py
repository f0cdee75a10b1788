"""The public face on the built HTML: cards, the month calendar, the filter's form and index, schema.org JSON-LD,
Open Graph, sitemap.xml and robots.txt, the accessibility statement, colour contrast and page weight."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

import pytest
from htmlcheck import broken_links, heading_problems, parse_page
from support import NOW, activity
from test_build import tree

from kkssite.build import build
from kkssite.config import BuildOptions
from kkssite.filters import fold

ROOT = Path(__file__).parent.parent
BASE = "https://example.org/kks/"


# --- a small DOM of a built page ----------------------------------------------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(
                        (child.attrs.get(k.rstrip("_").replace("_", "-")) == v) if v != "*"
                        else k.rstrip("_").replace("_", "-") in child.attrs for k, v in attrs.items()):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def css(self, cls: str) -> list[Node]:
        return [n for n in self.all() if cls in n.classes]


class Tree(HTMLParser):
    VOID: ClassVar[set[str]] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def dom(file: Path) -> Node:
    parser = Tree()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser.root


def words(text: str) -> str:
    """Text with runs of ordinary white space as one space (no-break spaces stay)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def json_ld(file: Path) -> list[dict]:
    return [json.loads(s.text) for s in dom(file).all("script", type="application/ld+json")]


# --- the sample site, built once ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ built at NOW (2026-11-27 12:00) for a site under a sub-path."""
    work = tmp_path_factory.mktemp("public")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    site = (content / "site.yml").read_text(encoding="utf-8")
    (content / "site.yml").write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {BASE}", site), encoding="utf-8")
    build(BuildOptions(content=content, output=work / "output", now=NOW, cache=None))
    return work / "output"


def upcoming_slugs(output: Path) -> list[str]:
    """The activities of /aktiviteter/ and its pages, in order."""
    slugs: list[str] = []
    pages = [output / "aktiviteter/index.html", *sorted((output / "aktiviteter/sida").glob("*/index.html"),
                                                         key=lambda p: int(p.parent.name))]
    for page in pages:
        listing = dom(page).all("div", id="listing")[0]
        slugs += [a.attrs["href"].rstrip("/").rsplit("/", 1)[-1] for a in listing.all("a")
                  if "card-title" in (a.parent.classes if a.parent else set())]
    return slugs


# --- cards --------------------------------------------------------------------------------------------------


def test_cards_show_date_type_place_audience_price_deadline_and_status(sample: Path) -> None:
    page = dom(sample / "aktiviteter/index.html")
    cards = {words(c.css("card-title")[0].text): c for c in page.all("div", id="listing")[0].css("card")}
    light = cards["Ljusdesign för scen – LED, färg och programmering"]
    assert words(light.css("card-when")[0].text) == (
        "tisdag 2 februari 2027, 09.00–16.00 3 tillfällen till och med 16 februari 2027")
    assert [words(s.text) for s in light.css("nowrap")] == ["09.00–16.00"]  # a time range never breaks
    assert light.all("time")[0].attrs["datetime"] == "2027-02-02T09:00:00+01:00"
    assert [words(s.text) for s in light.css("card-meta")[0].all("span")] == ["Kurs", "Karlskrona", "1\u00a0800\u00a0kr"]
    assert words(light.css("card-for")[0].text) == "Ljusdesigner, Ljustekniker"  # the professions, as written
    assert words(light.css("card-art")[0].text) == "Teater · Dans" and {"af", "af-teater"} <= light.classes
    assert light.css("card-art")[0].all("use")[0].attrs["href"] == "#em-teater"
    assert words(light.css("card-deadline")[0].text) == "Sista anmälningsdag: fredag 15 januari 2027"
    assert not light.css("badge")
    online = cards["Nå publiken i sociala medier – digital föreläsning"]
    assert [words(s.text) for s in online.css("card-meta")[0].all("span")] == [
        "Föreläsning", "Digitalt", "Kostnadsfritt"]
    cancelled = cards["Figurteater för vuxen publik"]
    assert "is-cancelled" in cancelled.classes
    assert [words(b.text) for b in cancelled.css("badge")] == ["Inställd"]
    assert not cancelled.css("card-deadline")  # no registration for a cancelled activity
    assert words(cancelled.css("card-for")[0].text) == "Dockspelare, Skådespelare, Scenograf och 1 till"
    assert words(online.css("card-for")[0].text).endswith(" och 1 till")
    everyone = cards["Avtal och upphovsrätt i en digital tid"]
    assert words(everyone.css("card-for")[0].text) == "Alla yrken" and "af-alla" in everyone.classes
    assert words(everyone.css("card-art")[0].text) == "Alla konstformer"
    assert [words(b.text) for b in cards["Fallskydd och säkert arbete på höjd"].css("badge")] == ["Fullbokad"]
    postponed = next(c for t, c in cards.items() if t.startswith("Scenografi"))
    assert [words(b.text) for b in postponed.css("badge")] == ["Uppskjuten"]


def test_deadline_soon_badge_follows_now_and_incremental_builds_stay_exact(make_content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = activity("snart", title="Snart stänger anmälan",
                     registration="\n  kind: anmälan\n  email: a@example.org\n  deadline: 2026-12-03")
    files.update(activity("senare", title="Anmälan stänger senare", start="2027-02-04 09:00",
                          registration="\n  kind: ansökan\n  email: a@example.org\n  deadline: 2026-12-20"))
    content = make_content(files=files)

    def badges(output: Path) -> dict[str, list[str]]:
        cards = dom(output / "aktiviteter/index.html").all("div", id="listing")[0].css("card")
        cards += dom(output / "aktiviteter/sida/2/index.html").all("div", id="listing")[0].css("card")
        return {words(c.css("card-title")[0].text): [words(b.text) for b in c.css("badge")] for c in cards}

    def run(now: datetime, output: str, cache: Path | None) -> Path:
        build(BuildOptions(content=content, output=tmp_path / output, now=now, cache=cache))
        return tmp_path / output

    out = run(NOW, "out", tmp_path / ".cache")
    assert badges(out)["Snart stänger anmälan"] == ["Sista anmälningsdag snart"]  # 6 days ahead
    assert badges(out)["Anmälan stänger senare"] == []  # 23 days ahead
    later = NOW + timedelta(days=17)  # 2026-12-14: the first deadline has passed, the second is 6 days ahead
    run(later, "out", tmp_path / ".cache")  # incremental: only what changed is rendered again
    assert badges(out)["Anmälan stänger senare"] == ["Sista ansökningsdag snart"]
    assert "Snart stänger anmälan" in badges(out) and badges(out)["Snart stänger anmälan"] == []
    clean = run(later, "clean", None)
    assert tree(out) == tree(clean)


# --- month calendar -----------------------------------------------------------------------------------------


def month_cells(page: Node) -> dict[int, Node]:
    table = page.all("table")[0]
    return {int(words(td.css("day-number")[0].text)): td for td in table.all("td") if td.css("day-number")}


def test_month_grid_is_an_accessible_table_starting_on_monday(sample: Path) -> None:
    page = dom(sample / "kalender/2027/02/index.html")
    table = page.all("table")[0]
    assert words(table.all("caption")[0].text) == "Februari 2027"
    head = [words(th.text) for th in table.all("thead")[0].all("th")]
    assert head == ["V.", "Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"]
    assert all(th.attrs.get("scope") == "col" for th in table.all("thead")[0].all("th"))
    rows = table.all("tbody")[0].all("tr")
    assert [words(r.all("th")[0].text) for r in rows] == ["Vecka 5", "Vecka 6", "Vecka 7", "Vecka 8"]
    assert all(r.all("th")[0].attrs.get("scope") == "row" for r in rows)
    first_row = rows[0].all("td")
    assert len(first_row) == 7 and first_row[0].css("day-number")[0].text == "1"  # 1 February 2027 is a Monday
    assert words(first_row[0].css("day-long")[0].text) == "måndag 1 februari 2027"
    assert not page.all(aria_current="date")  # today is not in February 2027


def test_month_shows_each_session_and_each_day_of_multi_day_activities(sample: Path) -> None:
    february = month_cells(dom(sample / "kalender/2027/02/index.html"))
    light = "Ljusdesign för scen – LED, färg och programmering"
    for day in (2, 9, 16):
        entries = [words(e.text) for e in february[day].css("entry")]
        assert any(light in e and "09.00–16.00" in e for e in entries), (day, entries)
    assert not any(light in words(e.text) for e in february[3].css("entry"))
    august = month_cells(dom(sample / "kalender/2027/08/index.html"))
    for day in range(9, 14):  # the study trip, all day from 9 to 13 August
        assert any("hela dagen" in words(e.text) for e in august[day].css("entry")), day
    january = month_cells(dom(sample / "kalender/2027/01/index.html"))
    spanning = [words(e.text) for d in (20, 21) for e in january[d].css("entry") if "Scenografi" in e.text]
    assert spanning[0].startswith("från 09.00") and spanning[1].startswith("till 16.00")
    assert any("Uppskjuten" in s for s in spanning)


def test_month_of_now_marks_today_and_links_neighbours(sample: Path) -> None:
    page = dom(sample / "kalender/2026/11/index.html")
    today = page.all(aria_current="date")
    assert len(today) == 1 and today[0].tag == "td" and "27" in today[0].text and "i dag" in today[0].text
    nav = page.all("nav", aria_label="Månader")[0]
    assert {a.attrs.get("rel"): a.attrs["href"] for a in nav.all("a")} == {
        "prev": "../../../kalender/2026/10/", "next": "../../../kalender/2026/12/"}
    assert "december 2026" in words(page.css("empty")[0].text)  # no activities now, the next ones are linked
    december = dom(sample / "kalender/2026/12/index.html")
    assert [a.attrs["href"] for a in december.all("a") if a.text == "Den här månaden"] == ["../../../kalender/2026/11/"]


def test_months_run_from_the_first_to_the_last_activity(sample: Path) -> None:
    months = sorted(p.parent.relative_to(sample / "kalender").as_posix()
                    for p in (sample / "kalender").glob("*/*/index.html"))
    assert months[0] == "2010/10" and months[-1] == "2027/12" and "2020/06" in months
    assert len(months) == (2027 - 2010) * 12 + 12 - 9
    index = dom(sample / "kalender/index.html")
    assert "2026/11/" in " ".join(a.attrs["href"] for a in index.all("a"))
    home = dom(sample / "index.html")
    assert "kalender/2026/11/" in [a.attrs["href"] for a in home.all("a")]


def test_month_without_activities_is_generated_for_now(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    out = tmp_path / "output" / "kalender"
    assert (out / "2026/11/index.html").is_file()  # the month of NOW has no activity of its own
    assert (out / "2012/05/index.html").is_file() and (out / "2027/03/index.html").is_file()
    assert not (out / "2012/04").exists() and not (out / "2027/04").exists()


# --- the filter ---------------------------------------------------------------------------------------------


def test_filter_index_holds_every_upcoming_activity_with_card_texts(sample: Path) -> None:
    data = json.loads((sample / "aktiviteter/index.json").read_text(encoding="utf-8"))
    items = data["items"]
    assert data["p"] == "aktiviteter/"  # every item's page is in this folder
    assert [data["p"] + i["u"] for i in items] == [f"aktiviteter/{slug}/" for slug in upcoming_slugs(sample)]
    assert data["base"] == BASE and data["v"] == 2
    light = next(i for i in items if i["u"] == "ljusdesign-for-scen-2027/")
    assert light["w"] == "tisdag 2 februari 2027, 09.00–16.00" and light["pr"] == "1\u00a0800\u00a0kr"
    assert light["f"]["yrke"] == ["ljusdesigner", "ljustekniker"] and light["f"]["ort"] == ["karlskrona"]
    assert "region" not in light["f"] and light["m"] == ["2027-02"]  # a region fits when one of its cities does
    assert light["ar"] == "Teater · Dans" and light["a"] == "teater" and light["au"] == "Ljusdesigner, Ljustekniker"
    assert "led-armaturer" in light["s"] and "malin ekdahl" in light["s"] and light["s"] == fold(light["s"])
    assert "ljusdesign for scen" not in light["s"]  # filter.js adds the card's own texts
    spring = next(o for g in data["periods"] for o in g["o"] if o[0] == "varen-2027")
    assert spring[1] == "Våren 2027, januari–juni" and spring[2][0] == "2027-01"
    assert all(p[0] >= "2026-11" for g in data["periods"] for o in g["o"] for p in [o[2]])


def test_ljustekniker_courses_in_malmo_next_spring(sample: Path) -> None:
    """What filter.js does for ?yrke=ljustekniker&ort=malmo&typ=kurs&tid=varen-2027, on the index."""
    data = json.loads((sample / "aktiviteter/index.json").read_text(encoding="utf-8"))
    months = {o[0]: o[2] for g in data["periods"] for o in g["o"]}

    def fits(item: dict, param: str, value: str) -> bool:
        terms = item["f"].get(param)
        return terms == "*" or (terms is not None and value in terms)

    found = [i["t"] for i in data["items"] if fits(i, "yrke", "ljustekniker") and fits(i, "ort", "malmo")
             and fits(i, "typ", "kurs") and set(i["m"]) & set(months["varen-2027"])]
    assert found == ["Ljusbordet från grunden – kurs för ljustekniker i Malmö"]
    form = dom(sample / "aktiviteter/index.html").all("form", id="filter")[0]
    values = {o.attrs["value"] for o in form.all("option")}
    assert {"yrke:ljustekniker", "ort:malmo", "typ:kurs", "region:skane", "yrkeskategori:teknisk"} <= values


def test_filter_form_is_on_upcoming_listings_only_and_presets_the_term(sample: Path) -> None:
    listing = dom(sample / "aktiviteter/index.html")
    form = listing.all("form", id="filter")[0]
    assert "hidden" in form.attrs and form.attrs["data-preset"] == "{}"
    assert form.attrs["data-index"] == "../aktiviteter/index.json" and form.attrs["data-base"] == BASE
    labels = {words(label.text) for label in form.all("label")}
    assert labels == {"Yrke", "Konstform", "Ort", "Typ av aktivitet", "Språk", "När", "Sök i text"}
    assert all(form.all(id=label.attrs["for"]) for label in form.all("label"))
    assert form.all("input", type="search")
    status = listing.all(id="filter-status")[0]
    assert status.attrs["role"] == "status" and words(status.text) == f"{len(upcoming_slugs(sample))} kommande aktiviteter"
    term = dom(sample / "yrken/ljustekniker/index.html").all("form", id="filter")[0]
    assert json.loads(term.attrs["data-preset"]) == {"yrke": "yrke:ljustekniker"}
    assert json.loads(dom(sample / "regioner/skane/index.html").all("form", id="filter")[0].attrs["data-preset"]) == {
        "ort": "region:skane"}
    assert json.loads(dom(sample / "sprak/en/index.html").all("form", id="filter")[0].attrs["data-preset"]) == {
        "sprak": "sprak:en"}
    assert dom(sample / "aktiviteter/sida/2/index.html").all("form", id="filter")
    for page in ("yrken/ljustekniker/tidigare/index.html", "arkiv/2013/index.html", "index.html"):
        assert not dom(sample / page).all("form", id="filter"), page


def test_every_filter_option_has_its_feed(sample: Path) -> None:
    """The index names the feed folder of every option of a facet, which two facets are crossed (a profession
    in a region: a folder inside the profession's) and the whole calendar's; each folder holds a calendar, an
    RSS feed and a page. A region or a category is the first option of its group (filter.js reads its broader
    choice, and its members, from the optgroups)."""
    form = dom(sample / "aktiviteter/index.html").all("form", id="filter")[0]
    index = json.loads((sample / "aktiviteter/index.json").read_text(encoding="utf-8"))
    assert index["files"] == ["kalender.ics", "feed.xml"]
    options = {o.attrs["value"] for o in form.all("option") if ":" in (o.attrs.get("value") or "")}
    options.discard("digitalt:ja")  # online is a choice of mode, not of a facet term: it has no feed
    feeds = index["feeds"]
    assert len(options) > 40 and options == set(feeds["terms"])
    assert feeds["crossed"] == ["yrke", "region"] and feeds["all"] == ["", "aktiviteter/"]
    folders = [*feeds["terms"].values(), feeds["all"][0]]
    folders += [feeds["terms"][f"yrke:{p}"] + f"{r}/" for p in ("ljustekniker", "producent") for r in ("skane", "blekinge")]
    for folder in folders:
        assert (sample / folder / "kalender.ics").is_file() and (sample / folder / "feed.xml").is_file(), folder
    for page in [*feeds["terms"].values(), feeds["all"][1]]:
        assert (sample / page / "index.html").is_file(), page
    assert feeds["terms"]["yrke:ljustekniker"] == "yrken/ljustekniker/"
    groups = {g.attrs["label"]: [o.attrs["value"] for o in g.all("option")] for g in form.all("optgroup")}
    assert groups["Skåne"][0] == "region:skane" and "ort:malmo" in groups["Skåne"]
    assert groups["Tekniska yrken"][0] == "yrkeskategori:teknisk" and "yrke:ljustekniker" in groups["Tekniska yrken"]
    names = [o.text for g in form.all("optgroup") if g.attrs["label"] == "Tekniska yrken" for o in g.all("option")][1:]
    assert names == sorted(names, key=lambda n: n.replace("ö", "{"))  # alphabetical within a category


def test_script_cards_have_the_markup_of_static_cards(sample: Path) -> None:
    page = dom(sample / "aktiviteter/index.html")
    template = page.all("template", id="filter-card")[0]
    scripted = [n for n in template.all() if n.classes]
    static = page.all("div", id="listing")[0].css("card")
    static_classes = {c for card in static for n in [card, *card.all()] for c in n.classes}
    made_by_script = {"badge", "is-cancelled", "nowrap"} | {c for c in static_classes if c.startswith(("badge-", "af-"))}
    assert {c for n in scripted for c in n.classes} == static_classes - made_by_script
    heading = {n.tag for n in template.all() if "card-title" in n.classes}
    assert heading == {n.tag for card in static for n in card.css("card-title")} == {"h2"}
    js = (ROOT / "theme/static/filter.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js  # text goes in as text
    assert '"badge badge-"' in js and '"is-cancelled"' in js
    for cls in ("card-more", "card-type", "card-place", "card-price", "card-for", "card-deadline", "badges"):
        assert f".{cls}" in js, cls


# --- structured data and metadata ---------------------------------------------------------------------------


def test_activity_pages_carry_schema_org_events(sample: Path) -> None:
    [light] = json_ld(sample / "aktiviteter/ljusdesign-for-scen-2027/index.html")
    assert light["@type"] == "Event" and light["name"] == "Ljusdesign för scen – LED, färg och programmering"
    assert light["startDate"] == "2027-02-02T09:00:00+01:00" and light["endDate"] == "2027-02-16T16:00:00+01:00"
    assert light["eventStatus"] == "https://schema.org/EventScheduled"
    assert light["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert light["url"] == f"{BASE}aktiviteter/ljusdesign-for-scen-2027/" and light["inLanguage"] == ["sv"]
    place = light["location"]
    assert place["@type"] == "Place" and place["name"] == "Scenhuset Stumholmen"
    assert place["address"]["@type"] == "PostalAddress" and place["address"]["addressLocality"] == "Karlskrona"
    assert place["address"]["addressCountry"] == "SE" and place["address"]["addressRegion"] == "Blekinge"
    assert [o["name"] for o in light["organizer"]] == ["KulturKraft Syd", "Regionteatern Blekinge Kronoberg"]
    offer = light["offers"]
    assert (offer["price"], offer["priceCurrency"], offer["availability"]) == (
        "1800", "SEK", "https://schema.org/InStock")
    assert offer["validThrough"] == "2027-01-15T23:59:00+01:00"
    assert [s["startDate"] for s in light["subEvent"]] == [
        "2027-02-02T09:00:00+01:00", "2027-02-09T09:00:00+01:00", "2027-02-16T09:00:00+01:00"]
    assert light["description"].startswith("Tre tisdagar på Stumholmen")

    [online] = json_ld(sample / "aktiviteter/sociala-medier-for-scenkonst-2026/index.html")
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.kulturkraftsyd.se/sociala-medier-2026"}
    assert online["offers"]["price"] == "0"
    [hybrid] = json_ld(sample / "aktiviteter/avtal-och-upphovsratt-2027/index.html")
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in hybrid["location"]] == ["Place", "VirtualLocation"]
    statuses = {slug: json_ld(sample / f"aktiviteter/{slug}/index.html")[0] for slug in (
        "figurteater-for-vuxen-publik-2027", "scenografi-i-sma-rum-2027", "fallskydd-och-arbete-pa-hojd-2027")}
    assert statuses["figurteater-for-vuxen-publik-2027"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert statuses["scenografi-i-sma-rum-2027"]["eventStatus"] == "https://schema.org/EventPostponed"
    assert statuses["fallskydd-och-arbete-pa-hojd-2027"]["offers"]["availability"] == "https://schema.org/SoldOut"
    for page in (sample / "aktiviteter").glob("*/index.html"):
        assert len(json_ld(page)) == 1, page


def test_json_ld_cannot_close_its_script(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    title = 'Ljus </script><script>alert("x")</script> & <!-- mer'
    build_site(make_content(files=activity("elak", title=json.dumps(title))))
    html = (tmp_path / "output/aktiviteter/elak/index.html").read_text(encoding="utf-8")
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and json.loads(script)["name"] == title


def test_pages_have_canonical_url_description_and_open_graph(sample: Path) -> None:
    for page in sorted(sample.rglob("*.html")):
        rel = page.relative_to(sample).as_posix()
        head = dom(page)
        metas = {m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content") for m in head.all("meta")}
        if metas.get("robots") == "noindex" and rel != "404.html":  # the embeds' frame, the e-mail digests
            assert not head.all("link", rel="canonical"), rel
            continue
        assert metas.get("description"), rel
        assert metas["og:locale"] == ("en_GB" if rel.startswith("en/") else "sv_SE"), rel
        assert metas["og:type"] == "website" and metas["og:title"], rel
        assert metas["og:description"] == metas["description"], rel
        if rel == "404.html":
            assert metas["robots"] == "noindex" and not head.all("link", rel="canonical")
            continue
        url = BASE + rel.removesuffix("index.html")
        assert [link.attrs["href"] for link in head.all("link", rel="canonical")] == [url], rel
        assert metas["og:url"] == url, rel
    metas = {m.attrs.get("property"): m.attrs.get("content")
             for m in dom(sample / "aktiviteter/figurteater-for-vuxen-publik-2027/index.html").all("meta")}
    assert metas["og:title"] == "INSTÄLLD: Figurteater för vuxen publik"


def test_sitemap_lists_every_page_and_robots_points_to_it(sample: Path) -> None:
    root = ElementTree.parse(sample / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    pages = {BASE + p.relative_to(sample).as_posix().removesuffix("index.html")
             for p in sample.rglob("*.html") if '<meta name="robots" content="noindex">' not in p.read_text("utf-8")}
    assert len(locs) == len(set(locs)) and set(locs) == pages
    assert BASE + "kalender/2026/11/" in locs and BASE in locs
    robots = (sample / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines() and "User-agent: *" in robots


def test_sitemap_escapes_urls(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    site = (content / "site.yml").read_text(encoding="utf-8")
    (content / "site.yml").write_text(site.replace("https://example.org/kalender/", "https://example.org/a&b/"),
                                      encoding="utf-8")
    build_site(content)
    xml = (tmp_path / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "a&amp;b" in xml and "a&b" not in xml
    assert ElementTree.fromstring(xml.encode())


# --- accessibility: statement, landmarks, contrast; weight ---------------------------------------------------


def test_accessibility_statement_follows_diggs_form_and_is_in_the_footer(sample: Path) -> None:
    home = dom(sample / "index.html")
    footer = home.all("footer")[-1]
    assert "tillganglighet/" in [a.attrs["href"] for a in footer.all("a")]
    statement = dom(sample / "tillganglighet/index.html")
    headings = [words(h.text) for h in statement.all("h2")]
    for expected in ("Hur tillgänglig är webbplatsen?", "Vad kan du göra om du inte kan använda delar av webbplatsen?",
                     "Rapportera brister i webbplatsens tillgänglighet", "Tillsyn",
                     "Teknisk information om webbplatsens tillgänglighet", "Hur vi testat webbplatsen"):
        assert expected in headings, expected
    text = words(statement.all("main")[0].text)
    assert "delvis förenlig" in text and "Myndigheten för digital förvaltning" in text and "WCAG 2.1" in text
    for page in ("aktiviteter/index.html", "kalender/2026/11/index.html", "404.html"):
        assert any("tillganglighet/" in a.attrs["href"] for a in dom(sample / page).all("footer")[-1].all("a")), page


def test_landmarks_skip_link_and_headings(sample: Path) -> None:
    for rel in ("index.html", "aktiviteter/index.html", "kalender/2027/03/index.html", "kalender/index.html",
                "yrken/ljustekniker/index.html", "aktiviteter/ljusdesign-for-scen-2027/index.html", "404.html"):
        page = dom(sample / rel)
        body = page.all("body")[0]
        first = next(c for c in body.children if isinstance(c, Node))
        assert first.tag == "a" and first.attrs["href"] == "#main" and "skip" in first.classes, rel
        assert len(page.all("main", id="main")) == 1 and page.all("header") and page.all("footer"), rel
        assert all(n.attrs.get("aria-label") for n in page.all("nav")), rel
        assert heading_problems(parse_page(sample / rel)) == [], rel
    assert broken_links(sample, BASE) == []


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa_in_light_and_dark_mode() -> None:
    css = (ROOT / "theme/static/style.css").read_text(encoding="utf-8")
    blocks = re.findall(r":root\s*{([^}]*)}", css)
    assert len(blocks) == 2  # light, then dark (prefers-color-scheme)
    text_pairs = [("fg", "bg"), ("fg", "card"), ("fg", "tint"), ("muted", "bg"), ("muted", "card"), ("muted", "tint"),
                  ("link", "bg"), ("link", "card"), ("link", "tint"), ("accent", "card"), ("accent-fg", "accent"),
                  ("warn-fg", "warn-bg"), ("bad-fg", "bad-bg"), ("info-fg", "info-bg"), ("soon-fg", "soon-bg"),
                  ("fg", "today-bg"), ("link", "today-bg"), ("muted", "today-bg"), ("fg", "line")]
    graphic_pairs = [("control", "card"), ("control", "tint"), ("focus", "bg"), ("focus", "card"), ("today-line", "today-bg")]
    for block in blocks:
        colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", block))
        low = [(a, b, round(contrast(colours[a], colours[b]), 2)) for a, b in text_pairs
               if contrast(colours[a], colours[b]) < 4.5]
        low += [(a, b, round(contrast(colours[a], colours[b]), 2)) for a, b in graphic_pairs
                if contrast(colours[a], colours[b]) < 3]
        assert low == [], low


def test_listing_page_weighs_under_100_kb_with_everything_it_loads(sample: Path) -> None:
    """HTML, style sheet, scripts and the filter's index (which filter.js loads on first use), before images (issue
    13): the photos themselves, their <picture> markup and their entries in the index are not counted; the style
    sheet's and the script's code for photos is. The photos' markup and data stay small beside it."""
    page = sample / "aktiviteter/index.html"
    parsed = parse_page(page)
    assets = [link for link in parsed.links if link.startswith("../static/")]
    assert {Path(a).suffix for a in assets} == {".css", ".js"}
    html, index = page.read_bytes(), (sample / "aktiviteter/index.json").read_bytes()
    photos = {"html": sum(map(len, re.findall(rb"<picture.*?</picture>", html))),
              "index": sum(map(len, re.findall(rb',"ph":\["[^]]*\][^]]*\]', index)))}
    assert photos["html"] > 0 and photos["index"] > 0  # the sample's listing shows photos
    sizes = {"html": len(html) - photos["html"], "index": len(index) - photos["index"]}
    sizes.update({Path(a).name: (page.parent / a).stat().st_size for a in assets})
    assert sum(sizes.values()) < 100_000, sizes
    assert sum(photos.values()) < 1_000 * html.count(b"<picture"), photos  # under 1 kB per photo shown
    assert sizes[next(n for n in sizes if n.startswith("filter."))] < 15_000  # "a few kB of plain JavaScript"


def test_no_external_requests_in_pages_or_assets(sample: Path) -> None:
    for page in sample.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            src = re.search(r'\b(?:src|href)="([^"]*)"', tag)
            if src and 'rel="alternate"' not in tag and 'rel="canonical"' not in tag:
                assert not re.match(r"(https?:)?//", src.group(1)), (page, tag)
            for srcset in re.findall(r'\bsrcset="([^"]*)"', tag):  # a photo's sizes
                assert not any(re.match(r"(https?:)?//", c.strip()) for c in srcset.split(",")), (page, tag)
    for asset in (sample / "static").iterdir():
        text = asset.read_text(encoding="utf-8")
        assert "@import" not in text and "url(" not in text.replace("url(#", ""), asset
        assert re.match(r"[a-z]+\.[0-9a-f]{10}\.(css|js)$", asset.name), asset.name


def test_today_is_decided_by_now_not_the_clock(make_content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    later = datetime(2027, 3, 23, 19, 0, tzinfo=NOW.tzinfo)
    build(BuildOptions(content=content, output=tmp_path / "out", now=later, cache=None))
    march = dom(tmp_path / "out/kalender/2027/03/index.html")
    [today] = march.all(aria_current="date")
    assert today.all("time")[0].attrs["datetime"] == date(2027, 3, 23).isoformat()
    assert not dom(tmp_path / "out/kalender/2026/11/index.html").all(aria_current="date")
