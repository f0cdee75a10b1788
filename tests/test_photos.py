"""photos.py and the build's photo sizes: the widths (never upscaled), the formats, no metadata, the EXIF
orientation applied, the same bytes every time, srcset markup that names real files of the right width, each
size encoded once (the build store), and a photo that cannot be decoded as one Swedish error line."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from support import activity

from kkssite.build import BuildResult
from kkssite.cli import main
from kkssite.model import Image as ImageRef
from kkssite.photos import Derivative, derivatives, encode, shared, widths

GPS = 0x8825
ORIENTATION = 0x0112


def photo(size: tuple[int, int] = (1600, 1000), fmt: str = "JPEG", turn: int | None = None) -> bytes:
    """A photo with camera and GPS metadata (and an orientation): a red left half, a blue right half."""
    image = Image.new("RGB", size, (30, 60, 200))
    image.paste((220, 30, 30), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Kamerafabriken"  # Make
    exif[0x0132] = "2026:05:01 10:00:00"  # DateTime
    exif.get_ifd(GPS).update({1: "N", 2: (55.0, 36.0, 18.0), 3: "E", 4: (13.0, 0.0, 2.0)})
    if turn:
        exif[ORIENTATION] = turn
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes(), **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def ref(data: bytes, name: str = "images/scen.jpg") -> ImageRef:
    import hashlib

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if image.getexif().get(ORIENTATION) in (5, 6, 7, 8):
            width, height = height, width
    return ImageRef(name, width, height, hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize(("width", "expected"), [(3000, (480, 800, 1200)), (1200, (480, 800, 1200)),
                                                 (1000, (480, 800, 1000)), (480, (480,)), (300, (300,))])
def test_widths_never_upscale(width: int, expected: tuple[int, ...]) -> None:
    assert widths(ImageRef("images/x.jpg", width, 100)) == expected


def test_sizes_and_formats_are_produced_without_metadata() -> None:
    data = photo()
    made = encode(data, derivatives(ref(data)))
    assert [(d.format, d.width, d.height) for d in made] == [
        ("WEBP", 480, 300), ("WEBP", 800, 500), ("WEBP", 1200, 750),
        ("JPEG", 480, 300), ("JPEG", 800, 500), ("JPEG", 1200, 750)]
    for d, encoded in made.items():
        with Image.open(io.BytesIO(encoded)) as image:
            assert (image.format, image.size) == (d.format, (d.width, d.height))
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert b"Kamerafabriken" not in encoded and b"2026:05:01" not in encoded


def test_a_png_source_falls_back_to_png_and_a_small_one_keeps_its_size() -> None:
    data = photo((300, 200), "PNG")
    sizes = derivatives(ref(data, "images/karta.png"))
    assert [(d.format, d.width) for d in sizes] == [("WEBP", 300), ("PNG", 300)]
    assert sizes[1].path == f"images/karta-{sizes[1].digest[:8]}-300.png"


def test_the_exif_orientation_is_applied() -> None:
    data = photo((1600, 1000), turn=6)  # "turn 90° clockwise to show": shown 1000 wide, 1600 tall
    image = ref(data)
    made = encode(data, derivatives(image))
    largest = next(b for d, b in made.items() if d.format == "JPEG" and d.width == 1000)
    with Image.open(io.BytesIO(largest)) as shown:
        assert shown.size == (1000, 1600)
        red, blue = shown.getpixel((500, 100)), shown.getpixel((500, 1500))  # the left half is now on top
        assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]  # type: ignore[index]


def test_the_same_photo_gives_the_same_bytes() -> None:
    data = photo()
    first, second = encode(data, derivatives(ref(data))), encode(data, derivatives(ref(data)))
    assert first == second


def test_a_replaced_photo_gets_new_addresses() -> None:
    a, b = photo(), photo((1600, 1001))
    assert {d.path for d in derivatives(ref(a))}.isdisjoint(d.path for d in derivatives(ref(b)))
    assert shared(ref(a)).format == "JPEG" and shared(ref(a)).width == 1200


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "source"):
            self.found.append((tag, dict(attrs)))


def _candidates(srcset: str) -> list[tuple[str, int]]:
    found = []
    for candidate in srcset.split(", "):
        url, descriptor = candidate.split(" ")
        assert descriptor.endswith("w")
        found.append((url, int(descriptor[:-1])))
    return found


def _site(make_content: Callable[..., Path], data: bytes) -> Path:
    files: dict[str, str | bytes | None] = {**activity("med-foto", image="images/scen.jpg",
                                                       image_alt='"Scenen i motljus"'),
                                           "images/scen.jpg": data}
    return make_content(files=files)


def test_pages_name_real_files_of_the_right_width(make_content: Callable[..., Path],
                                                  build_site: Callable[..., BuildResult], tmp_path: Path) -> None:
    content = _site(make_content, photo())
    result = build_site(content)
    assert result.resized == 6
    output = tmp_path / "output"
    published = sorted(p.name for p in (output / "images").iterdir())
    assert len(published) == 6 and "scen.jpg" not in published  # the original (with its GPS data) is not
    page = output / "aktiviteter" / "med-foto" / "index.html"
    for html, lazy in ((page, False), (output / "aktiviteter" / "index.html", True)):
        parser = _Images()
        parser.feed(html.read_text(encoding="utf-8"))
        (_, source), (_, img) = [f for f in parser.found if f[1].get("srcset") not in (None, "data:,")][:2]
        assert source["type"] == "image/webp" and source["sizes"] == img["sizes"] and img["sizes"]
        assert img["alt"] == "Scenen i motljus" and (img["width"], img["height"]) == ("1200", "750")
        assert (img.get("loading") == "lazy") is lazy
        for srcset, fmt in ((source["srcset"], "WEBP"), (img["srcset"], "JPEG")):
            candidates = _candidates(srcset or "")
            assert [w for _url, w in candidates] == [480, 800, 1200]
            for url, width in candidates:
                with Image.open((html.parent / url).resolve()) as image:
                    assert (image.format, image.width) == (fmt, width)
        assert (html.parent / (img["src"] or "")).resolve().is_file()
    text = page.read_text(encoding="utf-8")
    assert "-1200.jpg" in text.split('property="og:image"', 1)[1].split(">", 1)[0]


def test_an_unchanged_photo_is_not_encoded_again(make_content: Callable[..., Path],
                                                 build_site: Callable[..., BuildResult], tmp_path: Path) -> None:
    content = _site(make_content, photo())
    assert build_site(content).resized == 6
    images = tmp_path / "output" / "images"
    first = {p.name: p.read_bytes() for p in images.iterdir()}
    page = content / "activities" / "med-foto.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Ny aktivitet", "Ny titel"), encoding="utf-8")
    assert build_site(content).resized == 0  # an edit of the activity: its photo's files are kept
    clean = build_site(content, clean=True)  # every output made again: the sizes come from the build store
    assert clean.resized == 0
    assert {p.name: p.read_bytes() for p in images.iterdir()} == first
    (content / "images" / "scen.jpg").write_bytes(photo((1600, 1001)))
    replaced = build_site(content)
    assert replaced.resized == 6
    assert set(p.name for p in images.iterdir()).isdisjoint(first)


def test_a_photo_that_cannot_be_decoded_is_a_swedish_error(make_content: Callable[..., Path], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = photo()
    content = _site(make_content, data[: len(data) // 2])  # a truncated JPEG: its header reads, its pixels do not
    output = tmp_path / "output"
    output.mkdir()
    (output / "kvar.txt").write_text("orörd", encoding="utf-8")
    before = sorted(os.listdir(output))
    assert main(["build", "--content", str(content), "--output", str(output), "--now", "2026-11-27T12:00"]) == 1
    err = capsys.readouterr().err
    assert "content/images/scen.jpg: bilden är skadad och går inte att läsa; öppna den i ett bildprogram och spara " \
           "den igen" in err
    assert "Traceback" not in err
    assert sorted(os.listdir(output)) == before
    assert main(["check", "--content", str(content)]) == 1  # `kkssite check` decodes the photos too
    assert "content/images/scen.jpg: bilden är skadad" in capsys.readouterr().err


VENUE = "venues/scenhuset.md"


def _venue_with(make_content: Callable[..., Path], alt: str | None) -> Path:
    content = make_content(files={"images/scen.jpg": photo()})
    text = (content / VENUE).read_text(encoding="utf-8")
    keys = "image: images/scen.jpg\n" + (f'image_alt: "{alt}"\n' if alt else "")
    (content / VENUE).write_text(text.replace("accessibility:", keys + "accessibility:", 1), encoding="utf-8")
    return content


def test_a_venue_shows_its_photo_at_the_top_of_its_page(make_content: Callable[..., Path],
                                                        build_site: Callable[..., BuildResult],
                                                        tmp_path: Path) -> None:
    result = build_site(_venue_with(make_content, "Salongen med scenen i blått ljus"))
    assert result.resized == 6
    page = tmp_path / "output" / "platser" / "scenhuset" / "index.html"
    parser = _Images()
    parser.feed(page.read_text(encoding="utf-8"))
    (_, source), (_, img) = [f for f in parser.found if f[1].get("srcset")][:2]
    assert img["alt"] == "Salongen med scenen i blått ljus" and img.get("loading") is None  # at the top: not lazy
    for url, width in _candidates(img["srcset"] or "") + _candidates(source["srcset"] or ""):
        with Image.open((page.parent / url).resolve()) as image:
            assert image.width == width


def test_a_venue_photo_needs_an_alt_text(make_content: Callable[..., Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    content = _venue_with(make_content, None)
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert f"content/{VENUE}:7: image_alt: saknas; en bild behöver en alt-text som beskriver den" in err, err


def test_addresses_are_safe_in_srcset() -> None:
    d = Derivative("images/Höör i maj/scen (1).jpg", "0" * 64, 480, 300, "WEBP")
    assert d.path == "images/Hoor-i-maj/scen-1-00000000-480.webp" and d.media_type == "image/webp"
    assert Derivative("images/ö.jpg", "0" * 64, 480, 300, "JPEG").path == "images/o-00000000-480.jpg"
    assert Derivative("images/→.jpg", "0" * 64, 480, 300, "JPEG").path == "images/bild-00000000-480.jpg"


def test_an_alt_text_edit_is_patched_and_equals_a_clean_build(make_content: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    from test_patch import edit, run, same_as_clean

    content = _site(make_content, photo())
    output, cache = tmp_path / "output", tmp_path / ".cache"
    run(content, output, cache)
    edit(content / "activities" / "med-foto.md", r"^image_alt: .*$", 'image_alt: "Scenen i blått ljus"')
    result = run(content, output, cache)
    assert result.patched and result.resized == 0  # image_alt is a leaf: the cards and the page are made again
    assert 'alt="Scenen i blått ljus"' in (output / "aktiviteter" / "med-foto" / "index.html").read_text("utf-8")
    assert ',"Scenen i blått ljus"]' in (output / "aktiviteter" / "index.json").read_text("utf-8")
    same_as_clean(content, output, tmp_path)
