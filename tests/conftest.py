import pytest


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Tests read the interface as a Vietnamese user does unless they ask otherwise."""
    settings.LANGUAGE_CODE = "vi"
