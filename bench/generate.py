"""Generate a benchmark content folder: `python bench/generate.py N OUTDIR` (or `generate(n, outdir)`).

The corpus is in the real content format (content-spec.md) and deterministic: every activity draws from its own
`random.Random` seeded by its index, so the same N gives the same bytes and a 1,000-activity site is the first
1,000 activities of the 10,000 one. No clock is read. Activities have Swedish titles and bodies of 300–1,500
words (mean ≈ 950) with headings, lists and bold, every facet, multi-session courses, all-day and multi-day
items, cancelled/postponed/full statuses, registrations, and dates from 2010 to 2028. The vocabulary is copied
from content/vocabularies.yml (or the minimal test fixture), so the corpus follows the sample site.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY_SOURCES = (ROOT / "content" / "vocabularies.yml",
                      ROOT / "tests" / "fixtures" / "minimal" / "vocabularies.yml")
MARKER = ".bench-generated"  # written into every generated folder; only such folders are ever cleared
SEED = "kkssite-bench"
FIRST_DAY, LAST_DAY = date(2010, 1, 1), date(2028, 12, 31)
MIN_WORDS, MAX_WORDS, MODE_WORDS = 300, 1500, 1050  # triangular: mean (300 + 1500 + 1050) / 3 = 950

WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def word_count(markdown: str) -> int:
    """Words in a Markdown body: runs of letters (markup, digits and punctuation do not count)."""
    return len(WORD_RE.findall(markdown))


# --- Swedish word lists --------------------------------------------------------------------------------

TOPICS = (
    "ljusdesign", "ljudteknik", "scenfäktning", "röstträning", "rörelseimprovisation", "dramaturgi",
    "scenografi", "kostymhistoria", "maskteknik", "projektledning", "kulturpolitik", "publikarbete",
    "ansökningsskrivande", "arbetsmiljö på scen", "riggning och fallskydd", "digital ljusstyrning",
    "trådlösa mikrofonsystem", "filmfoto", "klippning och färgsättning", "manusutveckling", "skådespeleri för kamera",
    "dansimprovisation", "koreografiskt hantverk", "körledning", "ensemblespel", "låtskrivande", "musikproduktion",
    "turnéplanering", "budget och ekonomi", "upphovsrätt", "tillgänglig scenkonst", "syntolkning",
    "teckenspråk på scen", "dockteater", "cirkusakrobatik", "scenisk kommunikation", "förhandlingsteknik",
    "hållbar turné", "marknadsföring i sociala medier", "ledarskap i kulturlivet", "scenskräck och fokus",
    "pyroteknik", "videoprojektion", "AI-verktyg i postproduktion", "stuntkoordination", "intimitetskoordination",
)
TITLE_ADJECTIVES = (
    "Praktisk", "Grundläggande", "Fördjupad", "Avancerad", "Hållbar", "Kreativ", "Modern", "Nordisk", "Öppen",
    "Tillgänglig", "Intensiv", "Digital",
)
TITLE_SUFFIXES = (
    "i praktiken", "för yrkesverksamma", "från grunden", "på turné", "i Skåne och Blekinge", "– en fördjupning",
    "för scen och film", "med erfarna kollegor", "i små och stora rum", "steg för steg", "i teori och praktik",
    "för fria grupper", "på institution", "under en helg", "i höst", "i vår",
)
TITLE_PATTERNS = (
    "{Topic} {suffix}", "{Adj} {topic}", "Introduktion till {topic}", "{Topic}: {suffix}",
    "Mästarklass i {topic}", "{Topic} för {profs}", "Nätverksträff om {topic}", "Studiedag: {topic} {suffix}",
    "Från idé till premiär – {topic}", "{Adj} {topic} {suffix}",
)
SUBJECTS = (
    "Deltagarna", "Vi", "Kursledarna", "Gruppen", "Varje deltagare", "Ensemblen", "Teknikerna", "Vi tillsammans",
    "Alla som deltar", "Arbetslaget", "Föreläsaren", "Hela gruppen",
)
VERBS = (
    "prövar", "utforskar", "diskuterar", "analyserar", "tränar", "fördjupar", "bygger", "dokumenterar",
    "utvecklar", "presenterar", "reflekterar över", "arbetar med", "jämför", "provar ut", "planerar", "testar",
    "skissar på", "går igenom", "formulerar", "delar erfarenheter av",
)
OBJECTS = (
    "nya arbetssätt", "konkreta verktyg", "egna projekt", "metoder för samarbete", "tekniska lösningar",
    "dramaturgiska val", "ljusets rytm", "rummets akustik", "kroppens förutsättningar", "publikens perspektiv",
    "hållbara rutiner", "gemensamma övningar", "digitala arbetsflöden", "ekonomiska ramar", "säkerhetsrutiner",
    "kreativa processer", "rösten som instrument", "scenens möjligheter", "samspelet i gruppen", "berättelsens form",
    "arbetsmiljöfrågor", "internationella exempel", "lokala förutsättningar", "nya tekniska standarder",
)
ADVERBIALS = (
    "i lugn takt", "under handledning", "i mindre grupper", "på scen", "i studion", "med stöd av kollegor",
    "genom praktiska övningar", "utifrån egna erfarenheter", "i nära dialog", "med fokus på hållbarhet",
    "under hela dagen", "mellan passen", "i verkliga produktioner", "på ett konkret sätt", "steg för steg",
    "med gott om tid för frågor", "i både teori och praktik", "utan krav på förkunskaper",
)
PLACES = (
    "Malmö", "Lund", "Helsingborg", "Kristianstad", "Ystad", "Karlskrona", "Karlshamn", "Ronneby", "Sölvesborg",
    "Hässleholm", "Landskrona", "Köpenhamn", "hela regionen", "andra delar av Sverige", "Norden",
)
OPINIONS = (
    "det blir tydligt hur mycket som går att vinna på god förberedelse",
    "små förändringar ofta ger stor effekt",
    "erfarenhetsutbytet är minst lika viktigt som innehållet",
    "många har liknande frågor i sitt dagliga arbete",
    "nya verktyg kräver nya rutiner",
    "tekniken alltid ska tjäna det konstnärliga uttrycket",
    "säkerhet och kreativitet går hand i hand",
    "branschen förändras snabbare än någonsin",
    "samarbetet mellan konstnärer och tekniker är avgörande",
)
SENTENCES = (  # {verb} may be a particle verb; after an inverted subject only {verb1} (one word) is used
    "{Subj} {verb} {obj} {adv}.",
    "{Subj} {verb} {obj} och {obj2} {adv}.",
    "Under passet {verb1} vi {obj} tillsammans med kollegor från {place}.",
    "Tanken är att du ska kunna ta med dig {obj} tillbaka till din egen arbetsplats.",
    "Erfarenheten visar att {opinion}.",
    "Vi vet att {opinion}, och därför {verb1} vi {obj} {adv}.",
    "Det finns gott om tid att ställa frågor, och {subj} {verb} {obj} {adv}.",
    "Efter lunch {verb1} vi {obj} med utgångspunkt i {topic}.",
    "Kursen vänder sig till dig som vill utveckla ditt arbete med {topic}.",
    "Många som arbetar med {topic} i {place} har efterfrågat mer kunskap om {obj}.",
    "Dagen avslutas med att {subj} {verb} {obj} och sammanfattar de viktigaste lärdomarna.",
    "Vi utgår från verkliga exempel, och **{obj}** står i centrum.",
    "Ingen dag är den andra lik: ibland {verb1} vi {obj}, ibland {obj2}.",
    "För den som redan har erfarenhet av {topic} blir det en chans att {verb_inf} {obj} på djupet.",
    "Både nya och erfarna yrkesverksamma är välkomna, och {subj} {verb} {obj} {adv}.",
    "I {place} har intresset för {topic} vuxit under de senaste åren.",
    "Här får du möjlighet att {verb_inf} {obj} {adv}.",
    "Vi lägger särskild vikt vid {obj}, eftersom {opinion}.",
    "Med hjälp av **{obj}** blir det lättare att {verb_inf} {obj2}.",
    "Den som har arbetat länge med {topic} vet att {opinion}.",
    "Mellan övningarna {verb1} vi {obj2} och samtalar om hur {obj} fungerar i vardagen.",
    "Kursledaren visar hur {obj} kan kombineras med {obj2}.",
    "Deltagarna har ofta olika bakgrund, vilket gör att {obj} diskuteras ur flera perspektiv.",
    "Materialet skickas ut i förväg så att alla kan förbereda sig.",
    "Varje pass inleds med en kort genomgång och fortsätter med praktiskt arbete {adv}.",
    "Till sist {verb1} vi {obj} och planerar nästa steg tillsammans.",
    "Du behöver inte ta med något särskilt, men ta gärna med exempel från ditt eget arbete.",
    "Frågor om {topic} som ofta dyker upp är hur man {verb1} {obj} och {obj2}.",
)
VERBS_SIMPLE = (
    "prövar", "utforskar", "diskuterar", "analyserar", "tränar", "fördjupar", "bygger", "dokumenterar", "utvecklar",
    "presenterar", "jämför", "planerar", "testar", "formulerar", "granskar", "repeterar",
)
VERB_INFINITIVES = (
    "pröva", "utforska", "diskutera", "analysera", "träna", "fördjupa", "bygga", "utveckla", "jämföra", "testa",
)
HEADINGS = (
    "Om kursen", "Bakgrund", "Innehåll", "Upplägg", "För vem", "Program", "Kursledare", "Praktisk information",
    "Förkunskaper", "Det här lär du dig", "Arbetsformer", "Efter kursen", "Medverkande", "Om arrangörerna",
)
FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Johan", "Karin", "Lars", "Sara", "Per", "Elin", "Mikael", "Fatima", "Ali", "Linnéa",
    "Oskar", "Ingrid", "Björn", "Åsa", "Örjan", "Leila", "Jonas", "Sofia", "Hampus", "Maja", "Reza", "Tove",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Lindqvist", "Bergström", "Åkesson", "Holm", "Sjöberg", "Ekström", "Hosseini", "Nyström", "Lindgren", "Öberg",
)
ROLES = ("Kursledare", "Föreläsare", "Workshopledare", "Mentor", "Moderator", "Gästlärare")
STATUS_NOTES = {
    "cancelled": ("Kursledaren har fått förhinder.", "För få anmälda; vi återkommer med ett nytt datum.",
                  "Lokalen kan inte användas på grund av en vattenskada."),
    "postponed": ("Flyttas till hösten; nytt datum meddelas här.", "Skjuts upp på grund av sjukdom.",
                  "Flyttas till nästa år när lokalen är renoverad."),
    "full": ("Fullbokad – anmäl dig till reservlistan via e-post.", "Alla platser är tagna; reservlista finns."),
}
FUNDING = ("Europeiska socialfonden och Region Skåne", "Region Blekinge", "Kulturrådet", "Region Skåne",
           "Statens kulturråd och Region Blekinge")
STREETS = ("Storgatan", "Kyrkogatan", "Södra Förstadsgatan", "Ronnebygatan", "Drottninggatan", "Östra Vallgatan",
           "Stortorget", "Hamngatan", "Järnvägsgatan", "Kungsgatan")

# Venues, organisations and needs are a fixed set (independent of N) that activities refer to.
VENUE_KINDS = ("Scenhuset", "Kulturhuset", "Studion", "Dansens hus", "Musikens hus", "Filmhuset", "Folkets hus")
ORGANISATIONS = (
    ("kulturkraft-syd", "KulturKraft Syd", "https://kulturkraftsyd.se/"),
    ("region-skane-kultur", "Region Skåne, kultur", "https://utveckling.skane.se/"),
    ("region-blekinge-kultur", "Region Blekinge, kultur", "https://regionblekinge.se/"),
    ("musik-i-syd", "Musik i Syd", "https://musikisyd.se/"),
    ("film-i-skane", "Film i Skåne", "https://filmiskane.se/"),
    ("skanes-dansteater", "Skånes Dansteater", "https://skanesdansteater.se/"),
    ("regionteatern-blekinge-kronoberg", "Regionteatern Blekinge Kronoberg", "https://regionteatern.se/"),
    ("teaterforbundet", "Scen & Film", "https://scenochfilm.se/"),
    ("svensk-scenkonst", "Svensk Scenkonst", "https://svenskscenkonst.se/"),
    ("fria-gruppers-natverk", "Fria gruppers nätverk i Syd", "https://example.se/fria-grupper"),
)
NEEDS = (
    "Ljusprogrammering för turnerande tekniker", "Ekonomi och avtal för fria grupper", "Fallskydd vid arbete på höjd",
    "Hållbar dansarkropp", "Internationell turné från Blekinge", "Mentorskap för unga producenter",
    "Tillgänglig scenkonst för alla", "AI-verktyg i postproduktion", "Trådlösa system efter frekvensbytet",
    "Röstvård för skådespelare", "Publikutveckling på landsbygden", "Arbetsmiljö vid filminspelning",
)

_TRANSLIT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "ae", "ø": "o"})


def slugify(text: str) -> str:
    """ASCII slug of a Swedish title ('Ljus & scen – grund' → 'ljus-scen-grund')."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower().translate(_TRANSLIT)))


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def flow(slugs: list[str]) -> str:
    return "[" + ", ".join(q(s) if s in ("no", "yes", "on", "off", "y", "n") else s for s in slugs) + "]"


