"""The pages the browser tests visit (site paths, relative to the root), shared by the test modules."""

HOME = ""
ACTIVITY = "aktiviteter/ljusdesign-for-scen-2027/"
FACET = "yrken/ljustekniker/"
LISTING = "aktiviteter/"
MONTH = "kalender/2026/11/"  # the month of the build's --now (2026-11-27)
SUBSCRIBE = "prenumerera/"
EMBED = "badda-in/"
PROGRAMME = "program/yrken/ljustekniker/"
DIGEST = "nyhetsbrev/2026-12/teknisk/"
WISH = "onska/"
NEEDS = "behov/"
NEED = "behov/led-och-digital-ljusstyrning/"
ARCHIVED = "aktiviteter/ljusdesign-med-led-2013/"  # past, with its outcome and materials
STATISTICS = "statistik/"
CANCELLED = "aktiviteter/figurteater-for-vuxen-publik-2027/"

#: The same pages on the English site (/en/), and its accessibility statement, a content page with Swedish parts.
EN_HOME = "en/"
EN_ACTIVITY = "en/activities/ljusdesign-for-scen-2027/"
EN_LISTING = "en/activities/"
EN_STATEMENT = "en/tillganglighet/"
ENGLISH = {"en-home": EN_HOME, "en-activity": EN_ACTIVITY, "en-cancelled": "en/activities/figurteater-for-vuxen-publik-2027/",
           "en-facet": "en/professions/ljustekniker/", "en-month": "en/calendar/2026/11/",
           "en-subscribe": "en/subscribe/", "en-needs": "en/needs/", "en-need": "en/needs/led-och-digital-ljusstyrning/",
           "en-statistics": "en/statistics/", "en-statement": EN_STATEMENT, "en-embed": "en/embed/",
           "en-wish": "en/wish/", "en-archived": "en/activities/ljusdesign-med-led-2013/"}

#: The pages every accessibility check covers: name → path.
KEY_PAGES = {"home": HOME, "activity": ACTIVITY, "cancelled": CANCELLED, "facet": FACET, "month": MONTH,
             "subscribe": SUBSCRIBE, "embed": EMBED, "programme": PROGRAMME, "digest": DIGEST, "wish": WISH,
             "needs": NEEDS, "need": NEED, "archived": ARCHIVED, "statistics": STATISTICS}
KEY_PAGES.update(ENGLISH)
