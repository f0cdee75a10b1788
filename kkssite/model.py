"""The typed content model: frozen dataclasses of plain data, built by `validate`, read by everything after.

No I/O and no logic here beyond small derived properties. Collections are tuples, orderings are explicit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

#: The words editors write for an activity's status, mode and a need's status (wording.py words them for visitors).
STATUSES = ("scheduled", "cancelled", "postponed", "full")
MODES = ("on_site", "online", "hybrid")
#: A need's life: reported (inkommet), being planned, answered by activities, closed (with a note saying why).
NEED_STATUSES = ("open", "planned", "answered", "closed")
#: A record's `LEAVES` are the fields that only the pages and feeds showing the record read: neither the site
#: graph (graph.py: listings, feeds, the calendar, the cards' states) nor the rules that span files (validate.py)
#: look at them. An edit that changes only leaves is patched into the previous build's site (build.py); any other
#: change builds the site graph again. A field not named here is not a leaf, so a new field is safe by default.
_SOURCE_AND_BODY = frozenset({"source", "body_html", "en", "swedish"})


@dataclass(frozen=True, slots=True)
class English:
    """A record's texts in English, as far as the content gives them (`en:` in front matter, the body after the
    line "=== English ==="); what it leaves out the English pages show in Swedish (translate.py)."""

    title: str | None = None
    summary: str | None = None
    body_html: str | None = None


def is_record(value: object) -> bool:
    """Whether a value is a record (its class has a KIND): asked of the class only, so a record loaded lazily from
    the build store (snapshot.py) is not read to answer."""
    return isinstance(getattr(type(value), "KIND", None), str)


def record_id(record: Any) -> str:
    """The id of a record (an activity, venue, organisation, need or page): "activity:ljusdesign"."""
    return f"{record.KIND}:{record.slug}"


#: The accessibility facts an activity or a venue may state (besides a free-text note).
ACCESSIBILITY = ("step_free", "hearing_loop", "sign_language", "audio_description")


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a controlled vocabulary (profession, art form, city, type, level, audience, language…)."""

    vocabulary: str
    slug: str
    name: str
    category: str | None = None  # professions: category slug
    region: str | None = None  # cities: region slug
    plural: str | None = None  # types: "Kurser"
    colour: str | None = None  # art forms: "#9b1c31" in light mode …
    colour_dark: str | None = None  # … and "#f3a0ad" in dark mode
    emblem: str | None = None  # art forms: a name of emblems.EMBLEMS
    en_name: str | None = None  # vocabularies.yml's `en:`: the name in English …
    en_plural: str | None = None  # … and a type's plural

    def __reduce__(self) -> tuple[object, tuple[str | None, ...]]:
        # Pickled by value through the constructor: ten times faster to load from the build cache than the
        # generic slotted-dataclass state (thousands of cached files each hold a dozen terms).
        return Term, (self.vocabulary, self.slug, self.name, self.category, self.region, self.plural, self.colour,
                      self.colour_dark, self.emblem, self.en_name, self.en_plural)


@dataclass(frozen=True, slots=True)
class Vocabularies:
    """All controlled vocabularies, each a mapping slug → Term in the order of vocabularies.yml."""

    categories: dict[str, Term]
    professions: dict[str, Term]
    art_forms: dict[str, Term]
    types: dict[str, Term]
    regions: dict[str, Term]
    cities: dict[str, Term]
    levels: dict[str, Term]
    audiences: dict[str, Term]
    languages: dict[str, Term]


