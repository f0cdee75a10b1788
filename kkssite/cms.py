"""The web editor at /admin/: Decap CMS, with a config.yml generated from the schemas of fields.py and the
vocabularies of vocabularies.yml, so that its forms cannot drift from the content format.

With `cms:` in site.yml the route table's admin rows make (without it, none of them):
- `admin/index.html` (theme/templates/admin.html): loads the bundle, styles the previews with the site's CSS
  and gives a new activity its calendar `uid` when it is first saved;
- `admin/config.yml` (`decap_config`, written with PyYAML): the backend and the login, the editorial workflow
  (draft → review → ready), the media folder, and a collection per kind of content (activities, venues,
  organisations, needs, pages) whose fields are the keys of its schema, in the schema's order;
- `admin/decap-cms-<version>/decap-cms.js` and its licence file: the bundle, vendored from npm into
  kkssite/vendor/decap-cms/ (pinned by version and digest), so the editor loads nothing from a third party.

Each key becomes a widget by its field type (`widget`): texts are string or text widgets (a Pattern with its
regular expression), vocabularies are selects with the terms' Swedish names (a TermList a multiple select, with
`alla` and the profession categories where the schema allows them), Choice a select with its words' names,
references to other files a relation, nested blocks objects, and lists of blocks lists. Date-times use Decap's
datetime widget with the format `YYYY-MM-DD HH:mm` and dates `YYYY-MM-DD`: exactly what fields.parse_moment and
DateField read. A key is required in the form exactly when the schema requires it, its label is the field's
`label`, its hint the field's description (the editor's guide lists the same). Whatever the form leaves empty
is written as `""`, `null` or `[]`, or left out, which fields.apply_schema takes as not given.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ThemeError
from .fields import (
    SCHEMAS,
    Bool,
    Choice,
    Coordinates,
    Counts,
    DateField,
    EndMoment,
    Field,
    ImagePath,
    Integer,
    ListOf,
    LongText,
    Moment,
    Nested,
    Number,
    Pattern,
    RefList,
    Schema,
    Sub,
    SubList,
    TermList,
    TermRef,
    Vocabulary,
)
from .i18n import EDITOR, N_, _, editor
from .model import CmsConfig, SiteConfig, Vocabularies

DECAP_VERSION = "3.16.3"
DECAP_SHA256 = "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8"
VENDOR = Path(__file__).resolve().parent / "vendor" / "decap-cms"
#: The vendored files, published under admin/ in a folder of their version (a new version, a new address).
BUNDLE = "decap-cms.js"
LICENSE = "decap-cms.js.LICENSE.txt"
SCRIPT = f"decap-cms-{DECAP_VERSION}/{BUNDLE}"
#: Where the content is in the repository the CMS edits (Decap's paths are relative to its root).
CONTENT = "content"
#: Moment.js formats of Decap's datetime widget that write what fields.py reads: 2027-02-03 09:00, 2027-02-03.
DATE_TIME_FORMAT = "YYYY-MM-DD HH:mm"
DATE_FORMAT = "YYYY-MM-DD"
TIME_FORMAT = "HH:mm"
#: The label of the Markdown body (the msgid of site.yml's description).
DESCRIPTION = N_("Description")
#: Optional dates a new entry fills in with today's date, as `kkssite new` does (required dates always are).
TODAY = frozenset({"published"})
#: Keys written by the editor itself, never typed: the calendar uid (admin.html sets it on the first save).
HIDDEN = frozenset({"uid"})
#: Keys the form leaves out, and so keeps as they are in a file it edits: `all_day` needs dates without a time
#: of day, which the datetime widget never writes (whole-day activities are written in the file; see the guide).
OMITTED = frozenset({"all_day"})


#: The collections: name (= folder under content/), kind of content (fields.SCHEMAS), label, singular label and
#: the key that names an entry (its title in lists and the source of a new file's name).
COLLECTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("activities", "activity", N_("Activities"), N_("Activity"), "title"),
    ("venues", "venue", N_("Venues"), N_("Venue"), "name"),
    ("organisations", "organisation", N_("Organisations"), N_("Organisation"), "name"),
    ("needs", "need", N_("Needs"), N_("Need"), "title"),
    ("pages", "page", N_("Pages"), N_("Page"), "title"),
)
IDENTIFIERS = {name: identifier for name, _kind, _label, _singular, identifier in COLLECTIONS}


def decap_config(cms: CmsConfig, site: SiteConfig, vocabularies: Vocabularies) -> dict[str, Any]:
    """Decap CMS's config.yml as data (views.py gives it to the serializer, `config_yaml`)."""
    backend: dict[str, Any] = {"name": cms.backend}
    if cms.backend != "test":
        backend.update(repo=cms.repo, branch=cms.branch)
    if cms.auth_url:
        backend["base_url"] = cms.auth_url
    if cms.auth_endpoint:
        backend["auth_endpoint"] = cms.auth_endpoint
    if cms.site_domain:
        backend["site_domain"] = cms.site_domain
    if cms.app_id:  # GitLab: log in with PKCE, no server needed
        backend.update(auth_type="pkce", app_id=cms.app_id)
    if cms.api_url:
        backend["api_root"] = cms.api_url
    config: dict[str, Any] = {"backend": backend}
    if cms.local_backend:
        config["local_backend"] = {"url": cms.local_backend}
    config.update({
        "publish_mode": "editorial_workflow",
        "locale": EDITOR,
        "site_url": site.base_url,
        "display_url": site.base_url,
        "media_folder": f"{CONTENT}/images",
        "public_folder": "images",  # image: images/ljus.jpg, a path below content/ as fields.ImagePath reads it
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(name, kind, label, singular, identifier, vocabularies)
                        for name, kind, label, singular, identifier in COLLECTIONS],
    })
    return config


