"""fields: typing of strings, with Swedish messages that say what was expected."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from kkssite.errors import Problems
from kkssite.fields import (
    ACTIVITY_SCHEMA,
    SCHEMAS,
    SITE_SCHEMA,
    TERM_SCHEMAS,
    Bool,
    Choice,
    Context,
    Email,
    Field,
    Invalid,
    Nested,
    Pattern,
    PriceField,
    Slug,
    Uid,
    Url,
    apply_schema,
    parse_moment,
)
from kkssite.i18n import catalogue_file
from kkssite.load import parse_yaml

TZ = ZoneInfo("Europe/Stockholm")


def ctx() -> Context:
    return Context("x.md", Problems(), TZ)


def test_local_time_gets_the_right_offset_in_winter_and_summer() -> None:
    winter, _ = parse_moment("2027-01-15 19:00", TZ)
    summer, _ = parse_moment("2027-07-15T19:00", TZ)
    assert winter.utcoffset().total_seconds() == 3600
    assert summer.utcoffset().total_seconds() == 7200
    assert (winter.hour, summer.hour) == (19, 19)


def test_explicit_offset_is_converted_to_local_time() -> None:
    moment, date_only = parse_moment("2027-03-14 18:00+00:00", TZ)
    assert not date_only
    assert moment == datetime(2027, 3, 14, 19, 0, tzinfo=TZ)


def test_date_alone_means_all_day() -> None:
    moment, date_only = parse_moment("2027-06-10", TZ)
    assert date_only and moment == datetime(2027, 6, 10, tzinfo=TZ)


@pytest.mark.parametrize("written", ["14 mars", "2027-13-01 10:00", "2027-02-30", "2027-03-14 25:00"])
def test_bad_moments_are_refused(written: str) -> None:
    with pytest.raises(Invalid):
        parse_moment(written, TZ)


def test_the_spring_dst_gap_is_an_error() -> None:
    with pytest.raises(Invalid, match="finns inte i svensk tid"):
        parse_moment("2027-03-28 02:30", TZ)


def test_booleans_accept_swedish() -> None:
    assert Bool().parse("ja", 1, ctx()) is True
    assert Bool().parse("no", 1, ctx()) is False
    with pytest.raises(Invalid, match="true eller false"):
        Bool().parse("kanske", 1, ctx())


def test_price_is_a_number_or_text() -> None:
    assert PriceField().parse("1 200", 1, ctx()) == (Decimal(1200), None)
    assert PriceField().parse("7,5", 1, ctx()) == (Decimal("7.5"), None)
    assert PriceField().parse("500 kr för medlemmar", 1, ctx()) == (None, "500 kr för medlemmar")


def test_choice_suggests_the_closest_word() -> None:
    with pytest.raises(Invalid, match='menade du "cancelled"'):
        Choice({"scheduled": "", "cancelled": ""}).parse("canceld", 1, ctx())


def test_unknown_keys_get_a_suggestion_and_every_key_is_checked() -> None:
    problems = Problems()
    raw = parse_yaml("titel: x\ntype: kurs\nseats: många\nhours: x\n", "x.md", problems, 1)
    record = apply_schema(raw, {k: ACTIVITY_SCHEMA[k] for k in ("title", "seats", "hours")},
                          Context("x.md", problems, TZ))
    lines = [str(p) for p in problems]
    assert 'x.md:2: titel: okänd nyckel – menade du "title"?' in lines
    assert "x.md:4: seats: förväntade ett heltal, fick 'många'" in lines
    assert "x.md:5: hours: förväntade ett tal som 9 eller 7,5, fick 'x'" in lines
    assert "x.md:2: title: saknas; förväntade en text" in lines
    assert record.failed == {"title", "seats", "hours"}


@pytest.mark.parametrize(("field", "written", "message"), [
    (Slug(), "Ljus och scen", "förväntade ett id med små bokstäver a–z, siffror och bindestreck (som ljus-och-scen), "
                              "fick 'Ljus och scen'"),
    (Uid(), "ab", "förväntade ett kalender-id med bokstäver, siffror och @ . _ - (som "
                  "kks-2027-ljus@kulturkraftsyd.se), fick 'ab'"),
    (Url(), " www.example.org ", "förväntade en webbadress som börjar med https://, fick 'www.example.org'"),
    (Email(), "namn.exempel.se", "förväntade en e-postadress som namn@exempel.se, fick 'namn.exempel.se'"),
])
def test_the_pattern_fields_are_one_type(field: Pattern, written: str, message: str) -> None:
    assert isinstance(field, Pattern)
    with pytest.raises(Invalid) as refused:
        field.parse(written, 1, ctx())
    assert refused.value.message == message


def test_pattern_fields_return_the_stripped_text() -> None:
    assert Slug().parse(" ljus-och-scen ", 1, ctx()) == "ljus-och-scen"
    assert Url("Webbplats", required=True).parse("https://example.org/", 1, ctx()) == "https://example.org/"
    assert Email().parse("namn@exempel.se", 1, ctx()) == "namn@exempel.se"


def every_field() -> list[tuple[str, Field]]:
    found: list[tuple[str, Field]] = []

    def walk(where: str, schema: dict[str, Field]) -> None:
        for key, field in schema.items():
            found.append((f"{where}.{key}", field))
            if isinstance(field, Nested):
                walk(f"{where}.{key}", field.schema)

    for name, schema in {**SCHEMAS, "site": SITE_SCHEMA, **TERM_SCHEMAS}.items():
        walk(name, schema)
    return found


def test_descriptions_and_expected_phrases_are_msgids_translated_where_shown() -> None:
    with catalogue_file("sv").open("rb") as file:
        swedish = read_po(file, locale="sv")
    for where, field in every_field():
        assert field.doc and swedish.get(field.doc) is not None, f"{where}: {field.doc!r} is not in the catalogue"
        assert swedish.get(field.expected) is not None, f"{where}: {field.expected!r} is not in the catalogue"
    assert ACTIVITY_SCHEMA["title"].doc == "Title of the activity"
    assert ACTIVITY_SCHEMA["title"].description() == "Aktivitetens rubrik"
    assert ACTIVITY_SCHEMA["type"].expectation() == "ett id ur types i vocabularies.yml"
    assert ACTIVITY_SCHEMA["status"].expectation() == "ett av scheduled, cancelled, postponed, full"
    assert ACTIVITY_SCHEMA["seats"].expectation() == "ett heltal"