@dataclass(frozen=True, slots=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class CmsConfig:
    """The web editor's settings (`cms:` in site.yml): which git host keeps the content and how editors log in."""

    backend: str  # github, gitlab or test
    repo: str | None = None  # owner/name
    branch: str = "main"
    auth_url: str | None = None  # Decap's backend.base_url: the OAuth service (GitHub) or the GitLab instance
    auth_endpoint: str | None = None
    site_domain: str | None = None  # the Netlify site whose OAuth provider logs GitHub editors in
    app_id: str | None = None  # GitLab: the OAuth application (login with PKCE)
    api_url: str | None = None  # a self-hosted GitLab's or GitHub Enterprise's API
    local_backend: str | None = None  # a local decap-server's API address


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """content/site.yml, validated."""

    title: str
    base_url: str  # absolute, ends with "/"
    language: str
    timezone: str
    description: str
    tagline: str = ""
    contact: Contact = field(default_factory=Contact)
    per_page: int = 20
    needs_inbox: str | None = None  # where the wish form posts (any form service); None: an e-mail to `contact`
    cms: CmsConfig | None = None  # the web editor at /admin/; without it, none is built
    translations: tuple[str, ...] = ()  # the other languages the site is published in ("en": under /en/)
    en_tagline: str | None = None  # site.yml's `en:` texts
    en_description: str | None = None
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the path shown to editors and the content digest (for caches)."""

    path: str
    digest: str
    lines: tuple[tuple[str, int], ...] = ()  # the line of each front-matter key (for checks after validation)

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, min((line for _key, line in self.lines), default=1))


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the content, checked to be one: its content-relative path (images/ljus.jpg, also its address
    on the site, when something links to it) and its size in pixels as shown (the width and height of its <img>);
    `digest`, the sha256 of its bytes, names its published sizes (photos.py)."""

    path: str
    width: int
    height: int
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Accessibility:
    """Structured accessibility facts; None means "not stated"."""

    step_free: bool | None = None
    hearing_loop: bool | None = None
    sign_language: bool | None = None
    audio_description: bool | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting of an activity. All-day sessions have date-only bounds (end inclusive)."""

    start: datetime
    end: datetime | None
    all_day: bool
    index: int  # 1-based position within the activity


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    role: str | None = None
    link: str | None = None
    about: str | None = None


@dataclass(frozen=True, slots=True)
class Price:
    """A price in SEK (amount) or a free-text description (text)."""

    amount: Decimal | None = None
    text: str | None = None

    @property
    def free(self) -> bool:
        return self.amount is not None and self.amount == 0


@dataclass(frozen=True, slots=True)
class Registration:
    kind: str  # "anmälan" | "ansökan"
    url: str | None
    email: str | None
    opens: datetime | None
    deadline: datetime | None
    notice_by: date | None


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of an activity's change log."""

    date: date
    text: str


@dataclass(frozen=True, slots=True)
class Venue:
    KIND: ClassVar[str] = "venue"
    FROM_FILES: ClassVar[tuple[str, ...]] = ("image",)  # its photo's pixel size and digest (see Activity)
    LEAVES: ClassVar[frozenset[str]] = _SOURCE_AND_BODY | {"name", "address", "postal_code", "coordinates", "url",
                                                           "image_alt"}

    slug: str
    source: Source
    name: str
    city: Term
    address: str | None
    postal_code: str | None
    coordinates: tuple[float, float] | None
    url: str | None
    accessibility: Accessibility
    body_html: str
    en: English | None = None  # its English texts (translate.py)
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish
    image: Image | None = None  # a photo of the venue (content `image`), published in its resized sizes
    image_alt: str | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    KIND: ClassVar[str] = "organisation"
    LEAVES: ClassVar[frozenset[str]] = _SOURCE_AND_BODY | {"name", "url", "email"}

    slug: str
    source: Source
    name: str
    url: str | None
    email: str | None
    body_html: str
    en: English | None = None  # its English texts (translate.py)
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish


@dataclass(frozen=True, slots=True)
class Need:
    """A recorded competence need (behov) that activities may answer (with their `needs:` key)."""

    KIND: ClassVar[str] = "need"
    LEAVES: ClassVar[frozenset[str]] = _SOURCE_AND_BODY | {"title", "reported_by"}

    slug: str
    source: Source
    title: str
    reported: date
    reporters: tuple[Organisation, ...]  # the organisations of `reported_by`
    reported_by: tuple[str, ...]  # its free texts ("14 frilansande ljudtekniker")
    interest: int | None  # how many have asked for it
    professions: tuple[Term, ...]  # expanded from categories and `alla`, in vocabulary order
    categories: tuple[Term, ...]  # the categories `professions` touch
    all_professions: bool
    art_forms: tuple[Term, ...]
    regions: tuple[Term, ...]  # as written, and those of `cities`, in vocabulary order
    cities: tuple[Term, ...]
    status: str  # one of NEED_STATUSES
    status_note: str | None
    body_html: str
    en: English | None = None  # its English texts (translate.py)
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a past activity led to, as its editor recorded it (every part optional)."""

    participants: int | None  # as written, or the sum of `by_category`
    by_category: tuple[tuple[Term, int], ...]  # profession category → participants, in vocabulary order
    organisations: int | None  # organisations that took part
    evaluation: str | None  # a short summary of the evaluation


@dataclass(frozen=True, slots=True)
class Material:
    """Slides, a recording, documentation: a link (`url`) or a file under content/ published with the site
    (`file`, content-relative, with its size in bytes)."""

    title: str
    url: str | None
    file: str | None
    size: int | None


@dataclass(frozen=True, slots=True)
class Page:
    KIND: ClassVar[str] = "page"
    LEAVES: ClassVar[frozenset[str]] = _SOURCE_AND_BODY | {"title", "summary"}

    slug: str
    source: Source
    title: str
    menu: int | None
    summary: str | None
    body_html: str
    en: English | None = None  # its English texts (translate.py)
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity (course, lecture, workshop…), fully typed and cross-referenced."""

    KIND: ClassVar[str] = "activity"
    #: Fields made from other files than the record's own (an image's pixel size, a material's file size): a
    #: record's digest (keys.py) holds them by value besides its source's digest.
    FROM_FILES: ClassVar[tuple[str, ...]] = ("image", "materials")
    LEAVES: ClassVar[frozenset[str]] = _SOURCE_AND_BODY | {
        "title", "summary", "leaders", "no_show_fee", "seats", "requirements", "accessibility",
        "funding", "status_note", "image_alt", "mode", "online_url", "venue_text"}

    slug: str
    source: Source
    uid: str
    title: str
    type: Term
    profession_selection: tuple[Term, ...]  # as written: professions and/or categories ("alla" → ())
    professions: tuple[Term, ...]  # expanded, in vocabulary order
    categories: tuple[Term, ...]  # categories touched by `professions`, in vocabulary order
    all_professions: bool
    art_forms: tuple[Term, ...]
    city: Term | None
    sessions: tuple[Session, ...]
    mode: str
    online_url: str | None
    venue: Venue | None
    venue_text: str | None
    audiences: tuple[Term, ...]
    level: Term | None
    languages: tuple[Term, ...]
    hours: Decimal | None
    leaders: tuple[Leader, ...]
    price: Price | None
    no_show_fee: Decimal | None
    seats: int | None
    registration: Registration | None
    requirements: str | None
    accessibility: Accessibility  # the activity's own, merged over its venue's
    organisers: tuple[Organisation, ...]
    funding: str | None
    status: str
    status_note: str | None
    summary: str
    image: Image | None
    image_alt: str | None
    published: date | None
    updated: datetime | None
    changes: tuple[Change, ...]
    needs: tuple[Need, ...]
    outcome: Outcome | None
    materials: tuple[Material, ...]
    draft: bool
    body_html: str
    en: English | None = None  # its English texts (translate.py)
    swedish: frozenset[str] = frozenset()  # on the pages of another language: the fields shown in Swedish

    @property
    def start(self) -> datetime:
        return self.sessions[0].start

    @property
    def end(self) -> datetime:
        """The end of the last session (its start when no end is given)."""
        last = self.sessions[-1]
        return last.end or last.start

    @property
    def all_day(self) -> bool:
        return self.sessions[0].all_day

    @property
    def region(self) -> str | None:
        return self.city.region if self.city else None


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every validated record of a content folder: the input of the site graph."""

    config: SiteConfig
    vocabularies: Vocabularies
    activities: tuple[Activity, ...]  # sorted by (start, slug)
    venues: dict[str, Venue]
    organisations: dict[str, Organisation]
    needs: dict[str, Need]
    pages: dict[str, Page]
    #: The content's files that are published as they are: content-relative paths (images/ljus.jpg,
    #: materials/x.pdf), sorted, of every file of an asset folder that something references (an activity's image:
    #: or materials:, a link or an image in a Markdown body). Files nothing references are not published. A new
    #: kind of reference adds its files here (validate.Assets.use).
    assets: tuple[str, ...]
