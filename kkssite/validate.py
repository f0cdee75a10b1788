"""Stage 2, validate: raw records → the typed `Catalog`, reporting every content problem in one pass.

First each file is typed by its schema (fields.py); then the rules that span fields and files are checked:
references exist, end after start, deadline not after start, unique slugs and uids, needs answered by someone.
An activity's empty values (`start:`, as `kkssite new` writes them) are placeholders: a draft may hold them for
now (each is a warning, and the draft is left out of the site until they are filled in), a published activity
may not (each is an error).
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, time
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_decimal

from .colours import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, MINIMUM, weakest
from .errors import ERROR, Hint, Problem, Problems, did_you_mean, display_path
from .fields import (
    SCHEMAS,
    SITE_SCHEMA,
    SLUG_RE,
    TERM_SCHEMAS,
    Context,
    Invalid,
    Placeholder,
    Record,
    apply_schema,
    zone_time,
)
from .files import ASSET_LIMIT, MB, TEXT_LIMIT, Limits, Refused, read, too_large
from .i18n import N_, Language, _, editor, ngettext
from .images import NotAnImage, identify
from .load import ASSET_FOLDERS, LineDict, LineList, RawContent, SourceFile, empty_fields, read_doc
from .model import (
    Accessibility,
    Activity,
    Catalog,
    Change,
    CmsConfig,
    Contact,
    English,
    Image,
    Leader,
    Material,
    Need,
    Organisation,
    Outcome,
    Page,
    Price,
    Registration,
    Session,
    SiteConfig,
    Source,
    Term,
    Venue,
    Vocabularies,
)
from .routes import reserved_segments
from .text import file_links, first_sentences, html_text, markdown_html, slugify, split_english

DEFAULT_TZ = "Europe/Stockholm"
#: Files that an activity's `materials` may not publish: the content's own files.
UNPUBLISHABLE = frozenset({".md", ".yml", ".yaml"})
#: A registration deadline after the start, by the kind of registration (the words editors write as `kind`).
DEADLINE_AFTER_START = {
    "anmälan": N_("the last day to register ({deadline}) is after the start ({start}); it must be the same day or "
                  "earlier"),
    "ansökan": N_("the last day to apply ({deadline}) is after the start ({start}); it must be the same day or "
                  "earlier"),
}


@dataclass(frozen=True, slots=True)
class Settings:
    """site.yml and vocabularies.yml, validated: what typing every content file depends on."""

    config: SiteConfig
    vocabularies: Vocabularies
    limits: Limits = field(default_factory=Limits)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone)


@dataclass(frozen=True, slots=True)
class TypedDoc:
    """One content file typed by its schema: the per-file work (read, parse, type, Markdown) that a build may
    run in parallel or take from its cache. `values` is None when the file could not be read at all."""

    kind: str
    slug: str
    path: str
    digest: str
    fields: LineDict  # empty when the file could not be read
    values: Record | None
    body_html: str
    problems: tuple[Problem, ...]
    excerpt: str = ""  # the body's first sentences as plain text: the summary when none is given
    #: The body's links and images that point at files of the asset folders: (content-relative path, line, the
    #: address as written).
    links: tuple[tuple[str, int, str], ...] = ()
    placeholders: tuple[Placeholder, ...] = ()  # keys left empty (an activity's; see `_placeholders`)
    en_body_html: str = ""  # the English body (after the line "=== English ==="), rendered


def validate_settings(raw: RawContent, problems: Problems) -> Settings | None:
    """Validate site.yml and vocabularies.yml; None when either is wrong."""
    site = _site_config(raw.site, raw.site_path, problems)
    vocabularies = _vocabularies(raw.vocabularies, raw.vocabularies_path, problems)
    if site is None or vocabularies is None:
        return None
    config, limits = site
    return Settings(config, vocabularies, limits)


def type_file(source: SourceFile, settings: Settings) -> TypedDoc:
    """Read one content file and type its front matter by its schema; render its Markdown body."""
    problems = Problems()
    limits = settings.limits
    doc = read_doc(source.file, source.kind, problems, source.path, limits.text, limits.text_setting, source.real)
    if doc is None:
        return TypedDoc(source.kind, source.slug, source.path, "", empty_fields(), None, "", tuple(problems))
    if not SLUG_RE.match(doc.slug):
        problems.add(doc.path, 0, "", _("the file name becomes the address of the page and may only have a–z, 0–9 "
                                        "and hyphens; rename the file to {name}", name=slugify(doc.slug) + ".md"))
        return TypedDoc(doc.kind, doc.slug, doc.path, doc.digest, doc.fields, None, "", tuple(problems))
    # Only activities may be drafts, so only theirs may hold empty values for now; elsewhere they are errors.
    placeholders: list[Placeholder] | None = [] if doc.kind == "activity" else None
    values = apply_schema(doc.fields, SCHEMAS[doc.kind], Context(doc.path, problems, settings.tz,
                                                                 settings.vocabularies, placeholders))
    swedish, english = split_english(doc.body)
    body_html, files = file_links(markdown_html(swedish), source.rel, ASSET_FOLDERS)
    en_body_html = ""
    if english is not None:
        en_body_html, en_files = file_links(markdown_html(english), source.rel, ASSET_FOLDERS)
        files = (*files, *en_files)
    links = []
    first = doc.body_line - doc.body.startswith("\n")  # the line the body's text starts on
    for target, written in files:
        at = doc.body.find(written)
        links.append((target, first + doc.body[:at].count("\n") if at >= 0 else doc.body_line, written))
    needs_excerpt = doc.kind == "activity" and values.get("summary") is None
    excerpt = first_sentences(html_text(body_html)) if needs_excerpt else ""
    return TypedDoc(doc.kind, doc.slug, doc.path, doc.digest, doc.fields, values, body_html, tuple(problems), excerpt,
                    tuple(links), tuple(placeholders or ()), en_body_html)


def validate(raw: RawContent, problems: Problems, *, drafts: bool = False) -> Catalog | None:
    """Type and cross-check everything, serially and without a cache (the build runs the same stages with
    both); return None when any error was reported."""
    settings = validate_settings(raw, problems)
    if settings is None:
        return None
    return link(raw, settings, [type_file(f, settings) for f in raw.files], problems, drafts=drafts)


def link(raw: RawContent, settings: Settings, docs: list[TypedDoc], problems: Problems, *,
         drafts: bool = False) -> Catalog | None:
    """The rules that span files: references, unique slugs and uids, answered needs; then the Catalog."""
    config, vocabularies = settings.config, settings.vocabularies
    tz = settings.tz
    typed: dict[str, list[tuple[TypedDoc, Record]]] = {kind: [] for kind in SCHEMAS}
    for doc in docs:
        problems.extend(doc.problems)
        if doc.values is not None and (doc.values.ok or doc.kind == "activity"):
            typed[doc.kind].append((doc, doc.values))  # activities with wrong keys still get their other checks
    _check_duplicate_slugs(docs, problems)

    assets = Assets(raw, settings.limits, problems)
    venues = {doc.slug: _venue(doc, v, Context(doc.path, problems, tz, vocabularies), assets)
              for doc, v in typed["venue"]}
    organisations = {doc.slug: _organisation(doc, v) for doc, v in typed["organisation"]}
    needs = {}
    for doc, v in typed["need"]:
        need = _need(doc, v, vocabularies, organisations, Context(doc.path, problems, tz, vocabularies))
        if need is not None:
            needs[doc.slug] = need
    pages: dict[str, Page] = {}
    reserved = reserved_segments(Language.load(config.language))  # the route table's own first segments
    for doc, v in typed["page"]:
        if doc.slug in reserved:
            problems.add(doc.path, 0, "", _("the name {name} is already used by the website; rename the file",
                                            name=doc.slug))
        else:
            pages[doc.slug] = _page(doc, v)

    for doc in docs:
        if doc.values is not None:
            _use_links(doc, assets, problems, publish=_published(doc.values, doc.kind, drafts))
    activities: list[Activity] = []
    uids: dict[str, tuple[str, int]] = {}
    for doc, v in typed["activity"]:
        ctx = Context(doc.path, problems, tz, vocabularies)
        _placeholders(doc, v, problems)
        _missing_uid(doc, v, problems)
        if v["uid"] is not None:
            line = doc.fields.line_of("uid")
            if v["uid"] in uids:
                first_path, first_line = uids[v["uid"]]
                problems.add(doc.path, line, "uid", _("the same uid as {path}:{line}; every activity needs its own",
                                                      path=first_path, line=first_line))
            else:
                uids[v["uid"]] = (doc.path, line)
        activity = _activity(doc, v, ctx, vocabularies, venues, organisations, needs, assets,
                             _published(v, doc.kind, drafts))
        if activity is None:
            continue
        if activity.draft and not drafts:
            continue
        activities.append(activity)

    answered = {need.slug for a in activities for need in a.needs} | {
        slug for doc, v in typed["activity"] for slug in (v["needs"] or ())
    }
    for doc, v in typed["need"]:
        if v["status"] == "answered" and doc.slug not in answered:
            problems.warn(doc.path, doc.fields.line_of("status"), "status", _("the need is marked answered but no "
                                                                              "activity names it under needs"))
    published = assets.finish()
    if problems:
        return None
    activities.sort(key=lambda a: (a.start, a.slug))
    return Catalog(config, vocabularies, tuple(activities), venues, organisations, needs, pages, published)


def relink(raw: RawContent, settings: Settings, doc: TypedDoc, catalog: Catalog, problems: Problems, *,
           drafts: bool = False) -> Any:
    """The record of one changed file, linked against the records of the previous build's catalogue (the
    build's patch, build.py); None when it cannot be made that way (any error, or a draft left out), and the
    build then links everything again, which reports every problem in one pass. The cross-file rules need not
    run again: the patch is only taken when the record's structure (model.py's non-leaf fields: references,
    uid, status, dates, draft) and the files its body points at are as before."""
    problems.extend(doc.problems)
    v = doc.values
    if v is None or any(p.severity == ERROR for p in doc.problems):
        return None
    record: Any
    if doc.kind == "activity":
        _placeholders(doc, v, problems)
        _missing_uid(doc, v, problems)
        assets = Assets(raw, settings.limits, problems)
        published = _published(v, doc.kind, drafts)
        _use_links(doc, assets, problems, publish=published)
        record = _activity(doc, v, Context(doc.path, problems, settings.tz, settings.vocabularies),
                           settings.vocabularies, catalog.venues, catalog.organisations, catalog.needs, assets,
                           published)
        if record is not None and record.draft and not drafts:
            return None
    elif not v.ok:
        return None
    elif doc.kind == "venue":
        record = _venue(doc, v, Context(doc.path, problems, settings.tz, settings.vocabularies),
                        Assets(raw, settings.limits, problems))
    elif doc.kind == "organisation":
        record = _organisation(doc, v)
    elif doc.kind == "need":
        record = _need(doc, v, settings.vocabularies, catalog.organisations,
                       Context(doc.path, problems, settings.tz, settings.vocabularies))
    elif doc.kind == "page":
        record = _page(doc, v)
    else:  # a kind this function does not know: link everything
        return None
    return None if problems else record


def _missing_uid(doc: TypedDoc, v: Record, problems: Problems) -> None:
    if v["uid"] is None and "uid" not in v.failed:
        problems.warn(doc.path, doc.fields.line, "uid", _("missing; without a fixed uid, calendars may show the "
                                                          "activity twice when the file is renamed (kkssite new "
                                                          "writes one)"))


def _page(doc: TypedDoc, v: Record) -> Page:
    return Page(doc.slug, Source(doc.path, doc.digest), v["title"], v["menu"], v["summary"], doc.body_html,
                en=_english(doc, v))


def _published(values: Record, kind: str, drafts: bool) -> bool:
    """Whether a file's record is in the site: everything but an activity that is a draft (without --drafts)."""
    return not (kind == "activity" and values.get("draft") and not drafts)


