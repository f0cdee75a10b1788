"""Every file the build reads or publishes, checked before it is opened and read bounded.

A `Folder` is a root that files must stay inside: the content folder, or the theme. Whatever reads a file of it
(the content files, site.yml and vocabularies.yml, images, the theme's templates and static files) goes through
`Folder.walk` (listing a folder) or `Folder.check` (one path), then `read`:

- the file must resolve inside the root: a symbolic link is followed only when its target is inside too; a link
  whose target is outside (`/etc/hostname`, `/proc/self/environ`, `../../secret`) is refused, naming both;
- it must be a regular file: a named pipe (FIFO), a socket or a device is refused from `lstat`/`stat` alone,
  without opening it, so nothing can make a build wait forever or read without end;
- it must be within its size limit (`Limits`), checked before it is opened, and the read itself never takes
  more than the limit, even from a file that grows while it is read.

Linked folders are not followed by the walk (a warning says so; one that points outside is refused). A refused
file is a `Refused` with the editors' message; the caller reports it with the file's path (a content problem)
or raises it as a theme error.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .i18n import _, editor

MB = 1_000_000
#: Default limits: a Markdown or YAML file (content, site.yml, vocabularies.yml, a template), and a file that is
#: published as it is (an image, a theme's static file). site.yml may change the content's (`limits:`).
TEXT_LIMIT = 2 * MB
ASSET_LIMIT = 20 * MB
_CHUNK = 1 << 20
_OPEN_FLAGS = (os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0))


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest files a build reads, in bytes; `*_setting` names the site.yml key that changes it."""

    text: int = TEXT_LIMIT
    asset: int = ASSET_LIMIT
    text_setting: str | None = "limits.text_mb"
    asset_setting: str | None = "limits.asset_mb"


#: The theme's limits: the defaults, not configurable in site.yml (the theme is not content).
THEME_LIMITS = Limits(text_setting=None, asset_setting=None)


