"""The public rating page: a citizen rates one receipt by its link or its typed code."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scoring.models import CitizenRating, QuestionSet, Receipt
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service

from .conftest import ALL_SATISFIED, issue

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
PUBLISHED = (
    "Kết quả được công bố hằng tháng trên cổng thông tin, theo từng đơn vị; ý kiến chỉ được "
    "công bố sau khi kiểm duyệt và không kèm thông tin cá nhân"
)


def url(receipt: Receipt) -> str:
    return reverse("ratings:rate", args=[receipt.token])


def post(client: Client, receipt: Receipt, answers=ALL_SATISFIED, **extra):
    return client.post(url(receipt), {**answers, "channel": "link", **extra})


def text(response) -> str:
    return response.content.decode()


# --- Showing the form ---------------------------------------------------------------------


def test_the_form_names_the_desk_unit_procedure_and_date_and_asks_in_vietnamese(client, receipt):
    response = client.get(url(receipt))
    assert response.status_code == 200
    page = text(response)
    for shown in (
        "Bộ phận một cửa xã Quyết Tiến",
        "Xã Quyết Tiến",
        "Chứng thực bản sao",
        "10/03/2026",
        "Nhìn chung, ông/bà hài lòng thế nào về việc phục vụ?",
        "Thái độ của công chức: tận tình, không phiền hà, sách nhiễu",
        "Rất hài lòng",
        "Hài lòng",
        "Không hài lòng",
    ):
        assert shown in page
    assert page.count('type="radio"') == 5 * 3
    assert 'name="channel" value="link"' in page
    assert '<html lang="vi"' in page


def test_the_form_never_shows_the_dossier_code_in_full_nor_who_served(client, receipt, officer):
    page = text(client.get(url(receipt)))
    assert receipt.dossier_code not in page
    assert "…0001" in page
    assert officer.full_name not in page


def test_choosing_english_asks_the_questions_in_english(client, receipt):
    page = text(client.get(url(receipt)))
    assert 'action="/i18n/setlang/"' in page
    assert f'name="next" value="{url(receipt)}"' in page
    switched = client.post("/i18n/setlang/", {"language": "en", "next": url(receipt)})
    assert switched.status_code == 302 and switched["Location"] == url(receipt)
    page = text(client.get(url(receipt)))
    assert "Overall, how satisfied are you with the service?" in page
    assert "Very satisfied" in page and "Not satisfied" in page
    assert "Nhìn chung" not in page
    assert '<html lang="en"' in page


def test_a_five_level_set_in_force_on_the_receipt_day_shows_five_faces(client, desk, officer):
    question_set = QuestionSet.objects.create(
        name="Năm mức", scale=5, effective_from=datetime.date(2026, 3, 1)
    )
    question_set.questions.create(
        code="overall", text_vi="Mức độ hài lòng chung", text_en="Overall", is_overall=True
    )
    question_set.save()
    before, after = issue(desk, officer, 1, datetime.date(2026, 2, 27)), issue(desk, officer, 2)

    page = text(client.get(url(after)))
    assert page.count('type="radio"') == 5
    for word in ("Rất hài lòng", "Bình thường", "Rất không hài lòng"):
        assert word in page
    assert text(client.get(url(before))).count('type="radio"') == 5 * 3

    assert post(client, after, {"overall": "4"}).status_code == 302
    rating = CitizenRating.objects.get()
    assert (rating.question_set, rating.overall, rating.satisfied) == (question_set, 4, True)


# --- Recording a rating -------------------------------------------------------------------


def test_a_post_stores_exactly_one_rating_and_thanks_the_citizen(client, receipt):
    answers = {**ALL_SATISFIED, "overall": "2", "visits": "1"}
    response = post(client, receipt, answers, comment="  Cán bộ nhiệt tình  ")
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:thanks")

    rating = CitizenRating.objects.get()
    assert rating.receipt == receipt
    assert rating.answers == {k: int(v) for k, v in answers.items()}
    assert (rating.overall, rating.satisfied) == (2, True)
    assert rating.channel == CitizenRating.Channel.LINK
    assert rating.comment == "Cán bộ nhiệt tình"
    assert rating.moderation == CitizenRating.Moderation.PENDING
    assert rating.client_hash == rating_service.client_hash("127.0.0.1")
    assert "127.0.0.1" not in rating.client_hash

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Cảm ơn ông/bà đã đánh giá" in text(thanks)
    assert PUBLISHED in text(thanks)


def test_a_not_satisfied_overall_answer_is_stored_as_not_satisfied(client, receipt):
    post(client, receipt, {**ALL_SATISFIED, "overall": "1"})
    assert CitizenRating.objects.get().satisfied is False


def test_a_second_post_is_told_it_is_already_rated_and_changes_nothing(client, receipt):
    post(client, receipt)
    first = CitizenRating.objects.get()

    again = post(client, receipt, {**ALL_SATISFIED, "overall": "1"}, comment="lần hai")
    assert again.status_code == 409
    assert "Giao dịch này đã được đánh giá. Xin cảm ơn!" in text(again)
    assert "Giao dịch đã được đánh giá" in text(again)
    assert list(CitizenRating.objects.all()) == [first]
    assert CitizenRating.objects.get().overall == 3 and first.comment == ""

    reopened = client.get(url(receipt))
    assert reopened.status_code == 409
    assert "đã được đánh giá" in text(reopened)
    assert 'type="radio"' not in text(reopened)


# --- Refused tokens -----------------------------------------------------------------------


def tampered(token: str) -> str:
    """The same token with one character changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    ("make_token", "status", "message"),
    [
        (lambda r: tampered(r.token), 404, "Không có biên nhận nào mang mã này."),
        (lambda r: "x" * 43, 404, "Không có biên nhận nào mang mã này."),
        (lambda r: "too-short", 404, "Đường dẫn đánh giá không hợp lệ."),
        (lambda r: "bad.token!" * 4, 404, "Đường dẫn đánh giá không hợp lệ."),
    ],
    ids=["one character changed", "unknown", "too short", "bad characters"],
)
def test_unknown_and_malformed_tokens_show_a_clear_page_and_store_nothing(
    client, receipt, make_token, status, message
):
    token = make_token(receipt)
    shown = client.get(reverse("ratings:rate", args=[token]))
    assert shown.status_code == status
    assert message in text(shown)
    assert 'type="radio"' not in text(shown)
    posted = client.post(
        reverse("ratings:rate", args=[token]), {**ALL_SATISFIED, "channel": "link"}
    )
    assert posted.status_code == status
    assert not CitizenRating.objects.exists()


