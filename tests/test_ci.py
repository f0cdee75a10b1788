"""The shipped deploy set-ups: the GitHub Actions workflow and the GitLab CI file validate against their published
schemas (check-jsonschema's vendored copies, with every network request refused), they run exactly the README's
commands, use the official Pages actions pinned by version and keep the build cache; netlify.toml builds and
publishes the same; and `make build` installs only what building needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
NETLIFY = ROOT / "netlify.toml"
README = ROOT / "README.md"
FENCE = re.compile(r"^```(?:sh|bash)\n(.*?)^```", re.DOTALL | re.MULTILINE)
#: Proxies that refuse every connection: the schemas must come from check-jsonschema itself, not the network.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": ""}


def check_jsonschema(schema: str, file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **OFFLINE}
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(file)],
                          capture_output=True, text=True, timeout=120, env=env, check=False)


def workflow() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def gitlab() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def readme_commands() -> set[str]:
    """Every line of the README's shell blocks, without its trailing comment."""
    text = README.read_text(encoding="utf-8")
    return {line.split("  #")[0].strip() for block in FENCE.findall(text) for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")}


def workflow_commands() -> list[str]:
    runs = [step["run"] for job in workflow()["jobs"].values() for step in job["steps"] if "run" in step]
    scripts = [line for job in gitlab().values() if isinstance(job, dict) for line in job.get("script", [])]
    return [*runs, *scripts, tomllib.loads(NETLIFY.read_text(encoding="utf-8"))["build"]["command"]]


@pytest.mark.parametrize(("schema", "file"), [("vendor.github-workflows", WORKFLOW), ("vendor.gitlab-ci", GITLAB)],
                         ids=["github", "gitlab"])
def test_the_ci_files_validate_against_their_published_schemas(schema: str, file: Path) -> None:
    result = check_jsonschema(schema, file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_notices_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode != 0
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text(GITLAB.read_text(encoding="utf-8").replace("  script:", "  scripts:"), encoding="utf-8")
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode != 0


def test_the_ci_files_run_the_readmes_commands() -> None:
    commands = workflow_commands()
    assert "make build" in commands and ".venv/bin/kkssite check --format github" in commands
    documented = readme_commands()
    missing = sorted({c for c in commands if c not in documented})
    assert not missing, f"commands in the CI files that README.md does not show in a ```sh block: {missing}"


def test_pull_requests_are_checked_with_annotations_before_they_are_built() -> None:
    jobs = workflow()["jobs"]
    check = jobs["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert [s.get("run") for s in check["steps"] if "run" in s] == [
        "make setup", ".venv/bin/kkssite check --format github", "make build"]
    merge_request = gitlab()["check"]
    assert merge_request["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert merge_request["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    assert merge_request["artifacts"]["when"] == "always"  # the report also when the check fails


def test_main_is_built_with_the_cache_and_deployed_with_the_official_pages_actions() -> None:
    jobs = workflow()["jobs"]
    triggers = workflow()[True]  # `on:`, which YAML 1.1 (PyYAML) reads as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    steps = jobs["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s] + [s["uses"].split("@")[0]
                                                                        for s in jobs["deploy"]["steps"]]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache", "actions/configure-pages",
                    "actions/upload-pages-artifact", "actions/deploy-pages"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".kkssite-cache"
    assert next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))["with"]["path"] == "output"
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    pages = gitlab()["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["cache"]["paths"] == [".kkssite-cache/"] and pages["pages"] == {"publish": "output"}
    netlify = tomllib.loads(NETLIFY.read_text(encoding="utf-8"))["build"]
    assert netlify == {"command": "make build", "publish": "output", "environment": {"PYTHON_VERSION": "3.11"}}


def test_every_action_is_pinned_by_its_full_version() -> None:
    uses = [s["uses"] for job in workflow()["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"actions/[a-z-]+@v\d+\.\d+\.\d+", u) for u in uses), uses


def test_make_build_installs_only_what_building_needs() -> None:
    """`make build` (and serve, check, setup) install the package alone; the test extra comes with make test."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^\$\(STAMP\): pyproject\.toml\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe and "pip install --quiet -e .\n" in recipe[1] and "[test]" not in recipe[1]
    tests = re.search(r"^\$\(TEST_STAMP\): \$\(STAMP\)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert tests and "-e '.[test]'" in tests[1]
    for target in ("setup", "build", "serve", "check"):
        assert re.search(rf"^{target}: \$\(STAMP\) ", makefile, re.MULTILINE), target
    for target in ("test", "lint"):
        assert re.search(rf"^{target}: \$\(TEST_STAMP\) ", makefile, re.MULTILINE), target
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    test_tools = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["optional-dependencies"]["test"]}
    assert not names & test_tools and {"pytest", "playwright", "ruff", "check-jsonschema"} <= test_tools
    assert project["license"] == "MIT"  # an SPDX expression: no setuptools deprecation warning for a table
