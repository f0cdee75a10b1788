"""Draw the sample site's photos (content/images/): stage scenes made with Pillow, no downloads.

Deterministic (a fixed random seed, fixed encoder settings): running it again gives the same bytes. The photos
are 1600 px wide, so the build publishes all three widths of photos.WIDTHS; kept small (JPEG quality 72).
Usage: .venv/bin/python scripts/sample_photos.py [content/images]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

W, H = 1600, 1067


def _haze(rng: random.Random, base: tuple[int, int, int]) -> Image.Image:
    """A dark stage: a vertical gradient with soft, large-scale haze."""
    img = Image.new("RGB", (W, H), base)
    draw = ImageDraw.Draw(img)
    for y in range(H):
        k = y / H
        draw.line([(0, y), (W, y)], fill=tuple(int(c * (0.55 + 0.6 * k)) for c in base))
    small = Image.effect_noise((W // 40, H // 40), 40).convert("RGB").resize((W, H), Image.Resampling.BICUBIC)
    small = small.filter(ImageFilter.GaussianBlur(30))
    return ImageChops.add(img, ImageChops.multiply(small, Image.new("RGB", (W, H), (40, 40, 48))))


def _beam(top: tuple[int, int], floor: tuple[int, int], spread: int, colour: tuple[int, int, int],
          blur: int) -> Image.Image:
    """A cone of light from a fixture at `top` to a pool on the floor around `floor`."""
    layer = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(layer)
    x, y = floor
    draw.polygon([top, (x - spread, y), (x + spread, y)], fill=tuple(c // 3 for c in colour))
    draw.ellipse([x - spread * 1.3, y - spread * 0.25, x + spread * 1.3, y + spread * 0.25], fill=colour)
    return layer.filter(ImageFilter.GaussianBlur(blur))


def _figure(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, pose: int, fill: tuple[int, int, int]) -> None:
    """A dancer's or actor's silhouette standing at (x, y): head, body, arms and legs."""
    s = scale
    draw.ellipse([x - 22 * s, y - 330 * s, x + 22 * s, y - 284 * s], fill=fill)
    draw.polygon([(x - 30 * s, y - 280 * s), (x + 30 * s, y - 280 * s), (x + 24 * s, y - 150 * s),
                  (x - 24 * s, y - 150 * s)], fill=fill)
    arm = 90 * s if pose else -40 * s
    draw.line([(x - 26 * s, y - 270 * s), (x - 110 * s, y - 200 * s - arm)], fill=fill, width=int(16 * s))
    draw.line([(x + 26 * s, y - 270 * s), (x + 120 * s, y - 330 * s + arm / 2)], fill=fill, width=int(16 * s))
    draw.line([(x - 14 * s, y - 155 * s), (x - 60 * s * (1 + pose), y)], fill=fill, width=int(20 * s))
    draw.line([(x + 14 * s, y - 155 * s), (x + 40 * s, y)], fill=fill, width=int(20 * s))


def ljus(rng: random.Random) -> Image.Image:
    """Coloured LED beams in haze over an empty stage floor."""
    img = _haze(rng, (18, 16, 34))
    for i, colour in enumerate([(255, 70, 160), (60, 140, 255), (255, 190, 90), (120, 255, 210), (200, 90, 255)]):
        top = (180 + i * 310, -20)
        floor = (rng.randint(150, W - 150), rng.randint(820, 960))
        img = ImageChops.add(img, _beam(top, floor, rng.randint(90, 160), colour, 28))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, W, 40], fill=(10, 10, 14))
    for i in range(5):
        draw.rounded_rectangle([150 + i * 310, 18, 210 + i * 310, 62], 8, fill=(30, 30, 36))
    return img.filter(ImageFilter.GaussianBlur(1.2))


def dans(rng: random.Random) -> Image.Image:
    """Two dancers in a warm side light against a deep blue cyclorama."""
    img = _haze(rng, (20, 34, 70))
    img = ImageChops.add(img, _beam((-200, 300), (700, 930), 420, (255, 150, 70), 60))
    img = ImageChops.add(img, _beam((W + 100, 200), (1100, 940), 300, (120, 170, 255), 60))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 940, W, H], fill=(34, 26, 26))
    _figure(draw, 640, 950, 2.0, 1, (12, 10, 16))
    _figure(draw, 1040, 945, 1.8, 0, (14, 12, 20))
    return img.filter(ImageFilter.GaussianBlur(1.5))


def figur(rng: random.Random) -> Image.Image:
    """A puppet on a small table lit by one spotlight, the puppeteer a shadow behind it."""
    img = _haze(rng, (30, 22, 18))
    img = ImageChops.add(img, _beam((800, -50), (800, 800), 330, (255, 225, 170), 45))
    draw = ImageDraw.Draw(img)
    draw.rectangle([420, 800, 1180, 840], fill=(70, 44, 30))
    draw.rectangle([460, 840, 490, H], fill=(50, 32, 22))
    draw.rectangle([1110, 840, 1140, H], fill=(50, 32, 22))
    _figure(draw, 930, 800, 2.1, 0, (20, 15, 14))
    _figure(draw, 760, 800, 0.9, 1, (200, 150, 110))
    return img.filter(ImageFilter.GaussianBlur(1.3))


PHOTOS = {"ljusdesign-led.jpg": ljus, "dans-pask.jpg": dans, "figurteater.jpg": figur}


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for seed, (name, draw) in enumerate(PHOTOS.items()):
        draw(random.Random(seed)).save(folder / name, "JPEG", quality=72, optimize=True, progressive=True)
        print(folder / name, (folder / name).stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "content/images"))
