"""images.py: an image is identified by its content (Pillow, header only), checked against its name, and
measured as a browser shows it; anything else gets one clear Swedish message."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from kkssite.images import NotAnImage, identify


def picture(fmt: str, size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt, **save)
    return out.getvalue()


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(NotAnImage) as refused:
        identify(data, name)
    return refused.value.message


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("JPEG", "a.JPEG"), ("PNG", "a.png"),
                                           ("WEBP", "a.webp"), ("GIF", "a.gif"), ("AVIF", "a.avif")])
def test_allowed_formats_are_identified_with_their_size(fmt: str, name: str) -> None:
    info = identify(picture(fmt), name)
    assert (info.format, info.width, info.height) == (fmt, 64, 48)


def test_a_jpeg_turned_by_its_exif_data_is_measured_as_shown() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to show"
    info = identify(picture("JPEG", (64, 48), exif=exif.tobytes()), "foto.jpg")
    assert (info.width, info.height) == (48, 64)


def test_text_named_jpg_is_not_an_image() -> None:
    assert refusal("Det här är ingen bild.\n".encode(), "affisch.jpg") == (
        "filen är inte en bild (tillåtna format: JPEG, PNG, WebP, GIF, AVIF); en text eller en annan sorts fil kan "
        "inte visas som bild")


def test_svg_is_refused_by_name_and_by_content() -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    expected = ("SVG-bilder är inte tillåtna (en SVG-fil kan innehålla skript); spara bilden som PNG eller JPEG")
    assert refusal(svg, "logo.svg") == expected
    assert refusal(svg, "logo.png") == expected  # an SVG in disguise


def test_a_format_that_does_not_match_the_name_gets_the_right_name() -> None:
    assert refusal(picture("PNG"), "karta.jpg") == ("filen är en PNG-bild, men namnet slutar på .jpg; döp om den till "
                                                    "karta.png")
    assert refusal(picture("JPEG"), "foto.webp").endswith("döp om den till foto.jpg")


def test_other_image_formats_are_refused() -> None:
    assert refusal(picture("BMP"), "gammal.bmp") == ("bilden är en BMP-fil; spara den i något av formaten JPEG, PNG, "
                                                     "WebP, GIF, AVIF")


def test_a_damaged_image_is_reported() -> None:
    data = picture("PNG")
    assert refusal(data[:60], "trasig.png") == ("bilden är skadad och går inte att läsa; öppna den i ett bildprogram och "
                                                "spara den igen")


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is width × height pixels (its header alone: nothing needs to be decoded to refuse it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_too_many_pixels_is_refused_from_the_header() -> None:
    assert refusal(png_header(9000, 6000), "enorm.png") == (
        "bilden är 9000 × 6000 pixlar, fler än de 40 miljoner som tillåts; gör den mindre (en bredd på 2 000 pixlar "
        "räcker gott på en webbsida)")
    assert refusal(png_header(40000, 40000), "bomb.png").startswith("bilden")  # Pillow's own bomb guard, in words
