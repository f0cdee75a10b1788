"""Data files of the needs and the statistics: /behov/feed.xml (RSS of the needs organisers can act on),
/behov/behov.json (every need as open data) and /statistik/*.csv (each table of the statistics page).

views.py makes every value these write (worded, addresses absolute), so a file's key is the digest of what it
holds; these only serialize. Deterministic: the same content and `now` give the same bytes.

The CSV files are written for the spreadsheets a funder opens them in: UTF-8 with a byte order mark (without it
Excel reads UTF-8 as Windows-1252 and å, ä, ö break; LibreOffice and Python's "utf-8-sig" read it as UTF-8),
semicolons between the fields and decimal commas (what Excel with Swedish settings expects of a .csv it opens by a
double click; LibreOffice asks and offers semicolon), CRLF line ends and a header row. No `sep=;` line: Excel
alone understands it, LibreOffice and every CSV reader would take it for a row of data.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import StringIO
from typing import TYPE_CHECKING, Any

from .rss import _write, new_feed

if TYPE_CHECKING:
    from ..views import Views

CSV_DELIMITER = ";"
CSV_DECIMAL = ","
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str
    link: str
    description: str  # HTML, escaped where it was made
    guid: str
    published: datetime
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemFeed:
    """An RSS feed of items that are not activities (the needs)."""

    title: str
    link: str
    description: str
    self_url: str
    last_build: datetime
    items: tuple[FeedItem, ...]
    shows: tuple[Any, ...] = ()  # the records the items are made of (for the build: keys.py)


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the statistics: a header row and rows of texts and numbers."""

    header: tuple[str, ...]
    rows: tuple[tuple[str | int | Decimal, ...], ...]


def item_rss(feed: ItemFeed, views: Views) -> bytes:
    rss = new_feed(title=feed.title, link=feed.link, description=feed.description, language=views.language.tag,
                   feed_url=feed.self_url, ttl="360", last_build=feed.last_build)
    for item in feed.items:
        rss.add_item(title=item.title, link=item.link, description=item.description, unique_id=item.guid,
                     pubdate=item.published, categories=list(item.categories))
    return _write(rss)


def json_data(context: dict[str, Any], views: Views) -> bytes:
    """A data file as compact JSON (its fields documented in the README; "shows" names the records it is made
    of, for the build, and is not written)."""
    data = {key: value for key, value in context.items() if key != "shows"}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _cell(value: str | int | Decimal) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize() if value != value.to_integral() else value.quantize(Decimal(1)), "f")
        return text.replace(".", CSV_DECIMAL)
    return str(value)


def table_csv(table: Table, views: Views) -> bytes:
    out = StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return (BOM + out.getvalue()).encode("utf-8")
