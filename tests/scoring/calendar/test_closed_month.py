"""Nothing enters a closed month: every path that writes something dated is refused,
with a message naming the month, and writes nothing; the database refuses the rest."""

import datetime
import json

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from scoring.access import roles
from scoring.cycle import periods
from scoring.lib.spreadsheets import is_clean, run_import
from scoring.models import Assignment, Period, Receipt, Unit
from scoring.organisation.resources import StaffResource, UnitResource
from scoring.ratings import desks
from scoring.ratings import receipts as receipt_service
from scoring.ratings.resources import ReceiptResource
from tests import factories as f

pytestmark = pytest.mark.django_db

MARCH = "03/2026"


@pytest.fixture
def closed_march(locality):
    period = periods.open_period(2026, 3).period
    return periods.close_period(period, exception="kiểm thử")


def rows_for(resource, *records):
    """A file of ``resource``'s own columns, each record naming the cells it fills."""
    data = tablib.Dataset(headers=resource.columns)
    for record in records:
        data.append([record.get(column, "") for column in resource.columns])
    return data


def messages(resource, result):
    return " ".join(problem.message for problem in resource.problems(result))


def test_a_receipt_dated_in_a_closed_month_is_refused_by_the_api(closed_march, desk, locality):
    token = desks.new_desk_secret(desk, "api_token_hash")
    body = {
        "dossier_code": "H26-03-0099",
        "procedure": "Đăng ký khai sinh",
        "officer_code": locality["commune_clerk"].code,
        "issued_on": "2026-03-20",
    }
    response = Client().post(
        reverse("scoring_api:receipts"),
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert MARCH in " ".join(response.json()["errors"]["issued_on"])
    assert not Receipt.objects.exists()


def test_a_receipt_dated_in_a_closed_month_is_refused_by_the_desk_form(
    client, closed_march, desk, locality
):
    account = f.user("mot-cua", roles.DESK_OFFICER)
    locality["commune_clerk"].user = account
    locality["commune_clerk"].save()
    client.force_login(account)
    form = {"desk": desk.pk, "officer": locality["commune_clerk"].pk, "issued_on": "2026-03-31"}
    form.update(dossier_code="H26-03-0100", procedure="Chứng thực bản sao")
    response = client.post(reverse("receipts:add"), form)
    assert response.status_code == 200
    assert MARCH in response.content.decode() and "khóa sổ" in response.content.decode()
    assert not Receipt.objects.exists()


def test_a_dossier_log_with_a_row_in_a_closed_month_is_refused_whole(closed_march, desk, locality):
    resource = ReceiptResource(desk=desk)
    officer = {"Mã cán bộ": locality["commune_clerk"].code, "Thủ tục": "Đăng ký khai sinh"}
    rows = rows_for(
        resource,
        {**officer, "Mã hồ sơ": "H26-0401", "Ngày tiếp nhận": "01/04/2026"},
        {**officer, "Mã hồ sơ": "H26-0331", "Ngày tiếp nhận": "31/03/2026"},
    )
    result = run_import(resource, rows, dry_run=False)
    assert not is_clean(result)
    assert MARCH in messages(resource, result)
    assert [p.row for p in resource.problems(result)] == [3]
    assert not Receipt.objects.exists()


def move_clerk(locality, start):
    """A staff file moving the clerk to vice-chair of the commune from ``start``."""
    clerk, resource = locality["commune_clerk"], StaffResource()
    record = {
        "Mã cán bộ": clerk.code,
        "Họ và tên": clerk.full_name,
        "Phân loại": "CC",
        "Mã đơn vị": locality["commune"].code,
        "Mã chức vụ": "pho-chu-tich",
        "Ngày bắt đầu": start,
    }
    return resource, run_import(resource, rows_for(resource, record), dry_run=False)


def test_a_staff_file_moving_a_post_inside_a_closed_month_is_refused(closed_march, locality):
    clerk = locality["commune_clerk"]
    resource, result = move_clerk(locality, "15/03/2026")
    assert not is_clean(result)
    assert MARCH in messages(resource, result)
    assert clerk.assignments.get().position.code == "cong-chuc-xa"
    assert Assignment.objects.filter(staff=clerk).count() == 1


def test_a_staff_file_moving_a_post_from_the_first_open_day_is_accepted(closed_march, locality):
    _resource, result = move_clerk(locality, "01/04/2026")
    assert is_clean(result)
    ended = locality["commune_clerk"].assignments.get(position__code="cong-chuc-xa")
    assert ended.end_date == datetime.date(2026, 3, 31)  # the last day of March changes nothing


def test_a_units_file_closing_a_unit_inside_a_closed_month_is_refused(closed_march, locality):
    commune, resource = locality["commune"], UnitResource()
    record = {
        "Mã đơn vị": commune.code,
        "Tên đơn vị": commune.name,
        "Loại đơn vị": "commune",
        "Mã đơn vị cấp trên": locality["district"].code,
        "Hiệu lực từ": "01/01/2000",
        "Hiệu lực đến": "20/03/2026",
    }
    result = run_import(resource, rows_for(resource, record), dry_run=False)
    assert not is_clean(result)
    assert MARCH in messages(resource, result)
    assert Unit.objects.get(pk=commune.pk).valid_to is None


def test_the_staff_form_cannot_end_a_post_inside_a_closed_month(closed_march, locality):
    post = locality["commune_clerk"].assignments.get()
    post.end_date = datetime.date(2026, 3, 10)
    with pytest.raises(ValidationError, match=MARCH):
        post.full_clean()


def test_a_raw_update_cannot_reopen_a_closed_month(closed_march):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE scoring_period SET state = 'open' WHERE id = %s", [closed_march.pk])
    assert Period.objects.get(pk=closed_march.pk).is_closed
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM scoring_period WHERE id = %s", [closed_march.pk])
    assert Period.objects.filter(pk=closed_march.pk).exists()


def test_a_raw_insert_cannot_date_a_receipt_in_a_closed_month(closed_march, desk, locality):
    receipt = receipt_service.issue_receipt(
        desk, locality["commune_clerk"], "H26-0402", "Chứng thực", datetime.date(2026, 4, 2)
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        Receipt.objects.filter(pk=receipt.pk).update(issued_on=datetime.date(2026, 3, 2))
    assert Receipt.objects.get(pk=receipt.pk).issued_on == datetime.date(2026, 4, 2)
