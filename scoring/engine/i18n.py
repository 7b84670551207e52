"""Translation helpers that keep the engine usable without Django settings.

The engine builds human-readable explanations with gettext so that ``makemessages`` picks
the English source strings up (keywords ``_``, ``gettext`` and ``gettext_noop``). When
Django is not configured (plain unit tests run with ``-p no:django``, the benchmark) or
its app registry is not ready yet, the message is returned untranslated instead of
raising.
"""

from django.conf import settings
from django.core.exceptions import AppRegistryNotReady
from django.utils.formats import get_format
from django.utils.translation import gettext as django_gettext


def gettext(message: str) -> str:
    """Translate ``message`` into the active language, or return it unchanged.

    Falls back to the English source string when Django settings are not configured or
    the translation infrastructure cannot start yet (app registry not ready).
    """
    if not settings.configured:
        return message
    try:
        return django_gettext(message)
    except AppRegistryNotReady:
        return message


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translated later)."""
    return message


def decimal_separator() -> str:
    """The active language's decimal mark ("," in Vietnamese), "." without Django.

    Explanations are read by people: "67,7% trong 31 lượt" in Vietnamese, "67.7%" in
    English.
    """
    if not settings.configured:
        return "."
    try:
        return get_format("DECIMAL_SEPARATOR")
    except AppRegistryNotReady:
        return "."
