"""config: --now is read in Stockholm time unless it carries an offset."""

from datetime import timedelta

import pytest

from kkssite.config import parse_now
from kkssite.errors import UsageError


def test_now_is_local_unless_given_an_offset() -> None:
    assert parse_now("2027-01-15").utcoffset() == timedelta(hours=1)
    assert parse_now("2027-07-15T12:00").utcoffset() == timedelta(hours=2)
    assert parse_now("2027-07-15 12:00+00:00").utcoffset() == timedelta(0)


def test_bad_now_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--now"):
        parse_now("imorgon")
