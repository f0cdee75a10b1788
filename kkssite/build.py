"""The pipeline, in order: config → load → validate → site graph → render (pages, feeds) → write.

`build()` reads like the stages it runs and times each one. It gathers everything first and writes last, so
content errors stop the build before the output folder is touched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from .config import BuildOptions, current_time
from .errors import ContentError, Problem, Problems
from .graph import build_site
from .load import load
from .model import Catalog
from .render import Theme, plan, render_pages
from .validate import validate
from .write import WriteStats, check_output, publish


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: counts for the summary line, warnings, and seconds per stage."""

    activities: int
    pages: int
    feeds: int
    files: int
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


def build(options: BuildOptions) -> BuildResult:
    """Build the site into options.output; raise ContentError (output untouched) when the content is wrong."""
    timer = _Timer()
    now: datetime = options.now or current_time()
    check_output(options.output, [options.content, options.theme, options.theme.parent / "kkssite"])

    # First gather and check every input; nothing is written unless all of it is valid.
    problems = Problems()
    with timer("load"):
        raw = load(options.content, problems)
    with timer("validate"):
        catalog = validate(raw, problems, drafts=options.drafts)
    if catalog is None or problems:
        raise ContentError(problems.errors + problems.warnings)
    with timer("graph"):
        site = build_site(catalog, now)

    # Then render every output file in memory…
    with timer("render"):
        theme = Theme(options.theme)
        pages = render_pages(site, theme, plan(site))
    files = dict(pages)
    files.update(theme.static_files())
    for asset in catalog.assets:
        files[asset] = (options.content / asset).read_bytes()

    # …and publish them in one swap.
    with timer("write"):
        stats = publish(files, options.output)
    return BuildResult(
        activities=len(catalog.activities), pages=len(pages), feeds=0, files=len(files), stats=stats,
        warnings=tuple(problems.warnings), timings=timer.timings,
    )
