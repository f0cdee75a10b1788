"""load: front matter as strings with lines; YAML 1.1 surprises, tags, duplicates and encodings."""

from pathlib import Path

from kkssite.errors import Problems
from kkssite.load import load, parse_yaml, read_doc


def test_scalars_stay_strings_with_their_lines() -> None:
    problems = Problems()
    data = parse_yaml("tid: 18:00\nspråk: no\ndatum: 2027-03-14\nyrken:\n  - a\n  - b\n", "x", problems, 1)
    assert data == {"tid": "18:00", "språk": "no", "datum": "2027-03-14", "yrken": ["a", "b"]}
    assert data.lines == {"tid": 2, "språk": 3, "datum": 4, "yrken": 5}
    assert data["yrken"].lines == [6, 7]
    assert not list(problems)


def test_python_tags_are_refused() -> None:
    problems = Problems()
    assert parse_yaml("title: ok\nc: !!python/object:os.system ls\n", "x.md", problems, 1) is None
    [problem] = list(problems)
    assert problem.line == 3 and "!!python/object:os.system" in problem.message


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    problems = Problems()
    assert parse_yaml("a: 1\nb: 2\na: 3\n", "x.md", problems, 1) is None
    assert str(next(iter(problems))) == "x.md:4: nyckeln a finns två gånger (första på rad 2)"


def test_unclosed_list_points_at_its_line_in_swedish() -> None:
    problems = Problems()
    parse_yaml("title: x\nprofessions: [a\ncity: malmo\n", "x.md", problems, 1)
    assert str(next(iter(problems))) == "x.md:3: YAML-syntaxen går inte att läsa: en lista som börjar med [ stängs aldrig med ]"


def test_front_matter_offset_and_body(tmp_path: Path) -> None:
    file = tmp_path / "kurs.md"
    file.write_text("---\ntitle: Kurs\nstart: 2027-01-01 10:00\n---\nBrödtext\n", encoding="utf-8")
    doc = read_doc(file, "activity", Problems())
    assert doc is not None
    assert doc.slug == "kurs" and doc.fields.lines == {"title": 2, "start": 3}
    assert doc.body.strip() == "Brödtext" and doc.body_line == 5


def test_non_utf8_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    file = tmp_path / "fel.md"
    file.write_bytes(b"---\ntitle: ok\nplats: G\xf6teborg\n---\n")
    problems = Problems()
    assert read_doc(file, "activity", problems) is None
    [problem] = list(problems)
    assert problem.line == 3 and "UTF-8" in problem.message


def test_missing_and_unterminated_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("title: utan streck\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: aldrig slut\n", encoding="utf-8")
    problems = Problems()
    assert read_doc(tmp_path / "a.md", "activity", problems) is None
    assert read_doc(tmp_path / "b.md", "activity", problems) is None
    messages = [p.message for p in problems]
    assert any("saknar front matter" in m for m in messages)
    assert len(messages) == 2


def test_load_walks_kinds_in_sorted_order_and_warns_about_other_files(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "activities" / "2027").mkdir(parents=True)
    (root / "site.yml").write_text("title: x\n", encoding="utf-8")
    (root / "vocabularies.yml").write_text("types: []\n", encoding="utf-8")
    for name in ("b.md", "a.md", "2027/c.md"):
        (root / "activities" / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (root / "activities" / "notes.txt").write_text("x", encoding="utf-8")
    problems = Problems()
    raw = load(root, problems)
    assert [f.slug for f in raw.files] == ["c", "a", "b"]
    assert [p.severity for p in problems] == ["warning"]


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    problems = Problems()
    assert read_doc(tmp_path / "borta.md", "activity", problems) is None  # gone since it was listed
    folder = tmp_path / "fel.md"
    folder.mkdir()
    assert read_doc(folder, "activity", problems) is None
    assert [p.message for p in problems] == [
        "filen går inte att läsa (No such file or directory); kontrollera att den finns och att du har behörighet",
        "det här är en mapp, inte en fil"]


def _activity_with(line20: str) -> str:
    """An activity whose 20th line is `line20` (inside the registration block or the leaders list)."""
    head = ["---", "title: Ljusdesign", "uid: ljus@example.org", "type: kurs", "professions: [ljustekniker]",
            "art_forms: [teater]", "city: malmo", "start: 2027-02-03 09:00", 'end: "16:00"', "summary: Kort.",
            "published: 2026-11-01", "hours: 6", "seats: 12", "price: 0", "level: grund", "language: sv",
            "leaders:", "  - name: Malin Ekdahl", "registration:"]
    assert len(head) == 19
    return "\n".join([*head, line20, "---", "Text.", ""])


TAB_MESSAGE = ("YAML-syntaxen går inte att läsa: raden är indragen med ett tabbtecken; dra in med mellanslag i stället "
               "(två för varje nivå och ett efter -)")


def test_a_tab_used_for_indentation_is_reported_on_its_own_line(tmp_path: Path) -> None:
    """The parser's context is the line before (libyaml: "while scanning a plain scalar" on line 19); the tab is
    on line 20, and that is the line the editor must fix."""
    file = tmp_path / "ljus.md"
    for line20 in ("\tkind: anmälan", "  kind: anmälan\n\turl: https://example.org/x"):
        file.write_text(_activity_with(line20), encoding="utf-8")
        problems = Problems()
        assert read_doc(file, "activity", problems, "content/activities/ljus.md") is None
        [problem] = list(problems)
        tab_line = 20 + line20.count("\n")
        assert str(problem) == f"content/activities/ljus.md:{tab_line}: {TAB_MESSAGE}", line20


def test_a_tab_before_a_list_item_gets_a_clear_message() -> None:
    for text, line in (("title: x\nsessions:\n\t- start: 2027-01-01 10:00\n", 4),
                       ("leaders:\n  - name: a\n\t- name: b\n", 4),
                       ("leaders:\n  - name: a\n  -\tname: b\n", 4),
                       ("leaders:\n  - name: a\n\t  role: b\n", 4)):
        problems = Problems()
        assert parse_yaml(text, "x.md", problems, 1) is None
        assert [str(p) for p in problems] == [f"x.md:{line}: {TAB_MESSAGE}"], text
        assert "@" not in str(next(iter(problems)))  # not the muddled "a character that may not start a value"


def test_other_yaml_errors_keep_their_line_and_hint() -> None:
    problems = Problems()
    parse_yaml('title: "Ljus: grundkurs\ncity: malmo\n', "x.md", problems, 1)
    assert [p.line for p in problems] == [2]