def pick(rng: random.Random, items: list[str], k: int) -> list[str]:
    """k distinct items (fewer if the list is shorter), in random order."""
    return rng.sample(items, min(k, len(items)))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- vocabulary -----------------------------------------------------------------------------------------


def vocabulary_source() -> Path:
    return next(p for p in VOCABULARY_SOURCES if p.is_file())


class Vocab:
    """The slugs the generator draws from, read from a vocabularies.yml."""

    def __init__(self, text: str) -> None:
        data = yaml.load(text, Loader=yaml.BaseLoader)  # strings, lists and dicts only
        terms = {key: [dict(item) for item in items] for key, items in data.items()}
        self.categories = [t["slug"] for t in terms["categories"]]
        self.professions = [t["slug"] for t in terms["professions"]]
        self.profession_names = {t["slug"]: t["name"] for t in terms["professions"]}
        self.art_forms = [t["slug"] for t in terms["art_forms"]]
        self.types = [t["slug"] for t in terms["types"]]
        self.cities = [t["slug"] for t in terms["cities"]]
        self.city_names = {t["slug"]: t["name"] for t in terms["cities"]}
        self.levels = [t["slug"] for t in terms["levels"]]
        self.audiences = [t["slug"] for t in terms["audiences"]]
        self.languages = [t["slug"] for t in terms["languages"]]


