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

import dataclasses
import gc
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .cache import BuildCache, MemoryCache, PageRecord, code_digest, stat_signature
from .config import BuildOptions, current_time
from .errors import ContentError, Problem, Problems, ThemeError, display_path
from .feeds import SERIALIZERS, ical, jsonfeed
from .feeds.health import Published, check_feeds, scan
from .files import Refused, read
from .graph import build_site
from .i18n import Language, _
from .keys import Digester
from .load import RawContent, load
from .model import Catalog
from .needs import lifecycle_warnings
from .progress import Progress
from .render import Renderer, Theme, theme_signature
from .routes import Output, Router
from .validate import Settings, TypedDoc, link, type_file, validate, validate_settings
from .views import Fragments, Views
from .workers import chunks, default_workers, fork_map
from .write import Output as Writer
from .write import WriteStats, check_output

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


def check(options: BuildOptions) -> tuple[Catalog | None, Problems]:
    """Load and validate only (`kkssite check`), with the checks that depend on `now` (needs.py)."""
    problems = Problems()
    raw = load(options.content, problems)
    catalog = validate(raw, problems, drafts=options.drafts)
    if catalog is not None:
        problems.extend(lifecycle_warnings(catalog, options.now or current_time()))
    return catalog, problems


def build(options: BuildOptions, memory: MemoryCache | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site into options.output; raise ContentError (output untouched) when the content is wrong.

    `memory` keeps the store in memory between builds of one process (the live preview); `progress` shows
    long stages on the terminal."""
    # A build allocates hundreds of thousands of long-lived, acyclic objects; the cyclic garbage collector
    # would walk them again and again (a third of the time spent loading 10,000 cached files). It is off for
    # the build, in this process and in the workers forked from it, and back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(options, memory, progress)
    finally:
        if collecting:
            gc.enable()


def _build(options: BuildOptions, memory: MemoryCache | None, progress: Progress | None) -> BuildResult:
    timer = _Timer()
    progress = progress or Progress(enabled=False)
    now: datetime = options.now or current_time()
    workers = options.workers or default_workers()
    check_output(options.output, [options.content, options.theme, options.theme.parent / "kkssite"])

    # First gather and check every input; nothing is written unless all of it is valid.
    problems = Problems()
    with timer("load"):
        raw = load(options.content, problems)
        settings = validate_settings(raw, problems)
        cache = _open_cache(options, raw, memory) if settings is not None else None
        inputs = _inputs_key(raw, options, now) if cache else ""
        unchanged = cache.last_build(inputs, options.output) if cache else None
    if cache and isinstance(unchanged, BuildResult) and not problems:  # every input as last time, the output as
        # it was left (and nothing refused: a refused file is not among the inputs, so it would not be noticed)
        cache.close()
        return dataclasses.replace(unchanged, parsed=0, rendered=0, stats=WriteStats(0, unchanged.files),
                                   timings=timer.timings)
    catalog = None
    parsed = 0
    if settings is not None:
        with timer("validate"):
            docs, parsed = _typed_docs(raw, settings, cache, workers, progress)
            catalog = link(raw, settings, docs, problems, drafts=options.drafts)
            del docs  # the catalog holds what pages need; the typed records can go
    if catalog is None or problems:
        if cache:
            cache.close()
        raise ContentError(problems.errors + problems.warnings)
    assert settings is not None  # a catalog is made only from valid settings
    problems.extend(lifecycle_warnings(catalog, now))
    with timer("graph"):
        site = build_site(catalog, now)

    # Then plan: every output of the route table, with the key of what it shows.
    with timer("plan"):
        theme = _theme(options, memory)
        language = Language.load(catalog.config.language)
        digester = Digester()
        base = digester.key(code_digest(), raw.settings_digest, options.drafts, language.digest)
        stored = cache.fragments if cache else None
        fragments = Fragments(lambda kind, value: digester.key(kind, value, base), stored)
        files = {**theme.static_files(), **_assets(raw, catalog, settings)}
        views = Views(site, language, Router(language, catalog.config.base_url), files, fragments)
        renderer = Renderer(theme, views)
        page_base = renderer.base_key(digester)
        outputs = list(views.outputs())
        _refuse_collisions(outputs)
        keys = [digester.key(o.route.name, _producer(o, theme), base, page_base if o.route.template else "",
                             o.context) for o in outputs]
    previous = cache.manifest() if cache else {}
    writer = Writer(options.output, incremental=bool(previous), previous=previous)
    try:
        records: dict[str, PageRecord] = {}
        todo: list[int] = []
        for index, out in enumerate(outputs):
            kept = writer.unchanged_on_disk(out.file)
            if kept is not None and kept.key == keys[index]:
                writer.keep(out.file, kept)
                records[out.file] = kept
            else:
                todo.append(index)
        with timer("fragments"):
            _prefill(views, [outputs[i] for i in todo], workers)
        with timer("render"):
            written, published = 0, {}
            progress.stage(_("Writing pages and feeds"), len(todo))
            shared = (outputs, keys, todo, writer, renderer, views, previous)
            for part in fork_map(_produce, chunks(len(todo), workers), shared, workers, progress.advance):
                made, new_fragments = part
                for rel, (record, wrote, events) in made.items():
                    records[rel] = record
                    written += wrote
                    if events is not None:
                        published[rel] = events
                fragments.made.update(new_fragments)
            progress.done()
        problems.extend(check_feeds(views, options.output, records, previous, published))
        # …and publish: everything together, or nothing.
        with timer("write"):
            writer.commit(set(records))
    except BaseException:
        writer.abort()  # the output, and so the store's manifest of it, stay as the last good build left them
        if cache:
            cache.close()
        raise
    def is_page(out: Output) -> bool:  # a template's HTML (not the embeds' script)
        return out.route.template is not None and out.file.endswith(".html")

    pages = sum(1 for o in outputs if is_page(o))
    result = BuildResult(
        activities=len(catalog.activities), pages=pages, feeds=sum(1 for o in outputs if o.route.name in FEEDS),
        files=len(records), rendered=sum(1 for i in todo if is_page(outputs[i])), parsed=parsed,
        stats=WriteStats(written, len(records) - written), warnings=tuple(problems.warnings), timings=timer.timings,
    )
    if cache:
        cache.store_fragments({k: fragments.made[k] for k in fragments.fresh}, set(fragments.made),
                              len(catalog.activities))
        cache.store_manifest(records, (inputs, result))
        cache.close()
    return result


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
    activities: dict[str, Any] = {}
    records = False
    for out in todo:
        name = out.route.serializer
        if name in ("activity_ics", "deadline_ics"):
            activities[out.context.slug] = out.context
        elif name == "feed_ics":
            activities.update((a.slug, a) for a in out.context.activities)
        elif name == "open_data":
            records = True
    ordered = [a for a in views.site.catalog.activities if a.slug in activities]
    ical.prefill(views, ordered, workers)
    if records:
        jsonfeed.prefill(views, views.site.catalog.activities, workers)


def _produce(part: range, shared: tuple[Any, ...]) -> tuple[dict[str, tuple[PageRecord, bool, Any]], dict[str, bytes]]:
    """Make and write a slice of the outputs (in a worker): their records, the scanned events of changed
    downloads (for health.py), and the fragments made on the way."""
    outputs, keys, todo, writer, renderer, views, previous = shared
    fragments: Fragments = views.fragments
    before = set(fragments.fresh)
    made: dict[str, tuple[PageRecord, bool, dict[str, Published] | None]] = {}
    for i in part:
        out: Output = outputs[todo[i]]
        if out.route.template is not None:
            data = renderer.render(out)
        else:
            data = SERIALIZERS[out.route.serializer or ""](out.context, views)
        record, wrote = writer.put(out.file, data, keys[todo[i]])
        events = None
        if out.route.name in DOWNLOADS and (out.file not in previous or previous[out.file].digest != record.digest):
            events = scan(data)
        made[out.file] = (record, wrote, events)
    return made, {k: fragments.made[k] for k in fragments.fresh - before}


def _theme(options: BuildOptions, memory: MemoryCache | None) -> Theme:
    """The theme, reused by the live preview while none of its files changed; its compiled templates are kept
    beside the build store (in a folder of this version of the code, which decides how they compile)."""
    folder = options.theme
    if memory is not None and memory.theme is not None and memory.theme.signature == theme_signature(folder):
        return memory.theme  # type: ignore[no-any-return]
    compiled = options.cache / f"templates-{code_digest()[:16]}" if options.cache else None
    theme = Theme(folder, compiled)
    if memory is not None:
        memory.theme = theme
    return theme


def _inputs_key(raw: RawContent, options: BuildOptions, now: datetime) -> str:
    """Everything a build reads, by name and file signature: equal keys mean an identical site."""
    digest = hashlib.sha256(f"{code_digest()}|{raw.settings_digest}|{now.isoformat()}|{options.drafts}".encode())
    theme = sorted(p for p in options.theme.rglob("*") if p.is_file())
    for file in (*(f.file for f in raw.files), *(a.path for a in raw.assets), *theme):
        digest.update(f"{file}\0{stat_signature(file)}\0".encode())
    return digest.hexdigest()


def _open_cache(options: BuildOptions, raw: RawContent,
                memory: MemoryCache | None) -> BuildCache | MemoryCache | None:
    generation = hashlib.sha256(f"{code_digest()}|{raw.settings_digest}".encode()).hexdigest()
    cache = BuildCache(options.cache, options.content, options.output, generation) if options.cache else None
    if memory is not None:
        return memory.use(generation, cache)
    if cache is not None and options.clean:
        cache.forget_manifest()
    return cache


def _typed_docs(raw: RawContent, settings: Settings, cache: BuildCache | MemoryCache | None,
                workers: int, progress: Progress) -> tuple[list[TypedDoc], int]:
    """Every content file typed: from the cache where its file is unchanged, else parsed (in parallel)."""
    signatures = {f.path: stat_signature(f.file) for f in raw.files}
    cached = cache.documents(signatures) if cache else {}
    missing = [f for f in raw.files if f.path not in cached]
    progress.stage(_("Reading the content"), len(missing))
    fresh = fork_map(type_file, missing, settings, workers, progress.advance)
    progress.done()
    if cache:
        cache.store_documents(((f.path, signatures[f.path], d) for f, d in zip(missing, fresh, strict=True)
                               if not d.problems), keep=set(signatures))
    by_path = {**cached, **{d.path: d for d in fresh}}
    return [by_path[f.path] for f in raw.files], len(missing)