def collection(name: str, kind: str, label: str, singular: str, identifier: str,
               vocabularies: Vocabularies) -> dict[str, Any]:
    """One folder collection: a Markdown file with YAML front matter per entry, named by its slug."""
    fields = fields_of(SCHEMAS[kind], vocabularies)
    fields.append({"name": "body", "label": editor.gettext(DESCRIPTION), "widget": "markdown", "required": False,
                   "modes": ["raw", "rich_text"],  # Markdown opens first (admin.html): rich text escapes typed **
                   "hint": _("The description, in Markdown: `## ` before a subheading, `**bold**`, `- ` before "
                             "each item of a list")})
    return {
        "name": name, "label": editor.gettext(label), "label_singular": editor.gettext(singular),
        "folder": f"{CONTENT}/{name}", "extension": "md", "format": "yaml-frontmatter", "create": True,
        "slug": "{{slug}}", "identifier_field": identifier, "summary": f"{{{{{identifier}}}}}",
        "sortable_fields": [identifier], "fields": fields,
    }


def fields_of(schema: Schema, vocabularies: Vocabularies, within_optional: bool = False) -> list[dict[str, Any]]:
    return [widget(key, field, vocabularies, within_optional) for key, field in schema.items() if key not in OMITTED]


def widget(key: str, field: Field, vocabularies: Vocabularies, within_optional: bool = False) -> dict[str, Any]:
    """The widget of one key: its kind by the field's type, required as in the schema, label and hint.

    A key required inside an optional block (registration's kind) is optional in the form: Decap cannot save an
    entry whose optional object is left empty while the object has a required field, so the form leaves the
    rule to `kkssite check` (and so to the pull request's annotations)."""
    out: dict[str, Any] = {"name": key, "label": field.title() or key}
    if key in HIDDEN:
        return {**out, "widget": "hidden", "required": False}
    out["required"] = field.required and not within_optional
    hint = field.description()
    # A select's options and a block's fields say in words what the description lists as the file's words
    # ("scheduled, cancelled, postponed or full"; "kind, url/email, …"), so those keep only their label.
    if hint and hint != out["label"] and not isinstance(field, Choice | Nested):
        out["hint"] = hint
    out.update(_kind(key, field, vocabularies))
    return out


