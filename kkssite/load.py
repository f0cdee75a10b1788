"""Stage 1, load: content files → raw records (strings with line numbers), plus read problems.

Front matter is split with python-frontmatter and parsed with a YAML loader that keeps every scalar a string
(no YAML 1.1 surprises: `18:00` stays "18:00", `no` stays "no"), records the line of every key and list item,
refuses tags such as `!!python/object` and reports duplicate keys. Typing is the next stage's job.

Every file is listed and read through files.py: only files inside the content folder, regular files, within
their size limits; anything else is a problem with its path, found without opening it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import ERROR, WARNING, Problems, display_path
from .files import TEXT_LIMIT, Entry, Folder, Refusal, Refused, read
from .i18n import N_, _, editor

#: Content kinds: folder under content/ → kind name used by the schemas.
KINDS: dict[str, str] = {
    "activities": "activity",
    "venues": "venue",
    "organisations": "organisation",
    "needs": "need",
    "pages": "page",
}
#: Folders under content/ whose files are published as they are (when something references them).
ASSET_FOLDERS = ("images", "materials")

_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
_FM = YAMLHandler()


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers the (1-based, file-relative) line of itself and of each key."""

    line: int
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


def empty_fields(line: int = 0) -> LineDict:
    """Front matter with no keys (an empty block, or a file that could not be read)."""
    empty = LineDict()
    empty.line, empty.lines = line, {}
    return empty


class LineList(list[Any]):
    """A YAML sequence that remembers the line of itself and of each item."""

    line: int
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class Unfilled(str):
    """The value of a key written with nothing after its colon (`start:`), as `kkssite new` writes the keys left to
    fill in: an empty text that is known to be unfilled, unlike `start: ""` (how a web editor writes a field it
    cleared). fields.apply_schema tells the two apart."""

    __slots__ = ()


UNFILLED = Unfilled("")