# --- bodies ---------------------------------------------------------------------------------------------


def _sentence(rng: random.Random, topic: str) -> str:
    obj, obj2 = rng.sample(OBJECTS, 2)
    text = rng.choice(SENTENCES).format(
        Subj=rng.choice(SUBJECTS), subj=rng.choice(SUBJECTS).lower(), verb=rng.choice(VERBS), obj=obj, obj2=obj2,
        adv=rng.choice(ADVERBIALS), place=rng.choice(PLACES), opinion=rng.choice(OPINIONS), topic=topic,
        verb_inf=rng.choice(VERB_INFINITIVES), verb1=rng.choice(VERBS_SIMPLE),
    )
    return _cap(text)


def _paragraph(rng: random.Random, topic: str, words: int) -> str:
    sentences: list[str] = []
    count = 0  # words so far: a word never spans the joints, so counts add up (no recount, no quadratic loop)
    while count < words:
        sentences.append(_sentence(rng, topic))
        count += word_count(sentences[-1])
    return " ".join(sentences)


def body(rng: random.Random, topic: str, leaders: list[str], target: int) -> str:
    """A Markdown body of about `target` words (within a sentence): headings, paragraphs, lists, bold."""
    target = max(MIN_WORDS + 10, min(MAX_WORDS - 40, target))
    bios = [f"**{name}** har arbetat med {topic} i {rng.choice(PLACES)} i många år. {_sentence(rng, topic)}"
            for name in leaders]
    bios = ["## Kursledare", *bios] if bios else []
    bio_words = sum(word_count(b) for b in bios)
    goal = target - bio_words
    parts = [_paragraph(rng, topic, rng.randint(40, 90))]
    words = word_count(parts[0])  # kept up to date part by part (parts are joined by blank lines)
    headings = rng.sample(HEADINGS, len(HEADINGS))
    while words < goal - 60:
        kind = rng.random()
        if kind < 0.55 or goal - words < 80:
            parts.append(_paragraph(rng, topic, min(goal - words, rng.randint(50, 120))))
        elif kind < 0.75:
            parts.append(f"## {headings.pop() if headings else 'Mer om innehållet'}")
        elif kind < 0.9:
            items = [f"- {_cap(rng.choice(OBJECTS))} {rng.choice(ADVERBIALS)}" for _ in range(rng.randint(3, 6))]
            parts.append("\n".join(items))
        else:
            days = [f"{i}. **{rng.choice(('Förmiddag', 'Eftermiddag', 'Kväll', 'Dag ' + str(i)))}:** "
                    f"{_cap(rng.choice(VERBS))} {rng.choice(OBJECTS)}." for i in range(1, rng.randint(3, 5))]
            parts.append("\n".join(days))
        words += word_count(parts[-1])
    parts += bios
    words += bio_words
    while words < target:
        parts.append(_sentence(rng, topic))
        words += word_count(parts[-1])
    return "\n\n".join(parts) + "\n"