#: The asset folder of images: every file of it that is published is checked to be an image.
IMAGES = "images"


class Assets:
    """The files of the asset folders, as load listed them, and the ones the content references: what the build
    publishes (Catalog.assets). Every kind of reference (an activity's image:, the links and images of a body)
    goes through `known` and `use`; a file that nothing uses is not published, and a warning says so.

    A used file is checked once: within the asset limit, and under images/ an image of an allowed format, whose
    pixel size the model keeps (images.py)."""

    def __init__(self, raw: RawContent, limits: Limits, problems: Problems) -> None:
        self.found = {entry.rel: entry for entry in raw.assets}
        self.refused = raw.refused_assets
        self.limits = limits
        self.problems = problems
        self.shown = display_path(raw.root)
        self.published: set[str] = set()
        self.mentioned: set[str] = set()
        self.checked: dict[str, Image | None] = {}

    def known(self, rel: str) -> bool:
        """Whether a content-relative path is a file of an asset folder (a refused one too: its own error says
        what is wrong with it)."""
        return rel in self.found or rel in self.refused

    def use(self, rel: str, publish: bool = True) -> Image | None:
        """Reference a known file, published unless `publish` is false (a draft left out of the site); the image
        it is (None when it is not one, or is refused: the problem is reported at the file's own path)."""
        self.mentioned.add(rel)
        if publish and rel in self.found:
            self.published.add(rel)
        if rel not in self.checked:
            self.checked[rel] = self._check(rel)
        return self.checked[rel]

    def _check(self, rel: str) -> Image | None:
        entry = self.found.get(rel)
        if entry is None:
            return None
        limit, setting = self.limits.asset, self.limits.asset_setting
        try:
            if rel.split("/", 1)[0] != IMAGES:
                size = os.stat(entry.real).st_size  # published as it is: read (bounded) when it is written
                if size > limit:
                    raise too_large(size, limit, setting)
                return None
            data = read(entry.real, limit, setting)
            info = identify(data, rel)
        except (Refused, NotAnImage) as exc:
            self.problems.add(f"{self.shown}/{rel}", 0, "", exc.message)
            return None
        except OSError as exc:
            self.problems.add(f"{self.shown}/{rel}", 0, "", _("the file cannot be read ({reason}); check that it "
                                                              "exists and that you have permission to read it",
                                                              reason=exc.strerror or exc))
            return None
        return Image(rel, info.width, info.height, hashlib.sha256(data).hexdigest())

    def hint(self, written: str) -> Hint:
        """' – did you mean "images/ljus.jpg"?' for a path whose file name is close to an image's (file names are
        compared: whole paths share images/ and .jpg, which would make every image look close)."""
        names = {PurePosixPath(rel).name: rel for rel in self.found if rel.split("/", 1)[0] == IMAGES}
        close = difflib.get_close_matches(PurePosixPath(written).name, names, n=1, cutoff=0.6)
        return did_you_mean(written, [names[close[0]]]) if close else Hint("")

    def finish(self) -> tuple[str, ...]:
        """Warn about the files nothing uses; the content-relative paths of the files to publish, sorted."""
        for rel in sorted(set(self.found) - self.mentioned):
            self.problems.warn(f"{self.shown}/{rel}", 0, "", _("no content uses the file, so it is not published"))
        return tuple(sorted(self.published))


