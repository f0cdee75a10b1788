"""Convert a generated kkssite content folder into a Hugo site and a Pelican site with the same activities.

Each activity keeps its title, slug, first start, summary, draft flag and Markdown body unchanged. Professions
(category slugs and `alla` expanded, as kkssite does), art forms, city and type become Hugo taxonomies; in
Pelican the type is the category and the rest are tags. Venues, needs and the other record kinds have no
counterpart and are left out. A converted folder is reused while the corpus and this converter are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
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
        self.professions = [p["slug"] for p in vocab["professions"]]
        self.art_forms = [a["slug"] for a in vocab["art_forms"]]
        self.category_of = {p["slug"]: p["category"] for p in vocab["professions"]}
        self.files = sorted((site / "activities").glob("*.md"))

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
                "cities": [meta["city"]] if "city" in meta else [], "body": body,
            }


def _fresh(dest: Path, site: Path) -> tuple[bool, str]:
    """Whether dest already holds this conversion, and the stamp that says so."""
    digest = hashlib.sha256((site / ".bench-generated").read_bytes())
    for path in [Path(__file__), HERE / "pelicanconf.py", *sorted((HERE / "hugo").rglob("*.*"))]:
        digest.update(path.read_bytes())
    stamp = digest.hexdigest()
    marker = dest / MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8") == stamp, stamp


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def to_hugo(site: Path, dest: Path) -> Path:
    """dest/ becomes a Hugo site: hugo.toml and layouts from bench/compare/hugo, content/aktiviteter/*.md."""
    fresh, stamp = _fresh(dest, site)
    if fresh:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(HERE / "hugo", dest)
    for a in Activities(site):
        date = f"{a['day']}T{a['clock']}:00" if a["clock"] else a["day"]
        lines = [f"title: {json.dumps(a['title'], ensure_ascii=False)}", f"slug: {a['slug']}", f"date: {date}",
                 f"draft: {str(a['draft']).lower()}", f"typer: [{a['type']}]",
                 f"yrken: {json.dumps(a['professions'])}", f"konstformer: {json.dumps(a['art_forms'])}",
                 f"orter: {json.dumps(a['cities'])}"]
        if a["summary"]:
            lines.append(f"summary: {json.dumps(a['summary'], ensure_ascii=False)}")
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
