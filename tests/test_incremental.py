"""Incremental and parallel builds: the same bytes whatever the cache state or worker count, and only the
work whose inputs changed is redone."""

import os
from pathlib import Path

from support import activity
from test_build import tree

from kkssite import build as build_module
from kkssite import workers


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def many(count: int) -> dict[str, str]:
    files: dict[str, str] = {}
    for n in range(count):
        files.update(activity(f"kurs-{n:03d}", title=f"Kurs nummer {n}", start=f"2027-{n % 12 + 1:02d}-10 09:00"))
    return files


def test_output_is_identical_for_any_worker_count_and_cache_state(make_content, build_site, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)  # use real worker processes even for a small site
    content = make_content(files=many(40))
    build_site(content, tmp_path / "serial", workers=1, cache=None)
    build_site(content, tmp_path / "parallel", workers=2, cache=None)
    build_site(content, tmp_path / "cached", workers=2)
    build_site(content, tmp_path / "cached", workers=2)  # warm: everything from the cache
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel") == tree(tmp_path / "cached")


def test_the_fragments_a_worker_makes_are_stored(make_content, build_site, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The filter index's items are made by the worker that serializes the index; the build store keeps them,
    so the next build that makes the index again makes only the edited activity's item."""
    from kkssite import filters

    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)  # use real worker processes even for a small site
    content = make_content(files=many(40))
    made = tmp_path / "made"  # one line per item made, by this process or a worker forked from it
    real = filters._item_json

    def counting(views, item):  # type: ignore[no-untyped-def]
        with made.open("a") as log:
            log.write(f"{item[0].slug}\n")
        return real(views, item)

    monkeypatch.setattr(filters, "_item_json", counting)
    build_site(content, workers=2)
    first = made.read_text().split()
    assert len(first) > 40 and len(set(first)) == len(first)  # every upcoming activity's, once
    made.unlink()
    file = content / "activities" / "kurs-003.md"
    file.write_text(file.read_text(encoding="utf-8").replace("Kurs nummer 3", "Kurs nummer tre"), encoding="utf-8")
    assert build_site(content, workers=2).patched
    assert made.read_text().split() == ["kurs-003"]


def test_no_change_rebuild_parses_renders_and_writes_nothing(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=many(10))
    first = build_site(content)
    old = 1_600_000_000_000_000_000
    for file in (tmp_path / "output").rglob("*"):
        if file.is_file():
            os.utime(file, ns=(old, old))
    # the manifest remembers the old mtimes; a build must not be fooled by files changed behind its back
    second = build_site(content, clean=True)
    assert second.rendered == second.pages and second.stats.written == 0
    third = build_site(content)
    assert (first.parsed, third.parsed, third.rendered, third.stats.written) == (21, 0, 0, 0)
    assert (first.unchanged, second.unchanged, third.unchanged) == (False, False, True)
    assert set(mtimes(tmp_path / "output").values()) == {old}


def test_one_edit_rerenders_only_what_shows_it(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=many(10))
    build_site(content)
    before = mtimes(tmp_path / "output")
    file = content / "activities" / "kurs-003.md"
    file.write_text(file.read_text(encoding="utf-8").replace("Kurs nummer 3", "Kurs nummer tre"), encoding="utf-8")
    result = build_site(content)
    after = mtimes(tmp_path / "output")
    changed = {p for p in after if after[p] != before.get(p)}
    assert result.parsed == 1
    assert "aktiviteter/kurs-003/index.html" in changed
    assert "aktiviteter/kurs-004/index.html" not in changed and "om/index.html" not in changed
    assert 0 < result.rendered < result.pages // 2
    build_site(content, tmp_path / "clean", cache=None)
    assert tree(tmp_path / "output") == tree(tmp_path / "clean")


def test_removed_activity_disappears_and_template_edit_rerenders(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=many(3))
    theme = tmp_path / "theme"
    import shutil

    from kkssite.config import DEFAULT_THEME
    shutil.copytree(DEFAULT_THEME, theme)
    build_site(content, theme=theme)
    (content / "activities" / "kurs-001.md").unlink()
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1", "<h1 class=\"ny\"", 1), encoding="utf-8")
    result = build_site(content, theme=theme)
    assert not (tmp_path / "output" / "aktiviteter" / "kurs-001").exists()
    assert 'class="ny"' in (tmp_path / "output" / "om" / "index.html").read_text(encoding="utf-8")
    assert result.rendered < result.pages
    build_site(content, tmp_path / "clean", cache=None, theme=theme)
    assert tree(tmp_path / "output") == tree(tmp_path / "clean")


def test_a_corrupt_cache_is_rebuilt_not_trusted(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    build_site(content)
    for db in (tmp_path / ".cache").glob("*.sqlite*"):
        db.write_bytes(b"this is not a database" * 100)
    result = build_site(content)
    assert result.parsed == 11 and result.rendered == result.pages
    build_site(content, tmp_path / "clean", cache=None)
    assert tree(tmp_path / "output") == tree(tmp_path / "clean")


def test_a_file_removed_from_the_output_is_restored(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    build_site(content)
    page = tmp_path / "output" / "om" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    result = build_site(content)
    assert page.read_bytes() == expected and result.rendered == 1
    assert build_site(content).stats.written == 0  # and now nothing is left to do


def test_a_no_change_build_checks_the_output_in_a_child_process(make_content, build_site, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Large outputs are checked beside the content folder's reading (build.FORK_CHECK files and more): a file
    changed behind the build's back is still found and made again."""
    monkeypatch.setattr(build_module, "FORK_CHECK", 0)
    content = make_content(files=many(5))
    build_site(content)
    assert build_site(content).stats.written == 0
    page = tmp_path / "output" / "om" / "index.html"
    expected = page.read_bytes()
    page.write_bytes(b"changed by hand")
    result = build_site(content)
    assert page.read_bytes() == expected and result.stats.written == 1
    assert build_site(content).stats.written == 0
