"""Content stays inside content/ (issue 16): the cases a careless or hostile contributor tried, end to end.

Each case runs the real `kkssite check` and `kkssite build` in a subprocess with a timeout (so a hang fails the
test instead of hanging the suite) on a site that was built once, and asserts one Swedish error line naming the
file, exit code 1, no traceback, and the output folder exactly as the first build left it (bytes and mtimes).
Those take seconds each (`slow`); the fast loop checks every case at once in this process, under an alarm.
The held-out tests put a marker string in files outside content/, link them in every way we could think of,
and require that the marker appears nowhere under output/, whether the build fails or not.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from support import FIXTURES, NOW, activity

from kkssite.build import build, check
from kkssite.cli import main
from kkssite.config import BuildOptions
from kkssite.errors import ContentError

#: Generous for a loaded two-core machine; a build of the minimal site takes a few seconds.
SECONDS = 60
MARKER = "MARKÖR-4f1c9e-UTANFÖR-CONTENT"
ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = "utanför content/; bara filer i content/ används – kopiera in filen i mappen i stället för att länka till den"


def kkssite(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kkssite", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=SECONDS, env={**os.environ, **(env or {})}, check=False)


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def png(file: Path, size: tuple[int, int] = (64, 48)) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (30, 90, 160)).save(file, format="PNG")


def sparse(file: Path, size: int) -> None:
    """A file of `size` bytes that takes no room (and would take long to read whole)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("wb") as out:
        out.truncate(size)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The minimal fixture copied to tmp_path/content and built once into tmp_path/output by the CLI."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    (tmp_path / "secret.txt").write_text(f"{MARKER}\n", encoding="utf-8")
    done = kkssite(tmp_path, "build", "--now", NOW.isoformat())
    assert done.returncode == 0, done.stderr
    return tmp_path


def refused(site: Path, line: str, env: dict[str, str] | None = None) -> None:
    """check and build both report exactly `line` (and the count), exit 1, no traceback, output untouched."""
    before = tree(site / "output")
    for command, summary in (("check", "1 fel – rätta felen och kontrollera igen."),
                             ("build", "1 fel – inget skrevs; rätta felen och bygg igen.")):
        done = kkssite(site, command, "--now", NOW.isoformat(), env=env)
        assert (done.returncode, done.stderr.splitlines()) == (1, [line, summary]), done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    assert tree(site / "output") == before
    assert sorted(p.name for p in site.iterdir()) == [".kkssite-cache", "content", "output", "secret.txt"]


@pytest.mark.slow
def test_a_linked_image_pointing_outside_is_an_error_and_is_not_published(site: Path) -> None:
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "x.jpg").symlink_to("/etc/hostname")
    refused(site, f"content/images/x.jpg: filen är en länk till /etc/hostname, {OUTSIDE}")


@pytest.mark.slow
def test_a_link_to_the_environment_of_the_build_is_an_error(site: Path) -> None:
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "env.jpg").symlink_to("/proc/self/environ")
    refused(site, f"content/images/env.jpg: filen är en länk till /proc/self/environ, {OUTSIDE}",
            env={"DEPLOY_TOKEN": MARKER})


@pytest.mark.slow
def test_a_fifo_named_md_does_not_hang_check_or_build(site: Path) -> None:
    os.mkfifo(site / "content" / "activities" / "vantar.md")
    refused(site, "content/activities/vantar.md: filen är en namngiven pipe (FIFO), inte en vanlig fil; ta bort den")


@pytest.mark.slow
def test_an_activity_linked_to_dev_zero_is_an_error_not_a_memory_error(site: Path) -> None:
    (site / "content" / "activities" / "noll.md").symlink_to("/dev/zero")
    refused(site, f"content/activities/noll.md: filen är en länk till /dev/zero, {OUTSIDE}")


@pytest.mark.slow
def test_a_huge_markdown_file_is_refused_before_it_is_read(site: Path) -> None:
    sparse(site / "content" / "activities" / "stor.md", 4_000_000_000)
    refused(site, "content/activities/stor.md: filen är på 4000 MB, över gränsen på 2 MB (gränsen ställs in med "
                  "limits.text_mb i site.yml)")