class YamlProblem(Exception):
    """A YAML construct that kkssite refuses (a tag, a duplicate key, a non-string key)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_Base: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class LineLoader(_Base):  # type: ignore[misc]  # libyaml's loader when it is installed, else PyYAML's own
    """BaseLoader (all scalars are strings) that records lines and refuses tags and duplicate keys."""

    offset = 0  # lines before the YAML text in its file

    def _check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                node.start_mark.line + 1 + self.offset,
                _("the YAML tag {tag} is not allowed; write the value as plain text",
                  tag=node.tag.replace("tag:yaml.org,2002:", "!!")),
            )

    def construct_scalar(self, node: yaml.ScalarNode) -> str:
        self._check_tag(node)
        if not node.value and not node.style:  # `start:` (plain, nothing after the colon), not `start: ""`
            return UNFILLED
        return str(node.value)

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        self._check_tag(node)
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + self.offset
        result.lines = [child.start_mark.line + 1 + self.offset for child in node.value]
        return result

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self._check_tag(node)
        result = LineDict()
        result.line = node.start_mark.line + 1 + self.offset
        result.lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + self.offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(line, _("a key must be a simple word, such as title or start"))
            key = self.construct_scalar(key_node)
            if key in result:
                raise YamlProblem(line, _("the key {key} is there twice (the first on line {line})", key=key,
                                          line=result.lines[key]))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:str", LineLoader.construct_scalar)
LineLoader.add_constructor(None, LineLoader.construct_scalar)


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One content file as read: its kind, slug, front matter (strings with lines) and Markdown body."""

    kind: str
    slug: str
    path: str  # as shown to editors, e.g. content/activities/x.md
    fields: LineDict
    body: str
    body_line: int
    digest: str


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found by the scan: its kind, where it is, how to show its path, and the file it is (a
    link's target; checked to be inside the content folder)."""

    kind: str
    where: str  # the file's path as found (os.fspath; see `file`)
    path: str
    real: str
    rel: str  # relative to the content folder, with /: activities/2027/x.md

    @property
    def file(self) -> Path:
        return Path(self.where)

    @property
    def slug(self) -> str:
        return os.path.splitext(os.path.basename(self.where))[0]


@dataclass(frozen=True, slots=True)
class RawContent:
    """The settings files read and every content file found, before validation.

    Markdown files are only listed here; each is read by `read_doc` when (and only when) it must be parsed,
    so an unchanged file can be taken from the build cache without being read at all.
    """

    root: Path
    site: LineDict | None
    vocabularies: LineDict | None
    site_path: str
    vocabularies_path: str
    settings_digest: str  # of site.yml and vocabularies.yml: what typing every file depends on
    files: tuple[SourceFile, ...]
    assets: tuple[Entry, ...]  # the usable files of the asset folders (rel: content-relative, images/x.jpg)
    refused_assets: frozenset[str]  # content-relative paths of the asset folders' files that were refused


def parse_yaml(text: str, path: str, problems: Problems, offset: int = 0) -> LineDict | None:
    """Parse YAML text into a LineDict; report syntax errors and refused constructs with their line."""
    loader = LineLoader(text)
    loader.offset = offset
    try:
        data = loader.get_single_data()
    except YamlProblem as exc:
        problems.add(path, exc.line, "", exc.message)
        return None
    except yaml.MarkedYAMLError as exc:
        tab = _tab_line(text, exc.problem_mark)
        if tab is not None:  # the parser's context may be the line before; the tab is where the problem is
            problems.add(path, tab + 1 + offset, "", _("the YAML syntax cannot be read: {hint}",
                                                       hint=editor.gettext(_TAB_HINT)))
            return None
        mark = exc.context_mark or exc.problem_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        problems.add(path, line, "", _("the YAML syntax cannot be read: {hint}", hint=_yaml_hint(exc.problem or "")))
        return None
    except yaml.YAMLError as exc:
        problems.add(path, offset + 1, "", _("the YAML syntax cannot be read ({error})", error=exc))
        return None
    finally:
        loader.dispose()
    if data is None:
        return empty_fields(offset + 1)
    if not isinstance(data, LineDict):
        problems.add(path, offset + 1, "", _("expected keys with values (key: value), not a list or a text"))
        return None
    return data


_TAB_HINT = N_("the line is indented with a tab character; indent with spaces instead (two for each level, and one "
              "after a -)")
#: Line breaks as YAML counts them (the marks' line numbers), unlike str.splitlines, which knows more.
_YAML_LINES = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _tab_line(text: str, mark: yaml.Mark | None) -> int | None:
    """The (0-based) line of a YAML error when the problem is a tab in the indentation: at the mark, or in the
    whitespace that starts the mark's line (a tab before a key, before a list item's -, or after it)."""
    if mark is None:
        return None
    lines = _YAML_LINES.split(text)
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indentation = line[: len(line) - len(line.lstrip(" \t-"))]
    if "\t" in indentation or line[mark.column: mark.column + 1] == "\t":
        return int(mark.line)
    return None


_YAML_HINTS = {  # problem texts of PyYAML's Python and C (libyaml) parsers → msgids of the hints
    "did not find expected ',' or ']'": N_("a list that starts with [ is never closed with ]"),
    "did not find expected ',' or '}'": N_("a {…} is never closed with }"),
    "mapping values are not allowed": N_('a colon in the wrong place; put quotation marks around text that contains '
                                         'a colon, such as title: "Ljus: grundkurs", and check the indentation'),
    "could not find expected ':'": N_("a line has no colon after the key"),
    "found character '\\t' that cannot start any token": _TAB_HINT,
    "found a tab character": _TAB_HINT,
    "found character that cannot start any token": N_("a character that may not start a value (a tab, @ or `); use "
                                                      "spaces for indentation and quotation marks around the value"),
    "found unexpected end of stream": N_("a quotation mark is never closed"),
    "found undefined alias": N_("a * at the start of a value; put quotation marks around the value"),
    "expected alphabetic or numeric character, but found": N_("a * or & at the start of a value; put quotation "
                                                              "marks around the value"),
    "did not find expected '-' indicator": N_("a list (lines that start with -) and keys are mixed on the same "
                                              "level; check the indentation"),
    "did not find expected key": N_("a line has the wrong indentation; keys on the same level must start in the "
                                    "same column"),
}


def _yaml_hint(problem: str) -> str:
    """PyYAML's English problem text → a hint for editors in their language (the original kept for unknown ones)."""
    for known, hint in _YAML_HINTS.items():
        if problem.startswith(known):
            return editor.gettext(hint)
    return _("{problem}; check colons, quotation marks and indentation", problem=problem or _("unknown error"))


def read_text(file: Path | str, path: str, problems: Problems, limit: int = TEXT_LIMIT,
              setting: str | None = None) -> tuple[str, bytes] | None:
    """Read a (checked) file bounded (files.read) as UTF-8; report other encodings with the line of the first bad
    byte."""
    try:
        data = read(str(file), limit, setting)
    except Refused as refused:
        problems.add(path, 0, "", refused.message)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(path, line, "", _("the file is not saved as UTF-8 (save it again as UTF-8 in your editor)"))
        return None
    return text.removeprefix("\ufeff"), data


def read_doc(file: Path, kind: str, problems: Problems, path: str | None = None, limit: int = TEXT_LIMIT,
             setting: str | None = None, real: str | None = None) -> RawDoc | None:
    """Read one Markdown file with front matter (`real`: the file it is, as the walk checked it), bounded by
    `limit` bytes (`setting` names the site.yml key of the limit)."""
    path = path or display_path(file)
    read = read_text(real or file, path, problems, limit, setting)
    if read is None:
        return None
    text, data = read
    if not _FM.detect(text):
        problems.add(path, 1, "", _("the file has no front matter: the first line must be --- and the keys end "
                                    "with a line ---"))
        return None
    try:
        front, body = _FM.split(text)
    except ValueError:
        problems.add(path, 1, "", _("the front matter never ends: add a line with --- after the keys"))
        return None
    offset = text[: text.index(front)].count("\n") if front else 1
    fields = parse_yaml(front, path, problems, offset)
    if fields is None:
        return None
    body_line = offset + front.count("\n") + 2
    digest = hashlib.sha256(data).hexdigest()
    return RawDoc(kind, file.stem, path, fields, body, body_line, digest)


def load(root: Path, problems: Problems) -> RawContent:
    """Read site.yml and vocabularies.yml and list every Markdown file of each content kind, in sorted order,
    and every file of the asset folders: only what lies inside `root` and is a regular file (files.py); what
    is not is reported with its path, without being opened."""
    if not root.is_dir():
        problems.add(display_path(root), 0, "", _("the content folder does not exist"))
        return RawContent(root, None, None, "", "", "", (), (), frozenset())
    shown = display_path(root)  # once: resolving every path of a large site is slow
    folder = Folder(root, f"{shown}/")
    digest = hashlib.sha256()
    site = _load_data_file(folder, root / "site.yml", problems, digest)
    vocabularies = _load_data_file(folder, root / "vocabularies.yml", problems, digest)

    def report(refusals: list[Refusal]) -> None:
        for refusal in refusals:
            problems.add(f"{shown}/{refusal.rel}", 0, "", refusal.message,
                         WARNING if refusal.warning else ERROR)

    files: list[SourceFile] = []
    for name, kind in KINDS.items():
        base = root / name
        if not base.is_dir():
            continue
        entries, refused = folder.walk(base)
        report(refused)
        for entry in sorted(entries, key=lambda e: e.rel.split("/")):
            path = f"{shown}/{entry.rel}"
            if not entry.where.endswith(".md"):  # (hidden names, such as ".md", were never listed)
                problems.warn(path, 0, "", _("the file is skipped: only .md files are read here"))
                continue
            files.append(SourceFile(kind, entry.where, path, entry.real, entry.rel))
    assets: list[Entry] = []
    refused_assets: set[str] = set()
    for name in ASSET_FOLDERS:
        if (root / name).is_dir() or (root / name).is_symlink():
            entries, refused = folder.walk(root / name)
            report(refused)
            assets += entries
            refused_assets.update(r.rel for r in refused)
    return RawContent(root, site, vocabularies, display_path(root / "site.yml"),
                      display_path(root / "vocabularies.yml"), digest.hexdigest(), tuple(files),
                      tuple(sorted(assets, key=lambda e: e.rel.split("/"))), frozenset(refused_assets))


def _load_data_file(folder: Folder, file: Path, problems: Problems, digest: Any) -> LineDict | None:
    """site.yml or vocabularies.yml, read under the default limit (site.yml's own limits are not known yet)."""
    path = display_path(file)
    try:
        entry = folder.check(file, TEXT_LIMIT)
    except FileNotFoundError:
        problems.add(path, 0, "", _("the file is missing"))
        return None
    except Refused as refused:
        problems.add(path, 0, "", refused.message)
        return None
    read = read_text(entry.real, path, problems)
    if read is None:
        return None
    digest.update(read[1])
    return parse_yaml(read[0], path, problems)
