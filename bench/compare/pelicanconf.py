"""Pelican settings comparable to kkssite's output: one page per activity (article), paginated index, category
(activity type) and tag (professions, art forms, city) pages, and Atom feeds of 50 items. No cache: cold builds."""

AUTHOR = "KulturKraft Syd"
SITENAME = "KulturKraft Syd"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

ARTICLE_URL = "aktiviteter/{slug}/"
ARTICLE_SAVE_AS = "aktiviteter/{slug}/index.html"
DEFAULT_PAGINATION = 20

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{slug}.atom.xml"
FEED_MAX_ITEMS = 50
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
AUTHOR_SAVE_AS = ""  # the index already lists every article; kkssite has no author pages
AUTHORS_SAVE_AS = ""
