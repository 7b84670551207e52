"""One rule for every date a person types or imports: the year is between 1900 and 2100."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scoring.lib.months import parse_day, validate_plausible_date
from scoring.lib.spreadsheets import DateWidget, check_year

ENGLISH = "01/01/0202 is not a plausible date: the year must be between 1900 and 2100."
VIETNAMESE = "01/01/0202 không phải là ngày hợp lệ: năm phải trong khoảng từ 1900 đến 2100."


@pytest.mark.parametrize(
    "day",
    [datetime.date(1900, 1, 1), datetime.date(2026, 3, 10), datetime.date(2100, 12, 31)],
)
def test_a_date_from_1900_to_2100_is_plausible(day):
    validate_plausible_date(day)
    assert check_year(day) == day


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(1, 1, 1),
        datetime.date(1899, 12, 31),
        datetime.date(2101, 1, 1),
        datetime.date(9999, 12, 31),
    ],
)
def test_a_date_before_1900_or_after_2100_is_refused(day):
    with pytest.raises(ValidationError) as refused:
        validate_plausible_date(day)

    assert refused.value.code == "implausible_date"


@pytest.mark.parametrize(("language", "message"), [("en", ENGLISH), ("vi", VIETNAMESE)])
def test_the_refusal_names_the_date_as_people_write_it(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_plausible_date(datetime.date(202, 1, 1))

    assert refused.value.messages == [message]


@pytest.mark.parametrize(("language", "message"), [("en", ENGLISH), ("vi", VIETNAMESE)])
def test_a_spreadsheet_cell_is_refused_by_the_same_rule(language, message):
    with translation.override(language):
        with pytest.raises(ValueError) as refused:
            DateWidget().clean("01/01/0202")

        assert str(refused.value) == message
        with pytest.raises(ValueError):
            DateWidget().clean(datetime.datetime(2150, 1, 1, 8, 0))


def test_a_day_typed_in_a_command_is_refused_by_the_same_rule():
    assert parse_day("1900-01-01") == datetime.date(1900, 1, 1)
    assert parse_day("2100-12-31") == datetime.date(2100, 12, 31)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_day("2150-01-01")

    assert refused.value.messages == [
        "01/01/2150 is not a plausible date: the year must be between 1900 and 2100."
    ]
