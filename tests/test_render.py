"""render: relative links from any page, template closures, content links, cards rendered once."""

from pathlib import Path

import jinja2
import pytest

from kkssite.errors import ThemeError
from kkssite.render import Theme, url_of


def theme_with(tmp_path: Path, templates: dict[str, str]) -> Theme:
    folder = tmp_path / "theme"
    (folder / "templates").mkdir(parents=True)
    (folder / "static").mkdir()
    (folder / "static" / "style.css").write_text("body{}", encoding="utf-8")
    for name, source in templates.items():
        (folder / "templates" / name).write_text(source, encoding="utf-8")
    return Theme(folder)


def test_urls_of_paths() -> None:
    assert url_of("arkiv/2012/") == "arkiv/2012/"
    with pytest.raises(TypeError):
        url_of(42)


def test_template_digest_follows_extends_imports_and_cycles(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {
        "base.html": "<main>{% block main %}{% endblock %}</main>",
        "macros.html": '{% macro m() %}{{ card_html(1, 2) }}{% endmacro %}',
        "_card.html": '{% from "macros.html" import m %}kort',
        "page.html": '{% extends "base.html" %}{% from "macros.html" import m %}',
        "other.html": "ensam",
    })
    before = theme.template_digest("page.html")
    assert theme.template_digest("other.html") != before
    (theme.folder / "templates" / "_card.html").write_text("nytt kort", encoding="utf-8")
    assert Theme(theme.folder).template_digest("page.html") != before  # used through card_html
    assert Theme(theme.folder).template_digest("other.html") == theme.template_digest("other.html")


def test_broken_templates_are_theme_errors(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {"bad.html": "{% if %}"})
    with pytest.raises(ThemeError, match=r"bad\.html:1"):
        theme.template_digest("bad.html")
    with pytest.raises(ThemeError, match="finns inte"):
        theme.template_digest("missing.html")


def test_assets_get_content_hashed_names(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {})
    [(name, data)] = theme.static_files().items()
    assert name.startswith("static/style.") and name.endswith(".css") and data == b"body{}"


def test_content_links_follow_the_page(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {"t.html": "{{ body|html }}"})
    template = theme.env.get_template("t.html")
    body = '<a href="/arkiv/">a</a> <a href="//x.se/">b</a> <img src="/images/x.jpg" alt="">'
    html = template.render(body=body, root="../../")
    assert html == '<a href="../../arkiv/">a</a> <a href="//x.se/">b</a> <img src="../../images/x.jpg" alt="">'
    assert isinstance(theme.env, jinja2.Environment) and theme.env.autoescape is True