def _use_links(doc: TypedDoc, assets: Assets, problems: Problems, publish: bool) -> None:
    """The files a body's links and images point at: used, or reported where the address is written."""
    for target, line, written in doc.links:
        if assets.known(target):
            assets.use(target, publish)
        else:
            shown = f"{assets.shown}/{target}"
            problems.add(doc.path, line, "", _("the address {link} in the text points to {path}, which does not "
                                               "exist; put the file there or correct the address", link=written,
                                               path=shown))


def _placeholders(doc: TypedDoc, v: Record, problems: Problems) -> None:
    """Empty values (`start:`): in a draft, warnings, and the draft stays out of every page, listing and feed
    until they are filled in (its keys count as failed, so the activity is not built); otherwise errors."""
    if not doc.placeholders:
        return
    if v["draft"] is not True:
        for line, key, expected, _required in doc.placeholders:
            problems.add(doc.path, line, key, _("expected {expected}, got an empty value", expected=expected))
        return
    for line, key, expected, required in doc.placeholders:
        problems.warn(doc.path, line, key, _("empty: fill in {expected}", expected=expected) if required
                      else _("empty: fill in {expected} or remove the line", expected=expected))
    count = len(doc.placeholders)
    problems.warn(doc.path, doc.fields.line_of("draft"), "draft", ngettext(
        "the draft has {n} empty value and is left out of the preview, the listings, the feeds and the calendars "
        "until it is filled in",
        "the draft has {n} empty values and is left out of the preview, the listings, the feeds and the calendars "
        "until they are filled in", count))


