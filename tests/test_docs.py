"""The editor's guide (content/README.md) stays in step with the code and the sample content.

- Every key of every schema in kkssite/fields.py (each kind of content file, the nested blocks such as
  registration, accessibility, sessions, leaders and changes, site.yml with its contact block, and the terms of
  vocabularies.yml) is written in the guide as `key`, in backticks.
- Every subcommand of `kkssite` is named (as `kkssite <command>`) in README.md and in the guide, and so is every
  kind of file `kkssite new` makes (as `kkssite new --venue` …).
- The complete example files in the guide validate without a single problem when written into a copy of
  content/. Such an example is marked by an HTML comment (invisible on GitHub) on the line before its fence:

      <!-- test: content/activities/intimitetskoordination-i-praktiken-2027.md -->
      ```markdown
      ---
      title: …
      ---
      …
      ```

  The path says where the file is written (it may replace a sample file of the same name). There must be at
  least one marked activity, and it must be published (no `draft: true`), so it shows up in the catalog.
- Every ```yaml snippet in the guide is readable YAML (editors copy them), and every error line quoted in a
  ```text block of the guide that starts with `content/` is a real line of tests/fixtures/broken-expected.txt.

The checks are plain functions of the guide's text, and the last tests feed them a damaged guide to show that
they notice what they are meant to notice.
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kkssite.cli import parser
from kkssite.errors import Problems
from kkssite.fields import SCHEMAS, SITE_SCHEMA, TERM_SCHEMAS, Nested, Schema
from kkssite.load import load, parse_yaml
from kkssite.model import Catalog
from kkssite.validate import validate

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "content" / "README.md"
README = ROOT / "README.md"
CONTENT = ROOT / "content"
BROKEN_EXPECTED = Path(__file__).parent / "fixtures" / "broken-expected.txt"

MARKED_EXAMPLE = re.compile(r"<!--\s*test:\s*(content/\S+?\.md)\s*-->\s*\n```[\w-]*\n(.*?)\n```", re.DOTALL)
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


# --- every key ------------------------------------------------------------------------------------------------


def schema_keys(name: str, schema: Schema) -> Iterator[tuple[str, str]]:
    """(where, key) for every key of a schema and of the schemas nested in it (registration.kind, …)."""
    for key, field in schema.items():
        yield name, key
        if isinstance(field, Nested):
            yield from schema_keys(f"{name}.{key}", field.schema)


def all_keys() -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    for kind, schema in SCHEMAS.items():
        keys.extend(schema_keys(kind, schema))
    keys.extend(schema_keys("site.yml", SITE_SCHEMA))
    for vocabulary, schema in TERM_SCHEMAS.items():
        keys.extend(schema_keys(f"vocabularies.yml {vocabulary}", schema))
    return keys


def missing_keys(text: str) -> list[str]:
    return sorted({f"{where}: {key}" for where, key in all_keys() if f"`{key}`" not in text})


def test_all_keys_cover_the_nested_schemas() -> None:
    where = {w for w, _ in all_keys()}
    for nested in ("activity.registration", "activity.accessibility", "activity.sessions", "activity.leaders",
                   "activity.changes", "venue.accessibility", "site.yml", "site.yml.contact"):
        assert nested in where


def test_every_key_is_in_the_guide() -> None:
    missing = missing_keys(guide_text())
    assert not missing, "content/README.md does not mention these keys as `key`:\n" + "\n".join(missing)


# --- every command --------------------------------------------------------------------------------------------


def subcommands() -> list[str]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert actions, "kkssite.cli.parser() has no subcommands"
    return sorted(name for action in actions for name in action.choices)


def missing_commands(text: str) -> list[str]:
    return [name for name in subcommands() if not re.search(rf"\bkkssite {re.escape(name)}\b", text)]


@pytest.mark.parametrize("doc", [README, GUIDE], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_command_is_documented(doc: Path) -> None:
    assert set(subcommands()) >= {"build", "check", "new", "serve"}
    missing = missing_commands(doc.read_text(encoding="utf-8"))
    assert not missing, f"{doc} does not mention: " + ", ".join(f"kkssite {m}" for m in missing)


# --- the examples validate ------------------------------------------------------------------------------------


def marked_examples(text: str) -> dict[str, str]:
    examples: dict[str, str] = {}
    for path, body in MARKED_EXAMPLE.findall(text):
        assert path not in examples, f"two examples are marked {path}"
        examples[path] = body + "\n"
    return examples


def validate_with(examples: dict[str, str], tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> tuple[Catalog | None, Problems]:
    """Copy content/ to tmp_path/content, write the examples into it, and validate it as `kkssite check` does."""
    monkeypatch.chdir(tmp_path)  # problems then name files as content/activities/…, as editors see them
    target = tmp_path / "content"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(CONTENT, target)
    for path, body in examples.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(body, encoding="utf-8")
    problems = Problems()
    catalog = validate(load(Path("content"), problems), problems)
    return catalog, problems


def test_the_guide_has_a_marked_example_activity() -> None:
    activities = [p for p in marked_examples(guide_text()) if p.startswith("content/activities/")]
    assert activities, "content/README.md has no <!-- test: content/activities/….md --> example"


def test_the_examples_validate_without_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = marked_examples(guide_text())
    catalog, problems = validate_with(examples, tmp_path, monkeypatch)
    everything = "\n".join(str(p) for p in problems)
    assert catalog is not None, f"the content with the guide's examples has errors:\n{everything}"
    about_examples = [str(p) for p in problems if p.path in examples]
    assert not about_examples, "the guide's examples have problems:\n" + "\n".join(about_examples)
    published = {a.source.path for a in catalog.activities}
    for path in examples:
        if path.startswith("content/activities/"):
            assert path in published, f"{path} is not in the catalog (is it a draft?)"


# --- snippets and quoted error lines --------------------------------------------------------------------------


def yaml_problems(text: str) -> list[str]:
    found: list[str] = []
    for number, (language, body) in enumerate(FENCE.findall(text), start=1):
        if language != "yaml":
            continue
        problems = Problems()
        if parse_yaml(body, f"yaml block {number}", problems) is None or problems:
            found.extend(f"{p} in:\n{body}" for p in problems)
    return found


def test_yaml_snippets_are_readable() -> None:
    assert [lang for lang, _ in FENCE.findall(guide_text())].count("yaml") >= 5
    problems = yaml_problems(guide_text())
    assert not problems, "\n".join(problems)


def unknown_error_lines(text: str) -> list[str]:
    expected = set(BROKEN_EXPECTED.read_text(encoding="utf-8").splitlines())
    quoted = [line for language, body in FENCE.findall(text) if language == "text"
              for line in body.splitlines() if line.startswith("content/")]
    assert quoted, "the guide quotes no error lines in ```text blocks"
    return [line for line in quoted if line not in expected]


def test_quoted_error_lines_are_real() -> None:
    unknown = unknown_error_lines(guide_text())
    assert not unknown, "not in tests/fixtures/broken-expected.txt (was a message changed?):\n" + "\n".join(unknown)


# --- the checks can fail --------------------------------------------------------------------------------------


def test_a_missing_key_is_noticed() -> None:
    damaged = guide_text().replace("`hearing_loop`", "hearing_loop").replace("`notice_by`", "notice_by")
    assert missing_keys(damaged) == ["activity.accessibility: hearing_loop", "activity.registration: notice_by",
                                     "venue.accessibility: hearing_loop"]


def new_options() -> list[str]:
    """The options of `kkssite new` that choose what it makes (--need, --venue, --organisation, --page, --like)."""
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    new = actions[0].choices["new"]
    return sorted(o for a in new._actions for o in a.option_strings if o not in ("-h", "--help", "--content", "--now"))


def missing_new_options(text: str) -> list[str]:
    return [option for option in new_options() if not re.search(rf"kkssite new {re.escape(option)}\b", text)]


@pytest.mark.parametrize("doc", [README, GUIDE], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_kind_of_new_file_is_documented(doc: Path) -> None:
    assert new_options() == ["--like", "--need", "--organisation", "--page", "--venue"]
    missing = missing_new_options(doc.read_text(encoding="utf-8"))
    assert not missing, f"{doc} does not mention: " + ", ".join(f"kkssite new {m}" for m in missing)


def test_a_missing_command_is_noticed() -> None:
    assert missing_commands(guide_text().replace("kkssite serve", "kkssite-serve")) == ["serve"]
    assert missing_new_options(guide_text().replace("kkssite new --like", "kkssite new")) == ["--like"]


def test_a_broken_example_is_noticed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = marked_examples(guide_text())
    path = next(p for p in examples if p.startswith("content/activities/"))
    assert "\ncity: malmo\n" in examples[path]
    examples[path] = examples[path].replace("\ncity: malmo\n", "\ncity: Malmö\n")
    catalog, problems = validate_with(examples, tmp_path, monkeypatch)
    assert catalog is None
    assert any(p.path == path and p.key == "city" and 'menade du "malmo"' in p.message for p in problems)


def test_a_broken_snippet_and_an_invented_error_line_are_noticed() -> None:
    assert yaml_problems("```yaml\nprofessions: [ljustekniker\n```\n")
    assert unknown_error_lines("```text\ncontent/activities/x.md:1: title: påhittat fel\n```\n") == [
        "content/activities/x.md:1: title: påhittat fel"]
