"""Configuration from the environment: malformed values fail loudly, production is safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env}
    if "SECRET_KEY" not in env:
        environment.pop("SECRET_KEY", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert run_check(SECRET_KEY="short").returncode != 0


def test_production_settings_pass_the_deployment_check():
    result = run_check(
        SECRET_KEY="k" * 10 + "x9Q!zL#2vB7m" * 5,
        ALLOWED_HOSTS="portal.example",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr


def test_the_deployment_check_warns_of_a_cache_each_worker_keeps_to_itself():
    """Without Redis, each gunicorn worker would count the rate limits on its own."""
    result = run_check(SECRET_KEY="k" * 10 + "x9Q!zL#2vB7m" * 5, ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "portal.W001" in result.stderr


def test_a_secret_can_be_read_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env_str("SOME_SECRET") == "from-a-file"


@pytest.mark.parametrize(
    ("reader", "value"), [(env_bool, "perhaps"), (env_int, "twelve")], ids=["bool", "int"]
)
def test_a_malformed_value_is_refused_loudly(monkeypatch, reader, value):
    monkeypatch.setenv("SOME_SETTING", value)
    with pytest.raises(ImproperlyConfigured):
        reader("SOME_SETTING", 1)


def test_lists_and_switches_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    monkeypatch.setenv("FLAG", "yes")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_bool("FLAG", False) is True


def test_the_interface_is_vietnamese_first_in_asia_ho_chi_minh(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_a_browser_preferring_english_still_gets_vietnamese_until_it_chooses(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Tên đăng nhập" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("peer", "forwarded", "seen"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),  # through our load balancer
        ("10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a forged first hop
        ("203.0.113.50", "198.51.100.1", "203.0.113.50"),  # not from a trusted proxy
    ],
)
def test_the_client_address_comes_from_a_trusted_proxy_only(rf, settings, peer, forwarded, seen):
    from portal.middleware import TrustedProxyMiddleware

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    TrustedProxyMiddleware(lambda r: r)(request)
    assert request.META["REMOTE_ADDR"] == seen