def _minute(moment: datetime) -> str:
    """A moment as quoted in a message: 2027-03-14 18:00."""
    return moment.strftime("%Y-%m-%d %H:%M")


# --- site.yml and vocabularies.yml -----------------------------------------------------------------------


def _site_config(raw: LineDict | None, path: str, problems: Problems) -> tuple[SiteConfig, Limits] | None:
    if raw is None:
        return None
    ctx = Context(path, problems, ZoneInfo(DEFAULT_TZ))
    values = apply_schema(raw, SITE_SCHEMA, ctx)
    if not values.ok:
        return None
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        ctx.report(raw.line_of("timezone"), "timezone", _("unknown time zone {value}; expected an IANA time zone "
                                                          "such as Europe/Stockholm", value=repr(values["timezone"])))
        return None
    limits = _limits(values["limits"], raw.get("limits"), ctx)
    if limits is None:
        return None
    contact = Contact(**values["contact"]) if values["contact"] else Contact()
    inbox = values["needs_inbox"]["action"] if values["needs_inbox"] else None
    base_url = values["base_url"] if values["base_url"].endswith("/") else values["base_url"] + "/"
    cms = None
    if values["cms"] is not None:
        cms = CmsConfig(**{k: v for k, v in values["cms"].items() if v is not None})
        if cms.backend != "test" and cms.repo is None:
            ctx.report(raw.line_of("cms"), "cms.repo", _("missing; the web editor needs the repository that keeps the "
                                                      "content, such as organisation/kkssite"))
            return None
    return SiteConfig(
        title=values["title"], base_url=base_url, language=values["language"], timezone=values["timezone"],
        description=values["description"], tagline=values["tagline"], contact=contact,
        per_page=values["per_page"], needs_inbox=inbox, cms=cms,
        translations=tuple(dict.fromkeys(c for c in values["translations"] if c != values["language"])),
        en_tagline=(values["en"] or {}).get("tagline"), en_description=(values["en"] or {}).get("description"),
    ), limits


def _limits(values: Record | None, raw: Any, ctx: Context) -> Limits | None:
    """site.yml's `limits:` in bytes (MB of 1,000,000 bytes); the defaults for what it does not say."""
    if values is None:
        return Limits()
    sizes = {}
    for key, default in (("text_mb", TEXT_LIMIT), ("asset_mb", ASSET_LIMIT)):
        mb = values[key]
        if mb is not None and mb <= 0:
            ctx.report(raw.line_of(key), f"limits.{key}", _("expected a number of MB greater than 0, got {value}",
                                                            value=repr(raw[key])))
            return None
        sizes[key] = default if mb is None else int(mb * MB)
    return Limits(text=sizes["text_mb"], asset=sizes["asset_mb"])


