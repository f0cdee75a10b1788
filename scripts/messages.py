"""`make messages`: extract every msgid of the code and the templates (babel.cfg) and merge them into each
catalogue kkssite/locale/<code>/LC_MESSAGES/kkssite.po: new msgids get an empty text to fill in, msgids the
code no longer uses are dropped, texts already there are kept. The file's opening comment lines and a fixed
header are kept as they are, and entries are sorted, so a diff of a catalogue shows only what changed."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kkssite" / "locale"
HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: kkssite\\n"\n"Language: {code}\\n"\n"MIME-Version: 1.0\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def extracted() -> Catalog:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    template = Catalog(domain="kkssite")
    sys.path.insert(0, str(ROOT))  # the url-words extractor imports kkssite
    for _, _, message, comments, context in extract_from_dir(ROOT, method_map, options_map):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def merge(template: Catalog, path: Path) -> int:
    code = path.parent.parent.name
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    old = read_po(BytesIO(text.encode("utf-8")), locale=code) if text else Catalog(locale=code)
    new = Catalog(locale=code, domain="kkssite")
    empty = 0
    for message in template:
        if not message.id:
            continue
        found = old.get(message.id, context=message.context)
        empty_text = ("", "") if message.pluralizable else ""
        string = found.string if found is not None and not found.fuzzy else empty_text
        if not (all(string) if isinstance(string, tuple) else string):
            empty += 1
        new.add(message.id, string, context=message.context, auto_comments=message.auto_comments)
    out = BytesIO()
    write_po(out, new, width=120, sort_output=True, no_location=True, omit_header=True)
    body = out.getvalue().decode("utf-8").lstrip("\n")
    head = "\n".join(comments) + ("\n" if comments else "") + HEADER.format(code=code)
    path.write_text(head + body, encoding="utf-8")
    return empty


if __name__ == "__main__":
    catalogue = extracted()
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/kkssite.po")):
        if po.parent.parent.name == "en":  # the source language: its msgids are its texts, the .po corrects a few
            continue
        missing = merge(catalogue, po)
        print(f"{po.relative_to(ROOT)}: {len(catalogue)} msgids, {missing} without a text", file=sys.stderr)
