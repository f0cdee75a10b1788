"""Convert a generated kkssite content folder into two Hugo sites and a Pelican site with the same activities.

Each activity keeps its title, slug, first start, summary, draft flag and Markdown body unchanged. Professions
(category slugs and `alla` expanded, as kkssite does), art forms, city and type become Hugo taxonomies; in
Pelican the type is the category and the rest are tags. Venues, needs and the other record kinds have no
counterpart and are left out. A converted folder is reused while the corpus and this converter are unchanged.

The minimal Hugo site (bench/compare/hugo/) gets exactly those front-matter lines. The full one (hugo-full/:
the minimal layouts with hugo-full/ copied over them) gets the same lines followed by what its calendars and
JSON need: UID, status, `published`, every session, the location written out from the venue, price and
registration, the deadline (and an extra `deadline` output for the pages that have one), the taxonomies
regions, profession categories, languages and "profession × region" terms (one per profession and the
activity's region, with only a calendar and RSS at /yrken/<profession>/<region>/, like kkssite's crossed
feeds), a title page per term, and params.toml with the feed window (bench.run.NOW and six months before).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MARKER = ".bench-converted"
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def read(path: Path) -> tuple[dict[str, Any], str]:
    """(front matter as strings, Markdown body) of one content file."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.load(head, Loader=_Loader), body


def _list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


class Activities:
    """The activities of a generated site, with their facets resolved against its vocabularies."""

    def __init__(self, site: Path) -> None:
        vocab = yaml.load((site / "vocabularies.yml").read_text(encoding="utf-8"), Loader=_Loader)
        self.vocab = vocab
        self.professions = [p["slug"] for p in vocab["professions"]]
        self.art_forms = [a["slug"] for a in vocab["art_forms"]]
        self.category_of = {p["slug"]: p["category"] for p in vocab["professions"]}
        self.files = sorted((site / "activities").glob("*.md"))
        self.site = site

    def expand_professions(self, values: list[str]) -> list[str]:
        if "alla" in values:
            return list(self.professions)
        return [p for p in self.professions if p in values or self.category_of[p] in values]

    def __iter__(self):  # type: ignore[no-untyped-def]
        for path in self.files:
            meta, body = read(path)
            start = meta["start"] if "start" in meta else meta["sessions"][0]["start"]
            day, _, clock = start.partition(" ")
            art_forms = _list(meta["art_forms"])
            yield {
                "slug": path.stem, "title": meta["title"], "day": day, "clock": clock[:5],
                "summary": meta.get("summary"), "draft": meta.get("draft") == "true", "type": meta["type"],
                "professions": self.expand_professions(_list(meta["professions"])),
                "art_forms": list(self.art_forms) if "alla" in art_forms else art_forms,
                "cities": [meta["city"]] if "city" in meta else [], "body": body, "meta": meta,
            }


def _fresh(dest: Path, site: Path, now: str = "") -> tuple[bool, str]:
    """Whether dest already holds this conversion, and the stamp that says so."""
    digest = hashlib.sha256((site / ".bench-generated").read_bytes() + now.encode())
    templates = [p for folder in ("hugo", "hugo-full") for p in sorted((HERE / folder).rglob("*")) if p.is_file()]
    for path in [Path(__file__), HERE / "pelicanconf.py", *templates]:
        digest.update(path.read_bytes())
    stamp = digest.hexdigest()
    marker = dest / MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8") == stamp, stamp


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _moment(day: str, clock: str) -> str:
    """'2027-03-14' + '18:00+01:00' → '2027-03-14T18:00:00+01:00' (the offset kept when the corpus has one)."""
    return f"{day}T{clock[:5]}:00{clock[5:]}"