# --- records --------------------------------------------------------------------------------------------


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def _clock(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _title(rng: random.Random, topic: str, audience: str) -> str:
    return rng.choice(TITLE_PATTERNS).format(
        Topic=_cap(topic), topic=topic, Adj=rng.choice(TITLE_ADJECTIVES), suffix=rng.choice(TITLE_SUFFIXES),
        profs=audience,
    )


def _professions(rng: random.Random, vocab: Vocab) -> tuple[list[str], str]:
    """The professions value (slugs, a category or alla) and how a title names them."""
    roll = rng.random()
    if roll < 0.1:
        return ["alla"], "alla yrkesgrupper"
    if roll < 0.25:
        chosen = [rng.choice(vocab.categories)]
        if rng.random() < 0.4:
            chosen.append(rng.choice(vocab.professions))
        return chosen, "yrkesverksamma"
    chosen = pick(rng, vocab.professions, rng.randint(1, 4))
    return chosen, " och ".join(vocab.profession_names[p].lower() for p in chosen[:2])


def _time_lines(rng: random.Random) -> tuple[list[str], date]:
    """start/end or sessions; returns the lines and the first day (for deadlines and published)."""
    day = _day(rng)
    kind = rng.random()
    if kind < 0.12:  # all-day, one to four days
        lines = [f"start: {day.isoformat()}"]
        if rng.random() < 0.6:
            lines.append(f"end: {(day + timedelta(days=rng.randint(1, 3))).isoformat()}")
        if rng.random() < 0.5:
            lines.append("all_day: true")
        return lines, day
    if kind < 0.35:  # a course with sessions, weekly or daily
        hour, step = rng.randint(9, 17), rng.choice((1, 7, 7, 14))
        lines = ["sessions:"]
        for i in range(rng.randint(2, 6)):
            start = day + timedelta(days=i * step)
            lines.append(f"  - {{start: {start.isoformat()} {_clock(hour, 0)}, end: \"{_clock(hour + 3, 30)}\"}}")
        return lines, day
    hour, minute = rng.randint(9, 18), rng.choice((0, 0, 15, 30))
    start = f"{day.isoformat()} {_clock(hour, minute)}"
    if rng.random() < 0.03:  # an explicit UTC offset
        start += "+01:00" if day.month in (11, 12, 1, 2) else "+02:00" if day.month in (5, 6, 7, 8) else ""
    if kind < 0.45:  # multi-day with times
        end = f"{(day + timedelta(days=rng.randint(1, 2))).isoformat()} 16:00"
        return [f"start: {start}", f"end: {end}"], day
    if kind < 0.95:
        return [f"start: {start}", f"end: \"{_clock(min(hour + rng.randint(1, 3), 21), minute)}\""], day
    return [f"start: {start}"], day


def activity(i: int, vocab: Vocab, venues: dict[str, list[str]], seed: str = SEED) -> tuple[str, str, list[str]]:
    """Activity number i: (slug, file text, needs it answers)."""
    rng = random.Random(f"{seed}-activity-{i}")
    topic = rng.choice(TOPICS)
    professions, audience = _professions(rng, vocab)
    title = _title(rng, topic, audience)
    slug = f"{slugify(title)[:60].rstrip('-')}-{i}"
    lines = [f"title: {q(title)}", f"uid: bench-{i:06d}@kulturkraftsyd.se", f"type: {rng.choice(vocab.types)}",
             "professions: alla" if professions == ["alla"] else f"professions: {flow(professions)}"]
    if rng.random() < 0.15:
        lines.append("art_forms: [alla]")
    else:
        lines.append(f"art_forms: {flow(pick(rng, vocab.art_forms, rng.randint(1, 3)))}")

    mode = rng.choices(("on_site", "online", "hybrid"), (85, 5, 10))[0]
    city = rng.choice(vocab.cities)
    if mode != "online":
        lines.append(f"city: {city}")
        if rng.random() < 0.5 and venues.get(city):
            lines.append(f"venue: {rng.choice(venues[city])}")
        elif rng.random() < 0.5:
            lines.append(f"venue: {q(f'{rng.choice(VENUE_KINDS)}, {rng.choice(STREETS)} {rng.randint(1, 60)}')}")
    if mode != "on_site":
        lines += [f"mode: {mode}", f"online_url: https://example.se/live/{i}"]
    time_lines, first_day = _time_lines(rng)
    lines += time_lines

    if rng.random() < 0.8:
        lines.append(f"level: {rng.choice(vocab.levels)}")
    if rng.random() < 0.25:
        lines.append(f"audience: {flow(rng.sample(vocab.audiences, rng.randint(1, len(vocab.audiences))))}")
    if rng.random() < 0.2:
        lines.append(f"language: {flow(pick(rng, vocab.languages, rng.randint(1, 3)))}")
    if rng.random() < 0.7:
        lines.append(f"hours: {rng.choice(('3', '6', '7,5', '9', '12', '24'))}")
    leaders = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.choice((0, 1, 1, 2, 3)))]
    if leaders:
        lines.append("leaders:")
        for name in leaders:
            lines.append(f"  - name: {q(name)}")
            lines.append(f"    role: {rng.choice(ROLES)}")
            if rng.random() < 0.5:
                lines.append(f"    link: https://example.se/personer/{slugify(name)}")
    price = rng.random()
    if price < 0.4:
        lines.append("price: 0")
    elif price < 0.8:
        lines.append(f"price: {rng.choice((300, 500, 900, 1200, 2500))}")
    else:
        lines.append(f"price: {q('500 kr för medlemmar, 900 kr övriga')}")
    if rng.random() < 0.3:
        lines.append(f"no_show_fee: {rng.choice((300, 500))}")
    if rng.random() < 0.6:
        lines.append(f"seats: {rng.randint(8, 40)}")
    if rng.random() < 0.7:
        deadline = first_day - timedelta(days=rng.randint(0, 30))
        kind = rng.choice(("anmälan", "ansökan"))
        lines += ["registration:", f"  kind: {kind}"]
        lines.append(f"  url: https://example.se/anmalan/{i}" if rng.random() < 0.7
                     else "  email: anmalan@kulturkraftsyd.se")
        if rng.random() < 0.5:
            lines.append(f"  opens: {(deadline - timedelta(days=rng.randint(14, 60))).isoformat()}")
        lines.append(f"  deadline: {deadline.isoformat()}")
        if kind == "ansökan" and rng.random() < 0.6:
            lines.append(f"  notice_by: {(deadline + timedelta(days=rng.randint(1, 7))).isoformat()}")
    if rng.random() < 0.3:
        lines.append(f"requirements: {q('Du arbetar professionellt inom ' + topic + ' eller närliggande område.')}")
    if rng.random() < 0.2:
        lines += ["accessibility:", f"  step_free: {rng.choice(('true', 'false'))}",
                  f"  hearing_loop: {rng.choice(('true', 'false'))}", f"  sign_language: {rng.choice(('ja', 'nej'))}"]
    if rng.random() < 0.8:
        orgs = rng.sample([o[0] for o in ORGANISATIONS], rng.randint(1, 2))
        lines.append(f"organisers: {flow(orgs)}")
    if rng.random() < 0.4:
        lines.append(f"funding: {q(rng.choice(FUNDING))}")
    status = rng.choices(("scheduled", "cancelled", "postponed", "full"), (87, 5, 3, 5))[0]
    if status != "scheduled":
        lines += [f"status: {status}", f"status_note: {q(rng.choice(STATUS_NOTES[status]))}"]
    if rng.random() < 0.85:
        lines.append(f"summary: {q(_sentence(rng, topic))}")
    published = first_day - timedelta(days=rng.randint(20, 120))
    lines.append(f"published: {published.isoformat()}")
    if rng.random() < 0.15:
        changed = published + timedelta(days=rng.randint(1, 15))
        lines += [f"updated: {changed.isoformat()} 10:00", "changes:",
                  f"  - {{date: {changed.isoformat()}, text: {q('Ny kursledare och uppdaterat program.')}}}"]
    needs = [_need_slug(rng.randrange(len(NEEDS)))] if rng.random() < 0.05 else []
    if needs:
        lines.append(f"needs: {flow(needs)}")
    if rng.random() < 0.01:
        lines.append("draft: true")
    words = round(rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS))
    text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng, topic, leaders, words)
    return slug, text, needs