@pytest.mark.slow
def test_a_huge_image_is_refused_before_it_is_read(site: Path) -> None:
    sparse(site / "content" / "images" / "stor.jpg", 30_000_000)
    slug = "med-bild"
    (site / "content" / "activities" / f"{slug}.md").write_text(
        activity(slug, image="images/stor.jpg", image_alt="En bild")[f"activities/{slug}.md"], encoding="utf-8")
    refused(site, "content/images/stor.jpg: filen är på 30 MB, över gränsen på 20 MB (gränsen ställs in med "
                  "limits.asset_mb i site.yml)")


@pytest.mark.slow
def test_a_text_named_jpg_is_not_published_as_an_image(site: Path) -> None:
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "affisch.jpg").write_text("ingen bild\n", encoding="utf-8")
    slug = "med-affisch"
    (site / "content" / "activities" / f"{slug}.md").write_text(
        activity(slug, image="images/affisch.jpg", image_alt="Affischen")[f"activities/{slug}.md"], encoding="utf-8")
    refused(site, "content/images/affisch.jpg: filen är inte en bild (tillåtna format: JPEG, PNG, WebP, GIF, AVIF); "
                  "en text eller en annan sorts fil kan inte visas som bild")


@pytest.mark.slow
def test_an_svg_is_refused(site: Path) -> None:
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "logga.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>',
                                                           encoding="utf-8")
    slug = "med-svg"
    (site / "content" / "activities" / f"{slug}.md").write_text(
        activity(slug, image="images/logga.svg", image_alt="Loggan")[f"activities/{slug}.md"], encoding="utf-8")
    refused(site, "content/images/logga.svg: SVG-bilder är inte tillåtna (en SVG-fil kan innehålla skript); spara "
                  "bilden som PNG eller JPEG")


@pytest.mark.slow
def test_limits_come_from_site_yml(site: Path) -> None:
    content = site / "content"
    site_yml = content / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "limits:\n  text_mb: 5\n  asset_mb: 1\n",
                        encoding="utf-8")
    sparse(content / "activities" / "tre-mb.md", 3 * 1_000_000)  # read under 5 MB: then it has no front matter
    sparse(content / "images" / "stor.jpg", 1_500_000)
    slug = "med-bild"
    (content / "activities" / f"{slug}.md").write_text(
        activity(slug, image="images/stor.jpg", image_alt="En bild")[f"activities/{slug}.md"], encoding="utf-8")
    done = kkssite(site, "check")
    assert (done.returncode, done.stderr.splitlines()[:-1]) == (1, [
        "content/activities/tre-mb.md:1: filen saknar front matter: första raden ska vara --- och nycklarna avslutas "
        "med en rad ---",
        "content/images/stor.jpg: filen är på 1,5 MB, över gränsen på 1 MB (gränsen ställs in med limits.asset_mb i "
        "site.yml)"]), done.stderr


