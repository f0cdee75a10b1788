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
