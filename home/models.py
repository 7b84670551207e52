"""The public site's Wagtail pages, one module per room (one app label: ``home``)."""

from home.content.models import *  # noqa: F403
from home.results.models import *  # noqa: F403
