"""Receipts, one-time tokens, recording ratings, and the satisfaction line of a sheet."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from scoring.cycle import periods, sheets
from scoring.models import CitizenRating, Evaluation, QuestionSet, Receipt
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from scoring.ratings import tally
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL_SATISFIED = {"overall": "3", "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}
UNSATISFIED = {**ALL_SATISFIED, "overall": "1"}


def receipts(desk, officer, count, start=0, day=datetime.date(2026, 3, 10)):
    return [
        receipt_service.issue_receipt(desk, officer, f"H{start + i:05d}", "Chứng thực bản sao", day)
        for i in range(count)
    ]


def rate(receipt, answers=ALL_SATISFIED, comment="", today=False):
    """Rate a receipt; the rating is dated the receipt's day unless ``today``."""
    question_set = QuestionSet.in_force(receipt.issued_on)
    rating = rating_service.record_rating(receipt, question_set, answers, comment, "link", "client")
    if not today:
        noon = datetime.datetime.combine(receipt.issued_on, datetime.time(12))
        rating.created_at = timezone.make_aware(noon)
        CitizenRating.objects.filter(pk=rating.pk).update(created_at=rating.created_at)
    return rating


def test_a_receipt_token_is_random_and_unrelated_to_the_dossier(desk, locality):
    first, second = receipts(desk, locality["commune_clerk"], 2)
    assert first.token != second.token and len(first.token) >= 40
    assert first.dossier_code not in first.token
    assert len(first.short_code) == 8 and first.short_code != second.short_code
    typed = receipt_service.format_short_code(first.short_code).lower()
    assert rating_service.receipt_for_code(typed) == first


def test_a_token_works_once(desk, locality):
    (receipt,) = receipts(desk, locality["commune_clerk"], 1)
    assert rating_service.receipt_for_token(receipt.token) == receipt
    rate(receipt)
    with pytest.raises(rating_service.RatingRefused) as refused:
        rating_service.receipt_for_token(receipt.token)
    assert refused.value.code == "used"
    with pytest.raises(rating_service.RatingRefused):
        rate(receipt)
    assert CitizenRating.objects.count() == 1


@pytest.mark.parametrize(
    ("token", "code"),
    [("short", "malformed"), ("x" * 43, "unknown"), ("bad token!" * 5, "malformed")],
)
def test_unknown_and_malformed_tokens_are_refused(desk, token, code):
    with pytest.raises(rating_service.RatingRefused) as refused:
        rating_service.receipt_for_token(token)
    assert refused.value.code == code


