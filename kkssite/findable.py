"""Findable: schema.org `Event` JSON-LD for activity pages, Open Graph data, `sitemap.xml` and `robots.txt`.

JSON-LD is built as Python data and serialized with `json.dumps` (never written by hand in a template), with
"</" escaped so that no text from the content can close the surrounding <script>. The sitemap is written with
ElementTree, which escapes every URL. Nothing here reads the clock.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from markupsafe import Markup

from .model import Activity, Session

if TYPE_CHECKING:
    from .views import Views

SCHEMA = "https://schema.org/"
EVENT_STATUS = {
    "scheduled": "EventScheduled",
    "full": "EventScheduled",
    "postponed": "EventPostponed",
    "cancelled": "EventCancelled",
}
ATTENDANCE = {
    "on_site": "OfflineEventAttendanceMode",
    "online": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}
#: Language slugs of vocabularies.yml that are not BCP 47 tags (Svenskt teckenspråk is "swl").
LANGUAGE_TAGS = {"tsp": "swl"}
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _moment(session: Session, end: bool = False) -> str:
    """ISO 8601 with the offset, or a date for all-day sessions."""
    moment = (session.end or session.start) if end else session.start
    return moment.date().isoformat() if session.all_day else moment.isoformat()


def _place(activity: Activity, views: Views) -> dict[str, Any] | None:
    regions = views.site.catalog.vocabularies.regions
    venue = activity.venue
    if venue is not None:
        address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": venue.city.name,
                                   "addressCountry": "SE"}
        if venue.address:
            address["streetAddress"] = venue.address
        if venue.postal_code:
            address["postalCode"] = venue.postal_code
        region = regions.get(venue.city.region or "")
        if region:
            address["addressRegion"] = region.name
        place: dict[str, Any] = {"@type": "Place", "name": venue.name, "address": address}
        if venue.coordinates:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.coordinates[0],
                            "longitude": venue.coordinates[1]}
        if venue.url:
            place["url"] = venue.url
        return place
    if activity.city is None and not activity.venue_text:
        return None
    address = {"@type": "PostalAddress", "addressCountry": "SE"}
    if activity.city:
        address["addressLocality"] = activity.city.name
        region = regions.get(activity.city.region or "")
        if region:
            address["addressRegion"] = region.name
    return {"@type": "Place", "name": activity.venue_text or (activity.city.name if activity.city else ""),
            "address": address}


def event_data(views: Views, activity: Activity) -> dict[str, Any]:
    """The schema.org Event of an activity, as plain data. Every session of a course is a subEvent with the
    course's location (Google's event rules want one on every Event)."""
    config = views.config
    base = config.base_url
    url = views.router.absolute(views.router.url(activity))
    first, last = activity.sessions[0], activity.sessions[-1]
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "name": activity.title,
        "description": activity.summary,
        "url": url,
        "startDate": _moment(first),
        "endDate": _moment(last, end=True),
        "eventStatus": SCHEMA + EVENT_STATUS[activity.status],
        "eventAttendanceMode": SCHEMA + ATTENDANCE[activity.mode],
        "inLanguage": [LANGUAGE_TAGS.get(t.slug, t.slug) for t in activity.languages] or [config.language],
    }
    locations: list[dict[str, Any]] = []
    if activity.mode != "online" and (place := _place(activity, views)) is not None:
        locations.append(place)
    if activity.mode != "on_site":
        locations.append({"@type": "VirtualLocation", "url": activity.online_url or url})
    if locations:
        event["location"] = locations[0] if len(locations) == 1 else locations
    if (shared := views.shared_image(activity)) is not None:
        event["image"] = views.router.absolute(shared.path)
    organisers = [{"@type": "Organization", "name": o.name, **({"url": o.url} if o.url else {})}
                  for o in activity.organisers]
    event["organizer"] = organisers or [{"@type": "Organization", "name": config.title, "url": base}]
    if activity.leaders:
        event["performer"] = [{"@type": "Person", "name": leader.name} for leader in activity.leaders]
    if activity.price is not None:
        offer: dict[str, Any] = {"@type": "Offer", "url": url, "priceCurrency": "SEK"}
        if activity.price.amount is not None:
            offer["price"] = f"{activity.price.amount.normalize():f}"
        elif activity.price.text:
            offer["description"] = activity.price.text
        if activity.status == "full":
            offer["availability"] = SCHEMA + "SoldOut"
        elif activity.status != "cancelled":
            offer["availability"] = SCHEMA + "InStock"
        registration = activity.registration
        if registration is not None:
            if registration.url:
                offer["url"] = registration.url
            if registration.opens:
                offer["validFrom"] = registration.opens.isoformat()
            if registration.deadline:
                offer["validThrough"] = registration.deadline.isoformat()
        event["offers"] = offer
    if len(activity.sessions) > 1:
        event["subEvent"] = [
            {"@type": "Event", "name": views.session_title(activity, s), "startDate": _moment(s),
             "endDate": _moment(s, end=True), "eventStatus": event["eventStatus"],
             "eventAttendanceMode": event["eventAttendanceMode"],
             **({"location": event["location"]} if "location" in event else {})}
            for s in activity.sessions
        ]
    return event


def script_json(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> element: "</" (and "<!--") cannot end or confuse it."""
    dumped = json.dumps(data, ensure_ascii=False)  # on one line: with an indent, json runs in Python, not C (4x)
    return Markup(dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def event_jsonld(views: Views, activity: Activity) -> Markup:
    return script_json(event_data(views, activity))


# --- sitemap.xml and robots.txt --------------------------------------------------------------------------


def sitemap(context: dict[str, Any], views: Views) -> bytes:
    """Every page but the not-found page, by absolute URL, in the order of the route table."""
    ElementTree.register_namespace("", SITEMAP_NS)
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in context["paths"]:
        loc = ElementTree.SubElement(ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc")
        loc.text = url
    ElementTree.indent(urlset, space="")
    data: bytes = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def robots(context: dict[str, Any], views: Views) -> bytes:
    """Everything may be indexed (calendar files are kept out by the X-Robots-Tag of _headers)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {context['sitemap']}\n".encode()
