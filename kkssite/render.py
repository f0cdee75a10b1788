"""Stage 4, render: the `Site` and the theme → HTML pages as `{output path: bytes}`.

`plan()` lists every page to write (path, template, context); `render_pages()` runs the templates. Jinja2 runs
with autoescape and StrictUndefined, so a template typo fails loudly. Links are written relative to the page,
so the output works under any base path (a GitHub Pages project site, a sub-folder, a local static server).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import text
from .config import DEFAULT_THEME
from .errors import ThemeError
from .graph import FacetIndex, Pager, Site, TermPage, paginate
from .model import (
    DEADLINE_LABELS,
    MODES,
    NEED_STATUSES,
    REGISTRATION_KINDS,
    STATUSES,
    Activity,
    Need,
    Organisation,
    Page,
    Venue,
)


@dataclass(frozen=True, slots=True)
class Job:
    """One page to render: where it goes, with which template, and what the template receives."""

    path: str  # output path, e.g. "yrken/ljustekniker/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def url_of(target: Any) -> str:
    """The site-relative URL (no leading slash) of a model object or a path."""
    if isinstance(target, Activity):
        return f"aktiviteter/{target.slug}/"
    if isinstance(target, (TermPage, FacetIndex, Pager)):
        return target.url
    if isinstance(target, Need):
        return f"behov/{target.slug}/"
    if isinstance(target, Organisation):
        return f"organisationer/{target.slug}/"
    if isinstance(target, Venue):
        return f"platser/{target.slug}/"
    if isinstance(target, Page):
        return f"{target.slug}/"
    if isinstance(target, str):
        return target
    raise TypeError(f"no URL for {type(target).__name__}")


class Theme:
    """A Jinja2 environment over a theme folder, with kkssite's filters and content-hashed static assets."""

    def __init__(self, folder: Path = DEFAULT_THEME) -> None:
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.assets = self._hash_assets(folder / "static")
        self.env.filters.update(
            url=_url,
            absolute=_absolute,
            span=lambda s: text.span(s.start, s.end, s.all_day),
            span_short=lambda s: text.span_short(s.start, s.end, s.all_day),
            day_long=text.day_long,
            day_medium=text.day_medium,
            day_short=text.day_short,
            month_year=text.month_year,
            deadline=text.deadline_text,
            kronor=text.kronor,
            hours=text.hours_text,
            clock=text.clock,
            html=Markup,
        )
        self.env.globals.update(
            asset=self._asset, STATUSES=STATUSES, MODES=MODES, REGISTRATION_KINDS=REGISTRATION_KINDS,
            DEADLINE_LABELS=DEADLINE_LABELS, NEED_STATUSES=NEED_STATUSES,
        )

    @staticmethod
    def _hash_assets(static: Path) -> dict[str, tuple[str, bytes]]:
        """static/style.css → ("static/style.1a2b3c4d.css", bytes): a new name whenever the bytes change."""
        assets: dict[str, tuple[str, bytes]] = {}
        if not static.is_dir():
            return assets
        for file in sorted(static.rglob("*")):
            if file.is_file():
                data = file.read_bytes()
                rel = PurePosixPath(file.relative_to(static).as_posix())
                digest = hashlib.sha256(data).hexdigest()[:10]
                assets[rel.as_posix()] = (f"static/{rel.parent / f'{rel.stem}.{digest}{rel.suffix}'}"
                                          .replace("/./", "/"), data)
        return assets

    @jinja2.pass_context
    def _asset(self, context: jinja2.runtime.Context, name: str) -> str:
        if name not in self.assets:
            raise ThemeError(f"theme/static/{name} finns inte")
        return context["root"] + self.assets[name][0]

    def render(self, job: Job, site: Site) -> bytes:
        depth = job.path.count("/")
        root = "../" * depth if job.path != "404.html" else urlsplit(site.config.base_url).path
        context = {"site": site, "config": site.config, "page_path": job.path, "root": root, **job.context}
        try:
            html = self.env.get_template(job.template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
        except (jinja2.UndefinedError, jinja2.TemplateNotFound) as exc:
            raise ThemeError(f"{job.template} (för {job.path}): {exc}") from None
        return html.encode("utf-8")

    def static_files(self) -> dict[str, bytes]:
        return {name: data for name, data in self.assets.values()}


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Any) -> str:
    """A link from the page being rendered to a model object or site path."""
    return context["root"] + url_of(target)


@jinja2.pass_context
def _absolute(context: jinja2.runtime.Context, target: Any) -> str:
    """An absolute URL under the configured base URL (canonical links, feeds)."""
    return context["config"].base_url + url_of(target)


def _listing(path: str, template: str, items: tuple[Activity, ...], per_page: int,
             **context: Any) -> Iterator[Job]:
    for pager in paginate(items, per_page, path):
        yield Job(f"{pager.url}index.html", template, {"pager": pager, **context})


def plan(site: Site) -> list[Job]:
    """Every HTML page of the site, in a fixed order."""
    per_page = site.config.per_page
    jobs: list[Job] = [Job("index.html", "home.html"), Job("404.html", "404.html")]
    jobs += _listing("aktiviteter/", "listing.html", site.upcoming, per_page, title="Kommande aktiviteter",
                     past_url="arkiv/")
    jobs += [Job(f"{url_of(a)}index.html", "activity.html", {"activity": a}) for a in site.catalog.activities]
    for facet in site.facets:
        jobs.append(Job(f"{facet.url}index.html", "facet.html", {"facet": facet}))
        for tp in facet.terms:
            jobs += _listing(tp.url, "term.html", tp.upcoming, per_page, term_page=tp, past=False)
            if tp.past:
                jobs += _listing(f"{tp.url}tidigare/", "term.html", tp.past, per_page, term_page=tp, past=True)
    jobs.append(Job("behov/index.html", "needs.html"))
    jobs += [Job(f"{url_of(n)}index.html", "need.html", {"need": n, "related": site.by_need[n.slug]})
             for n in site.catalog.needs.values()]
    jobs.append(Job("organisationer/index.html", "organisations.html"))
    jobs += [Job(f"{url_of(o)}index.html", "organisation.html",
                 {"organisation": o, "related": site.by_organisation[o.slug]})
             for o in site.catalog.organisations.values()]
    jobs.append(Job("platser/index.html", "venues.html"))
    jobs += [Job(f"{url_of(v)}index.html", "venue.html", {"venue": v, "related": site.by_venue[v.slug]})
             for v in site.catalog.venues.values()]
    jobs.append(Job("arkiv/index.html", "archive.html"))
    for year, activities in site.archive:
        jobs += _listing(f"arkiv/{year}/", "listing.html", activities, per_page,
                         title=f"Aktiviteter {year}", year=year, past_url=None)
    jobs += [Job(f"{url_of(p)}index.html", "page.html", {"page": p}) for p in site.catalog.pages.values()]
    return jobs


def render_pages(site: Site, theme: Theme, jobs: list[Job]) -> dict[str, bytes]:
    """Render the given jobs to bytes."""
    return {job.path: theme.render(job, site) for job in jobs}
