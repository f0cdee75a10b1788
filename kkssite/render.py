"""Stage 4, render: a page of the route table → HTML, with the theme's Jinja2 templates.

Jinja2 runs with autoescape and StrictUndefined (a template typo fails loudly) and with its i18n extension over
the catalogue of the page's language, so templates say `{{ _("Upcoming activities") }}`. A template sees the
context views.py made for its page and the base context every page shares (`Renderer.base`); its filters word
dates, prices and places through wording.py and write links relative to the page, so the output works under any
base path (a GitHub Pages project site, a sub-folder, a local static server).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2
import rcssmin
import rjsmin
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .config import DEFAULT_THEME
from .errors import ThemeError
from .facets import FACETS
from .files import THEME_LIMITS, Folder, Refused, read
from .i18n import Language, _
from .keys import Digester
from .routes import ROUTES, Output
from .views import Link, Views

_CARD_ROOT = "\x00root\x00"
#: A line break and indentation between two tags (in a card: never between inline text).
_BETWEEN_LINES = re.compile(r">\n\s*<")
_USES = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
_DYNAMIC_USE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+[^"'\s]""")
_ROOT_LINK = re.compile(r'\b(href|src)="/(?!/)')


def theme_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file of a theme with its mtime and size: a theme whose signature is unchanged needs no reloading."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.rglob("*")) if p.is_file())


class Theme:
    """A theme folder: its templates (one Jinja2 environment per language) and its content-hashed static files.

    The live preview keeps one Theme while none of its files change (compiling the templates is a good part of a
    small rebuild); `kkssite build` loads it once, and keeps the compiled templates in the build store's folder
    (`compiled`: Jinja2's bytecode cache, keyed by each template's source) for the next build."""

    def __init__(self, folder: Path = DEFAULT_THEME, compiled: Path | None = None) -> None:
        self.folder = folder
        self.compiled = compiled
        self.signature = theme_signature(folder)
        self.files = Folder(folder)
        self.assets = self._hash_assets(self.files, folder / "static")
        self._envs: dict[str, jinja2.Environment] = {}
        self._digests: dict[str, str] = {}
        self._sources: dict[str, tuple[str, set[str]]] = {}
        self.loader = ThemeLoader(self.files, folder / "templates")
        self._parser = jinja2.Environment(loader=self.loader)

    def env(self, language: Language) -> jinja2.Environment:
        """The Jinja2 environment of a language: the theme's filters and the language's catalogue."""
        env = self._envs.get(language.code)
        if env is None:
            if self.compiled is not None:
                self.compiled.mkdir(parents=True, exist_ok=True)
            # auto_reload off: a template loaded once is not stat'ed again at every page (7 % of rendering); a
            # changed theme file gives a new signature and so a new Theme (build._theme).
            env = self._envs[language.code] = jinja2.Environment(
                loader=self.loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                lstrip_blocks=True, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"], auto_reload=False,
                bytecode_cache=jinja2.FileSystemBytecodeCache(str(self.compiled)) if self.compiled else None)
            env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
            env.globals.update(_gettext_callables(language.translations))
            env.filters.update(FILTERS)
            env.globals.update(asset=_asset, card_html=_card_html, lang_of=_lang_of, shown=_shown)
        return env

    def warm(self) -> None:
        """Load every template into each language's environment made so far: the live preview's first build
        rendered in worker processes, and its first save should not wait for the templates to load."""
        templates = self.folder / "templates"
        entries, _refused = self.files.walk(templates)
        prefix = self.files.rel(templates) + "/"
        names = sorted(e.rel.removeprefix(prefix) for e in entries)
        for env in self._envs.values():
            for name in names:
                with contextlib.suppress(jinja2.TemplateError, ThemeError):  # one no route uses: not our concern
                    env.get_template(name)

    @staticmethod
    def _hash_assets(files: Folder, static: Path) -> dict[str, tuple[str, bytes]]:
        """static/style.css → ("static/style.1a2b3c4d.css", bytes): a new name whenever the bytes change. Only
        files inside the theme, read bounded (files.py); anything else is a theme error. Style sheets and scripts
        are published minified (rcssmin, rjsmin: comments and white space go, nothing is renamed), so the theme's
        sources stay commented while a listing stays light."""
        assets: dict[str, tuple[str, bytes]] = {}
        if not static.is_dir() and not static.is_symlink():
            return assets
        entries, refused = files.walk(static)
        for refusal in refused:
            if not refusal.warning:
                raise ThemeError(f"{files.shown}{refusal.rel}: {refusal.message}")
        for entry in sorted(entries, key=lambda e: e.rel):
            try:
                data = minified(entry.path.suffix, read(entry.real, THEME_LIMITS.asset))
            except Refused as refused_file:
                raise ThemeError(f"{files.shown}{entry.rel}: {refused_file.message}") from None
            rel = PurePosixPath(entry.path.relative_to(static).as_posix())
            digest = hashlib.sha256(data).hexdigest()[:10]
            assets[rel.as_posix()] = (f"static/{rel.parent / f'{rel.stem}.{digest}{rel.suffix}'}"
                                      .replace("/./", "/"), data)
        return assets

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
        if name not in self._sources:
            self._sources[name] = self._read_template(name)
        return self._sources[name]

    def _read_template(self, name: str) -> tuple[str, set[str]]:
        """The names it uses are read off its extends, include, import and from tags (a syntax error shows when
        the template is rendered); a name that is not a string literal would make the digest incomplete."""
        try:
            source = self.loader.get_source(self._parser, name)[0]
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(_("the template {name} is not in {folder}", name=exc.name,
                               folder=self.folder / "templates")) from None
        used = set(_USES.findall(source))
        if _DYNAMIC_USE.search(source):
            raise ThemeError(_("{name}: extends, include and import must name their template in quotes",
                               name=name))
        if "card_html(" in source:
            used.add("_card.html")
        return source, used

    def static_files(self) -> dict[str, bytes]:
        return {name: data for name, data in self.assets.values()}


