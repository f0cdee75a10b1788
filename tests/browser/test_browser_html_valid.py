"""The Nu Html Checker (vnu-jar, vendored from npm, run with Java) finds zero errors in every HTML file of the
built site, checked in one run (with one deliberately broken page, to show the checker does report errors)."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

BROKEN = '<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body><p><div>fel</p></body></html>'


def test_every_page_is_valid_html(site_dir: Path, vnu: list[str], tmp_path: Path):
    files = sorted(site_dir.rglob("*.html"))
    assert len(files) > 100, f"only {len(files)} HTML files in the built site"
    control = tmp_path / "broken.html"
    control.write_text(BROKEN, encoding="utf-8")
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", str(control), *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    output = result.stderr.strip() or result.stdout.strip()
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu exited {result.returncode} without its JSON report:\n{output[:3000]}") from None
    assert any(m.get("url", "").endswith("/broken.html") for m in messages), f"vnu missed the control page:\n{output}"
    errors = [m for m in messages if m.get("type") != "info" and not m.get("url", "").endswith("/broken.html")]
    if errors:
        pytest.fail(f"{len(errors)} HTML errors in {len(files)} files:\n{summary(errors, site_dir)}", pytrace=False)


def summary(errors: list[dict], site_dir: Path) -> str:
    """The errors grouped by message: how many, and the first few places (path:line «extract»)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for m in errors:
        path = unquote(urlsplit(m.get("url", "")).path)
        where = path.removeprefix(str(site_dir) + "/")
        extract = " ".join(m.get("extract", "").split())[:70]
        groups[m.get("message", "?")].append(f"{where}:{m.get('lastLine', '?')} «{extract}»")
    lines = []
    for message, places in sorted(groups.items(), key=lambda g: -len(g[1])):
        lines.append(f"{len(places)} × {message}")
        lines.extend(f"    {place}" for place in places[:3])
        if len(places) > 3:
            lines.append(f"    … and {len(places) - 3} more")
    return "\n".join(lines)