def _need_slug(k: int) -> str:
    return slugify(NEEDS[k])


def _venues(vocab: Vocab, seed: str) -> dict[str, dict[str, str]]:
    """Two venues in every city of the vocabulary: {city: {slug: file text}}."""
    rng = random.Random(f"{seed}-venues")
    result: dict[str, dict[str, str]] = {}
    for city in vocab.cities:
        for kind in rng.sample(VENUE_KINDS, 2):
            name = f"{kind} {vocab.city_names[city]}"
            text = (
                f"---\nname: {q(name)}\naddress: {q(f'{rng.choice(STREETS)} {rng.randint(1, 40)}')}\n"
                f"postal_code: \"{rng.randint(211, 374)} {rng.randint(10, 99)}\"\ncity: {city}\n"
                f"coordinates: [{rng.uniform(55.4, 56.3):.4f}, {rng.uniform(12.6, 15.6):.4f}]\n"
                f"url: https://example.se/platser/{slugify(name)}\n"
                f"accessibility:\n  step_free: {rng.choice(('true', 'false'))}\n"
                f"  hearing_loop: {rng.choice(('true', 'false'))}\n---\n"
                f"{name} ligger centralt i {vocab.city_names[city]}, nära buss och tåg. {_sentence(rng, 'scenkonst')}\n"
            )
            result.setdefault(city, {})[slugify(name)] = text
    return result


