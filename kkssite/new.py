"""`kkssite new`: the file an editor starts from, for every kind of content, generated from the schemas.

What a new file holds follows from kkssite/fields.py alone. Every key of the kind's schema is written, in the
schema's order, under its description (`Field.description()`) and, for a vocabulary key, the valid ids from
vocabularies.yml, as comments:

- a key marked with `New` gets its value from the command: the title, a fresh uid, today's date, `draft: true`;
- a required key, or one marked `New.ASK`, is written to fill in: empty in an activity (a draft may hold empty
  values; `kkssite check` names each one and the draft stays out of the site until they are filled in), and
  with a valid first value (the first city, `alla`, today) in the kinds that have no drafts;
- every other key is a commented-out line (`#level:`) that the editor may take into use.

So a key added to a schema appears in what `new` writes with no other change. `--like` starts from an existing
activity instead: its keys are copied, emptied (last time's value in a comment) or left out as each field's
`Again` says, with a fresh uid, today's `published` and `draft: true`, and the same body.

Before anything is written, the new file is validated together with the content exactly as `kkssite check
--drafts` will validate it: it must have no error of its own (a unique name and uid, references that exist).
The other files' errors are counted for a warning, never a reason to refuse. Nothing here prints; the CLI does.
"""

from __future__ import annotations

import json
import os
import tempfile
import textwrap
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem, Problems, UsageError, did_you_mean, display_path
from .fields import (
    SCHEMAS,
    Again,
    Bool,
    Choice,
    DateField,
    Field,
    Integer,
    Moment,
    Nested,
    New,
    Schema,
    SubList,
    TermList,
    TermRef,
    Vocabulary,
)
from .i18n import N_, Language, _, editor
from .load import KINDS as FOLDERS
from .load import LineDict, LineList, RawContent, RawDoc, SourceFile, load, read_doc
from .model import Vocabularies
from .routes import reserved_segments
from .text import slugify
from .validate import Settings, TypedDoc, link, type_file, validate_settings

#: Comment lines are wrapped to this width.
WIDTH = 100
#: The column at which the comment after a key of a block starts.
COMMENT_COLUMN = 24
#: The keys whose value the command itself gives (the rest follow the schema's `required` and `Again`).
FILLED = (New.TITLE, New.UID, New.TODAY, New.DRAFT)


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of content file `new` makes: its schema, its folder and option, and its texts (msgids)."""

    name: str  # the schema's name in fields.SCHEMAS
    option: str  # on the command line ("" for an activity, the default)
    noun: str  # a file name when the title has no letter to make one of
    example: str  # the command with an example title
    body: str  # the body text the new file starts with

    @property
    def folder(self) -> str:
        return next(folder for folder, kind in FOLDERS.items() if kind == self.name)

    @property
    def drafts(self) -> bool:
        """Whether files of this kind may be drafts, and so hold empty values to fill in."""
        return any(f.new is New.DRAFT for f in SCHEMAS[self.name].values())


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("activity", "", N_("activity"), N_('kkssite new "Lighting design for the stage"'),
         N_("Describe the activity here: what it is about, who it is for, how it is organised and who leads it.")),
    Kind("need", "--need", N_("need"), N_('kkssite new --need "Rigging for touring technicians"'),
         N_("Describe the need here: what is missing, for whom, and what the people who reported it said.")),
    Kind("venue", "--venue", N_("venue"), N_('kkssite new --venue "The House of Culture"'),
         N_("Describe the venue here: how to get there, the entrance and what is good to know before a visit.")),
    Kind("organisation", "--organisation", N_("organisation"), N_('kkssite new --organisation "Film in Skåne"'),
         N_("Describe the organisation here: what it does and how it works with competence development.")),
    Kind("page", "--page", N_("page"), N_('kkssite new --page "Accessibility"'),
         N_("Write the text of the page here. A line that starts with ## is a subheading.")),
)}


class NewError(Exception):
    """The new file cannot be made: a sentence saying why (nothing was written) and the problems behind it."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Created:
    """What `create` wrote: the file, the keys left empty for the editor, and the other files' errors."""

    file: Path
    path: str  # as editors see it: content/activities/x.md
    kind: Kind
    to_fill: tuple[str, ...]  # keys with their block: start, registration.deadline, sessions[2].start
    others: int  # errors in the rest of the content
    to_check: tuple[tuple[str, str], ...] = ()  # (key, value) given a first value for the editor to check


@dataclass(frozen=True, slots=True)
class _Fill:
    """The values the command gives (see FILLED)."""

    title: str
    uid: str
    today: date

    def value(self, new: New) -> str:
        if new is New.TITLE:
            return json.dumps(self.title, ensure_ascii=False)
        if new is New.UID:
            return self.uid
        if new is New.TODAY:
            return self.today.isoformat()
        return "true"  # New.DRAFT


