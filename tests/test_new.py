"""new: `kkssite new` for every kind of content file, generated from the schemas, and `--like` for the next run
of a course.

- What `new` writes for a kind holds every key of its schema: the required ones (and those marked `New`) as keys,
  the rest as commented-out lines; a key added to a schema appears with no other change.
- Whatever it writes passes `kkssite check --drafts`; an activity's empty values are warnings there, and once they
  are filled in (and `draft: false`), every kind builds.
- It refuses a blank title and writes nothing; other files' errors are a counted warning, never a refusal.
- `--like` copies an activity's keys and body with a fresh uid, today's `published` and `draft: true`; leaves its
  dates empty (last time's in a comment), drops status, changes and updated; the copy is a separate event in the
  calendar feeds once filled in.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support import NOW, activity

from kkssite.build import check
from kkssite.cli import main
from kkssite.config import BuildOptions
from kkssite.errors import Problems
from kkssite.fields import NEED_SCHEMA, SCHEMAS, Again, Nested, New, Schema, TermRef, Text
from kkssite.i18n import N_
from kkssite.load import LineDict, LineList, parse_yaml, read_doc
from kkssite.new import KINDS, _Fill, _like, create

ROOT = Path(__file__).resolve().parent.parent
#: What a test fills the placeholders of a new activity with (by the last part of the key).
FILLED = {"type": ["kurs"], "professions": ["[ljustekniker]"], "art_forms": ["alla"], "city": ["malmo"],
          "start": ["2028-03-21 18:00", "2028-03-28 18:00"], "end": ['"21:00"', '"21:00"'],
          "deadline": ["2028-03-01"]}


def front(file: Path) -> LineDict:
    doc = read_doc(file, "x", Problems())
    assert doc is not None, file
    return doc.fields


def problems_of(content: Path, path: str) -> list[str]:
    _, problems = check(BuildOptions(content=content, drafts=True))
    return [str(p) for p in problems if p.path == path]


def fill(content: Path, path: str, values: dict[str, list[str]] | None = None, *, publish: bool = True) -> None:
    """Fill in the placeholders of a new file as an editor would: each line `kkssite check` warns about gets a
    value, and `draft: true` becomes `draft: false`."""
    values = {key: list(v) for key, v in (values or FILLED).items()}
    _, problems = check(BuildOptions(content=content, drafts=True))
    file = content.parent / path
    lines = file.read_text(encoding="utf-8").splitlines()
    for problem in problems.warnings:
        if problem.path == path and problem.key != "draft":
            name = problem.key.rsplit(".", 1)[-1]
            value = values[name].pop(0)
            lines[problem.line - 1] = re.sub(r"^(\s*(?:- )?[a-z_]+):.*$", rf"\1: {value}", lines[problem.line - 1])
    text = "\n".join(lines) + "\n"
    file.write_text(text.replace("\ndraft: true\n", "\ndraft: false\n") if publish else text, encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- generated from the schemas ---------------------------------------------------------------------------------


def keys_in(text: str) -> tuple[set[str], set[str]]:
    """The keys of a new file's front matter: those written as keys, and those commented out (`#key:`)."""
    matter = text.split("\n---\n", 1)[0]
    active = {m for m in re.findall(r"(?m)^([a-z_]+):", matter)}
    commented = {m for m in re.findall(r"(?m)^#([a-z_]+):", matter)}
    return active, commented