def _gettext_callables(translations: Any) -> dict[str, Callable[..., Markup]]:
    """`_`, `gettext` and `ngettext` for templates, as Jinja2's i18n extension makes them with `newstyle=True`
    under autoescape (the translation is markup, always formatted with its variables, which are escaped), but
    each message looked up once per environment: a page calls them a hundred times, and the extension's
    wrappers (a context lookup and a new Markup per call) were a fifth of the time spent rendering."""
    memo: dict[str, Markup] = {}
    plain: dict[str, Markup] = {}

    def translated(message: str) -> Markup:
        found = memo.get(message)
        if found is None:
            found = memo[message] = Markup(translations.gettext(message))
        return found

    def gettext(__string: str, **variables: Any) -> Markup:
        if variables:
            return translated(__string) % variables
        found = plain.get(__string)
        if found is None:
            found = plain[__string] = translated(__string) % {}
        return found

    def ngettext(__singular: str, __plural: str, __num: int, **variables: Any) -> Markup:
        variables.setdefault("num", __num)
        return Markup(translations.ngettext(__singular, __plural, __num)) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


class ThemeLoader(jinja2.BaseLoader):
    """The theme's templates, read as every other file is (files.py): only files inside the theme, regular,
    within the text limit, read bounded; a template that is not is a theme error."""

    def __init__(self, files: Folder, templates: Path) -> None:
        self.files = files
        self.templates = templates

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        file = self.templates.joinpath(*split_template_path(template))
        try:
            entry = self.files.check(file, THEME_LIMITS.text)
            data = read(entry.real, THEME_LIMITS.text)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except Refused as refused:
            raise ThemeError(f"{self.files.shown}{self.files.rel(file)}: {refused.message}") from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ThemeError(_("{template} is not saved as UTF-8", template=file)) from None
        mtime = os.stat(entry.real).st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(entry.real).st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(file), uptodate