def _need(k: int, vocab: Vocab, answered: bool, seed: str) -> str:
    rng = random.Random(f"{seed}-need-{k}")
    return (
        f"---\ntitle: {q(NEEDS[k])}\nreported_by: {q(rng.choice(('Tekniker', 'Dansare', 'Producenter')) + ' i Syd')}\n"
        f"reported: {(date(2018, 1, 1) + timedelta(days=rng.randrange(2500))).isoformat()}\n"
        f"professions: {flow(pick(rng, vocab.professions, 2))}\n"
        f"art_forms: {flow(rng.sample(vocab.art_forms, 1))}\ncities: {flow(rng.sample(vocab.cities, 1))}\n"
        f"status: {'answered' if answered else 'open'}\n---\n"
        + " ".join(_sentence(rng, NEEDS[k].lower()) for _ in range(5)) + "\n"
    )


SITE_YML = """\
title: KulturKraft Syd
tagline: Kompetensutveckling för scenkonst, musik, film och tv i Skåne och Blekinge
base_url: https://kulturkraftsyd.se/
language: sv
timezone: Europe/Stockholm
description: "Genererad testkorpus för prestandamätning av kkssite: kurser, workshoppar och seminarier."
contact:
  email: info@kulturkraftsyd.se
  phone: "040-00 00 00"
  address: "KulturKraft Syd, Box 000, 200 00 Malmö"
per_page: 20
"""