class Refused(Exception):
    """A file the build may not read; the message says why, in the editors' language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Entry:
    """A file found inside a folder: where it was found, its path relative to the root, and the file it is (a
    link's target), checked to be inside the root."""

    where: str  # the path it was found at (a string: a Path for each of 10,000 files costs a tenth of a second)
    rel: str  # relative to the root, with /
    real: str  # the resolved file, inside the root

    @property
    def path(self) -> Path:
        return Path(self.where)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Something `Folder.walk` found and will not use: an error, or (a linked folder inside) a warning."""

    rel: str
    message: str
    warning: bool = False


def megabytes(size: int) -> str:
    """A size in MB as editors write numbers, rounded up to a tenth (so 2.01 MB is never shown as the 2 MB
    it is over): 2,1."""
    from babel.numbers import format_decimal  # (here: only a message needs it)

    return format_decimal(math.ceil(size * 10 / MB) / 10, format="0.#", locale=editor.locale)


def too_large(size: int, limit: int, setting: str | None) -> Refused:
    if setting is None:
        return Refused(_("the file is {size} MB, over the limit of {limit} MB", size=megabytes(size),
                         limit=megabytes(limit)))
    return Refused(_("the file is {size} MB, over the limit of {limit} MB (the limit is set with {setting} in "
                     "site.yml)", size=megabytes(size), limit=megabytes(limit), setting=setting))


def _not_regular(mode: int) -> Refused:
    """The refusal of a file that is not a regular file (a pipe, a socket, a device)."""
    if stat.S_ISFIFO(mode):
        return Refused(_("the file is a named pipe (FIFO), not an ordinary file; remove it"))
    if stat.S_ISSOCK(mode):
        return Refused(_("the file is a socket, not an ordinary file; remove it"))
    if stat.S_ISDIR(mode):
        return Refused(_("this is a folder, not a file"))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Refused(_("the file is a device, not an ordinary file; remove it"))
    return Refused(_("the file is not an ordinary file; remove it"))


def shown_target(link: str, real: str) -> str:
    """A link's target as messages name it: as the link says when that is an absolute path (/etc/hostname,
    /proc/self/environ), else the file it resolves to, relative to the working folder when it is below it."""
    try:
        written = os.readlink(link)
    except OSError:
        written = ""
    if os.path.isabs(written):
        return written
    here = os.getcwd()
    return os.path.relpath(real, here) if real.startswith(here.rstrip(os.sep) + os.sep) else real


def _unreadable(exc: OSError) -> Refused:
    return Refused(_("the file cannot be read ({reason}); check that it exists and that you have permission to "
                     "read it", reason=exc.strerror or exc))


class Folder:
    """A root folder (content/, a theme) that every file read from it must stay inside; `shown` is how messages
    name it ("content/")."""

    def __init__(self, root: Path, shown: str | None = None) -> None:
        self.root = root
        self.real = os.path.realpath(root)
        self.shown = shown or f"{root.as_posix().rstrip('/')}/"

    def inside(self, real: str) -> bool:
        """Whether a resolved path is the root or below it."""
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)

    def _outside(self, link: str, real: str, folder: bool = False) -> Refused:
        target = shown_target(link, real)
        if folder:
            return Refused(_("the folder is a link to {target}, outside {folder}; only files inside {folder} are "
                             "used – copy the files into the folder instead of linking to them", target=target,
                             folder=self.shown))
        return Refused(_("the file is a link to {target}, outside {folder}; only files inside {folder} are used – "
                         "copy the file into the folder instead of linking to it", target=target,
                         folder=self.shown))

    def check(self, file: Path, limit: int | None = None, setting: str | None = None) -> Entry:
        """Check one file without opening it: inside the root (through any link), a regular file, within `limit`
        bytes. Raises Refused, or FileNotFoundError when there is nothing at the path at all."""
        st = os.lstat(file)  # FileNotFoundError: the caller says what is missing
        real = os.path.realpath(file)
        if not self.inside(real):
            raise self._outside(str(file), real, folder=os.path.isdir(file))
        if stat.S_ISLNK(st.st_mode) or real != os.path.abspath(file):
            try:
                st = os.stat(real)
            except FileNotFoundError:
                raise Refused(_("the file is a link to {target}, which does not exist",
                                target=shown_target(str(file), real))) from None
            except OSError as exc:
                raise _unreadable(exc) from None
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode)
        if limit is not None and st.st_size > limit:
            raise too_large(st.st_size, limit, setting)
        return Entry(os.fspath(file), self.rel(file), real)

    def rel(self, path: Path) -> str:
        """A path below the root as relative to it, with / (a link's own path, not its target's)."""
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.root)).replace(os.sep, "/")

    def read(self, file: Path, limit: int, setting: str | None = None) -> bytes:
        """`check`, then `read` the file."""
        return read(self.check(file, limit, setting).real, limit, setting)

    def walk(self, base: Path) -> tuple[list[Entry], list[Refusal]]:
        """Every file below `base` (a folder inside the root), hidden names skipped, linked folders not followed:
        the usable files (regular, or links to regular files inside the root) and what was refused. Nothing is
        opened; an entry's `rel` is its path relative to the root (a link's own path, not its target's)."""
        entries: list[Entry] = []
        refused: list[Refusal] = []
        base_rel = self.rel(base)
        real_base = os.path.realpath(base)
        if not self.inside(real_base):
            return entries, [Refusal(base_rel, self._outside(str(base), real_base, folder=True).message)]
        stack = [(str(base), os.path.join(real_base, ""), "" if base_rel == "." else f"{base_rel}/")]
        while stack:
            folder, real_folder, prefix = stack.pop()  # real_folder ends with a separator
            try:
                with os.scandir(folder) as found:
                    items = sorted(found, key=lambda e: e.name)
            except OSError as exc:
                refused.append(Refusal(prefix.rstrip("/"), _unreadable(exc).message))
                continue
            for item in items:
                if item.name.startswith("."):
                    continue
                rel = prefix + item.name
                try:
                    if item.is_symlink():
                        entry = self._link(item, rel, refused)
                        if entry is not None:
                            entries.append(entry)
                    elif item.is_dir(follow_symlinks=False):
                        stack.append((item.path, real_folder + item.name + os.sep, f"{rel}/"))
                    elif item.is_file(follow_symlinks=False):  # (+ rather than os.path.join: 10,000 files)
                        entries.append(Entry(item.path, rel, real_folder + item.name))
                    else:
                        refused.append(Refusal(rel, _not_regular(item.stat(follow_symlinks=False).st_mode).message))
                except OSError as exc:  # removed while we looked, or unreadable
                    refused.append(Refusal(rel, _unreadable(exc).message))
        return entries, refused

    def _link(self, item: os.DirEntry[str], rel: str, refused: list[Refusal]) -> Entry | None:
        real = os.path.realpath(item.path)
        if not self.inside(real):
            refused.append(Refusal(rel, self._outside(item.path, real, folder=os.path.isdir(real)).message))
            return None
        try:
            st = os.stat(real)
        except FileNotFoundError:
            refused.append(Refusal(rel, _("the file is a link to {target}, which does not exist",
                                          target=shown_target(item.path, real))))
            return None
        if stat.S_ISDIR(st.st_mode):
            refused.append(Refusal(rel, _("the folder is a link (to {target}) and is skipped: links to folders are "
                                          "not followed; move the files here instead",
                                          target=shown_target(item.path, real)), warning=True))
            return None
        if not stat.S_ISREG(st.st_mode):
            refused.append(Refusal(rel, _not_regular(st.st_mode).message))
            return None
        return Entry(item.path, rel, real)


def read(real: str, limit: int, setting: str | None = None) -> bytes:
    """Read a checked file (an Entry's `real` path), bounded: never more than `limit` bytes, never blocking.

    The file is opened without following a link and without waiting (a FIFO put in its place since the check
    cannot hold the build), and checked again on the open file: a regular file, within the limit."""
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode)
        if st.st_size > limit:
            raise too_large(st.st_size, limit, setting)
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more tells a file that grew past the limit
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise too_large(len(data), limit, setting)
        return data
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
