"""Who sees what in the admin: every list, export, inspect view and the site history
answer each role with its own scope only (scoring/access/policy.py).

The table below is the scope each role is owed in the seed locality; each test walks
one kind of page for every role and checks the rows it may and may not see.
"""

import csv
import io
import re

import pytest
from django.urls import reverse
from wagtail.log_actions import log

from scoring.access import logins, roles
from scoring.ratings import receipts as receipt_service
from tests import factories as f

pytestmark = pytest.mark.django_db

EVERYONE = {
    "province_chair",
    "district_chair",
    "agency_head",
    "agency_specialist",
    "commune_chair",
    "commune_vice",
    "commune_clerk",
    "secretary",
    "deputy_secretary",
    "front_head",
    "women_head",
    "district_secretary",
}
COMMUNE = {
    "commune_chair",
    "commune_vice",
    "commune_clerk",
    "secretary",
    "deputy_secretary",
    "front_head",
    "women_head",
}
AGENCY = {"agency_head", "agency_specialist"}
REFUSED = None

# role: (group, the person behind the login, the people listed (REFUSED: no staff list),
#        the desks whose receipts are listed, sees others' logins and desks' tokens)
SCOPES = {
    "staff member": (roles.STAFF_MEMBER, "women_head", REFUSED, set(), False),
    "evaluator": (roles.EVALUATOR, "agency_head", AGENCY, set(), False),
    "unit head": (roles.UNIT_HEAD, "commune_chair", COMMUNE, set(), False),
    "desk officer": (roles.DESK_OFFICER, "commune_clerk", REFUSED, {"own"}, False),
    "office": (roles.HOME_AFFAIRS, None, EVERYONE, {"own", "other"}, None),
    "superuser": (None, None, EVERYONE, {"own", "other"}, True),
}


@pytest.fixture
def world(locality, desk, other_desk):
    """The locality with a receipt at each desk, and one log entry on every row."""
    officer = f.user("dang-nhap-khac", roles.STAFF_MEMBER)
    receipts = {
        "own": receipt_service.issue_receipt(
            desk, locality["commune_clerk"], "HS-OWN-1", "Thủ tục"
        ),
        "other": receipt_service.issue_receipt(
            other_desk, locality["agency_specialist"], "HS-OTHER-1", "Thủ tục"
        ),
    }
    for key in EVERYONE:
        log(instance=locality[key], action="wagtail.edit")
    for receipt in receipts.values():
        log(instance=receipt, action="wagtail.create")
    log(instance=other_desk, action="scoring.desk_api_token")
    log(instance=desk, action="scoring.desk_api_token")
    log(instance=officer, action=logins.LOGIN, user=officer)
    return {"people": locality, "receipts": receipts, "desks": {"own": desk, "other": other_desk}}


def login(client, world, role):
    group, person, *_ = SCOPES[role]
    account = f.user(role.replace(" ", "-"), *([group] if group else []), superuser=not group)
    if person:
        staff = world["people"][person]
        staff.user = account
        staff.save()
    client.force_login(account)
    return client


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def listed_rows(response) -> set[int]:
    """The people the list has a row for (a row links to the person's edit or inspect
    page; the evaluator column names people without a link)."""
    body = response.content.decode()
    found = re.findall(r'href="/admin/staff/(?:edit|inspect)/(\d+)/"', body)
    return {int(pk) for pk in found}