def minified(suffix: str, data: bytes) -> bytes:
    """A theme's .css or .js file without comments and needless white space (other files as they are)."""
    if suffix in (".css", ".js"):
        text: str = (rcssmin.cssmin if suffix == ".css" else rjsmin.jsmin)(data.decode("utf-8"))
        return text.encode("utf-8") + b"\n"
    return data


@dataclass(frozen=True, slots=True)
class Base:
    """What every page of one language shows besides its own context: settings, menu, footer, language."""

    config: Any
    lang: str
    og_locale: str
    menu: tuple[Link, ...]
    footer: tuple[Link, ...]
    json_feed: str  # absolute URL of the JSON Feed (every page names it in its head)
    assets: tuple[tuple[str, str], ...]  # (name in static/, published name)
    emblems: Markup  # the art forms' emblems as an SVG sprite (views.Views.identity)
    art_css: str  # the art forms' colours, light and dark, as CSS rules
    shows: tuple[Any, ...] = ()  # the content pages named in the menu and the footer (keys.py: what pages show)


class Renderer:
    """Renders the pages of one language in one build. Cards are rendered once per build and process (listings
    show the same card many times), with a placeholder for the page's root, filled in per page."""

    def __init__(self, theme: Theme, views: Views) -> None:
        self.theme = theme
        self.views = views
        self.env = theme.env(views.language)
        sprite, art_css = views.identity()
        self.base = Base(views.config, views.language.tag, views.language.og_locale, menu(views), footer(views),
                         views.router.absolute(views.router.path("json-feed")),
                         tuple((name, published) for name, (published, _) in theme.assets.items()),
                         Markup(sprite), art_css, (*views.site.menu, *views.site.footer))
        self.cards: dict[tuple[Any, int], str] = {}

    def base_key(self, digester: Digester) -> tuple[str, frozenset[str]]:
        """The key of what every page shows besides its context (settings, menu, footer), and the records in it."""
        return digester.key_deps(self.base, self.views.language.digest)

    def render(self, output: Output) -> bytes:
        template = output.route.template
        assert template is not None
        path = output.file
        root = "../" * path.count("/") if output.route.name != "not-found" else urlsplit(self.base.config.base_url).path
        context = {**output.context, "base": self.base, "config": self.base.config, "root": root,
                   "page_path": path, "w": self.views.w, "router": self.views.router, "renderer": self,
                   "translations": self.views.translations(output)}
        try:
            html = self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
        except (jinja2.UndefinedError, jinja2.TemplateNotFound, TypeError) as exc:
            raise ThemeError(_("{template} (for {path}): {error}", template=template, path=path, error=exc)) from None
        return html.encode("utf-8")

    def card(self, context: Any, card: Any, level: int) -> Markup:
        key = (card, level)
        found = self.cards.get(key)
        if found is None:
            values = {"c": card, "level": level, "root": _CARD_ROOT, "w": self.views.w, "router": self.views.router,
                      "base": self.base, "renderer": self}
            # the template's lines and indentation are for reading it: a listing shows twenty cards without them
            html = self.env.get_template("_card.html").render(values)
            found = self.cards[key] = _BETWEEN_LINES.sub("><", html.strip())
        return Markup(found.replace(_CARD_ROOT, context["root"]))


def menu(views: Views) -> tuple[Link, ...]:
    """The main menu: the routes and facets with a menu position, then the content pages with `menu:`."""
    entries: list[tuple[int, Link]] = []
    for route in ROUTES:
        if route.menu is not None and route.label:
            entries.append((route.menu, Link(views.w._(route.label), views.router.path(route.name))))
    for facet in FACETS:
        if facet.menu is not None:
            entries.append((facet.menu, Link(views.w._(facet.title), views.router.path("facet", facet=facet.key))))
    links = [link for _position, link in sorted(entries, key=lambda e: e[0])]
    links += [Link(p.title, views.router.url(p)) for p in views.site.menu]
    return tuple(links)


