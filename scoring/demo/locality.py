"""The demo locality: Quản Bạ district (Hà Giang) as it scored its staff from 2019.

:func:`seed_demo` builds the province, the district with its People's Committee, twelve
agencies, the district Party committee and its standing committee, thirteen communes and
towns each with a Party committee, a Fatherland Front and four mass organisations, the
positions, the evaluator rules (the seed's five and the two-tier rule of July 2025), and
one login per role. ``staff`` scales the headcount: past the leaders, people fill
commune offices and agencies up to a realistic size, then schools (opened as needed,
each with its headmaster), so every unit always has a head and every route resolves.

Everything is derived from a person's number alone (names from ``random.Random`` seeded
with it, the post from a fixed sequence), so the data is the same on every machine and a
later run with a bigger ``staff`` only adds the missing people. Running twice creates
nothing new. On purpose, one post is vacant (a mass organisation's chair retired at the
end of 2023) and one person has an evaluator set by hand.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.access import roles
from scoring.models import (
    Assignment,
    Council,
    EvaluationRule,
    EvaluatorOverride,
    Position,
    Staff,
    Unit,
    UnitKind,
)

DEFAULT_STAFF = 600
PASSWORD = "QuanBa-demo-2026"
ADMIN_PASSWORD = "QuanBa-admin-2026"
CODE_PREFIX = "QB-"
BATCH_SIZE = 2000
SEED = 2019

# Sizes past which extra people go to schools instead (Decree 33/2023/NĐ-CP allows a
# commune about 19 to 23 cadres and civil servants, by its class).
COMMUNE_CIVIL_SERVANTS = 17
COMMUNE_CONTRACTS = 3
AGENCY_STAFF = 15
SCHOOL_STAFF = 40
# One cycle of extra posts: C commune civil servant, H commune contract, A agency, S school.
EXTRA_CYCLE = "CCCCCCHAAAASSSSSSSSS"

D = datetime.date
TWO_TIERS = D(2025, 7, 1)

POSITIONS = [
    # code, name, leads the unit, rank
    ("chu-tich", "Chủ tịch", True, 10),
    ("bi-thu", "Bí thư", True, 10),
    ("truong-phong", "Trưởng phòng", True, 10),
    ("chanh-van-phong", "Chánh Văn phòng", True, 10),
    ("chanh-thanh-tra", "Chánh Thanh tra", True, 10),
    ("giam-doc", "Giám đốc", True, 10),
    ("hieu-truong", "Hiệu trưởng", True, 10),
    ("pho-chu-tich", "Phó Chủ tịch", False, 20),
    ("pho-bi-thu", "Phó Bí thư", False, 20),
    ("pho-truong-phong", "Phó Trưởng phòng", False, 20),
    ("pho-chanh-van-phong", "Phó Chánh Văn phòng", False, 20),
    ("pho-chanh-thanh-tra", "Phó Chánh Thanh tra", False, 20),
    ("pho-giam-doc", "Phó Giám đốc", False, 20),
    ("pho-hieu-truong", "Phó Hiệu trưởng", False, 20),
    ("chuyen-vien", "Chuyên viên", False, 50),
    ("cong-chuc-xa", "Công chức cấp xã", False, 50),
    ("giao-vien", "Giáo viên", False, 60),
    ("vien-chuc", "Viên chức", False, 60),
    ("hop-dong", "Nhân viên hợp đồng", False, 90),
]
DEPUTY = {
    "truong-phong": "pho-truong-phong",
    "chanh-van-phong": "pho-chanh-van-phong",
    "chanh-thanh-tra": "pho-chanh-thanh-tra",
    "giam-doc": "pho-giam-doc",
}

# (code suffix, name, head's position): the agencies under the district People's Committee.
AGENCIES = [
    ("01", "Văn phòng HĐND và UBND huyện Quản Bạ", "chanh-van-phong"),
    ("02", "Phòng Nội vụ huyện Quản Bạ", "truong-phong"),
    ("03", "Phòng Tài chính – Kế hoạch huyện Quản Bạ", "truong-phong"),
    ("04", "Phòng Tư pháp huyện Quản Bạ", "truong-phong"),
    ("05", "Phòng Kinh tế và Hạ tầng huyện Quản Bạ", "truong-phong"),
    ("06", "Phòng Nông nghiệp và Phát triển nông thôn huyện Quản Bạ", "truong-phong"),
    ("07", "Phòng Tài nguyên và Môi trường huyện Quản Bạ", "truong-phong"),
    ("08", "Phòng Giáo dục và Đào tạo huyện Quản Bạ", "truong-phong"),
    ("09", "Phòng Văn hóa và Thông tin huyện Quản Bạ", "truong-phong"),
    ("10", "Phòng Y tế huyện Quản Bạ", "truong-phong"),
    ("11", "Phòng Lao động – Thương binh và Xã hội huyện Quản Bạ", "truong-phong"),
    ("12", "Thanh tra huyện Quản Bạ", "chanh-thanh-tra"),
]
HOME_AFFAIRS_AGENCY = "QB-UBND-02"
SERVICE_CENTRE = "QB-UBND-HCC"
# (type, name): "Xã Quản Bạ" is a commune of Quản Bạ district, as in reality.
COMMUNES = [
    ("thị trấn", "Tam Sơn"),
    ("xã", "Bát Đại Sơn"),
    ("xã", "Cán Tỷ"),
    ("xã", "Cao Mã Pờ"),
    ("xã", "Đông Hà"),
    ("xã", "Lùng Tám"),
    ("xã", "Nghĩa Thuận"),
    ("xã", "Quản Bạ"),
    ("xã", "Quyết Tiến"),
    ("xã", "Tả Ván"),
    ("xã", "Thái An"),
    ("xã", "Thanh Vân"),
    ("xã", "Tùng Vài"),
]
# (code suffix, name, head's position)
MASS_ORGANISATIONS = [
    ("PN", "Hội Liên hiệp Phụ nữ", "chu-tich"),
    ("DTN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "bi-thu"),
    ("ND", "Hội Nông dân", "chu-tich"),
    ("CCB", "Hội Cựu chiến binh", "chu-tich"),
]
# The one vacancy: this organisation's chair retired; its vice-chair has nobody to score them.
VACANT_UNIT = "QB-X06-CCB"
VACANT_SINCE = D(2024, 1, 1)
# (unit, name, members by unit and position): the secretary, deputy and PC chair.
COUNCILS = [
    (
        "QB-HU",
        "Ban Thường vụ Huyện ủy Quản Bạ",
        [("QB-HU", "bi-thu"), ("QB-HU", "pho-bi-thu"), ("QB-UBND", "chu-tich")],
    ),
    (
        "HG-TU",
        "Ban Thường vụ Tỉnh ủy Hà Giang",
        [("HG-TU", "bi-thu"), ("HG-TU", "pho-bi-thu"), ("HG-UBND", "chu-tich")],
    ),
]
# The council that hears the contests no evaluator's evaluator can take, and where.
CONTEST_COUNCIL = ("Ban Thường vụ Tỉnh ủy Hà Giang", "HG")
SCHOOL_PREFIX = "QB-UBND-TR-"
SCHOOL_LEVELS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS"]


@dataclass(frozen=True)
class UnitSpec:
    """A unit to build: its stable code, name, kind code and parent's code."""

    code: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class PostSpec:
    """A person's post: unit code, position code, category; leaders started earlier."""

    unit: str
    position: str
    category: str
    leader: bool = False
    left_on: datetime.date | None = None


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as printed at the end: who it is and how to log in."""

    username: str
    role: str
    person: str
    password: str


@dataclass(frozen=True)
class SeedResult:
    """What a run of :func:`seed_demo` added, and the demo logins."""

    units_created: int
    staff_created: int
    staff_total: int
    logins: list[DemoLogin]


def commune_code(index: int) -> str:
    """The code of the ``index``-th commune (0-based, in the order of ``COMMUNES``)."""
    return f"QB-X{index + 1:02d}"


def staff_code(index: int) -> str:
    """The code of the ``index``-th person (0-based): QB-000001, QB-000002…"""
    return f"{CODE_PREFIX}{index + 1:06d}"


# The structure ------------------------------------------------------------------------


def core_units() -> list[UnitSpec]:
    """Every unit but the schools, parents before children."""
    units = [
        UnitSpec("HG", "Tỉnh Hà Giang", "province", None),
        UnitSpec("HG-UBND", "UBND tỉnh Hà Giang", "people-committee", "HG"),
        UnitSpec("HG-TU", "Tỉnh ủy Hà Giang", "party-committee", "HG"),
        UnitSpec("QB", "Huyện Quản Bạ", "district", "HG"),
        UnitSpec("QB-UBND", "UBND huyện Quản Bạ", "people-committee", "QB"),
        UnitSpec("QB-HU", "Huyện ủy Quản Bạ", "party-committee", "QB"),
        UnitSpec(
            SERVICE_CENTRE,
            "Trung tâm Phục vụ hành chính công huyện Quản Bạ",
            "service-centre",
            "QB-UBND",
        ),
    ]
    units += [
        UnitSpec(f"QB-UBND-{code}", name, "agency", "QB-UBND") for code, name, _head in AGENCIES
    ]
    for index, (kind_word, name) in enumerate(COMMUNES):
        units += _commune_units(commune_code(index), kind_word, name)
    return units


def _commune_units(code: str, kind_word: str, name: str) -> list[UnitSpec]:
    place = f"{kind_word} {name}"
    return [
        UnitSpec(code, place[0].upper() + place[1:], "commune", "QB"),
        UnitSpec(f"{code}-DU", f"Đảng ủy {place}", "party-committee", code),
        UnitSpec(f"{code}-MT", f"Ủy ban MTTQ Việt Nam {place}", "fatherland-front", code),
    ] + [
        UnitSpec(f"{code}-{suffix}", f"{org} {place}", "mass-organisation", code)
        for suffix, org, _head in MASS_ORGANISATIONS
    ]


def school_unit(index: int) -> UnitSpec:
    """The ``index``-th school (0-based) under the district PC: by commune, then level."""
    level = SCHOOL_LEVELS[index % len(SCHOOL_LEVELS)]
    commune = COMMUNES[(index // len(SCHOOL_LEVELS)) % len(COMMUNES)][1]
    series = index // (len(SCHOOL_LEVELS) * len(COMMUNES))
    name = f"{level} {commune}" + (f" số {series + 1}" if series else "")
    # Codes sort after the agencies', so each new school is appended to the tree.
    return UnitSpec(f"{SCHOOL_PREFIX}{index + 1:04d}", name, "public-service-unit", "QB-UBND")


def core_posts() -> list[PostSpec]:
    """The leaders of every unit (and a few named people), in a fixed order."""
    cb, cc = Staff.Category.CADRE, Staff.Category.CIVIL_SERVANT
    posts = [
        PostSpec("HG-UBND", "chu-tich", cb, True),
        PostSpec("HG-TU", "bi-thu", cb, True),
        PostSpec("HG-TU", "pho-bi-thu", cb, True),
        PostSpec("QB-UBND", "chu-tich", cb, True),
        PostSpec("QB-UBND", "pho-chu-tich", cb, True),
        PostSpec("QB-UBND", "pho-chu-tich", cb, True),
        PostSpec("QB-HU", "bi-thu", cb, True),
        PostSpec("QB-HU", "pho-bi-thu", cb, True),
        PostSpec(SERVICE_CENTRE, "giam-doc", cc, True),
        PostSpec(SERVICE_CENTRE, "chuyen-vien", cc),
        PostSpec(HOME_AFFAIRS_AGENCY, "chuyen-vien", cc),
    ]
    posts += [PostSpec(f"QB-UBND-{code}", head, cc, True) for code, _name, head in AGENCIES]
    for index in range(len(COMMUNES)):
        posts += _commune_posts(commune_code(index))
    return posts


def _commune_posts(code: str) -> list[PostSpec]:
    cb, cc = Staff.Category.CADRE, Staff.Category.CIVIL_SERVANT
    posts = [
        PostSpec(code, "chu-tich", cb, True),
        PostSpec(code, "pho-chu-tich", cb, True),
        PostSpec(code, "cong-chuc-xa", cc),
        PostSpec(f"{code}-DU", "bi-thu", cb, True),
        PostSpec(f"{code}-DU", "pho-bi-thu", cb, True),
        PostSpec(f"{code}-MT", "chu-tich", cb, True),
    ]
    for suffix, _org, head in MASS_ORGANISATIONS:
        unit = f"{code}-{suffix}"
        if unit != VACANT_UNIT:
            posts.append(PostSpec(unit, head, cb, True))
            continue
        retired = VACANT_SINCE - datetime.timedelta(days=1)
        posts.append(PostSpec(unit, head, cb, True, left_on=retired))
        posts.append(PostSpec(unit, "pho-chu-tich", Staff.Category.CONTRACT, True))
    return posts


def extra_posts() -> Iterator[PostSpec]:
    """Everyone past the leaders, endlessly, in a fixed order (so any prefix is stable)."""
    counts = {"C": 0, "H": 0, "A": 0}
    school_staff = 0
    for slot in itertools.cycle(EXTRA_CYCLE):
        post = _office_post(slot, counts[slot]) if slot in counts else None
        if slot in counts:
            counts[slot] += 1
        if post is not None:
            yield post
            continue
        school, place = divmod(school_staff, SCHOOL_STAFF)
        school_staff += 1
        yield from _school_posts(school_unit(school).code, place)


def _office_post(slot: str, number: int) -> PostSpec | None:
    """The ``number``-th extra post of a commune or agency slot, or None once all are full."""
    cc, hd = Staff.Category.CIVIL_SERVANT, Staff.Category.CONTRACT
    if slot == "A":
        offices = [f"QB-UBND-{code}" for code, _name, _head in AGENCIES] + [SERVICE_CENTRE, "QB-HU"]
        heads = [head for _code, _name, head in AGENCIES] + ["giam-doc", "bi-thu"]
        level, office = divmod(number, len(offices))
        if level >= AGENCY_STAFF:
            return None
        deputy = DEPUTY.get(heads[office]) if level == 0 else None
        return PostSpec(offices[office], deputy or "chuyen-vien", cc, leader=bool(deputy))
    cap = COMMUNE_CIVIL_SERVANTS if slot == "C" else COMMUNE_CONTRACTS
    level, commune = divmod(number, len(COMMUNES))
    if level >= cap:
        return None
    position, category = ("cong-chuc-xa", cc) if slot == "C" else ("hop-dong", hd)
    return PostSpec(commune_code(commune), position, category)


def _school_posts(school: str, place: int) -> Iterator[PostSpec]:
    """A school's ``place``-th member, preceded by its headmaster when it opens."""
    vc = Staff.Category.PUBLIC_EMPLOYEE
    if place == 0:
        yield PostSpec(school, "hieu-truong", vc, True)
        yield PostSpec(school, "pho-hieu-truong", vc, True)
    elif place % 10 == 9:
        yield PostSpec(school, "vien-chuc", vc)
    else:
        yield PostSpec(school, "giao-vien", vc)