def create(kind: str, title: str | None, content: Path, now: datetime, like: str | None = None) -> Created:
    """Write a new file of `kind` into `content` (for `like`, the next run of that activity) and say what it is.

    Raises UsageError for what the editor typed (a blank title, a name already taken, an unknown activity) and
    NewError when the file cannot be made (unreadable settings, a copy that would inherit errors)."""
    spec = KINDS[kind]
    if title is not None:
        title = " ".join(title.split())
    if (title is None and like is None) or title == "":
        raise UsageError(_("the title is empty, so nothing was written; write it within quotation marks, such as "
                           "{example}", example=editor.gettext(spec.example)))
    problems = Problems()
    raw = load(content, problems)
    settings = validate_settings(raw, problems)
    if settings is None:
        raise NewError(_("kkssite new needs site.yml and vocabularies.yml without errors; fix them first (nothing "
                         "was written)."), problems.errors)
    docs = [type_file(f, settings) for f in raw.files]
    source = _source(raw, like) if like is not None else None
    if source is not None and title is None:
        title = _title(source)
    assert title is not None
    shown = f"{display_path(content)}/{spec.folder}"
    slug = _slug(spec, title, raw, settings, numbered=like is not None and title == _title(source))
    fill = _Fill(title, _uid(settings, docs), now.astimezone(settings.tz).date())
    text = _like(source, fill) if source is not None else template(spec, fill, settings.vocabularies)
    path = f"{shown}/{slug}.md"
    planned = SourceFile(kind, os.fspath(content / spec.folder / f"{slug}.md"), path, "", f"{spec.folder}/{slug}.md")
    new_doc, found = _verify(raw, settings, docs, planned, text)
    own = [p for p in found.errors if p.path == path]
    if own:
        raise _refusal(own, source, found)
    target = content / spec.folder / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as file:  # never over a file that appeared meanwhile
            file.write(text)
    except FileExistsError:
        raise UsageError(_exists(path)) from None
    return Created(target, path, spec, tuple(p.key for p in new_doc.placeholders), len(found.errors) - len(own),
                   () if source is not None else tuple(_sampled(spec, fill, settings.vocabularies).items()))


# --- names and ids ---------------------------------------------------------------------------------------------


def _exists(path: str) -> str:
    return _("{file} already exists; choose another title or edit that file.", file=path)


def _slug(spec: Kind, title: str, raw: RawContent, settings: Settings, *, numbered: bool) -> str:
    """The new file's name from its title: unique among the files of its kind (in every subfolder) and, for a
    page, not a name the website uses itself. Numbered (-2, -3…) when the editor did not choose the title."""
    taken = {f.slug: f.path for f in raw.files if f.kind == spec.name}
    reserved = reserved_segments(Language.load(settings.config.language)) if spec.name == "page" else frozenset()
    fallback = slugify(editor.gettext(spec.noun))
    base = slugify(title, fallback=fallback)
    numbered = numbered or (base == fallback and slugify(title, fallback="") == "")
    if not numbered:
        if base in taken:
            raise UsageError(_exists(taken[base]))
        if base in reserved:
            raise UsageError(_("the name {name} is already used by the website; choose another title", name=base))
        return base
    slug, number = base, 1
    while slug in taken or slug in reserved:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _uid(settings: Settings, docs: Iterable[TypedDoc]) -> str:
    """A fresh calendar id like those `new` always wrote: a random UUID at the site's host."""
    host = urlsplit(settings.config.base_url).hostname or "kkssite"
    used = {str(doc.fields.get("uid")) for doc in docs if doc.kind == "activity"}
    while True:
        uid = f"{uuid.uuid4()}@{host}"
        if uid not in used:
            return uid


def _source(raw: RawContent, like: str) -> RawDoc:
    """The activity `--like` names (its file name without .md, or its path), read as written."""
    slug = Path(like).stem if like.endswith(".md") else like
    activities = {f.slug: f for f in raw.files if f.kind == "activity"}
    if slug not in activities:
        raise UsageError(_("--like: there is no activity {value} in content/activities/{hint}", value=repr(slug),
                           hint=did_you_mean(slug, activities)))
    found = activities[slug]
    problems = Problems()
    doc = read_doc(found.file, found.kind, problems, found.path)
    if doc is None:
        raise NewError(_("{file} cannot be read, so no new run can be made from it (nothing was written).",
                         file=found.path), problems.errors)
    return doc


def _title(source: RawDoc | None) -> str | None:
    if source is None:
        return None
    title = source.fields.get("title")
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else source.slug


# --- a new file from the schema ---------------------------------------------------------------------------------


