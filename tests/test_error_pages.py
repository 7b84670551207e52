"""The 403, 404 and 500 pages: Vietnamese with the English under it, nothing internal,
no inline style or script (the public Content-Security-Policy forbids them)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path
from django.utils import translation

from portal import urls as portal_urls
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CRASH_DETAIL = "secret crash detail in /srv/portal/scoring/engine.py"


def crash(request):
    raise RuntimeError(CRASH_DETAIL)


def refuse(request):
    raise PermissionDenied("refused because of the setting SECRET_RULE")


# The portal's own addresses, with two that fail, and the portal's error handler.
urlpatterns = [
    path("test-crash/", crash),
    path("test-refuse/", refuse),
    *portal_urls.urlpatterns,
]
handler500 = portal_urls.handler500

INTERNALS = [
    "Traceback",
    "RuntimeError",
    CRASH_DETAIL,
    "SECRET_RULE",
    "DEBUG",
    "SECRET_KEY",
    "settings",
    "/srv/",
    ".py",
    "Django",
    "django",
    "Wagtail",
    "Python",
]


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def assert_reveals_nothing(body: str) -> None:
    for internal in INTERNALS:
        assert internal not in body, internal


def assert_no_inline_code(body: str) -> None:
    assert "<style" not in body
    assert not re.search(r"\sstyle\s*=", body)
    for script in re.findall(r"<script\b[^>]*>", body):
        assert "src=" in script, script
    assert not re.search(r"\son[a-z]+\s*=", body), "an inline event handler"
    assert "javascript:" not in body


def assert_strict_policy(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def assert_both_languages(body: str, title: str, text: str) -> None:
    assert vi(title) != title, "the Vietnamese catalogue lacks the title"
    assert vi(title) in body and vi(text) in body
    assert title in body and text in body
    assert body.index(vi(text)) < body.index(text), "Vietnamese first, English under it"
    assert '<section lang="en"' in body


NOT_FOUND_TEXT = (
    "The page you asked for does not exist or has moved. Check the address, or start "
    "again from the home page."
)
DENIED_TEXT = (
    "You may not see this page or do this action. If you think you should, ask the "
    "home-affairs office to check your role."
)
ERROR_TEXT = (
    "The portal ran into a problem and could not finish your request. Please try again "
    "in a few minutes; if it happens again, tell the administrator."
)


@pytest.mark.parametrize("address", ["/khong-co-trang-nay/", "/en/no-such-page/", "/rate/x/y/"])
def test_an_unknown_public_page_answers_404_in_both_languages(client, address):
    response = client.get(address)
    body = response.content.decode()
    assert response.status_code == 404
    assert_both_languages(body, "Page not found", NOT_FOUND_TEXT)
    assert_reveals_nothing(body)
    assert_no_inline_code(body)
    assert_strict_policy(response)
    assert "/static/css/errors.css" in body


def test_a_refusal_answers_403_in_both_languages_without_its_reason(client):
    response = client.get("/test-refuse/")
    body = response.content.decode()
    assert response.status_code == 403
    assert_both_languages(body, "Access denied", DENIED_TEXT)
    assert "refused because" not in body
    assert_reveals_nothing(body)
    assert_no_inline_code(body)
    assert_strict_policy(response)


def test_an_admin_refusal_is_wagtails_redirect_with_a_message_that_reveals_nothing(client):
    """Wagtail answers a PermissionDenied in the admin (an evaluator on the publishing
    page) by sending the user to the admin's home with a message, not with a 403 page;
    kept as it is, since it names no cause."""
    from scoring.access import roles

    client.force_login(f.user("danh-gia", roles.EVALUATOR))
    response = client.get("/admin/publishing/", follow=True)
    body = response.content.decode()
    assert response.redirect_chain[0] == ("/admin/", 302)
    assert vi("Sorry, you do not have permission to access this area.") in body
    for internal in ["Traceback", "PermissionDenied", "SECRET_KEY", "/srv/"]:
        assert internal not in body


def test_a_crash_answers_500_with_the_request_id_and_nothing_else(client):
    crashing = Client(raise_request_exception=False)
    response = crashing.get("/test-crash/")
    body = response.content.decode()
    assert response.status_code == 500
    assert_both_languages(body, "Something went wrong", ERROR_TEXT)
    assert_reveals_nothing(body)
    assert_no_inline_code(body)
    assert_strict_policy(response)
    assert "/static/css/errors.css" in body
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert f"<code>{request_id}</code>" in body


def test_the_500_page_needs_no_request_context(rf, django_assert_num_queries):
    """Rendered as Django renders it when all else fails: no context processors, no
    database (the database may be what failed)."""
    from portal.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert vi("Something went wrong") in body and "Something went wrong" in body
    assert "<code>" not in body  # no request id outside a request


def test_a_form_sent_without_its_security_token_answers_a_plain_403(client):
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post("/i18n/setlang/", {"language": "en"})
    body = response.content.decode()
    assert response.status_code == 403
    assert_both_languages(
        body,
        "The form could not be sent",
        "Its security check failed: the page was open for too long, or the browser blocks "
        "cookies. Go back, reload the page and send the form again.",
    )
    assert "CSRF" not in body
    assert_reveals_nothing(body)
    assert_no_inline_code(body)
    assert_strict_policy(response)


def test_the_admin_keeps_wagtails_own_404_which_reveals_nothing(client):
    from scoring.access import roles

    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.get("/admin/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert vi("The requested page could not be found.") in body
    for internal in ["Traceback", "DEBUG", "SECRET_KEY", "/srv/", ".py"]:
        assert internal not in body
