"""The catalogues: every msgid in the code and the templates has its Swedish text, the Swedish catalogue keeps
nothing the code no longer uses, placeholders and plural forms agree, and the pseudo-locale decorates."""

from __future__ import annotations

import re
from pathlib import Path

import babel.messages.pofile
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kkssite.i18n import PSEUDO, URL_CONTEXT, Language, available, catalogue_file

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def extracted() -> dict[tuple[str, str | None], tuple[str, ...]]:
    """(msgid, context) → every form, from the package's Python code and the theme's templates."""
    found: dict[tuple[str, str | None], tuple[str, ...]] = {}
    with (ROOT / "babel.cfg").open() as cfg:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(cfg)
    for _, _, message, _, context in extract_from_dir(ROOT, method_map, options_map):
        forms = message if isinstance(message, tuple) else (message,)
        found[(forms[0], context)] = forms
    return found


@pytest.fixture(scope="module")
def swedish():  # type: ignore[no-untyped-def]
    with catalogue_file("sv").open("rb") as file:
        return read_po(file, locale="sv")


def test_every_msgid_has_its_swedish_text(swedish) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for (msgid, context), forms in sorted(extracted().items(), key=lambda i: (i[0][0], i[0][1] or "")):
        entry = swedish.get(msgid, context=context)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not all(strings) or len(strings) != len(forms):
            missing.append(f"{context + ': ' if context else ''}{msgid}")
    assert not missing, "no Swedish text (run make messages, then translate):\n" + "\n".join(missing)


def test_the_catalogue_keeps_nothing_the_code_does_not_use(swedish) -> None:  # type: ignore[no-untyped-def]
    used = set(extracted())
    unused = [m.id for m in swedish if m.id and ((m.id[0] if isinstance(m.id, tuple) else m.id), m.context) not in used]
    assert not unused, f"msgids no longer in the code: {unused}"


def test_placeholders_agree(swedish) -> None:  # type: ignore[no-untyped-def]
    for message in swedish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"n"}, (message.id, text)
            assert set(PLACEHOLDER.findall(text)) >= wanted - {"n"}, (message.id, text)


def test_languages_and_the_pseudo_locale() -> None:
    assert {"sv", "en", PSEUDO} <= set(available())
    pseudo = Language.load(PSEUDO)
    assert pseudo.gettext("Upcoming activities") == "⟦" + Language.load("sv").gettext("Upcoming activities") + "⟧"
    assert pseudo.pgettext(URL_CONTEXT, "activities") == Language.load("sv").pgettext(URL_CONTEXT, "activities")
    assert Language.load("en").gettext("Upcoming activities") == "Upcoming activities"


def test_compiled_catalogue_is_kept_by_its_source_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process reads the catalogue compiled by the one before (parsing the .po costs 0.15 s a run); an edited
    .po is compiled again, and a damaged compiled copy is never trusted."""
    import shutil

    from kkssite import i18n

    shutil.copytree(catalogue_file("sv").parent.parent.parent, tmp_path / "locale",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    compile_ = i18n._translations.__wrapped__
    first, digest = compile_("sv")
    kept = i18n.compiled_file("sv", digest)
    assert kept.is_file()

    def no_parsing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the .po was parsed although its compiled copy was kept")

    monkeypatch.setattr(babel.messages.pofile, "read_po", no_parsing)  # (i18n imports it where it compiles)
    again, same = compile_("sv")
    assert same == digest and again.gettext("Reading the content") == first.gettext("Reading the content") != (
        "Reading the content")
    monkeypatch.undo()
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    po = i18n.catalogue_file("sv")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Läser innehållet"', 'msgstr "Läser in innehållet"'),
                  encoding="utf-8")
    edited, new_digest = compile_("sv")
    assert new_digest != digest and edited.gettext("Reading the content") == "Läser in innehållet"
    assert not kept.exists() and i18n.compiled_file("sv", new_digest).is_file()
    i18n.compiled_file("sv", new_digest).write_bytes(b"\x00 not a catalogue")
    assert compile_("sv")[0].gettext("Reading the content") == "Läser in innehållet"
