"""Reminder e-mails: one Vietnamese digest per person of their plan, self-scoring and evaluation."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.cycle import periods, reminders
from scoring.models import Evaluation, Period, Staff, WorkItem, WorkProduct
from tests import factories as f

pytestmark = pytest.mark.django_db

# Default deadlines of March 2026: plan 05/03, self-scoring 03/04, evaluation 07/04.
D = datetime.date


@pytest.fixture
def month(locality):
    return periods.open_period(2026, 3).period


def give_email(person: Staff, address: str | None = None) -> Staff:
    person.user = f.user(f"u{person.pk}")
    person.user.email = f"{person.code.lower()}@example.vn" if address is None else address
    person.user.save()
    person.save()
    return person


def set_state(period: Period, state: str) -> None:
    Period.objects.filter(pk=period.pk).update(state=state)


def sheet_state(period: Period, state: str, *people: Staff) -> None:
    Evaluation.objects.filter(period=period, staff__in=people).update(state=state)


def run(today: str, *args: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", today, *args, stdout=out)
    return out.getvalue()


def mail_to(mailoutbox, person: Staff):
    found = [m for m in mailoutbox if m.to == [person.user.email]]
    assert len(found) == 1, f"{len(found)} e-mails to {person.full_name}"
    return found[0]


def test_an_evaluator_gets_one_digest_with_their_own_sheet_and_the_people_waiting(
    month, locality, mailoutbox
):
    chair, clerk, vice = (
        locality["commune_chair"],
        locality["commune_clerk"],
        locality["commune_vice"],
    )
    for person in (chair, clerk):
        give_email(person)
    set_state(month, Period.State.EVALUATION)
    sheet_state(month, Evaluation.State.SUBMITTED, clerk, vice)

    output = run("2026-04-06")

    assert len(mailoutbox) == 1  # the clerk submitted: nothing left to do
    mail = mail_to(mailoutbox, chair)
    assert "Kính gửi đồng chí Vàng Mí Chủ" in mail.body
    assert "Tự đánh giá, tự chấm điểm phiếu tháng 03/2026" in mail.body
    assert "quá hạn 3 ngày" in mail.body  # self-scoring was due on 03/04
    assert "Đánh giá 2 người đang chờ đồng chí chấm điểm tháng 03/2026" in mail.body
    assert "Giàng Thị Công" in mail.body and "Sùng Seo Phó" in mail.body
    assert "còn 1 ngày" in mail.body  # evaluation is due on 07/04
    assert "http://testserver/admin/" in mail.body
    assert mail.subject == "Đánh giá hằng tháng: 2 việc cần làm, 1 việc quá hạn"
    assert "Đã gửi 1 thư tổng hợp." in output


def test_a_council_sheet_reminds_every_member_with_the_councils_name(month, locality, mailoutbox):
    members = [give_email(locality["district_secretary"]), give_email(locality["district_chair"])]
    set_state(month, Period.State.EVALUATION)
    sheet_state(month, Evaluation.State.SUBMITTED, locality["secretary"])

    run("2026-04-08")

    for member in members:
        body = mail_to(mailoutbox, member).body
        assert "Thay mặt Ban Thường vụ Huyện ủy Quản Bạ, đánh giá 1 người" in body
        assert "Lò Văn Bí" in body
        assert "quá hạn 1 ngày" in body


def test_the_work_plan_is_asked_of_people_with_no_work_item_while_the_month_is_open(
    month, locality, mailoutbox
):
    clerk, vice = give_email(locality["commune_clerk"]), give_email(locality["commune_vice"])
    WorkItem.objects.create(
        evaluation=Evaluation.objects.get(period=month, staff=vice),
        product=WorkProduct.objects.get(code="quyet-dinh"),
        deadline=D(2026, 3, 20),
    )

    run("2026-03-04")

    assert [m.to for m in mailoutbox] == [[clerk.user.email]]
    body = mailoutbox[0].body
    assert "Đăng ký công việc tháng 03/2026." in body
    assert "Hạn chót: 05/03/2026 – còn 1 ngày" in body


def test_deadlines_further_than_n_days_are_not_reminded_yet(month, locality, mailoutbox):
    give_email(locality["commune_clerk"])
    run("2026-03-01")
    assert mailoutbox == []
    run("2026-03-01", "--days", "4")
    assert len(mailoutbox) == 1
    assert "Hạn chót: 05/03/2026 – còn 4 ngày" in mailoutbox[0].body


def test_a_returned_sheet_is_reminded_with_the_evaluators_reason(month, locality, mailoutbox):
    clerk = give_email(locality["commune_clerk"])
    set_state(month, Period.State.EVALUATION)
    Evaluation.objects.filter(period=month, staff=clerk).update(
        state=Evaluation.State.RETURNED, return_comment="Thiếu minh chứng C3"
    )
    run("2026-04-03")
    body = mail_to(mailoutbox, clerk).body
    assert "Phiếu đã bị trả lại để sửa: Thiếu minh chứng C3" in body
    assert "Hạn chót: 03/04/2026 – hết hạn hôm nay" in body


def test_nothing_is_sent_for_sheets_already_done(month, locality, mailoutbox):
    chair, clerk = give_email(locality["commune_chair"]), give_email(locality["commune_clerk"])
    set_state(month, Period.State.EVALUATION)
    sheet_state(month, Evaluation.State.APPROVED, chair, clerk)
    run("2026-04-10")
    assert mailoutbox == []


def test_nothing_is_sent_for_a_closed_month(month, locality, mailoutbox):
    give_email(locality["commune_chair"])
    give_email(locality["commune_clerk"])
    sheet_state(month, Evaluation.State.SUBMITTED, locality["commune_clerk"])
    periods.close_period(month, exception="kiểm thử")
    run("2026-04-10")
    assert mailoutbox == []


def test_people_without_an_address_are_counted_and_named(month, locality, mailoutbox):
    give_email(locality["commune_clerk"])
    no_address = give_email(locality["commune_vice"], address="")
    output = run("2026-03-04", "--verbosity", "2")
    assert len(mailoutbox) == 1
    assert "Số người chưa có địa chỉ thư điện tử, không nhắc được: 11." in output
    assert f"{no_address.full_name} ({no_address.code})" in output
    assert "đến hạn đăng ký công việc: 12 người" in output


def test_a_dry_run_counts_but_sends_nothing(month, locality, mailoutbox):
    give_email(locality["commune_clerk"])
    output = run("2026-03-04", "--dry-run")
    assert mailoutbox == []
    assert "Chạy thử: sẽ gửi 1 thư tổng hợp; chưa gửi thư nào." in output


def test_a_submitted_sheet_with_nobody_to_evaluate_it_is_reported(month, locality):
    set_state(month, Period.State.EVALUATION)
    Evaluation.objects.filter(period=month, staff=locality["commune_clerk"]).update(
        state=Evaluation.State.SUBMITTED, evaluator=None, council=None
    )
    result = reminders.collect_reminders(D(2026, 4, 6), days=2)
    assert (result.sheets_waiting, result.unrouted) == (1, 1)
    assert "Phiếu đã nộp nhưng chưa có người hoặc hội đồng đánh giá: 1." in run("2026-04-06")


def test_an_inactive_login_counts_as_no_address(month, locality):
    clerk = give_email(locality["commune_clerk"])
    clerk.user.is_active = False
    clerk.user.save()
    result = reminders.collect_reminders(D(2026, 3, 4), days=2)
    assert result.to_send == [] and len(result.without_email) == 12


@pytest.mark.parametrize(
    "args", [("--today", "04/03/2026"), ("--days", "-1")], ids=["bad date", "negative days"]
)
def test_bad_arguments_are_refused(args, db):
    with pytest.raises(CommandError):
        call_command("send_reminders", *args, stdout=StringIO())


def test_the_help_text_renders(capsys):
    with pytest.raises(SystemExit):
        call_command("send_reminders", "--help")
    assert "--dry-run" in capsys.readouterr().out


def add_commune_clerks(locality, count: int) -> list[Staff]:
    return [
        give_email(f.staff(f"Công chức {number}", locality["commune"], locality["clerk_position"]))
        for number in range(count)
    ]


@pytest.mark.parametrize("extra", [0, 30])
def test_the_number_of_queries_does_not_grow_with_the_headcount(
    locality, extra, mailoutbox, django_assert_max_num_queries
):
    add_commune_clerks(locality, extra)
    for person in ("commune_chair", "district_secretary", "district_chair"):
        give_email(locality[person])
    period = periods.open_period(2026, 3).period
    set_state(period, Period.State.EVALUATION)
    sheet_state(
        period, Evaluation.State.SUBMITTED, locality["commune_clerk"], locality["secretary"]
    )

    with django_assert_max_num_queries(2):
        run("2026-04-06")
    assert len(mailoutbox) == 3 + extra