def template(spec: Kind, fill: _Fill, vocabularies: Vocabularies) -> str:
    """The new file of a kind: every key of its schema (see the module's docstring), then the body."""
    schema = SCHEMAS[spec.name]
    lines = ["---", *_comment(_("Made by kkssite new. A line that starts with # is an explanation that kkssite "
                                "does not read; every key is explained in content/README.md."))]
    if spec.drafts:
        lines += _comment(_("This is a draft (draft: true): fill in the empty values. Until every one is filled "
                            "in, the draft is left out of the preview, and kkssite check names what is missing."))
    lines.append("")
    active = {key: f for key, f in schema.items() if f.required or f.new is not None}
    sampled = _sampled(spec, fill, vocabularies)
    for key, field in active.items():
        value = fill.value(field.new) if field.new in FILLED and field.new is not None else sampled.get(key, "")
        lines += _explained(key, field, vocabularies, value)
    optional = {key: f for key, f in schema.items() if key not in active}
    if optional:
        lines += ["", *_comment(_("More keys: to use one, remove the # at the start of its line (and of the lines "
                                  "of its block) and fill in the value."))]
        for key, field in optional.items():
            lines += _explained(key, field, vocabularies, "", commented=True)
    return "\n".join([*lines, "---", editor.gettext(spec.body), ""])


def _sampled(spec: Kind, fill: _Fill, vocabularies: Vocabularies) -> dict[str, str]:
    """The keys to fill in that get a first value: none in an activity (a draft waits for the editor's own, and
    the build says so until it has them), a valid value elsewhere where one can be (see `sample`)."""
    if spec.drafts:
        return {}
    found = {key: sample(f, vocabularies, fill.today) for key, f in SCHEMAS[spec.name].items()
             if (f.required or f.new is New.ASK) and f.new not in FILLED}
    return {key: value for key, value in found.items() if value is not None}


def sample(field: Field, vocabularies: Vocabularies, today: date) -> str | None:
    """A valid value for a required key of a kind without drafts (the editor is told to check it): the first id
    of its vocabulary, `alla`, today, the default; None when no value can be valid without the editor."""
    if isinstance(field, TermList):
        return "alla" if field.allow_all else f"[{next(iter(_ids(field.vocabulary, vocabularies)))}]"
    if isinstance(field, TermRef):
        return next(iter(_ids(field.vocabulary, vocabularies)))
    if isinstance(field, DateField | Moment):
        return today.isoformat()
    if isinstance(field, Choice):
        return str(field.default or next(iter(field.choices)))
    if isinstance(field, Bool):
        return "true" if field.default else "false"
    if isinstance(field, Integer):
        return str(field.default if field.default is not None else field.minimum)
    return None


def _ids(vocabulary: str, vocabularies: Vocabularies) -> list[str]:
    return list(getattr(vocabularies, vocabulary))


def _comment(text: str, prefix: str = "# ") -> list[str]:
    return [prefix + line for line in textwrap.wrap(text, WIDTH - len(prefix), break_long_words=False,
                                                    break_on_hyphens=False)]


def _explanation(field: Field, vocabularies: Vocabularies) -> list[str]:
    """The description of a key and, for a vocabulary key, the ids it takes."""
    texts = [field.description()]
    if isinstance(field, Vocabulary):
        texts.append(_("ids from {vocabulary}: {ids}", vocabulary=field.vocabulary,
                       ids=", ".join(_ids(field.vocabulary, vocabularies))))
        if isinstance(field, TermList) and field.groups:
            texts.append(_("ids from {vocabulary}: {ids}", vocabulary=field.groups,
                           ids=", ".join(_ids(field.groups, vocabularies))))
    return [text for text in texts if text]


def _explained(key: str, field: Field, vocabularies: Vocabularies, value: str, *, commented: bool = False) -> list[str]:
    """A key of the schema with its explanation above it; a block (registration, sessions…) with every key of
    its own and their explanations after them."""
    lines = [line for text in _explanation(field, vocabularies) for line in _comment(text)]
    mark = "#" if commented else ""
    if not isinstance(field, Nested):
        return [*lines, f"{mark}{key}: {value}".rstrip()]
    lines.append(f"{mark}{key}:")
    item = isinstance(field, SubList)
    for index, (sub, subfield) in enumerate(field.schema.items()):
        indent = ("  - " if index == 0 else "    ") if item else "  "
        explanation = "; ".join(_explanation(subfield, vocabularies))
        lines.append(_with_comment(f"{mark}{indent}{sub}:", explanation))
    return lines


def _with_comment(line: str, comment: str) -> str:
    return f"{line.ljust(COMMENT_COLUMN - 2)}  # {comment}" if comment else line


# --- the next run of an activity ----------------------------------------------------------------------------


