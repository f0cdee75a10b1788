"""write: atomic publish, refused path escapes, unchanged files keep their mtime."""

import os
from pathlib import Path

import pytest

from kkssite.write import Output, WriteError, WriteStats, check_output


def publish(files: dict[str, bytes], output: Path) -> WriteStats:
    """A full (staged, swapped) write of a complete set of files, as build.py does without a cache."""
    out = Output(output, incremental=False)
    written = 0
    try:
        for rel in sorted(files):
            written += out.put(rel, files[rel], "")[1]
        out.commit(set(files))
    except BaseException:
        out.abort()
        raise
    return WriteStats(written, len(files) - written)


def test_publish_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish({"index.html": b"1", "a/index.html": b"a"}, out)
    publish({"index.html": b"2"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["index.html"]
    assert (out / "index.html").read_bytes() == b"2"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]  # no staging folders left behind


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish({"same.html": b"x", "changed.html": b"1"}, out)
    old = 1_600_000_000
    os.utime(out / "same.html", (old, old))
    os.utime(out / "changed.html", (old, old))
    stats = publish({"same.html": b"x", "changed.html": b"2"}, out)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "same.html").stat().st_mtime == old
    assert (out / "changed.html").stat().st_mtime != old


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/passwd", "a/../../b"])
def test_path_escapes_are_refused_and_output_is_kept(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "output"
    publish({"index.html": b"old"}, out)
    with pytest.raises(WriteError):
        publish({"index.html": b"new", bad: b"x"}, out)
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_output_may_not_contain_the_content(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="skulle skriva över"):
        check_output(tmp_path, [tmp_path / "content"])
    check_output(tmp_path / "output", [tmp_path / "content"])
