"""Every date a person enters on a scoring model is checked by the one plausible-date rule."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from scoring.lib.months import validate_plausible_date
from scoring.models import Absence, AbsenceReason


def entered_date_fields() -> list[models.DateField]:
    """The scoring models' date fields a person fills in (not timestamps the system sets)."""
    return [
        field
        for model in apps.get_app_config("scoring").get_models()
        for field in model._meta.get_fields()
        if type(field) is models.DateField and not (field.auto_now or field.auto_now_add)
    ]


def test_the_scoring_models_have_the_date_fields_people_enter():
    names = {f"{field.model.__name__}.{field.name}" for field in entered_date_fields()}
    assert {"Unit.valid_from", "Receipt.issued_on", "Period.self_deadline"} <= names
    assert len(names) == 23


@pytest.mark.parametrize(
    "field", entered_date_fields(), ids=lambda field: f"{field.model.__name__}.{field.name}"
)
def test_each_date_people_enter_is_checked_by_the_plausible_date_rule(field):
    assert validate_plausible_date in field.validators


@pytest.mark.django_db
def test_full_clean_refuses_an_absence_ending_in_2150_and_accepts_the_boundaries(locality):
    reason = AbsenceReason.objects.first()
    absence = Absence(
        staff=locality["commune_clerk"],
        reason=reason,
        start_date=datetime.date(1900, 1, 1),
        end_date=datetime.date(2150, 6, 30),
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        absence.full_clean()

    assert refused.value.message_dict == {
        "end_date": ["30/06/2150 is not a plausible date: the year must be between 1900 and 2100."]
    }
    absence.end_date = datetime.date(2100, 12, 31)
    absence.full_clean()
