"""Fifty citizens' phones submitting one receipt at the same moment: one rating is kept."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from scoring.models import CitizenRating

from .conftest import ALL_SATISFIED

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
]

SUBMISSIONS = 50


def test_fifty_simultaneous_submissions_of_one_token_store_exactly_one_rating(receipt, settings):
    settings.RATING_SUBMIT_LIMIT = 10 * SUBMISSIONS  # one address, not a flood
    address = reverse("ratings:rate", args=[receipt.token])
    barrier = threading.Barrier(SUBMISSIONS)
    outcomes: list[tuple[int, str]] = []

    def submit(overall: int) -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                address, {**ALL_SATISFIED, "overall": str(overall), "channel": "link"}
            )
            outcomes.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(1 + i % 3,)) for i in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == SUBMISSIONS
    statuses = sorted(status for status, _page in outcomes)
    assert statuses == [302] + [409] * (SUBMISSIONS - 1)
    for status, page in outcomes:
        if status == 409:
            assert "Giao dịch này đã được đánh giá" in page
    assert CitizenRating.objects.filter(receipt=receipt).count() == 1
    assert CitizenRating.objects.count() == 1
