"""Shared test fixtures: a fixed `now`, throwaway content folders built from the fixture sites."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FIXTURES, NOW

from kkssite.build import BuildResult, build
from kkssite.config import BuildOptions


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
