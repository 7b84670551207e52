"""The contest pages: the button on "my month", the form, the list and the decide page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.contests import contests
from scoring.models import Contest, Evaluation
from tests import factories as f
from tests.scoring.contests.conftest import sheet_of

pytestmark = pytest.mark.django_db

BUTTON = "Khiếu nại điểm này"


def my_month(client, evaluation) -> str:
    url = reverse("scoring_my_month") + f"?period={evaluation.period_id}"
    return client.get(url).content.decode()


def file_url(evaluation) -> str:
    return reverse("scoring_contest_file", args=[evaluation.pk])


def test_my_month_offers_the_contest_exactly_while_it_would_be_accepted(client, evaluated, people):
    client.force_login(people["clerk"])
    page = my_month(client, evaluated)
    assert BUTTON in page and file_url(evaluated) in page
    Evaluation.objects.filter(pk=evaluated.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=10)
    )
    page = my_month(client, evaluated)
    assert file_url(evaluated) not in page and "không thể khiếu nại nữa" in page


def test_a_sheet_not_evaluated_shows_no_contest(client, month, locality, people):
    client.force_login(people["clerk"])
    evaluation = sheet_of(locality["commune_clerk"], month).evaluation
    assert "Khiếu nại" not in my_month(client, evaluation)


def test_the_person_files_through_the_form(client, evaluated, people):
    client.force_login(people["clerk"])
    form = client.get(file_url(evaluated))
    assert form.status_code == 200
    text = form.content.decode()
    assert "Vì sao bạn không đồng ý" in text and "Nguyễn Văn Tỉnh" in text
    response = client.post(file_url(evaluated), {"grounds": "Tiêu chí C1 chấm thấp."})
    assert response.status_code == 302
    contest = Contest.objects.get()
    assert contest.grounds == "Tiêu chí C1 chấm thấp." and contest.is_open
    page = my_month(client, evaluated)
    assert "Tiêu chí C1 chấm thấp." in page and "đang chờ giải quyết" in page
    assert file_url(evaluated) not in page


def test_blank_grounds_show_the_form_again_with_a_vietnamese_error(client, evaluated, people):
    client.force_login(people["clerk"])
    response = client.post(file_url(evaluated), {"grounds": "   "})
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not Contest.objects.exists()


def test_someone_elses_sheet_is_not_found(client, evaluated, people):
    for key in ("chair", "other", "province"):
        client.force_login(people[key])
        assert client.get(file_url(evaluated)).status_code == 404
        assert client.post(file_url(evaluated), {"grounds": "x"}).status_code == 404
    assert not Contest.objects.exists()


@pytest.fixture
def contest(evaluated, people):
    return contests.file_contest(evaluated.pk, people["clerk"], "C1 và C2 chưa đúng thực tế.")


def decide_url(contest) -> str:
    return reverse("scoring_contest", args=[contest.pk])


def test_the_decider_lists_and_decides_that_the_score_stands(client, contest, people):
    client.force_login(people["province"])
    listing = client.get(reverse("scoring_contests")).content.decode()
    assert "Giàng Thị Công" in listing and "1 khiếu nại đang chờ giải quyết" in listing
    page = client.get(decide_url(contest)).content.decode()
    assert "C1 và C2 chưa đúng thực tế." in page and "Giữ nguyên điểm" in page
    response = client.post(decide_url(contest), {"decision": "stands", "reason": "Đúng."})
    assert response.status_code == 302
    assert Contest.objects.get(pk=contest.pk).state == Contest.State.UPHELD


def test_the_decider_changes_the_score_through_the_sheet_lines(client, contest, people):
    client.force_login(people["province"])
    data = sheet_of(contest.evaluation.staff, contest.evaluation.period)
    c1 = next(c for c in data.criteria if c.code == "C1")
    response = client.post(
        decide_url(contest),
        {
            "decision": "change",
            "reason": "Có minh chứng bổ sung.",
            "version": data.evaluation.version,
            f"points_{c1.pk}": "8",
            f"note_{c1.pk}": "Đủ minh chứng",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(pk=contest.evaluation_id)
    assert str(evaluation.final_total) == "93.00" and evaluation.level == 1
    stored = Contest.objects.get(pk=contest.pk)
    assert stored.state == Contest.State.CHANGED and str(stored.new_total) == "93.00"


def test_a_decision_without_reason_shows_the_page_again(client, contest, people):
    client.force_login(people["province"])
    response = client.post(decide_url(contest), {"decision": "stands", "reason": ""})
    assert response.status_code == 200 and "Nêu lý do của quyết định" in response.content.decode()
    assert Contest.objects.get(pk=contest.pk).is_open


def refused(response) -> bool:
    """Wagtail answers a refused admin page by redirecting to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_others_get_nothing(client, contest, people):
    for key in ("chair", "other"):
        client.force_login(people[key])
        assert client.get(decide_url(contest)).status_code == 404
        stands = {"decision": "stands", "reason": "x"}
        assert client.post(decide_url(contest), stands).status_code == 404
        assert refused(client.get(reverse("scoring_contests")))
    client.force_login(people["clerk"])  # who filed it reads it, and may not decide it
    assert client.get(decide_url(contest)).status_code == 200
    assert refused(client.post(decide_url(contest), {"decision": "stands", "reason": "x"}))
    assert Contest.objects.get(pk=contest.pk).is_open