def test_an_expired_token_shows_the_time_has_passed_and_stores_nothing(client, receipt):
    Receipt.objects.filter(pk=receipt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    shown = client.get(url(receipt))
    assert shown.status_code == 410
    assert "Đã hết thời hạn đánh giá giao dịch này." in text(shown)
    assert post(client, receipt).status_code == 410
    assert not CitizenRating.objects.exists()


# --- Abuse: honeypot, limits, CSRF --------------------------------------------------------


def test_a_filled_honeypot_is_refused_neutrally_and_stores_nothing(client, receipt):
    page = text(client.get(url(receipt)))
    assert re.search(r'<div class="hp" aria-hidden="true">', page)
    assert re.search(r'name="website"[^>]*tabindex="-1"[^>]*autocomplete="off"', page)

    response = post(client, receipt, website="http://spam.example")
    assert response.status_code == 400
    assert "Không thể ghi nhận phản hồi này." in text(response)
    assert "honeypot" not in text(response).lower()
    assert not CitizenRating.objects.exists()


def test_submissions_are_limited_per_address(client, desk, officer, settings):
    settings.RATING_SUBMIT_LIMIT = 2
    first, second, third = (issue(desk, officer, n) for n in (1, 2, 3))
    assert post(client, first).status_code == 302
    assert post(client, second, {"overall": "9"}).status_code == 400  # every POST counts

    limited = post(client, third)
    assert limited.status_code == 429
    assert "Có quá nhiều lượt thử từ kết nối của bạn." in text(limited)
    assert CitizenRating.objects.count() == 1

    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert post(elsewhere, third).status_code == 302
    assert CitizenRating.objects.get(receipt=third).client_hash == rating_service.client_hash(
        "203.0.113.9"
    )


def test_the_addresses_of_one_ipv6_64_share_one_limit(desk, officer, settings):
    settings.RATING_SUBMIT_LIMIT = 2
    first, second, third = (issue(desk, officer, n) for n in (1, 2, 3))
    assert post(Client(REMOTE_ADDR="2001:db8:5:6::1"), first).status_code == 302
    assert post(Client(REMOTE_ADDR="2001:db8:5:6:ffff::2"), second).status_code == 302
    assert post(Client(REMOTE_ADDR="2001:db8:5:6:abcd:1:2:3"), third).status_code == 429
    assert post(Client(REMOTE_ADDR="2001:db8:5:7::1"), third).status_code == 302  # next /64
    assert CitizenRating.objects.count() == 3


def test_lookups_of_unknown_tokens_are_limited_but_a_good_link_still_opens(
    client, receipt, settings
):
    settings.RATING_LOOKUP_LIMIT = 2
    for _attempt in range(2):
        assert client.get(reverse("ratings:rate", args=["x" * 43])).status_code == 404
    assert client.get(reverse("ratings:rate", args=["y" * 43])).status_code == 429
    assert client.get(url(receipt)).status_code == 200


def test_typed_codes_are_limited_per_address(client, receipt, settings):
    settings.RATING_LOOKUP_LIMIT = 2
    enter = reverse("ratings:enter_code")
    assert client.post(enter, {"code": "ZZZZ-ZZZZ"}).status_code == 404
    assert client.post(enter, {"code": "ZZZZ-ZZZY"}).status_code == 404
    limited = client.post(enter, {"code": receipt.short_code})
    assert limited.status_code == 429
    assert "Vui lòng chờ vài phút" in text(limited)


def test_a_forged_post_without_the_csrf_token_is_refused(receipt):
    browser = Client(enforce_csrf_checks=True)
    assert post(browser, receipt).status_code == 403
    assert not CitizenRating.objects.exists()

    browser.get(url(receipt))  # sets the CSRF cookie, as a real visit does
    token = browser.cookies[django_settings.CSRF_COOKIE_NAME].value
    assert post(browser, receipt, csrfmiddlewaretoken=token).status_code == 302
    assert CitizenRating.objects.count() == 1


# --- Invalid answers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**ALL_SATISFIED, "overall": "4"}, "Vui lòng chọn một trong các mức đánh giá đã nêu."),
        ({**ALL_SATISFIED, "overall": "0"}, "Vui lòng chọn một trong các mức đánh giá đã nêu."),
        ({**ALL_SATISFIED, "overall": "-1"}, "Vui lòng chọn một trong các mức đánh giá đã nêu."),
        ({**ALL_SATISFIED, "overall": "ba"}, "Vui lòng chọn một trong các mức đánh giá đã nêu."),
        ({**ALL_SATISFIED, "overall": "2.5"}, "Vui lòng chọn một trong các mức đánh giá đã nêu."),
        ({**ALL_SATISFIED, "overall": ""}, "Vui lòng chọn một mức đánh giá."),
        ({k: v for k, v in ALL_SATISFIED.items() if k != "overall"}, "Vui lòng chọn một mức"),
    ],
    ids=["above the scale", "zero", "negative", "text", "fraction", "empty", "missing"],
)
def test_an_answer_out_of_range_shows_the_form_again_with_the_message_by_the_question(
    client, receipt, answers, message
):
    response = post(client, receipt, answers)
    assert response.status_code == 400
    page = text(response)
    assert "Có câu trả lời còn thiếu hoặc không hợp lệ." in page
    fieldset = re.search(r'<fieldset class="question has-error">(.*?)</fieldset>', page, re.S)
    assert "Nhìn chung, ông/bà hài lòng" in fieldset.group(1)
    assert message in fieldset.group(1)
    assert page.count("has-error") == 1
    assert not CitizenRating.objects.exists()