def demo_posts(staff: int) -> list[PostSpec]:
    """The first ``staff`` posts: every leader, then the extra people."""
    core = core_posts()
    if staff < len(core):
        raise ValueError(
            _("The demo needs at least %(minimum)d staff (one for every leading post).")
            % {"minimum": len(core)}
        )
    return core + list(itertools.islice(extra_posts(), staff - len(core)))


def demo_units(posts: list[PostSpec]) -> list[UnitSpec]:
    """The core units and every school the posts need."""
    schools = sorted({post.unit for post in posts if post.unit.startswith(SCHOOL_PREFIX)})
    return core_units() + [school_unit(int(code[-4:]) - 1) for code in schools]


# People ---------------------------------------------------------------------------------

HMONG_FAMILIES = ["Vàng", "Sùng", "Giàng", "Thào", "Lù", "Ly", "Má", "Hầu", "Mua", "Cháng"]
OTHER_FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Triệu", "Bàn", "Lò", "Lý"]
MIDDLE = {
    ("hmong", "m"): ["Mí", "Seo", "Văn", "Chứ"],
    ("hmong", "f"): ["Thị", "Thị", "Mỷ"],
    ("other", "m"): ["Văn", "Đức", "Quang", "Minh", "Mạnh", "Xuân"],
    ("other", "f"): ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng"],
}
GIVEN = {
    ("hmong", "m"): ["Sính", "Páo", "Chứ", "Dình", "Tráng", "Vư", "Chúng", "Lử", "Sử", "Pó"],
    ("hmong", "f"): ["Dợ", "Mỷ", "Sùa", "Dở", "Say", "Pà", "Chá", "Dính", "Mai", "Và"],
    ("other", "m"): ["Hùng", "Dũng", "Tuấn", "Thắng", "Bình", "Cường", "Hải", "Long", "Sơn"],
    ("other", "f"): ["Lan", "Hương", "Hoa", "Hạnh", "Thủy", "Nhung", "Dung", "Hằng", "Huyền"],
}


