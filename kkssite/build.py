"""The pipeline, in order: config → load → validate → site graph → plan (the route table) → render → write.

`build()` reads like the stages it runs and times each one. It gathers and checks everything first and writes
last, so content errors stop the build before the output folder is touched; and it publishes all or nothing
(write.py), so a broken template or a failed write leaves the output as the last good build left it.

What is redone is decided by one mechanism: every output of the route table gets a key, the digest of exactly
what it shows (keys.py), and the build store (cache.py) remembers the key each output file was made from. An
output whose key and file are as the last build left them is kept; the others are made, in parallel across
cores. Shared pieces (an activity's serialized events) are fragments in the same store.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import gc
import hashlib
import itertools
import os
import pickle
import stat as stat_module
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import (
    BuildCache,
    LastBuild,
    MemoryCache,
    PageRecord,
    Planned,
    Records,
    code_digest,
    files_as_left,
    stat_signature,
)
from .config import BuildOptions, current_time
from .errors import ContentError, Problem, Problems, ThemeError, display_path
from .files import Refused, read
from .i18n import Language, _
from .load import RawContent, SourceFile, load
from .progress import Progress
from .workers import Ahead, FromBothEnds, chunks, default_workers, fork_imap, fork_map
from .write import Output as Writer
from .write import WriteStats, check_output

if TYPE_CHECKING:  # the stages are imported where first used: a build with nothing to do needs none of them
    from .feeds.health import Published
    from .graph import Site
    from .keys import Digest, Digester
    from .model import Catalog
    from .photos import Derivative
    from .render import Theme
    from .routes import Output
    from .snapshot import Snapshot
    from .validate import Settings, TypedDoc
    from .views import Views

#: Routes whose files are checked against the previous build (health.py): the per-activity downloads.
DOWNLOADS = frozenset({"activity-ics", "deadline-ics"})
#: Routes of the subscription feeds (counted in the build's summary).
FEEDS = frozenset({"site-ics", "site-rss", "term-ics", "term-rss", "crossed-ics", "crossed-rss", "changes-rss",
                   "json-feed", "open-data"})


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: counts for the summary line, warnings, and seconds per stage."""

    activities: int
    pages: int
    feeds: int
    files: int
    rendered: int
    parsed: int
    stats: WriteStats
    warnings: tuple[Problem, ...]
    timings: dict[str, float] = field(default_factory=dict)
    patched: bool = False  # the previous build's site was patched (not linked and built again)
    resized: int = 0  # photo sizes encoded by this build (the others were in the build store, or kept on disk)
    unchanged: bool = False  # nothing to do: every input and the output as the last build left them

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


