"""What an image file is: its format, checked against its name, and its pixel size, read by Pillow.

Pillow reads the header (`Image.open` is lazy) and `verify()` checks the file's structure without decoding
the pixels. Only the formats browsers show everywhere are allowed; SVG is refused (an SVG file can carry
scripts, and it would be served from the site's own address). The size is the one a browser shows: a JPEG
that its EXIF data says to turn a quarter is as tall as it is wide.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

import PIL

from .i18n import _

#: The allowed formats (Pillow's names) and the file name endings of each, the first one preferred.
FORMATS: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "GIF": (".gif",),
    "AVIF": (".avif",),
}
#: The names of the formats in messages (the same in Swedish).
NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "AVIF": "AVIF"}
ALLOWED = "JPEG, PNG, WebP, GIF, AVIF"
#: More pixels than this is a mistake (or a decompression bomb): 40 million, a 7,700 × 5,200 photo.
MAX_PIXELS = 40_000_000
#: EXIF orientations that turn the image a quarter (width and height swap when it is shown).
_QUARTER_TURNS = frozenset({5, 6, 7, 8})
_ORIENTATION = 0x0112


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """An image as it will be shown: its format (Pillow's name) and its size in pixels."""

    format: str
    width: int
    height: int


class NotAnImage(Exception):
    """A file that is not an image of an allowed format; the message says why, in the editors' language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in data[:4096].lower()


def identify(data: bytes, name: str) -> ImageInfo:
    """The format and shown size of an image file called `name`; NotAnImage when it is none of the allowed
    formats, SVG, damaged, too large in pixels, or of another format than its name says."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".svg" or _looks_like_svg(data):
        raise NotAnImage(_("SVG images are not allowed (an SVG file can contain scripts); save the image as PNG or "
                           "JPEG"))
    from PIL import Image as Pillow  # (here: its import costs 30 ms, and most builds read no image)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Pillow.DecompressionBombWarning)  # MAX_PIXELS decides, below
            with Pillow.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format or "", image.size
                if width * height > MAX_PIXELS:
                    raise NotAnImage(_("the image is {width} × {height} pixels, more than the {limit} million "
                                       "allowed; make it smaller (2000 pixels wide is plenty on a web page)",
                                       width=width, height=height, limit=MAX_PIXELS // 1_000_000))
                turned = kind == "JPEG" and image.getexif().get(_ORIENTATION) in _QUARTER_TURNS
                image.verify()
    except PIL.UnidentifiedImageError:
        raise NotAnImage(_("the file is not an image (allowed: {formats}); a text or another kind of file cannot "
                           "be shown as a picture", formats=ALLOWED)) from None
    except Pillow.DecompressionBombError:
        raise NotAnImage(_("the image has more than {limit} million pixels; make it smaller (2000 pixels wide is "
                           "plenty on a web page)", limit=MAX_PIXELS // 1_000_000)) from None
    except NotAnImage:
        raise
    except Exception:  # Pillow's readers raise many kinds (OSError, SyntaxError, struct.error …) for a broken file
        raise NotAnImage(_("the image is damaged and cannot be read; open it in an image program and save it "
                           "again")) from None
    if kind not in FORMATS:
        raise NotAnImage(_("the image is a {format} file; save it as one of {formats}", format=kind,
                           formats=ALLOWED))
    if suffix not in FORMATS[kind]:
        stem = PurePosixPath(name).stem
        raise NotAnImage(_("the file is a {format} image, but its name ends in {suffix}; rename it to {name}",
                           format=NAMES[kind], suffix=suffix or '""', name=stem + FORMATS[kind][0]))
    if width < 1 or height < 1:
        raise NotAnImage(_("the image is damaged and cannot be read; open it in an image program and save it "
                           "again"))
    return ImageInfo(kind, height, width) if turned else ImageInfo(kind, width, height)
