"""cms: the web editor at /admin/ — built only with `cms:` in site.yml, its config.yml generated from the schemas
(fields.py) and the vocabularies, and the files Decap CMS writes accepted by `kkssite check` as they are.

The browser test tests/browser/test_browser_cms.py drives the real editor against a local Decap server."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from support import FIXTURES, NOW

from kkssite import cms
from kkssite.cli import main
from kkssite.errors import Problems, ThemeError
from kkssite.fields import (
    SCHEMAS,
    Choice,
    Context,
    DateField,
    Moment,
    Nested,
    Sub,
    SubList,
    TermList,
    TermRef,
    apply_schema,
    parse_moment,
)
from kkssite.load import parse_yaml
from kkssite.validate import _vocabularies

CMS_BLOCK = """
cms:
  backend: github
  repo: kulturkraftsyd/kkssite
  branch: main
"""
#: Moment.js tokens of Decap's datetime formats → strftime.
MOMENT = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH": "%H", "mm": "%M"}


def with_cms(make_content, block: str = CMS_BLOCK, files: dict[str, str | None] | None = None) -> Path:  # type: ignore[no-untyped-def]
    content = make_content("minimal", files)
    with (content / "site.yml").open("a", encoding="utf-8") as site:
        site.write(block)
    return content


@pytest.fixture
def built(make_content, build_site, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    build_site(with_cms(make_content))
    return tmp_path / "output"


@pytest.fixture
def config(built: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((built / "admin" / "config.yml").read_text(encoding="utf-8"))


def fields_by_name(collection: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {f["name"]: f for f in collection["fields"]}


def test_without_cms_nothing_of_the_editor_is_built(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    out = tmp_path / "output"
    assert not (out / "admin").exists()
    assert "admin" not in (out / "_headers").read_text(encoding="utf-8")
    assert "decap" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html")).lower()


def test_with_cms_the_editor_and_its_config_are_built(built: Path) -> None:
    admin = built / "admin"
    assert sorted(p.relative_to(admin).as_posix() for p in admin.rglob("*") if p.is_file()) == [
        "config.yml", f"decap-cms-{cms.DECAP_VERSION}/decap-cms.js",
        f"decap-cms-{cms.DECAP_VERSION}/decap-cms.js.LICENSE.txt", "index.html"]
    assert (admin / cms.SCRIPT).read_bytes() == (cms.VENDOR / "decap-cms.js").read_bytes()
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert f'<script src="decap-cms-{cms.DECAP_VERSION}/decap-cms.js"></script>' in page
    assert '<meta name="robots" content="noindex">' in page and "<title>Webbredigeraren – Testkalendern</title>" in page
    # the previews use the site's own (content-hashed) style sheet, which exists beside the editor
    style = re.search(r'registerPreviewStyle\(new URL\("\.\./(static/style\.[0-9a-f]+\.css)"', page)
    assert style and (built / style[1]).is_file()
    assert '"@" + "example.org"' in page  # new activities get a uid at the site's host, as `kkssite new` writes
    # no address off the site: the bundle is served from the site itself
    assert not re.search(r'(src|href)="(https?:)?//', page)
    headers = (built / "_headers").read_text(encoding="utf-8")
    assert "/kalender/admin/config.yml\n  Content-Type: text/yaml; charset=utf-8" in headers


def test_the_config_sets_backend_workflow_media_and_one_collection_per_kind(config: dict) -> None:  # type: ignore[type-arg]
    assert config["backend"] == {"name": "github", "repo": "kulturkraftsyd/kkssite", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "sv"
    assert "local_backend" not in config
    assert (config["media_folder"], config["public_folder"]) == ("content/images", "images")
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    collections = {c["name"]: c for c in config["collections"]}
    assert list(collections) == ["activities", "venues", "organisations", "needs", "pages"]
    assert {c["label"] for c in collections.values()} == {"Aktiviteter", "Platser", "Organisationer", "Behov",
                                                          "Sidor"}
    for name, collection in collections.items():
        assert collection["folder"] == f"content/{name}" and collection["create"] is True
        assert collection["format"] == "yaml-frontmatter" and collection["extension"] == "md"
        body = collection["fields"][-1]
        assert body["name"] == "body" and body["widget"] == "markdown" and body["modes"][0] == "raw"


def test_every_key_of_every_schema_is_a_field_required_as_in_the_schema(config: dict) -> None:  # type: ignore[type-arg]
    kinds = dict(zip([c["name"] for c in config["collections"]], [k for _n, k, *_rest in cms.COLLECTIONS],
                     strict=True))
    for collection in config["collections"]:
        schema = SCHEMAS[kinds[collection["name"]]]
        fields = fields_by_name(collection)
        assert list(fields) == [k for k in schema if k not in cms.OMITTED] + ["body"]
        for key, field in schema.items():
            if key in cms.OMITTED:
                continue
            widget = fields[key]
            assert widget["label"] == field.title() and widget["label"], (collection["name"], key)
            assert widget["required"] is (field.required and key not in cms.HIDDEN), key
            if field.doc and field.description() != widget["label"] and key not in cms.HIDDEN:
                if isinstance(field, Choice | Nested):  # their options and fields say it in words
                    assert "hint" not in widget, key
                else:
                    assert widget["hint"] == field.description(), key
            if isinstance(field, Nested):
                inner = {f["name"]: f for f in widget["fields"]}
                assert list(inner) == list(field.schema)
                for sub_key, sub_field in field.schema.items():
                    # a key required inside an optional block is left to kkssite check (Decap cannot save an
                    # entry whose optional object is empty when the object has a required field)
                    optional_block = isinstance(field, Sub) and not field.required
                    assert inner[sub_key]["required"] is (sub_field.required and not optional_block), sub_key


def test_widgets_by_field_type(config: dict) -> None:  # type: ignore[type-arg]
    activity_fields = fields_by_name(config["collections"][0])
    assert activity_fields["title"]["widget"] == "string" and activity_fields["summary"]["widget"] == "text"
    assert activity_fields["uid"] == {"name": "uid", "label": "Kalender-id", "widget": "hidden", "required": False}
    assert "all_day" not in activity_fields  # kept as it is in the file: the datetime widget always has a time
    assert activity_fields["image"]["widget"] == "image" and activity_fields["draft"]["default"] is False
    assert activity_fields["seats"].items() >= {"widget": "number", "value_type": "int", "min": 1}.items()
    assert activity_fields["hours"]["value_type"] == "float"
    assert activity_fields["online_url"]["pattern"][0] == r"^https?://[^\s/$.?#][^\s]*$"
    # controlled vocabularies: selects with the Swedish names; lists of terms: multiple, with alla and categories
    assert activity_fields["city"]["widget"] == "select" and "multiple" not in activity_fields["city"]
    assert {"label": "Karlskrona", "value": "karlskrona"} in activity_fields["city"]["options"]
    professions = activity_fields["professions"]
    assert professions["multiple"] is True and professions["min"] == 1
    assert [o["value"] for o in professions["options"]][:2] == ["alla", "konstnarlig"]
    assert {"label": "Ljustekniker", "value": "ljustekniker"} in professions["options"]
    assert "min" not in activity_fields["language"]
    assert activity_fields["status"]["options"][1] == {"label": "Inställd", "value": "cancelled"}
    assert activity_fields["mode"]["default"] == "on_site"
    assert activity_fields["organisers"].items() >= {"widget": "relation", "collection": "organisations",
                                                     "value_field": "{{slug}}", "multiple": True}.items()
    # sessions, leaders and changes are lists of blocks that start empty; registration a block
    for key in ("sessions", "leaders", "changes"):
        assert activity_fields[key]["widget"] == "list" and activity_fields[key]["default"] == []
    assert [f["name"] for f in activity_fields["sessions"]["fields"]] == ["start", "end"]
    assert activity_fields["registration"]["widget"] == "object"
    venue = fields_by_name(config["collections"][1])
    assert venue["coordinates"]["widget"] == "list"


def _strftime(moment_format: str) -> str:
    for token, code in MOMENT.items():
        moment_format = moment_format.replace(token, code)
    return moment_format


def test_date_times_are_written_in_exactly_the_format_the_parser_reads(config: dict) -> None:  # type: ignore[type-arg]
    """Every datetime widget of every collection writes what fields.py parses back to the same moment."""
    tz = NOW.tzinfo
    moment = datetime(2027, 2, 3, 9, 0, tzinfo=tz)
    seen = 0

    def walk(fields: list[dict], schema: dict) -> None:  # type: ignore[type-arg]
        nonlocal seen
        for widget in fields:
            field = schema.get(widget["name"])
            if widget.get("fields") and isinstance(field, Nested):
                walk(widget["fields"], field.schema)
            if widget.get("widget") != "datetime":
                continue
            seen += 1
            written = moment.strftime(_strftime(widget["format"]))
            if isinstance(field, DateField):
                assert widget["time_format"] is False and written == "2027-02-03"
                assert field.parse(written, 1, Context("x.md", None, tz)).isoformat() == "2027-02-03"  # type: ignore[arg-type]
            else:
                assert isinstance(field, Moment) and written == "2027-02-03 09:00"
                assert parse_moment(written, tz) == (moment, False)
                assert widget["picker_utc"] is False and widget["default"] == ""  # never "now" unasked

    kinds = {name: kind for name, kind, *_rest in cms.COLLECTIONS}
    for collection in config["collections"]:
        walk(collection["fields"], SCHEMAS[kinds[collection["name"]]])
    assert seen >= 10
    published = fields_by_name(config["collections"][0])["published"]
    assert published["default"] == "{{now}}"  # today, as kkssite new writes


def test_what_decap_writes_passes_check_as_it_is(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    """A new activity as Decap CMS 3.16 wrote it in the trials (block lists, quotes only where YAML needs them,
    "" for date and number fields never filled in or cleared, null for a cleared select, empty lists, an
    optional block whose fields were all left empty, folded long texts, an unquoted time)."""
    written = """---
