"""Benchmark: a soak of two app servers, citizens rating and the public reading, for minutes.

Run from the repository root against a dedicated PostgreSQL database and a local Redis::

    .venv/bin/python bench/bench_soak.py --seed 300 --minutes 5

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/bench_soak``; with
``--seed N`` that database is dropped, migrated and seeded with the demo at N staff (its
released months and pages) and a desk with fresh receipts, so the script refuses a name
that does not start with ``bench``. Two gunicorn app servers start with the production
settings, sharing the database and Redis (the cache, the published pages, the rate limits)
as two machines behind a load balancer do; their workers are not recycled
(``--max-requests 0``), so memory that grows shows. Client processes alternate between
the servers: each rates a fresh receipt (GET the form, POST the answers), then reads
public pages (home, results, a month, a unit, the open data). At the end it prints
requests per second, p50/p99 latency of each kind, errors, the ratings stored against the
successful rating answers (which must be equal), and each worker's memory (RSS) at the
start and the end. It exits non-zero on any error or a count that differs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_portal import seed as seed_demo
from bench_ratings_load import (
    clear_rate_limits,
    rate_one,
    seed,
    server_environment,
    stored_ratings,
)
from benchdb import configure_django, database_settings
from benchserver import collect_static, free_port, percentile, start_gunicorn, stop

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_soak"
RECEIPTS_PER_MINUTE = 6_000


# --- Setup ------------------------------------------------------------------------------------


def workers_of(server: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return sorted(int(pid) for pid in path.read_text().split())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_paths(port: int) -> list[str]:
    """The public pages read: the latest released month and one of its units."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/v1/periods/")
    periods = json.loads(connection.getresponse().read())["periods"]
    if not periods:
        sys.exit("No released month: seed the database first (--seed 300).")
    period = periods[0]["period"]
    connection.request("GET", f"/api/v1/periods/{period}/units/")
    units = json.loads(connection.getresponse().read())["units"]
    code = units[len(units) // 2]["code"]
    return [
        "/",
        "/ket-qua/",
        f"/ket-qua/{period}/",
        f"/ket-qua/don-vi/{code}/",
        "/phuong-phap/",
        f"/api/v1/periods/{period}/units/",
        f"/api/v1/periods/{period}/units/?format=csv",
    ]


# --- Clients ----------------------------------------------------------------------------------


def client(ports, tokens, pages, reads, deadline, results) -> None:
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports]
    cookies: list[dict] = [{} for _port in ports]
    timings: list = []
    for turn, token in enumerate(tokens, start=1):
        if time.time() >= deadline:
            break
        side = turn % len(ports)
        try:
            timings += rate_one(connections[side], token, cookies[side])
            for step in range(reads):
                path = pages[(turn + step) % len(pages)]
                other = (side + step + 1) % len(ports)
                started = time.perf_counter()
                connections[other].request("GET", path)
                response = connections[other].getresponse()
                response.read()
                timings.append(("READ", time.perf_counter() - started, response.status))
        except (OSError, http.client.HTTPException):
            timings.append(("ERR", 0.0, 0))
            for connection in connections:
                connection.close()
    results.put(timings)


def run(ports, tokens, pages, clients, reads, seconds) -> tuple[list, float]:
    results: multiprocessing.Queue = multiprocessing.Queue()
    deadline = time.time() + seconds
    share = len(tokens) // clients
    processes = [
        multiprocessing.Process(
            target=client,
            args=(ports, tokens[i * share : (i + 1) * share], pages, reads, deadline, results),
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


def report(timings: list, elapsed: float, stored: int, memory: dict, ran_out: bool) -> bool:
    ok = [t for t in timings if t[2] in (200, 302)]
    errors = len(timings) - len(ok)
    rated = sum(1 for kind, _seconds, status in timings if kind == "POST" and status == 302)
    print(f"\nrequests: {len(timings)} in {elapsed:.0f} s = {len(timings) / elapsed:.0f} req/s")
    print(f"ratings: {rated} = {rated / elapsed:.1f} ratings/s (a GET and a POST each)")
    all_ms = sorted(t[1] * 1000 for t in ok)
    p50, p99 = percentile(all_ms, 0.5), percentile(all_ms, 0.99)
    print(f"all      latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    for kind in ("GET", "POST", "READ"):
        seconds = sorted(t[1] * 1000 for t in ok if t[0] == kind)
        print(
            f"{kind:8} latency: p50 {percentile(seconds, 0.50):.1f} ms, "
            f"p99 {percentile(seconds, 0.99):.1f} ms ({len(seconds)} answers)"
        )
    print(f"errors: {errors}")
    print(f"ratings stored: {stored}; successful rating answers: {rated}")
    print("\nworker memory (RSS, MB): start -> end")
    for name, (start, end) in memory.items():
        print(f"  {name}: {start:.1f} -> {end:.1f} ({end - start:+.1f})")
    if ran_out:
        print("\nThe clients used every receipt before the time was up: raise --receipts.")
    return stored == rated and errors == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, metavar="STAFF", help="drop, migrate and seed first")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--receipts", type=int, help="default: 6,000 a minute")
    parser.add_argument("--clients", type=int, default=6, help="client processes")
    parser.add_argument("--reads", type=int, default=3, help="public reads after each rating")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    database_settings(database_url)
    receipts = args.receipts or int(RECEIPTS_PER_MINUTE * args.minutes)
    if args.seed:
        started = time.perf_counter()
        seed_demo(args.seed, database_url)
        print(f"seeded the demo at {args.seed} staff in {time.perf_counter() - started:.0f} s")
    os.environ["DATABASE_URL"] = database_url
    configure_django()
    tokens = seed(receipts)  # fresh receipts on the benchmark's desk
    before = stored_ratings()

    clear_rate_limits()
    servers = []
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        environment = server_environment(database_url, static_root)
        collect_static(environment)
        try:
            for _server in range(2):
                port = free_port(0)
                server = start_gunicorn(
                    environment, port, args.workers, "/healthz", ("--max-requests", "0")
                )
                servers.append((server, port))
            ports = [port for _server, port in servers]
            pages = read_paths(ports[0])
            for port in ports:  # warm: every page once on each server
                for path in pages:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    connection.request("GET", path)
                    connection.getresponse().read()
            workers = {
                f"server {n + 1} worker {pid}": pid
                for n, (server, _port) in enumerate(servers)
                for pid in workers_of(server)
            }
            start_memory = {name: rss_mb(pid) for name, pid in workers.items()}
            print(
                f"two gunicorn servers ({args.workers} workers each, ports {ports}), "
                f"{args.clients} clients for {args.minutes:g} min; {len(tokens)} receipts; "
                f"{args.reads} public reads per rating"
            )
            timings, elapsed = run(
                ports, tokens, pages, args.clients, args.reads, args.minutes * 60
            )
            memory = {name: (start_memory[name], rss_mb(pid)) for name, pid in workers.items()}
        finally:
            for server, _port in servers:
                stop(server)
    rated = sum(1 for kind, _seconds, status in timings if kind == "POST" and status == 302)
    ran_out = rated >= (len(tokens) // args.clients) * args.clients
    consistent = report(timings, elapsed, stored_ratings() - before, memory, ran_out)
    sys.exit(0 if consistent else 1)


if __name__ == "__main__":
    main()
