"""The privacy notice: generated from the settings in force, in Vietnamese and English,
linked from every page's footer and from the rating form, with no inline script or style."""

import re

import pytest
from django.utils.html import escape

from home.content.models import PrivacyPage
from home.content.site import ensure_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return ensure_site()


def text(response) -> str:
    return response.content.decode()


def test_the_notice_states_the_settings_in_force_in_vietnamese(client, site, settings):
    settings.RATING_ADDRESS_DAYS = 17
    settings.PUBLISH_MINIMUM = 7
    response = client.get("/quyen-rieng-tu/")

    assert response.status_code == 200
    page = text(response)
    assert '<html lang="vi">' in page
    assert "Quyền riêng tư" in page
    assert "17 ngày" in page
    assert "dưới 7 người" in page
    assert "Cơ quan tổ chức – nội vụ" in page or "cơ quan nội vụ" in page


def test_the_notice_in_english_is_at_its_english_address(client, site, settings):
    settings.RATING_ADDRESS_DAYS = 45
    response = client.get("/en/privacy/")

    assert response.status_code == 200
    page = text(response)
    assert '<html lang="en">' in page
    assert "deleted after 45 days" in page
    assert "fewer than 10 people" in page
    assert PrivacyPage.objects.count() == 2  # the notice and its translation


def test_the_questions_a_rating_asks_today_are_listed(client, site, questions):
    page = text(client.get("/en/privacy/"))
    for question in questions.questions.all():
        assert escape(question.text_en) in page


def test_every_public_page_links_to_the_notice_in_its_language(client, site):
    assert 'href="/quyen-rieng-tu/"' in text(client.get("/"))
    assert 'href="/en/privacy/"' in text(client.get("/en/"))
    assert 'href="/en/privacy/"' in text(client.get("/en/privacy/"))


def test_the_rating_form_links_to_the_notice(client, site, receipt):
    page = text(client.get(f"/rate/{receipt.token}/"))
    assert 'href="/quyen-rieng-tu/"' in page


@pytest.mark.parametrize("path", ["/quyen-rieng-tu/", "/en/privacy/"])
def test_the_notice_has_no_inline_script_or_style_and_the_strict_policy(client, site, path):
    response = client.get(path)
    page = text(response)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<style" not in page and " style=" not in page
    assert not re.search(r" on[a-z]+=", page)