def full_name(rng: random.Random) -> str:
    """A Vietnamese full name as people are named in Quản Bạ (mostly Hmong, also Kinh, Tày)."""
    hmong = rng.random() < 0.6
    family = rng.choice(HMONG_FAMILIES if hmong else OTHER_FAMILIES)
    key = ("hmong" if hmong else "other", "f" if rng.random() < 0.45 else "m")
    return f"{family} {rng.choice(MIDDLE[key])} {rng.choice(GIVEN[key])}"


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def person(index: int, post: PostSpec) -> tuple[Staff, datetime.date]:
    """The ``index``-th person (unsaved) and the day their post started."""
    rng = random.Random(f"{SEED}-{index}")
    if post.leader:
        joined = _day_between(rng, D(1990, 1, 1), D(2008, 12, 31))
        took_post = _day_between(rng, D(2010, 1, 1), D(2018, 12, 31))
    else:
        joined = took_post = _day_between(rng, D(1998, 1, 1), D(2023, 6, 30))
    staff = Staff(
        code=staff_code(index),
        full_name=full_name(rng),
        category=post.category,
        start_date=joined,
        end_date=post.left_on,
    )
    return staff, took_post


def code_of(unit: str, position: str) -> str:
    """The staff code of the first leader post (``unit``, ``position``), for named people."""
    for index, post in enumerate(core_posts()):
        if post.unit == unit and post.position == position and post.left_on is None:
            return staff_code(index)
    raise LookupError(f"no core post {position} in {unit}")


