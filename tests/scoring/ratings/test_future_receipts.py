"""A receipt dated after today cannot be rated, whatever created it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import CitizenRating, QuestionSet, Receipt
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def future_receipt(desk, locality):
    receipt = receipt_service.issue_receipt(
        desk, locality["commune_clerk"], "H-TUONG-LAI", "Chứng thực", timezone.localdate()
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Receipt.objects.filter(pk=receipt.pk).update(issued_on=tomorrow)  # as a script might
    receipt.refresh_from_db()
    return receipt


def test_the_rating_page_refuses_a_receipt_dated_in_the_future(client, future_receipt):
    response = client.get(reverse("ratings:rate", args=[future_receipt.token]))
    assert response.status_code == 409
    assert "sau ngày hôm nay" in response.content.decode()


def test_recording_a_rating_for_a_future_receipt_is_refused(future_receipt):
    questions = QuestionSet.objects.order_by("-effective_from").first()
    answers = {question.code: "3" for question in questions.questions.all()}
    with pytest.raises(rating_service.RatingRefused) as refused:
        rating_service.record_rating(future_receipt, questions, answers, "", "link", "x")
    assert refused.value.code == "future"
    assert not CitizenRating.objects.exists()
