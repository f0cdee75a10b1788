"""Test helpers that read built HTML: links, headings and tag nesting (stdlib html.parser only)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_END = {"li", "dt", "dd", "p", "tr", "td", "th", "option", "thead", "tbody", "tfoot"}


class PageParser(HTMLParser):
    """Collects links, heading levels, the html lang and nesting errors of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headings: list[int] = []
        self.lang: str | None = None
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag in ("a", "link") and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in ("img", "script") and values.get("src"):
            self.links.append(values["src"] or "")
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()


def parse_page(file: Path) -> PageParser:
    parser = PageParser()
    parser.feed(file.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal href/src of every page that does not resolve to a file, deployed under base_url."""
    base_path = urlsplit(base_url).path
    missing = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        page_url = urljoin(base_url, rel)
        for link in parse_page(page).links:
            if urlsplit(link).scheme and not link.startswith(base_url):
                continue  # an external link written out in full
            target = urlsplit(urljoin(page_url, link))
            if target.scheme not in ("http", "https") or target.netloc != urlsplit(base_url).netloc:
                continue
            if not target.path.startswith(base_path):
                missing.append(f"{rel}: {link} leaves the base path")
                continue
            local = output / unquote(target.path[len(base_path):])
            if target.path.endswith("/"):
                local = local / "index.html"
            if not local.is_file():
                missing.append(f"{rel}: {link}")
    return missing


def heading_problems(parser: PageParser) -> list[str]:
    problems = []
    if parser.headings.count(1) != 1:
        problems.append(f"{parser.headings.count(1)} h1 elements")
    previous = 0
    for level in parser.headings:
        if level > previous + 1:
            problems.append(f"h{level} after h{previous}")
        previous = level
    return problems