# Building ---------------------------------------------------------------------------------


@transaction.atomic
def seed_demo(staff: int = DEFAULT_STAFF) -> SeedResult:
    """Build (or complete) the demo locality with ``staff`` people; safe to run again.

    Raises ``ValueError`` when ``staff`` is too small for every unit to have its head.
    """
    posts = demo_posts(staff)
    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    positions = ensure_positions()
    units, units_created = ensure_units(demo_units(posts), kinds)
    staff_created = ensure_staff(posts, units, positions)
    ensure_councils(units)
    ensure_rules(kinds, positions)
    ensure_override()
    return SeedResult(
        units_created=units_created,
        staff_created=staff_created,
        staff_total=Staff.objects.filter(code__startswith=CODE_PREFIX).count(),
        logins=ensure_logins(),
    )


def ensure_positions() -> dict[str, Position]:
    """The demo's positions by code, created when missing."""
    existing = {position.code: position for position in Position.objects.all()}
    missing = [
        Position(code=code, name=name, is_head=is_head, rank=rank)
        for code, name, is_head, rank in POSITIONS
        if code not in existing
    ]
    for position in Position.objects.bulk_create(missing):
        existing[position.code] = position
    return existing


def ensure_units(specs: list[UnitSpec], kinds: dict[str, UnitKind]) -> tuple[dict[str, Unit], int]:
    """The units by code, the missing ones added to the tree; and how many were added."""
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[s.code for s in specs])}
    created = 0
    for spec in specs:
        if spec.code in units:
            continue
        node = Unit(code=spec.code, name=spec.name, kind=kinds[spec.kind])
        if spec.parent:
            units[spec.code] = units[spec.parent].add_child(instance=node)
        else:
            units[spec.code] = Unit.add_root(instance=node)
        created += 1
    return units, created


