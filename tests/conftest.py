"""Shared test fixtures: a fixed `now`, throwaway content folders built from the fixture sites, and a guard that
no test writes into the working tree (every build goes to a temporary folder)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import FIXTURES, NOW

from kkssite.build import BuildResult, build
from kkssite.config import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
#: What pytest, ruff and the browser tests' screenshots may leave in the working tree.
MAY_APPEAR = {".pytest_cache", ".ruff_cache"}


def _tree_state() -> tuple[frozenset[str], str]:
    """The top-level names of the project folder and a digest of everything under content/ and tests/fixtures/."""
    digest = hashlib.sha256()
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return frozenset(p.name for p in ROOT.iterdir()) - MAY_APPEAR, digest.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def working_tree_untouched() -> Iterator[None]:
    """No test may write into the project: no .kkssite-cache/ or output/ beside it, no change to the content."""
    before = _tree_state()
    yield
    names, digest = _tree_state()
    assert names == before[0], f"tests left {sorted(names - before[0])} in {ROOT} (build into tmp_path instead)"
    assert digest == before[1], "tests changed files under content/ or tests/fixtures/"


@pytest.fixture
def make_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Copy a fixture site to tmp_path/content (cwd = tmp_path), then add or replace files from a dict."""

    def make(fixture: str = "minimal", files: dict[str, str | bytes | None] | None = None) -> Path:
        monkeypatch.chdir(tmp_path)
        content = tmp_path / "content"
        if content.exists():
            shutil.rmtree(content)
        shutil.copytree(FIXTURES / fixture, content)
        for rel, data in (files or {}).items():
            target = content / rel
            if data is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
        return content

    return make


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., BuildResult]:
    """Build a content folder into tmp_path/output with the fixed NOW."""

    def run(content: Path, output: Path | None = None, **options: object) -> BuildResult:
        options.setdefault("cache", tmp_path / ".cache")
        return build(BuildOptions(content=content, output=output or tmp_path / "output", now=NOW, **options))

    return run
