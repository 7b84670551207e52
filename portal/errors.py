"""The answer to an unexpected error (``handler500`` in portal/urls.py).

Django's own renders ``500.html`` with no context at all; this one gives it the request
id, so the person who met the error can quote it and the operator find the request's log
lines and error report. It must work when little else does: no request context, no
database, and plain words if even the template fails.
"""

import logging

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from scoring.lib import request_id

logger = logging.getLogger(__name__)

FALLBACK = (
    '<!doctype html><title>500</title><h1 lang="vi">Đã có lỗi xảy ra</h1>'
    '<p lang="en">Something went wrong.</p>'
)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    try:
        body = loader.get_template(template_name).render({"request_id": request_id.current()})
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        body = FALLBACK
    return HttpResponseServerError(body)
