"""gunicorn's configuration, read from the working directory (``gunicorn portal.wsgi``).

Everything can be set from the environment: ``GUNICORN_BIND`` (default
127.0.0.1:8000; behind the load balancer), ``WEB_CONCURRENCY`` (workers, default two per
CPU plus one), ``GUNICORN_TIMEOUT``, ``GUNICORN_ACCESS_LOG`` (a file, ``-`` for
standard output, empty for none). Long work runs in the background workers
(``manage.py db_worker``), never in a request, so the timeout stays short.
"""

import multiprocessing
import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is replaced now and then, so no leak can grow for ever
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "": none
errorlog = "-"
# The access log names no query string: rating tokens travel in paths, not queries, and
# the log keeps no more than the operator needs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# No Server banner: gunicorn names itself and its version in every answer; an attacker
# learns nothing from an answer without it.
_default_headers = wsgi.Response.default_headers


def _without_server_banner(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _without_server_banner
