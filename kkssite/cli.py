"""The `kkssite` command: build, check, new, serve. The only module (with serve) that prints.

Content problems are printed one per line as `path:line: key: message`, sorted, followed by a count; the exit
code is 1 for content errors and 2 for problems with the command, the theme or the output folder. No traceback
is shown unless --debug is given.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__, report
from .build import build, check
from .config import DEFAULT_THEME, BuildOptions, current_time, parse_now
from .errors import ContentError, Problem, ThemeError, UsageError
from .i18n import _, editor, ngettext
from .progress import Progress
from .write import WriteError


def _print_problems(problems: list[Problem] | tuple[Problem, ...], *, building: bool = True) -> None:
    for line in report.text(problems):
        print(line, file=sys.stderr)
    _print_count(problems, building=building)


def _print_count(problems: list[Problem] | tuple[Problem, ...], *, building: bool) -> None:
    out = sys.stderr
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if errors:
        counted = ngettext("{n} error", "{n} errors", errors)
        if warnings:
            counted = _("{errors} and {warnings}", errors=counted,
                        warnings=ngettext("{n} warning", "{n} warnings", warnings))
        if building:
            print(_("{counted} – nothing was written; fix the errors and build again.", counted=counted), file=out)
        else:
            print(_("{counted} – fix the errors and check again.", counted=counted), file=out)


def seconds(value: float) -> str:
    """A duration in seconds as the editors write numbers (1,38)."""
    from babel.numbers import format_decimal  # (here: only a message needs it)

    return format_decimal(value, format="0.00", locale=editor.locale)


def _options(args: argparse.Namespace) -> BuildOptions:
    now = parse_now(args.now) if getattr(args, "now", None) else None
    return BuildOptions(
        content=Path(args.content), output=Path(getattr(args, "output", "output")),
        theme=Path(args.theme) if getattr(args, "theme", None) else DEFAULT_THEME,
        now=now or current_time(), drafts=getattr(args, "drafts", False),
        workers=getattr(args, "jobs", 0) or 0, clean=getattr(args, "clean", False),
    )


def cmd_build(args: argparse.Namespace) -> int:
    options = _options(args)
    result = build(options, progress=Progress())
    _print_problems(result.warnings)
    counts = {"activities": ngettext("{n} activity", "{n} activities", result.activities),
              "pages": ngettext("{n} page", "{n} pages", result.pages),
              "feeds": ngettext("{n} feed", "{n} feeds", result.feeds)}
    if result.unchanged:  # (no duration: formatting a number loads Babel's locale data, a tenth of this build)
        print(_("Up to date: nothing changed since the last build; {output}/ holds {activities}, {pages} and {feeds}",
                output=options.output, **counts))
        return 0
    print(_("Done: {activities}, {pages}, {feeds} in {seconds} s → {output}/ ({files})",
            seconds=seconds(result.seconds), output=options.output, **counts,
            files=ngettext("{n} new or changed file", "{n} new or changed files", result.stats.written)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    catalog, problems = check(_options(args))
    if args.format in ("json", "gitlab"):  # the document alone on stdout, for tools
        print(report.as_json(problems) if args.format == "json" else report.code_quality(problems))
        _print_count(list(problems), building=False)
        return 1 if catalog is None or problems else 0
    if args.format == "github":  # annotations on stdout, where the Actions runner reads workflow commands
        for line in report.github(problems):
            print(line)
        _print_count(list(problems), building=False)
    else:
        _print_problems(list(problems), building=False)
    if catalog is None or problems:
        return 1
    print(_("No errors in the content: activities {activities}, venues {venues}, organisations {organisations}, "
            "needs {needs}, pages {pages}.", activities=len(catalog.activities), venues=len(catalog.venues),
            organisations=len(catalog.organisations), needs=len(catalog.needs), pages=len(catalog.pages)))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .new import KINDS, NewError, create

    chosen = [kind for kind in KINDS.values() if kind.option and getattr(args, kind.option[2:]) is not None]
    if chosen and args.title is not None:
        raise UsageError(_("give the title after {option}, not also on its own", option=chosen[0].option))
    if args.like is not None:
        kind, title = KINDS["activity"], args.title
    elif chosen:
        kind, title = chosen[0], getattr(args, chosen[0].option[2:])
    else:
        kind, title = KINDS["activity"], args.title if args.title is not None else ""
    now = parse_now(args.now) if args.now else current_time()
    try:
        created = create(kind.name, title, Path(args.content), now, like=args.like)
    except NewError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"kkssite: {exc.message}", file=sys.stderr)
        return 1
    if created.others:
        print(_("warning: {problem}", problem=ngettext(
            "{n} other error in the content (kkssite check shows it); the new file was made all the same.",
            "{n} other errors in the content (kkssite check shows them); the new file was made all the same.",
            created.others)), file=sys.stderr)
    if kind.drafts:
        print(_("Created {file} (a draft).", file=created.path))
    else:
        print(_("Created {file}.", file=created.path))
    if created.to_fill:
        print(_("Fill in: {keys}.", keys=", ".join(created.to_fill)))
    if created.to_check:
        print(_("Check what was filled in for you: {keys}.",
                keys=", ".join(f"{key}: {value}" for key, value in created.to_check)))
    if kind.drafts:
        print(_("Preview it with make serve; it is published when you change draft: true to draft: false."))
    else:
        print(_("Open the file and check the values; kkssite check shows whether everything is right."))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(_options(args), host=args.host, port=args.port, open_browser=args.open)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kkssite", description=_("Builds the activity calendar of KulturKraft Syd."))
    main.add_argument("--version", action="version", version=f"kkssite {__version__}")
    main.add_argument("--debug", action="store_true", help=_("show the Python traceback on errors"))
    sub = main.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, output: str | None = "output") -> None:
        p.add_argument("--content", default="content", help=_("content folder (default: content)"))
        if output:
            p.add_argument("--output", default=output, help=_("output folder (default: {folder})", folder=output))
            p.add_argument("--theme", default=None, help=_("theme folder (default: theme/ in the project)"))
        p.add_argument("--now", default=None, help=_("the moment that decides what is upcoming, e.g. "
                                                     "2027-01-15T12:00"))
        p.add_argument("--drafts", action="store_true", help=_("include drafts (draft: true)"))

    p_build = sub.add_parser("build", help=_("build the website"))
    common(p_build)
    p_build.add_argument("--clean", action="store_true", help=_("build everything from scratch without the build "
                                                                "cache"))
    p_build.add_argument("--jobs", type=int, default=0, help=_("number of processes (default: one per core)"))
    p_build.set_defaults(func=cmd_build)
    p_check = sub.add_parser("check", help=_("check the content without building"))
    common(p_check, output=None)
    p_check.add_argument("--format", choices=report.FORMATS, default="text",
                         help=_("how problems are printed: text (default), github (annotations in GitHub Actions), "
                                "gitlab (a Code Quality report for GitLab CI) or json"))
    p_check.set_defaults(func=cmd_check)
    p_new = sub.add_parser("new", help=_("create a new activity (a draft), need, venue, organisation or page"))
    p_new.add_argument("title", nargs="?", metavar=_("TITLE"),
                       help=_('the title of the new activity, e.g. "Lighting design for the stage"; with --like, a '
                              'new title (default: the same)'))
    kinds = p_new.add_mutually_exclusive_group()
    kinds.add_argument("--need", metavar=_("TITLE"), help=_("create a need (content/needs/)"))
    kinds.add_argument("--venue", metavar=_("NAME"), help=_("create a venue (content/venues/)"))
    kinds.add_argument("--organisation", metavar=_("NAME"), help=_("create an organisation (content/organisations/)"))
    kinds.add_argument("--page", metavar=_("TITLE"), help=_("create a content page (content/pages/)"))
    kinds.add_argument("--like", metavar=_("ACTIVITY"), help=_("create the next run of an activity (its file name "
                                                              "without .md): the same keys and text, a new uid, "
                                                              "the dates to fill in"))
    p_new.add_argument("--content", default="content", help=_("content folder (default: content)"))
    p_new.add_argument("--now", default=None, help=_("today's date for published (default: today)"))
    p_new.set_defaults(func=cmd_new)
    p_serve = sub.add_parser("serve", help=_("build and preview with automatic reloading"))
    # The preview (drafts included) goes to its own folder, so an upload of output/ never publishes drafts.
    common(p_serve, output=".kkssite-preview")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--open", action="store_true", help=_("open the web browser"))
    p_serve.set_defaults(func=cmd_serve)
    return main


def main(argv: list[str] | None = None, ending: bool = False) -> int:
    """Run a command. `ending`: the process ends after it (see `run`), so a command other than serve runs
    with the cyclic garbage collector off."""
    args = parser().parse_args(argv)
    if ending and args.func is not cmd_serve:
        gc.disable()
    try:
        return int(args.func(args))
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    except (ThemeError, WriteError, UsageError) as exc:
        if args.debug:
            raise
        print(f"kkssite: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run() -> NoReturn:
    """The `kkssite` command (and `python -m kkssite`): `main`, then exit without tearing the interpreter down.

    A build leaves about a million objects (its site graph, the store's records). Letting the garbage collector
    walk them once more (0.2 s at 10,000 activities) and freeing them one by one at exit (0.15 s) would only keep
    the editor waiting for a process that has finished its work; like mypy, the command flushes its output and
    ends at once. Everything it opened is closed by then (the build store, the output, the worker pools)."""
    code = main(ending=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