def _vocabularies(raw: LineDict | None, path: str, problems: Problems) -> Vocabularies | None:
    if raw is None:
        return None
    ctx = Context(path, problems, ZoneInfo(DEFAULT_TZ))
    before = len(problems.errors)
    result: dict[str, dict[str, Term]] = {}
    for key in raw:
        if key not in TERM_SCHEMAS:
            hint = did_you_mean(key, TERM_SCHEMAS)
            ctx.report(raw.line_of(key), key, _("unknown vocabulary{hint}", hint=hint), hint.suggestion)
    for name, schema in TERM_SCHEMAS.items():
        items = raw.get(name)
        terms: dict[str, Term] = {}
        result[name] = terms
        if not isinstance(items, list) or not items:
            ctx.report(raw.line_of(name) if name in raw else raw.line, name,
                       _("missing; expected a list with slug and name for every term"))
            continue
        for index, item in enumerate(items):
            line = items.line_of(index) if hasattr(items, "line_of") else raw.line_of(name)
            if not isinstance(item, LineDict):
                ctx.report(line, f"{name}[{index + 1}]", _("expected slug and name on lines of their own"))
                continue
            values = apply_schema(item, schema, ctx, prefix=f"{name}[{index + 1}]")
            if not values.ok:
                continue
            if values["slug"] in terms:
                ctx.report(item.line_of("slug"), f"{name}[{index + 1}].slug",
                           _("{slug} is already in {vocabulary}", slug=values["slug"], vocabulary=name))
                continue
            colours = _term_colours(item, values, ctx, f"{name}[{index + 1}]")
            terms[values["slug"]] = Term(name, values["slug"], values["name"], values.get("category"),
                                         values.get("region"), values.get("plural"), *colours,
                                         values.get("emblem"), values.get("en"), values.get("en_plural"))
    for name, parent, key in (("professions", "categories", "category"), ("cities", "regions", "region")):
        for index, item in enumerate(raw.get(name) or ()):
            value = item.get(key) if isinstance(item, LineDict) else None
            if value is not None and result[parent] and value not in result[parent]:
                hint = did_you_mean(value, result[parent])
                ctx.report(item.line_of(key), f"{name}[{index + 1}].{key}",
                           _("unknown value {value}, expected an id from {vocabulary}{hint}", value=repr(value),
                             vocabulary=parent, hint=hint), hint.suggestion)
    if len(problems.errors) > before:
        return None
    return Vocabularies(**result)


def _term_colours(item: LineDict, values: Record, ctx: Context, prefix: str) -> tuple[str | None, str | None]:
    """An art form's colours: both or neither, each readable on the theme's page and cards (colours.py)."""
    light, dark = values.get("colour"), values.get("colour_dark")
    if (light is None) != (dark is None):
        missing = "colour_dark" if dark is None else "colour"
        ctx.report(item.line, f"{prefix}.{missing}", _("missing; colour and colour_dark go together (one for light "
                                                       "and one for dark mode)"))
        return None, None
    weak = {"colour": N_("{colour} is too weak against the light page ({ratio}:1, at least 4.5:1 is needed); choose "
                         "a darker colour"),
            "colour_dark": N_("{colour} is too weak against the dark page ({ratio}:1, at least 4.5:1 is needed); "
                              "choose a lighter colour")}
    for key, colour, backgrounds in (("colour", light, LIGHT_BACKGROUNDS), ("colour_dark", dark, DARK_BACKGROUNDS)):
        if colour is not None and (ratio := weakest(colour, backgrounds)) < MINIMUM:
            ctx.report(item.line_of(key), f"{prefix}.{key}", editor.gettext(
                weak[key], colour=colour, ratio=format_decimal(round(ratio, 1), locale=editor.locale)))
    return (light.lower(), dark.lower()) if light and dark else (None, None)


# --- records ---------------------------------------------------------------------------------------------


def _accessibility(values: dict[str, Any] | None, base: Accessibility | None = None) -> Accessibility:
    base = base or Accessibility()
    if not values:
        return base
    return Accessibility(**{k: (values[k] if values.get(k) is not None else getattr(base, k))
                            for k in ("step_free", "hearing_loop", "sign_language", "audio_description", "note")})


def _image(doc: TypedDoc, v: Record, ctx: Context, assets: Assets) -> Image | None:
    """A record's photo (`image`, with its `image_alt`): an image below content/images/, published in its resized
    sizes, not as it is (photos.py: the original may carry GPS data)."""
    fields = doc.fields
    if v["image"] is None:
        return None
    if v["image_alt"] is None:
        ctx.report(fields.line_of("image"), "image_alt", _("missing; an image needs an alt text that "
                                                           "describes it"))
    if not assets.known(v["image"]) or v["image"].split("/", 1)[0] != IMAGES:
        hint = assets.hint(v["image"])
        ctx.report(fields.line_of("image"), "image", _("the image {value} does not exist; put it in "
                                                       "content/images/ and write the path as "
                                                       "images/name.jpg{hint}", value=repr(v["image"]),
                                                       hint=hint), hint.suggestion)
        return None
    return assets.use(v["image"], publish=False)


def _venue(doc: TypedDoc, v: Record, ctx: Context, assets: Assets) -> Venue:
    return Venue(doc.slug, Source(doc.path, doc.digest), v["name"], v["city"], v["address"], v["postal_code"],
                 v["coordinates"], v["url"], _accessibility(v["accessibility"]), doc.body_html,
                 en=_english(doc, v), image=_image(doc, v, ctx, assets), image_alt=v["image_alt"])


