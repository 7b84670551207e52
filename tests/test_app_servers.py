"""Two app servers behind one load balancer: what one of them counts, the other sees.

Two gunicorn processes start on loopback with the production settings, sharing the test's
PostgreSQL database and a Redis database of their own. A client alternating between them
shows that the rating look-up limit, the login lockout and the public page cache (cleared
by a release) hold across both, as they must behind a load balancer. The test runs where
PostgreSQL and Redis are (CI); elsewhere it is skipped.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from scoring.cycle import closing
from tests import factories as f
from tests.home import opendata_data as data

REDIS_URL = "redis://127.0.0.1:6379/13"
LOOKUP_LIMIT = 6
ROOT = Path(settings.BASE_DIR)
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"^([^=;]+)=([^;]*)")


def _redis():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return None


pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(_redis() is None, reason="needs Redis on 127.0.0.1:6379"),
]


# --- The servers ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped while starting"
        try:
            answer = Client(port).get("/healthz")
            if answer.status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer within 60 s")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The static files collected once, as the production settings need their manifest."""
    root = tmp_path_factory.mktemp("static")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    environment.update(SECRET_KEY=secrets.token_urlsafe(64), STATIC_ROOT=str(root))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    return root


@pytest.fixture(scope="module")
def _processes(request, django_db_setup, django_db_blocker):
    """Two gunicorn processes on the test database and one Redis database, started once."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("two app servers share a PostgreSQL database")
        database = connection.settings_dict
    static_root = request.getfixturevalue("static_root")
    url = f"postgres://{database['USER'] or 'postgres'}@{database['HOST'] or '127.0.0.1'}:"
    url += f"{database['PORT'] or 5432}/{database['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": url,
        "CACHE_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "RATING_LOOKUP_LIMIT": str(LOOKUP_LIMIT),
        "TWO_FACTOR_REQUIRED": "false",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    started = []
    try:
        for _server in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [str(gunicorn), "portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=environment,
            )
            started.append((process, port))
        for process, port in started:
            _wait(process, port)
        yield [port for _process, port in started]
    finally:
        for process, _port in started:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def servers(_processes, transactional_db, settings):
    """Clients of the two servers, with their shared cache emptied."""
    _redis().flushdb()
    # This process shares their cache, so a release made here clears what they cached.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
    yield [Client(port) for port in _processes]
    _redis().flushdb()


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()


class Client:
    """A browser of one server: it keeps its cookies (the production ones are Secure, and a
    test over plain HTTP sends them itself)."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def _send(self, method: str, path: str, body: str | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/admin/login/"
        connection.request(method, path, body=body, headers=headers)
        answer = Answer(connection.getresponse())
        connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            if match := COOKIE.match(header):
                self.cookies[match.group(1)] = match.group(2)
        return answer

    def get(self, path: str) -> Answer:
        return self._send("GET", path)

    def post_form(self, path: str, fields: dict) -> Answer:
        page = self.get(path)
        token = CSRF_INPUT.search(page.body)
        assert token, f"no form at {path}: {page.status}"
        return self._send(
            "POST", path, urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)})
        )


def _alternate(servers, times: int):
    return [servers[i % len(servers)] for i in range(times)]


# --- What one counts, the other sees ------------------------------------------------------------


def test_the_rating_lookup_limit_holds_across_both_servers(servers):
    """Guessed codes from one address are counted once, whichever server answers them."""
    answers = [
        server.get(f"/rate/{secrets.token_urlsafe(32)}/").status
        for server in _alternate(servers, LOOKUP_LIMIT + 2)
    ]
    # Counted per worker or per server, three servers' worth of guesses would pass.
    assert answers == [404] * LOOKUP_LIMIT + [429, 429]


def test_a_lockout_on_one_server_holds_on_the_other(servers):
    # A superuser: a live test's database is emptied, role groups included.
    f.user("truongphong-x", superuser=True, password="a-long-passphrase-2026")
    limit = settings.AXES_FAILURE_LIMIT
    wrong = {"username": "truongphong-x", "password": "wrong-guess-000"}
    statuses = [
        Client(server.port).post_form("/admin/login/", wrong).status
        for server in _alternate(servers, limit)
    ]
    assert statuses[:-1] == [200] * (limit - 1)  # the login form again, with its error
    assert statuses[-1] == 429
    right = {"username": "truongphong-x", "password": "a-long-passphrase-2026"}
    for server in servers:
        answer = Client(server.port).post_form("/admin/login/", right)
        assert answer.status == 429, "the right password waits out the lockout on every server"
        assert "sessionid" not in Client(server.port).cookies


def test_a_release_clears_the_page_cache_of_both_servers(servers):
    call_command("seed_demo_site", verbosity=0)
    preparer, approver = f.user("noivu-a", superuser=True), f.user("noivu-b", superuser=True)
    first = data.written_release(2026, 2, [data.unit_row(1)], preparer, approver)
    for server in servers:
        page = server.get("/ket-qua/")
        assert page.status == 200
        assert b"/ket-qua/2026-02/" in page.body and b"/ket-qua/2026-03/" not in page.body
        again = server.get("/ket-qua/")
        assert again.headers["ETag"] == page.headers["ETag"], "the second answer is cached"

    second = data.written_release(2026, 3, [data.unit_row(2)], preparer, approver)
    for server in servers:
        page = server.get("/ket-qua/")
        assert b"/ket-qua/2026-03/" in page.body, "a release is public on every server at once"
        assert server.get("/ket-qua/2026-03/").status == 200
    # The test's database is emptied next, which a locked month refuses.
    for release in (first, second):
        closing.reopen_month(release.period, preparer, "end of the app-server test")