@pytest.mark.slow
def test_a_limit_must_be_more_than_nothing(site: Path) -> None:
    site_yml = site / "content" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(text + "limits:\n  text_mb: 0\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    refused(site, f"content/site.yml:{line}: limits.text_mb: förväntade ett antal MB större än 0, fick '0'")


def test_every_case_at_once_in_this_process(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content()
    (content / "images" / "sub").mkdir(parents=True)
    (content / "images" / "x.jpg").symlink_to("/etc/hostname")
    (content / "images" / "env.jpg").symlink_to("/proc/self/environ")
    (content / "images" / "sub" / "y.jpg").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(content / "activities" / "vantar.md")
    (content / "activities" / "noll.md").symlink_to("/dev/zero")
    sparse(content / "pages" / "stor.md", 4_000_000_000)
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail(f"check still running after {SECONDS} s"))
    signal.alarm(SECONDS)
    try:
        _catalog, problems = check(BuildOptions(content=Path("content")))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [str(p) for p in problems] == [
        f"content/activities/noll.md: filen är en länk till /dev/zero, {OUTSIDE}",
        "content/activities/vantar.md: filen är en namngiven pipe (FIFO), inte en vanlig fil; ta bort den",
        f"content/images/env.jpg: filen är en länk till /proc/self/environ, {OUTSIDE}",
        f"content/images/sub/y.jpg: filen är en länk till {tmp_path}/secret.txt, {OUTSIDE}",
        f"content/images/x.jpg: filen är en länk till /etc/hostname, {OUTSIDE}",
        "content/pages/stor.md: filen är på 4000 MB, över gränsen på 2 MB (gränsen ställs in med limits.text_mb i "
        "site.yml)",
    ]


# --- what is published -----------------------------------------------------------------------------------


def build_in_process(content: Path, output: Path, **options: object) -> None:
    build(BuildOptions(content=content, output=output, now=NOW, cache=None, **options))  # type: ignore[arg-type]


def test_only_referenced_images_are_published_with_their_size(make_content: Callable[..., Path], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    body = ("Karta: ![Karta](/images/karta.png) och [samma karta](../images/karta.png#norr).\n"
            "[Om oss](/om/) och [arkivet](../../arkiv/) är sidor, inga filer.\n")
    files = activity("med-bild", image="images/hero.png", image_alt="Scenen i motljus")
    files["activities/med-bild.md"] += body
    content = make_content(files=files)
    png(content / "images" / "hero.png", (640, 360))
    png(content / "images" / "karta.png", (200, 100))
    png(content / "images" / "oanvand.png")
    png(content / "images" / "utkast.png")
    draft = content / "activities" / "utkast.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("---\n", "---\nimage: images/utkast.png\n"
                                                               "image_alt: Utkastets bild\n", 1), encoding="utf-8")
    output = tmp_path / "output"
    build_in_process(content, output)
    # the activity's image in its published sizes (photos.py; not the original), the body's image as it is
    assert sorted(p.name for p in (output / "images").iterdir()) == [
        "hero-0149b4ca-480.png", "hero-0149b4ca-480.webp", "hero-0149b4ca-640.png", "hero-0149b4ca-640.webp",
        "karta.png"]
    html = (output / "aktiviteter" / "med-bild" / "index.html").read_text(encoding="utf-8")
    assert ('<img src="../../images/hero-0149b4ca-640.png" srcset="../../images/hero-0149b4ca-480.png 480w, '
            '../../images/hero-0149b4ca-640.png 640w"') in html
    assert 'alt="Scenen i motljus" width="640" height="360" fetchpriority="high">' in html
    assert '<img alt="Karta" src="../../images/karta.png">' in html
    assert 'href="../../images/karta.png#norr"' in html  # relative to the source file, then to the page
    assert 'href="../../om/"' in html and 'href="../../arkiv/"' in html
    assert '<meta property="og:image:width" content="640">' in html

    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/images/oanvand.png: varning: inget innehåll använder filen, så den publiceras inte"]


def test_a_link_in_a_text_to_a_missing_file_is_an_error_at_its_line(make_content: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    files = activity("med-lank")
    files["activities/med-lank.md"] += "\nSe ![kartan](/images/karta.png).\n"
    content = make_content(files=files)
    with pytest.raises(ContentError) as failure:
        build_in_process(content, tmp_path / "output")
    assert [str(p) for p in failure.value.problems] == [
        "content/activities/med-lank.md:14: adressen /images/karta.png i texten pekar på content/images/karta.png, "
        "som inte finns; lägg filen där eller rätta adressen"]
    assert not (tmp_path / "output").exists()


def test_a_link_inside_content_is_fine(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(files=activity("original"))
    (content / "activities" / "kopia.md").symlink_to("original.md")  # the same uid twice: an error…
    with pytest.raises(ContentError) as failure:
        build_in_process(content, tmp_path / "output")
    assert [p.key for p in failure.value.problems if p.severity == "error"] == ["uid"]  # …but it was read
    (content / "activities" / "kopia.md").unlink()
    png(content / "arkiv" / "bild.png")
    (content / "images").mkdir()
    (content / "images" / "bild.png").symlink_to("../arkiv/bild.png")
    files = activity("med-bild", image="images/bild.png", image_alt="En bild")
    (content / "activities" / "med-bild.md").write_text(files["activities/med-bild.md"], encoding="utf-8")
    build_in_process(content, tmp_path / "output")
    published = sorted(p.name for p in (tmp_path / "output" / "images").iterdir())  # resized from the link's target
    assert len(published) == 2 and all(name.startswith("bild-") for name in published)


# --- the theme -------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("where", ["static/extra.css", "templates/page.html"])
def test_a_theme_file_linked_outside_the_theme_is_a_theme_error(site: Path, where: str) -> None:
    theme = site / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / where).unlink(missing_ok=True)
    (theme / where).symlink_to(site / "secret.txt")
    done = kkssite(site, "build", "--theme", "theme", "--output", "ut")
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"kkssite: theme/{where}: filen är en länk till {site}/secret.txt, utanför theme/; bara "
                           "filer i theme/ används – kopiera in filen i mappen i stället för att länka till den\n")
    assert "Traceback" not in done.stderr and not (site / "ut").exists()