def _organisation(doc: TypedDoc, v: Record) -> Organisation:
    return Organisation(doc.slug, Source(doc.path, doc.digest), v["name"], v["url"], v["email"], doc.body_html,
                        en=_english(doc, v))


def _everything(selection: tuple[Term, ...]) -> bool:
    """Whether a selection of terms says `alla` (every term of the vocabulary)."""
    return any(t.slug == "alla" for t in selection)


def _art_forms(selection: tuple[Term, ...], vocab: Vocabularies) -> tuple[Term, ...]:
    return tuple(vocab.art_forms.values()) if _everything(selection) else selection


def _expand_professions(selection: tuple[Term, ...], vocab: Vocabularies) -> tuple[tuple[Term, ...], bool]:
    """Category slugs and `alla` → the professions they stand for, in vocabulary order."""
    if _everything(selection):
        return tuple(vocab.professions.values()), True
    chosen = {t.slug for t in selection if t.vocabulary == "professions"}
    groups = {t.slug for t in selection if t.vocabulary == "categories"}
    return tuple(p for p in vocab.professions.values() if p.slug in chosen or p.category in groups), False


def _need(doc: TypedDoc, v: Record, vocab: Vocabularies, organisations: dict[str, Organisation],
          ctx: Context) -> Need | None:
    before = len(ctx.problems.errors)
    professions, everyone = _expand_professions(v["professions"], vocab)
    reporters: list[Organisation] = []
    texts: list[str] = []
    raw = doc.fields.get("reported_by")
    for index, item in enumerate(v["reported_by"] or ()):
        if item in organisations:
            reporters.append(organisations[item])
        elif SLUG_RE.match(item):
            line = raw.line_of(index) if isinstance(raw, LineList) else doc.fields.line_of("reported_by")
            ctx.report(line, "reported_by", _('{value} is not in content/organisations/{hint} (free text needs spaces, '
                                              'such as "14 frilansande ljudtekniker")', value=repr(item),
                                              hint=did_you_mean(item, organisations)))
        else:
            texts.append(item)
    if v["status"] == "closed" and v["status_note"] is None:
        ctx.report(doc.fields.line_of("status"), "status_note", _("missing; a closed need needs a status_note that "
                                                                  "says why it was closed"))
    if len(ctx.problems.errors) > before:
        return None
    cities = v["cities"]
    region_slugs = {t.slug for t in v["regions"]} | {c.region for c in cities}
    category_slugs = {p.category for p in professions}
    return Need(doc.slug, _source(doc), v["title"], v["reported"], tuple(reporters), tuple(texts),
                v["interest"], professions, tuple(c for c in vocab.categories.values() if c.slug in category_slugs),
                everyone, _art_forms(v["art_forms"], vocab),
                tuple(r for r in vocab.regions.values() if r.slug in region_slugs), cities, v["status"],
                v["status_note"], doc.body_html, en=_english(doc, v))


def _source(doc: TypedDoc) -> Source:
    return Source(doc.path, doc.digest, tuple(doc.fields.lines.items()))


def _outcome(doc: TypedDoc, o: dict[str, Any] | None, ctx: Context) -> Outcome | None:
    if o is None:
        return None
    by_category = o["participants_by_category"] or ()
    counted = sum(n for _term, n in by_category)
    participants = o["participants"]
    if by_category and participants is not None and counted > participants:
        ctx.report(doc.fields["outcome"].line_of("participants_by_category"), "outcome.participants_by_category",
                   _("the participants per category add up to {sum}, more than participants ({participants})",
                     sum=counted, participants=participants))
    if participants is None and by_category:
        participants = counted
    return Outcome(participants, tuple(by_category), o["organisations"], o["evaluation"])


def _materials(doc: TypedDoc, items: tuple[Record, ...] | None, ctx: Context, assets: Assets,
               publish: bool) -> tuple[Material, ...]:
    found = []
    for index, item in enumerate(items or ()):
        raw = doc.fields["materials"][index]
        key = f"materials[{index + 1}]"
        if (item["url"] is None) == (item["file"] is None):
            ctx.report(raw.line, key, _("give either url (a link) or file (a file below content/), one of them"))
            continue
        size = file = None
        if item["file"] is not None:
            file = item["file"].removeprefix("content/").removeprefix("/")
            line = raw.line_of("file")
            if not assets.known(file) or PurePosixPath(file).suffix.lower() in UNPUBLISHABLE:
                ctx.report(line, f"{key}.file", _("the file {value} does not exist; put it in content/materials/ "
                                                  "and write the path as materials/name.pdf{hint}",
                                                  value=repr(item["file"]), hint=did_you_mean(file, assets.found)))
                continue
            assets.use(file, publish)  # checked (within the asset limit) or reported at the file's own path
            entry = assets.found.get(file)
            if entry is None:
                continue
            size = os.stat(entry.real).st_size
        found.append(Material(item["title"], item["url"], file, size))
    return tuple(found)


