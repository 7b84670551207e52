"""Desks of the seed locality (``tests/conftest.py``) for receipts, ratings and closed months."""

import pytest

# Imported in the fixtures: tests/scoring/engine runs without Django too (-p no:django),
# and tests.factories loads scoring.models.


@pytest.fixture
def desk(locality):
    """The commune's one-stop desk, served by its civil servant and its vice-chair."""
    from tests import factories as f

    return f.desk(
        locality["commune"],
        "mot-cua-qt",
        "Bộ phận một cửa xã Quyết Tiến",
        [locality["commune_clerk"], locality["commune_vice"]],
    )


@pytest.fixture
def other_desk(locality):
    """A desk of another unit, served by someone else."""
    from tests import factories as f

    return f.desk(
        locality["district"],
        "mot-cua-qb",
        "Bộ phận một cửa huyện Quản Bạ",
        [locality["agency_specialist"]],
    )
