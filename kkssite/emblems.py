"""The emblems an art form may carry (vocabularies.yml: `emblem`): simple line drawings made for this site, each
a few SVG shapes on a 24 × 24 grid, drawn as lines in the current text colour (the theme's style sheet
gives the <use> that draws one its stroke). A page shows them as decoration
(`aria-hidden`) beside the art form's name, never instead of it; cards without a photo get their face from them.

The words are what editors write (ASCII, like slugs); `DEFAULT` is the emblem of an activity for every art form
(or of an art form without an emblem of its own)."""

from __future__ import annotations

EMBLEMS: dict[str, str] = {
    # a theatre mask: brow, eyes, a smile
    "mask": '<path d="M5 4.5h14v6.5a7 7 0 0 1-14 0z"/><path d="M8.3 9.2h2.4M13.3 9.2h2.4M9 13.4q3 2.6 6 0"/>',
    # a dancer mid-leap
    "dansare": '<circle cx="14.5" cy="4.2" r="1.7"/><path d="M13.6 7.2 10.8 12l3.4 2.2-1.6 6.3M10.8 12 5.5 10.6'
               'M13.6 7.2l5.2-1.9M14.2 14.2l4.8 2.3"/>',
    # two beamed notes
    "not": '<path d="M9 18V5.5l10-2.2V16"/><circle cx="6.6" cy="18" r="2.4"/><circle cx="16.6" cy="16" r="2.4"/>',
    # a film reel
    "filmrulle": '<circle cx="12" cy="12" r="8.5"/><circle cx="12" cy="7.4" r="1.8"/><circle cx="12" cy="16.6" '
                 'r="1.8"/><circle cx="7.4" cy="12" r="1.8"/><circle cx="16.6" cy="12" r="1.8"/>',
    # a television with its antenna
    "tv": '<rect x="3" y="7" width="18" height="12.5" rx="2"/><path d="M8 2.8l4 4 4-4M8.5 22h7"/>',
    # a four-pointed spark: the arts meeting
    "stjarna": '<path d="M12 2.8l2.4 6.8 6.8 2.4-6.8 2.4L12 21.2l-2.4-6.8L2.8 12l6.8-2.4z"/>',
    # three overlapping circles: every art form
    "cirklar": '<circle cx="9" cy="9.5" r="5.2"/><circle cx="15" cy="9.5" r="5.2"/><circle cx="12" cy="14.8" '
               'r="5.2"/>',
}
DEFAULT = "cirklar"


def symbol(name: str, ident: str) -> str:
    """The emblem as an SVG <symbol> for a page's sprite (`<use href="#ident">` draws it)."""
    return f'<symbol id="{ident}" viewBox="0 0 24 24">{EMBLEMS[name]}</symbol>'  # drawn as style.css says
