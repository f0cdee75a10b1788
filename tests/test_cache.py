"""cache: entries are used only within their generation and for unchanged files; bad databases are rebuilt."""

import pickle
from pathlib import Path

import pytest

from kkssite.cache import BuildCache, LastBuild, Manifest, MemoryCache, PageRecord, sizes, verify


def open_cache(tmp_path: Path, generation: str = "g1") -> BuildCache:
    return BuildCache(tmp_path / "cache", tmp_path / "content", tmp_path / "output", generation)


def test_documents_need_the_same_signature_and_generation(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_documents([("a.md", "sig-1", {"x": 1}, None), ("b.md", "sig-2", {"y": 2}, None)],
                          keep={"a.md", "b.md"})
    cache.close()
    cache = open_cache(tmp_path)
    assert cache.documents({"a.md": "sig-1", "b.md": "changed"}) == {"a.md": {"x": 1}}
    cache.store_documents([], keep={"a.md"})  # b.md is gone from the content
    assert cache.documents({"a.md": "sig-1", "b.md": "sig-2"}) == {"a.md": {"x": 1}}
    cache.close()
    other = open_cache(tmp_path, "g2")  # new code or settings: nothing is trusted
    assert other.fresh and other.documents({"a.md": "sig-1"}) == {}


def test_a_document_given_with_its_pickle_is_stored_as_those_bytes(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)  # (the workers pickle what they typed, and the store takes their bytes)
    cache.store_documents([("a.md", "s", {"x": 1}, pickle.dumps({"x": 2})), ("b.md", "s", {"y": 1}, None)],
                          keep=None)
    cache.close()
    assert open_cache(tmp_path).documents({"a.md": "s", "b.md": "s"}) == {"a.md": {"x": 2}, "b.md": {"y": 1}}


def test_a_damaged_database_is_replaced(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_documents([("a.md", "s", 1, None)], keep={"a.md"})
    cache.close()
    cache.path.write_bytes(b"garbage" * 1000)
    fresh = open_cache(tmp_path)
    assert fresh.documents({"a.md": "s"}) == {}


def test_last_build_needs_equal_inputs_and_an_untouched_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    page = output / "index.html"
    page.write_bytes(b"hej")
    stat = page.stat()
    records = {"index.html": PageRecord("k", "d", stat.st_size, stat.st_mtime_ns)}
    for cache in (open_cache(tmp_path), MemoryCache()):
        cache.store_manifest(records, last=("inputs", "result"))
        assert cache.last_build("inputs", output) == "result"
        assert cache.last_build("other inputs", output) is None
    page.write_bytes(b"hejsan")
    assert not verify(records, output)
    assert open_cache(tmp_path).last_build("inputs", output) is None


def test_the_manifest_read_from_the_last_build_is_the_stored_one(tmp_path: Path) -> None:
    """A patched build reads the manifest from the last build's record (a file beside the database): the same
    records as the rows, and records set on a copy stored back as those rows are. A record the store no longer
    names (another build's since, one staged by a failed store, one changed by hand) is never used."""
    records = {f"p{i}.html": PageRecord(f"k{i}", f"d{i}", 10 + i, 1000 + i) for i in range(5)}
    cache = open_cache(tmp_path)
    cache.store_manifest(records, last=("inputs", "result"))
    cache.close()
    last = BuildCache.peek_last_build(tmp_path / "cache", tmp_path / "content", tmp_path / "output")
    assert last is not None
    cache = open_cache(tmp_path)
    lazy = cache.manifest(last)
    assert isinstance(lazy, Manifest)
    assert dict(lazy) == cache.manifest() == records
    assert "p3.html" in lazy and "p9.html" not in lazy and lazy.get("p9.html") is None and len(lazy) == 5

    edited = lazy.copy()
    edited["p1.html"] = PageRecord("k1-new", "d1-new", 99, 2000)
    edited["new.html"] = PageRecord("kn", "dn", 7, 3000)
    assert lazy["p1.html"] == records["p1.html"]  # (the copy's records are its own)
    expected = {**records, "p1.html": PageRecord("k1-new", "d1-new", 99, 2000), "new.html": PageRecord("kn", "dn", 7, 3000)}
    assert dict(edited) == expected and len(edited) == 6 and list(edited)[-1] == "new.html"
    assert dict(sizes(edited)) == {path: r.size for path, r in expected.items()}
    cache.update_manifest({"p1.html": edited["p1.html"], "new.html": edited["new.html"]}, edited, {},
                          last=("inputs 2", "result 2"))
    cache.close()
    last = BuildCache.peek_last_build(tmp_path / "cache", tmp_path / "content", tmp_path / "output")
    assert last is not None and last.files == [(p, r.size, r.mtime_ns) for p, r in expected.items()]
    cache = open_cache(tmp_path)
    assert dict(cache.manifest(last)) == cache.manifest() == expected

    other = {path: r._replace(size=r.size + 1) for path, r in expected.items()}
    cache.store_manifest(other, last=("inputs 3", "result 3"))  # another build, after `last` was read
    assert cache.manifest(last) == other  # (from the rows: the store names another record than `last`)

    def peek() -> object:
        return BuildCache.peek_last_build(tmp_path / "cache", tmp_path / "content", tmp_path / "output")

    with pytest.raises(RuntimeError), cache._store_last(("inputs 4", "result 4"), records):
        raise RuntimeError("the store failed")
    found = peek()
    assert isinstance(found, LastBuild) and found.inputs == "inputs 3"
    assert [f.name for f in (tmp_path / "cache").iterdir() if ".last" in f.name] == [cache.path.stem + ".last"]
    cache.close()
    record = cache.path.with_suffix(".last")
    copy = record.with_name("copy")
    copy.write_bytes(record.read_bytes())
    copy.replace(record)  # the same bytes, but not the file the store named (another inode)
    assert peek() is None and open_cache(tmp_path).last_build("inputs 3", tmp_path / "output") is None


def test_identity_memos_drop_only_the_changed_records() -> None:
    """The preview's memos by identity survive a patch, less the records it changed; a new site starts empty."""
    cache = MemoryCache()
    kept, edited = object(), object()
    memos = cache.identity_memos(None)
    memos["digests"].update({id(kept): (kept, b"k", frozenset()), id(edited): (edited, b"e", frozenset())})
    memos["fragment-keys"]["open-record"] = {id(kept): ("k1", kept), id(edited): ("e1", edited)}
    patched = cache.identity_memos([edited])
    assert patched["digests"] == {id(kept): (kept, b"k", frozenset())}
    assert patched["fragment-keys"] == {"open-record": {id(kept): ("k1", kept)}}
    assert cache.identity_memos(None) == {"digests": {}, "fragment-keys": {}}
