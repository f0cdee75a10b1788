"""Stage 0, config: the options of one build (folders, `now`, drafts), resolved and checked once.

The site's own settings live in content/site.yml and are validated with the content (validate.py); this module
holds what the command line decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import UsageError
from .i18n import _

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: The theme shipped beside the package (templates/ and static/).
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a build needs besides the content itself."""

    content: Path = Path("content")
    output: Path = Path("output")
    theme: Path = DEFAULT_THEME
    now: datetime | None = None  # None: the current time, read once by the CLI
    drafts: bool = False
    workers: int = 0  # 0: one per core
    cache: Path | None = Path(".kkssite-cache")  # None: no persistent cache
    clean: bool = False  # ignore what the cache knows about the previous output


def parse_now(value: str) -> datetime:
    """`--now 2027-01-15` or `2027-01-15T12:00` or with an offset; local Stockholm time when naive."""
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise UsageError(_("--now: expected a date and time such as 2027-01-15T12:00, got {value}",
                           value=repr(value))) from None
    return moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment


def current_time() -> datetime:
    """The clock, read in exactly one place (the CLI's default for --now)."""
    return datetime.now(UTC).replace(microsecond=0)
