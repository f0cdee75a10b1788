"""JSON: /feed.json (JSON Feed 1.1, the same items as /feed.xml) and /aktiviteter.json (every activity of the
archive as open data, for partner sites; the fields are documented in the README)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..model import Activity, Term
from ..workers import fork_map
from .ical import session_uid
from .rss import item_text

if TYPE_CHECKING:
    from pathlib import Path

    from ..views import FeedView, Views

#: Raised when a field of aktiviteter.json changes meaning or goes away (adding fields keeps it).
OPEN_DATA_VERSION = 1


def _moment(views: Views, value: datetime | None, all_day: bool = False) -> str | None:
    if value is None:
        return None
    return value.date().isoformat() if all_day else value.astimezone(views.site.tz).isoformat()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _terms(terms: tuple[Term, ...]) -> list[dict[str, str]]:
    return [{"slug": t.slug, "name": t.name} for t in terms]


def _term(term: Term | None) -> dict[str, str] | None:
    return {"slug": term.slug, "name": term.name} if term else None


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def event_of(views: Views, activity: Activity) -> dict[str, Any]:
    """The event facts of an activity, for JSON Feed items (`_kulturkraft`) and the open data."""
    return {
        "uid": activity.uid,
        "status": activity.status,
        "status_label": views.w.status(activity.status),
        "start": _moment(views, activity.start, activity.all_day),
        "end": _moment(views, activity.end, activity.sessions[-1].all_day),
        "all_day": activity.all_day,
        "location": views.w.location(activity),
        "city": _term(activity.city),
        "ics_url": views.router.absolute(views.router.path("activity-ics", slug=activity.slug)),
    }


def json_feed(feed: FeedView, views: Views) -> bytes:
    config = views.config
    stamps = views.site.feeds.stamps
    items = []
    for activity in feed.newest:
        text = item_text(views, activity)
        url = views.router.absolute(views.router.url(activity))
        items.append({
            "id": url,
            "url": url,
            "title": text.title,
            "summary": activity.summary,
            "content_html": text.description,
            "date_published": stamps[activity.slug].created.isoformat(),
            "date_modified": stamps[activity.slug].modified.isoformat(),
            "tags": text.categories,
            "language": views.language.tag,
            "_kulturkraft": {"about": views.router.absolute(views.router.path("subscribe")),
                             **event_of(views, activity)},
        })
    window = views.w._("upcoming activities and those that took place in the last six months")
    return _dump({
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": views.router.absolute(views.router.path("json-feed")),
        "description": views.w._("{description} The feed: {window}, the most recently published first.",
                                 description=config.description, window=window),
        "language": views.language.tag,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": items,
    })


def open_record(views: Views, activity: Activity) -> dict[str, Any]:
    """One activity of /aktiviteter.json."""
    registration = activity.registration
    venue = activity.venue
    router = views.router
    regions = views.site.catalog.vocabularies.regions
    return {
        "uid": activity.uid,
        "slug": activity.slug,
        "url": router.absolute(router.url(activity)),
        "ics_url": router.absolute(router.path("activity-ics", slug=activity.slug)),
        "title": activity.title,
        "summary": activity.summary,
        "type": _term(activity.type),
        "status": activity.status,
        "status_label": views.w.status(activity.status),
        "status_note": activity.status_note,
        "start": _moment(views, activity.start, activity.all_day),
        "end": _moment(views, activity.end, activity.sessions[-1].all_day),
        "all_day": activity.all_day,
        "sessions": [
            {"uid": session_uid(activity, s.index), "start": _moment(views, s.start, s.all_day),
             "end": _moment(views, s.end or s.start, s.all_day), "all_day": s.all_day}
            for s in activity.sessions
        ],
        "mode": activity.mode,
        "online_url": activity.online_url,
        "location": views.w.location(activity),
        "venue": {
            "slug": venue.slug, "name": venue.name, "address": venue.address, "postal_code": venue.postal_code,
            "city": venue.city.name,
            "coordinates": list(venue.coordinates) if venue.coordinates else None,
        } if venue else ({"name": activity.venue_text} if activity.venue_text else None),
        "city": _term(activity.city),
        "region": _term(regions.get(activity.region or "")),
        "all_professions": activity.all_professions,
        "professions": _terms(activity.professions),
        "profession_categories": _terms(activity.categories),
        "art_forms": _terms(activity.art_forms),
        "audiences": _terms(activity.audiences),
        "level": _term(activity.level),
        "languages": _terms(activity.languages),
        "hours": float(activity.hours) if activity.hours is not None else None,
        "price": {
            "amount_sek": float(activity.price.amount) if activity.price.amount is not None else None,
            "text": activity.price.text,
        } if activity.price else None,
        "no_show_fee_sek": float(activity.no_show_fee) if activity.no_show_fee is not None else None,
        "seats": activity.seats,
        "registration": {
            "kind": registration.kind, "url": registration.url, "email": registration.email,
            "opens": _moment(views, registration.opens), "deadline": _moment(views, registration.deadline),
            "notice_by": _day(registration.notice_by),
            "deadline_ics_url": router.absolute(router.path("deadline-ics", slug=activity.slug))
            if registration.deadline else None,
        } if registration else None,
        "requirements": activity.requirements,
        "leaders": [{"name": x.name, "role": x.role, "link": x.link, "about": x.about} for x in activity.leaders],
        "organisers": [{"slug": o.slug, "name": o.name, "url": o.url} for o in activity.organisers],
        "funding": activity.funding,
        "accessibility": {key: getattr(activity.accessibility, key)
                          for key in ("step_free", "hearing_loop", "sign_language", "audio_description", "note")},
        "image": router.absolute(shared.path) if (shared := views.shared_image(activity)) else None,
        "image_alt": activity.image_alt,
        "published": _day(activity.published),
        "updated": _moment(views, activity.updated),
        "sequence": views.site.feeds.stamps[activity.slug].sequence,
        "changes": [{"date": c.date.isoformat(), "text": c.text} for c in activity.changes],
        "needs": [{"slug": n.slug, "title": n.title} for n in activity.needs],
        "outcome": {
            "participants": outcome.participants,
            "participants_by_category": {term.slug: n for term, n in outcome.by_category},
            "organisations": outcome.organisations, "evaluation": outcome.evaluation,
        } if (outcome := activity.outcome) else None,
        "materials": [{"title": m.title, "url": router.absolute(m.file) if m.file else m.url, "size": m.size}
                      for m in activity.materials],
    }


def record_key(activity: Activity) -> Activity:
    """What a record is made of: the activity (whose digest holds its materials' file sizes, FROM_FILES), so a
    patched build finds the stored records of the activities it did not read without reading them."""
    return activity


def record_json(views: Views, activity: Activity) -> bytes:
    """One record of the open data, serialized as json.dumps writes it inside the whole document."""
    return json.dumps(open_record(views, activity), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def prefill(views: Views, activities: tuple[Activity, ...], workers: int) -> None:
    """The records of these activities, from the build store or serialized anew on `workers` processes."""
    fragments = views.fragments
    keys = fragments.keys_of("open-record", map(record_key, activities))
    fragments.preload_keys(keys)
    todo = [a for a, key in zip(activities, keys, strict=True) if key not in fragments.made]
    for index, data in fork_map(_serialize, range(len(todo)), (views, todo), workers):
        fragments.put("open-record", record_key(todo[index]), data)


def _serialize(index: int, shared: tuple[Views, list[Activity]]) -> tuple[int, bytes]:
    views, activities = shared
    return index, record_json(views, activities[index])


def open_data(context: dict[str, Any], views: Views) -> bytes:
    """/aktiviteter.json. Each record is serialized on its own (a fragment the build keeps while its activity is
    unchanged)."""
    activities = context["activities"]
    fragments = views.fragments.get_many("open-record", [record_key(a) for a in activities],
                                         lambda activity: record_json(views, activity))
    # One join (the document is 3 kB per activity: every further concatenation would copy all of it again).
    return b"".join((_open_head(views, activities), *_separated(fragments, b","), b"]}\n"))


def _open_head(views: Views, activities: Sequence[Activity]) -> bytes:
    """/aktiviteter.json up to its first record."""
    config = views.config
    return _dump({
        "version": OPEN_DATA_VERSION,
        "title": views.w._("{site} – all activities", site=config.title),
        "home_page_url": config.base_url,
        "updated": views.site.feeds.last_change(activities).astimezone(views.site.tz).isoformat(),
        "timezone": config.timezone,
        "count": len(activities),
    }).rstrip(b"}\n") + b',"activities":['


def open_data_as_before(context: dict[str, Any], views: Views, published: Path) -> bool:
    """In a patched build: whether /aktiviteter.json comes out as the previous build published it (`published`,
    on disk as that build left it), so that the build keeps it without joining and hashing every record (28 MB
    at 10,000 activities). It does when the changed activities' records serialize to the bytes they had and the
    head is the one the file begins with: a patch changes leaves only, so the same activities come in the same
    order, and every other record has the key it had. (The head ends at the first `,"activities":[`, which no
    value can hold: JSON escapes the quotes in strings.)"""
    activities = context["activities"]
    if not views.fragments.as_before("open-record", map(record_key, activities),
                                     lambda activity: record_json(views, activity)):
        return False
    head = _open_head(views, activities)
    try:
        with published.open("rb") as file:
            return file.read(len(head)) == head
    except OSError:
        return False


def _separated(parts: list[bytes], separator: bytes) -> Iterator[bytes]:
    for index, part in enumerate(parts):
        if index:
            yield separator
        yield part
