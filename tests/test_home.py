"""The public home page answers in Vietnamese first, and in English on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_answers_in_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cổng đánh giá" in body and 'lang="vi"' in body


def test_the_home_page_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_an_unknown_address_gets_a_clear_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
