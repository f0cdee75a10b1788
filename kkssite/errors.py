"""Content problems as values: where, which key, what was expected — plus "did you mean" suggestions.

Every stage appends `Problem`s to a `Problems` collector instead of raising, so that one build reports every
mistake in the content at once. Only the CLI prints them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .i18n import _, ngettext

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One mistake (or warning) in the content, printed as `path:line: key: message`."""

    path: str
    line: int
    key: str
    message: str  # in the editors' language, with the suggestion worded in it (" – menade du "kurs"?")
    severity: str = ERROR
    suggestion: str = ""  # the value or key suggested for a typo, as data ("kurs"), or ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{self.key}: {self.message}" if self.key else self.message
        if self.severity == WARNING:
            text = _("warning: {problem}", problem=text)
        return f"{where}: {text}"


class Problems:
    """Collects problems from every stage; sorted by file and line when read."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, path: str, line: int, key: str, message: str, severity: str = ERROR, suggestion: str = "") -> None:
        self._items.append(Problem(path, line, key, message, severity, suggestion))

    def warn(self, path: str, line: int, key: str, message: str) -> None:
        self.add(path, line, key, message, WARNING)

    def extend(self, other: Iterable[Problem]) -> None:
        self._items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self._items if p.severity == ERROR})

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self._items if p.severity == WARNING})

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self._items)))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return any(p.severity == ERROR for p in self._items)


class ContentError(Exception):
    """Raised by the build when the content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(ngettext("{n} error in the content", "{n} errors in the content", len(problems)))
        self.problems = problems


class UsageError(Exception):
    """A command-line value is wrong (an unreadable --now, say)."""


class ThemeError(Exception):
    """A template in the theme is broken (syntax error, unknown variable): a developer's mistake."""


def fold(text: str) -> str:
    """Lower-case ASCII form used to compare an editor's spelling with slugs ("Skådespelare" → "skadespelare")."""
    from .text import without_accents  # text.py loads Markdown, which a build with nothing to do never needs

    return without_accents(text.strip()).replace(" ", "-")


class Hint(str):
    """The words of a suggestion (' – menade du "kurs"?', or '') that also carry the suggested value, so that
    whoever reports the problem can give it as data too (`Problem.suggestion`)."""

    suggestion: str

    def __new__(cls, text: str, suggestion: str = "") -> Hint:
        hint = super().__new__(cls, text)
        hint.suggestion = suggestion
        return hint


def did_you_mean(value: str, known: Iterable[str], names: dict[str, str] | None = None) -> Hint:
    """Return ' – did you mean "x"?' (in the editors' language) for the closest known slug (also matching the
    Swedish names of terms), or ''. Messages end with it: `_("unknown key{hint}", hint=did_you_mean(…))`; the
    suggested slug itself is the hint's `suggestion`."""
    known = list(known)
    folded = fold(value)
    suggestion = None
    if names:
        suggestion = next((slug for slug, name in names.items() if fold(name) == folded), None)
    if suggestion is None and folded in known and folded != value:
        suggestion = folded
    if suggestion is None:
        close = difflib.get_close_matches(folded, known, n=1, cutoff=0.6)
        suggestion = close[0] if close else None
    if suggestion is None:
        return Hint("")
    return Hint(_(' – did you mean "{suggestion}"?', suggestion=suggestion), suggestion)


def display_path(path: Path) -> str:
    """Show a content path relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()
