"""Patched builds (build.py's `_patch`, snapshot.py): an edit of leaves is set into the previous build's site, and
the result is byte for byte what a clean build of the same content makes; any other change builds again."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from support import FIXTURES, NOW
from test_build import tree

from kkssite import build as build_module
from kkssite import model
from kkssite.build import BuildResult, _open_cache, build, catalog_records
from kkssite.cache import BuildCache, LastBuild, Manifest, MemoryCache, PageRecord
from kkssite.config import BuildOptions
from kkssite.errors import Problems
from kkssite.feeds import SERIALIZERS, jsonfeed
from kkssite.graph import build_site
from kkssite.keys import Digester
from kkssite.load import load
from kkssite.model import is_record
from kkssite.render import Renderer
from kkssite.snapshot import LazyRecords, Snapshot, _call_fields, dumps_site, record_classes, set_fields
from kkssite.validate import validate

SAMPLE = FIXTURES.parent.parent / "content"


def edit(file: Path, pattern: str, replacement: str) -> None:
    text = file.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, f"{pattern!r} not in {file}"
    file.write_text(changed, encoding="utf-8")


@pytest.fixture
def site_copy(tmp_path: Path) -> Callable[[Path], Path]:
    def copy(source: Path) -> Path:
        content = tmp_path / "content"
        shutil.copytree(source, content)
        return content

    return copy


def run(content: Path, output: Path, cache: Path | None, memory: MemoryCache | None = None,
        **options: object) -> BuildResult:
    now = options.pop("now", NOW)
    changed = options.pop("changed", None)
    return build(BuildOptions(content=content, output=output, now=now, cache=cache, **options),  # type: ignore[arg-type]
                 memory, changed=changed)  # type: ignore[arg-type]


def same_as_clean(content: Path, output: Path, tmp_path: Path, **options: object) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    run(content, clean, None, **options)
    assert tree(output) == tree(clean)


#: Edits of leaves of every kind of record (model.py's LEAVES): file, pattern, replacement.
LEAF_EDITS = [
    ("activities/ljusbord-for-turne.md", r"^title: (.*)$", r"title: \1 – fortsättning"),
    ("activities/ljusbord-for-turne.md", r"\Z", "\nEtt nytt stycke med **fetstil**.\n"),
    ("venues/scenhuset.md", r"^name: (.*)$", r"name: \1 Stora scen"),
    ("organisations/kulturkraft-syd.md", r"^name: (.*)$", r"name: \1 (projektet)"),
    ("needs/ljus-i-blekinge.md", r"^title: (.*)$", r"title: \1 och Skåne"),
    ("pages/om.md", r"^title: (.*)$", r"title: \1 oss och projektet"),
]


def test_leaf_edits_are_patched_and_equal_a_clean_build(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    assert not run(content, output, cache).patched
    for rel, pattern, replacement in LEAF_EDITS:
        edit(content / rel, pattern, replacement)
        result = run(content, output, cache)
        assert result.patched, rel
        assert result.parsed == 1 and "graph" not in result.timings
        same_as_clean(content, output, tmp_path)


def test_a_patch_takes_the_manifest_from_the_last_builds_record(site_copy, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A patched build reads the previous manifest from the last build's record, not from the manifest's rows;
    what it stores back (rows and record) is the same manifest, and the next patch starts from it."""
    content = site_copy(FIXTURES / "minimal")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    read: list[str] = []
    manifest = BuildCache.manifest

    def spy(self: BuildCache, last: LastBuild | None = None) -> object:
        found = manifest(self, last)
        read.append(type(found).__name__)
        return found

    monkeypatch.setattr(BuildCache, "manifest", spy)
    for rel, pattern, replacement in LEAF_EDITS[:2]:
        edit(content / rel, pattern, replacement)
        assert run(content, output, cache).patched
        same_as_clean(content, output, tmp_path)
        last = BuildCache.peek_last_build(cache, content, output)
        assert last is not None
        with sqlite3.connect(BuildCache.file_of(cache, content, output)) as db:
            rows = {path: PageRecord(*rest) for path, *rest in db.execute(
                "SELECT path, key, digest, size, mtime FROM pages")}
        stored = Manifest.read(last)
        assert stored is not None and dict(stored) == rows and len(rows) == len(last.files) > 10
    assert read == ["Manifest", "Manifest"]