def nested_keys(text: str, key: str) -> set[str]:
    block = re.search(rf"(?m)^#?{key}:\n((?:#? +.*\n)+)", text)
    assert block, key
    return set(re.findall(r"(?m)^#? +(?:- )?([a-z_]+):", block[1]))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_key_of_the_schema_is_in_what_new_writes(kind: str, make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    created = create(kind, "Prov för alla nycklar", content, NOW)
    text = created.file.read_text(encoding="utf-8")
    schema: Schema = SCHEMAS[kind]
    active, commented = keys_in(text)
    assert active == {key for key, f in schema.items() if f.required or f.new is not None}
    assert active | commented == set(schema)
    for key, field in schema.items():
        if isinstance(field, Nested):
            assert nested_keys(text, key) == set(field.schema)
    assert "Rader som börjar med" not in text and "En rad som börjar med # är en förklaring" in text
    for key, field in schema.items():  # each key under its Swedish description
        assert re.search(rf"(?m)^# {re.escape(field.description())}\n(?:# .*\n)*#?{key}:", text), key


def test_the_valid_ids_are_listed_above_vocabulary_keys(make_content) -> None:  # type: ignore[no-untyped-def]
    text = create("activity", "Id-listor", make_content(), NOW).file.read_text(encoding="utf-8")
    assert "# id ur types: kurs, workshop, seminarium\ntype:\n" in text
    assert ("# id ur professions: skadespelare, dansare, ljustekniker, ljudtekniker, producent\n"
            "# id ur categories: konstnarlig, teknisk, administrativ\nprofessions:\n") in text
    assert "# id ur cities: malmo, karlskrona\ncity:\n" in text
    assert "# id ur levels: grund, fordjupning\n#level:\n" in text


def test_a_key_added_to_a_schema_appears_in_what_new_writes(make_content, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    extended = {**NEED_SCHEMA, "interest": TermRef("levels", N_("Level"), required=True),
                "contact": Text(N_("Free text about accessibility"))}
    monkeypatch.setitem(SCHEMAS, "need", extended)
    content = make_content()
    created = create("need", "Ett behov med fler nycklar", content, NOW)
    text = created.file.read_text(encoding="utf-8")
    assert "# Nivå\n# id ur levels: grund, fordjupning\ninterest: grund\n" in text
    assert "# Fri text om tillgänglighet\n#contact:\n" in text
    assert problems_of(content, created.path) == []


# --- every kind passes the check, and builds once filled in -----------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_passes_check_as_written_and_builds_once_filled(kind: str, make_content,  # type: ignore[no-untyped-def]
                                                                  build_site, tmp_path) -> None:
    content = make_content()
    assert main(["new", *([KINDS[kind].option] if KINDS[kind].option else []), "Hösten på Inkonst",
                 "--now", "2026-11-27T10:00"]) == 0
    folder = KINDS[kind].folder
    path = f"content/{folder}/hosten-pa-inkonst.md"
    assert [line for line in problems_of(content, path) if ": varning: " not in line] == []
    assert main(["check", "--drafts"]) == 0
    fill(content, path)
    assert problems_of(content, path) == []
    build_site(content)
    page = {"activity": "aktiviteter/hosten-pa-inkonst", "need": "behov/hosten-pa-inkonst",
            "venue": "platser/hosten-pa-inkonst", "organisation": "organisationer/hosten-pa-inkonst",
            "page": "hosten-pa-inkonst"}[kind]
    html = (tmp_path / "output" / page / "index.html").read_text(encoding="utf-8")
    assert "Hösten på Inkonst" in html


def test_a_new_activity_is_a_draft_with_its_values_to_fill_in(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert main(["new", "Ljusdesign för nybörjare", "--now", "2026-11-27T10:00"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["Skapade content/activities/ljusdesign-for-nyborjare.md (ett utkast).",
                   "Fyll i: type, professions, art_forms, city, start, end.",
                   "Förhandsgranska med make serve; aktiviteten publiceras när du ändrar draft: true till "
                   "draft: false."]
    fields = front(content / "activities" / "ljusdesign-for-nyborjare.md")
    assert fields["title"] == "Ljusdesign för nybörjare" and fields["draft"] == "true"
    assert fields["published"] == "2026-11-27" and fields["start"] == "" and fields["type"] == ""
    assert re.fullmatch(r"[0-9a-f-]{36}@example\.org", fields["uid"])
    line = (content / "activities" / "ljusdesign-for-nyborjare.md").read_text().splitlines().index("draft: true") + 1
    assert problems_of(content, "content/activities/ljusdesign-for-nyborjare.md")[-1] == (
        f"content/activities/ljusdesign-for-nyborjare.md:{line}: varning: draft: utkastet har 6 tomma värden och "
        "kommer inte med i förhandsvisningen, listorna, flödena eller kalendrarna förrän de är ifyllda")


def test_the_other_kinds_get_valid_first_values(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert main(["new", "--venue", "Kulturhuset i Ystad"]) == 0
    assert main(["new", "--need", "Riggning för turné", "--now", "2027-01-15T12:00"]) == 0
    out = capsys.readouterr().out
    assert ("Skapade content/venues/kulturhuset-i-ystad.md.\nKontrollera det som fylldes i åt dig: city: malmo.\n"
            "Öppna filen och kontrollera värdena") in out
    assert front(content / "venues" / "kulturhuset-i-ystad.md") == {"name": "Kulturhuset i Ystad", "city": "malmo"}
    assert front(content / "needs" / "riggning-for-turne.md") == {"title": "Riggning för turné",
                                                                 "reported": "2027-01-15"}


def test_published_is_today_in_the_site_time_zone(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    late = datetime(2027, 6, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 2 June in Stockholm
    created = create("activity", "Sent på kvällen", content, late)
    assert front(created.file)["published"] == "2027-06-02"


# --- refusing, and not refusing -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["new", ""], ["new", "   "], ["new"], ["new", "--venue", ""],
                                  ["new", "--like", "ljusbord-for-turne", " "]])
def test_a_blank_title_is_refused_and_nothing_written(argv: list[str], make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    before = tree(content)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("kkssite: titeln är tom, så inget skrevs; skriv den inom citattecken, till exempel kkssite new")
    assert "Traceback" not in err
    assert tree(content) == before


def test_new_works_beside_a_broken_draft(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=activity("halvfardig", start="14 mars", draft="true"))
    assert main(["new", "Nästa kurs"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ("varning: 1 annat fel i innehållet (kkssite check visar det); den nya filen skapades "
                            "ändå.\n")
    assert "Skapade content/activities/nasta-kurs.md (ett utkast)." in captured.out
    assert main(["new", "Kursen efter den"]) == 0
    assert (content / "activities" / "kursen-efter-den.md").is_file()
    _, problems = check(BuildOptions(content=content, drafts=True))
    assert [p.path for p in problems.errors] == ["content/activities/halvfardig.md"]


def test_an_old_half_finished_draft_with_an_empty_title_does_not_stop_new(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content(files=activity("aktivitet", title='""', draft="true"))
    assert main(["new", "En till"]) == 0
    assert capsys.readouterr().err == ""  # an empty value in a draft is a warning, not an error
    assert main(["check", "--drafts"]) == 0


def test_names_already_taken_or_used_by_the_website_are_refused(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"activities/2027/host.md": activity("x")["activities/x.md"]})
    before = tree(content)
    assert main(["new", "Höst"]) == 2
    assert main(["new", "--venue", "Scenhuset"]) == 2
    assert main(["new", "--page", "Arkiv"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["kkssite: content/activities/2027/host.md finns redan; välj en annan titel eller redigera den filen.",
                   "kkssite: content/venues/scenhuset.md finns redan; välj en annan titel eller redigera den filen.",
                   "kkssite: namnet arkiv används redan av webbplatsen; välj en annan titel"]
    assert tree(content) == before


def test_tidy_names_from_any_title(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert create("activity", "😀 Emoji-kurs", content, NOW).file.name == "emoji-kurs.md"
    long = create("activity", "Å" * 300, content, NOW)
    assert len(long.file.stem) <= 80 and set(long.file.stem) == {"a"}
    assert front(long.file)["title"] == "Å" * 300
    assert create("activity", "😀", content, NOW).file.name == "aktivitet.md"
    assert create("activity", "😀😀", content, NOW).file.name == "aktivitet-2.md"
    assert create("page", "😀", content, NOW).file.name == "sida-2.md"  # sida is the website's own (sida/2/)
    assert create("activity", 'Citat "så här": och # tecken', content, NOW).file.name == "citat-sa-har-och-tecken.md"
    assert front(content / "activities" / "citat-sa-har-och-tecken.md")["title"] == 'Citat "så här": och # tecken'


def test_settings_with_errors_are_the_one_refusal(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    (content / "site.yml").write_text("title: x\n", encoding="utf-8")
    before = tree(content)
    assert main(["new", "Något"]) == 1
    err = capsys.readouterr().err
    assert "content/site.yml:1: base_url: saknas" in err
    assert err.rstrip().endswith("kkssite: kkssite new behöver site.yml och vocabularies.yml utan fel; rätta dem först "
                                 "(inget skrevs).")
    assert tree(content) == before


def test_a_title_both_alone_and_after_an_option_is_a_usage_error(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    make_content()
    assert main(["new", "En", "--venue", "Två"]) == 2
    assert capsys.readouterr().err == "kkssite: skriv bara en titel, direkt efter --venue\n"
    with pytest.raises(SystemExit) as done:
        main(["new", "--venue", "En", "--need", "Två"])
    assert done.value.code == 2


# --- the next run of a course -----------------------------------------------------------------------------------


RUN = {**activity("kurs-2027", title="Ljusbord för turné", sessions="\n  - {start: 2027-03-23 18:00, end: \"21:00\"}"
                  "\n  - {start: 2027-03-30 18:00, end: \"21:00\"}", start="", end="", venue="scenhuset",
                  organisers="[kulturkraft-syd]", leaders="\n  - {name: Malin Ekdahl, role: Ljusdesigner}",
                  price='"1 200 kr"', requirements='"Erfarenhet: två år"', needs="[ljus-i-blekinge]",
                  registration="\n  kind: anmälan\n  url: https://example.org/anmalan\n  opens: 2027-01-10\n"
                               "  deadline: 2027-03-01",
                  status="full", status_note="Fullbokad.", updated="2027-02-01 10:00",
                  changes='\n  - {date: 2027-02-01, text: "Fler platser."}')}


def test_like_copies_the_course_and_leaves_its_dates_to_fill_in(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=RUN)
    assert main(["new", "--like", "kurs-2027", "Ljusbord för turné 2028", "--now", "2027-06-01T10:00"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Skapade content/activities/ljusbord-for-turne-2028.md (ett utkast).",
                       "Fyll i: sessions[1].start, sessions[1].end, sessions[2].start, sessions[2].end, "
                       "registration.opens, registration.deadline."]
    source, copy = front(content / "activities" / "kurs-2027.md"), front(content / "activities" /
                                                                        "ljusbord-for-turne-2028.md")
    for key in ("type", "professions", "art_forms", "city", "venue", "organisers", "leaders", "price",
                "requirements", "needs"):
        assert copy[key] == source[key], key
    assert copy["title"] == "Ljusbord för turné 2028" and copy["uid"] != source["uid"]
    assert copy["published"] == "2027-06-01" and copy["draft"] == "true"
    assert [dict(s) for s in copy["sessions"]] == [{"start": "", "end": ""}] * 2
    assert dict(copy["registration"]) == {"kind": "anmälan", "url": "https://example.org/anmalan", "opens": "",
                                          "deadline": ""}
    assert not {"status", "status_note", "updated", "changes"} & set(copy)
    text = (content / "activities" / "ljusbord-for-turne-2028.md").read_text(encoding="utf-8")
    assert "  - start:              # förra gången: 2027-03-23 18:00\n    end:" in text
    assert "  deadline:             # förra gången: 2027-03-01\n" in text
    assert "# Utelämnat eftersom det gällde förra omgången: status, status_note, updated, changes." in text
    assert text.endswith("---\nEn beskrivning.\n")
    path = "content/activities/ljusbord-for-turne-2028.md"
    assert [line for line in problems_of(content, path) if ": varning: " not in line] == []


def test_like_without_a_title_numbers_the_file_and_finds_it_in_subfolders(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"activities/2027/ljusbord-for-turne-2027.md": RUN["activities/kurs-2027.md"]})
    assert main(["new", "--like", "ljusbord-for-turne-2027"]) == 0
    assert main(["new", "--like", "content/activities/ljusbord-for-turne.md"]) == 0  # a path works too
    assert front(content / "activities" / "ljusbord-for-turne-2.md")["title"] == "Ljusbord för turné"
    assert front(content / "activities" / "ljusbord-for-turne-3.md")["title"] == "Ljusbord för turné"
    assert main(["new", "--like", "ljusbord-for-turne", "Ljusbord för turné"]) == 0  # the same title, numbered
    assert (content / "activities" / "ljusbord-for-turne-4.md").is_file()
    assert main(["new", "--like", "ljusbord-turne"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "kkssite: --like: det finns ingen aktivitet 'ljusbord-turne' i content/activities/ – menade du "
        '"ljusbord-for-turne"?')


def test_like_refuses_a_copy_that_would_inherit_errors(make_content, capsys) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files=activity("trasig", level="grundd", start="14 mars"))
    before = tree(content)
    assert main(["new", "--like", "trasig", "Hel"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["content/activities/trasig.md:11: level: okänt värde 'grundd', förväntade ett id ur levels i "
                   'vocabularies.yml – menade du "grund"?',
                   "kkssite: content/activities/trasig.md har fel som den nya omgången skulle ärva; rätta dem där "
                   "först (inget skrevs)."]
    assert tree(content) == before
    # the start it would not inherit (dates are left empty) is no reason to refuse:
    (content / "activities" / "trasig.md").write_text(
        "".join(activity("trasig", start="14 mars").values()), encoding="utf-8")
    assert main(["new", "--like", "trasig", "Hel"]) == 0


def test_a_course_made_with_like_is_a_separate_event_in_the_feeds(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert main(["new", "--like", "ljusbord-for-turne", "--now", "2026-11-27T10:00"]) == 0
    path = "content/activities/ljusbord-for-turne-2.md"
    fill(content, path)
    assert problems_of(content, path) == []
    build_site(content)
    uid = front(content / "activities" / "ljusbord-for-turne-2.md")["uid"]
    feed = (tmp_path / "output" / "kalender.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    for course in ("test-ljusbord@example.org", uid):
        assert f"UID:{course}-1\r\n" in feed and f"UID:{course}-2\r\n" in feed and f"UID:{course}-deadline" in feed
    assert feed.count("SUMMARY:Ljusbord för turné") == 4
    assert "DTSTART;TZID=Europe/Stockholm:20280321T180000" in feed


def test_a_filled_in_copy_with_draft_true_kept_is_in_the_preview_only(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    assert main(["new", "--like", "ljusbord-for-turne", "Våren 2028"]) == 0
    build_site(content, drafts=True)
    assert not (tmp_path / "output" / "aktiviteter" / "varen-2028").exists()  # empty values: not in the preview
    fill(content, "content/activities/varen-2028.md", publish=False)
    build_site(content, drafts=True)
    assert (tmp_path / "output" / "aktiviteter" / "varen-2028" / "index.html").is_file()


def raw_without(value: object, schema: Schema | None) -> object:
    """A raw value with what `--like` leaves empty or drops taken out (by the schema's Again)."""
    if isinstance(value, LineDict):
        return {k: raw_without(v, f.schema if isinstance(f := (schema or {}).get(k), Nested) else None)
                for k, v in value.items()
                if schema is None or (k in schema and schema[k].again is Again.COPY and schema[k].new is None)}
    if isinstance(value, LineList):
        return [raw_without(item, schema) for item in value]
    return value


def test_like_copies_every_sample_activity_exactly() -> None:
    files = sorted((ROOT / "content" / "activities").rglob("*.md"))
    assert len(files) >= 40
    fill_values = _Fill("Titel", "ny@example.org", NOW.date())
    for file in files:
        source = read_doc(file, "activity", Problems(), f"content/activities/{file.name}")
        assert source is not None
        problems = Problems()
        text = _like(source, fill_values)
        copy = parse_yaml(text.split("\n---\n", 1)[0].removeprefix("---\n"), file.name, problems)
        assert copy is not None and not problems, file
        assert raw_without(copy, SCHEMAS["activity"]) == raw_without(source.fields, SCHEMAS["activity"]), file
        assert text.split("\n---\n", 1)[1] == source.body.lstrip("\n").rstrip("\n") + "\n", file
        for key, field in SCHEMAS["activity"].items():
            if field.again is Again.BLANK and key in source.fields:
                assert copy[key] == "", (file, key)
            if field.new is New.UID:
                assert copy[key] == "ny@example.org"


def test_the_sample_content_takes_new_files_of_every_kind(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for kind in KINDS:
        created = create(kind, "Prov i exempelinnehållet", Path("content"), NOW)
        assert created.others == 0
        assert [line for line in problems_of(Path("content"), created.path) if ": varning: " not in line] == []
    created = create("activity", "Nästa år", Path("content"), NOW, like="ljusdesign-for-scen-2027")
    assert [line for line in problems_of(Path("content"), created.path) if ": varning: " not in line] == []