def sessions_of(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Every session as {start, end, allday}: ISO moments (or dates for whole days), end "" when open."""
    raw = meta["sessions"] if "sessions" in meta else [{k: meta[k] for k in ("start", "end") if k in meta}]
    result = []
    for session in raw:
        day, _, clock = session["start"].partition(" ")
        end = session.get("end", "")
        if not clock:  # a whole day (or several): dates only
            result.append({"start": day, "end": end or day, "allday": True})
            continue
        if end and "-" not in end:  # a bare time: the start's day
            end = _moment(day, end)
        elif end:
            end_day, _, end_clock = end.partition(" ")
            end = _moment(end_day, end_clock)
        result.append({"start": _moment(day, clock), "end": end, "allday": False})
    return result


def ends_of(sessions: list[dict[str, Any]]) -> str:
    """When the activity is over, as a local 'YYYY-MM-DDTHH:MM:SS' (comparable as text): the end (or start) of
    its last session, or the day after the last whole day — kkssite's `is_upcoming`."""
    last = sessions[-1]
    if last["allday"]:
        return (date.fromisoformat(last["end"]) + timedelta(days=1)).isoformat() + "T00:00:00"
    return (last["end"] or last["start"])[:19]


class _Places:
    """Venue records and vocabulary names, to write an activity's LOCATION as kkssite does."""

    def __init__(self, activities: Activities) -> None:
        vocab = activities.vocab
        self.city = {c["slug"]: c["name"] for c in vocab["cities"]}
        self.region = {c["slug"]: c["region"] for c in vocab["cities"]}
        self.venues = {path.stem: read(path)[0] for path in sorted((activities.site / "venues").glob("*.md"))}

    def location(self, meta: dict[str, Any]) -> str:
        mode = meta.get("mode", "on_site")
        if mode == "online":
            return "Online"
        city = self.city.get(meta.get("city", ""), "")
        venue = meta.get("venue")
        if venue in self.venues:
            v = self.venues[venue]
            parts = [v["name"], v.get("address", ""), " ".join(p for p in (v.get("postal_code"), city) if p)]
        elif venue:
            parts = [venue] + ([city] if city and city not in venue else [])
        else:
            parts = [city]
        place = ", ".join(p for p in parts if p) or "Plats meddelas senare"
        return f"{place} (kan även följas online)" if mode == "hybrid" else place


def _full_lines(a: dict[str, Any], activities: Activities, places: _Places) -> list[str]:
    """The front matter the full Hugo site adds after the shared lines."""
    meta = a["meta"]
    sessions = sessions_of(meta)
    region = [places.region[c] for c in a["cities"]]
    lines = [f"uid: {_j(meta['uid'])}", f"status: {meta.get('status', 'scheduled')}",
             f"publicerad: {_j(meta.get('published', ''))}", f"slutar: {_j(ends_of(sessions))}",
             f"sessions: {_j(sessions)}", f"plats: {_j(places.location(meta))}",
             f"regioner: {_j(region)}",
             f"yrkeskategorier: {_j(sorted({activities.category_of[p] for p in a['professions']}))}",
             f"sprak: {_j(_list(meta['language']) if 'language' in meta else ['sv'])}",
             f"yrkesregioner: {_j([f'{p}-{r}' for p in a['professions'] for r in region])}"]
    if "price" in meta:
        price = meta["price"]
        lines.append(f"pris: {_j('Kostnadsfritt' if price == '0' else f'{price} kr' if price.isdigit() else price)}")
    registration = meta.get("registration")
    if isinstance(registration, dict):
        lines.append(f"anmalan: {_j(registration.get('url') or registration.get('email', ''))}")
        if registration.get("deadline"):
            lines += [f"sistadag: {_j(registration['deadline'])}", "outputs: [html, calendar, deadline]"]
    return lines


def _term_pages(dest: Path, activities: Activities) -> None:
    """A title page per taxonomy term (the vocabulary's name); the profession × region terms render only their
    calendar and RSS, at kkssite's address for them."""
    vocab = activities.vocab
    for taxonomy, key in (("yrken", "professions"), ("yrkeskategorier", "categories"), ("konstformer", "art_forms"),
                          ("typer", "types"), ("orter", "cities"), ("regioner", "regions"), ("sprak", "languages")):
        for term in vocab[key]:
            _write(dest / "content" / taxonomy / term["slug"] / "_index.md", f"---\ntitle: {_j(term['name'])}\n---\n")
    _write(dest / "content" / "yrkesregioner" / "_index.md",
           "---\ntitle: Yrken per region\nbuild:\n  render: never\n---\n")  # no index page of these terms
    for profession in vocab["professions"]:
        for region in vocab["regions"]:
            _write(dest / "content" / "yrkesregioner" / f"{profession['slug']}-{region['slug']}" / "_index.md",
                   f"---\ntitle: {_j(profession['name'] + ' i ' + region['name'])}\n"
                   f"url: /yrken/{profession['slug']}/{region['slug']}/\noutputs: [calendar, rss]\n---\n")


def _feed_window(now: str) -> str:
    """params.toml of the full Hugo site: kkssite's --now and the start of its feed window (six months back)."""
    moment = datetime.fromisoformat(now)
    month = moment.year * 12 + moment.month - 1 - 6
    day = moment.day
    while True:
        try:
            start = moment.replace(year=month // 12, month=month % 12 + 1, day=day)
            break
        except ValueError:
            day -= 1
    return (f"# Written by bench/compare/convert.py from bench.run.NOW.\nnow = \"{moment:%Y-%m-%dT%H:%M:%S}\"\n"
            f"feedfrom = \"{start:%Y-%m-%dT%H:%M:%S}\"\n")


def to_hugo(site: Path, dest: Path, *, full: bool = False, now: str = "2026-11-27T12:00") -> Path:
    """dest/ becomes a Hugo site: hugo.toml and layouts from bench/compare/hugo (and, for the full site,
    bench/compare/hugo-full over them), content/aktiviteter/*.md."""
    fresh, stamp = _fresh(dest, site, f"{now} full={full}")
    if fresh:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(HERE / "hugo", dest)
    activities = Activities(site)
    places = _Places(activities) if full else None
    if full:
        shutil.copytree(HERE / "hugo-full", dest, dirs_exist_ok=True)
        _term_pages(dest, activities)
        _write(dest / "config" / "_default" / "params.toml", _feed_window(now))
    for a in activities:
        date = f"{a['day']}T{a['clock']}:00" if a["clock"] else a["day"]
        lines = [f"title: {json.dumps(a['title'], ensure_ascii=False)}", f"slug: {a['slug']}", f"date: {date}",
                 f"draft: {str(a['draft']).lower()}", f"typer: [{a['type']}]",
                 f"yrken: {json.dumps(a['professions'])}", f"konstformer: {json.dumps(a['art_forms'])}",
                 f"orter: {json.dumps(a['cities'])}"]
        if a["summary"]:
            lines.append(f"summary: {json.dumps(a['summary'], ensure_ascii=False)}")
        if places is not None:
            lines += _full_lines(a, activities, places)
        text = "---\n" + "\n".join(lines) + "\n---\n" + a["body"]
        _write(dest / "content" / "aktiviteter" / f"{a['slug']}.md", text)
    _write(dest / "content" / "aktiviteter" / "_index.md", "---\ntitle: Aktiviteter\n---\n")
    _write(dest / MARKER, stamp)
    return dest


def to_pelican(site: Path, dest: Path) -> Path:
    """dest/ becomes a Pelican project: pelicanconf.py and content/*.md with Pelican's metadata lines."""
    fresh, stamp = _fresh(dest, site)
    if fresh:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy(HERE / "pelicanconf.py", dest / "pelicanconf.py")
    for a in Activities(site):
        tags = a["professions"] + a["art_forms"] + a["cities"]
        lines = [f"Title: {a['title']}", f"Date: {a['day']} {a['clock'] or '00:00'}", f"Slug: {a['slug']}",
                 f"Category: {a['type']}", f"Tags: {', '.join(tags)}"]
        if a["summary"]:
            lines.append(f"Summary: {a['summary']}")
        if a["draft"]:
            lines.append("Status: draft")
        _write(dest / "content" / f"{a['slug']}.md", "\n".join(lines) + "\n\n" + a["body"])
    _write(dest / MARKER, stamp)
    return dest
