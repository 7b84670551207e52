"""Benchmark: citizens rating receipts through gunicorn, for a fixed time, over loopback.

Run from the repository root against a dedicated PostgreSQL database and a local Redis::

    .venv/bin/python bench/bench_ratings_load.py --receipts 100000 --seconds 30

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/bench_ratings``; that
database is dropped, created and migrated, so the script refuses a name that does not
start with ``bench``. It creates one desk with officers and N fresh receipts, collects
the static files, starts ``gunicorn portal.wsgi`` with the production settings (a fresh
SECRET_KEY, plain HTTP on 127.0.0.1, rate limits in Redis database 15 raised out of the
way), and lets client processes rate fresh receipts the way a phone does: GET the form
(CSRF cookie and token), then POST the answers. At the end it prints requests per
second, p50/p99 latency, errors, and the ratings stored against the successful
responses (which must be equal), then stops gunicorn.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import multiprocessing
import os
import re
import secrets
import sys
import tempfile
import time
import urllib.parse

from benchdb import configure_django, database_settings, recreate_database
from benchserver import collect_static, free_port, percentile, start_gunicorn, stop

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_ratings"
CACHE_URL = "redis://127.0.0.1:6379/15"
ANSWERS = {"overall": "3", "time": "2", "attitude": "3", "guidance": "3", "visits": "2"}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


# --- Database ---------------------------------------------------------------------------------


def bench_desk():
    """The benchmark's desk: one desk of a commune with three officers (made once)."""
    from scoring.models import ServiceDesk, Staff, Unit, UnitKind

    existing = ServiceDesk.objects.filter(code="mot-cua-bench").first()
    if existing is not None:
        return existing
    kind, _created = UnitKind.objects.get_or_create(code="commune", defaults={"name": "Xã"})
    unit = Unit.add_root(instance=Unit(code="BENCH", name="Xã Thử Tải", kind=kind))
    desk = ServiceDesk.objects.create(unit=unit, code="mot-cua-bench", name="Bộ phận một cửa")
    officers = [
        Staff.objects.create(
            code=f"BENCH{i}",
            full_name=f"Cán bộ {i}",
            category=Staff.Category.CIVIL_SERVANT,
            start_date=datetime.date(2020, 1, 1),
        )
        for i in range(3)
    ]
    desk.officers.set(officers)
    desk.save()
    return desk


def seed(receipts: int) -> list[str]:
    """``receipts`` fresh receipts on the benchmark's desk; their tokens."""
    from django.utils import timezone

    from scoring.models import Receipt
    from scoring.ratings.receipts import new_short_code

    desk = bench_desk()
    officers = list(desk.officers.all())
    first = Receipt.objects.filter(desk=desk).count()
    expires_at = timezone.now() + datetime.timedelta(days=30)
    today = timezone.localdate()
    codes: set[str] = set()
    while len(codes) < receipts:
        codes.add(new_short_code())
    tokens = [secrets.token_urlsafe(32) for _ in range(receipts)]
    Receipt.objects.bulk_create(
        (
            Receipt(
                desk=desk,
                officer=officers[i % len(officers)],
                dossier_code=f"BENCH-{first + i:07d}",
                procedure="Chứng thực bản sao từ bản chính",
                issued_on=today,
                token=token,
                short_code=code,
                expires_at=expires_at,
            )
            for i, (token, code) in enumerate(zip(tokens, codes, strict=True))
        ),
        batch_size=5000,
    )
    return tokens


def stored_ratings() -> int:
    from django.db import connection

    from scoring.models import CitizenRating

    connection.close()  # a fresh connection sees everything gunicorn committed
    return CitizenRating.objects.count()


# --- Server -----------------------------------------------------------------------------------


