"""Benchmark: the public portal through gunicorn (2 workers) on loopback, cached and not.

Run from the repository root against a seeded PostgreSQL database::

    .venv/bin/python bench/bench_portal.py --seed 20000   # once: drop, migrate, seed
    .venv/bin/python bench/bench_portal.py                # measure

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/bench_portal``; with
``--seed N`` that database is dropped, migrated and seeded with the demo at N staff
(``seed_demo`` plays its released months, ``seed_demo_site`` builds the pages), so the
script refuses a name that does not start with ``bench``. Without ``--seed`` it only
reads.

In one run it serves the portal three ways, each with gunicorn and the production
settings: with the page cache in-process (the one-machine default), with the page cache
in Redis (``--redis``, several app servers), and with no cache at all (every page
rendered afresh). Each way it loads, with ``wrk``, the ceiling (a minimal Django view
through the same middleware), the home page, the results index, one month's results, a
unit page, and the units JSON and CSV. It prints requests per second, p99 latency, the
non-2xx answers and each one's ratio to the ceiling measured in the same server, then
the SQL queries of each page rendered afresh in-process and each page's weight (HTML
with its stylesheets and images).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request

from benchdb import ROOT, configure_django, database_settings, recreate_database
from benchserver import collect_static, free_port, start_gunicorn, stop

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_portal"
REDIS_URL = "redis://127.0.0.1:6379/14"
CEILING = "/bench/ceiling/"
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
ERRORS = re.compile(r"Socket errors:.*")
P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
ASSETS = re.compile(rb'(?:href|src)="(/static/[^"]+)"')


def seed(staff: int, database_url: str) -> None:
    config = database_settings(database_url)
    recreate_database(config)
    environment = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["seed_demo", "--staff", str(staff)],
        ["seed_demo_site"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=environment, check=True
        )


def paths(base: str) -> dict[str, str]:
    """The pages to load: the latest released month and one of its units, read from the
    open data the portal serves."""
    with urllib.request.urlopen(f"{base}/api/v1/periods/") as answer:
        periods = json.load(answer)
    rows = periods["periods"]
    if not rows:
        sys.exit("No released month: seed the database first (--seed 20000).")
    period = rows[0]["period"]
    with urllib.request.urlopen(f"{base}/api/v1/periods/{period}/units/") as answer:
        units = json.load(answer)
    unit_rows = units["units"]
    code = unit_rows[len(unit_rows) // 2]["code"]
    return {
        "ceiling": CEILING,
        "home": "/",
        "results index": "/ket-qua/",
        "month results": f"/ket-qua/{period}/",
        "unit page": f"/ket-qua/don-vi/{code}/",
        "units JSON": f"/api/v1/periods/{period}/units/",
        "units CSV": f"/api/v1/periods/{period}/units/?format=csv",
    }


def wrk(url: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p99 = P99.search(output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non_2xx = NON_2XX.search(output)
    errors = ERRORS.search(output)
    return {
        "rps": float(RATE.search(output).group(1)),
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(0) if errors else "",
    }


def weight(base: str, path: str) -> float:
    """The page with its stylesheets, scripts and images, in KB."""
    with urllib.request.urlopen(base + path) as answer:
        body = answer.read()
    total = len(body)
    for asset in sorted(set(ASSETS.findall(body))):
        with urllib.request.urlopen(base + asset.decode()) as answer:
            total += len(answer.read())
    return total / 1024


def environment_for(database_url: str, static_root: str, cache: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_portal_settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("CACHE_URL", None)
    environment.pop("BENCH_NO_CACHE", None)
    if cache == "redis":
        environment["CACHE_URL"] = REDIS_URL
    elif cache == "none":
        environment["BENCH_NO_CACHE"] = "1"
    return environment


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # database 14 is this benchmark's own


def measure(database_url: str, static_root: str, cache: str, args) -> tuple[dict, dict]:
    environment = environment_for(database_url, static_root, cache)
    if cache == "redis":
        flush_redis()
    port = free_port(args.port)
    server = start_gunicorn(environment, port, args.workers, probe=CEILING)
    base = f"http://127.0.0.1:{port}"
    figures: dict[str, dict] = {}
    try:
        page_paths = paths(base)
        for name, path in page_paths.items():
            figures[name] = {"kb": weight(base, path)}  # also warms: cache filled, code loaded
            figures[name].update(wrk(base + path, args.seconds, args.connections))
        figures["ceiling (again)"] = {
            "kb": 0,
            **wrk(base + CEILING, args.seconds, args.connections),
        }
    finally:
        stop(server)
    return figures, page_paths


def report(cache: str, figures: dict[str, dict]) -> None:
    ceiling = max(figures["ceiling"]["rps"], figures["ceiling (again)"]["rps"])
    print(f"\n== page cache: {cache}")
    print(f"{'path':<17} {'req/s':>8} {'p99 ms':>8} {'of ceiling':>11} {'non-2xx':>8} {'KB':>6}")
    for name, row in figures.items():
        share = row["rps"] / ceiling if ceiling else float("nan")
        print(
            f"{name:<17} {row['rps']:>8.0f} {row['p99']:>8.1f} {share:>10.0%} "
            f"{row['non_2xx']:>8} {row['kb']:>6.1f} {row['errors']}"
        )


def queries(database_url: str, page_paths: dict[str, str]) -> None:
    """Each page rendered afresh in-process, with an empty cache: its SQL queries."""
    os.environ["DATABASE_URL"] = database_url
    configure_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    print("\n== SQL queries of each page rendered afresh (in-process, empty cache)")
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        for name, path in page_paths.items():
            if path == CEILING:
                continue
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            print(f"{name:<17} {len(captured):>4} queries (HTTP {status})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, metavar="STAFF", help="drop, migrate and seed first")
    parser.add_argument("--seconds", type=int, default=10, help="per path (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--redis", action="store_true", help="also measure the cache in Redis")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    database_settings(database_url)
    if args.seed:
        seed(args.seed, database_url)

    ways = ["in-process", *(["redis"] if args.redis else []), "none"]
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        collect_static(environment_for(database_url, static_root, "none"))
        print(f"gunicorn, {args.workers} workers; wrk 2 threads, {args.connections} connections,")
        print(f"{args.seconds} s per path; database {database_url.rsplit('/', 1)[-1]}")
        results = {way: measure(database_url, static_root, way, args) for way in ways}
    for way, (figures, _page_paths) in results.items():
        report(way, figures)
    queries(database_url, results["none"][1])


if __name__ == "__main__":
    main()
