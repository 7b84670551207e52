"""A whole month played through the admin, and who may do what on a sheet."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.access import roles
from scoring.cycle import periods
from scoring.models import CriterionScore, Evaluation, Period, WorkItem, WorkProduct
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(locality):
    """Logins for the clerk, their evaluator (the commune chair) and others."""
    accounts = {
        "clerk": f.user("canbo", roles.STAFF_MEMBER),
        "chair": f.user("danhgia", roles.EVALUATOR),
        "other": f.user("khac", roles.STAFF_MEMBER),
        "office": f.user("noivu", roles.HOME_AFFAIRS),
        "desk": f.user("motcua", roles.DESK_OFFICER),
        "head": f.user("truongphong", roles.UNIT_HEAD),
    }
    for key, person in (
        ("clerk", "commune_clerk"),
        ("chair", "commune_chair"),
        ("other", "agency_specialist"),
        ("head", "agency_head"),
    ):
        locality[person].user = accounts[key]
        locality[person].save()
    return accounts


@pytest.fixture
def period(locality):
    today = timezone.localdate()
    result = periods.open_period(
        2026,
        3,
        plan_deadline=today + datetime.timedelta(days=3),
        self_deadline=today + datetime.timedelta(days=10),
        evaluation_deadline=today + datetime.timedelta(days=20),
    )
    return result.period


def sheet(locality, key="commune_clerk"):
    return Evaluation.objects.select_related("criteria_set").get(staff=locality[key])


def criterion_id(evaluation, code):
    return next(
        c.pk
        for g in evaluation.criteria_set.groups.all()
        for c in g.criteria.all()
        if c.code == code
    )


def act(client, evaluation, action, **data):
    data.setdefault("version", Evaluation.objects.get(pk=evaluation.pk).version)
    return client.post(reverse("scoring_sheet_action", args=[evaluation.pk, action]), data)


def self_scores(evaluation, **points):
    return {f"points_{criterion_id(evaluation, code)}": value for code, value in points.items()}


def test_a_whole_month_through_the_admin(client, locality, people, period):
    evaluation = sheet(locality)
    client.force_login(people["clerk"])
    page = client.get(reverse("scoring_my_month"))
    assert page.status_code == 200 and "Giàng Thị Công" in page.content.decode()

    product = WorkProduct.objects.get(code="bao-cao")
    act(
        client,
        evaluation,
        "add-item",
        product=product.pk,
        quantity="2",
        deadline=timezone.localdate().isoformat(),
        description="Báo cáo tháng",
    )
    item = WorkItem.objects.get(evaluation=evaluation)

    periods.advance_period(period, Period.State.SELF_SCORING)
    act(
        client,
        evaluation,
        "results",
        **{
            f"item_{item.pk}_seen": "1",
            f"item_{item.pk}_done": "on",
            f"item_{item.pk}_delays": "2",
            f"item_{item.pk}_major_errors": "0",
        },
    )
    response = act(
        client, evaluation, "self-score", **self_scores(evaluation, C1="8", C2="8", C3="7", C4="6")
    )
    assert response.status_code == 302
    act(client, evaluation, "submit")
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.SUBMITTED

    client.force_login(people["chair"])
    queue = client.get(reverse("scoring_queue"))
    assert "Giàng Thị Công" in queue.content.decode()
    assert client.get(reverse("scoring_review", args=[evaluation.pk])).status_code == 200
    act(client, evaluation, "return", comment="Thiếu minh chứng tiêu chí C3")
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.RETURNED

    client.force_login(people["clerk"])
    assert "Thiếu minh chứng" in client.get(reverse("scoring_my_month")).content.decode()
    act(client, evaluation, "self-score", **self_scores(evaluation, C3="6"))
    act(client, evaluation, "submit")

    client.force_login(people["chair"])
    final = self_scores(evaluation, C1="8", C2="8", C3="6", C4="5")
    final[f"note_{criterion_id(evaluation, 'C4')}"] = "Chưa có sáng kiến"
    response = act(client, evaluation, "approve", **final)
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.APPROVED
    # 27 general points + 70 × mean(1, 1, 0.5) for two delays = 27 + 58.33
    assert evaluation.final_total == Decimal("85.33")
    assert evaluation.level == 2
    history = client.get(reverse("scoring_review", args=[evaluation.pk])).content.decode()
    assert "C4" in history and "Chưa có sáng kiến" in history


def test_the_sheet_reads_in_vietnamese_or_in_english_as_the_user_prefers(
    client, locality, people, period
):
    from wagtail.users.models import UserProfile

    client.force_login(people["clerk"])
    vietnamese = client.get(reverse("scoring_my_month")).content.decode()
    assert "Kế hoạch và kết quả công việc" in vietnamese and "Tháng của tôi" in vietnamese
    profile = UserProfile.get_for_user(people["clerk"])
    profile.preferred_language = "en"
    profile.save()
    english = client.get(reverse("scoring_my_month")).content.decode()
    assert "Work plan and results" in english and "Kế hoạch và kết quả" not in english


def test_a_final_score_that_differs_without_comment_is_refused(client, locality, people, period):
    evaluation = sheet(locality)
    product = WorkProduct.objects.get(code="bao-cao")
    WorkItem.objects.create(evaluation=evaluation, product=product, deadline=period.first_day)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people["clerk"])
    act(client, evaluation, "self-score", **self_scores(evaluation, C1="8", C2="8", C3="7", C4="6"))
    act(client, evaluation, "submit")
    client.force_login(people["chair"])
    response = act(client, evaluation, "approve", **self_scores(evaluation, C4="2"))
    follow = client.get(response["Location"]).content.decode()
    assert "nhận xét" in follow
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.SUBMITTED


@pytest.mark.parametrize(
    ("value", "message"),
    [("11", "nhỏ hơn hoặc bằng"), ("-1", "lớn hơn hoặc bằng"), ("mười", "Nhập một số")],
    ids=["above maximum", "negative", "text"],
)
def test_bad_points_get_a_vietnamese_error_and_change_nothing(
    client, locality, people, period, value, message
):
    evaluation = sheet(locality)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people["clerk"])
    response = act(client, evaluation, "self-score", **self_scores(evaluation, C1=value))
    assert message in client.get(response["Location"]).content.decode()
    assert not CriterionScore.objects.exists()


def test_a_deduction_without_a_reason_is_refused(client, locality, people, period):
    evaluation = sheet(locality)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people["clerk"])
    response = act(client, evaluation, "self-score", **self_scores(evaluation, T1="2"))
    assert "cần nêu lý do" in client.get(response["Location"]).content.decode()
    assert not CriterionScore.objects.exists()


def test_a_plan_item_after_the_deadline_is_refused(client, locality, people, period):
    evaluation = sheet(locality)
    Period.objects.filter(pk=period.pk).update(
        plan_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(people["clerk"])
    response = act(
        client,
        evaluation,
        "add-item",
        product=WorkProduct.objects.first().pk,
        quantity="1",
        deadline=timezone.localdate().isoformat(),
    )
    assert "đã hết hạn" in client.get(response["Location"]).content.decode()
    assert not WorkItem.objects.exists()


def test_a_forged_post_for_someone_elses_sheet_is_refused(client, locality, people, period):
    evaluation = sheet(locality)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people["other"])
    response = act(client, evaluation, "self-score", **self_scores(evaluation, C1="8"))
    assert response.status_code == 404
    assert not CriterionScore.objects.exists()


def test_a_submit_after_the_month_is_closed_is_refused(client, locality, people, period):
    evaluation = sheet(locality)
    periods.close_period(period, exception="kiểm thử")
    client.force_login(people["clerk"])
    response = act(client, evaluation, "submit")
    assert "đã khóa sổ" in client.get(response["Location"]).content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.DRAFT


def test_a_stale_form_says_the_sheet_changed_meanwhile(client, locality, people, period):
    evaluation = sheet(locality)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people["clerk"])
    stale = Evaluation.objects.get(pk=evaluation.pk).version
    act(client, evaluation, "self-score", version=stale, **self_scores(evaluation, C1="8"))
    response = act(
        client, evaluation, "self-score", version=stale, **self_scores(evaluation, C1="3")
    )
    assert "đã được người khác thay đổi" in client.get(response["Location"]).content.decode()
    assert CriterionScore.objects.get().self_points == Decimal("8")


# --- Who may see what: every view of the month × every role -------------------------

EXPECTED = {
    # role: (my month, queue, review the clerk's sheet, self-score it, approve it)
    "clerk": (200, 403, 200, 302, 403),
    "chair": (200, 200, 200, 403, 302),
    "other": (200, 403, 404, 404, 404),
    "office": (200, 200, 200, 403, 403),
    "desk": (200, 403, 404, 404, 404),
    "head": (200, 200, 404, 404, 404),  # the agency head evaluates the agency's staff
}


def page_status(client, url) -> int:
    """Wagtail answers a refused admin page by redirecting to the dashboard: count it 403."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return 403
    return response.status_code


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reaches_only_what_belongs_to_it(client, locality, people, period, role):
    evaluation = sheet(locality)
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(people[role])
    statuses = (
        page_status(client, reverse("scoring_my_month")),
        page_status(client, reverse("scoring_queue")),
        page_status(client, reverse("scoring_review", args=[evaluation.pk])),
        act(client, evaluation, "self-score", **self_scores(evaluation, C1="5")).status_code,
        act(client, evaluation, "approve", **self_scores(evaluation, C1="5")).status_code,
    )
    assert statuses == EXPECTED[role]


