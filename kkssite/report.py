"""Content problems for people and for tools: `kkssite check --format text|github|json`.

- `text` (the default): one `path:line: key: message` line per problem, as editors read them in a terminal.
- `github`: one GitHub Actions workflow command per problem (`::error file=…,line=…,title=…::message`, warnings
  as `::warning`), which GitHub shows as an annotation on that line of the pull request's diff.
- `gitlab`: a Code Quality report (GitLab's subset of the Code Climate format) that a GitLab CI job hands in as
  `artifacts:reports:codequality`, so a merge request lists each problem with its file and line.
- `json`: the same problems as data, for any other tool (an editor plugin, a CMS, a dashboard).

The messages are the editors' Swedish ones in every format; only the wrapping changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from .errors import WARNING, Problem

FORMATS = ("text", "github", "gitlab", "json")
#: The version of the JSON document; raised whenever a field is removed or changes its meaning.
JSON_VERSION = 1


def text(problems: Iterable[Problem]) -> list[str]:
    """`path:line: key: message` (and `varning:` before the key of a warning), one line per problem."""
    return [str(problem) for problem in problems]


def _escape_data(value: str) -> str:
    """A workflow command's message: %, CR and LF escaped (as @actions/core's escapeData does)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A workflow command's property value: also : and , escaped (as @actions/core's escapeProperty does)."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions workflow command: `::error file=…,line=…,title=<key>::<message>`.

    A problem of a whole file (line 0) is annotated on the file; one without a key gets the title kkssite."""
    command = "warning" if problem.severity == WARNING else "error"
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    properties.append(f"title={_escape_property(problem.key or 'kkssite')}")
    return f"::{command} {','.join(properties)}::{_escape_data(problem.message)}"


def github(problems: Iterable[Problem]) -> list[str]:
    return [annotation(problem) for problem in problems]


def code_quality(problems: Iterable[Problem]) -> str:
    """A GitLab Code Quality report: errors are major, warnings minor; a whole file's problem is on its line 1."""
    report = []
    for problem in problems:
        identity = f"{problem.path}\0{problem.line}\0{problem.key}\0{problem.message}"
        report.append({
            "description": f"{problem.key}: {problem.message}" if problem.key else problem.message,
            "check_name": problem.key or "kkssite",
            "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
            "severity": "minor" if problem.severity == WARNING else "major",
            "location": {"path": problem.path, "lines": {"begin": problem.line or 1}},
        })
    return json.dumps(report, ensure_ascii=False, indent=2)


def record(problem: Problem) -> dict[str, object]:
    """One problem as data: line and key are null when the problem concerns a whole file."""
    return {
        "path": problem.path,
        "line": problem.line or None,
        "key": problem.key or None,
        "severity": problem.severity,
        "message": problem.message,
        "suggestion": problem.suggestion or None,
    }


def as_json(problems: Iterable[Problem]) -> str:
    """`{"version": 1, "errors": n, "warnings": n, "problems": [{path, line, key, severity, message,
    suggestion}, …]}`, sorted by file and line like the text format."""
    items = [record(problem) for problem in problems]
    warnings = sum(1 for item in items if item["severity"] == WARNING)
    document = {"version": JSON_VERSION, "errors": len(items) - warnings, "warnings": warnings, "problems": items}
    return json.dumps(document, ensure_ascii=False, indent=2)
