"""The small seed locality the scoring and rating tests share: people, units and rules.

Plain builders, imported by the ``locality`` fixture in ``tests/conftest.py`` when it is
first needed (the engine tests run without Django, where ``scoring.models`` cannot load).
"""

import datetime

from scoring.models import EvaluationRule
from tests import factories as f

Anchor = EvaluationRule.Anchor
Evaluator = EvaluationRule.Evaluator


def rule(name, priority=100, kinds=(), within=None, positions=(), heads_only=False, **fields):
    obj = EvaluationRule.objects.create(
        name=name,
        priority=priority,
        subject_within_kind=f.kind(within) if within else None,
        subject_heads_only=heads_only,
        **fields,
    )
    obj.subject_kinds.set([f.kind(code) for code in kinds])
    obj.subject_positions.set(positions)
    obj.save()  # parental many-to-many relations are written on save
    return obj


def build_locality() -> dict:
    """A small seed locality: a district with one agency and one commune, and the rules."""
    chair = f.position("chu-tich", is_head=True, rank=1)
    vice = f.position("pho-chu-tich", rank=2)
    secretary = f.position("bi-thu", is_head=True, rank=1)
    deputy_secretary = f.position("pho-bi-thu", rank=2)
    head = f.position("truong-phong", is_head=True, rank=1)
    specialist = f.position("chuyen-vien", rank=50)
    clerk = f.position("cong-chuc-xa", rank=60)

    province = f.unit("Tỉnh Hà Giang", "province")
    province_pc = f.unit("UBND tỉnh Hà Giang", "people-committee", province)
    district = f.unit("Huyện Quản Bạ", "district", province)
    district_pc = f.unit("UBND huyện Quản Bạ", "people-committee", district)
    district_party = f.unit("Huyện ủy Quản Bạ", "party-committee", district)
    agency = f.unit("Phòng Nội vụ", "agency", district_pc)
    commune = f.unit("Xã Quyết Tiến", "commune", district)
    commune_party = f.unit("Đảng ủy xã Quyết Tiến", "party-committee", commune)
    front = f.unit("Ủy ban MTTQ xã Quyết Tiến", "fatherland-front", commune)
    women = f.unit("Hội Phụ nữ xã Quyết Tiến", "mass-organisation", commune)

    p = {
        "province_chair": f.staff("Nguyễn Văn Tỉnh", province_pc, chair),
        "district_chair": f.staff("Trần Văn Huyện", district_pc, chair),
        "agency_head": f.staff("Lê Thị Trưởng", agency, head),
        "agency_specialist": f.staff("Phạm Văn Chuyên", agency, specialist),
        "commune_chair": f.staff("Vàng Mí Chủ", commune, chair),
        "commune_vice": f.staff("Sùng Seo Phó", commune, vice),
        "commune_clerk": f.staff("Giàng Thị Công", commune, clerk),
        "secretary": f.staff("Lò Văn Bí", commune_party, secretary),
        "deputy_secretary": f.staff("Má Thị Phó", commune_party, deputy_secretary),
        "front_head": f.staff("Thào Văn Mặt", front, chair),
        "women_head": f.staff("Lý Thị Hội", women, chair),
        "district_secretary": f.staff("Hoàng Văn Thường", district_party, secretary),
    }
    council = district_party.councils.create(name="Ban Thường vụ Huyện ủy Quản Bạ")
    council.members.set([p["district_secretary"], p["district_chair"]])
    council.save()

    rule("1. Staff of district agencies", kinds=["agency"], anchor=Anchor.SAME_UNIT)
    rule(
        "2. Commune PC vice-chairs and civil servants",
        kinds=["commune"],
        anchor=Anchor.SAME_UNIT,
        evaluator=Evaluator.POSITION,
        evaluator_position=chair,
    )
    rule(
        "3a. Commune Party deputy secretary",
        kinds=["party-committee"],
        within="commune",
        positions=[deputy_secretary],
        anchor=Anchor.ANCESTOR,
        anchor_kind=f.kind("commune"),
        target_kind=f.kind("party-committee"),
        evaluator=Evaluator.POSITION,
        evaluator_position=secretary,
    )
    rule(
        "3b. Commune Fatherland Front and mass-organisation heads",
        kinds=["fatherland-front", "mass-organisation"],
        within="commune",
        heads_only=True,
        anchor=Anchor.ANCESTOR,
        anchor_kind=f.kind("commune"),
        target_kind=f.kind("party-committee"),
        evaluator=Evaluator.POSITION,
        evaluator_position=secretary,
    )
    rule(
        "4. Heads of district agencies and commune PC chairs",
        priority=50,
        kinds=["agency", "commune"],
        heads_only=True,
        anchor=Anchor.ANCESTOR,
        anchor_kind=f.kind("district"),
        target_kind=f.kind("people-committee"),
        valid_to=datetime.date(2025, 6, 30),
    )
    rule(
        "2025. Commune PC chairs scored by the province PC chair",
        priority=50,
        kinds=["commune"],
        heads_only=True,
        anchor=Anchor.ANCESTOR,
        anchor_kind=f.kind("province"),
        target_kind=f.kind("people-committee"),
        valid_from=datetime.date(2025, 7, 1),
    )
    rule(
        "5. Commune Party secretaries",
        priority=50,
        kinds=["party-committee"],
        within="commune",
        heads_only=True,
        anchor=Anchor.ANCESTOR,
        anchor_kind=f.kind("district"),
        target_kind=f.kind("party-committee"),
        evaluator=Evaluator.COUNCIL,
    )
    p["council"] = council
    p["commune"] = commune
    p["district"] = district
    p["chair_position"] = chair
    p["clerk_position"] = clerk
    return p
