"""The text catalogues: every string a visitor or an editor sees, one gettext catalogue per language.

Source strings (msgids) are English and live beside the code that uses them, marked with `_()` in Python and in
Jinja2 templates (Jinja2's i18n extension); each language's texts are in `kkssite/locale/<code>/LC_MESSAGES/
kkssite.po`, read with Babel and compiled in memory, so there is no generated file to keep in step. Plural forms
come from the catalogue's Plural-Forms (`ngettext`), never from a template gluing letters to a word; a phrase
that needs another word order or a definite form is its own msgid.

Three kinds of language exist:
- a translated language (`sv`, the site's and the editors' language): its .po file;
- the source language (`en`): the msgids themselves, with a .po of corrections only (the currency before the
  amount); `make messages` does not fill it with the msgids;
- the pseudo-locale `x-pseudo`, for checking that nothing escapes the catalogue: the Swedish texts, each
  wrapped in ⟦…⟧. Strings with the context "url" (path segments) are left as they are.

`make messages` extracts the msgids into `kkssite/locale/kkssite.pot` and merges them into every .po file;
tests/test_i18n.py fails when a msgid has no Swedish text or a catalogue keeps one the code no longer uses.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kkssite"
SOURCE = "en"
PSEUDO = "x-pseudo"
#: The language the pseudo-locale decorates, and the one editors' messages (errors, warnings, the CLI) use.
EDITOR = "sv"
#: Context of msgids that are URL path segments: translated, but never decorated by the pseudo-locale.
URL_CONTEXT = "url"
#: Context of msgids that are machine-readable values (a locale code for Open Graph): never decorated either.
CODE_CONTEXT = "code"
UNDECORATED = frozenset({URL_CONTEXT, CODE_CONTEXT})
#: The CLDR locale (Babel) of a language where it is not the language's code: British English (day before month,
#: "Tuesday 3 February 2027, 09:00–16:00"), the pseudo-locale's Swedish.
CLDR = {SOURCE: "en_GB", PSEUDO: EDITOR}
#: Each language's own name (its autonym), for the language switcher: a name, never translated.
AUTONYMS = {"sv": "Svenska", SOURCE: "English"}
OPEN, CLOSE = "⟦", "⟧"


def N_(message: str) -> str:  # the name is the gettext convention for "mark for extraction, translate later"
    """Mark a msgid for extraction where it is declared (a table, a schema) and translate it where it is shown."""
    return message


def pgettext(context: str, message: str) -> str:
    """Mark a msgid with a context for extraction (a date pattern); translated where it is used."""
    return message


def extract_with_url_words(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """Babel extraction method for kkssite/routes.py (see babel.cfg): its Python messages, and every URL word of
    the route and facet tables in the context "url" (the tables' patterns are data, not gettext calls)."""
    from babel.messages.extract import extract_python

    from .routes import url_words

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for word in url_words():
        yield 1, "pgettext", (URL_CONTEXT, word), []


class _Pseudo(gettext.NullTranslations):
    """The Swedish catalogue with every text wrapped in ⟦…⟧ (URL segments excepted)."""

    def __init__(self, base: gettext.NullTranslations) -> None:
        super().__init__()
        self.base = base

    def gettext(self, message: str) -> str:
        return f"{OPEN}{self.base.gettext(message)}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"{OPEN}{self.base.ngettext(msgid1, msgid2, n)}{CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        text = self.base.pgettext(context, message)
        return text if context in UNDECORATED else f"{OPEN}{text}{CLOSE}"

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        text = self.base.npgettext(context, msgid1, msgid2, n)
        return text if context in UNDECORATED else f"{OPEN}{text}{CLOSE}"


def catalogue_file(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def available() -> tuple[str, ...]:
    """The languages a site may be written in: those with a catalogue, the source language and the pseudo-locale."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return tuple(sorted(found | {SOURCE, PSEUDO}))


@functools.cache
def _translations(code: str) -> tuple[gettext.NullTranslations, str]:
    """The compiled catalogue of a language and a digest of its source (what output made with it depends on);
    compiled once per process (the editors' language is usually the site's too)."""
    if code == PSEUDO:
        base, digest = _translations(EDITOR)
        return _Pseudo(base), f"{PSEUDO}:{digest}"
    path = catalogue_file(code)
    if not path.is_file():
        if code != SOURCE:
            raise LookupError(f"no catalogue for {code!r} in {LOCALE_DIR}")
        return gettext.NullTranslations(), SOURCE
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    kept = compiled_file(code, digest)
    try:
        return gettext.GNUTranslations(BytesIO(kept.read_bytes())), digest
    except (OSError, ValueError, UnicodeDecodeError, IndexError, KeyError):
        pass  # not compiled yet (or a damaged copy): compile it
    from babel.messages.mofile import write_mo  # (here: babel's catalogue reader costs 20 ms to import)
    from babel.messages.pofile import read_po
    catalog = read_po(BytesIO(data), locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    _keep(kept, compiled.getvalue())
    compiled.seek(0)
    return gettext.GNUTranslations(compiled), digest


def compiled_file(code: str, digest: str) -> Path:
    """Where a catalogue compiled from the .po file with this digest is kept, like Python's own __pycache__:
    parsing the .po takes 0.15 s, reading the compiled copy a millisecond; a changed .po has another digest."""
    return catalogue_file(code).parent / "__pycache__" / f"{DOMAIN}.{digest[:20]}.mo"


def _keep(file: Path, compiled: bytes) -> None:
    """Save a compiled catalogue for the next process (atomically, older copies removed); a read-only
    installation simply compiles each time."""
    try:
        file.parent.mkdir(exist_ok=True)
        for old in file.parent.glob(f"{DOMAIN}.*.mo"):
            old.unlink(missing_ok=True)
        partial = file.with_name(f".{file.name}.{os.getpid()}")
        partial.write_bytes(compiled)
        os.replace(partial, file)
    except OSError:
        pass


@dataclass(frozen=True)
class Language:
    """One language of the site (or of the editors' messages): its catalogue and its CLDR locale (Babel)."""

    code: str  # "sv", "en", "x-pseudo"
    translations: gettext.NullTranslations = field(repr=False, compare=False)
    locale: Locale = field(repr=False, compare=False)
    digest: str  # of the catalogue: part of the key of everything rendered in this language

    @classmethod
    def load(cls, code: str) -> Language:
        translations, digest = _translations(code)
        cldr = Locale.parse(CLDR.get(code, code))
        return cls(code, translations, cldr, digest)

    @property
    def tag(self) -> str:
        """The language tag for lang="…" and feed metadata."""
        return self.code

    def gettext(self, message: str, **params: Any) -> str:
        text = self.translations.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        return self.translations.ngettext(singular, plural, n).format(n=n, **params)

    def pgettext(self, context: str, message: str, **params: Any) -> str:
        text = self.translations.pgettext(context, message)
        return text.format(**params) if params else text

    def npgettext(self, context: str, singular: str, plural: str, n: int, **params: Any) -> str:
        return self.translations.npgettext(context, singular, plural, n).format(n=n, **params)

    def url(self, segment: str) -> str:
        """A URL path segment in this language ("professions" → "yrken")."""
        return self.translations.pgettext(URL_CONTEXT, segment)

    @property
    def og_locale(self) -> str:
        """The locale Open Graph names ("sv_SE")."""
        return self.translations.pgettext("code", "en_GB")

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return Language.load, (self.code,)  # workers and caches pass a language by its code


#: The editors' language: every error, warning and command-line message (Swedish).
editor = Language.load(EDITOR)


def _(message: str, **params: Any) -> str:
    """An editor-facing message in the editors' language; `{name}` placeholders are filled from `params`."""
    return editor.gettext(message, **params)


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """The plural form of an editor-facing message for `n` (`{n}` and `params` filled in)."""
    return editor.ngettext(singular, plural, n, **params)
