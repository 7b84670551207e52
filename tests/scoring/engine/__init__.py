"""Tests of the pure scoring engine: no database, and no Django settings required.

``tests/conftest.py`` has an autouse fixture that needs pytest-django's ``settings``
fixture, which does not exist under ``-p no:django``. Each engine test module imports the
override below: with pytest-django active it keeps the Vietnamese default, without it it
does nothing (the engine then explains in English source strings).
"""

import pytest


@pytest.fixture(autouse=True)
def _vietnamese_by_default(request: pytest.FixtureRequest) -> None:
    """Vietnamese interface when pytest-django runs; nothing to do without it."""
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").LANGUAGE_CODE = "vi"
