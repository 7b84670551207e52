"""A unit's year: everyone who served in it (or in a unit merged into it), by their months."""

import datetime
from decimal import Decimal

import pytest

from scoring.engine import Level
from scoring.models import Assignment
from scoring.organisation.restructure import merge_units
from scoring.rollup.years import person_year, predecessors_of, unit_year
from tests import factories as f
from tests.scoring.rollup.helpers import months

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2026
H1 = range(1, 7)
H2 = range(7, 13)


def names(report) -> list[str]:
    return [person.full_name for person in report.people]


def test_a_transfer_on_1_august_leaves_january_to_july_with_the_old_unit():
    old, new = f.unit("Phòng Tư pháp", "agency"), f.unit("Phòng Nội vụ", "agency")
    specialist = f.position("chuyen-vien")
    person = f.staff("Đỗ Thị Chuyển", old, specialist)
    Assignment.objects.filter(staff=person).update(end_date=datetime.date(YEAR, 7, 31))
    Assignment.objects.create(
        staff=person, unit=new, position=specialist, start_date=datetime.date(YEAR, 8, 1)
    )
    months(person, YEAR, {m: "90" for m in range(1, 8)}, old)
    months(person, YEAR, {m: "70" for m in range(8, 13)}, new)
    year = person_year(person, YEAR)
    assert [m.unit_name for m in year.months] == ["Phòng Tư pháp"] * 7 + ["Phòng Nội vụ"] * 5
    assert year.unit_names == ["Phòng Tư pháp", "Phòng Nội vụ"]
    assert len(year.result.used) == 12
    assert year.result.total == D("81.67")  # (7 × 90 + 5 × 70) / 12: the year is theirs
    for unit in (old, new):
        report = unit_year(unit, YEAR)
        assert names(report) == ["Đỗ Thị Chuyển"]
        assert report.people[0].result.total == D("81.67")
    served_in_old = [m.month for m in unit_year(old, YEAR).people[0].months if m.unit_id == old.pk]
    assert served_in_old == list(range(1, 8))


def test_a_transfer_shows_only_in_the_quarters_the_person_served_there():
    old, new = f.unit("Phòng Tư pháp", "agency"), f.unit("Phòng Nội vụ", "agency")
    person = f.staff("Đỗ Thị Chuyển", old, f.position("chuyen-vien"))
    months(person, YEAR, {m: "90" for m in range(1, 8)}, old)
    months(person, YEAR, {m: "70" for m in range(8, 13)}, new)
    assert names(unit_year(old, YEAR, quarter=3)) == ["Đỗ Thị Chuyển"]
    assert names(unit_year(old, YEAR, quarter=4)) == []
    assert names(unit_year(new, YEAR, quarter=1)) == []


@pytest.fixture
def merger():
    """Two communes merged into a new one on 1 July; history stays under the old ones."""
    province = f.unit("Tỉnh Tuyên Quang", "province")
    first = f.unit("Xã Quyết Tiến", "commune", province)
    second = f.unit("Xã Quản Bạ", "commune", province)
    merged = f.unit("Xã Quản Bạ mới", "commune", province, valid_from=datetime.date(YEAR, 7, 1))
    clerk = f.position("cong-chuc-xa")
    other = f.unit("Xã Khác", "commune", province)
    people = {
        "stays": f.staff("An Văn Ở", first, clerk),
        "also": f.staff("Bế Thị Lại", second, clerk),
        "left": f.staff("Cầm Văn Đi", second, clerk),
        "joined": f.staff("Đinh Thị Mới", merged, clerk, start=datetime.date(YEAR, 7, 1)),
        "elsewhere": f.staff("Hà Văn Khác", other, clerk),
    }
    merge_units([first, second], merged, datetime.date(YEAR, 7, 1))
    months(people["stays"], YEAR, {m: "92" for m in H1}, first)
    months(people["also"], YEAR, {m: "80" for m in H1}, second)
    months(people["left"], YEAR, {1: "60", 2: "60", 3: "60"}, second)
    for key in ("stays", "also", "joined"):
        months(people[key], YEAR, {m: "92" for m in H2}, merged)
    months(people["elsewhere"], YEAR, {m: "50" for m in range(1, 13)}, other)
    return {"first": first, "second": second, "merged": merged, **people}


