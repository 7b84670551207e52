"""The demo locality: its shape, its logins, its routes, and that seeding is repeatable."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from scoring import models
from scoring.access import roles
from scoring.demo import locality as demo
from scoring.organisation.routing import Problem, resolve_routes

STAFF = 200
COUNTED = [
    models.Unit,
    models.Staff,
    models.Assignment,
    models.Position,
    models.Council,
    models.EvaluationRule,
    models.EvaluatorOverride,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo.seed_demo(staff=STAFF)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def demo_locality(seeded, db):
    return seeded


def person(unit: str, position: str) -> models.Staff:
    return models.Staff.objects.get(code=demo.code_of(unit, position))


def counts() -> dict[str, int]:
    User = get_user_model()
    return {model.__name__: model.objects.count() for model in [*COUNTED, User]}


def test_the_district_has_its_people_committee_agencies_and_party_committee(demo_locality):
    district = models.Unit.objects.get(code="QB")
    assert district.name == "Huyện Quản Bạ"
    assert district.get_parent().name == "Tỉnh Hà Giang"
    district_pc = models.Unit.objects.get(code="QB-UBND")
    agencies = district_pc.get_children().filter(kind__code="agency")
    assert agencies.count() == 12
    assert agencies.filter(name__startswith="Phòng Tư pháp").exists()
    assert models.Unit.objects.get(code="QB-HU").kind.code == "party-committee"


def test_the_thirteen_communes_each_have_a_party_committee_front_and_mass_organisations(
    demo_locality,
):
    communes = models.Unit.objects.filter(kind__code="commune")
    assert sorted(communes.values_list("name", flat=True)) == sorted(
        f"{kind_word.capitalize()} {name}" for kind_word, name in demo.COMMUNES
    )
    for commune in communes:
        kinds = sorted(commune.get_children().values_list("kind__code", flat=True))
        assert kinds == ["fatherland-front"] + ["mass-organisation"] * 4 + ["party-committee"]
    assert models.Unit.objects.get(code="QB-X08").name == "Xã Quản Bạ"
    assert models.Unit.objects.get(code="QB-X01-DU").name == "Đảng ủy thị trấn Tam Sơn"


def test_the_standing_committees_are_councils_with_the_secretary_among_members(demo_locality):
    council = models.Council.objects.get(name="Ban Thường vụ Huyện ủy Quản Bạ")
    assert council.unit.code == "QB-HU"
    members = set(council.members.all())
    assert person("QB-HU", "bi-thu") in members
    assert person("QB-UBND", "chu-tich") in members
    assert models.Council.objects.filter(name="Ban Thường vụ Tỉnh ủy Hà Giang").exists()


def test_staff_have_vietnamese_names_stable_codes_and_one_open_post(demo_locality):
    assert models.Staff.objects.count() == STAFF
    codes = sorted(models.Staff.objects.values_list("code", flat=True))
    assert codes[0] == "QB-000001" and codes[-1] == f"QB-{STAFF:06d}"
    names = list(models.Staff.objects.values_list("full_name", flat=True))
    assert sum(not name.isascii() for name in names) > STAFF // 2
    open_posts = models.Assignment.objects.filter(end_date__isnull=True)
    assert open_posts.count() == STAFF - 1  # the retired chair's post is closed
    first = models.Staff.objects.get(code="QB-000001")
    assert first.full_name == demo.person(0, demo.core_posts()[0])[0].full_name
    categories = set(models.Staff.objects.values_list("category", flat=True))
    assert categories == {"CB", "CC", "VC", "HD"}


@pytest.mark.parametrize(
    ("username", "group", "post"),
    demo.LOGINS,
)
def test_each_demo_login_is_in_its_group_and_linked_to_its_person(
    demo_locality, username, group, post
):
    user = get_user_model().objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.check_password(demo.PASSWORD)
    assert user.staff == person(*post)


def test_the_admin_login_is_a_superuser(demo_locality):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(demo.ADMIN_PASSWORD)
    roles_shown = {login.role for login in demo_locality.logins}
    assert set(roles.ROLE_LABELS) <= roles_shown


def test_running_the_command_twice_creates_nothing_new(demo_locality):
    before = counts()
    out = StringIO()
    call_command("seed_demo", staff=STAFF, stdout=out)
    assert counts() == before
    printed = out.getvalue()
    for username in ("admin", "noivu", "truongphong", "danhgia", "canbo", "motcua"):
        assert username in printed
    assert demo.PASSWORD in printed and demo.ADMIN_PASSWORD in printed


def test_a_bigger_staff_adds_only_the_missing_people(demo_locality):
    names = dict(models.Staff.objects.values_list("code", "full_name"))
    result = demo.seed_demo(staff=STAFF + 120)
    assert result.staff_created == 120
    assert models.Staff.objects.count() == STAFF + 120
    assert (
        dict(models.Staff.objects.filter(code__in=names).values_list("code", "full_name")) == names
    )
    schools = models.Unit.objects.filter(kind__code="public-service-unit")
    assert schools.exists()
    assert all(
        models.Assignment.objects.filter(unit=school, position__is_head=True).exists()
        for school in schools
    )


def test_too_few_staff_for_every_leading_post_is_refused(demo_locality):
    with pytest.raises(CommandError):
        call_command("seed_demo", staff=10, stdout=StringIO())


def test_in_2024_everyone_resolves_but_the_one_vacant_post(demo_locality):
    routes = resolve_routes(2024, 5)
    assert len(routes) == STAFF - 1
    unresolved = [route for route in routes.values() if not route.resolved]
    assert len(unresolved) == 1
    assert unresolved[0].problem == Problem.VACANT
    assert unresolved[0].staff_id == person(demo.VACANT_UNIT, "pho-chu-tich").pk


@pytest.mark.parametrize("key", ["1", "2", "3a", "3b", "4", "5"])
def test_each_of_the_seed_rules_is_used_in_2024(demo_locality, key):
    rule = models.EvaluationRule.objects.get(name=demo.rule_named(key).name)
    assert any(route.rule_id == rule.pk for route in resolve_routes(2024, 5).values())


def evaluator(staff: models.Staff, year: int, month: int):
    route = resolve_routes(year, month)[staff.pk]
    return route.evaluator_id, route.council_id, route.rule_id


def rule_id(key: str) -> int:
    return models.EvaluationRule.objects.get(name=demo.rule_named(key).name).pk


@pytest.mark.parametrize(
    ("key", "subject", "expected"),
    [
        ("1", ("QB-UBND-02", "chuyen-vien"), ("QB-UBND-02", "truong-phong")),
        ("2", ("QB-X01", "cong-chuc-xa"), ("QB-X01", "chu-tich")),
        ("2", ("QB-X01", "pho-chu-tich"), ("QB-X01", "chu-tich")),
        ("3a", ("QB-X01-DU", "pho-bi-thu"), ("QB-X01-DU", "bi-thu")),
        ("3b", ("QB-X01-MT", "chu-tich"), ("QB-X01-DU", "bi-thu")),
        ("3b", ("QB-X01-DTN", "bi-thu"), ("QB-X01-DU", "bi-thu")),
        ("4", ("QB-UBND-02", "truong-phong"), ("QB-UBND", "chu-tich")),
        ("4", ("QB-X01", "chu-tich"), ("QB-UBND", "chu-tich")),
    ],
)
def test_a_seed_rule_resolves_to_the_expected_person_in_2024(demo_locality, key, subject, expected):
    assert evaluator(person(*subject), 2024, 5) == (person(*expected).pk, None, rule_id(key))


def test_commune_party_secretaries_are_scored_by_the_district_standing_committee(demo_locality):
    council = models.Council.objects.get(name="Ban Thường vụ Huyện ủy Quản Bạ")
    secretary = person("QB-X05-DU", "bi-thu")
    assert evaluator(secretary, 2024, 5) == (None, council.pk, rule_id("5"))


def test_since_july_2025_the_province_chair_scores_commune_chairs(demo_locality):
    chair = person("QB-X01", "chu-tich")
    province_chair = person("HG-UBND", "chu-tich").pk
    assert evaluator(chair, 2026, 3) == (province_chair, None, rule_id("2025"))
    assert evaluator(chair, 2025, 6)[0] == person("QB-UBND", "chu-tich").pk
    # District agency heads keep rule 4: the demo's district still exists.
    assert evaluator(person("QB-UBND-02", "truong-phong"), 2026, 3)[2] == rule_id("4")


def test_the_hand_set_evaluator_wins_and_says_why(demo_locality):
    override = models.EvaluatorOverride.objects.get()
    assert override.reason
    route = resolve_routes(2024, 5)[override.staff_id]
    assert route.override_id == override.pk
    assert route.evaluator_id == person("QB-X03", "pho-chu-tich").pk
