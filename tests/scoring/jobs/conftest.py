import pytest

from tests import factories as f
from tests.scoring.jobs import kinds  # noqa: F401  (registers the test kinds)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files jobs make go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def requester(db):
    return f.user("nguoi-yeu-cau")


@pytest.fixture
def someone_else(db):
    return f.user("nguoi-khac")
