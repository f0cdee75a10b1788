"""render: the theme's templates (closures, compiled once, content-hashed assets), links relative to the page,
and the route table's addresses."""

from pathlib import Path

import jinja2
import pytest

from kkssite.errors import ThemeError
from kkssite.i18n import Language
from kkssite.render import FILTERS, Theme
from kkssite.routes import ROUTES, UNTRANSLATED, Router, reserved_segments, url_words


def theme_with(tmp_path: Path, templates: dict[str, str], compiled: Path | None = None) -> Theme:
    folder = tmp_path / "theme"
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    (folder / "static" / "style.css").write_text("body{}", encoding="utf-8")
    for name, source in templates.items():
        (folder / "templates" / name).write_text(source, encoding="utf-8")
    return Theme(folder, compiled)


def test_the_router_formats_the_route_table_in_the_language_of_the_page() -> None:
    router = Router(Language.load("sv"), "https://example.org/kks/")
    assert router.path("activity", slug="x") == "aktiviteter/x/"
    assert router.path("term", facet="professions", term="ljustekniker") == "yrken/ljustekniker/"
    assert router.path("crossed-ics", facet="professions", term="ljustekniker", cross="skane") == \
        "yrken/ljustekniker/skane/kalender.ics"
    assert router.path("deadline-ics", slug="x") == "aktiviteter/x/x-sista-dag.ics"
    assert router.page("arkiv/2012/", 3) == "arkiv/2012/sida/3/" and router.page("arkiv/2012/", 1) == "arkiv/2012/"
    assert router.path("sitemap") == "sitemap.xml" and router.path("not-found") == "404.html"
    assert router.absolute(router.path("site-ics")) == "https://example.org/kks/kalender.ics"
    assert Router.file("aktiviteter/") == "aktiviteter/index.html" and Router.file("") == "index.html"
    english = Router(Language.load("en"), "https://example.org/", prefix="en/")
    assert english.path("term", facet="professions", term="x") == "en/professions/x/"
    assert english.path("robots") == "robots.txt"  # made once for the whole site, in no language's folder
    with pytest.raises(TypeError):
        router.url(42)


def test_reserved_segments_and_url_words_come_from_the_tables() -> None:
    reserved = reserved_segments(Language.load("sv"))
    assert {"aktiviteter", "yrken", "sprak", "kalender", "prenumerera", "sida", "images", "static", "admin"} <= reserved
    assert "aktiviteter.json" not in reserved  # a file, not a folder
    words = url_words()
    assert "admin" not in words  # the web editor's folder has the same name in every language
    for route in ROUTES:
        for part in route.pattern.split("/"):
            assert not part or (part.startswith("{") and part.endswith("}")) or part in words \
                or route.pattern in UNTRANSLATED, part


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


def test_missing_and_unnamed_templates_are_theme_errors(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {"dynamic.html": "{% include name %}"})
    with pytest.raises(ThemeError, match="finns inte"):
        theme.template_digest("missing.html")
    with pytest.raises(ThemeError, match=r"dynamic\.html"):
        theme.template_digest("dynamic.html")


def test_assets_get_content_hashed_names(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {})
    [(name, data)] = theme.static_files().items()
    assert name.startswith("static/style.") and name.endswith(".css") and data == b"body{}\n"


def test_style_sheets_and_scripts_are_published_minified(tmp_path: Path) -> None:
    """Comments and needless white space go (the theme's sources stay commented); strings stay as written."""
    theme = theme_with(tmp_path, {})
    static = theme.folder / "static"
    (static / "style.css").write_text('/* a comment */\na::after {\n  content: "\\a0· x";\n}\n', encoding="utf-8")
    (static / "x.js").write_text('// what it does\nvar a = "två  ord"; // and more\n', encoding="utf-8")
    (static / "logo.svg").write_text("<svg>  </svg>", encoding="utf-8")
    files = {name.split(".")[0]: data for name, data in Theme(theme.folder).static_files().items()}
    assert files["static/style"] == b'a::after{content:"\\a0\xc2\xb7 x"}\n'
    assert files["static/x"] == 'var a="två  ord";\n'.encode()
    assert files["static/logo"] == b"<svg>  </svg>"  # other files as they are


def test_templates_are_compiled_once_and_kept(tmp_path: Path) -> None:
    compiled = tmp_path / "compiled"
    theme = theme_with(tmp_path, {"t.html": "{{ _('Upcoming activities') }}"}, compiled)
    assert theme.env(Language.load("sv")).get_template("t.html").render() == "Kommande aktiviteter"
    assert list(compiled.iterdir())  # Jinja2's bytecode cache: the next build loads instead of compiling
    again = Theme(theme.folder, compiled)
    assert again.env(Language.load("en")).get_template("t.html").render() == "Upcoming activities"


def test_warm_loads_every_template_into_each_environment(tmp_path: Path) -> None:
    """The live preview loads the templates after its first build (which rendered in workers); a broken template
    that no route uses does not stop it."""
    (tmp_path / "theme" / "templates" / "sub").mkdir(parents=True)
    theme = theme_with(tmp_path, {"a.html": "A", "sub/b.html": "B", "broken.html": "{% if %}"})
    env = theme.env(Language.load("sv"))
    theme.warm()
    assert env.cache is not None
    assert {name for _loader, name in env.cache} == {"a.html", "sub/b.html"}


def test_content_links_follow_the_page(tmp_path: Path) -> None:
    theme = theme_with(tmp_path, {"t.html": "{{ body|html }}"})
    template = theme.env(Language.load("sv")).get_template("t.html")
    body = '<a href="/arkiv/">a</a> <a href="//x.se/">b</a> <img src="/images/x.jpg" alt="">'
    html = template.render(body=body, root="../../")
    assert html == '<a href="../../arkiv/">a</a> <a href="//x.se/">b</a> <img src="../../images/x.jpg" alt="">'
    env = theme.env(Language.load("sv"))
    assert isinstance(env, jinja2.Environment) and env.autoescape is True and "url" in FILTERS


def test_templates_gettext_means_what_the_i18n_extension_means(tmp_path: Path) -> None:
    """Templates' _, gettext, ngettext and {% trans %} (render._gettext_callables, each message looked up once):
    the translation is markup, variables are escaped, %% is a percent sign, and the same message twice gives
    the same text."""
    source = ("{{ _('Statistics') }}|{{ _('Statistics') }}|{{ _('%(x)s %%', x='<b>') }}|"
              "{{ ngettext('%(num)s day', '%(num)s days', 2) }}|{% trans n='<i>' %}Hej {{ n }}{% endtrans %}")
    theme = theme_with(tmp_path, {"t.html": source})
    assert theme.env(Language.load("sv")).get_template("t.html").render() == \
        "Statistik|Statistik|&lt;b&gt; %|2 days|Hej &lt;i&gt;"
