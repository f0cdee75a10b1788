"""cli: exit codes, Swedish summaries, problems without tracebacks, `kkssite new`."""

import subprocess
import sys
from pathlib import Path

import pytest

from kkssite.cli import main


def test_build_prints_a_summary(make_content, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["build", "--now", "2026-11-27T12:00"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Klart: 3 aktiviteter, ") and "→ output/" in out
    assert (tmp_path / "output" / "index.html").is_file()


def test_content_errors_exit_1_without_traceback(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content("broken")
    assert main(["build", "--now", "2026-11-27"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "content/activities/fel-datum.md:8: start: förväntade datum och tid som 2027-03-14 18:00, fick '14 mars'" in err
    assert err.rstrip().endswith("33 fel och 2 varningar – inget skrevs; rätta felen och bygg igen.")
    assert not Path("output").exists()


def test_the_command_ends_with_its_output_flushed_and_its_exit_code(make_content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`kkssite` (python -m kkssite) ends without tearing the interpreter down (cli.run): what it printed is all
    there, in order, and its exit code is the command's."""
    make_content()
    command = [sys.executable, "-m", "kkssite", "build", "--now", "2026-11-27T12:00"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and done.stdout.startswith("Klart: 3 aktiviteter, "), done.stderr
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0 and again.stdout.startswith("Aktuellt: ingenting har ändrats sedan förra bygget; "
                                                           "output/ har 3 aktiviteter, "), again.stdout
    (tmp_path / "content" / "site.yml").write_text("title: [\n", encoding="utf-8")
    broken = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert broken.returncode == 1 and "content/site.yml:" in broken.stderr and "Traceback" not in broken.stderr
    assert broken.stderr.rstrip().endswith("rätta felen och bygg igen."), broken.stderr


def test_check_validates_only(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["check"]) == 0
    assert "Inga fel i innehållet: aktiviteter 3" in capsys.readouterr().out
    assert not Path("output").exists()


def test_bad_now_is_a_usage_error(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["build", "--now", "imorgon"]) == 2
    assert "--now: förväntade datum och tid" in capsys.readouterr().err


def test_new_writes_a_valid_draft_with_uid_and_published(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert main(["new", "Ljus & scen för nybörjare", "--now", "2026-11-27T10:00"]) == 0
    file = content / "activities" / "ljus-scen-for-nyborjare.md"
    text = file.read_text(encoding="utf-8")
    assert "published: 2026-11-27" in text and "draft: true" in text and "@example.org" in text
    assert main(["check", "--drafts"]) == 0  # the new file validates as it is
    assert main(["new", "Ljus & scen för nybörjare"]) == 2  # never overwrites
    assert "finns redan" in capsys.readouterr().err


def test_new_gives_fresh_uids(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    main(["new", "Första"])
    main(["new", "Andra"])
    uids = {line for f in (content / "activities").glob("*.md")
            for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("uid:")}
    assert len(uids) == 6  # the fixture's four (one a draft) and two new, distinct ones


@pytest.mark.parametrize("command", ["build", "check", "new", "serve"])
def test_every_command_has_swedish_help(command: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: kkssite" in capsys.readouterr().out


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere() -> None:
    import io

    from kkssite.progress import Progress

    tty, plain = io.StringIO(), io.StringIO()
    for stream, is_tty in ((tty, True), (plain, False)):
        progress = Progress(stream, tty=is_tty)
        progress.stage("Skriver sidor", 1000)
        for _ in range(1000):
            progress.advance()
        progress.stage("Liten", 3)  # small stages stay silent
        progress.advance(3)
        progress.done()
    assert "\rSkriver sidor ██████████████████████████████ 1000/1000" in tty.getvalue()
    assert plain.getvalue() == "Skriver sidor: 1000\n"


def test_the_summaries_count_in_the_singular_and_the_plural(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import kkssite.cli
    from kkssite.build import BuildResult
    from kkssite.errors import Problem
    from kkssite.write import WriteStats

    def result(n: int, warnings: int = 0) -> BuildResult:
        return BuildResult(activities=n, pages=n, feeds=n, files=n, rendered=n, parsed=n, stats=WriteStats(n, 0),
                           warnings=(Problem("a.md", 1, "uid", "saknas", "warning"),) * warnings,
                           timings={"render": 1.234})

    for n, warnings in ((1, 0), (2, 0)):
        monkeypatch.setattr(kkssite.cli, "build", lambda options, progress, n=n, w=warnings: result(n, w))
        assert main(["build", "--now", "2026-11-27"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["Klart: 1 aktivitet, 1 sida, 1 flöde på 1,23 s → output/ (1 ny eller ändrad fil)",
                   "Klart: 2 aktiviteter, 2 sidor, 2 flöden på 1,23 s → output/ (2 nya eller ändrade filer)"]
    kkssite.cli._print_problems([Problem("a.md", 1, "x", "fel")] + [Problem("a.md", 2, "uid", "saknas", "warning")] * 2,
                                building=False)
    assert capsys.readouterr().err.splitlines()[-1] == "1 fel och 2 varningar – rätta felen och kontrollera igen."
