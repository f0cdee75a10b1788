"""report: `kkssite check --format text|github|json` — the same problems as lines, as GitHub Actions annotations
(a pull request shows the Swedish message on the very line) and as data."""

from __future__ import annotations

import json
from pathlib import Path

from support import activity

from kkssite.cli import main
from kkssite.errors import Problem
from kkssite.report import annotation, as_json

EXPECTED = (Path(__file__).parent / "fixtures" / "broken-expected.txt").read_text(encoding="utf-8").splitlines()


def test_an_error_becomes_an_annotation_on_its_line() -> None:
    problem = Problem("content/activities/x.md", 7, "start", "förväntade datum och tid som 2027-03-14 18:00, "
                      "fick '14 mars'")
    assert annotation(problem) == ("::error file=content/activities/x.md,line=7,title=start::förväntade datum och "
                                   "tid som 2027-03-14 18:00, fick '14 mars'")


def test_warnings_whole_files_and_special_characters() -> None:
    assert annotation(Problem("a.md", 2, "uid", "saknas", "warning")) == "::warning file=a.md,line=2,title=uid::saknas"
    # a problem of the whole file has no line, one without a key the title kkssite
    assert annotation(Problem("content/pages/arkiv.md", 0, "", "namnet arkiv används redan")) == (
        "::error file=content/pages/arkiv.md,title=kkssite::namnet arkiv används redan")
    # properties escape : and , (and %), the message %, CR and LF, as @actions/core does
    assert annotation(Problem("content/a,b:c.md", 3, "sessions[2].start", "50 % klart\nrad två")) == (
        "::error file=content/a%2Cb%3Ac.md,line=3,title=sessions[2].start::50 %25 klart%0Arad två")


