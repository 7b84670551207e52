"""Typed readers for settings taken from the environment.

Each helper rejects a malformed value loudly with ``ImproperlyConfigured`` and can
read the value from a file named by ``NAME_FILE`` (Docker and Kubernetes secrets),
as Healthchecks does.
"""

import os
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable ``name``, or the content of the file named by ``NAME_FILE``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch; anything but a recognised word is an error."""
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    """Read a whole number."""
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; blanks are dropped."""
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_decimal(name: str, default: str) -> Decimal:
    """Read a decimal number ("0.8", "2.5"); the default is given as text."""
    value = env_str(name)
    if value is None or value == "":
        return Decimal(default)
    try:
        number = Decimal(value.strip())
    except ArithmeticError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from exc
    if not number.is_finite():
        raise ImproperlyConfigured(f"{name}={value!r} is not a number")
    return number


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """Read one of ``choices`` (compared without case); anything else is an error."""
    value = (env_str(name) or "").strip()
    if not value:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