def test_a_merger_keeps_history_under_the_old_units(merger):
    assert names(unit_year(merger["first"], YEAR)) == ["An Văn Ở"]
    assert names(unit_year(merger["second"], YEAR)) == ["Bế Thị Lại", "Cầm Văn Đi"]


def test_the_successors_year_lists_everyone_who_served_in_its_predecessors(merger):
    report = unit_year(merger["merged"], YEAR)
    assert names(report) == ["An Văn Ở", "Bế Thị Lại", "Cầm Văn Đi", "Đinh Thị Mới"]
    assert report.predecessors == ("Xã Quản Bạ", "Xã Quyết Tiến")
    assert report.unit_ids == {merger["merged"].pk, merger["first"].pk, merger["second"].pk}
    stays = report.people[0]
    assert [m.unit_name for m in stays.months[5:7]] == ["Xã Quyết Tiến", "Xã Quản Bạ mới"]
    assert stays.result.total == D("92.00")
    assert [p.full_name for p in report.rewards] == ["An Văn Ở", "Đinh Thị Mới"]


def test_predecessors_are_followed_through_every_merger():
    province = f.unit("Tỉnh", "province")
    oldest = f.unit("Xã A", "commune", province)
    middle = f.unit("Xã B", "commune", province, valid_from=datetime.date(2020, 1, 1))
    newest = f.unit("Xã C", "commune", province, valid_from=datetime.date(YEAR, 1, 1))
    merge_units([oldest], middle, datetime.date(2020, 1, 1))
    merge_units([middle], newest, datetime.date(YEAR, 1, 1))
    assert [unit.name for unit in predecessors_of(newest)] == ["Xã A", "Xã B"]


def test_the_attention_list_has_the_failed_year_and_two_failed_quarters_in_a_row():
    office = f.unit("Phòng Nội vụ", "agency")
    clerk = f.position("chuyen-vien")
    fine, slipping, failing = (f.staff(n, office, clerk) for n in ("Ánh", "Bình", "Cường"))
    months(fine, YEAR, {m: "85" for m in range(1, 13)}, office)
    months(slipping, YEAR, {m: "45" if 4 <= m <= 9 else "90" for m in range(1, 13)}, office)
    months(failing, YEAR, {m: "40" for m in range(1, 13)}, office)
    report = unit_year(office, YEAR)
    attention = {person.full_name: reasons for person, reasons in report.attention}
    assert set(attention) == {"Bình", "Cường"}
    assert attention["Bình"] == ["Quý 2 và quý 3 liên tiếp: Không hoàn thành nhiệm vụ"]
    assert attention["Cường"][0] == "Cả năm: Không hoàn thành nhiệm vụ"
    assert [p.full_name for p in report.people] == ["Ánh", "Bình", "Cường"]
    assert report.people[1].result.level == Level.COMPLETION
    assert report.rewards == []


def _unit_with(count: int):
    office = f.unit(f"Đơn vị {count}", "agency")
    clerk = f.position("chuyen-vien")
    for n in range(count):
        person = f.staff(f"Người {n:02d}", office, clerk)
        months(person, YEAR, {1: "80", 2: None, 3: "95"}, office)
    return office


def test_a_units_year_is_a_fixed_number_of_queries(django_assert_max_num_queries):
    small, large = _unit_with(2), _unit_with(15)
    with django_assert_max_num_queries(7):
        assert len(unit_year(small, YEAR).people) == 2
    with django_assert_max_num_queries(7):
        assert len(unit_year(large, YEAR).people) == 15