def test_check_format_github_annotates_every_problem_on_its_line(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content("broken")
    assert main(["check", "--format", "github"]) == 1
    out, err = capsys.readouterr()
    annotations = out.splitlines()
    assert "::error file=content/activities/fel-datum.md,line=8,title=start::förväntade datum och tid som " \
           "2027-03-14 18:00, fick '14 mars'" in annotations
    assert ("::error file=content/activities/stavfel.md,line=5,title=type::okänt värde 'kurss', förväntade ett id ur "
            "types i vocabularies.yml – menade du \"kurs\"?") in annotations
    assert all(line.startswith(("::error ", "::warning ")) for line in annotations)
    # exactly the problems of the text format, each once
    errors = [line for line in EXPECTED if line.startswith("content/")]
    assert sum(1 for line in annotations if line.startswith("::error ")) == len(errors)
    assert "Traceback" not in err and err.rstrip().endswith("rätta felen och kontrollera igen.")


def test_a_broken_activity_in_a_pull_request_is_annotated_on_its_line(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    """What a pull request that breaks one activity shows: its Swedish message on the line of the mistake."""
    files = activity("ljus", city="Malmö", start="2027-02-30 09:00")
    make_content("minimal", files)
    assert main(["check", "--format", "github"]) == 1
    annotations = capsys.readouterr().out.splitlines()
    text = files["activities/ljus.md"].splitlines()
    city = next(i for i, line in enumerate(text, 1) if line.startswith("city:"))
    start = next(i for i, line in enumerate(text, 1) if line.startswith("start:"))
    assert annotations == [
        f"::error file=content/activities/ljus.md,line={city},title=city::okänt värde 'Malmö', förväntade ett id ur "
        "cities i vocabularies.yml – menade du \"malmo\"?",
        f"::error file=content/activities/ljus.md,line={start},title=start::datumet '2027-02-30' finns inte i "
        "kalendern",
    ]


def test_a_valid_site_gives_no_annotations(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["check", "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert "::" not in out and "Inga fel i innehållet" in out


def test_check_format_json_gives_the_problems_as_data(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content("broken")
    assert main(["check", "--format", "json"]) == 1
    out = capsys.readouterr().out
    document = json.loads(out)  # stdout holds the document and nothing else
    assert document["version"] == 1
    problems = document["problems"]
    assert document["errors"] == sum(1 for p in problems if p["severity"] == "error") > 20
    assert document["warnings"] == sum(1 for p in problems if p["severity"] == "warning") >= 1
    assert set(problems[0]) == {"path", "line", "key", "severity", "message", "suggestion"}
    typo = next(p for p in problems if p["path"].endswith("stavfel.md") and p["key"] == "type")
    assert typo == {"path": "content/activities/stavfel.md", "line": 5, "key": "type", "severity": "error",
                    "message": "okänt värde 'kurss', förväntade ett id ur types i vocabularies.yml – menade du "
                               "\"kurs\"?", "suggestion": "kurs"}
    whole_file = next(p for p in problems if p["path"].endswith("arkiv.md"))
    assert whole_file["line"] is None and whole_file["key"] is None and whole_file["suggestion"] is None
    # the same problems as the text format, in the same order
    as_text = [str(Problem(p["path"], p["line"] or 0, p["key"] or "", p["message"], p["severity"])) for p in problems]
    main(["check"])
    assert as_text == capsys.readouterr().err.splitlines()[:-1]  # (the text format ends with the count)


def test_suggestions_are_data_for_keys_values_and_references(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content("broken")
    main(["check", "--format", "json"])
    suggested = [(p["line"], p["key"], p["suggestion"]) for p in json.loads(capsys.readouterr().out)["problems"]
                 if p["path"].endswith("stavfel.md")]
    assert suggested == [(4, "typ", "type"), (5, "type", "kurs"), (6, "professions", "skadespelare"),
                         (6, "professions", None), (8, "city", "malmo"), (10, "end", None), (11, "venue", "scenhuset"),
                         (12, "organisers", "kulturkraft-syd")]


def test_json_of_no_problems_and_the_text_default(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"version": 1, "errors": 0, "warnings": 0, "problems": []}
    make_content("broken")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/activities/fel-datum.md:8: start: förväntade datum och tid som 2027-03-14 18:00, fick '14 mars'" \
        in err.splitlines()


def test_as_json_keeps_swedish_letters_readable() -> None:
    text = as_json([Problem("content/a.md", 1, "city", "okänt värde 'malmö'", suggestion="malmo")])
    assert "okänt värde 'malmö'" in text


def test_check_format_gitlab_is_a_code_quality_report(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    """What a GitLab merge request lists: each problem with its file and line (errors major, warnings minor)."""
    make_content("broken")
    assert main(["check", "--format", "gitlab"]) == 1
    report = json.loads(capsys.readouterr().out)
    date = next(r for r in report if r["location"]["path"].endswith("fel-datum.md"))
    assert date["location"] == {"path": "content/activities/fel-datum.md", "lines": {"begin": 8}}
    assert date["description"] == "start: förväntade datum och tid som 2027-03-14 18:00, fick '14 mars'"
    assert date["check_name"] == "start" and date["severity"] == "major"
    assert {r["severity"] for r in report} == {"major", "minor"}
    assert len({r["fingerprint"] for r in report}) == len(report)  # GitLab tells findings apart by these
    whole_file = next(r for r in report if r["location"]["path"].endswith("arkiv.md"))
    assert whole_file["location"]["lines"] == {"begin": 1} and whole_file["check_name"] == "kkssite"


def test_the_annotations_quoted_in_the_editors_guide_are_real(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    guide = (Path(__file__).resolve().parent.parent / "content" / "README.md").read_text(encoding="utf-8")
    quoted = [line for line in guide.splitlines() if line.startswith(("::error ", "::warning "))]
    assert quoted, "the guide shows no annotation"
    make_content("broken")
    main(["check", "--format", "github"])
    assert set(quoted) <= set(capsys.readouterr().out.splitlines())
