"""Names and numbers as people read them."""

import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation

from scoring.engine import RatingCount, satisfaction_ratio
from scoring.lib.names import tidy
from tests import factories as f


def test_a_name_keeps_single_inner_spaces_and_one_unicode_form():
    decomposed = unicodedata.normalize("NFD", "Giàng Thị Dua")
    assert tidy("  Giàng  Thị\u00a0  Dua ") == "Giàng Thị Dua"
    assert tidy(decomposed) == "Giàng Thị Dua" == unicodedata.normalize("NFC", decomposed)
    assert tidy(None) == ""


@pytest.mark.django_db
def test_a_staff_name_is_stored_tidy(locality):
    person = f.staff("  Giàng  Thị   Dua ", locality["commune"], locality["clerk_position"])
    person.refresh_from_db()
    assert person.full_name == "Giàng Thị Dua"


def test_vietnamese_text_shows_vietnamese_numbers():
    own, unit = RatingCount(31, 21), RatingCount(100, 90)
    with translation.override("vi"):
        _ratio, text = satisfaction_ratio(own, unit)
    assert "67,7%" in text and "31" in text and "67.7" not in text
    with translation.override("en"):
        _ratio, text = satisfaction_ratio(own, unit)
    assert "67.7%" in text
    assert Decimal(21) / 31 > Decimal("0.677")