def server_environment(database_url: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CACHE_URL": CACHE_URL,
        "RATING_SUBMIT_LIMIT": str(10**9),
        "RATING_LOOKUP_LIMIT": str(10**9),
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def clear_rate_limits() -> None:
    try:
        import redis
    except ImportError:
        sys.exit("CACHE_URL needs the redis package: .venv/bin/pip install redis")
    redis.Redis.from_url(CACHE_URL).flushdb()  # database 15 is the benchmark's own


# --- Clients ----------------------------------------------------------------------------------


def rate_one(connection: http.client.HTTPConnection, token: str, cookie: dict) -> list:
    """GET the form, then POST the answers: one citizen's rating. Returns the timings."""
    path = f"/rate/{token}/"
    headers = {"Cookie": f"csrftoken={cookie['csrftoken']}"} if cookie else {}
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    page = response.read()
    timings = [("GET", time.perf_counter() - started, response.status)]
    # The production CSRF cookie is Secure; on this loopback client we send it ourselves.
    for header in response.headers.get_all("Set-Cookie") or []:
        if match := CSRF_COOKIE.search(header):
            cookie["csrftoken"] = match.group(1)
    form_token = CSRF_INPUT.search(page)
    if response.status != 200 or not form_token or not cookie:
        return timings
    body = urllib.parse.urlencode(
        {**ANSWERS, "channel": "link", "comment": "", "csrfmiddlewaretoken": form_token.group(1)}
    )
    headers = {
        "Cookie": f"csrftoken={cookie['csrftoken']}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    ok = response.status == 302 and response.headers.get("Location") == "/rate/thanks/"
    timings.append(("POST", time.perf_counter() - started, response.status if ok else -1))
    return timings


def client(port: int, tokens: list[str], deadline: float, results) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie: dict = {}
    timings: list = []
    for token in tokens:
        if time.time() >= deadline:
            break
        try:
            timings += rate_one(connection, token, cookie)
        except (OSError, http.client.HTTPException):
            timings.append(("ERR", 0.0, 0))
            connection.close()
    results.put(timings)


def run_load(port: int, tokens: list[str], clients: int, seconds: float) -> tuple[list, float]:
    results: multiprocessing.Queue = multiprocessing.Queue()
    deadline = time.time() + seconds
    share = len(tokens) // clients
    processes = [
        multiprocessing.Process(
            target=client, args=(port, tokens[i * share : (i + 1) * share], deadline, results)
        )
        for i in range(clients)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    timings = [entry for _process in processes for entry in results.get()]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return timings, elapsed


# --- Report -----------------------------------------------------------------------------------


def report(timings: list, elapsed: float, stored: int) -> bool:
    ok = [t for t in timings if t[2] in (200, 302)]
    errors = len(timings) - len(ok)
    rated = sum(1 for kind, _seconds, status in timings if kind == "POST" and status == 302)
    print(f"requests: {len(timings)} in {elapsed:.1f} s = {len(timings) / elapsed:.0f} req/s")
    print(f"ratings: {rated} = {rated / elapsed:.0f} ratings/s (a GET and a POST each)")
    for kind in ("GET", "POST"):
        seconds = sorted(t[1] * 1000 for t in ok if t[0] == kind)
        print(
            f"{kind:4} latency: p50 {percentile(seconds, 0.50):.1f} ms, "
            f"p99 {percentile(seconds, 0.99):.1f} ms ({len(seconds)} answers)"
        )
    print(f"errors: {errors}")
    print(f"ratings stored: {stored}; successful rating responses: {rated}")
    return stored == rated and errors == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8, help="client processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    config = database_settings(database_url)
    recreate_database(config)
    os.environ["DATABASE_URL"] = database_url
    configure_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    tokens = seed(args.receipts)
    print(f"migrated and seeded {args.receipts} receipts in {time.perf_counter() - started:.1f} s")

    clear_rate_limits()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        environment = server_environment(database_url, static_root)
        collect_static(environment)
        port = free_port(args.port)
        server = start_gunicorn(environment, port, args.workers)
        try:
            print(
                f"gunicorn on 127.0.0.1:{port}: {args.workers} workers; "
                f"{args.clients} client processes for {args.seconds:.0f} s"
            )
            timings, elapsed = run_load(port, tokens, args.clients, args.seconds)
        finally:
            stop(server)
    consistent = report(timings, elapsed, stored_ratings())
    sys.exit(0 if consistent else 1)


if __name__ == "__main__":
    main()