@pytest.mark.parametrize("question", sorted(ALL_SATISFIED))
def test_every_question_must_be_answered(client, receipt, question):
    response = post(client, receipt, {**ALL_SATISFIED, question: "7"})
    assert response.status_code == 400
    assert f'id="err-{question}"' in text(response)
    assert not CitizenRating.objects.exists()


def test_the_channel_cannot_be_forged_on_the_web_form(client, receipt):
    assert post(client, receipt, channel="kiosk").status_code == 400
    assert not CitizenRating.objects.exists()


def test_a_comment_longer_than_allowed_is_refused(client, receipt, settings):
    settings.RATING_COMMENT_MAX_LENGTH = 20
    page = text(client.get(url(receipt)))
    assert 'maxlength="20"' in page
    assert post(client, receipt, comment="x" * 21).status_code == 400
    assert not CitizenRating.objects.exists()


def test_a_comment_is_plain_text_escaped_wherever_it_comes_back(client, receipt):
    script = "<script>alert('x')</script>"
    again = post(client, receipt, {**ALL_SATISFIED, "visits": ""}, comment=script)
    assert again.status_code == 400
    assert "<script>alert" not in text(again)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text(again)

    done = post(client, receipt, comment=script)
    assert script not in text(client.get(done["Location"]))
    assert CitizenRating.objects.get().comment == script  # stored as typed, as text