def footer(views: Views) -> tuple[Link, ...]:
    links = [Link(p.title, views.router.url(p)) for p in views.site.footer]
    links.append(Link(views.w._("Subscribe to the calendar"), views.router.path("subscribe")))
    links.append(Link(views.w._("Show our activities on your website"), views.router.path("embed")))
    links.append(Link(views.w._("Wish for an activity"), views.router.path("wish")))
    links.append(Link(views.w._("Statistics"), views.router.path("statistics")))
    return tuple(links)


# --- filters ---------------------------------------------------------------------------------------------------


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Any) -> str:
    """A link from the page being rendered to a model object or a site-relative address."""
    return str(context["root"]) + str(context["router"].url(target))


@jinja2.pass_context
def _absolute(context: jinja2.runtime.Context, target: Any) -> str:
    """An absolute URL under the configured base URL (canonical links, feeds)."""
    router = context["router"]
    return str(router.absolute(router.url(target)))


@jinja2.pass_context
def _html(context: jinja2.runtime.Context, html: str, record: Any = None) -> Markup:
    """Sanitized HTML from content, with site-root links ("/arkiv/") made relative to the page being rendered,
    so that editors' links keep working when the site is deployed under a sub-path. With the `record` it is the
    body of, a body shown in the site's own language on a page of another (translate.py) is marked with it."""
    root = context["root"]
    text = _ROOT_LINK.sub(lambda m: f'{m[1]}="{root}', html) if "=\"/" in html else html
    if record is not None and "body_html" in record.swedish:
        note = Markup.escape(context["w"]._("This text is in Swedish only."))
        text = f'<p class="muted"><em>{note}</em></p>\n<div lang="{context["config"].language}">{text}</div>'
    return Markup(text)


@jinja2.pass_context
def _shown(context: jinja2.runtime.Context, record: Any, field: str, text: str) -> Markup:
    """A text of a record that has no English version (a leader's about, the status note), escaped; in a
    <span lang="sv"> on a page of another language."""
    if field in record.swedish:
        return Markup('<span lang="{}">{}</span>').format(context["config"].language, text)
    return Markup.escape(text)


@jinja2.pass_context
def _lang_of(context: jinja2.runtime.Context, record: Any, field: str) -> Markup:
    """` lang="sv"` on the element of a record's text shown in the site's own language on a page of another
    (it has none of its own, translate.py); nothing otherwise."""
    if field in record.swedish:
        return Markup(' lang="{}"').format(context["config"].language)
    return Markup("")


@jinja2.pass_context
def _asset(context: jinja2.runtime.Context, name: str) -> str:
    published = dict(context["base"].assets).get(name)
    if published is None:
        raise ThemeError(_("theme/static/{name} does not exist", name=name))
    return str(context["root"]) + str(published)


@jinja2.pass_context
def _card_html(context: jinja2.runtime.Context, card: Any, level: int) -> Markup:
    return context["renderer"].card(context, card, level)  # type: ignore[no-any-return]


_RANGE = re.compile(r"\d[\d.:]*\u2013\d[\d.:]*")


def _keep_ranges(text: str) -> Markup:
    """A text whose time ranges ("13.00–14.30") never break across lines (filter.js does the same)."""
    escaped = str(Markup.escape(text))
    return Markup(_RANGE.sub(lambda m: f'<span class="nowrap">{m[0]}</span>', escaped))


def _worded(method: str) -> Any:
    """A filter that words a value with the page's wording.Wording (`{{ day|date_long }}`)."""

    @jinja2.pass_context
    def word(context: jinja2.runtime.Context, value: Any, *args: Any) -> str:
        return getattr(context["w"], method)(value, *args)  # type: ignore[no-any-return]

    return word


FILTERS: dict[str, Any] = {
    "url": _url, "absolute": _absolute, "html": _html, "keep_ranges": _keep_ranges,
    **{name: _worded(name) for name in (
        "date_long", "date_medium", "date_short", "month_year", "month_title", "clock", "deadline", "kronor",
        "hours", "session", "status", "mode", "number")},
}
