"""The pages the browser tests visit (site paths, relative to the root), shared by the test modules."""

HOME = ""
ACTIVITY = "aktiviteter/ljusdesign-for-scen-2027/"
FACET = "yrken/ljustekniker/"
LISTING = "aktiviteter/"
MONTH = "kalender/2026/11/"  # the month of the build's --now (2026-11-27)
SUBSCRIBE = "prenumerera/"
CANCELLED = "aktiviteter/figurteater-for-vuxen-publik-2027/"
NEEDS = "behov/"

#: The pages every accessibility check covers: name → path.
KEY_PAGES = {"home": HOME, "activity": ACTIVITY, "cancelled": CANCELLED, "facet": FACET, "month": MONTH,
             "subscribe": SUBSCRIBE, "needs": NEEDS}
