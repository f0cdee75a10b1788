"""Stage 4, render: the `Site` and the theme → HTML pages, written into the output.

`plan()` lists every page (path, template, context); `job_keys()` says what each was made from; `render_to()`
renders those whose inputs changed, in parallel. Jinja2 runs with autoescape and StrictUndefined, so a template
typo fails loudly. Links are written relative to the page,
so the output works under any base path (a GitHub Pages project site, a sub-folder, a local static server).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import text
from .cache import PageRecord
from .config import DEFAULT_THEME
from .errors import ThemeError
from .feeds import TEMPLATE_GLOBALS as FEED_GLOBALS
from .filters import TEMPLATE_GLOBALS as FILTER_GLOBALS
from .findable import TEMPLATE_GLOBALS as FINDABLE_GLOBALS
from .graph import CalendarMonth, FacetIndex, MonthRef, Pager, Related, Site, TermPage, paginate
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
from .progress import Progress
from .workers import MIN_PARALLEL, chunks, fork_map
from .write import Output


@dataclass(frozen=True, slots=True)
class Job:
    """One page to render: where it goes, with which template, and what the template receives."""

    path: str  # output path, e.g. "yrken/ljustekniker/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    site_wide: bool = False  # shows aggregates of the whole site (counts, deadlines), not just its context


def url_of(target: Any) -> str:
    """The site-relative URL (no leading slash) of a model object or a path."""
    if isinstance(target, Activity):
        return f"aktiviteter/{target.slug}/"
    if isinstance(target, (TermPage, FacetIndex, Pager, CalendarMonth, MonthRef)):
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

    @classmethod
    def load(cls, folder: Path = DEFAULT_THEME) -> Theme:
        """The theme of a folder, reused while none of its files changed (the live preview rebuilds often,
        and compiling the templates is a good part of a small rebuild). Cards are per build."""
        signature = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                          for p in sorted(folder.rglob("*")) if p.is_file())
        cached = _THEMES.get(folder.resolve())
        if cached is None or cached[0] != signature:
            cached = (signature, cls(folder))
            _THEMES.clear()
            _THEMES[folder.resolve()] = cached
        theme = cached[1]
        theme._cards.clear()
        return theme

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
        self._digests: dict[str, str] = {}
        self._cards: dict[tuple[str, int], str] = {}
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
            html=_html,
        )
        self.env.globals.update(
            asset=self._asset, card_html=self._card_html, STATUSES=STATUSES, MODES=MODES,
            REGISTRATION_KINDS=REGISTRATION_KINDS, DEADLINE_LABELS=DEADLINE_LABELS, NEED_STATUSES=NEED_STATUSES,
            WEEKDAYS=text.WEEKDAYS,
        )
        self.env.globals.update(FEED_GLOBALS)
        self.env.globals.update(FILTER_GLOBALS)
        self.env.globals.update(FINDABLE_GLOBALS)

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

    @jinja2.pass_context
    def _card_html(self, context: jinja2.runtime.Context, activity: Activity, level: int) -> Markup:
        """An activity's card from _card.html, rendered once per build and process with a placeholder for the
        page's root, which is filled in per page: listings show the same card many times."""
        site = context["site"]
        key = (site.fingerprints[activity.slug], level)
        if key not in self._cards:
            values = {"site": site, "config": site.config, "root": _CARD_ROOT, "a": activity, "level": level}
            self._cards[key] = self.env.get_template("_card.html").render(values)
        return Markup(self._cards[key].replace(_CARD_ROOT, context["root"]))

    def template_digest(self, name: str) -> str:
        """A digest of a template and every template it extends, includes or imports (directly or not)."""
        if name not in self._digests:
            closure: dict[str, str] = {}
            stack = [name]
            while stack:
                current = stack.pop()
                if current in closure:
                    continue
                source, used = self._template_source(current)
                closure[current] = source
                stack.extend(used)
            digest = hashlib.sha1(usedforsecurity=False)
            for used_name in sorted(closure):
                digest.update(f"{used_name}\0{closure[used_name]}\0".encode())
            self._digests[name] = digest.hexdigest()
        return self._digests[name]

    def _template_source(self, name: str) -> tuple[str, set[str]]:
        """A template's source and the names of the templates it uses (in Jinja, or through card_html)."""
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            ast = self.env.parse(source, name)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(f"mallen {exc.name} finns inte i {self.folder / 'templates'}") from None
        used = {n for n in jinja2.meta.find_referenced_templates(ast) if n}
        if "card_html(" in source:
            used.add("_card.html")
        return source, used

    def static_files(self) -> dict[str, bytes]:
        return {name: data for name, data in self.assets.values()}


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Any) -> str:
    """A link from the page being rendered to a model object or site path."""
    return context["root"] + url_of(target)


