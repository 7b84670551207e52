"""How a unit signs its reports: its letterhead, the place of its date line, its signers.

Every report a unit signs as an administrative document (the month report, the quarter
and year results) asks :func:`signing_unit`, so they all read alike. The words are the
document's own, in Vietnamese whatever the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.lib.documents import Signatures, Signer

from .models import Assignment, Unit

HEAD = "Thủ trưởng đơn vị"
PREPARER = "Người lập biểu"

# The words that say what kind of unit a name is, left out of the place line.
KIND_WORDS = (
    "Ủy ban nhân dân",
    "Uỷ ban nhân dân",
    "UBND",
    "HĐND",
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Tỉnh",
    "Huyện",
    "Quận",
    "Xã",
    "Phường",
)
KIND_PATTERN = re.compile(
    r"^(?:(?:" + "|".join(re.escape(word) for word in KIND_WORDS) + r")\s+)+", re.IGNORECASE
)
TERRITORIAL = re.compile(r"^(?:" + "|".join(re.escape(w) for w in KIND_WORDS) + r")\s", re.I)


@dataclass(frozen=True)
class SigningUnit:
    issuer: list[str]  # the letterhead: the unit above, then the unit
    place: str  # the place of the date line ("Quản Bạ, ngày …")
    signatures: Signatures


def place_of(unit: Unit, ancestors: list[Unit]) -> str:
    """The place line's place: the nearest territorial unit's name (the unit itself, or
    the commune, district or province above it) without its kind words; else the unit's
    own name without them."""
    for each in [unit, *reversed(ancestors)]:
        if TERRITORIAL.match(each.name):
            return KIND_PATTERN.sub("", each.name).strip()
    return KIND_PATTERN.sub("", unit.name).strip()


def head_of(unit: Unit) -> Assignment | None:
    """The unit's head now: an open post that leads it, the first by rank (one query)."""
    posts = Assignment.objects.filter(unit=unit, end_date__isnull=True, position__is_head=True)
    return posts.select_related("staff", "position").order_by("position__rank", "pk").first()


def signing_unit(unit: Unit) -> SigningUnit:
    """The letterhead, place and signers of ``unit``'s reports (two queries)."""
    ancestors = list(unit.get_ancestors().only("pk", "name", "path", "depth"))
    head = head_of(unit)
    signer = Signer([head.position.name], name=head.staff.full_name) if head else Signer([HEAD])
    return SigningUnit(
        issuer=[ancestors[-1].name, unit.name] if ancestors else [unit.name],
        place=place_of(unit, ancestors),
        signatures=Signatures(signer=signer, second=Signer([PREPARER])),
    )
