"""errors: how a problem reads, and the suggestions for typos."""

from kkssite.errors import Problem, Problems, did_you_mean, fold


def test_problem_lines() -> None:
    assert str(Problem("content/a.md", 7, "start", "fel")) == "content/a.md:7: start: fel"
    assert str(Problem("content/a.md", 0, "", "fel")) == "content/a.md: fel"
    assert str(Problem("a.md", 2, "uid", "saknas", "warning")) == "a.md:2: varning: uid: saknas"


def test_problems_sort_deduplicate_and_only_errors_count() -> None:
    problems = Problems()
    problems.warn("b.md", 1, "uid", "saknas")
    assert not problems
    problems.add("b.md", 3, "x", "fel")
    problems.add("a.md", 9, "x", "fel")
    problems.add("a.md", 9, "x", "fel")
    assert bool(problems)
    assert [str(p) for p in problems.errors] == ["a.md:9: x: fel", "b.md:3: x: fel"]


def test_suggestions_match_slugs_names_and_typos() -> None:
    names = {"skadespelare": "Skådespelare", "ljustekniker": "Ljustekniker"}
    assert did_you_mean("Skådespelare", names, names) == ' – menade du "skadespelare"?'
    assert did_you_mean("ljusteknikr", names) == ' – menade du "ljustekniker"?'
    assert did_you_mean("kassör", names) == ""
    assert fold(" Malmö stad ") == "malmo-stad"
