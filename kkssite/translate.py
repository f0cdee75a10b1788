"""The site in another language: the same Site with every record and vocabulary term in that language's texts.

A page of the English site shows the same records as its Swedish page, with what the content gives in English
(`en:` in front matter, the body after the line "=== English ==="; `en:` of a vocabulary term, `en:` of
site.yml): `localize` makes a copy of the site's catalogue in which those texts take the Swedish ones' places,
and builds the site graph of it (so lists sorted by name follow the English names). Where a record has no
English text, the copy keeps the Swedish one and names the field in the record's `swedish`, so that the page
marks it `lang="sv"` (never an empty field). A term without an English name keeps its Swedish one.

A localized record is a pure function of its source file and the settings, like the record itself: it keeps
its source (and so its digest, keys.py) and its id, so an edit of it re-plans its pages in every language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .graph import Site, build_site
from .model import SiteConfig, Term

#: The fields of a record that may have an English version (`en:`, the English body).
TEXTS = ("title", "summary", "body_html")
#: Free texts of a record that the content gives in Swedish only: always marked lang="sv" on English pages.
ONLY_SWEDISH = ("status_note", "requirements", "leaders", "accessibility", "funding", "changes")


def localize(site: Site, code: str) -> Site:
    """The site with its texts in `code` (English) where the content gives them, else in Swedish (marked)."""
    catalog = site.catalog
    memo: dict[int, Any] = {}

    def convert(value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (str, int, float, bool):
            return value
        found = memo.get(id(value))
        if found is not None:
            return found[1]
        if kind is Term:
            made: Any = dataclasses.replace(value, name=value.en_name or value.name,
                                            plural=value.en_plural or value.plural) if value.en_name else value
        elif kind is tuple:
            items = tuple(convert(v) for v in value)
            made = value if all(a is b for a, b in zip(items, value, strict=True)) else items
        elif kind is dict:
            made = {k: convert(v) for k, v in value.items()}
        elif kind is SiteConfig:
            made = _config(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)
                       if f.name not in ("source", "en", "swedish")}
            changes = {name: new for name, new in changes.items() if new is not getattr(value, name)}
            if hasattr(kind, "KIND"):
                changes.update(_texts(value))
            made = dataclasses.replace(value, **changes) if changes else value
        else:
            made = value
        memo[id(value)] = (value, made)  # the original is kept alive with it, so its id stays its own
        return made

    return build_site(convert(catalog), site.now)


def _config(config: SiteConfig) -> SiteConfig:
    swedish = frozenset(name for name in ("tagline", "description") if getattr(config, f"en_{name}") is None
                        and getattr(config, name))
    return dataclasses.replace(config, tagline=config.en_tagline or config.tagline,
                               description=config.en_description or config.description, swedish=swedish)


def _texts(record: Any) -> dict[str, Any]:
    """A record's English texts in the places of its Swedish ones, and the names of those it has none of."""
    english = record.en
    changes: dict[str, Any] = {}
    swedish = set()
    for name in TEXTS:
        if not hasattr(record, name):
            continue
        given = getattr(english, name) if english is not None else None
        if given:
            changes[name] = given
        elif getattr(record, name):
            swedish.add(name)
    for name in ONLY_SWEDISH:
        value = getattr(record, name, None)
        if value and (name != "leaders" or any(leader.role or leader.about for leader in value)) \
                and (name != "accessibility" or value.note):
            swedish.add(name)
    changes["swedish"] = frozenset(swedish)
    return changes
