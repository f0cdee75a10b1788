"""Links into the site (`kkssite check`, as `zola check` does): every link of a body, and every address of a URL
field, that points into the site must name something the build makes.

A link points into the site when it is relative ("../annan-aktivitet/"), root-relative ("/arkiv/") or absolute
under `base_url`. Relative links are read from the page the text is shown on (the record's own page), as a
browser reads them. What the build makes is asked of the route table (views.Views.outputs: every page, feed and
file); a page folder may be linked with or without its final "/" or as its index.html. A link that resolves to
nothing is a warning with the line it is written on; it does not stop the build.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from urllib.parse import urlsplit

from .errors import Problems
from .fields import SCHEMAS, Nested, Pattern, Schema
from .graph import build_site
from .i18n import Language, _
from .load import ASSET_FOLDERS, LineDict, LineList, RawContent, read_doc
from .model import Catalog
from .routes import Router
from .text import asset_target, markdown_html
from .views import Views

#: The route of each kind of content file's own page (what its body's relative links are read from).
PAGE_ROUTES = {"activity": "activity", "venue": "venue", "organisation": "organisation", "need": "need",
               "page": "content-page"}
_LINK = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a content file: where it is written (line, key) and the address as written."""

    line: int
    key: str
    address: str


def site_paths(catalog: Catalog, now: datetime) -> tuple[Router, frozenset[str]]:
    """Every address the build makes of this catalog at `now`, in every language of the site (the router is
    the first language's). The addresses of a translation do not depend on its texts: its Views are made of
    the same site."""
    site = build_site(catalog, now)
    language = Language.load(catalog.config.language)
    router = Router(language, catalog.config.base_url)
    views = Views(site, language, router, {a: b"" for a in catalog.assets})
    paths = {output.path for output in views.outputs()}
    for code in catalog.config.translations:
        other = Language.load(code)
        paths.update(o.path for o in Views(site, other, Router(other, catalog.config.base_url, f"{code}/"),
                                           {a: b"" for a in catalog.assets}, first=False).outputs())
    return router, frozenset(paths)


def resolve(address: str, page: str, base_url: str) -> str | None:
    """The site-relative path a link names, or None when it points elsewhere (another site, mail, a fragment
    of the same page)."""
    parts = urlsplit(address)
    if parts.scheme in ("http", "https") or address.startswith("//"):
        absolute = address if parts.scheme else "https:" + address
        base = urlsplit(base_url)
        target = urlsplit(absolute)
        if target.netloc.lower() != base.netloc.lower() or not (target.path + "/").startswith(base.path):
            return None
        path = target.path[len(base.path):]
    elif parts.scheme or not parts.path:
        return None  # mailto:, tel:, "#fragment", "?query"
    elif parts.path.startswith("/"):
        path = parts.path.lstrip("/")
    else:
        path = posixpath.join(page, parts.path)  # a page is a folder: "aktiviteter/x/" + "../y/"
    folder = path.endswith("/") or path == ""
    path = posixpath.normpath("/" + path).lstrip("/")
    return path + "/" if folder and path else path


def found(path: str, paths: frozenset[str]) -> bool:
    if path in paths:
        return True
    if path.endswith("index.html"):
        return path[: -len("index.html")] in paths
    return not path.endswith("/") and path + "/" in paths


def field_links(fields: LineDict, schema: Schema, prefix: str = "") -> Iterator[Link]:
    """The addresses of the URL fields of a front matter (nested blocks and lists of them included)."""
    for key, field in schema.items():
        value = fields.get(key)
        full = f"{prefix}.{key}" if prefix else key
        if value is None:
            continue
        if isinstance(field, Nested):
            items = value if isinstance(value, LineList) else [value]
            for index, item in enumerate(items):
                if isinstance(item, LineDict):
                    name = f"{full}[{index + 1}]" if isinstance(value, LineList) else full
                    yield from field_links(item, field.schema, name)
        elif isinstance(field, Pattern) and field.regex.pattern.startswith("^https?://") and isinstance(value, str):
            yield Link(fields.line_of(key), full, value.strip())


def body_links(body: str, first_line: int) -> Iterator[Link]:
    """The links and image sources of a Markdown body as published, each with the line that writes it."""
    lines = body.splitlines()
    if body.startswith("\n"):  # the newline that ends the front matter's closing ---
        first_line -= 1
    for address in dict.fromkeys(unescape(a) for a in _LINK.findall(markdown_html(body))):
        index = next((i for i, text in enumerate(lines) if address in text), 0)
        yield Link(first_line + index, "", address)


def check_links(raw: RawContent, catalog: Catalog, now: datetime, problems: Problems) -> None:
    """Warn, with path and line, about every link into the site that names nothing the build makes."""
    router, paths = site_paths(catalog, now)
    published = {("activity", a.slug) for a in catalog.activities} | {
        (kind, slug) for kind, records in (("venue", catalog.venues), ("organisation", catalog.organisations),
                                           ("need", catalog.needs), ("page", catalog.pages)) for slug in records}
    base = catalog.config.base_url
    sections = {path.split("/", 1)[0] for path in paths if "/" in path}
    for source in raw.files:
        if (source.kind, source.slug) not in published:
            continue
        doc = read_doc(source.file, source.kind, Problems(), source.path, real=source.real)
        if doc is None:
            continue
        page = router.path(PAGE_ROUTES[doc.kind], slug=doc.slug)
        links: Iterable[Link] = (*field_links(doc.fields, SCHEMAS[doc.kind]), *body_links(doc.body, doc.body_line))
        for link in links:
            if asset_target(link.address, source.rel, ASSET_FOLDERS) is not None:
                continue  # a file of the content (validate.py checks that it exists)
            target = resolve(link.address, page, base)
            if target is None or found(target, paths):
                continue
            # a suggestion only for what looks like a mistyped page of a part of the site that exists
            close = difflib.get_close_matches(target, sorted(paths), n=1, cutoff=0.85) \
                if target.split("/", 1)[0] in sections else []
            hint = _(' – did you mean "{suggestion}"?', suggestion=close[0]) if close else ""
            problems.warn(doc.path, link.line, link.key, _(
                "the link {address} points into the website, but there is no page at /{path}; link to a page "
                "that exists, or to the right address if the page is elsewhere{hint}", address=link.address,
                path=target, hint=hint))
