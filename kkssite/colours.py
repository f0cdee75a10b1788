"""Colours of the vocabulary (an art form's `colour` and `colour_dark`) against the theme's backgrounds: WCAG 2.1
relative luminance and contrast, and the backgrounds they must stand out from.

The backgrounds are the default theme's (theme/static/style.css: --bg and --card, light and dark; a test keeps
them in step). A colour of the vocabulary is used as text and as the edge of a card on those backgrounds, and as
the background of white (light mode) or dark (dark mode) text, so each needs 4.5:1 against them (WCAG 2.1 AA for
text)."""

from __future__ import annotations

LIGHT_BACKGROUNDS = ("#fdfbf7", "#ffffff")  # --bg, --card in light mode
DARK_BACKGROUNDS = ("#15130f", "#211f1c")  # --bg, --card in dark mode
MINIMUM = 4.5


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def weakest(colour: str, backgrounds: tuple[str, ...]) -> float:
    """The lowest contrast of a colour against any of the backgrounds."""
    return min(contrast(colour, b) for b in backgrounds)
