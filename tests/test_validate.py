"""validate: typed catalog from the fixture; cross-file rules; every problem in one pass."""

from pathlib import Path

from support import UNFILLED, activity

from kkssite.errors import Problems
from kkssite.load import load
from kkssite.validate import validate


def check(content: Path, drafts: bool = False):  # type: ignore[no-untyped-def]
    problems = Problems()
    catalog = validate(load(content, problems), problems, drafts=drafts)
    return catalog, [str(p) for p in problems]


def test_minimal_fixture_is_valid_and_typed(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, problems = check(make_content())
    assert problems == []
    assert [a.slug for a in catalog.activities] == ["arsmote-2012", "dans-och-ljud", "ljusbord-for-turne"]
    course = catalog.activities[2]
    assert [s.index for s in course.sessions] == [1, 2]
    assert [t.slug for t in course.languages] == ["sv", "no"]  # `no` is Norwegian, not False
    assert course.price.free and course.no_show_fee == 500
    assert course.registration.kind == "ansökan" and course.registration.deadline.hour == 23
    assert course.needs[0].slug == "ljus-i-blekinge" and course.organisers[0].name == "KulturKraft Syd"
    assert course.venue is None and course.venue_text == "Blekinge teater, Ronnebygatan 1"


def test_category_and_alla_expand_to_professions(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, _ = check(make_content())
    by_slug = {a.slug: a for a in catalog.activities}
    assert [p.slug for p in by_slug["dans-och-ljud"].professions] == ["skadespelare", "dansare"]
    assert [c.slug for c in by_slug["dans-och-ljud"].categories] == ["konstnarlig"]
    everyone = by_slug["arsmote-2012"]
    assert everyone.all_professions and len(everyone.professions) == 5 and len(everyone.art_forms) == 3


def test_venue_accessibility_is_inherited(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, _ = check(make_content())
    dance = next(a for a in catalog.activities if a.slug == "dans-och-ljud")
    assert dance.venue.name == "Scenhuset"
    assert dance.accessibility.step_free is True and dance.accessibility.hearing_loop is True


def test_drafts_only_with_the_flag(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    without, _ = check(content)
    with_drafts, _ = check(content, drafts=True)
    assert "utkast" not in [a.slug for a in without.activities]
    assert "utkast" in [a.slug for a in with_drafts.activities]


def test_registration_deadline_after_start(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("sen", registration="\n  kind: anmälan\n  email: a@example.org\n  deadline: 2027-02-04")
    catalog, problems = check(make_content(files=files))
    assert catalog is None
    assert problems == ["content/activities/sen.md:14: registration.deadline: sista anmälningsdag (2027-02-04 23:59) är "
                        "efter starten (2027-02-03 09:00); den ska vara samma dag eller tidigare"]


def test_deadline_on_the_start_day_is_allowed(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("samma", registration="\n  kind: anmälan\n  email: a@example.org\n  deadline: 2027-02-03")
    catalog, problems = check(make_content(files=files))
    assert problems == [] and catalog is not None


def test_time_only_end_and_overlapping_sessions(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("krock", start="", end="", sessions="\n  - {start: 2027-02-03 09:00, end: \"12:00\"}"
                     "\n  - {start: 2027-02-03 11:00, end: \"13:00\"}")
    _, problems = check(make_content(files=files))
    assert problems == ["content/activities/krock.md:11: sessions[2].start: tillfället börjar innan tillfälle 1 har slutat"]


def test_duplicate_uid_names_the_first_file(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("kopia", uid="test-dans@example.org")
    _, problems = check(make_content(files=files))
    assert problems == ["content/activities/kopia.md:3: uid: samma uid som content/activities/dans-och-ljud.md:3; "
                        "varje aktivitet behöver ett eget"]


def test_missing_uid_is_a_warning_not_an_error(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, problems = check(make_content(files=activity("utan", uid="")))
    assert catalog is not None
    assert problems == ["content/activities/utan.md:2: varning: uid: saknas; utan ett fast uid kan kalendrar visa "
                        "aktiviteten dubbelt när filen byter namn (kkssite new skriver ett)"]


def test_online_activity_needs_no_city_but_on_site_does(make_content) -> None:  # type: ignore[no-untyped-def]
    files = {**activity("digital", city="", mode="online", online_url="https://example.org/m"),
             **activity("platslos", city="")}
    _, problems = check(make_content(files=files))
    assert problems == ["content/activities/platslos.md:2: city: saknas; förväntade ett id ur cities i "
                        "vocabularies.yml (bara aktiviteter med mode: online kan sakna ort)"]


def test_vocabulary_errors_stop_before_content(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    text = (content / "vocabularies.yml").read_text(encoding="utf-8")
    (content / "vocabularies.yml").write_text(text.replace("category: teknisk}", "category: tekniska}", 1),
                                              encoding="utf-8")
    catalog, problems = check(content)
    assert catalog is None
    assert problems == ["content/vocabularies.yml:8: professions[3].category: okänt värde 'tekniska', förväntade "
                        'ett id ur categories – menade du "teknisk"?']


def test_city_comes_from_the_venue_file(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, problems = check(make_content(files=activity("pa-scenen", city="", venue="scenhuset")))
    assert problems == []
    assert next(a for a in catalog.activities if a.slug == "pa-scenen").city.slug == "malmo"


def test_all_day_false_with_a_date_only_start(make_content) -> None:  # type: ignore[no-untyped-def]
    _, problems = check(make_content(files=activity("dag", start="2027-02-03", end="", all_day="false")))
    assert problems == ["content/activities/dag.md:10: all_day: all_day: false, men start är ett datum utan klockslag; "
                        "skriv en tid (2027-03-14 18:00) eller ta bort all_day"]


def test_coordinates_with_decimal_commas_are_refused(make_content) -> None:  # type: ignore[no-untyped-def]
    venue = "---\nname: Hallen\ncity: malmo\ncoordinates: [55,5936, 13,0035]\n---\n"
    _, problems = check(make_content(files={"venues/hallen.md": venue}))
    assert problems == ["content/venues/hallen.md:4: coordinates: förväntade två tal [latitud, longitud] med "
                        "decimalpunkt, som [55.6049, 13.0038], fick en lista"]


def test_need_status_accepts_swedish(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    need = content / "needs" / "ljus-i-blekinge.md"
    need.write_text(need.read_text(encoding="utf-8").replace("status: answered", "status: besvarat"), encoding="utf-8")
    catalog, problems = check(content)
    assert problems == [] and catalog.needs["ljus-i-blekinge"].status == "answered"


def test_a_draft_may_leave_values_empty_and_stays_out_of_the_site(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("halv", type='""', end="", draft="true",
                     registration="\n  kind: anmälan\n  email: a@example.org\n  deadline:")
    for drafts in (False, True):
        catalog, problems = check(make_content(files=files), drafts=drafts)
        assert catalog is not None and "halv" not in [a.slug for a in catalog.activities]
        assert problems == [
            "content/activities/halv.md:4: varning: type: tomt: fyll i ett id ur types i vocabularies.yml",
            "content/activities/halv.md:10: varning: draft: utkastet har 2 tomma värden och kommer inte med i "
            "förhandsvisningen, listorna, flödena eller kalendrarna förrän de är ifyllda",
            "content/activities/halv.md:14: varning: registration.deadline: tomt: fyll i datum och tid som "
            "2027-03-14 18:00 eller ta bort raden",
        ]
    # a missing key is still an error, even in a draft; only an empty one waits to be filled in
    _, problems = check(make_content(files=activity("halv", start="", end="", draft="true")))
    assert problems == ["content/activities/halv.md:2: start: saknas; förväntade datum och tid som 2027-03-14 18:00 "
                        "(eller sessions med flera tillfällen)"]


def test_a_draft_without_dates_is_only_warned_about(make_content) -> None:  # type: ignore[no-untyped-def]
    # UNFILLED writes `start:` with nothing after the colon, as kkssite new does (`start: ""` is a cleared field)
    catalog, problems = check(make_content(files=activity("utan-datum", start=UNFILLED, end=UNFILLED, draft="true")),
                              drafts=True)
    assert catalog is not None and "utan-datum" not in [a.slug for a in catalog.activities]
    assert problems[:2] == [
        "content/activities/utan-datum.md:8: varning: start: tomt: fyll i datum och tid som 2027-03-14 18:00 eller ta "
        "bort raden",
        "content/activities/utan-datum.md:9: varning: end: tomt: fyll i datum och tid som 2027-03-14 18:00 eller ta "
        "bort raden"]


def test_empty_values_are_errors_once_the_draft_is_published(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("halv", start=UNFILLED, end=UNFILLED, draft="false",
                     sessions="\n  - start:\n    end: \"21:00\"")
    catalog, problems = check(make_content(files=files), drafts=True)
    assert catalog is None
    assert problems == [
        "content/activities/halv.md:8: start: förväntade datum och tid som 2027-03-14 18:00, fick ett tomt värde",
        "content/activities/halv.md:9: end: förväntade datum och tid som 2027-03-14 18:00, fick ett tomt värde",
        "content/activities/halv.md:13: sessions[1].start: förväntade datum och tid som 2027-03-14 18:00, fick ett "
        "tomt värde",
    ]


def test_empty_values_outside_activities_are_errors(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"venues/tom.md": "---\nname: Tom\ncity: malmo\naddress:\n---\n"})
    catalog, problems = check(content)
    assert catalog is None
    assert problems == ["content/venues/tom.md:4: address: förväntade en text, fick ett tomt värde"]
