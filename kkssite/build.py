"""The pipeline, in order: config → load → validate → site graph → render (pages, feeds) → write.

`build()` reads like the stages it runs and times each one. It gathers and checks everything first and writes
last, so content errors stop the build before the output folder is touched. Per-file work (parse, type,
Markdown) and page rendering run in parallel across cores; with the build cache, unchanged files are not
re-parsed and pages whose inputs did not change are not re-rendered.
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

from .cache import BuildCache, MemoryCache, PageRecord, code_digest, stat_signature
from .config import BuildOptions, current_time
from .errors import ContentError, Problem, Problems
from .feeds import check_feeds, event_store, render_feeds, subscription_paths
from .filters import filter_files
from .findable import public_files
from .graph import Site, build_site
from .load import RawContent, load
from .model import Catalog
from .progress import Progress
from .render import Theme, job_keys, plan, render_to
from .validate import Settings, TypedDoc, link, type_file, validate, validate_settings
from .workers import chunks, default_workers, fork_map
from .write import Output, WriteStats, check_output


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
    """Load and validate only (`kkssite check`)."""
    problems = Problems()
    raw = load(options.content, problems)
    catalog = validate(raw, problems, drafts=options.drafts)
    return catalog, problems


def build(options: BuildOptions, memory: MemoryCache | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site into options.output; raise ContentError (output untouched) when the content is wrong.

    `memory` keeps the cache in memory between builds of one process (the live preview); `progress` shows
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
    if cache and unchanged is not None:  # every input as last time and the output as it was left: done
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
    with timer("graph"):
        site = build_site(catalog, now)

    # Then render: feeds first, written at once and let go (they are large), then the pages, straight into
    # the output, in parallel, skipping those whose inputs did not change.
    theme = Theme.load(options.theme)
    jobs = plan(site)
    previous = cache.manifest() if cache else {}
    with timer("feeds"):
        extra = render_feeds(site, workers, event_store(options))
        feed_paths = subscription_paths(site)
        problems.extend(check_feeds(site, extra, options.output, feed_paths, previous))
    extra.update(theme.static_files())
    extra.update(public_files(site, [job.path for job in jobs]))  # sitemap.xml, robots.txt
    extra.update(filter_files(site))  # the filter's index of upcoming activities
    for asset in catalog.assets:
        extra[asset] = (options.content / asset).read_bytes()
    output = Output(options.output, incremental=bool(previous), previous=previous)
    try:
        with timer("write"):
            names = sorted(extra)
            records, written = {}, 0
            for part in fork_map(_put_files, chunks(len(names), workers), (output, names, extra), workers):
                for rel, (record, wrote) in part.items():
                    records[rel] = record
                    written += wrote
            del extra, names
        with timer("render"):
            keys = job_keys(site, theme, jobs, _base_key(raw, site, theme, options))
            pages, rendered, written_pages = render_to(output, site, theme, jobs, keys, workers, progress)
            records.update(pages)
            written += written_pages
        # …and publish: one swap for a full build; an incremental one has replaced its files already.
        with timer("write"):
            output.commit(set(records))
    except BaseException:
        output.abort()
        if cache:
            cache.forget_manifest()
            cache.close()
        raise
    result = BuildResult(
        activities=len(catalog.activities), pages=len(jobs), feeds=len(feed_paths), files=len(records),
        rendered=rendered, parsed=parsed, stats=WriteStats(written, len(records) - written),
        warnings=tuple(problems.warnings), timings=timer.timings,
    )
    if cache:
        cache.store_manifest(records, (inputs, result))
        cache.close()
    return result


def _put_files(part: range, shared: tuple[Output, list[str], dict[str, bytes]]
               ) -> dict[str, tuple[PageRecord, bool]]:
    """Write a slice of the feeds, assets and other generated files (in a worker)."""
    output, names, files = shared
    return {names[i]: output.put(names[i], files[names[i]], "") for i in part}


def _inputs_key(raw: RawContent, options: BuildOptions, now: datetime) -> str:
    """Everything a build reads, by name and file signature: equal keys mean an identical site."""
    digest = hashlib.sha256(f"{code_digest()}|{raw.settings_digest}|{now.isoformat()}|{options.drafts}".encode())
    theme = sorted(p for p in options.theme.rglob("*") if p.is_file())
    for file in (*(f.file for f in raw.files), *(raw.root / a for a in raw.assets), *theme):
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
    progress.stage("Läser innehållet", len(missing))
    fresh = fork_map(type_file, missing, settings, workers, progress.advance)
    progress.done()
    if cache:
        cache.store_documents(((f.path, signatures[f.path], d) for f, d in zip(missing, fresh, strict=True)
                               if not d.problems), keep=set(signatures))
    by_path = {**cached, **{d.path: d for d in fresh}}
    return [by_path[f.path] for f in raw.files], len(missing)


def _base_key(raw: RawContent, site: Site, theme: Theme, options: BuildOptions) -> str:
    """What every page depends on: kkssite's code, the settings, the menu, the asset names, drafts."""
    menu = ",".join(f"{p.slug}:{p.source.digest}" for p in site.menu)
    assets = ",".join(name for name, _ in theme.assets.values())
    return hashlib.sha1(f"{code_digest()}|{raw.settings_digest}|{menu}|{assets}|{options.drafts}".encode(),
                        usedforsecurity=False).hexdigest()