# --- held out: nothing from outside content/ ever reaches output/ --------------------------------------------


def _outside_activity(site: Path) -> Path:
    """A valid activity file outside content/ whose title is the marker."""
    file = site / "ute" / "hemlig.md"
    file.parent.mkdir(exist_ok=True)
    text = activity("hemlig", title=f'"{MARKER}"', uid="hemlig@example.org")["activities/hemlig.md"]
    file.write_text(text, encoding="utf-8")
    return file


def _with_image(content: Path, path: str) -> None:
    files = activity("med-bild", image=path, image_alt="En bild")
    (content / "activities" / "med-bild.md").write_text(files["activities/med-bild.md"], encoding="utf-8")


def _with_body(content: Path, body: str) -> None:
    files = activity("med-text")
    (content / "activities" / "med-text.md").write_text(files["activities/med-text.md"] + body, encoding="utf-8")


def _linked_folder(content: Path, site: Path) -> None:
    folder = site / "ute" / "bilder"
    folder.mkdir(parents=True)
    (folder / "x.jpg").write_text(MARKER, encoding="utf-8")
    (content / "images").mkdir()
    (content / "images" / "ute").symlink_to(folder)
    _with_image(content, "images/ute/x.jpg")


def _linked_images_folder(content: Path, site: Path) -> None:
    folder = site / "ute" / "images"
    folder.mkdir(parents=True)
    (folder / "x.jpg").write_text(MARKER, encoding="utf-8")
    (content / "images").symlink_to(folder)
    _with_image(content, "images/x.jpg")


def _site_yml(content: Path, site: Path) -> None:
    outside = site / "ute" / "site.yml"
    outside.parent.mkdir()
    outside.write_text((content / "site.yml").read_text(encoding="utf-8").replace("title: ", f"title: {MARKER} "),
                       encoding="utf-8")
    (content / "site.yml").unlink()
    (content / "site.yml").symlink_to(outside)


TRICKS: dict[str, Callable[[Path, Path], None]] = {
    "linked-image": lambda c, s: ((c / "images").mkdir(), (c / "images" / "x.jpg").symlink_to(s / "secret.txt"),
                                  _with_image(c, "images/x.jpg")),
    "linked-image-in-a-subfolder": lambda c, s: ((c / "images" / "sub").mkdir(parents=True),
                                                 (c / "images" / "sub" / "y.jpg").symlink_to("../../../secret.txt"),
                                                 _with_image(c, "images/sub/y.jpg")),
    "linked-folder": _linked_folder,
    "linked-images-folder": _linked_images_folder,
    "dotdot-image": lambda c, s: _with_image(c, "../secret.txt"),
    "images-dotdot-image": lambda c, s: _with_image(c, "images/../../secret.txt"),
    "absolute-image": lambda c, s: _with_image(c, str(s / "secret.txt")),
    "markdown-links": lambda c, s: _with_body(c, "\n![a](../../secret.txt) [b](/../secret.txt) "
                                                 "![c](/images/../../secret.txt) [d](../images/../../secret.txt) "
                                                 f'<img src="{s}/secret.txt" alt="">\n'),
    "linked-activity": lambda c, s: (c / "activities" / "hemlig.md").symlink_to(_outside_activity(s)),
    "linked-page": lambda c, s: (c / "pages" / "hemlig.md").symlink_to(_outside_activity(s)),
    "linked-activities-folder": lambda c, s: (c / "activities" / "ute").symlink_to(_outside_activity(s).parent),
    "linked-site-yml": _site_yml,
}


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_marker_outside_content_never_reaches_the_output(make_content: Callable[..., Path], tmp_path: Path,
                                                           trick: str) -> None:
    content = make_content()
    (tmp_path / "secret.txt").write_text(MARKER, encoding="utf-8")
    TRICKS[trick](content, tmp_path)
    output = tmp_path / "output"
    try:
        build_in_process(content, output)
    except ContentError as failure:
        assert failure.problems  # refused, each with its reason
        assert not output.exists()
        return
    found = [rel for rel, (data, _mtime) in tree(output).items() if MARKER.encode() in data]
    assert found == [], f"{trick}: the marker was published in {found}"
