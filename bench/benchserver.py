"""What the benchmarks that serve the portal share: gunicorn started and stopped on
loopback, the static files collected, percentiles."""

from __future__ import annotations

import http.client
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchdb import ROOT


def collect_static(environment: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )


def free_port(wanted: int) -> int:
    """``wanted`` if nothing listens there, else exit; 0 picks a free port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", wanted))
        except OSError:
            sys.exit(f"Port {wanted} is in use: pick another with --port, or 0 for any free one.")
        return probe.getsockname()[1]


def start_gunicorn(
    environment: dict[str, str],
    port: int,
    workers: int,
    probe: str = "/rate/",
    extra: tuple[str, ...] = (),
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "portal.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra],
        cwd=ROOT,
        env={**environment, "GUNICORN_ACCESS_LOG": ""},  # gunicorn.conf.py, quietly
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", probe)
            if connection.getresponse().status == 200 and server.poll() is None:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer within 30 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]