def exported_names(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("Họ và tên") if "Họ và tên" in rows[0] else 1
    return {row[column] for row in rows[1:]}


@pytest.mark.parametrize("role", list(SCOPES))
def test_each_role_lists_and_exports_exactly_the_people_in_its_scope(client, world, role):
    login(client, world, role)
    people = world["people"]
    listed = SCOPES[role][2]
    response = client.get(reverse("staff:index"))
    if listed is REFUSED:
        assert refused(response)
        assert refused(client.get(reverse("staff:index") + "?export=csv"))
        return
    rows = listed_rows(response)
    assert rows == {people[key].pk for key in listed}
    export = client.get(reverse("staff:index") + "?export=csv")
    assert exported_names(export) == {people[key].full_name for key in listed}


@pytest.mark.parametrize("role", [r for r in SCOPES if SCOPES[r][2] is not REFUSED])
def test_a_person_outside_the_scope_is_not_found_in_the_inspect_view(client, world, role):
    login(client, world, role)
    people = world["people"]
    listed = SCOPES[role][2]
    for key in EVERYONE:
        response = client.get(reverse("staff:inspect", args=[people[key].pk]))
        assert response.status_code == (200 if key in listed else 404), key


@pytest.mark.parametrize("role", ["desk officer", "office", "superuser"])
def test_each_role_lists_and_exports_the_receipts_of_its_own_desks(client, world, role):
    login(client, world, role)
    desks = SCOPES[role][3]
    body = client.get(reverse("receipts:index")).content.decode()
    export = b"".join(
        client.get(reverse("receipts:index") + "?export=csv").streaming_content
    ).decode("utf-8-sig")
    for key, receipt in world["receipts"].items():
        assert (receipt.dossier_code in body) is (key in desks), key
        assert (receipt.dossier_code in export) is (key in desks), key


@pytest.mark.parametrize("role", list(SCOPES))
def test_the_site_history_shows_each_role_the_entries_of_its_scope_only(client, world, role):
    login(client, world, role)
    _group, _person, listed, desks, others = SCOPES[role]
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    body = response.content.decode()
    for key in EVERYONE:
        shown = listed is not REFUSED and key in listed
        assert (world["people"][key].code in body) is shown, key
    for key, receipt in world["receipts"].items():
        assert (receipt.dossier_code in body) is (key in desks), key
    assert ('value="scoring.desk_api_token"' in body) is bool(others or others is None)
    if others is not None:  # the office reads what its permissions on logins allow
        assert ("dang-nhap-khac" in body) is others
        assert (world["desks"]["other"].name in body) is others
        assert (world["desks"]["own"].name in body) is others


def test_the_site_history_results_follow_the_same_scope(client, world):
    login(client, world, "desk officer")
    body = client.get(reverse("wagtailadmin_reports:site_history_results")).content.decode()
    assert "HS-OWN-1" in body
    assert "HS-OTHER-1" not in body


def test_the_scoped_staff_list_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    login(client, world, "evaluator")
    people = world["people"]
    url = reverse("staff:index")
    client.get(url)  # warm caches
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    agency = people["agency_head"].assignments.get().unit
    position = people["agency_specialist"].assignments.get().position
    for index in range(20):
        f.staff(f"Chuyên viên {index}", agency, position)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "Chuyên viên 19" in response.content.decode()


def test_the_site_history_filters_name_no_one_who_acted_outside_the_scope(client, world):
    other_officer = f.user("can-bo-huyen", roles.DESK_OFFICER)
    log(instance=world["receipts"]["other"], action="wagtail.edit", user=other_officer)
    own_officer = f.user("can-bo-xa", roles.DESK_OFFICER)
    log(instance=world["receipts"]["own"], action="wagtail.edit", user=own_officer)
    login(client, world, "desk officer")
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "can-bo-xa" in body
    assert "can-bo-huyen" not in body


def test_another_desks_receipt_has_no_history_for_a_desk_officer(client, world):
    login(client, world, "desk officer")
    receipts = world["receipts"]
    assert client.get(reverse("receipts:history", args=[receipts["own"].pk])).status_code == 200
    assert client.get(reverse("receipts:history", args=[receipts["other"].pk])).status_code == 404


UNIT_SCOPES = {
    "evaluator": REFUSED,
    "unit head": {
        "Xã Quyết Tiến",
        "Đảng ủy xã Quyết Tiến",
        "Ủy ban MTTQ xã Quyết Tiến",
        "Hội Phụ nữ xã Quyết Tiến",
    },
    "office": "every",
}


@pytest.mark.parametrize("role", list(UNIT_SCOPES))
def test_each_role_lists_exports_and_reads_the_history_of_its_own_units(client, world, role):
    from scoring.organisation.models import Unit

    login(client, world, role)
    for unit in Unit.objects.all():
        log(instance=unit, action="wagtail.edit")
    names = set(Unit.objects.values_list("name", flat=True))
    expected = names if UNIT_SCOPES[role] == "every" else UNIT_SCOPES[role]
    response = client.get(reverse("units:index") + "?export=csv")
    if expected is REFUSED:
        assert refused(response)
        return
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert exported == expected
    for unit in Unit.objects.all():
        inspect = client.get(reverse("units:inspect", args=[unit.pk]))
        assert inspect.status_code == (200 if unit.name in expected else 404), unit.name
    history = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    text = b"".join(history.streaming_content).decode("utf-8-sig")
    labels = {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert labels & names == expected


def test_the_scoped_site_history_runs_a_fixed_number_of_queries(
    client, world, desk, django_assert_max_num_queries
):
    login(client, world, "desk officer")
    url = reverse("wagtailadmin_reports:site_history")
    client.get(url)  # warm caches
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    clerk = world["people"]["commune_clerk"]
    for index in range(15):
        receipt = receipt_service.issue_receipt(desk, clerk, f"HS-MORE-{index}", "Thủ tục")
        log(instance=receipt, action="wagtail.create")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "HS-MORE-14" in response.content.decode()


def test_the_staff_list_filters_offer_only_the_units_of_the_people_in_scope(client, world):
    login(client, world, "evaluator")
    body = client.get(reverse("staff:index")).content.decode()
    agency = world["people"]["agency_head"].assignments.get().unit
    assert f'value="{agency.pk}"' in body and agency.name in body
    assert "Xã Quyết Tiến" not in body
    assert "cong-chuc-xa" not in body  # the commune clerk's position