# --- Typed code ---------------------------------------------------------------------------


def test_a_typed_code_leads_to_the_form_and_is_recorded_as_the_code_channel(client, receipt):
    assert client.get(reverse("ratings:enter_code")).status_code == 200
    typed = receipt_service.format_short_code(receipt.short_code).lower().replace("-", " - ")
    found = client.post(reverse("ratings:enter_code"), {"code": typed})
    assert found.status_code == 302
    assert found["Location"] == f"{url(receipt)}?via=code"

    form = text(client.get(found["Location"]))
    assert 'name="channel" value="code"' in form
    assert client.post(url(receipt), {**ALL_SATISFIED, "channel": "code"}).status_code == 302
    assert CitizenRating.objects.get().channel == CitizenRating.Channel.CODE


def test_a_code_in_the_address_works_like_a_typed_one(client, receipt):
    found = client.get(reverse("ratings:enter_code"), {"code": receipt.short_code})
    assert found.status_code == 302 and found["Location"].startswith(url(receipt))


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("ABCD", 404, "Đường dẫn đánh giá không hợp lệ."),
        ("ZZZZ-ZZZZ", 404, "Không có biên nhận nào mang mã này."),
        ("", 400, ""),
    ],
    ids=["malformed", "unknown", "empty"],
)
def test_a_wrong_code_shows_the_box_again_with_the_reason(client, receipt, code, status, message):
    response = client.post(reverse("ratings:enter_code"), {"code": code})
    assert response.status_code == status
    assert message in text(response)
    assert 'name="code"' in text(response)


def test_a_code_already_used_or_expired_says_so(client, desk, officer):
    used, expired = issue(desk, officer, 1), issue(desk, officer, 2)
    post(client, used)
    Receipt.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    enter = reverse("ratings:enter_code")
    already = client.post(enter, {"code": used.short_code})
    assert already.status_code == 409 and "đã được đánh giá" in text(already)
    late = client.post(enter, {"code": expired.short_code})
    assert late.status_code == 410 and "Đã hết thời hạn" in text(late)


# --- Budget: queries, weight, hosts -------------------------------------------------------


def test_showing_the_form_takes_at_most_five_queries(
    client, receipt, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        assert client.get(url(receipt)).status_code == 200


def test_recording_takes_at_most_eight_queries(client, receipt, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert post(client, receipt, comment="Tốt").status_code == 302


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href", "action", "srcset", "poster", "data"} and value:
                self.addresses.append(value)


def test_the_page_weighs_under_50_kb_and_uses_no_other_host(client, receipt):
    response = client.get(url(receipt))
    links = Links()
    links.feed(text(response))
    assert links.addresses
    for address in links.addresses:
        parts = urlsplit(address)
        assert not parts.scheme and not parts.netloc, address
        assert not address.startswith("//"), address
    stylesheets = [a for a in links.addresses if a.endswith(".css")]
    assert stylesheets == ["/static/css/rate.css"]
    css = Path(finders.find("css/rate.css")).read_bytes()
    assert b"url(" not in css and b"@import" not in css  # no fonts, no images
    total = len(response.content) + len(css)
    assert total < 50_000, total


# --- Translations -------------------------------------------------------------------------
