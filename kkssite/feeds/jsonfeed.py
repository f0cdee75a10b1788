"""JSON: /feed.json (JSON Feed 1.1, the same items as /feed.xml) and /aktiviteter.json (every activity of the
archive as open data, for partner sites; the fields are documented in the README)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ..graph import Site
from ..model import STATUSES, Activity, Term
from .common import (
    STOCKHOLM,
    WINDOW_TEXT,
    FeedSet,
    Stamps,
    TextCache,
    feed_order,
    last_change,
    location_text,
    page_url,
)
from .ical import activity_ics, deadline_ics, session_uid

JSON_FEED = "feed.json"
OPEN_DATA = "aktiviteter.json"
#: Raised when a field of aktiviteter.json changes meaning or goes away (adding fields keeps it).
OPEN_DATA_VERSION = 1


def _moment(value: datetime | None, all_day: bool = False) -> str | None:
    if value is None:
        return None
    return value.date().isoformat() if all_day else value.astimezone(STOCKHOLM).isoformat()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _terms(terms: tuple[Term, ...]) -> list[dict[str, str]]:
    return [{"slug": t.slug, "name": t.name} for t in terms]


def _term(term: Term | None) -> dict[str, str] | None:
    return {"slug": term.slug, "name": term.name} if term else None


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def event_of(site: Site, activity: Activity) -> dict[str, Any]:
    """The event facts of an activity, for JSON Feed items (`_kulturkraft`) and the open data."""
    return {
        "uid": activity.uid,
        "status": activity.status,
        "status_label": STATUSES[activity.status],
        "start": _moment(activity.start, activity.all_day),
        "end": _moment(activity.end, activity.sessions[-1].all_day),
        "all_day": activity.all_day,
        "location": location_text(activity),
        "city": _term(activity.city),
        "ics_url": site.config.base_url + activity_ics(activity),
    }


def render_json_feed(site: Site, feeds: FeedSet, texts: TextCache) -> bytes:
    config = site.config
    items = []
    for activity in feed_order(feeds.site, feeds.stamps):
        text = texts(activity)
        stamps = feeds.stamps[activity.slug]
        url = page_url(site, activity)
        items.append({
            "id": url,
            "url": url,
            "title": text.title,
            "summary": activity.summary,
            "content_html": text.description,
            "date_published": stamps.created.isoformat(),
            "date_modified": stamps.modified.isoformat(),
            "tags": text.categories,
            "language": config.language,
            "_kulturkraft": {"about": config.base_url + "prenumerera/", **event_of(site, activity)},
        })
    return _dump({
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": config.base_url + JSON_FEED,
        "description": f"{config.description} Flödet: {WINDOW_TEXT}, de senast publicerade först.",
        "language": config.language,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": items,
    })


def open_record(site: Site, activity: Activity, stamps: Stamps) -> dict[str, Any]:
    """One activity of /aktiviteter.json."""
    registration = activity.registration
    venue = activity.venue
    return {
        "uid": activity.uid,
        "slug": activity.slug,
        "url": page_url(site, activity),
        "ics_url": site.config.base_url + activity_ics(activity),
        "title": activity.title,
        "summary": activity.summary,
        "type": _term(activity.type),
        "status": activity.status,
        "status_label": STATUSES[activity.status],
        "status_note": activity.status_note,
        "start": _moment(activity.start, activity.all_day),
        "end": _moment(activity.end, activity.sessions[-1].all_day),
        "all_day": activity.all_day,
        "sessions": [
            {"uid": session_uid(activity, s.index), "start": _moment(s.start, s.all_day),
             "end": _moment(s.end, s.all_day), "all_day": s.all_day}
            for s in activity.sessions
        ],
        "mode": activity.mode,
        "online_url": activity.online_url,
        "location": location_text(activity),
        "venue": {
            "slug": venue.slug, "name": venue.name, "address": venue.address, "postal_code": venue.postal_code,
            "city": venue.city.name,
            "coordinates": list(venue.coordinates) if venue.coordinates else None,
        } if venue else ({"name": activity.venue_text} if activity.venue_text else None),
        "city": _term(activity.city),
        "region": _term(site.catalog.vocabularies.regions.get(activity.region or "")),
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
            "opens": _moment(registration.opens), "deadline": _moment(registration.deadline),
            "notice_by": _day(registration.notice_by),
            "deadline_ics_url": site.config.base_url + deadline_ics(activity) if registration.deadline else None,
        } if registration else None,
        "requirements": activity.requirements,
        "leaders": [{"name": x.name, "role": x.role, "link": x.link} for x in activity.leaders],
        "organisers": [{"slug": o.slug, "name": o.name, "url": o.url} for o in activity.organisers],
        "funding": activity.funding,
        "accessibility": {key: getattr(activity.accessibility, key)
                          for key in ("step_free", "hearing_loop", "sign_language", "audio_description", "note")},
        "image": site.config.base_url + activity.image if activity.image else None,
        "image_alt": activity.image_alt,
        "published": _day(activity.published),
        "updated": _moment(activity.updated),
        "sequence": stamps.sequence,
        "changes": [{"date": c.date.isoformat(), "text": c.text} for c in activity.changes],
        "needs": [{"slug": n.slug, "title": n.title} for n in activity.needs],
    }


#: Serialized records of the previous build in this process (the live preview), by what they were made from.
_previous_records: dict[tuple[str, str], str] = {}


def render_open_data(site: Site, feeds: FeedSet) -> bytes:
    """/aktiviteter.json. Each record is serialized on its own (the same bytes json.dumps writes for the whole
    document) and reused by the next build of this process while its activity and the settings are unchanged."""
    global _previous_records
    config = site.config
    activities = site.catalog.activities
    settings = repr((config, site.catalog.vocabularies))
    records: dict[tuple[str, str], str] = {}
    fragments = []
    for activity in activities:
        key = (site.fingerprints[activity.slug], settings)
        text = _previous_records.get(key) or records.get(key)
        if text is None:
            text = json.dumps(open_record(site, activity, feeds.stamps[activity.slug]), ensure_ascii=False,
                              separators=(",", ":"))
        records[key] = text
        fragments.append(text)
    _previous_records = records
    head = _dump({
        "version": OPEN_DATA_VERSION,
        "title": f"{config.title} – alla aktiviteter",
        "home_page_url": config.base_url,
        "updated": last_change(activities, feeds.stamps).isoformat(),
        "timezone": "Europe/Stockholm",
        "count": len(activities),
    }).rstrip(b"}\n")
    return head + b',"activities":[' + ",".join(fragments).encode("utf-8") + b"]}\n"


def render_json(site: Site, feeds: FeedSet, texts: TextCache) -> dict[str, bytes]:
    return {JSON_FEED: render_json_feed(site, feeds, texts), OPEN_DATA: render_open_data(site, feeds)}
