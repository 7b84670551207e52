"""Explanations are built with gettext and never need Django settings to exist."""

from scoring.engine.i18n import gettext, gettext_noop
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)


def test_gettext_returns_the_english_source_when_no_translation_applies() -> None:
    assert gettext("%(done)s of %(assigned)s converted products done") == (
        "%(done)s of %(assigned)s converted products done"
    )


def test_gettext_noop_only_marks_the_string() -> None:
    assert gettext_noop("No bonus") == "No bonus"