_CARD_ROOT = "\x00root\x00"
_THEMES: dict[Path, tuple[tuple[tuple[str, int, int], ...], Theme]] = {}
_ROOT_LINK = re.compile(r'\b(href|src)="/(?!/)')


@jinja2.pass_context
def _html(context: jinja2.runtime.Context, html: str) -> Markup:
    """Sanitized HTML from content, with site-root links ("/arkiv/") made relative to the page being rendered,
    so that editors' links keep working when the site is deployed under a sub-path."""
    root = context["root"]
    return Markup(_ROOT_LINK.sub(lambda m: f'{m[1]}="{root}', html) if "=\"/" in html else html)


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
    jobs: list[Job] = [Job("index.html", "home.html", site_wide=True), Job("404.html", "404.html")]
    jobs += _listing("aktiviteter/", "listing.html", site.upcoming, per_page, title="Kommande aktiviteter",
                     past_url="arkiv/", total=len(site.upcoming))
    jobs += [Job(f"{url_of(a)}index.html", "activity.html", {"activity": a}) for a in site.catalog.activities]
    for facet in site.facets:
        jobs.append(Job(f"{facet.url}index.html", "facet.html", {"facet": facet}, site_wide=True))
        for tp in facet.terms:
            jobs += _listing(tp.url, "term.html", tp.upcoming, per_page, term_page=tp, past=False)
            if tp.past:
                jobs += _listing(f"{tp.url}tidigare/", "term.html", tp.past, per_page, term_page=tp, past=True)
    jobs.append(Job("behov/index.html", "needs.html", site_wide=True))
    jobs += [Job(f"{url_of(n)}index.html", "need.html", {"need": n, "related": site.by_need[n.slug]})
             for n in site.catalog.needs.values()]
    jobs.append(Job("organisationer/index.html", "organisations.html", site_wide=True))
    jobs += [Job(f"{url_of(o)}index.html", "organisation.html",
                 {"organisation": o, "related": site.by_organisation[o.slug]})
             for o in site.catalog.organisations.values()]
    jobs.append(Job("platser/index.html", "venues.html", site_wide=True))
    jobs += [Job(f"{url_of(v)}index.html", "venue.html", {"venue": v, "related": site.by_venue[v.slug]})
             for v in site.catalog.venues.values()]
    jobs.append(Job("prenumerera/index.html", "subscribe.html", site_wide=True))
    jobs.append(Job("kalender/index.html", "calendar.html", site_wide=True))
    jobs += [Job(f"{m.url}index.html", "month.html", {"month": m}) for m in site.months]
    jobs.append(Job("arkiv/index.html", "archive.html", site_wide=True))
    for year, activities in site.archive:
        jobs += _listing(f"arkiv/{year}/", "listing.html", activities, per_page,
                         title=f"Aktiviteter {year}", year=year, past_url=None, total=len(activities))
    jobs += [Job(f"{url_of(p)}index.html", "page.html", {"page": p}) for p in site.catalog.pages.values()]
    return jobs


# --- keys: what a page was made from ---------------------------------------------------------------------