class _Timer:
    """Accumulates wall time per stage: `with timer("render"): …`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def check(options: BuildOptions, links: bool = True) -> tuple[Catalog | None, Problems]:
    """Load and validate only (`kkssite check`), with the checks that depend on `now` (needs.py); with `links`,
    also warn about links into the site that name nothing the build makes (links.py: that needs the route
    table's outputs, so only when the content is valid)."""
    from .links import check_links
    from .needs import lifecycle_warnings
    from .validate import validate

    problems = Problems()
    raw = load(options.content, problems)
    catalog = validate(raw, problems, drafts=options.drafts)
    if catalog is not None:
        problems.extend(lifecycle_warnings(catalog, options.now or current_time()))
    if links and catalog is not None and not problems:
        check_links(raw, catalog, options.now or current_time(), problems)
    if catalog is not None and not problems:
        _check_photos(raw, catalog, problems)
    return catalog, problems


def _check_photos(raw: RawContent, catalog: Catalog, problems: Problems) -> None:
    """The photos that the build would resize and could not decode (a truncated upload): errors, as the build
    reports them."""
    from .photos import decodable
    from .validate import validate_settings

    entries = {entry.rel: entry for entry in raw.assets}
    settings = validate_settings(raw, Problems())
    limit = settings.limits.asset if settings is not None else 0
    photos = {a.image.path for a in catalog.activities if a.image} | {
        v.image.path for v in catalog.venues.values() if v.image}
    for rel in sorted(photos):
        try:
            ok = decodable(read(entries[rel].real, limit))
        except (Refused, KeyError):
            continue  # validation reported it
        if not ok:
            problems.add(f"{display_path(raw.root)}/{rel}", 0, "", _(
                "the image is damaged and cannot be read; open it in an image program and save it again"))


def build(options: BuildOptions, memory: MemoryCache | None = None,
          progress: Progress | None = None, changed: Iterable[str] | None = None) -> BuildResult:
    """Build the site into options.output; raise ContentError (output untouched) when the content is wrong.

    `memory` keeps the store in memory between builds of one process (the live preview); `progress` shows
    long stages on the terminal; `changed`, with `memory`, names every file changed since the last build of
    that memory (the live preview's notifications; see `_load`)."""
    # A build allocates hundreds of thousands of long-lived, acyclic objects; the cyclic garbage collector
    # would walk them again and again (a third of the time spent loading 10,000 cached files). It is off for
    # the build, in this process and in the workers forked from it, and back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with contextlib.ExitStack() as stack:
            return _build(options, memory, progress, changed, stack)
    finally:
        if collecting:
            gc.enable()


def _build(options: BuildOptions, memory: MemoryCache | None, progress: Progress | None,
           changed: Iterable[str] | None, stack: contextlib.ExitStack) -> BuildResult:
    timer = _Timer()
    progress = progress or Progress(enabled=False)
    now: datetime = options.now or current_time()
    workers = options.workers or default_workers()
    check_output(options.output, [options.content, options.theme, options.theme.parent / "kkssite"])

    # First gather and check every input; nothing is written unless all of it is valid.
    problems = Problems()
    with timer("load"):
        # The last build's record first: a child process checks its 37,000 files while this one reads the
        # content folder (0.15 s and 0.1 s at 10,000 activities), this one checks the rest from the other end,
        # and the record is compared once the inputs are known.
        last = BuildCache.peek_last_build(options.cache, options.content, options.output) \
            if options.cache is not None and memory is None and not options.clean else None
        on_disk = FromBothEnds(functools.partial(files_as_left, options.output), last.files) \
            if last is not None and len(last.files) >= FORK_CHECK else None
        if on_disk is not None:
            stack.callback(on_disk.cancel)  # (its answer is also the patch's check of the output, below)
        raw, signatures = _load(options.content, memory, changed, problems)
        cache = _open_cache(options, raw, memory)
        shape = _shape_key(raw, options)
        inputs = _inputs_key(shape, now, signatures)
        unchanged = None
        if isinstance(cache, MemoryCache) and not problems:
            unchanged = cache.last_build(inputs, options.output)
        elif cache is not None and last is not None and last.inputs == inputs and not problems \
                and (on_disk.answer() if on_disk is not None else last.intact(options.output)):
            unchanged = last.result
    if cache and isinstance(unchanged, BuildResult):  # every input as last time (site.yml too, which that build
        # found valid), the output as it was left, and nothing refused (a refused file is not among the inputs)
        cache.close()
        return dataclasses.replace(unchanged, parsed=0, rendered=0, stats=WriteStats(0, unchanged.files),
                                   timings=timer.timings, patched=False, resized=0, unchanged=True)
    # Something to do: from here on the stages are needed (imported here, so that the above needs none of them).
    from .feeds import ical
    from .feeds.health import check_feeds
    from .graph import build_site
    from .keys import Digester
    from .needs import lifecycle_warnings
    from .render import Renderer
    from .routes import Router
    from .translate import localize
    from .validate import link, validate_settings
    from .views import Earlier, Fragments, Views

    with timer("load"):
        settings = validate_settings(raw, problems)
    if settings is None and cache is not None:
        cache.close()
        cache = None
    patch = None
    ahead: Ahead | None = None
    if cache is not None and settings is not None and not problems:
        with timer("patch"):
            patch = _patch(cache, raw, settings, signatures, shape, options, now, last,
                           on_disk.answer if on_disk is not None else None)
        if on_disk is not None:
            on_disk.cancel()
    parsed = 0
    if patch is not None:
        site, parsed = patch.site, len(patch.docs)
        catalog = site.catalog
    else:
        catalog = None
        if settings is not None:
            with timer("validate"):
                docs, parsed = _typed_docs(raw, settings, cache, signatures, workers, progress)
                catalog = link(raw, settings, docs, problems, drafts=options.drafts)
                del docs  # the catalog holds what pages need; the typed records can go
        if catalog is None or problems:
            if cache:
                cache.close()
            raise ContentError(problems.errors + problems.warnings)
        lifecycle = lifecycle_warnings(catalog, now)
        problems.extend(lifecycle)
        content_warnings = problems.warnings  # what the next build keeps for the files it does not read again
        with timer("graph"):
            site = build_site(catalog, now)
        if isinstance(cache, BuildCache):  # the store's rows of the snapshot, pickled by a child while this plans
            from .snapshot import write_rows
            ahead = Ahead(functools.partial(write_rows, site, catalog_records(catalog)),
                          cache.path.parent / f"snapshot-{os.getpid()}.tmp")
            stack.callback(ahead.cancel)
    assert settings is not None and catalog is not None  # a catalog is made only from valid settings

    # Then plan: the outputs of the route table (a patch: those that show what changed), with their keys.
    with timer("plan"):
        theme = _theme(options, memory)
        memos = memory.identity_memos(patch.changed.values() if patch else None) if memory is not None else None
        digester = Digester(patch.known if patch else None, memos["digests"] if memos is not None else None)
        stored = cache.fragments if cache else None
        files = {**theme.static_files(), **_assets(raw, catalog, settings)}
        # One Views, Router and Renderer per language: the site's own at the root, each translation under its
        # code ("en/"); the outputs made once for the whole site (sitemap, 404, static files) only by the first.
        codes = (catalog.config.language, *catalog.config.translations)
        languages = [Language.load(code) for code in codes]
        routers = [Router(lang, catalog.config.base_url, "" if i == 0 else f"{lang.code}/")
                   for i, lang in enumerate(languages)]
        everyone = tuple(zip(languages, routers, strict=True))
        all_views: list[Views] = []
        bases: list[str] = []
        # A patch's fragment keys as the build it starts from made them (from that build's records' digests).
        before = (Digester(patch.snapshot.digests), frozenset(patch.changed)) if patch is not None else None
        for i, (lang, router) in enumerate(everyone):
            lang_base = digester.key(code_digest(), raw.settings_digest, options.drafts, lang.digest)
            # (a translation's records are made anew each build: the preview's keys by identity are the site's)
            known = memos["fragment-keys"] if memos is not None and i == 0 else None
            earlier = Earlier(_fragment_key(before[0], lang_base), before[1]) if before is not None else None
            fragments = Fragments(_fragment_key(digester, lang_base), stored, known, earlier)
            lang_site = site if i == 0 else localize(site, lang.code)
            lang_views = Views(lang_site, lang, router, files, fragments, first=i == 0, languages=everyone)
            if patch is not None:
                lang_views.wanted = patch.wanted
            all_views.append(lang_views)
            bases.append(lang_base)
        # A build that makes every output (none published before) needs the events of every activity: the
        # workers begin serializing them now, while this process plans the route table (on one core).
        previous = patch.previous if patch else cache.manifest(last) if cache else {}
        early = ical.start_prefill([(v, list(v.site.catalog.activities)) for v in all_views], workers,
                                   cache.path.parent if isinstance(cache, BuildCache) else None) \
            if patch is None and not previous else None
        if early is not None:
            stack.callback(early[1].close)
        renderers = [Renderer(theme, v) for v in all_views]
        page_bases = [r.base_key(digester) for r in renderers]
        translated = [list(v.outputs()) for v in all_views[1:]]
        all_views[0].sitemap_extra = tuple(o.path for outs in translated for o in outs
                                           if o.route.page and o.route.sitemap)
        by_language = [list(all_views[0].outputs()), *translated]
        outputs = [o for outs in by_language for o in outs]
        spoken = [i for i, outs in enumerate(by_language) for _o in outs]  # each output's language
        views = all_views[0]
        if patch is None:
            _refuse_collisions(outputs)
        keyed = [digester.key_deps(o.route.name, _producer(o, theme), bases[spoken[n]],
                                   page_bases[spoken[n]][0] if o.route.template else "", o.context)
                 for n, o in enumerate(outputs)]
        keys = [key for key, _deps in keyed]
        plans = {o.file: Planned(o.route.name, o.params,
                                 deps | page_bases[spoken[n]][1] if o.route.template else deps)
                 for n, (o, (_key, deps)) in enumerate(zip(outputs, keyed, strict=True))}
    if early is not None:
        with timer("fragments"):
            ical.finish_prefill(early)
    writer = Writer(options.output, incremental=bool(previous), previous=previous)
    stack.callback(writer.settle)  # (a full build's old output is deleted while the store is written)
    try:
        records: Records = previous.copy() if patch else {}
        todo: list[int] = []
        for index, out in enumerate(outputs):
            kept = writer.unchanged_on_disk(out.file)
            if kept is not None and kept.key != keys[index] and patch is not None \
                    and _as_before(out, all_views[spoken[index]], writer):
                kept = kept._replace(key=keys[index])  # (it comes out as published: kept under its new key)
            if kept is not None and kept.key == keys[index]:
                writer.keep(out.file, kept)
                records[out.file] = kept
            else:
                todo.append(index)
        with timer("images"):
            resized = _photos(raw, settings, views, [outputs[i] for i in todo], workers)
        with timer("fragments"):
            for i, lang_views in enumerate(all_views):
                _prefill(lang_views, [outputs[n] for n in todo if spoken[n] == i], workers)
        with timer("render"):
            # Rendering a page leaves reference cycles (a Jinja context and the macros it defines refer to each
            # other), which the disabled collector would keep: 150 MB in each worker at 10,000 activities.
            # `_produce` collects them after each chunk; what the build holds until now is moved out of the
            # collector's sight first, so that each collection looks only at what that chunk allocated (and a
            # forked worker does not write to every page it shares with this process).
            gc.freeze()
            stack.callback(gc.unfreeze)
            written, published = 0, {}
            progress.stage(_("Writing pages and feeds"), len(todo))
            shared = (outputs, keys, todo, writer, renderers, all_views, spoken, previous)
            for part in fork_map(_produce, chunks(len(todo), workers), shared, workers, progress.advance):
                made, new_fragments = part
                for rel, (record, wrote, events) in made.items():
                    records[rel] = record
                    written += wrote
                    if events is not None:
                        published[rel] = events
                for lang_views, lang_fragments in zip(all_views, new_fragments, strict=True):
                    lang_views.fragments.adopt(lang_fragments)
            progress.done()
        # (A patch makes no file go: it starts from every file of the previous build.)
        gone = set() if patch else previous.keys() - records.keys()
        problems.extend(check_feeds(views, options.output, records, previous, published, gone))
        # …and publish: everything together, or nothing.
        with timer("write"):
            writer.commit(gone, background=True)
    except BaseException:
        writer.abort()  # the output, and so the store's manifest of it, stay as the last good build left them
        if cache:
            if patch is not None:
                cache.forget_snapshot()  # its records hold a patch that was never published
            cache.close()
        raise
    with timer("store"):
        if patch is None:
            counts = (sum(1 for o in outputs if _is_page(o)), sum(1 for o in outputs if o.route.name in FEEDS))
            warnings = tuple(problems.warnings)
        else:
            counts = patch.snapshot.counts
            warnings = (*patch.snapshot.all_warnings(), *problems.warnings)
        result = BuildResult(
            activities=len(catalog.activities), pages=counts[0], feeds=counts[1], files=len(records),
            rendered=sum(1 for i in todo if _is_page(outputs[i])), parsed=parsed,
            stats=WriteStats(written, len(records) - written), warnings=tuple(sorted(set(warnings))),
            timings=timer.timings, patched=patch is not None, resized=resized,
        )
        if cache:
            photos = {views.fragments.key("photo", o.context) for o in outputs if o.route.name == "image"}
            cache.store_fragments({k: v.fragments.made[k] for v in all_views for k in v.fragments.fresh},
                                  {k for v in all_views for k in v.fragments.made} | photos,
                                  len(catalog.activities), prune=patch is None)
            if patch is None:
                cache.store_manifest(records, plans, (inputs, result))
                _store_snapshot(cache, site, digester, plans, signatures, shape, now, content_warnings, lifecycle,
                                counts, ahead.frames() if ahead is not None else None)
            else:
                cache.update_manifest({f: records[f] for f in plans}, records, plans, (inputs, result))
                _store_patch(cache, patch, digester, plans, signatures, now)
            cache.close()
    return result


# --- the patch: an edit set into the previous build's site ------------------------------------------------


@dataclass(slots=True)
class _Patch:
    """A previous build's site with the changed files' records set into it (see `_patch`)."""

    site: Site
    snapshot: Snapshot
    previous: Records  # the previous build's manifest (every file of which is on disk as it was)
    known: dict[str, Digest]  # the digests of the records that did not change
    changed: dict[str, Any]  # record id → the records whose digests changed (edited, or linking an edited one)
    wanted: dict[str, set[tuple[tuple[str, str], ...]]]  # the outputs to plan again, by route and parameters
    planned: dict[str, Planned]  # how the previous build made those outputs
    shown: dict[str, set[str]]  # the files that showed each changed record
    docs: list[tuple[str, str, TypedDoc]]  # the changed files, typed (path, signature, document)


#: From this many output files a no-change build checks them in a child process (below, forking costs more).
FORK_CHECK = 2000
#: More changed files than this are typed in parallel by a full build rather than one by one by the patch.
PATCH_FILES = 64


def _patch(cache: BuildCache | MemoryCache, raw: RawContent, settings: Settings, signatures: dict[str, str],
           shape: str, options: BuildOptions, now: datetime, last: LastBuild | None = None,
           output_intact: Callable[[], bool] | None = None) -> _Patch | None:
    """The previous build's site with the changed files set into it, when that gives exactly the site a full
    build would: the same code, settings, theme and drafts; `now` on the same side of every boundary of the
    timeline (graph.Timeline); the same files; and every changed file an existing record whose new version
    differs from the old in leaves only (model.py) and points at the same files. Else None, and the build links
    everything again (which is also how every content error is reported, all in one pass)."""
    from .model import record_id
    from .snapshot import set_fields
    from .validate import relink, type_file
    snapshot: Snapshot | None = cache.snapshot() if not options.clean else None
    if snapshot is None or snapshot.inputs != shape or signatures.keys() != snapshot.signatures.keys():
        return None
    site = snapshot.site
    if site.timeline.signature(now, site.tz) != snapshot.moment:
        return None
    paths = [p for p, signature in signatures.items() if snapshot.signatures[p] != signature]
    sources = {f.path: f for f in raw.files}
    if len(paths) > PATCH_FILES or any(p not in sources or not snapshot.records.get(p) for p in paths):
        return None  # an asset, or a file that made no record (a draft)
    previous = cache.manifest(last)
    if not (output_intact() if output_intact is not None else cache.intact(previous, options.output)):
        return None  # an output file changed or is gone: a full build remakes it
    old_docs = cache.documents({p: snapshot.signatures[p] for p in paths})
    by_id = _records_by_id(cache, site.catalog)
    problems = Problems()
    edits = []
    for path in paths:
        doc = type_file(sources[path], settings)
        old_doc = old_docs.get(path)
        if old_doc is None or _targets(old_doc) != _targets(doc):
            return None
        new = relink(raw, settings, doc, site.catalog, problems, drafts=options.drafts)
        old = by_id.get(snapshot.records[path])
        if new is None or old is None or not _same_structure(old, new):
            return None
        edits.append((path, doc, old, new))
    ids = {record_id(old) for _path, _doc, old, _new in edits}
    affected = {rid for rid, (_digest, links) in snapshot.digests.items() if links & ids} | ids
    shown = cache.shown_in(affected)
    files = set().union(*shown.values()) if shown else set()
    planned = cache.planned(files)
    if set(planned) != files:
        return None
    wanted: dict[str, set[tuple[tuple[str, str], ...]]] = {}
    for plan in planned.values():
        wanted.setdefault(plan.route, set()).add(plan.params)
    for path, _doc, old, new in edits:  # all checks passed: set the new fields into the site's records
        # the lifecycle warnings (needs.py) depend on structure and `now`'s date only: the same, on the new lines
        snapshot.lifecycle[path] = tuple(dataclasses.replace(p, line=new.source.line_of(p.key))
                                         for p in snapshot.lifecycle.get(path, ()))
        snapshot.warnings[path] = tuple(p for p in problems.warnings if p.path == path)
        set_fields(old, new)
    known = dict(snapshot.digests)  # (a copy less the few affected: 10,000 records' digests on every save)
    for rid in affected:
        known.pop(rid, None)
    return _Patch(
        dataclasses.replace(site, now=now), snapshot, previous, known,
        {rid: by_id[rid] for rid in affected if rid in by_id}, wanted, planned, shown,
        [(path, signatures[path], doc) for path, doc, _old, _new in edits])


def _records_by_id(cache: BuildCache | MemoryCache, catalog: Catalog) -> dict[str, Any]:
    """Every record of a catalogue by its id; the live preview keeps them while it patches that catalogue's
    records in place (a patch adds or removes none)."""
    from .model import record_id
    if isinstance(cache, MemoryCache) and cache.by_id is not None and cache.by_id[0] is catalog:
        return cache.by_id[1]
    found = {record_id(r): r for r in catalog_records(catalog)}
    if isinstance(cache, MemoryCache):
        cache.by_id = (catalog, found)
    return found


def _targets(doc: TypedDoc) -> frozenset[str]:
    """The files a document's body points at (which decide what assets are published)."""
    return frozenset(target for target, _line, _written in doc.links)


def _same_structure(old: Any, new: Any) -> bool:
    """Whether two versions of a record differ in leaves only (model.py's LEAVES)."""
    from .snapshot import record_fields
    if type(new) not in type(old).__mro__:
        return False
    for name in record_fields(new):
        if name in new.LEAVES:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before is not after and before != after:
            return False
    return True


def catalog_records(catalog: Catalog) -> list[Any]:
    """Every record of a catalogue: its activities, venues, organisations, needs and pages."""
    from .model import is_record
    found: list[Any] = []
    for value in (getattr(catalog, f.name) for f in dataclasses.fields(catalog)):
        items = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
        found.extend(item for item in items if is_record(item))
    return found


def _store_snapshot(cache: BuildCache | MemoryCache, site: Site, digester: Digester, plans: dict[str, Planned],
                    signatures: dict[str, str], shape: str, now: datetime, content: list[Problem],
                    lifecycle: list[Problem], counts: tuple[int, int],
                    ahead: Generator[bytes, None, None] | None) -> None:
    """Keep a full build's site for the next build to patch (`ahead`: its rows pickled by a child)."""
    from .model import record_id
    from .snapshot import Snapshot
    records = catalog_records(site.catalog)
    for record in records:
        digester.key(record)  # every record's digest (most are already known from the outputs that show them)
    shown: dict[str, set[str]] = {}
    for file, plan in plans.items():
        for rid in plan.deps:
            shown.setdefault(rid, set()).add(file)
    snapshot = Snapshot(site, shape, site.timeline.signature(now, site.tz), dict(signatures),
                        {r.source.path: record_id(r) for r in records}, dict(digester.records),
                        _by_path(p for p in content if p not in set(lifecycle)), _by_path(lifecycle), counts)
    cache.store_snapshot(snapshot, records, shown, full=True, ahead=ahead)


def _store_patch(cache: BuildCache | MemoryCache, patch: _Patch, digester: Digester, plans: dict[str, Planned],
                 signatures: dict[str, str], now: datetime) -> None:
    """Keep the patched site: the changed records' rows, and who shows what where the plans changed."""
    from .model import record_id
    snapshot = patch.snapshot
    shown = patch.shown
    moved: set[str] = set()
    for file, plan in plans.items():
        before = patch.planned[file].deps if file in patch.planned else frozenset()
        moved |= before ^ plan.deps
    missing = moved - set(shown)
    if missing:
        shown.update(cache.shown_in(missing))
    for file, plan in plans.items():
        before = patch.planned[file].deps if file in patch.planned else frozenset()
        for rid in plan.deps - before:
            shown.setdefault(rid, set()).add(file)
        for rid in before - plan.deps:
            shown.get(rid, set()).discard(file)
    by_id = {record_id(r): r for r in catalog_records(patch.site.catalog)} if moved - set(patch.changed) else {}
    rows = {**{rid: by_id[rid] for rid in moved if rid in by_id}, **patch.changed}
    for rid, record in patch.changed.items():
        snapshot.digests[rid] = digester.records.get(rid) or _digest_of(digester, record)
    snapshot.site = patch.site
    snapshot.signatures = dict(signatures)
    cache.store_documents(((path, signature, doc, None) for path, signature, doc in patch.docs), None)
    cache.store_snapshot(snapshot, rows.values(), shown, full=False)


def _by_path(problems: Iterable[Problem]) -> dict[str, tuple[Problem, ...]]:
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        found.setdefault(problem.path, []).append(problem)
    return {path: tuple(items) for path, items in found.items()}


def _digest_of(digester: Digester, record: Any) -> Digest:
    from .model import record_id
    digester.key(record)
    return digester.records[record_id(record)]


def _assets(raw: RawContent, catalog: Catalog, settings: Settings) -> dict[str, bytes]:
    """The content's files to publish (the ones the content references), read bounded; validation checked them,
    and a file changed since into something that may not be read is a content error still."""
    entries = {entry.rel: entry for entry in raw.assets}
    limits = settings.limits
    found: dict[str, bytes] = {}
    problems = Problems()
    for rel in catalog.assets:
        try:
            found[rel] = read(entries[rel].real, limits.asset, limits.asset_setting)
        except Refused as refused:
            problems.add(f"{display_path(raw.root)}/{rel}", 0, "", refused.message)
    if problems:
        raise ContentError(problems.errors)
    return found


def _photos(raw: RawContent, settings: Settings, views: Views, todo: list[Output], workers: int) -> int:
    """Make the photo sizes the outputs to make need (photos.py), before forking for the outputs: from the build
    store where it has them, else resized, each source decoded once, in parallel when there are many. A photo
    that cannot be decoded is a content error (all of them at once), and nothing is written. Returns how many
    sizes were encoded."""
    fragments = views.fragments
    wanted: list[Derivative] = [o.context for o in todo if o.route.name == "image"]
    fragments.preload(("photo", d) for d in wanted)
    missing: dict[str, list[Derivative]] = {}
    for d in wanted:
        if not fragments.has("photo", d):
            missing.setdefault(d.original, []).append(d)
    entries = {entry.rel: entry for entry in raw.assets}
    limits = settings.limits
    problems = Problems()
    jobs: list[tuple[bytes, tuple[Derivative, ...]]] = []
    for rel, needed in sorted(missing.items()):
        try:
            jobs.append((read(entries[rel].real, limits.asset, limits.asset_setting), tuple(needed)))
        except Refused as refused:
            problems.add(f"{display_path(raw.root)}/{rel}", 0, "", refused.message)
    for (_data, sizes), made in zip(jobs, fork_map(_resize, jobs, None, workers, min_parallel=2), strict=True):
        if made is None:
            problems.add(f"{display_path(raw.root)}/{sizes[0].original}", 0, "", _(
                "the image is damaged and cannot be read; open it in an image program and save it again"))
            continue
        for d, data in made.items():
            fragments.put("photo", d, data)
    if problems:
        raise ContentError(problems.errors)
    return sum(len(sizes) for _data, sizes in jobs)


def _resize(job: tuple[bytes, tuple[Derivative, ...]], _shared: None) -> dict[Derivative, bytes] | None:
    from .photos import Damaged, encode

    data, sizes = job
    try:
        return encode(data, sizes)
    except Damaged:
        return None


def _is_page(out: Output) -> bool:
    """A template's HTML (not the embeds' script, which is made from a template too)."""
    return out.route.template is not None and out.file.endswith(".html")


def _producer(output: Output, theme: Theme) -> str:
    """What makes an output: its template (and every template it uses), or its serializer."""
    if output.route.template is not None:
        return theme.template_digest(output.route.template)
    return f"serializer:{output.route.serializer}"


def _refuse_collisions(outputs: list[Output]) -> None:
    """Two outputs may never share a file (Zola's "path collisions")."""
    seen: dict[str, str] = {}
    for out in outputs:
        if out.file in seen:
            raise ThemeError(_("two outputs would be written to {path}: {first} and {second}", path=out.file,
                               first=seen[out.file], second=out.route.name))
        seen[out.file] = out.route.name


def _prefill(views: Views, todo: list[Output], workers: int) -> None:
    """Make, or take from the store, the fragments the outputs to make share, before forking for them."""
    from .feeds import ical, jsonfeed
    activities: dict[str, Any] = {}
    records = calendars = False
    for out in todo:
        name = out.route.serializer
        if name in ("activity_ics", "deadline_ics"):
            activities[out.context.slug] = out.context
            calendars = True
        elif name == "feed_ics":
            activities.update((a.slug, a) for a in out.context.activities)
            calendars = True
        elif name == "open_data":
            records = True
        elif name == "filter_index":
            views.fragments.preload(("index-item", item) for item in out.context["items"])
    ordered = [a for a in views.site.catalog.activities if a.slug in activities]
    ical.prefill(views, ordered, workers)
    if calendars:
        ical.zone(views)  # (every calendar has it: made here once, not by each worker)
    if records:
        jsonfeed.prefill(views, views.site.catalog.activities, workers)


def _as_before(out: Output, views: Views, writer: Writer) -> bool:
    """Whether an output of a patched build whose key changed comes out as the previous build published it,
    told by its serializer without making it (feeds.AS_BEFORE)."""
    from .feeds import AS_BEFORE
    as_before = AS_BEFORE.get(out.route.serializer or "")
    return as_before is not None and as_before(out.context, views, writer.output / out.file)


def _fragment_key(digester: Digester, base: str) -> Callable[[str, Any], str]:
    """The key of a fragment in one language (its base: code, settings, the language's catalogue)."""
    return lambda kind, value: digester.key(kind, value, base)


def _produce(part: range,
             shared: tuple[Any, ...]) -> tuple[dict[str, tuple[PageRecord, bool, Any]], list[dict[str, bytes]]]:
    """Make and write a slice of the outputs (in a worker): their records, the scanned events of changed
    downloads (for health.py), and the fragments made on the way."""
    from .feeds import SERIALIZERS
    from .feeds.health import scan

    outputs, keys, todo, writer, renderers, all_views, spoken, previous = shared
    before = [set(v.fragments.fresh) for v in all_views]
    made: dict[str, tuple[PageRecord, bool, tuple[str, dict[str, Published]] | None]] = {}
    for i in part:
        out: Output = outputs[todo[i]]
        language = spoken[todo[i]]
        if out.route.template is not None:
            data = renderers[language].render(out)
        else:
            data = SERIALIZERS[out.route.serializer or ""](out.context, all_views[language])
        record, wrote = writer.put(out.file, data, keys[todo[i]])
        events = None
        if out.route.name in DOWNLOADS and language == 0 \
                and (out.file not in previous or previous[out.file].digest != record.digest):
            events = (out.context.slug, scan(data))  # the same events in every language: checked once
        made[out.file] = (record, wrote, events)
    gc.collect(0)  # the chunk's pages' reference cycles (see the render stage of `_build`)
    return made, [{k: v.fragments.made[k] for k in v.fragments.fresh - seen}
                  for v, seen in zip(all_views, before, strict=True)]


def _theme(options: BuildOptions, memory: MemoryCache | None) -> Theme:
    """The theme, reused by the live preview while none of its files changed; its compiled templates are kept
    beside the build store (in a folder of this version of the code, which decides how they compile)."""
    from .render import Theme, theme_signature
    folder = options.theme
    if memory is not None and memory.theme is not None and memory.theme.signature == theme_signature(folder):
        return memory.theme  # type: ignore[no-any-return]
    compiled = options.cache / f"templates-{code_digest()[:16]}" if options.cache else None
    theme = Theme(folder, compiled)
    if memory is not None:
        memory.theme = theme
    return theme


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A load of the content folder that found no problem, kept by the live preview for its next save: the files
    found, their signatures, and the signature's name of every file by its absolute path."""

    raw: RawContent
    signatures: dict[str, str]
    named: dict[str, str]  # absolute path → signature name, of every file found that is not a link
    linked: frozenset[str]  # the targets of the links among them (a save there changes the link's signature)


def _load(root: Path, memory: MemoryCache | None, changed: Iterable[str] | None,
          problems: Problems) -> tuple[RawContent, dict[str, str]]:
    """The content folder loaded (load.py), and the signature of every file in it.

    The live preview, told the files that changed since its last load, signs only those again when each is a
    content file or an asset that load listed and is still a regular file there: saving a file changes
    nothing else load finds (0.17 s for 10,000 files). Anything else (a file added, removed or renamed, a
    link, site.yml, vocabularies.yml, the theme) and the folder is read again, as it is without `changed`."""
    last: _Loaded | None = memory.loaded if memory is not None else None
    if last is not None and changed is not None:
        signatures = dict(last.signatures)
        for where in changed:
            name = last.named.get(os.path.abspath(where))
            try:
                if name is None or not stat_module.S_ISREG(os.lstat(where).st_mode) \
                        or os.path.realpath(where) in last.linked:
                    break
                signatures[name] = stat_signature(where)
            except OSError:
                break
        else:
            memory.loaded = _Loaded(last.raw, signatures, last.named, last.linked)  # type: ignore[union-attr]
            return last.raw, signatures
    raw = load(root, problems)
    signatures = _signatures(raw)
    if memory is not None:
        memory.loaded = None if problems else _loaded(raw, signatures)
    return raw, signatures


def _loaded(raw: RawContent, signatures: dict[str, str]) -> _Loaded:
    found = [(f.where, f.real, f.path) for f in raw.files] + [(a.where, a.real, f"asset:{a.rel}") for a in raw.assets]
    links = {where for where, _real, _name in found if os.path.islink(where)}
    named = {os.path.abspath(where): name for where, _real, name in found if where not in links}
    return _Loaded(raw, signatures, named, frozenset(real for where, real, _name in found if where in links))


def _signatures(raw: RawContent) -> dict[str, str]:
    """Every content file and asset, by path: its stat signature (what the build store checks files by)."""
    found = {f.path: stat_signature(f.where) for f in raw.files}
    found.update((f"asset:{a.rel}", stat_signature(a.where)) for a in raw.assets)
    return found


def _inputs_key(shape: str, now: datetime, signatures: dict[str, str]) -> str:
    """One digest of everything a build reads: the shape (_shape_key), `now` and every file's signature. (The
    pairs are joined by NUL, which neither a path nor a signature holds: 7 ms at 10,000 files, where the text of
    the sorted list took 18 on every save of the live preview.)"""
    digest = hashlib.sha256(f"{shape}|{now.isoformat()}|".encode())
    digest.update("\0".join(itertools.chain.from_iterable(sorted(signatures.items()))).encode())
    return digest.hexdigest()


def _shape_key(raw: RawContent, options: BuildOptions) -> str:
    """Everything a build reads besides the content files and `now`: the code, site.yml and vocabularies.yml,
    drafts or not, and every file of the theme (by signature)."""
    digest = hashlib.sha256(f"{code_digest()}|{raw.settings_digest}|{options.drafts}".encode())
    for file in sorted(p for p in options.theme.rglob("*") if p.is_file()):
        digest.update(f"{file}\0{stat_signature(file)}\0".encode())
    return digest.hexdigest()


def _open_cache(options: BuildOptions, raw: RawContent,
                memory: MemoryCache | None) -> BuildCache | MemoryCache | None:
    generation = hashlib.sha256(f"{code_digest()}|{raw.settings_digest}".encode()).hexdigest()
    cache = BuildCache(options.cache, options.content, options.output, generation) if options.cache else None
    if memory is not None:
        return memory.use(generation, cache, options.output)
    if cache is not None and options.clean:
        cache.forget_manifest()
    return cache


def _typed_docs(raw: RawContent, settings: Settings, cache: BuildCache | MemoryCache | None,
                signatures: dict[str, str], workers: int, progress: Progress) -> tuple[list[TypedDoc], int]:
    """Every content file typed: from the cache where its file is unchanged (by its `signatures`, taken when
    the content was loaded), else parsed (in parallel)."""
    from .validate import type_file
    signatures = {f.path: signatures[f.path] for f in raw.files}
    cached = cache.documents(signatures) if cache else {}
    missing = [f for f in raw.files if f.path not in cached]
    progress.stage(_("Reading the content"), len(missing))
    # With the build store, the workers pickle each document for it, and it is stored as those bytes while the
    # others are still being typed: one pickling instead of two (the second took 0.8 s after typing at 10,000
    # activities), and one document's bytes held at a time.
    pickled = isinstance(cache, BuildCache)
    fresh: list[TypedDoc] = []
    work: Callable[[SourceFile, Settings], Any] = _typed_payload if pickled else type_file
    typed = fork_imap(work, missing, settings, workers, progress.advance)

    def entries() -> Iterator[tuple[str, str, TypedDoc, bytes | None]]:
        for f, result in zip(missing, typed, strict=True):
            doc: TypedDoc = pickle.loads(result) if pickled else result
            fresh.append(doc)
            if not doc.problems:
                yield f.path, signatures[f.path], doc, result if pickled else None

    with contextlib.closing(typed):  # (the workers stop with it, should the store fail)
        if cache:
            cache.store_documents(entries(), keep=set(signatures))
        else:
            collections.deque(entries(), maxlen=0)
    progress.done()
    by_path = {**cached, **{d.path: d for d in fresh}}
    return [by_path[f.path] for f in raw.files], len(missing)


def _typed_payload(source: SourceFile, settings: Settings) -> bytes:
    """A content file typed (validate.type_file) and pickled as the build store keeps it."""
    from .validate import type_file
    return pickle.dumps(type_file(source, settings), pickle.HIGHEST_PROTOCOL)