title: "Övning för scenkonst & ljus: grund"
type: workshop
professions:
  - ljustekniker
  - teknisk
art_forms:
  - alla
city: malmo
start: 2027-02-03 09:00
end: 20:00
level: null
language: ~
sessions: []
uid: f6f89ce7-5f71-4628-83ff-a80bbfd57ce1@example.org
mode: on_site
hours: ""
seats: ""
leaders: []
registration:
  opens: ""
  deadline: ""
  notice_by: ""
accessibility:
  note: ""
status: scheduled
summary: "En dag om ljus: teori,
  praktik och
  samtal."
updated: ""
changes: []
published: 2026-11-27
draft: false
---
Brödtext med **fetstil**.
"""
    with_cms(make_content, files={"activities/ovning-for-scenkonst-ljus-grund.md": written})
    assert main(["check"]) == 0, capsys.readouterr().err
    assert "aktiviteter 4" in capsys.readouterr().out


def test_an_empty_optional_value_is_not_given_but_an_empty_required_one_is_an_error() -> None:
    problems_ctx = Context("x.md", Problems(), NOW.tzinfo)  # type: ignore[arg-type]
    raw = parse_yaml('title: ""\nseats: ""\nlanguage: []\nregistration: {opens: "", deadline: ""}\ndraft:\n'
                     'level: null\ncity: ~\n', "x.md", problems_ctx.problems, 1)
    assert raw is not None
    values = apply_schema(raw, SCHEMAS["activity"], problems_ctx)
    assert values["seats"] is None and values["language"] is None and values["registration"] is None
    assert values["level"] is None and values["city"] is None
    assert values["draft"] is False  # the schema's default
    title = [p for p in problems_ctx.problems if p.key == "title"]
    assert [p.message for p in title] == ["förväntade en text, fick ett tomt värde"]


@pytest.mark.parametrize(("block", "message"), [
    ("cms:\n  backend: github\n", "site.yml:11: cms.repo: saknas; webbredigeraren behöver det repository där "
                                  "innehållet finns, till exempel organisation/kkssite"),
    ("cms:\n  backend: gitlab\n  repo: inte ett repo\n", "site.yml:13: cms.repo: förväntade ett repository som "
                                                          "organisation/kkssite, fick 'inte ett repo'"),
    ("cms:\n  backend: githb\n  repo: a/b\n", 'site.yml:12: cms.backend: förväntade ett av github, gitlab, test, '
                                              "fick 'githb' – menade du \"github\"?"),
])
def test_cms_settings_are_checked(make_content, capsys, block: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with_cms(make_content, "\n" + block)
    assert main(["check"]) == 1
    assert f"content/{message}" in capsys.readouterr().err.splitlines()


def test_the_test_backend_needs_no_repository_and_a_local_server_is_named(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    block = "\ncms:\n  backend: test\n  local_backend: http://127.0.0.1:8081/api/v1\n"
    build_site(with_cms(make_content, block))
    config = yaml.safe_load((tmp_path / "output" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "test"}
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}


def test_gitlab_with_pkce_login(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    block = ("\ncms:\n  backend: gitlab\n  repo: kultur/kalender/kkssite\n  app_id: abc123\n"
             "  auth_url: https://gitlab.example.se\n  api_url: https://gitlab.example.se/api/v4\n")
    build_site(with_cms(make_content, block))
    config = yaml.safe_load((tmp_path / "output" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "kultur/kalender/kkssite", "branch": "main",
                                 "base_url": "https://gitlab.example.se", "auth_type": "pkce", "app_id": "abc123",
                                 "api_root": "https://gitlab.example.se/api/v4"}


def test_a_bundle_that_is_not_the_pinned_one_is_refused(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "vendor"
    fake.mkdir()
    (fake / cms.BUNDLE).write_text("console.log('not decap')", encoding="utf-8")
    (fake / cms.LICENSE).write_text("", encoding="utf-8")
    monkeypatch.setattr(cms, "VENDOR", fake)
    cms.vendored.cache_clear()
    try:
        with pytest.raises(ThemeError, match=re.escape(f"är inte Decap CMS {cms.DECAP_VERSION}")):
            cms.vendored()
    finally:
        cms.vendored.cache_clear()


def test_vocabulary_fields_offer_what_the_parser_accepts(config: dict) -> None:  # type: ignore[type-arg]
    """Every option of every select is a value the schema's field accepts (so a choice in the form validates)."""
    problems = Problems()
    raw = parse_yaml((FIXTURES / "minimal" / "vocabularies.yml").read_text(encoding="utf-8"), "v.yml", problems)
    vocabularies = _vocabularies(raw, "v.yml", problems)
    assert vocabularies is not None
    ctx = Context("x.md", problems, NOW.tzinfo, vocabularies)  # type: ignore[arg-type]
    kinds = {name: kind for name, kind, *_rest in cms.COLLECTIONS}
    checked = 0
    for collection in config["collections"]:
        schema = SCHEMAS[kinds[collection["name"]]]
        for widget in collection["fields"]:
            field = schema.get(widget["name"])
            if widget.get("widget") != "select" or field is None:
                continue
            for option in widget["options"]:
                field.parse(option["value"], 1, ctx)
                checked += 1
            if isinstance(field, TermRef | TermList):
                assert len(widget["options"]) >= len(getattr(vocabularies, field.vocabulary))
    assert checked > 50 and not problems
    assert all(not isinstance(f, SubList) or f.schema for f in SCHEMAS["activity"].values())


def test_a_key_left_unfilled_is_a_placeholder_but_a_cleared_one_is_not_given(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    """`end:` (nothing after the colon, as kkssite new writes what is to be filled in) is an error in a published
    activity; `end: ""` (how Decap writes a cleared or untouched date field) is no end."""
    from support import activity

    make_content("minimal", activity("fylld", end='""'))
    assert main(["check"]) == 0, capsys.readouterr().err
    make_content("minimal", activity("ofylld", end=" "))
    assert main(["check"]) == 1
    assert "content/activities/ofylld.md:9: end: förväntade datum och tid som 2027-03-14 18:00, fick ett tomt värde" \
        in capsys.readouterr().err.splitlines()