def _fingerprint(value: Any, site: Site) -> str:
    """A short, stable description of a context value: equal fingerprints render equally."""
    if isinstance(value, Activity):
        return site.fingerprints[value.slug]
    if isinstance(value, Pager):
        return f"{value.base}{value.number}/{value.count}:" + ",".join(_fingerprint(a, site) for a in value.items)
    if isinstance(value, TermPage):
        return f"{value.url}:{len(value.upcoming)}:{len(value.past)}"
    if isinstance(value, (Need, Organisation, Venue, Page)):
        return value.source.digest
    if isinstance(value, Related):
        return ",".join(_fingerprint(a, site) for a in (*value.upcoming, *value.past))
    if isinstance(value, CalendarMonth):
        neighbours = (value.previous, value.next, value.earlier, value.later, value.current)
        return f"{value.url}:{value.today}:{neighbours}:" + ",".join(_fingerprint(a, site) for a in value.activities)
    if value is None or isinstance(value, (str, int, bool)):
        return repr(value)
    raise TypeError(f"no fingerprint for {type(value).__name__}; mark the job site_wide or teach _fingerprint")


def job_keys(site: Site, theme: Theme, jobs: list[Job], base: str) -> list[str]:
    """One key per job: the site-wide inputs (`base`: code, settings, menu, assets), its template and the
    templates it uses, and the fingerprints of its context — or of the whole site for site-wide pages."""
    whole = hashlib.sha1(usedforsecurity=False)
    whole.update(site.now.isoformat().encode())
    for activity in site.catalog.activities:
        whole.update(site.fingerprints[activity.slug].encode())
    for record in (*site.catalog.needs.values(), *site.catalog.organisations.values(),
                   *site.catalog.venues.values()):
        whole.update(record.source.digest.encode())
    site_key = whole.hexdigest()
    footer = ",".join(f"{p.slug}:{p.source.digest}" for p in site.footer)  # linked from every page
    keys = []
    for job in jobs:
        key = hashlib.sha1(f"{base}|{footer}|{theme.template_digest(job.template)}|{job.path}".encode(),
                           usedforsecurity=False)
        if job.site_wide:
            key.update(site_key.encode())
        else:
            for name in sorted(job.context):
                key.update(f"|{name}={_fingerprint(job.context[name], site)}".encode())
        keys.append(key.hexdigest())
    return keys


def render_to(output: Output, site: Site, theme: Theme, jobs: list[Job], keys: list[str],
              workers: int, progress: Progress | None = None) -> tuple[dict[str, PageRecord], int, int]:
    """Render every job whose key or file changed into `output` (in parallel); keep the others as they are.

    Returns the manifest records of all jobs, the number of pages rendered and the number of files written.
    """
    records: dict[str, PageRecord] = {}
    written = 0
    todo: list[int] = []
    for index, job in enumerate(jobs):
        kept = output.unchanged_on_disk(job.path)
        if kept is not None and kept.key == keys[index]:
            output.keep(job.path, kept)
            records[job.path] = kept
        else:
            todo.append(index)
    parts = chunks(len(todo), workers)
    shared = (output, site, theme, jobs, keys, todo)
    if progress:
        progress.stage("Skriver sidor", len(todo))
    for part in fork_map(_render_chunk, parts, shared, workers if len(todo) >= MIN_PARALLEL else 1,
                         progress.advance if progress else None):
        for path, (record, wrote) in part.items():
            records[path] = record
            written += wrote
    if progress:
        progress.done()
    return records, len(todo), written


def _render_chunk(part: range, shared: tuple[Output, Site, Theme, list[Job], list[str], list[int]]
                  ) -> dict[str, tuple[PageRecord, bool]]:
    output, site, theme, jobs, keys, todo = shared
    return {jobs[todo[i]].path: output.put(jobs[todo[i]].path, theme.render(jobs[todo[i]], site), keys[todo[i]])
            for i in part}
