"""The counter kiosk: a tablet registered to a desk shows the receipt the officer releases."""

import pytest
from django.core.signing import Signer
from django.test import Client
from django.urls import reverse

from home.views import KIOSK_COOKIE
from scoring.models import CitizenRating, ServiceDesk
from scoring.ratings import desks
from scoring.ratings import rating as rating_service

from .conftest import ALL_SATISFIED, issue

pytestmark = pytest.mark.django_db

KIOSK = reverse("ratings:kiosk")
SETUP = reverse("ratings:kiosk_setup")


@pytest.fixture
def secret(desk):
    return desks.new_desk_secret(desk, "kiosk_secret_hash")


@pytest.fixture
def tablet(secret):
    """A client registered as the desk's kiosk."""
    tablet = Client()
    assert tablet.post(SETUP, {"secret": secret}).status_code == 302
    return tablet


def text(response) -> str:
    return response.content.decode()


def submit(tablet: Client, receipt, answers=ALL_SATISFIED, **extra):
    data = {**answers, "channel": "kiosk", "receipt": str(receipt.pk), **extra}
    return tablet.post(KIOSK, data)


def test_an_unregistered_tablet_is_sent_to_the_setup_page(client, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    response = client.get(KIOSK)
    assert response.status_code == 302 and response["Location"] == SETUP
    page = text(client.get(SETUP))
    assert 'name="secret"' in page and 'type="password"' in page
    assert receipt.procedure not in page
    assert client.post(KIOSK, {**ALL_SATISFIED, "receipt": receipt.pk}).status_code == 302
    assert not CitizenRating.objects.exists()


def test_a_wrong_secret_is_refused_and_sets_no_cookie(client, secret):
    response = client.post(SETUP, {"secret": secret[:-1] + "x"})
    assert response.status_code == 403
    assert KIOSK_COOKIE not in response.cookies
    assert "Đây không phải là mã bí mật máy đánh giá" in text(response)


def test_the_secret_is_kept_in_a_long_lived_httponly_lax_signed_cookie_not_in_the_url(
    client, secret
):
    response = client.post(SETUP, {"secret": secret})
    assert response.status_code == 302 and response["Location"] == KIOSK
    assert secret not in response["Location"]
    cookie = response.cookies[KIOSK_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in tests
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert cookie.value != secret and secret in cookie.value  # signed, not bare

    over_https = client.post(SETUP, {"secret": secret}, secure=True)
    assert over_https.cookies[KIOSK_COOKIE]["secure"]


def test_the_kiosk_waits_and_refreshes_itself_until_a_receipt_is_released(tablet, desk):
    response = tablet.get(KIOSK)
    assert response.status_code == 200
    page = text(response)
    assert '<meta http-equiv="refresh" content="4">' in page
    assert desk.name in page
    assert 'type="radio"' not in page
    assert "no-cache" in response["Cache-Control"]


def test_a_released_receipt_is_rated_at_the_kiosk_then_the_kiosk_waits_again(tablet, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    page = text(tablet.get(KIOSK))
    assert "Chứng thực bản sao" in page and "Xã Quyết Tiến" in page
    assert 'name="channel" value="kiosk"' in page
    assert f'name="receipt" value="{receipt.pk}"' in page
    assert receipt.dossier_code not in page
    assert 'class="kiosk"' in page

    response = submit(tablet, receipt, comment="Nhanh")
    assert response.status_code == 302 and response["Location"] == reverse("ratings:kiosk_thanks")
    rating = CitizenRating.objects.get()
    assert (rating.receipt, rating.channel) == (receipt, CitizenRating.Channel.KIOSK)
    assert rating.client_hash == rating_service.client_hash("127.0.0.1")
    assert ServiceDesk.objects.get(pk=desk.pk).kiosk_receipt is None

    thanks = text(tablet.get(response["Location"]))
    assert f'<meta http-equiv="refresh" content="6; url={KIOSK}">' in thanks
    assert "Kết quả được công bố hằng tháng" in thanks
    assert 'type="radio"' not in text(tablet.get(KIOSK))


def test_a_second_tap_is_told_the_transaction_is_already_rated(tablet, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    submit(tablet, receipt)
    again = submit(tablet, receipt, {**ALL_SATISFIED, "overall": "1"})
    assert again.status_code == 409
    assert "Giao dịch này đã được đánh giá" in text(again)
    assert CitizenRating.objects.get().overall == 3


def test_answers_for_a_receipt_the_officer_has_replaced_are_not_stored(
    tablet, desk, officer, receipt
):
    desks.release_to_kiosk(desk, receipt)
    desks.release_to_kiosk(desk, issue(desk, officer, 2))
    assert submit(tablet, receipt).status_code == 302
    assert not CitizenRating.objects.exists()


def test_kiosk_answers_out_of_range_or_another_channel_are_refused(tablet, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    assert submit(tablet, receipt, {**ALL_SATISFIED, "time": "5"}).status_code == 400
    assert submit(tablet, receipt, channel="link").status_code == 400
    assert not CitizenRating.objects.exists()
    assert ServiceDesk.objects.get(pk=desk.pk).kiosk_receipt == receipt


def test_a_forged_or_outdated_kiosk_cookie_leads_to_setup_and_shows_no_receipt(
    desk, receipt, secret
):
    desks.release_to_kiosk(desk, receipt)
    forged = Client()
    forged.cookies[KIOSK_COOKIE] = Signer(salt="wrong").sign(secret)
    response = forged.get(KIOSK)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert response.cookies[KIOSK_COOKIE].value == ""  # the bad cookie is removed

    registered = Client()
    registered.post(SETUP, {"secret": secret})
    desks.new_desk_secret(desk, "kiosk_secret_hash")  # the admin renews the secret
    assert registered.get(KIOSK)["Location"] == SETUP
    assert submit(registered, receipt).status_code == 302
    assert not CitizenRating.objects.exists()


def test_an_inactive_desk_kiosk_shows_nothing(tablet, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    ServiceDesk.objects.filter(pk=desk.pk).update(active=False)
    assert tablet.get(KIOSK)["Location"] == SETUP


def test_the_kiosk_pages_stay_within_the_query_budget(
    tablet, desk, receipt, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        tablet.get(KIOSK)
    desks.release_to_kiosk(desk, receipt)
    with django_assert_max_num_queries(5):
        tablet.get(KIOSK)
    with django_assert_max_num_queries(8):
        submit(tablet, receipt)


def test_the_next_citizen_starts_in_vietnamese_after_one_chose_english(tablet, desk, receipt):
    desks.release_to_kiosk(desk, receipt)
    tablet.post("/i18n/setlang/", {"language": "en", "next": KIOSK})
    assert "Overall, how satisfied" in text(tablet.get(KIOSK))
    submit(tablet, receipt)
    thanks = tablet.get(reverse("ratings:kiosk_thanks"))
    assert "Thank you for your rating" in text(thanks)
    assert '<html lang="vi"' in text(tablet.get(KIOSK))