def _end(start: datetime, start_all_day: bool, end: Any, ctx: Context) -> datetime | None:
    """Resolve an end value (full moment, date, or a bare time meaning the start's day)."""
    if end is None:
        return None
    if end[0] == "time":
        _time, hour, minute, written = end
        if start_all_day:
            raise Invalid(_("start is a date without a time of day, so the end must be a date too, got {value}",
                            value=repr(written)))
        return zone_time(start.date(), hour, minute, 0, ctx.tz, written)
    moment: datetime
    moment, date_only = end
    if date_only != start_all_day:
        raise Invalid(_("start and end must both be dates (a whole day) or both have a time of day"))
    return moment


def _sessions(doc: TypedDoc, v: Record, ctx: Context) -> tuple[Session, ...] | None:
    fields = doc.fields
    if v["start"] is not None and v["sessions"] is not None:
        ctx.report(fields.line_of("sessions"), "sessions", _("give either start/end or sessions, not both"))
        return None
    if v["start"] is None and v["sessions"] is None:
        ctx.report(fields.line, "start", _("missing; expected a date and time such as 2027-03-14 18:00 (or sessions "
                                           "with several dates)"))
        return None
    if v["start"] is not None:
        raw_sessions = [({"start": v["start"], "end": v["end"]}, fields.line_of("end"), "")]
    else:
        if v["end"] is not None:
            ctx.report(fields.line_of("end"), "end", _("end belongs to start; with sessions, every session has "
                                                       "its own end"))
            return None
        items = fields["sessions"]
        raw_sessions = [(s, items[i].line_of("end"), f"sessions[{i + 1}].")
                        for i, s in enumerate(v["sessions"])]
    sessions: list[Session] = []
    ok = True
    for index, (session, end_line, prefix) in enumerate(raw_sessions, start=1):
        start, all_day = session["start"]
        try:
            end = _end(start, all_day, session["end"], ctx)
        except Invalid as exc:
            ctx.report(end_line, f"{prefix}end", exc.message)
            ok = False
            continue
        if end is not None and (end < start or (end == start and not all_day)):
            ctx.report(end_line, f"{prefix}end", _("the end ({end}) must come after the start ({start})",
                                                   end=_minute(end), start=_minute(start)))
            ok = False
            continue
        if v["all_day"] is True and not all_day:
            ctx.report(fields.line_of("all_day"), "all_day", _("a whole day needs dates without a time of day in "
                                                               "start and end"))
            ok = False
            continue
        if v["all_day"] is False and all_day:
            ctx.report(fields.line_of("all_day"), "all_day", _("all_day: false, but start is a date without a time "
                                                               "of day; write a time (2027-03-14 18:00) or remove "
                                                               "all_day"))
            ok = False
            continue
        sessions.append(Session(start, end if end != start else None, all_day, index))
    if not ok:
        return None
    ordered = sorted(sessions, key=lambda s: s.start)
    if [s.index for s in ordered] != [s.index for s in sessions]:
        ctx.report(fields.line_of("sessions"), "sessions", _("the sessions must be in time order, the earliest "
                                                             "first"))
        return None
    for earlier, later in pairwise(sessions):
        if (earlier.end or earlier.start) > later.start:
            ctx.report(fields["sessions"].line_of(later.index - 1), f"sessions[{later.index}].start",
                       _("the session starts before session {number} has ended", number=earlier.index))
            return None
    return tuple(sessions)


def _registration(doc: TypedDoc, r: dict[str, Any] | None, start: datetime, ctx: Context) -> Registration | None:
    if r is None:
        return None
    raw = doc.fields["registration"]
    if r["url"] is None and r["email"] is None:
        ctx.report(raw.line, "registration", _("give url or email so that people can register"))
    deadline = None
    if r["deadline"] is not None:
        moment, date_only = r["deadline"]
        deadline = datetime.combine(moment.date(), time(23, 59), tzinfo=moment.tzinfo) if date_only else moment
        if deadline > start and not (date_only and moment.date() <= start.date()):
            ctx.report(raw.line_of("deadline"), "registration.deadline",
                       editor.gettext(DEADLINE_AFTER_START[r["kind"]], deadline=_minute(deadline),
                                      start=_minute(start)))
    opens = r["opens"][0] if r["opens"] is not None else None
    if opens is not None and deadline is not None and opens > deadline:
        ctx.report(raw.line_of("opens"), "registration.opens", _("registration opens after the last day to "
                                                                 "register"))
    return Registration(r["kind"], r["url"], r["email"], opens, deadline, r["notice_by"])


def _refs(doc: TypedDoc, key: str, slugs: tuple[str, ...] | None, known: dict[str, Any], folder: str,
          ctx: Context) -> tuple[Any, ...]:
    found = []
    raw = doc.fields.get(key)
    for index, slug in enumerate(slugs or ()):
        if slug in known:
            found.append(known[slug])
        else:
            line = raw.line_of(index) if isinstance(raw, LineList) else doc.fields.line_of(key)
            hint = did_you_mean(slug, known)
            ctx.report(line, key, _("{value} is not in content/{folder}/{hint}", value=repr(slug), folder=folder,
                                    hint=hint), hint.suggestion)
    return tuple(found)


