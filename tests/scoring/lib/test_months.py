"""Calendar months and days: bounds, the month after, and reading what people type."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scoring.lib.months import (
    day_bounds,
    month_bounds,
    month_or_none,
    month_value,
    next_month,
    parse_day,
    parse_month,
)

HO_CHI_MINH = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [(2026, 1, 31), (2026, 4, 30), (2026, 2, 28), (2024, 2, 29), (2000, 2, 29), (1900, 2, 28)],
)
def test_month_bounds_run_from_the_first_to_the_last_day(year, month, last):
    assert month_bounds(year, month) == (
        datetime.date(year, month, 1),
        datetime.date(year, month, last),
    )


def test_the_month_after_december_is_january_of_the_next_year():
    assert next_month(2025, 12) == (2026, 1)
    assert next_month(2026, 1) == (2026, 2)
    assert next_month(2026, 11) == (2026, 12)


def test_a_month_is_written_with_four_digits_and_two():
    assert month_value(2026, 3) == "2026-03"
    assert parse_month(month_value(987, 11)) == (987, 11)


@pytest.mark.parametrize("value", ["2026-03", "03/2026", "3/2026", " 2026-03 "])
def test_a_month_is_read_as_the_month_input_or_people_write_it(value):
    assert parse_month(value) == (2026, 3)


@pytest.mark.parametrize("value", ["2026-13", "13/2026", "2026-00", "", "   ", "March", None])
def test_anything_else_is_not_a_month(value):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_month(value)

    assert refused.value.messages == [f"“{value}” is not a month: write YYYY-MM."]


def test_the_refusal_is_translated():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        parse_month("2026-13")

    assert refused.value.messages == ["“2026-13” không phải là tháng: hãy viết theo dạng YYYY-MM."]


@pytest.mark.parametrize("value", ["junk", "2026-13", "", None])
def test_an_optional_month_that_is_missing_or_malformed_is_none(value):
    assert month_or_none(value) is None


def test_an_optional_month_that_is_given_is_read():
    assert month_or_none("2026-03") == (2026, 3)
    assert month_or_none("12/2025") == (2025, 12)


def test_a_day_is_read_in_iso_form():
    assert parse_day("2024-02-29") == datetime.date(2024, 2, 29)
    assert parse_day(" 2026-03-10 ") == datetime.date(2026, 3, 10)


@pytest.mark.parametrize("value", ["2025-02-29", "10/03/2026", "2026-3", "", None])
def test_anything_else_is_not_a_day(value):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_day(value)

    assert refused.value.messages == [f"“{value}” is not a date: write YYYY-MM-DD."]


def test_a_day_runs_from_local_midnight_to_the_next_local_midnight():
    start, end = day_bounds(datetime.date(2026, 3, 10))

    assert start == datetime.datetime(2026, 3, 10, tzinfo=HO_CHI_MINH)
    assert end == datetime.datetime(2026, 3, 11, tzinfo=HO_CHI_MINH)
    assert start.utcoffset() == end.utcoffset() == datetime.timedelta(hours=7)
    assert end - start == datetime.timedelta(hours=24)
    assert start.astimezone(datetime.UTC) == datetime.datetime(2026, 3, 9, 17, tzinfo=datetime.UTC)


def test_the_last_day_of_a_year_runs_into_the_next_year():
    start, end = day_bounds(datetime.date(2025, 12, 31))

    assert end == datetime.datetime(2026, 1, 1, tzinfo=HO_CHI_MINH)
    assert end - start == datetime.timedelta(hours=24)