def test_an_expired_token_is_refused(desk, locality):
    (receipt,) = receipts(desk, locality["commune_clerk"], 1)
    Receipt.objects.filter(pk=receipt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(rating_service.RatingRefused) as refused:
        rating_service.receipt_for_token(receipt.token)
    assert refused.value.code == "expired"


@pytest.mark.parametrize(
    "answers",
    [
        {**ALL_SATISFIED, "overall": "4"},
        {**ALL_SATISFIED, "overall": "0"},
        {**ALL_SATISFIED, "time": "ba"},
        {k: v for k, v in ALL_SATISFIED.items() if k != "visits"},
    ],
    ids=["above the scale", "zero", "text", "missing"],
)
def test_answers_out_of_range_are_refused_and_nothing_is_stored(desk, locality, answers):
    (receipt,) = receipts(desk, locality["commune_clerk"], 1)
    with pytest.raises(rating_service.RatingRefused) as refused:
        rate(receipt, answers)
    assert refused.value.code == "invalid"
    assert not CitizenRating.objects.exists()


def test_a_comment_waits_for_moderation(desk, locality):
    (receipt,) = receipts(desk, locality["commune_clerk"], 1)
    rating = rate(receipt, comment="<script>alert(1)</script> Cán bộ nhiệt tình")
    assert rating.moderation == CitizenRating.Moderation.PENDING
    assert rating.comment.startswith("<script>")  # stored as text, escaped when shown


def test_the_rate_limit_counts_per_client():
    assert all(rating_service.allow("test", "client-a", 3, 60) for _ in range(3))
    assert not rating_service.allow("test", "client-a", 3, 60)
    assert rating_service.allow("test", "client-b", 3, 60)


def test_the_client_address_is_kept_only_as_a_keyed_hash():
    hashed = rating_service.client_hash("203.0.113.7")
    assert "203.0.113.7" not in hashed and len(hashed) == 64
    assert (
        hashed
        == rating_service.client_hash("203.0.113.7")
        != rating_service.client_hash("203.0.113.8")
    )


def test_month_figures_count_receipts_ratings_levels_and_the_ratio(desk, locality):
    issued = receipts(desk, locality["commune_clerk"], 5)
    for receipt in issued[:3]:
        rate(receipt)
    rate(issued[3], UNSATISFIED)
    figures = tally.month_figures(2026, 3, "officer")[locality["commune_clerk"].pk]
    assert (figures.receipts, figures.ratings, figures.satisfied) == (5, 4, 3)
    assert figures.ratio == Decimal("0.75") and figures.response_rate == Decimal("0.8")
    assert figures.levels == {3: 3, 1: 1}


def desk_sheet_line(locality, person="commune_clerk"):
    period = periods.open_period(2026, 3).period
    evaluation = Evaluation.objects.get(staff=locality[person], period=period)
    assert evaluation.criteria_set.code == "nd335-mot-cua"
    result = sheets.score(sheets.load(evaluation.pk), "final")
    return next(line for line in result.lines if line.code == "C3")


def test_ten_own_ratings_give_the_officer_their_own_ratio(desk, locality):
    issued = receipts(desk, locality["commune_clerk"], 10)
    for receipt in issued[:8]:
        rate(receipt)
    for receipt in issued[8:]:
        rate(receipt, UNSATISFIED)
    line = desk_sheet_line(locality)
    assert line.points == Decimal("6.40")  # 8 points × 80%


def test_nine_own_ratings_fall_back_to_the_unit(desk, locality):
    own = receipts(desk, locality["commune_clerk"], 9)
    colleague = receipts(desk, locality["commune_vice"], 11, start=100)
    for receipt in own:
        rate(receipt)
    for receipt in colleague[:5]:
        rate(receipt, UNSATISFIED)
    for receipt in colleague[5:]:
        rate(receipt)
    line = desk_sheet_line(locality)
    # The unit: 9 + 6 satisfied of 20 ratings = 75% of 8 points.
    assert line.points == Decimal("6.00")
    assert "9" in line.explanation


def test_a_unit_with_nine_ratings_gives_the_maximum_and_says_why(desk, locality):
    for receipt in receipts(desk, locality["commune_clerk"], 9):
        rate(receipt, UNSATISFIED)
    line = desk_sheet_line(locality)
    assert line.points == Decimal("8.00")
    assert line.explanation


def test_people_not_at_a_desk_do_not_get_the_line(desk, locality):
    period = periods.open_period(2026, 3).period
    other = Evaluation.objects.get(staff=locality["agency_specialist"], period=period)
    assert other.criteria_set.code == "nd335"


def test_closing_the_month_freezes_the_satisfaction_figure(desk, locality):
    issued = receipts(desk, locality["commune_clerk"], 10)
    for receipt in issued:
        rate(receipt, UNSATISFIED)
    period = periods.open_period(2026, 3).period
    periods.close_period(period, exception="kiểm thử")
    frozen = Evaluation.objects.get(staff=locality["commune_clerk"], period=period)
    line = next(x for x in frozen.explanation["lines"] if x["code"] == "C3")
    assert Decimal(line["points"]) == Decimal("0.00")
    f.staff("Người mới", locality["commune"], locality["clerk_position"])  # changes nothing
    frozen.refresh_from_db()
    assert next(x for x in frozen.explanation["lines"] if x["code"] == "C3") == line


def test_a_rating_made_today_reaches_an_open_sheet_only_tomorrow(desk, locality):
    issued = receipts(desk, locality["commune_clerk"], 11)
    for receipt in issued[:10]:
        rate(receipt)
    rate(issued[10], UNSATISFIED, today=True)
    line = desk_sheet_line(locality)
    # Ten satisfied ratings from earlier days count; today's is not shown yet, so an
    # officer reloading the sheet cannot tell how the last citizen answered.
    assert line.points == Decimal("8.00")


def test_address_hashes_are_deleted_after_the_days_kept_and_the_ratings_stay(
    desk, locality, settings
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.RATING_ADDRESS_DAYS = 30
    old, fresh = receipts(desk, locality["commune_clerk"], 2, day=timezone.localdate())
    old_rating, fresh_rating = rate(old, today=True), rate(fresh, today=True)
    CitizenRating.objects.filter(pk=old_rating.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    output = StringIO()
    call_command("forget_rating_addresses", stdout=output)
    assert "1" in output.getvalue()
    old_rating.refresh_from_db()
    fresh_rating.refresh_from_db()
    assert (old_rating.client_hash, fresh_rating.client_hash) == ("", "client")
    assert CitizenRating.objects.count() == 2
    call_command("forget_rating_addresses", "--days", "0", stdout=StringIO())
    assert not CitizenRating.objects.exclude(client_hash="").exists()
    with pytest.raises(CommandError):
        call_command("forget_rating_addresses", "--days", "-1")
