"""Security headers: a strict Content-Security-Policy on the public site (widened in the
admin only), a Permissions-Policy, and no Server banner from gunicorn."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/", "/rate/", "/api/v1/periods/", "/no-such-page/"])
def test_public_answers_carry_the_strict_policy(client, path):
    answer = client.get(path)
    policy = directives(answer)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "camera=()" in answer["Permissions-Policy"]


def test_a_cached_public_page_keeps_the_policy(client):
    client.get("/api/v1/periods/")
    again = client.get("/api/v1/periods/")
    assert directives(again)["script-src"] == ["'self'"]


def test_the_admin_alone_allows_inline_scripts_and_frames_itself(admin_client):
    policy = directives(admin_client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_gunicorn_sends_no_server_banner():
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    try:
        runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))

        class Request:
            version = (1, 1)

        response = wsgi.Response.__new__(wsgi.Response)
        response.req, response.status, response.upgrade, response.chunked = (
            Request(),
            "200 OK",
            False,
            False,
        )
        response.should_close = lambda: False
        response.version = wsgi.SERVER
        lines = wsgi.Response.default_headers(response)
        assert lines[0].startswith("HTTP/1.1 200")
        assert not [line for line in lines if line.lower().startswith("server:")]
    finally:
        wsgi.Response.default_headers = original