def _activity(doc: TypedDoc, v: Record, ctx: Context, vocab: Vocabularies, venues: dict[str, Venue],
              organisations: dict[str, Organisation], needs: dict[str, Need],
              assets: Assets, publish: bool) -> Activity | None:
    before = len(ctx.problems.errors)
    fields = doc.fields
    timing = {"start", "end", "sessions", "all_day"}
    sessions = None if v.failed & timing else _sessions(doc, v, ctx)
    mode = v["mode"]
    from_venue = v["venue"] in venues
    if v["city"] is None and mode != "online" and not from_venue and not v.failed & {"city", "mode", "venue"}:
        ctx.report(fields.line, "city", _("missing; expected an id from cities in vocabularies.yml (only "
                                          "activities with mode: online may have no city)"))
    if v["online_url"] is not None and mode == "on_site" and "mode" not in v.failed:
        ctx.report(fields.line_of("online_url"), "online_url", _("online_url needs mode: online or hybrid"))
    venue: Venue | None = None
    venue_text: str | None = None
    if v["venue"] is not None:
        if v["venue"] in venues:
            venue = venues[v["venue"]]
        elif SLUG_RE.match(v["venue"]):
            hint = did_you_mean(v["venue"], venues)
            ctx.report(fields.line_of("venue"), "venue", _('{value} is not in content/venues/{hint} (free text '
                                                           'needs spaces, such as "Folkets hus, Storgatan 1")',
                                                           value=repr(v["venue"]), hint=hint), hint.suggestion)
        else:
            venue_text = v["venue"]
    image = _image(doc, v, ctx, assets)
    organisers = _refs(doc, "organisers", v["organisers"], organisations, "organisations", ctx)
    answered = _refs(doc, "needs", v["needs"], needs, "needs", ctx)
    outcome = None if "outcome" in v.failed else _outcome(doc, v["outcome"], ctx)
    materials = () if "materials" in v.failed else _materials(doc, v["materials"], ctx, assets, publish)
    registration = None
    if sessions and "registration" not in v.failed:
        registration = _registration(doc, v["registration"], sessions[0].start, ctx)
    if len(ctx.problems.errors) > before or sessions is None or v.failed:
        return None
    professions, all_professions = _expand_professions(v["professions"], vocab)
    category_slugs = {p.category for p in professions}
    art_forms = _art_forms(v["art_forms"], vocab)
    price = None if v["price"] is None else Price(*v["price"])
    body_html = doc.body_html
    summary = v["summary"] or doc.excerpt or v["title"]
    updated = v["updated"][0] if v["updated"] is not None else None
    if updated is not None and v["updated"][1]:
        updated = updated.replace(hour=0, minute=0)
    changes = tuple(Change(c["date"], c["text"]) for c in (v["changes"] or ()))
    city = v["city"] or (venue.city if venue else None)
    return Activity(
        slug=doc.slug, source=_source(doc), uid=v["uid"] or f"{doc.slug}@kkssite",
        title=v["title"], type=v["type"],
        profession_selection=() if all_professions else v["professions"], professions=professions,
        categories=tuple(c for c in vocab.categories.values() if c.slug in category_slugs),
        all_professions=all_professions, art_forms=art_forms, city=city, sessions=sessions, mode=mode,
        online_url=v["online_url"], venue=venue, venue_text=venue_text,
        audiences=v["audience"] or (next(iter(vocab.audiences.values())),),
        level=v["level"], languages=v["language"] or tuple(t for t in vocab.languages.values() if t.slug == "sv"),
        hours=v["hours"],
        leaders=tuple(Leader(x["name"], x["role"], x["link"], x["about"]) for x in (v["leaders"] or ())),
        price=price, no_show_fee=v["no_show_fee"], seats=v["seats"], registration=registration,
        requirements=v["requirements"],
        accessibility=_accessibility(v["accessibility"], venue.accessibility if venue else None),
        organisers=organisers, funding=v["funding"], status=v["status"], status_note=v["status_note"],
        summary=summary, image=image, image_alt=v["image_alt"], published=v["published"],
        updated=updated, changes=changes, needs=answered, outcome=outcome, materials=materials, draft=v["draft"],
        body_html=body_html, en=_english(doc, v),
    )


def _english(doc: TypedDoc, v: Record) -> English | None:
    """A record's English texts: `en:` of its front matter and the body after "=== English ===" (or None)."""
    given = v.get("en") or {}
    english = English(given.get("title"), given.get("summary"), doc.en_body_html or None)
    return english if english != English() else None


def _check_duplicate_slugs(docs: list[TypedDoc], problems: Problems) -> None:
    seen: dict[tuple[str, str], str] = {}
    for doc in docs:
        key = (doc.kind, doc.slug)
        if key in seen:
            problems.add(doc.path, 0, "", _("the same name as {path}; two files cannot have the same address",
                                            path=seen[key]))
        else:
            seen[key] = doc.path