def _kind(key: str, field: Field, vocabularies: Vocabularies) -> dict[str, Any]:
    if isinstance(field, ImagePath):
        return {"widget": "image", "choose_url": False}
    if isinstance(field, LongText):
        return {"widget": "text"}
    if isinstance(field, Pattern):
        return {"widget": "string", "pattern": [field.regex.pattern, field.expectation()]}
    if isinstance(field, Bool):
        return {"widget": "boolean", **({"default": field.default} if isinstance(field.default, bool) else {})}
    if isinstance(field, Integer):
        return {"widget": "number", "value_type": "int", "min": field.minimum}
    if isinstance(field, Number):
        return {"widget": "number", "value_type": "float", "min": 0, "step": 0.5}
    if isinstance(field, Choice):
        options = [{"label": field.choice_label(word), "value": word} for word in field.choices]
        return {"widget": "select", "options": options, **({"default": field.default} if field.default else {})}
    if isinstance(field, Counts):  # a number per term: a block with a number field for each term
        terms = getattr(vocabularies, field.vocabulary).values()
        return {"widget": "object", "collapsed": True, "fields": [
            {"name": t.slug, "label": t.name, "widget": "number", "value_type": "int", "min": 0, "required": False}
            for t in terms]}
    if isinstance(field, Vocabulary):
        return _vocabulary(field, vocabularies)
    if isinstance(field, RefList):
        return {"widget": "relation", "collection": field.folder, "value_field": "{{slug}}",
                "search_fields": [IDENTIFIERS[field.folder]], "display_fields": [IDENTIFIERS[field.folder]],
                "multiple": True}
    if isinstance(field, ListOf | Coordinates):  # a line of values separated by commas
        return {"widget": "list"}
    if isinstance(field, DateField):  # "{{now}}": today, filled in when the form opens; "": empty
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                "default": "{{now}}" if field.required or key in TODAY else ""}
    if isinstance(field, Moment | EndMoment):
        return {"widget": "datetime", "format": DATE_TIME_FORMAT, "date_format": DATE_FORMAT,
                "time_format": TIME_FORMAT, "picker_utc": False, "default": ""}
    if isinstance(field, Sub):
        return {"widget": "object", "collapsed": not field.required,
                "fields": fields_of(field.schema, vocabularies, within_optional=not field.required)}
    if isinstance(field, SubList):
        first = next(iter(field.schema))
        return {"widget": "list", "collapsed": False, "summary": f"{{{{fields.{first}}}}}", "default": [],
                "fields": fields_of(field.schema, vocabularies)}  # a new entry starts with no item, not one empty
    return {"widget": "string"}  # Text, PriceField (a number or a text), and any other text


def _vocabulary(field: Vocabulary, vocabularies: Vocabularies) -> dict[str, Any]:
    """A select of the terms by their Swedish names (TermList: several, with alla and categories if allowed)."""
    terms = field.choices(vocabularies) if isinstance(field, TermList) else getattr(vocabularies, field.vocabulary)
    out: dict[str, Any] = {"widget": "select", "options": [{"label": t.name, "value": t.slug}
                                                           for t in terms.values()]}
    if isinstance(field, TermRef):
        return out
    out["multiple"] = True
    if field.required:
        out["min"] = 1
    return out


def config_yaml(context: dict[str, Any], views: Any) -> bytes:
    """admin/config.yml: the generated configuration, serialized by PyYAML (never written by hand)."""
    text = yaml.safe_dump(context, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    header = "# Written by kkssite from kkssite/fields.py and content/vocabularies.yml: change those, not this file.\n"
    return (header + text).encode("utf-8")


@cache
def vendored() -> dict[str, bytes]:
    """The bundle and its licence notices by their address below admin/; the bundle must be the pinned one."""
    try:
        bundle = (VENDOR / BUNDLE).read_bytes()
        notices = (VENDOR / LICENSE).read_bytes()
    except OSError as exc:
        raise ThemeError(_("the web editor's Decap CMS files are missing in {folder} ({error})", folder=VENDOR,
                           error=exc.strerror or exc)) from None
    if hashlib.sha256(bundle).hexdigest() != DECAP_SHA256:
        raise ThemeError(_("{file} is not Decap CMS {version} as pinned in kkssite/cms.py; run "
                           "scripts/vendor-decap.sh {version}", file=VENDOR / BUNDLE, version=DECAP_VERSION))
    folder = SCRIPT.rsplit("/", 1)[0]
    return {SCRIPT: bundle, f"{folder}/{LICENSE}": notices}


def uid_host(site: SiteConfig) -> str:
    """The part after @ of the uids the editor gives new activities (as `kkssite new`: the site's host)."""
    return urlsplit(site.base_url).hostname or "kkssite"
