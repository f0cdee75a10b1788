"""The wish form, /onska/ ("Önska en aktivitet"): what a professional or an organisation would like to learn, for
which professions and art forms, where, how and when, and (with their consent) who they are.

There is no server of ours behind it. With `needs_inbox: {action: URL}` in site.yml the form is a plain HTML
POST to that address (any form service, or the organisation's own e-service) and works without JavaScript;
without it, theme/static/wish.js composes an e-mail to the site's contact address (with a text to copy for
webmail), and without JavaScript the page explains how to write one. Either way the script puts a ready-to-paste
front matter block for content/needs/ into the message (the POST's `front_matter` field), which an editor saves
as a need. The script checks the answers first (an error summary, messages tied to their fields) and fills the
form from its query: the filter's parameters (?yrke=ljustekniker, ?region=blekinge …), a need and its title.

The fields' names are the front matter's keys where there is one (title, professions, art_forms, interest), so
an answer that arrives without the block still maps onto a need; README.md and the editor's guide list them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .facets import BY_KEY
from .i18n import N_

if TYPE_CHECKING:
    from .views import Views

#: The POST's field names (the script and the guide use the same).
FIELDS = ("title", "description", "professions", "art_forms", "where", "online", "format", "level", "times",
          "scope", "language", "sender", "interest", "name", "organisation", "email", "consent", "same_as",
          "front_matter")
#: The facets whose terms the form's query can pre-fill, with the field each fills.
PREFILL = {"professions": "professions", "categories": "professions", "art-forms": "art_forms",
           "regions": "where", "cities": "where", "types": "format", "languages": "language"}
#: The choices of "when does it suit you" and "how long", as msgids (the worded text is also the value sent).
TIMES = (N_("Weekdays, daytime"), N_("Evenings"), N_("Weekends"))
SCOPES = (N_("A few hours"), N_("A day"), N_("Several days"), N_("A longer course over several weeks"))
#: Who is asking: the values of the `sender` field, with their labels.
SENDERS = (("individual", N_("I am asking for myself, as a professional")),
           ("organisation", N_("I am asking for an organisation")))


@dataclass(frozen=True, slots=True)
class FormOption:
    value: str
    label: str


def wish_context(views: Views) -> dict[str, Any]:
    w = views.w
    router = views.router
    vocab = views.site.catalog.vocabularies
    config = views.config
    every_category, every_region = BY_KEY["categories"].everything, BY_KEY["regions"].everything
    assert every_category and every_region  # "All {lower}", "All of {name}"
    professions = tuple(
        (category.name, FormOption(category.slug, w._(every_category, name=category.name,
                                                      lower=category.name.lower())),
         tuple(FormOption(t.slug, t.name) for t in vocab.professions.values() if t.category == slug))
        for slug, category in vocab.categories.items())
    region_param, city_param = router.segment(BY_KEY["regions"].param), router.segment(BY_KEY["cities"].param)
    places = tuple(
        (region.name, FormOption(f"{region_param}:{slug}", w._(every_region, name=region.name)),
         tuple(FormOption(f"{city_param}:{t.slug}", t.name) for t in vocab.cities.values() if t.region == slug))
        for slug, region in vocab.regions.items())
    params = {router.segment(BY_KEY[key].param): field for key, field in PREFILL.items()}
    params.update({router.segment("need"): "same_as", router.segment("title"): "title"})
    privacy = views.site.catalog.pages.get("integritet")
    subject = w._("A wish for an activity")
    texts = {
        "errors_one": w._("There is one problem with the form"),
        "errors_other": w._("There are {n} problems with the form"),
        "title_missing": w._("Write what you would like to learn."),
        "email_invalid": w._("Write the e-mail address as name@example.se."),
        "consent_missing": w._("Tick the box that lets us keep your contact details, or leave name, organisation "
                               "and e-mail empty."),
        "interest_invalid": w._("Write a whole number from 1, such as 3."),
        "subject": w._("A wish for an activity: {title}"),
        "greeting": w._("Hello! Here is a wish for an activity, sent with the form on the website."),
        "save_as": w._("Editor: save the text between the two marked lines as a new file content/needs/{file}; "
                       "then the wish is a need on the website."),
        "same_as": w._("The wish is about the same need as “{title}” (content/needs/{slug}.md): raise interest "
                       "there, or add it as a need of its own."),
        "begin": w._("=== copy from here ==="),
        "end": w._("=== copy up to here ==="),
        "individual": w._("A professional, through the wish form"),
        "organisation_sender": w._("An organisation, through the wish form"),
        "wishes": w._("Wishes:"),
        "format": w._("Form"), "level": w._("Level"), "times": w._("Suits me"), "scope": w._("Scope"),
        "language": w._("Language"), "where": w._("Where"), "online": w._("Online is fine too"),
        "contact": w._("Contact details (not for the file: they are not published):"),
        "name": w._("Name"), "organisation": w._("Organisation"), "email": w._("E-mail"),
        "consent": w._("Consent to keeping the contact details: yes"),
        "fallback_name": w._("wish"),
        "copied": w._("Copied!"),
    }
    email = config.contact.email
    return {
        "action": config.needs_inbox,
        "email": email,
        "fallback": f"mailto:{email}?subject={quote(subject)}" if email else None,
        "professions": professions,
        "art_forms": tuple(FormOption(t.slug, t.name) for t in vocab.art_forms.values()),
        "places": places,
        "formats": tuple(FormOption(t.slug, t.name) for t in vocab.types.values()),
        "levels": tuple(FormOption(t.slug, t.name) for t in vocab.levels.values()),
        "languages": tuple(FormOption(t.slug, t.name) for t in vocab.languages.values()),
        "senders": tuple(FormOption(value, w._(label)) for value, label in SENDERS),
        "times": tuple(FormOption(w._(t), w._(t)) for t in TIMES),
        "scopes": tuple(FormOption(w._(t), w._(t)) for t in SCOPES),
        "params": json.dumps({"fields": params, "where": {region_param: "regions", city_param: "cities"}},
                             ensure_ascii=False),
        "texts": json.dumps(texts, ensure_ascii=False),
        "privacy_url": router.url(privacy) if privacy else None,
        "needs_url": router.path("needs"),
    }