def ensure_staff(
    posts: list[PostSpec], units: dict[str, Unit], positions: dict[str, Position]
) -> int:
    """Create the people (and their one post) whose codes are missing; returns how many."""
    existing = set(
        Staff.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
    )
    people, started = [], []
    for index, post in enumerate(posts):
        if staff_code(index) not in existing:
            member, took_post = person(index, post)
            people.append(member)
            started.append((post, took_post))
    Staff.objects.bulk_create(people, batch_size=BATCH_SIZE)
    Assignment.objects.bulk_create(
        (
            Assignment(
                staff=member,
                unit=units[post.unit],
                position=positions[post.position],
                start_date=took_post,
                end_date=post.left_on,
            )
            for member, (post, took_post) in zip(people, started, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )
    return len(people)


def ensure_councils(units: dict[str, Unit]) -> None:
    """The standing committees of the district and province Party committees; the
    province's hears the contests nobody above the evaluator can take."""
    for unit_code, name, members in COUNCILS:
        council, created = Council.objects.get_or_create(unit=units[unit_code], name=name)
        if created:
            codes = [code_of(*member) for member in members]
            council.members.set(Staff.objects.filter(code__in=codes))
            if name == CONTEST_COUNCIL[0]:
                council.contest_scope = units[CONTEST_COUNCIL[1]]
            council.save()  # parental many-to-many relations are written on save


def ensure_override() -> None:
    """One evaluator set by hand, with its reason (a conflict of interest)."""
    staff = Staff.objects.get(code=code_of("QB-X03", "cong-chuc-xa"))
    EvaluatorOverride.objects.get_or_create(
        staff=staff,
        valid_from=D(2024, 1, 1),
        defaults={
            "evaluator": Staff.objects.get(code=code_of("QB-X03", "pho-chu-tich")),
            "reason": (
                "Chủ tịch UBND xã Cán Tỷ có quan hệ gia đình với công chức này; để tránh xung "
                "đột lợi ích (Luật Phòng, chống tham nhũng 2018), Phó Chủ tịch UBND xã đánh giá."
            ),
        },
    )


# Evaluator rules ----------------------------------------------------------------------------

SEED_PRACTICE = (
    "Thực tiễn huyện Quản Bạ, tỉnh Hà Giang (đề án nâng cao chất lượng thực thi công vụ "
    "2018–2020): mỗi người đăng ký công việc hằng tháng, tự chấm điểm, rồi người có thẩm "
    "quyền đánh giá. "
)


@dataclass(frozen=True)
class RuleSpec:
    """An evaluator rule to create; ``key`` names it in code and tests ("1", "3a", "2025")."""

    key: str
    name: str
    priority: int
    anchor: str
    note: str
    kinds: tuple[str, ...] = ()
    within: str | None = None
    positions: tuple[str, ...] = ()
    heads_only: bool = False
    anchor_kind: str | None = None
    target_kind: str | None = None
    evaluator: str = EvaluationRule.Evaluator.HEAD
    evaluator_position: str | None = None
    valid_from: datetime.date = D(2000, 1, 1)
    valid_to: datetime.date | None = None


_SAME = EvaluationRule.Anchor.SAME_UNIT
_ANCESTOR = EvaluationRule.Anchor.ANCESTOR
_POSITION = EvaluationRule.Evaluator.POSITION
_COUNCIL = EvaluationRule.Evaluator.COUNCIL

RULES = [
    RuleSpec(
        "1",
        "Quy tắc 1 – Công chức các cơ quan chuyên môn thuộc UBND huyện: người đứng đầu cơ quan",
        20,
        _SAME,
        SEED_PRACTICE + "Quy tắc 1: người đứng đầu cơ quan đánh giá công chức của cơ quan.",
        kinds=("agency",),
        within="district",
    ),
    RuleSpec(
        "2",
        "Quy tắc 2 – Phó Chủ tịch UBND xã, thị trấn và công chức xã: Chủ tịch UBND xã",
        20,
        _SAME,
        SEED_PRACTICE + "Quy tắc 2: Chủ tịch UBND xã, thị trấn đánh giá Phó Chủ tịch và công "
        "chức cấp xã.",
        kinds=("commune",),
        positions=("pho-chu-tich", "cong-chuc-xa"),
        evaluator=_POSITION,
        evaluator_position="chu-tich",
    ),
    RuleSpec(
        "3a",
        "Quy tắc 3 – Phó Bí thư Đảng ủy xã: Bí thư Đảng ủy xã",
        20,
        _ANCESTOR,
        SEED_PRACTICE + "Quy tắc 3: Bí thư Đảng ủy xã đánh giá Phó Bí thư Đảng ủy.",
        kinds=("party-committee",),
        within="commune",
        positions=("pho-bi-thu",),
        anchor_kind="commune",
        target_kind="party-committee",
        evaluator=_POSITION,
        evaluator_position="bi-thu",
    ),
    RuleSpec(
        "3b",
        "Quy tắc 3 – Chủ tịch Ủy ban MTTQ và người đứng đầu các đoàn thể xã: Bí thư Đảng ủy xã",
        20,
        _ANCESTOR,
        SEED_PRACTICE + "Quy tắc 3: Bí thư Đảng ủy xã đánh giá Chủ tịch Ủy ban MTTQ và người "
        "đứng đầu các đoàn thể chính trị – xã hội của xã.",
        kinds=("fatherland-front", "mass-organisation"),
        within="commune",
        heads_only=True,
        anchor_kind="commune",
        target_kind="party-committee",
        evaluator=_POSITION,
        evaluator_position="bi-thu",
    ),
    RuleSpec(
        "4",
        "Quy tắc 4 – Người đứng đầu cơ quan chuyên môn huyện và Chủ tịch UBND xã: "
        "Chủ tịch UBND huyện",
        10,
        _ANCESTOR,
        SEED_PRACTICE + "Quy tắc 4: Chủ tịch UBND huyện đánh giá người đứng đầu các cơ quan "
        "chuyên môn và Chủ tịch UBND các xã, thị trấn. Từ 01/7/2025 quy tắc theo Quyết định "
        "623/QĐ-UBND (ưu tiên 5, nhỏ hơn) thay quy tắc này đối với Chủ tịch UBND xã.",
        kinds=("agency", "commune"),
        within="district",
        heads_only=True,
        anchor_kind="district",
        target_kind="people-committee",
        evaluator=_POSITION,
        evaluator_position="chu-tich",
    ),
    RuleSpec(
        "5",
        "Quy tắc 5 – Bí thư Đảng ủy xã, thị trấn: Ban Thường vụ Huyện ủy",
        10,
        _ANCESTOR,
        SEED_PRACTICE + "Quy tắc 5: Ban Thường vụ Huyện ủy (một tập thể, không phải một cá "
        "nhân) đánh giá Bí thư Đảng ủy các xã, thị trấn.",
        kinds=("party-committee",),
        within="commune",
        heads_only=True,
        anchor_kind="district",
        target_kind="party-committee",
        evaluator=_COUNCIL,
    ),
    RuleSpec(
        "2025",
        "Từ 01/7/2025 – Chủ tịch UBND xã: Chủ tịch UBND tỉnh đánh giá hằng tháng",
        5,
        _ANCESTOR,
        "Chính quyền địa phương hai cấp từ 01/7/2025 (Hà Giang hợp nhất vào Tuyên Quang): "
        "Chủ tịch UBND tỉnh đánh giá hằng tháng Chủ tịch UBND cấp xã, Quyết định 623/QĐ-UBND "
        "năm 2025 của UBND tỉnh Tuyên Quang. Trùng thời gian với quy tắc 4 nên được ưu tiên.",
        kinds=("commune",),
        heads_only=True,
        anchor_kind="province",
        target_kind="people-committee",
        evaluator=_POSITION,
        evaluator_position="chu-tich",
        valid_from=TWO_TIERS,
    ),
    RuleSpec(
        "district-units",
        "Người đứng đầu đơn vị sự nghiệp và Trung tâm Phục vụ hành chính công thuộc UBND "
        "huyện: Chủ tịch UBND huyện",
        10,
        _ANCESTOR,
        "Dữ liệu minh họa: quy tắc 4 mở rộng cho các đơn vị trực thuộc UBND huyện.",
        kinds=("public-service-unit", "service-centre"),
        within="district",
        heads_only=True,
        anchor_kind="district",
        target_kind="people-committee",
        evaluator=_POSITION,
        evaluator_position="chu-tich",
    ),
    RuleSpec(
        "district-vice-chairs",
        "Phó Chủ tịch UBND huyện: Chủ tịch UBND huyện",
        20,
        _SAME,
        "Dữ liệu minh họa: cấp trưởng đánh giá cấp phó trong UBND huyện.",
        kinds=("people-committee",),
        within="district",
        positions=("pho-chu-tich",),
        evaluator=_POSITION,
        evaluator_position="chu-tich",
    ),
    RuleSpec(
        "district-chair",
        "Chủ tịch UBND huyện: Chủ tịch UBND tỉnh",
        10,
        _ANCESTOR,
        "Dữ liệu minh họa: Chủ tịch UBND tỉnh đánh giá Chủ tịch UBND cấp huyện.",
        kinds=("people-committee",),
        within="district",
        heads_only=True,
        anchor_kind="province",
        target_kind="people-committee",
        evaluator=_POSITION,
        evaluator_position="chu-tich",
    ),
    RuleSpec(
        "province",
        "Bí thư Huyện ủy, Bí thư Tỉnh ủy và Chủ tịch UBND tỉnh: Ban Thường vụ Tỉnh ủy",
        30,
        _ANCESTOR,
        "Dữ liệu minh họa: Ban Thường vụ Tỉnh ủy đứng thay cho cấp trên ngoài địa phương "
        "(Trung ương, Thủ tướng Chính phủ), để người đứng đầu cấp tỉnh cũng có nơi đánh giá.",
        kinds=("party-committee", "people-committee"),
        heads_only=True,
        anchor_kind="province",
        target_kind="party-committee",
        evaluator=_COUNCIL,
    ),
    RuleSpec(
        "fallback",
        "Các trường hợp khác: người đứng đầu đơn vị mình",
        900,
        _SAME,
        "Quy tắc dự phòng: ai không thuộc quy tắc nào ở trên do người đứng đầu đơn vị của "
        "mình đánh giá (viên chức, người lao động hợp đồng, cấp phó của các đơn vị khác).",
    ),
]


def rule_named(key: str) -> RuleSpec:
    """The demo rule with ``key`` ("1", "2", "3a", "3b", "4", "5", "2025", …)."""
    return next(spec for spec in RULES if spec.key == key)


def ensure_rules(kinds: dict[str, UnitKind], positions: dict[str, Position]) -> None:
    """Create the demo's evaluator rules that do not exist yet (matched by name)."""
    existing = set(EvaluationRule.objects.values_list("name", flat=True))
    for spec in RULES:
        if spec.name not in existing:
            _create_rule(spec, kinds, positions)


def _create_rule(
    spec: RuleSpec, kinds: dict[str, UnitKind], positions: dict[str, Position]
) -> EvaluationRule:
    rule = EvaluationRule.objects.create(
        name=spec.name,
        priority=spec.priority,
        subject_within_kind=kinds[spec.within] if spec.within else None,
        subject_heads_only=spec.heads_only,
        anchor=spec.anchor,
        anchor_kind=kinds[spec.anchor_kind] if spec.anchor_kind else None,
        target_kind=kinds[spec.target_kind] if spec.target_kind else None,
        evaluator=spec.evaluator,
        evaluator_position=positions.get(spec.evaluator_position or ""),
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        note=spec.note,
    )
    rule.subject_kinds.set([kinds[code] for code in spec.kinds])
    rule.subject_positions.set([positions[code] for code in spec.positions])
    rule.save()  # parental many-to-many relations are written on save
    return rule


# Logins ---------------------------------------------------------------------------------------

# (username, group, unit and position of the person behind the login)
LOGINS = [
    ("noivu", roles.HOME_AFFAIRS, (HOME_AFFAIRS_AGENCY, "chuyen-vien")),
    ("truongphong", roles.UNIT_HEAD, (HOME_AFFAIRS_AGENCY, "truong-phong")),
    ("danhgia", roles.EVALUATOR, ("QB-X01", "chu-tich")),
    ("canbo", roles.STAFF_MEMBER, ("QB-X01", "cong-chuc-xa")),
    ("motcua", roles.DESK_OFFICER, (SERVICE_CENTRE, "chuyen-vien")),
]


def ensure_logins() -> list[DemoLogin]:
    """The superuser and one login per role, each linked to its person; never re-passworded."""
    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", email="", password=ADMIN_PASSWORD)
    logins = [DemoLogin("admin", _("superuser"), "—", ADMIN_PASSWORD)]
    for username, group, post in LOGINS:
        staff = Staff.objects.get(code=code_of(*post))
        _ensure_login(username, group, staff)
        where = Assignment.objects.filter(staff=staff).select_related("unit", "position").get()
        logins.append(DemoLogin(username, group, f"{staff.full_name} – {where}", PASSWORD))
    return logins


def _ensure_login(username: str, group: str, staff: Staff) -> None:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=PASSWORD, first_name=staff.full_name)
        user.groups.add(Group.objects.get(name=group))
    if staff.user_id is None and not Staff.objects.filter(user=user).exists():
        staff.user = user
        staff.save(update_fields=["user"])
