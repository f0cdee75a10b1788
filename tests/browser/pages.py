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

#: The pages every accessibility check covers: name → path.
KEY_PAGES = {"home": HOME, "activity": ACTIVITY, "facet": FACET, "month": MONTH, "subscribe": SUBSCRIBE,
             "embed": EMBED, "programme": PROGRAMME, "digest": DIGEST}
