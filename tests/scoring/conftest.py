"""Desks of the seed locality (``tests/conftest.py``) for receipts, ratings and closed months."""

import pytest

from tests import factories as f


@pytest.fixture
def desk(locality):
    """The commune's one-stop desk, served by its civil servant and its vice-chair."""
    return f.desk(
        locality["commune"],
        "mot-cua-qt",
        "Bộ phận một cửa xã Quyết Tiến",
        [locality["commune_clerk"], locality["commune_vice"]],
    )


@pytest.fixture
def other_desk(locality):
    """A desk of another unit, served by someone else."""
    return f.desk(
        locality["district"],
        "mot-cua-qb",
        "Bộ phận một cửa huyện Quản Bạ",
        [locality["agency_specialist"]],
    )
