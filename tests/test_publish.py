"""All-or-nothing publishing, end to end: whatever fails after a change — a template, content, a full disk while
staging or while publishing — output/ stays byte for byte and mtime for mtime as the last good build left it, for
incremental and full builds; the next good build publishes every change and equals a clean build."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import activity
from test_build import tree
from test_write import Snapshot, failing_move, siblings, snapshot

from kkssite import write
from kkssite.build import BuildResult
from kkssite.config import DEFAULT_THEME
from kkssite.errors import ContentError, ThemeError
from kkssite.write import WriteError

FEEDS = ("kalender.ics", "feed.xml", "aktiviteter.json")
TITLE = "title: Ljusbord för turné"
EDITED = "title: Ljusbord för turnerande"

Build = Callable[..., BuildResult]


@pytest.fixture
def site(make_content: Callable[..., Path], build_site: Build, tmp_path: Path) -> tuple[Path, Path]:
    """The minimal site plus one activity, built once (workers=1: injected failures count calls in one process),
    with its own copy of the default theme: (content, theme)."""
    content = make_content(files=activity("extra", title="Extra kurs"))
    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    build_site(content, theme=theme, workers=1)
    return content, theme


def edit(content: Path) -> None:
    """A change that touches pages, listings and every feed: one title edited, one activity added, one removed."""
    file = content / "activities" / "ljusbord-for-turne.md"
    text = file.read_text(encoding="utf-8")
    assert TITLE in text
    file.write_text(text.replace(TITLE, EDITED), encoding="utf-8")
    (content / "activities" / "extra.md").unlink()
    for rel, text in activity("nykomling", title="Nykomling").items():
        (content / rel).write_text(text, encoding="utf-8")


def check_recovers(content: Path, theme: Path, build_site: Build, tmp_path: Path, before: Snapshot) -> Snapshot:
    """The failed build left nothing behind; the next one publishes everything and equals a clean build.
    Returns the snapshot of the published output."""
    output = tmp_path / "output"
    assert snapshot(output) == before
    assert siblings(output) == sorted([".cache", "content", "theme"])
    build_site(content, theme=theme, workers=1)
    after = snapshot(output)
    assert EDITED.removeprefix("title: ") in (output / "aktiviteter" / "ljusbord-for-turne" / "index.html").read_text(
        encoding="utf-8")
    assert [rel for rel in FEEDS if after[rel] == before[rel]] == []  # each feed did change
    assert not (output / "aktiviteter" / "extra").exists() and (output / "aktiviteter" / "nykomling").is_dir()
    build_site(content, tmp_path / "clean", theme=theme, cache=None)
    assert tree(output) == tree(tmp_path / "clean")
    again = build_site(content, theme=theme, workers=1)  # the manifest matches what is on disk: nothing to redo
    assert (again.rendered, again.stats.written) == (0, 0) and snapshot(output) == after
    return after


#: The fast inner loop (pytest -m "not slow") runs one case of each kind; make test runs them all.
SLOW = pytest.mark.slow


@pytest.mark.parametrize("clean", [False, pytest.param(True, marks=SLOW)], ids=["incremental", "full"])
@pytest.mark.parametrize("breakage", ["{{ no_such_variable }}", pytest.param("{% if %}", marks=SLOW)],
                         ids=["unknown-variable", "syntax"])
def test_a_broken_template_after_an_edit_publishes_nothing(site: tuple[Path, Path], build_site: Build,
                                                           tmp_path: Path, breakage: str, clean: bool) -> None:
    content, theme = site
    before = snapshot(tmp_path / "output")
    edit(content)
    template = theme / "templates" / "activity.html"
    good = template.read_text(encoding="utf-8")
    broken = good.replace("{% block main %}", "{% block main %}" + breakage, 1)
    assert broken != good
    template.write_text(broken, encoding="utf-8")
    with pytest.raises(ThemeError):
        build_site(content, theme=theme, workers=1, clean=clean)
    template.write_text(good, encoding="utf-8")
    check_recovers(content, theme, build_site, tmp_path, before)


@pytest.mark.parametrize("clean", [False, pytest.param(True, marks=SLOW)], ids=["incremental", "full"])
def test_a_content_error_after_an_edit_publishes_nothing(site: tuple[Path, Path], build_site: Build,
                                                          tmp_path: Path, clean: bool) -> None:
    content, theme = site
    before = snapshot(tmp_path / "output")
    edit(content)
    broken = content / "activities" / "trasig.md"
    broken.write_text("---\ntitle: x\nstart: 14 mars\n---\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(content, theme=theme, workers=1, clean=clean)
    broken.unlink()
    check_recovers(content, theme, build_site, tmp_path, before)


@pytest.mark.parametrize("clean", [False, pytest.param(True, marks=SLOW)], ids=["incremental", "full"])
@pytest.mark.parametrize("at", [pytest.param(1, marks=SLOW), 4, pytest.param(25, marks=SLOW)])
def test_a_full_disk_while_staging_publishes_nothing(site: tuple[Path, Path], build_site: Build, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, clean: bool, at: int) -> None:
    content, theme = site
    before = snapshot(tmp_path / "output")
    edit(content)
    calls = [0]
    real = write._write

    def write_file(path: Path, data: bytes) -> None:
        calls[0] += 1
        if calls[0] == at:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(write, "_write", write_file)
    with pytest.raises(WriteError, match="No space left on device"):
        build_site(content, theme=theme, workers=1, clean=clean)
    monkeypatch.undo()
    check_recovers(content, theme, build_site, tmp_path, before)


@pytest.mark.parametrize("at", [pytest.param(1, marks=SLOW), 2, pytest.param(10, marks=SLOW),
                                pytest.param(30, marks=SLOW)])
def test_a_full_disk_while_publishing_an_incremental_build_publishes_nothing(
        site: tuple[Path, Path], build_site: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    content, theme = site
    before = snapshot(tmp_path / "output")
    edit(content)
    failing_move(monkeypatch, at)
    with pytest.raises(WriteError, match="No space left on device; inget publicerades"):
        build_site(content, theme=theme, workers=1)
    monkeypatch.undo()
    after = check_recovers(content, theme, build_site, tmp_path, before)
    gone, new = before.keys() - after.keys(), after.keys() - before.keys()
    changed = {rel for rel in before.keys() & after.keys() if before[rel] and before[rel] != after[rel]}
    assert len(gone) + 2 * len(changed) + len(new) > 30  # renames in that commit: each `at` was part-way through


@pytest.mark.parametrize("at", [1, pytest.param(2, marks=SLOW)], ids=["first-rename", "second-rename"])
def test_a_failed_swap_of_a_full_build_publishes_nothing(site: tuple[Path, Path], build_site: Build, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    content, theme = site
    before = snapshot(tmp_path / "output")
    edit(content)
    failing_move(monkeypatch, at)
    with pytest.raises(WriteError, match="No space left on device"):
        build_site(content, theme=theme, workers=1, clean=True)
    monkeypatch.undo()
    check_recovers(content, theme, build_site, tmp_path, before)
