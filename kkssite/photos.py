"""An activity's photo (content `image`) as the site publishes it: resized to a few widths, in WebP and in a
fallback format, with no metadata, turned as its EXIF orientation says.

The sizes (`WIDTHS`, never wider than the photo itself) serve a phone's card and a desktop's page alike through
`srcset`/`sizes`. WebP is what every current browser shows, a third smaller than JPEG at the same quality and
quick to encode; the fallback (JPEG, or PNG for PNG and GIF sources, which may be drawings with transparency)
is for the few that do not, and for Open Graph readers that want JPEG. AVIF would be smaller still but takes
several times longer to encode per size, which would make the first build of a large site slow.

Published derivatives carry no EXIF (camera, time, GPS position), no XMP and no comment: only the pixels and
the colour profile. The original of an activity's `image` is not published (a link to it in a body still
publishes it as it is). Encoder settings are fixed, so the same photo gives the same bytes in every build with
the same Pillow (whose version is part of every derivative's key: `RECIPE`).

Encoding is the expensive part: each derivative is a fragment of the build store keyed by the source file's
digest and its recipe (build.py `_photos`), so an unchanged photo is resized once, and a photo is decoded
once for all its derivatives.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import PIL

from .model import Image

if TYPE_CHECKING:  # (Pillow's image module is imported where it is used: 30 ms, and most builds resize nothing)
    from PIL import Image as Pillow

#: The widths published (px), smallest first; a photo narrower than one gets its own width as its largest.
WIDTHS = (480, 800, 1200)
#: The width Open Graph, JSON-LD and feeds point at (the largest published up to it).
SHARE_WIDTH = 1200
WEBP_QUALITY = 80
JPEG_QUALITY = 82
#: Everything that decides a derivative's bytes besides its source and size: a new recipe resizes again.
RECIPE = f"1:pillow-{PIL.__version__}:webp-{WEBP_QUALITY}:jpeg-{JPEG_QUALITY}"
#: Media types of the published formats.
MEDIA_TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
_SUFFIX = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _ascii(name: str) -> str:
    """A file name's letters without their accents (Höör → Hoor), as a web address writes them safely."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Derivative:
    """One published size of a photo in one format: what its output shows (and so its key)."""

    original: str  # content-relative path of the original (images/ljus.jpg)
    digest: str  # sha256 of the original's bytes
    width: int
    height: int
    format: str  # WEBP, JPEG or PNG
    recipe: str = RECIPE

    @property
    def path(self) -> str:
        """Its site-relative address: images/ljus-3fa2b1c9-800.webp (the digest changes when the photo does,
        so a replaced photo gets new addresses; only safe characters, as srcset needs)."""
        return f"{self.stem}-{self.width}.{self.suffix}"

    @property
    def stem(self) -> str:
        """The address of every size of the photo in every format, without "-<width>.<suffix>"."""
        parts = [_UNSAFE.sub("-", _ascii(part)).strip("-") or "bild"
                 for part in PurePosixPath(self.original).with_suffix("").parts]
        return f"{'/'.join(parts)}-{self.digest[:8]}"

    @property
    def suffix(self) -> str:
        return _SUFFIX[self.format]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def fallback_format(image: Image) -> str:
    """The format beside WebP: PNG for PNG and GIF sources (drawings, transparency), else JPEG."""
    return "PNG" if PurePosixPath(image.path).suffix.lower() in (".png", ".gif") else "JPEG"


def widths(image: Image) -> tuple[int, ...]:
    """The widths a photo is published in: those of WIDTHS below its own width, then its own or the largest."""
    top = min(image.width, WIDTHS[-1])
    return (*(w for w in WIDTHS if w < top), top)


def sizes_of(image: Image, fmt: str) -> tuple[Derivative, ...]:
    """A photo's derivatives in one format, narrowest first (heights in proportion, rounded)."""
    return tuple(Derivative(image.path, image.digest, w, max(1, round(image.height * w / image.width)), fmt)
                 for w in widths(image))


def derivatives(image: Image) -> tuple[Derivative, ...]:
    """Every derivative of a photo: the WebP sizes, then the fallback's."""
    return (*sizes_of(image, "WEBP"), *sizes_of(image, fallback_format(image)))


def shared(image: Image) -> Derivative:
    """The derivative others link to (Open Graph, JSON-LD, feeds): the fallback's largest up to SHARE_WIDTH."""
    found = [d for d in sizes_of(image, fallback_format(image)) if d.width <= SHARE_WIDTH]
    return found[-1]


class Damaged(Exception):
    """A photo that Pillow identified but cannot decode (a truncated or corrupt file)."""


def decodable(data: bytes) -> bool:
    """Whether a photo's pixels can be decoded (`kkssite check`: a JPEG at its smallest scale, which is quick)."""
    from PIL import Image as Pillow

    try:
        with Pillow.open(io.BytesIO(data)) as opened:
            if opened.format == "JPEG":
                opened.draft("RGB", (1, 1))
            opened.load()
    except Exception:  # as in encode: a broken file raises many kinds
        return False
    return True


def encode(data: bytes, wanted: tuple[Derivative, ...]) -> dict[Derivative, bytes]:
    """The bytes of each wanted derivative of one source file, decoded once. Raises Damaged."""
    from PIL import Image as Pillow
    from PIL import ImageOps

    try:
        with Pillow.open(io.BytesIO(data)) as opened:
            if opened.format == "JPEG" and wanted:  # decode at 1/2, 1/4 or 1/8 where that is still large enough
                w, h = max(d.width for d in wanted), max(d.height for d in wanted)
                turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)
                opened.draft("RGB", (h, w) if turned else (w, h))
            opened.load()
            icc = opened.info.get("icc_profile")
            shown = ImageOps.exif_transpose(opened)  # turned as its EXIF orientation says
            alpha = shown.mode in ("RGBA", "LA", "PA") or (shown.mode == "P" and "transparency" in shown.info)
            picture = shown.convert("RGBA" if alpha else "RGB")
    except Exception as exc:  # Pillow's decoders raise OSError, SyntaxError, ValueError … for a broken file
        raise Damaged(str(exc)) from None
    picture.info = {}  # nothing of the original's metadata travels with the pixels
    made: dict[Derivative, bytes] = {}
    for d in wanted:
        resized = picture if (d.width, d.height) == picture.size else picture.resize(
            (d.width, d.height), Pillow.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        extra = {"icc_profile": icc} if icc else {}
        if d.format == "WEBP":
            resized.save(out, "WEBP", quality=WEBP_QUALITY, method=4, exif=b"", xmp="", **extra)
        elif d.format == "PNG":
            resized.save(out, "PNG", compress_level=9, **extra)
        else:
            flat = resized if resized.mode == "RGB" else _on_white(resized)
            flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling="4:2:0",
                      exif=b"", **extra)
        made[d] = out.getvalue()
    return made


def _on_white(picture: Pillow.Image) -> Pillow.Image:
    """A transparent picture flattened onto white (JPEG has no transparency)."""
    from PIL import Image as Pillow

    flat = Pillow.new("RGB", picture.size, (255, 255, 255))
    flat.paste(picture, mask=picture.getchannel("A"))
    return flat
