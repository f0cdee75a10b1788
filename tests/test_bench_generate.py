"""The benchmark corpus generator: valid content, byte-for-byte deterministic, bodies of 300–1,500 words."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kkssite.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ is not an installed package
from bench.generate import MAX_WORDS, MIN_WORDS, generate, word_count

N = 60


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(N, tmp_path_factory.mktemp("bench") / "content")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_site_passes_check(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(site)]) == 0
    out, err = capsys.readouterr()
    assert "Inga fel" in out
    assert err == ""
    assert len(list((site / "activities").glob("*.md"))) == N


def test_two_runs_give_identical_bytes(site: Path, tmp_path: Path) -> None:
    again = generate(N, tmp_path / "again")
    assert _files(again) == _files(site)


def test_body_word_counts_stay_in_range(site: Path) -> None:
    counts = [word_count(p.read_text(encoding="utf-8").split("\n---\n", 1)[1])
              for p in (site / "activities").glob("*.md")]
    assert all(MIN_WORDS <= c <= MAX_WORDS for c in counts), (min(counts), max(counts))
    assert 750 <= sum(counts) / len(counts) <= 1150


def test_refuses_to_clear_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        generate(1, tmp_path)
    assert (tmp_path / "keep.txt").exists()
