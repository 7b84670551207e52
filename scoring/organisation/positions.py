"""Posts as offices write them: found by name, and new ones proposed by an import.

A staff list names each person's post as the office writes it ("Chủ tịch UBND", "Công
chức Tư pháp - Hộ tịch"). :class:`PositionFinder` matches it to an existing position by
code, or by name whatever the case, spacing and diacritics, among the positions of that
kind of unit (a position with no kinds fits every kind). A name that matches nothing is
a :class:`NewPosition` the import proposes; whether it leads its unit is inferred from
its first words (:data:`HEAD_TITLES`) and the user can change it before confirming.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.text import slugify

from scoring.lib.names import fold, tidy

from .models import Position, Unit

# A post whose name starts with one of these leads its unit ("Phó …" never does).
HEAD_TITLES = (
    "Chủ tịch",
    "Trưởng",
    "Giám đốc",
    "Bí thư",
    "Chánh",
    "Chỉ huy trưởng",
    "Hiệu trưởng",
    "Thủ trưởng",
    "Viện trưởng",
    "Cục trưởng",
    "Tổng biên tập",
)
NEW_POSITION_RANK = 100


def leads_unit(name: str) -> bool:
    """Whether a post called ``name`` heads its unit, as its first words say."""
    folded = fold(name)
    return any(
        folded == fold(title) or folded.startswith(fold(title) + " ") for title in HEAD_TITLES
    )


@dataclass
class NewPosition:
    """A position an import will create: its name as first written, its code, whether it
    leads its unit, and the kinds of unit it was written for."""

    name: str
    code: str
    is_head: bool
    kind_ids: set[int] = field(default_factory=set)
    first_row: int | None = None

    def create(self) -> Position:
        position = Position.objects.create(
            code=self.code, name=self.name, is_head=self.is_head, rank=NEW_POSITION_RANK
        )
        position.unit_kinds.set(self.kind_ids)
        return position


class PositionFinder:
    """The positions and units of the locality, loaded once for one import."""

    def __init__(self) -> None:
        self.positions = {
            position.code: position
            for position in Position.objects.prefetch_related("unit_kinds").order_by("rank")
        }
        self.kinds = {
            code: {kind.pk for kind in position.unit_kinds.all()}
            for code, position in self.positions.items()
        }
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for code, position in self.positions.items():
            self.by_name[fold(position.name)].append(code)
        self.units = {unit.code: unit for unit in Unit.objects.only("pk", "code", "name", "kind")}
        self.units_by_name: dict[str, list[str]] = defaultdict(list)
        for code, unit in self.units.items():
            self.units_by_name[fold(unit.name)].append(code)
        self.proposed: dict[str, NewPosition] = {}

    def unit_code(self, text: str) -> str | None:
        """The code of the unit written as ``text``: its code, or its only name."""
        if text in self.units:
            return text
        codes = self.units_by_name.get(fold(text), [])
        return codes[0] if len(codes) == 1 else None

    def position_code(self, text: str, unit_code: str | None) -> str | None:
        """The code of the position written as ``text`` for a post in ``unit_code``."""
        if text in self.positions:
            return text
        kind_id = self.units[unit_code].kind_id if unit_code in self.units else None
        codes = self.by_name.get(fold(text), [])
        for code in codes:
            if kind_id in self.kinds[code]:
                return code
        for code in codes:
            if not self.kinds[code]:
                return code
        return None

    def add(self, position: Position, kind_ids: set[int]) -> None:
        """Make a position created during the import findable."""
        self.positions[position.code] = position
        self.kinds[position.code] = set(kind_ids)
        self.by_name[fold(position.name)].append(position.code)

    def propose(self, text: str, unit_code: str | None, row: int) -> NewPosition:
        """The new position for a post written ``text`` that matched nothing."""
        key = fold(text)
        proposal = self.proposed.get(key)
        if proposal is None:
            name = tidy(text)
            proposal = NewPosition(name, self._new_code(name), leads_unit(name), first_row=row)
            self.proposed[key] = proposal
        if unit_code in self.units:
            proposal.kind_ids.add(self.units[unit_code].kind_id)
        return proposal

    def _new_code(self, name: str) -> str:
        taken = set(self.positions) | {p.code for p in self.proposed.values()}
        base = slugify(fold(name))[:36].strip("-") or "chuc-vu"
        code, number = base, 2
        while code in taken:
            code, number = f"{base}-{number}", number + 1
        return code