def test_a_logged_out_visitor_is_sent_to_login(client, locality, period):
    response = client.get(reverse("scoring_my_month"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_queue_and_a_sheet_run_a_fixed_number_of_queries(
    client, locality, people, period, django_assert_max_num_queries
):
    client.force_login(people["office"])
    evaluation = sheet(locality)
    for index in range(3):
        WorkItem.objects.create(
            evaluation=evaluation,
            product=WorkProduct.objects.first(),
            deadline=timezone.localdate(),
            description=str(index),
        )
    client.get(reverse("scoring_queue"))
    with django_assert_max_num_queries(40) as small_queue:
        client.get(reverse("scoring_queue"))
    with django_assert_max_num_queries(60) as small_sheet:
        client.get(reverse("scoring_review", args=[evaluation.pk]))
    for index in range(25):
        f.staff(f"Công chức {index}", locality["commune"], locality["clerk_position"])
        WorkItem.objects.create(
            evaluation=evaluation,
            product=WorkProduct.objects.first(),
            deadline=timezone.localdate(),
            description=f"more {index}",
        )
    periods.open_period(2026, 3)
    with django_assert_max_num_queries(len(small_queue.captured_queries)):
        response = client.get(reverse("scoring_queue"))
    assert "Công chức 24" in response.content.decode()
    with django_assert_max_num_queries(len(small_sheet.captured_queries)):
        client.get(reverse("scoring_review", args=[evaluation.pk]))


def test_the_dashboard_says_where_my_sheet_stands_and_what_waits(client, locality, people, period):
    client.force_login(people["clerk"])
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Phiếu tháng 03/2026 của tôi: đang thực hiện" in body
    client.force_login(people["chair"])
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "0 phiếu chờ tôi đánh giá" in body