def test_the_open_data_is_kept_when_the_changed_records_come_out_as_they_were(site_copy, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """/aktiviteter.json joins a record of every activity. A body edit leaves them all as they were: the patched
    build makes the edited activity's record, finds its earlier bytes, and keeps the file without joining the
    others. A title edit changes the record, and the document is made again; so it is when an earlier record
    is not in the store (tests/test_feeds_json.py has the head that is not the published file's)."""
    content = site_copy(FIXTURES / "minimal")
    activity = content / "activities" / "ljusbord-for-turne.md"
    edit(activity, r"^title: (.*)$", r"title: \1\nsummary: Tre kvällar om ljusbord.")  # (else the body's start)
    output, cache = tmp_path / "output", tmp_path / ".cache"  # (one process: the calls are counted in it)
    run(content, output, cache, workers=1)
    joined: list[str] = []
    records: list[str] = []
    real_document, real_record = jsonfeed.open_data, jsonfeed.record_json

    def document(context, views):  # type: ignore[no-untyped-def]
        joined.append(views.language.code)
        return real_document(context, views)

    def record(views, activity):  # type: ignore[no-untyped-def]
        records.append(activity.slug)
        return real_record(views, activity)

    monkeypatch.setitem(SERIALIZERS, "open_data", document)
    monkeypatch.setattr(jsonfeed, "record_json", record)
    edit(activity, r"\Z", "\n\nEtt nytt stycke.\n")
    result = run(content, output, cache, workers=1)
    assert result.patched and joined == [] and records == ["ljusbord-for-turne"]
    same_as_clean(content, output, tmp_path)

    edit(activity, r"^title: (.*)$", r"title: \1 – fortsättning")
    joined.clear()
    assert run(content, output, cache, workers=1).patched and joined == ["sv"]
    same_as_clean(content, output, tmp_path)

    # the earlier records gone from the store: the document is made again
    stored = BuildCache.fragments
    monkeypatch.setattr(BuildCache, "fragments", lambda self, keys: {
        k: v for k, v in stored(self, keys).items() if not v.startswith(b'{"uid":')})
    edit(activity, r"\Z", "\n\nOch ett till.\n")
    joined.clear()
    assert run(content, output, cache, workers=1).patched and joined == ["sv"]
    same_as_clean(content, output, tmp_path)
    monkeypatch.setattr(BuildCache, "fragments", stored)


def test_the_live_preview_patches_its_site_in_memory(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    output, memory = tmp_path / "output", MemoryCache()
    run(content, output, tmp_path / ".cache", memory)
    for rel, pattern, replacement in LEAF_EDITS:
        edit(content / rel, pattern, replacement)
        assert run(content, output, tmp_path / ".cache", memory).patched, rel
        same_as_clean(content, output, tmp_path)


def test_told_what_changed_the_preview_reads_only_that_again(site_copy, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """serve's notifications name the saved files: the content folder is not walked again for them, and the
    result is a clean build's; a file the last load did not list (a new one) reads the whole folder again."""
    content = site_copy(FIXTURES / "minimal")
    output, memory = tmp_path / "output", MemoryCache()
    loads: list[Path] = []
    monkeypatch.setattr(build_module, "load", lambda root, problems: loads.append(root) or load(root, problems))
    run(content, output, None, memory)
    assert len(loads) == 1
    for rel, pattern, replacement in LEAF_EDITS:
        edit(content / rel, pattern, replacement)
        loads.clear()
        assert run(content, output, None, memory, changed=[str(content / rel)]).patched, rel
        assert loads == [], rel
        same_as_clean(content, output, tmp_path)  # (its own build loads the folder)
    assert run(content, output, None, memory, changed=[]).rendered == 0  # told of nothing: nothing to do
    page = content / "pages" / "om.md"
    new = content / "pages" / "ny.md"
    new.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    loads.clear()
    assert not run(content, output, None, memory, changed=[str(new)]).patched
    assert len(loads) == 1 and (output / "ny" / "index.html").is_file()
    same_as_clean(content, output, tmp_path)
    loads.clear()
    for told in ([str(content / "site.yml")], [str(content / "pages")], [str(tmp_path / "elsewhere.md")]):
        run(content, output, None, memory, changed=told)
    assert len(loads) == 3  # settings, a folder, a file the load never listed: each read the folder again


def test_the_preview_builds_in_full_when_its_folder_was_removed(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The preview owns its output folder and does not check each of its files before a patch; it checks that
    the folder it wrote is still there: `make clean` while it runs makes the next build a full one."""
    content = site_copy(FIXTURES / "minimal")
    output, memory = tmp_path / "output", MemoryCache()
    run(content, output, None, memory)
    shutil.rmtree(output)
    assert run(content, output, None, memory).rendered > 0  # nothing changed, but nothing is there
    same_as_clean(content, output, tmp_path)
    shutil.rmtree(output)
    edit(content / "pages" / "om.md", r"^title: (.*)$", r"title: \1 oss")
    assert not run(content, output, None, memory).patched
    same_as_clean(content, output, tmp_path)


@pytest.mark.parametrize(("rel", "pattern", "replacement"), [
    ("activities/ljusbord-for-turne.md", r"2027-03-23 18:00", "2027-03-23 18:30"),  # a time: the listings' order
    ("activities/ljusbord-for-turne.md", r"^status: .*$|\A---\n", "---\nstatus: cancelled\n"),
    ("activities/ljusbord-for-turne.md", r"^uid: .*$", "uid: en-annan@example.org"),
    ("venues/scenhuset.md", r"^city: .*$", "city: karlskrona"),  # the activities' city and region facets
    ("pages/om.md", r"^menu: 10$", "menu: 3"),  # the menu of every page
])
def test_other_edits_build_the_site_graph_again(site_copy, tmp_path, rel, pattern, replacement) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    edit(content / rel, pattern, replacement)
    result = run(content, output, cache)
    assert not result.patched and "graph" in result.timings
    same_as_clean(content, output, tmp_path)


@pytest.mark.parametrize("fork_check", [0, 100_000])  # the output checked by a child process, or in this one
def test_new_files_errors_and_a_touched_output_build_again(site_copy, tmp_path, monkeypatch, fork_check) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(build_module, "FORK_CHECK", fork_check)
    content = site_copy(FIXTURES / "minimal")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    page = content / "pages" / "om.md"
    (content / "pages" / "ny.md").write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    assert not run(content, output, cache).patched  # a new file
    same_as_clean(content, output, tmp_path)
    (output / "om" / "index.html").write_text("ändrad för hand", encoding="utf-8")
    edit(page, r"^title: (.*)$", r"title: \1 igen")
    assert not run(content, output, cache).patched  # an output file changed behind the build's back
    same_as_clean(content, output, tmp_path)
    edit(page, r"^title: .*$", "title:")
    with pytest.raises(Exception) as failed:
        run(content, output, cache)
    assert "title" in str(getattr(failed.value, "problems", failed.value))
    edit(page, r"^title:$", "title: Om oss")
    assert run(content, output, cache).patched  # the last good build is still the one patched
    same_as_clean(content, output, tmp_path)


def test_time_moving_on_patches_until_it_crosses_a_boundary(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    later = NOW + timedelta(minutes=5)
    assert run(content, output, cache, now=later).patched  # nothing starts, ends or closes in five minutes
    same_as_clean(content, output, tmp_path, now=later)
    next_day = NOW + timedelta(days=1)
    assert not run(content, output, cache, now=next_day).patched  # another day: the calendar's "today"
    same_as_clean(content, output, tmp_path, now=next_day)


def test_a_failed_patch_leaves_the_output_and_forgets_the_patched_site(site_copy, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    output, memory = tmp_path / "output", MemoryCache()
    run(content, output, None, memory)
    before = tree(output)
    edit(content / "activities/ljusbord-for-turne.md", r"^title: (.*)$", r"title: \1 – igen")
    render = Renderer.render

    def broken(self: Renderer, out):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(Renderer, "render", broken)
    with pytest.raises(OSError):
        run(content, output, None, memory, workers=1)
    assert tree(output) == before and memory.snapshot() is None
    monkeypatch.setattr(Renderer, "render", render)
    assert not run(content, output, None, memory).patched
    same_as_clean(content, output, tmp_path)


def test_stored_records_are_read_when_first_used_and_shared(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(FIXTURES / "minimal")
    options = BuildOptions(content=content, output=tmp_path / "output", now=NOW, cache=tmp_path / ".cache")
    build(options)
    raw = load(content, Problems())
    cache = _open_cache(options, raw, None)
    assert isinstance(cache, BuildCache)
    snapshot = cache.snapshot()
    assert snapshot is not None
    catalog = snapshot.site.catalog
    first = catalog.activities[0]
    assert type(first).__name__ == "LazyActivity" and type(first).__mro__[1] is model.Activity
    fresh = validate(raw, Problems())
    assert fresh is not None
    by_slug = {a.slug: a for a in fresh.activities}
    assert first.title == by_slug[first.slug].title and first.sessions == by_slug[first.slug].sessions
    with_venue = [a for a in catalog.activities if a.venue is not None]
    assert with_venue and all(a.venue is catalog.venues[a.venue.slug] for a in with_venue)
    assert with_venue[0].venue.name == fresh.venues[with_venue[0].venue.slug].name


def test_the_stored_site_graph_is_the_one_the_build_made() -> None:
    """The site graph's values are stored as constructor calls (snapshot._call_fields) and read back equal; values
    that say how they are pickled (facets) come back as themselves."""
    catalog = validate(load(SAMPLE, Problems()), Problems())
    assert catalog is not None
    site = build_site(catalog, NOW)
    assert _call_fields(type(site)) and _call_fields(type(next(iter(site.cards.values()))))
    assert not _call_fields(type(site.facets[0].facet))
    records = LazyRecords(lambda: lambda rid: None, record_classes())  # a store without rows: none may be read
    stored = records.load(dumps_site(site))
    assert_same(stored, site)
    assert all(a.facet is b.facet for a, b in zip(stored.facets, site.facets, strict=True))
    assert records.filled == 0


def assert_same(stored: object, made: object, where: str = "site") -> None:
    """Equal value for value, records by their ids (the stored ones are references, read when first used)."""
    if is_record(made):
        assert is_record(stored) and (stored.KIND, stored.slug) == (made.KIND, made.slug), where  # type: ignore[attr-defined]
    elif dataclasses.is_dataclass(made) and not isinstance(made, type):
        assert type(stored) is type(made), where
        for f in dataclasses.fields(made):
            assert_same(getattr(stored, f.name), getattr(made, f.name), f"{where}.{f.name}")
    elif isinstance(made, dict):
        assert isinstance(stored, dict) and list(stored) == list(made), where
        for key, value in made.items():
            assert_same(stored[key], value, f"{where}[{key!r}]")
    elif isinstance(made, tuple | list):
        assert type(stored) is type(made) and len(stored) == len(made), where
        for i, (a, b) in enumerate(zip(stored, made, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert stored == made, where


def stored_build(content: Path, tmp_path: Path) -> Snapshot:
    """The snapshot a build of `content` leaves in the build store, as the next build reads it (records unread)."""
    options = BuildOptions(content=content, output=tmp_path / "output", now=NOW, cache=tmp_path / ".cache")
    build(options)
    cache = _open_cache(options, load(content, Problems()), None)
    assert isinstance(cache, BuildCache)
    snapshot = cache.snapshot()
    assert snapshot is not None
    return snapshot


def test_the_digests_a_patch_stores_are_those_of_a_full_build(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every record's digest and links, stored as one value: after a patch, the ones a full build of the same
    content stores (the next patch starts from them); a store without them is not patched."""
    content = site_copy(FIXTURES / "minimal")
    stored_build(content, tmp_path)
    edit(content / LEAF_EDITS[0][0], LEAF_EDITS[0][1], LEAF_EDITS[0][2])
    assert run(content, tmp_path / "output", tmp_path / ".cache").patched
    options = BuildOptions(content=content, output=tmp_path / "output", now=NOW, cache=tmp_path / ".cache")
    cache = _open_cache(options, load(content, Problems()), None)
    assert isinstance(cache, BuildCache)
    patched = cache.snapshot()
    full = stored_build(content, tmp_path / "full")
    assert patched is not None and len(full.digests) >= 10 and patched.digests == full.digests
    cache.db.execute("DELETE FROM meta WHERE key = 'digests'")
    assert cache.snapshot() is None
    cache.close()


def test_what_every_patch_asks_of_all_records_reads_none(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A patch reads the stored records its outputs show, no others: telling records from other values, the
    open data's record keys and the feeds' span of years are answered without reading a row."""
    snapshot = stored_build(site_copy(FIXTURES / "minimal"), tmp_path)
    site = snapshot.site
    activities = site.catalog.activities
    store = object.__getattribute__(activities[0], "_records")
    records = catalog_records(site.catalog)
    assert len(records) > len(activities) > 1 and all(is_record(r) for r in records)
    digester = Digester(snapshot.digests)
    keys = [digester.key("open-record", jsonfeed.record_key(a)) for a in activities]
    assert len(set(keys)) == len(activities)
    span = site.span
    assert store.filled == 0
    assert span == (min(a.start for a in activities), max(a.end for a in activities))  # (this reads them all)
    assert store.filled == len(activities)


def test_fields_set_into_an_unread_stored_record_stay(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A patch may set the new fields of a record it never read (every field it compares is a leaf): probing the
    record afterwards (a digest asks for attributes it may not have) must not read the store's older row into it."""
    content = site_copy(FIXTURES / "minimal")
    snapshot = stored_build(content, tmp_path)
    stored = next(iter(snapshot.site.catalog.organisations.values()))
    store = object.__getattribute__(stored, "_records")
    fresh = validate(load(content, Problems()), Problems())
    assert fresh is not None and store.filled == 0
    new = dataclasses.replace(fresh.organisations[stored.slug], name="Ett nytt namn")
    set_fields(stored, new)
    assert getattr(stored, "record", None) is None and not hasattr(stored, "anything")
    assert stored.name == "Ett nytt namn" and store.filled == 0


def test_the_site_graph_reads_no_leaf(site_copy) -> None:  # type: ignore[no-untyped-def]
    """Changing every leaf of every record (model.py's LEAVES) changes nothing in the site graph but the records'
    fields: the patch relies on it."""
    content = site_copy(SAMPLE)
    catalog = validate(load(content, Problems()), Problems())
    assert catalog is not None
    before = dumps_site(build_site(catalog, NOW))
    for record in catalog_records(catalog):
        for name in record.LEAVES:
            value = getattr(record, name)
            if isinstance(value, str):
                object.__setattr__(record, name, "Ändrad " + value[::-1])
            elif isinstance(value, tuple):
                object.__setattr__(record, name, value[::-1])
            elif value is not None and not is_record(value):
                object.__setattr__(record, name, None)
    assert dumps_site(build_site(catalog, NOW)) == before


def test_every_leaf_is_a_field() -> None:
    for cls in (model.Activity, model.Venue, model.Organisation, model.Need, model.Page):
        assert {f.name for f in dataclasses.fields(cls)} >= cls.LEAVES, cls.__name__
        assert "slug" not in cls.LEAVES and "draft" not in cls.LEAVES


@pytest.mark.slow
def test_leaf_edits_of_the_sample_site_equal_a_clean_build(site_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = site_copy(SAMPLE)
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    activity = sorted((content / "activities").rglob("*.md"))[5]
    edits = [
        (activity, r"^title: (.*)$", r"title: \1 (ny)"),
        (activity, r"\Z", "\nEtt nytt stycke.\n"),
        (sorted((content / "venues").glob("*.md"))[0], r"^name: (.*)$", r"name: \1 Scen"),
        (sorted((content / "organisations").glob("*.md"))[0], r"^name: (.*)$", r"name: \1 AB"),
        (sorted((content / "needs").glob("*.md"))[0], r"^title: (.*)$", r"title: \1 i praktiken"),
        (content / "pages" / "kontakt.md", r"^title: (.*)$", r"title: \1 och adresser"),  # in every footer
    ]
    for file, pattern, replacement in edits:
        edit(file, pattern, replacement)
        assert run(content, output, cache).patched, file
        same_as_clean(content, output, tmp_path)


@pytest.mark.slow
def test_a_body_edit_reads_few_of_the_stored_records(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 300 generated activities, a one-word body edit of one of them is patched and reads the stored rows of
    the records its re-planned outputs show, not of every record (the photos, the open data, the feeds' span of
    years and telling records apart read none)."""
    import sys

    from kkssite import snapshot

    sys.path.insert(0, str(SAMPLE.parent))  # bench/ is not an installed package
    from bench.generate import generate

    content = generate(300, tmp_path / "content")
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    filled: list[str] = []
    original = snapshot.LazyRecords.fill

    def counting(self, record) -> None:  # type: ignore[no-untyped-def]
        filled.append(object.__getattribute__(record, "slug"))
        original(self, record)

    monkeypatch.setattr(snapshot.LazyRecords, "fill", counting)
    file = sorted((content / "activities").glob("*.md"))[150]
    edit(file, r"^## (\w+)", r"## \1x")
    assert run(content, output, cache).patched
    assert 0 < len(filled) < 300 // 2, len(filled)  # every listing that shows the activity shows others too
    same_as_clean(content, output, tmp_path)


def _stored_snapshot(cache: Path) -> tuple[list[tuple[object, ...]], bytes]:
    import sqlite3
    (path,) = cache.glob("*.sqlite")
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT * FROM record_rows ORDER BY id").fetchall()
        (site,) = db.execute("SELECT value FROM meta WHERE key = 'site'").fetchone()
    finally:
        db.close()
    return rows, site


def test_the_snapshot_a_child_pickled_is_the_one_this_process_would_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build pickles its snapshot's rows in a forked child while it plans (workers.Ahead); the store
    holds the same bytes as when this process pickles them, and the child's file is gone."""
    answered: list[bool] = []
    frames = build_module.Ahead.frames

    def spied(self: build_module.Ahead) -> object:
        found = frames(self)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(build_module.Ahead, "frames", spied)
    run(FIXTURES / "minimal", tmp_path / "out-a", tmp_path / "cache-a", workers=1)
    assert answered == [True] and not list((tmp_path / "cache-a").glob("snapshot-*"))
    monkeypatch.setattr(build_module.Ahead, "frames", lambda self: None)  # no answer: pickled here
    run(FIXTURES / "minimal", tmp_path / "out-b", tmp_path / "cache-b", workers=1)
    ahead, here = _stored_snapshot(tmp_path / "cache-a"), _stored_snapshot(tmp_path / "cache-b")
    assert len(ahead[0]) == 10 and ahead == here