def _like(source: RawDoc, fill: _Fill) -> str:
    """The activity in `source` again: its keys copied, emptied or left out by each field's `Again`, the values
    the command gives (title, uid, published, draft) in place, its body as it was."""
    schema = SCHEMAS[source.kind]
    dropped = [key for key in source.fields if key in schema and schema[key].again is Again.DROP]
    lines = ["---", *_comment(_("Made by kkssite new --like {slug}: a new run of {file}, with a new uid. Fill in "
                                "the empty values (the comments show last time's); until then the draft is left "
                                "out of the preview.", slug=source.slug, file=source.path))]
    if dropped:
        lines += _comment(_("Left out, as they belonged to the earlier run: {keys}.", keys=", ".join(dropped)))
    lines.append("")
    written = set()
    for key, value in source.fields.items():
        field = schema.get(key)
        if field is None or field.again is Again.DROP:
            continue  # an unknown key (an error in the source) or what happened to the earlier run
        if field.new in FILLED:
            assert field.new is not None
            lines.append(f"{key}: {fill.value(field.new)}")
            written.add(key)
        else:
            lines += _copied(key, value, field, "")
    lines += [f"{key}: {fill.value(f.new)}" for key, f in schema.items()
              if f.new in FILLED and f.new is not None and key not in written]
    body = source.body.lstrip("\n")
    body = body if body.endswith("\n") else body + "\n"
    return "\n".join([*lines, "---", ""]) + body


def _copied(key: str, value: Any, field: Field | None, indent: str) -> list[str]:
    """A key as `--like` writes it: copied, or emptied with last time's value in a comment (Again.BLANK)."""
    if field is not None and field.again is Again.BLANK:
        last = _("last time: {value}", value=value) if isinstance(value, str) and value.strip() else ""
        return [_with_comment(f"{indent}{key}:", last)]
    schema = field.schema if isinstance(field, Nested) else None
    if isinstance(value, LineDict):
        return [f"{indent}{key}:", *_mapping(value, schema, indent + "  ")]
    if isinstance(value, LineList) and value and all(isinstance(item, LineDict) for item in value):
        lines = [f"{indent}{key}:"]
        for item in value:
            block = _mapping(item, schema, indent + "    ") or [f"{indent}    {{}}"]
            lines += [f"{indent}  - {block[0].removeprefix(indent + '    ')}", *block[1:]]
        return lines
    return [f"{indent}{key}: {_yaml(value)}"]


def _mapping(raw: LineDict, schema: Schema | None, indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in raw.items():
        field = schema.get(key) if schema is not None else None
        if (schema is not None and field is None) or (field is not None and field.again is Again.DROP):
            continue
        lines += _copied(key, value, field, indent)
    return lines


def _yaml(value: Any, flow: bool = False) -> str:
    """A value as the loader read it (strings, lists, mappings), written back in YAML that reads the same."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(str(k), True)}: {_yaml(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item, True) for item in value) + "]"
    return _scalar(str(value), flow)


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BREAKS = frozenset("\x85\u2028\u2029\ufeff")


def _scalar(text: str, flow: bool = False) -> str:
    """A string plain when YAML reads it back unchanged, else double-quoted (JSON's escapes are YAML's). A text
    of several words on a line of its own is quoted too, as the editor's guide recommends, so that a colon the
    editor adds later cannot break it."""
    plain = (text and text == text.strip() and text[0] not in _INDICATORS and ": " not in text
             and " #" not in text and not text.endswith(":")
             and not any(ord(c) < 32 or c == "\x7f" or c in _BREAKS for c in text)
             and not (flow and any(c in ",[]{}" for c in text)) and (flow or " " not in text))
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for char in _BREAKS:
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


# --- the check before writing ------------------------------------------------------------------------------------


def _verify(raw: RawContent, settings: Settings, docs: list[TypedDoc], target: SourceFile,
            text: str) -> tuple[TypedDoc, Problems]:
    """Validate the new file with the rest of the content as `kkssite check --drafts` will, without writing it
    into the content folder: the new file typed, and every problem found."""
    with tempfile.TemporaryDirectory(prefix="kkssite-new-") as folder:
        file = Path(folder) / target.file.name  # the file name is the slug
        file.write_text(text, encoding="utf-8")
        doc = type_file(SourceFile(target.kind, str(file), target.path, str(file), target.rel), settings)
    problems = Problems()
    link(raw, settings, [*docs, doc], problems, drafts=True)
    return doc, problems


def _refusal(own: list[Problem], source: RawDoc | None, found: Problems) -> NewError:
    """Why the new file is not written: the errors of the activity it was copied from that it would inherit,
    or (should the schema require a value `new` cannot give) its own errors."""
    if source is not None:
        keys = {p.key for p in own}
        inherited = [p for p in found.errors if p.path == source.path and p.key in keys]
        if inherited:
            return NewError(_("{file} has errors that the new run would inherit; fix them there first (nothing "
                              "was written).", file=source.path), inherited)
    return NewError(_("the new file would have these errors, so nothing was written."), own)
