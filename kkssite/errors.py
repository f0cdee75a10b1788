"""Content problems as values: where, which key, what was expected — plus "did you mean" suggestions.

Every stage appends `Problem`s to a `Problems` collector instead of raising, so that one build reports every
mistake in the content at once. Only the CLI prints them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .text import without_accents

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One mistake (or warning) in the content, printed as `path:line: key: message`."""

    path: str
    line: int
    key: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "varning: " if self.severity == WARNING else ""
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {prefix}{key}{self.message}"


class Problems:
    """Collects problems from every stage; sorted by file and line when read."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, path: str, line: int, key: str, message: str, severity: str = ERROR) -> None:
        self._items.append(Problem(path, line, key, message, severity))

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
        super().__init__(f"{len(problems)} fel i innehållet")
        self.problems = problems


class UsageError(Exception):
    """A command-line value is wrong (an unreadable --now, say)."""


class ThemeError(Exception):
    """A template in the theme is broken (syntax error, unknown variable): a developer's mistake."""


def fold(text: str) -> str:
    """Lower-case ASCII form used to compare an editor's spelling with slugs ("Skådespelare" → "skadespelare")."""
    return without_accents(text.strip()).replace(" ", "-")


def did_you_mean(value: str, known: Iterable[str], names: dict[str, str] | None = None) -> str:
    """Return ' – menade du "x"?' for the closest known slug (also matching Swedish names), or ''."""
    known = list(known)
    folded = fold(value)
    if names:
        for slug, name in names.items():
            if fold(name) == folded:
                return f' – menade du "{slug}"?'
    if folded in known and folded != value:
        return f' – menade du "{folded}"?'
    close = difflib.get_close_matches(folded, known, n=1, cutoff=0.6)
    return f' – menade du "{close[0]}"?' if close else ""


def display_path(path: Path) -> str:
    """Show a content path relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()