def menu_names(user) -> list[str]:
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    return [item.name for item in admin_menu.menu_items_for_request(request)]


def test_the_menu_shows_contests_only_to_those_who_have_some(contest, people):
    assert "contests-to-decide" in menu_names(people["province"])
    assert "contests-to-decide" in menu_names(people["office"])
    assert "contests-to-decide" not in menu_names(people["chair"])
    assert "contests-to-decide" not in menu_names(people["clerk"])


def test_the_decide_page_reads_in_english(client, contest, people):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(people["province"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(people["province"])
    page = client.get(decide_url(contest)).content.decode()
    assert "Grounds of the contest" in page and "The score stands" in page
    assert "Lý do khiếu nại" not in page


def test_the_list_runs_a_fixed_number_of_queries(
    client, contest, people, locality, month, django_assert_max_num_queries
):
    client.force_login(people["province"])
    with django_assert_max_num_queries(40) as one:
        assert client.get(reverse("scoring_contests")).status_code == 200
    for number in range(5):
        person = f.staff(f"Người {number}", locality["commune"], locality["clerk_position"])
        sheet = Evaluation.objects.create(
            period=month,
            staff=person,
            criteria_set=contest.evaluation.criteria_set,
            unit=locality["commune"],
            position=locality["clerk_position"],
            evaluator=locality["commune_chair"],
            state=Evaluation.State.APPROVED,
            final_total=80,
            level=2,
        )
        Contest.objects.create(
            evaluation=sheet,
            grounds="Không đồng ý",
            decider=locality["province_chair"],
            old_total=80,
            old_level=2,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("scoring_contests")).content.decode()
    assert "Người 4" in page and "6 khiếu nại đang chờ giải quyết" in page


def test_my_month_offers_the_contest_in_english_too(client, evaluated, people):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(people["clerk"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(people["clerk"])
    page = my_month(client, evaluated)
    assert "Contest this score" in page and "you may contest it in writing until" in page
    assert BUTTON not in page


def test_the_office_reads_every_contest_and_decides_none(client, contest, people):
    client.force_login(people["office"])
    assert "Giàng Thị Công" in client.get(reverse("scoring_contests")).content.decode()
    page = client.get(decide_url(contest)).content.decode()
    assert "C1 và C2 chưa đúng thực tế." in page and 'name="decision"' not in page
    assert refused(client.post(decide_url(contest), {"decision": "stands", "reason": "x"}))
    assert Contest.objects.get(pk=contest.pk).is_open