ABOUT_PAGE = """\
---
title: Om kalendern
menu: 10
summary: Om KulturKraft Syds aktivitetskalender.
---
## Bakgrund

KulturKraft Syd samlar **kompetensutveckling** för yrkesverksamma inom scenkonst, musik, film och tv.
"""


def _prepare(outdir: Path) -> None:
    """Create outdir, or clear it if an earlier run generated it; refuse any other non-empty folder."""
    if outdir.exists() and any(outdir.iterdir()):
        if not (outdir / MARKER).is_file():
            raise SystemExit(f"{outdir} is not empty and was not made by bench/generate.py; choose another folder")
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def fingerprint(n: int, seed: str = SEED) -> str:
    """What a generated folder depends on: N, the seed, this file and the vocabulary (the marker's text)."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + vocabulary_source().read_bytes() + seed.encode())
    return f"{n} {seed} {digest.hexdigest()[:16]}\n"


def ensure(n: int, outdir: str | Path, *, seed: str = SEED) -> Path:
    """Generate outdir unless it already holds exactly this corpus (same N, seed, generator and vocabulary)."""
    outdir = Path(outdir)
    marker = outdir / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8") == fingerprint(n, seed):
        return outdir
    return generate(n, outdir, seed=seed)


def generate(n: int, outdir: str | Path, *, seed: str = SEED) -> Path:
    """Write a complete content folder with n activities into outdir (cleared first); return its path."""
    outdir = Path(outdir)
    _prepare(outdir)
    vocab_text = vocabulary_source().read_text(encoding="utf-8")
    vocab = Vocab(vocab_text)
    _write(outdir / "site.yml", SITE_YML)
    _write(outdir / "vocabularies.yml", vocab_text)
    _write(outdir / "pages" / "om-kalendern.md", ABOUT_PAGE)
    venues = _venues(vocab, seed)
    for by_slug in venues.values():
        for slug, text in by_slug.items():
            _write(outdir / "venues" / f"{slug}.md", text)
    for slug, name, url in ORGANISATIONS:
        _write(outdir / "organisations" / f"{slug}.md",
               f"---\nname: {q(name)}\nurl: {url}\nemail: info@example.se\n---\n{name} arbetar med kultur i Syd.\n")
    answered: set[str] = set()
    city_venues = {city: list(by_slug) for city, by_slug in venues.items()}
    for i in range(1, n + 1):
        slug, text, needs = activity(i, vocab, city_venues, seed)
        answered.update(needs)
        _write(outdir / "activities" / f"{slug}.md", text)
    for k in range(len(NEEDS)):
        _write(outdir / "needs" / f"{_need_slug(k)}.md", _need(k, vocab, _need_slug(k) in answered, seed))
    _write(outdir / MARKER, fingerprint(n, seed))
    return outdir


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python bench/generate.py N OUTDIR", file=sys.stderr)
        return 2
    out = generate(int(argv[0]), argv[1])
    print(f"{argv[0]} activities → {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
