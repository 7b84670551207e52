"""One-stop desks and receipts in the admin: desks, secrets, the quick form, slips, kiosk."""

from __future__ import annotations

import datetime
import re

import pytest
import qrcode
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from scoring.access import roles
from scoring.models import QuestionSet, Receipt, ServiceDesk
from scoring.ratings import desks
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from scoring.ratings.slips import rating_url
from scoring.ratings.tally import MIN_RECEIPTS_FOR_COUNTS
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def office(db):
    """A member of the home-affairs office, logged in on a client of their own."""
    client = Client()
    client.force_login(f.user("noi-vu", roles.HOME_AFFAIRS))
    return client


@pytest.fixture
def officer(client, locality, desk):
    """The commune clerk, logged in; they serve at the commune's desk only."""
    account = f.user("mot-cua", roles.DESK_OFFICER)
    clerk = locality["commune_clerk"]
    clerk.user = account
    clerk.save()
    client.force_login(account)
    return client


def issue(desk, officer, code, procedure="Chứng thực bản sao", day=TODAY):
    return receipt_service.issue_receipt(desk, officer, code, procedure, day)


def refused(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code drawn by qrcode's SvgPathImage (one square each)."""
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}


def expected_modules(data: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}


# Desks ---------------------------------------------------------------------------------------


def test_the_office_creates_a_desk_with_its_officers(office, locality):
    response = office.post(
        reverse("service_desks:add"),
        {
            "unit": locality["commune"].pk,
            "code": "mot-cua-moi",
            "name": "Bộ phận một cửa mới",
            "active": "on",
            "officers": [locality["commune_clerk"].pk, locality["commune_vice"].pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    desk = ServiceDesk.objects.get(code="mot-cua-moi")
    assert set(desk.officers.all()) == {locality["commune_clerk"], locality["commune_vice"]}
    assert desk.api_token_hash == desk.kiosk_secret_hash == ""


def test_the_office_sees_every_desk_and_an_officer_only_their_own(
    office, officer, desk, other_desk
):
    office_list = office.get(reverse("service_desks:index"))
    assert {d.code for d in office_list.context["object_list"]} == {"mot-cua-qt", "mot-cua-qb"}

    own = officer.get(reverse("service_desks:index"))
    assert own.status_code == 200
    assert [d.code for d in own.context["object_list"]] == ["mot-cua-qt"]
    assert own.context["object_list"][0].officer_count == 2
    assert refused(officer.get(reverse("service_desks:inspect", args=[other_desk.pk])))


def test_a_desk_officer_cannot_edit_a_desk(officer, desk):
    assert refused(officer.get(reverse("service_desks:edit", args=[desk.pk])))


@pytest.mark.parametrize(
    ("kind", "field"), [("api-token", "api_token_hash"), ("kiosk-secret", "kiosk_secret_hash")]
)
def test_a_new_secret_is_shown_once_and_only_its_hash_is_stored(office, desk, kind, field):
    url = reverse("service_desks:secret", args=[desk.pk, kind])

    confirm = office.get(url)
    assert confirm.status_code == 200 and "raw_secret" not in confirm.context
    desk.refresh_from_db()
    assert getattr(desk, field) == ""  # asking for confirmation changes nothing

    shown = office.post(url)
    raw = shown.context["raw_secret"]
    assert shown.status_code == 200 and raw in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    desk.refresh_from_db()
    stored = getattr(desk, field)
    assert stored and raw not in stored
    assert desks.desk_for_secret(raw, field) == desk

    edit_page = office.get(reverse("service_desks:edit", args=[desk.pk])).content.decode()
    assert raw not in edit_page and stored not in edit_page

    again = office.post(url).context["raw_secret"]
    assert again != raw
    assert desks.desk_for_secret(raw, field) is None  # the old one stops working
    assert desks.desk_for_secret(again, field) == desk


def test_the_kiosk_secret_page_says_where_the_tablet_takes_it(office, desk):
    try:
        setup = reverse("ratings:kiosk_setup")
    except NoReverseMatch:
        pytest.skip("the public rating app has no kiosk set-up page")
    shown = office.post(reverse("service_desks:secret", args=[desk.pk, "kiosk-secret"]))
    assert f"http://testserver{setup}" in shown.content.decode()


def test_the_desk_list_shows_which_secrets_are_set(office, desk):
    desks.new_desk_secret(desk, "api_token_hash")
    row = office.get(reverse("service_desks:index")).context["object_list"][0]
    assert row.has_api_token is True and row.has_kiosk_secret is False


def test_a_desk_officer_cannot_make_a_secret(officer, desk):
    url = reverse("service_desks:secret", args=[desk.pk, "api-token"])
    assert refused(officer.get(url))
    assert refused(officer.post(url))
    desk.refresh_from_db()
    assert desk.api_token_hash == ""


def test_the_desk_list_runs_a_fixed_number_of_queries(
    office, locality, desk, django_assert_max_num_queries
):
    url = reverse("service_desks:index")
    office.get(url)
    with django_assert_max_num_queries(40) as few:
        office.get(url)
    for index in range(15):
        extra = ServiceDesk.objects.create(
            unit=locality["commune"], code=f"ban-{index}", name=f"Bàn {index}"
        )
        extra.officers.set([locality["commune_clerk"]])
        extra.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = office.get(url)
    assert len(response.context["object_list"]) == 16


# The quick form --------------------------------------------------------------------------------


def test_the_quick_form_comes_filled_in_for_an_officer_of_one_desk(officer, locality, desk):
    issue(desk, locality["commune_vice"], "H-OLD", "Đăng ký khai sinh")

    response = officer.get(reverse("receipts:add"))

    form = response.context["form"]
    assert response.status_code == 200
    assert form["desk"].value() == desk.pk
    assert form["officer"].value() == locality["commune_clerk"].pk
    assert form["issued_on"].value() == timezone.localdate()
    body = response.content.decode()
    assert "<datalist" in body and "Đăng ký khai sinh" in body


def test_an_officer_makes_a_receipt_in_one_post_and_gets_the_slip(officer, locality, desk):
    response = officer.post(
        reverse("receipts:add"),
        {
            "desk": desk.pk,
            "dossier_code": " H26.03-0042 ",
            "procedure": "Chứng thực bản sao từ bản chính",
            "officer": locality["commune_clerk"].pk,
            "issued_on": timezone.localdate().isoformat(),
        },
    )

    receipt = Receipt.objects.get()
    assert (receipt.desk, receipt.officer) == (desk, locality["commune_clerk"])
    assert receipt.dossier_code == "H26.03-0042" and len(receipt.token) >= 40
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("receipts:slip", args=[receipt.pk]))

    slip = officer.get(response["Location"])
    body = slip.content.decode()
    formatted = receipt_service.format_short_code(receipt.short_code)
    assert slip.status_code == 200
    assert formatted in body and "H26.03-0042" in body and desk.name in body
    assert "Chứng thực bản sao từ bản chính" in body and "Quyết Tiến" in body
    assert "http://testserver/rate/" in body  # where to type the code
    assert "<script src" not in body and "<link" not in body and "<img" not in body
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert rating_url(receipt).startswith("http://testserver/")
    assert rating_url(receipt).endswith(f"/{receipt.token}/")
    assert qr_modules(svg) == expected_modules(rating_url(receipt))


@pytest.mark.parametrize(
    ("size", "page"), [("a6", "105mm 148mm"), ("80mm", "80mm 155mm"), ("a4", "A4")]
)
def test_the_slip_prints_on_the_chosen_paper(officer, locality, desk, size, page):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    response = officer.get(reverse("receipts:slip", args=[receipt.pk]), {"size": size})
    assert f"@page {{ size: {page}" in response.content.decode()
    assert response.context["size"] == size
    # The choice is remembered for the next slip.
    assert officer.get(reverse("receipts:slip", args=[receipt.pk])).context["size"] == size


def test_a_dossier_gets_one_receipt_per_desk(officer, locality, desk):
    issue(desk, locality["commune_clerk"], "H1")
    response = officer.post(
        reverse("receipts:add"),
        {
            "desk": desk.pk,
            "dossier_code": "H1",
            "procedure": "Chứng thực",
            "officer": locality["commune_clerk"].pk,
            "issued_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "dossier_code" in response.context["form"].errors
    assert Receipt.objects.count() == 1


def test_an_officer_cannot_make_a_receipt_at_a_desk_they_do_not_serve(
    officer, locality, other_desk
):
    response = officer.post(
        reverse("receipts:add"),
        {
            "desk": other_desk.pk,
            "dossier_code": "H9",
            "procedure": "Chứng thực",
            "officer": locality["agency_specialist"].pk,
            "issued_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 404
    assert not Receipt.objects.exists()


def test_the_officer_named_must_serve_at_the_desk(officer, locality, desk):
    response = officer.post(
        reverse("receipts:add"),
        {
            "desk": desk.pk,
            "dossier_code": "H9",
            "procedure": "Chứng thực",
            "officer": locality["agency_specialist"].pk,
            "issued_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and "officer" in response.context["form"].errors
    assert not Receipt.objects.exists()


def test_someone_serving_at_no_desk_cannot_make_receipts(client, desk):
    client.force_login(f.user("khong-o-ban", roles.DESK_OFFICER))
    assert client.get(reverse("receipts:add")).status_code == 403
    assert client.get(reverse("receipts:import")).status_code == 403


# The list ---------------------------------------------------------------------------------------


def test_an_officer_lists_and_opens_only_receipts_of_their_desks(
    officer, locality, desk, other_desk
):
    own = issue(desk, locality["commune_vice"], "H1")
    foreign = issue(other_desk, locality["agency_specialist"], "H2")

    listing = officer.get(reverse("receipts:index"))
    assert [r.dossier_code for r in listing.context["object_list"]] == ["H1"]
    assert listing.context["desk_counts"][0].desk == desk
    filtered = officer.get(reverse("receipts:index"), {"desk": other_desk.pk})
    assert "H2" not in [r.dossier_code for r in filtered.context["object_list"]]

    assert officer.get(reverse("receipts:slip", args=[own.pk])).status_code == 200
    for name in ("slip", "edit", "inspect", "delete", "history", "usage"):
        assert refused(officer.get(reverse(f"receipts:{name}", args=[foreign.pk]))), name
    sheet = officer.get(reverse("receipts:slips"), {"ids": f"{own.pk},{foreign.pk}"})
    assert [slip.receipt for slip in sheet.context["slips"]] == [own]


def test_the_office_lists_every_receipt(office, locality, desk, other_desk):
    issue(desk, locality["commune_vice"], "H1")
    issue(other_desk, locality["agency_specialist"], "H2")
    listing = office.get(reverse("receipts:index"))
    assert {r.dossier_code for r in listing.context["object_list"]} == {"H1", "H2"}


def rate(receipt, when):
    question_set = QuestionSet.in_force(receipt.issued_on)
    answers = {question.code: "3" for question in question_set.questions.all()}
    made = rating_service.record_rating(receipt, question_set, answers, "", "link", "client")
    made.created_at = when
    made.save(update_fields=["created_at"])


def test_officers_see_only_monthly_counts_of_ratings_never_per_receipt(officer, locality, desk):
    today = timezone.localdate()
    issued = [
        issue(desk, locality["commune_clerk"], f"H{i}", day=today)
        for i in range(MIN_RECEIPTS_FOR_COUNTS)
    ]
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for receipt in issued[:3]:
        rate(receipt, yesterday)
    rate(issued[3], timezone.now())  # today's ratings are not counted yet

    listing = officer.get(reverse("receipts:index"))
    (counts,) = listing.context["desk_counts"]
    assert (counts.receipts, counts.ratings, counts.percent) == (10, 3, 30)
    columns = [column.name for column in listing.context["view"].columns]
    assert not any("rat" in name for name in columns)
    assert "rating" not in listing.content.decode().split('id="listing-results"')[1]

    # Searching one dossier narrows the list, never the counts.
    searched = officer.get(reverse("receipts:index"), {"q": "H1"})
    assert searched.context["desk_counts"][0].ratings == 3
    assert refused(officer.get(reverse("receipts:usage", args=[issued[0].pk])))


def test_a_desk_with_few_receipts_shows_no_rating_count(officer, locality, desk):
    receipt = issue(desk, locality["commune_clerk"], "H1", day=timezone.localdate())
    rate(receipt, timezone.now() - datetime.timedelta(days=1))
    (counts,) = officer.get(reverse("receipts:index")).context["desk_counts"]
    assert counts.receipts == 1 and counts.ratings is None


def test_the_receipt_list_runs_a_fixed_number_of_queries(
    officer, locality, desk, django_assert_max_num_queries
):
    issue(desk, locality["commune_clerk"], "H0")
    url = reverse("receipts:index")
    officer.get(url)
    with django_assert_max_num_queries(40) as few:
        officer.get(url)
    for index in range(1, 30):
        person = locality["commune_vice"] if index % 2 else locality["commune_clerk"]
        issue(desk, person, f"H{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer.get(url)
    assert len(response.context["object_list"]) == 30


# The kiosk -------------------------------------------------------------------------------------


def test_handing_a_receipt_to_the_kiosk(officer, locality, desk, other_desk):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    url = reverse("receipts:release", args=[receipt.pk])

    assert officer.get(url).status_code == 405
    response = officer.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("receipts:slip", args=[receipt.pk])
    desk.refresh_from_db()
    assert desk.kiosk_receipt == receipt
    assert desks.kiosk_receipt(desk) == receipt

    foreign = issue(other_desk, locality["agency_specialist"], "H2")
    assert officer.post(reverse("receipts:release", args=[foreign.pk])).status_code == 404
    other_desk.refresh_from_db()
    assert other_desk.kiosk_receipt is None


def test_an_expired_receipt_is_not_handed_to_the_kiosk(officer, locality, desk):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    Receipt.objects.filter(pk=receipt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    officer.post(reverse("receipts:release", args=[receipt.pk]))
    desk.refresh_from_db()
    assert desk.kiosk_receipt is None


def test_the_slip_offers_the_kiosk_as_a_post_form(officer, locality, desk):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    body = officer.get(reverse("receipts:slip", args=[receipt.pk])).content.decode()
    release = reverse("receipts:release", args=[receipt.pk])
    assert re.search(rf'<form method="post" action="{re.escape(release)}">', body)


# The menu --------------------------------------------------------------------------------------


def test_the_one_stop_desk_menu_holds_desks_receipts_and_the_import(officer):
    from scoring.ratings.admin.desks import OneStopDeskGroup

    group = OneStopDeskGroup()
    assert group.menu_order == 160
    with translation.override("en"):
        assert str(group.menu_label) == "One-stop desk"
    body = officer.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("receipts:index"),
        reverse("service_desks:index"),
        reverse("receipts:import"),
    ):
        assert url in body


def test_the_office_deletes_a_mistaken_receipt_but_never_a_rated_one(office, locality, desk):
    mistaken = issue(desk, locality["commune_clerk"], "H1")
    rated = issue(desk, locality["commune_clerk"], "H2")
    rate(rated, timezone.now())

    assert office.get(reverse("receipts:delete", args=[mistaken.pk])).status_code == 200
    office.post(reverse("receipts:delete", args=[mistaken.pk]))
    office.post(reverse("receipts:delete", args=[rated.pk]))

    assert list(Receipt.objects.values_list("dossier_code", flat=True)) == ["H2"]


def test_a_desk_officer_cannot_delete_a_receipt(officer, locality, desk):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    assert refused(officer.post(reverse("receipts:delete", args=[receipt.pk])))
    assert Receipt.objects.filter(pk=receipt.pk).exists()


def test_an_officer_corrects_a_typing_error_but_not_into_another_dossier(officer, locality, desk):
    receipt = issue(desk, locality["commune_clerk"], "H1")
    issue(desk, locality["commune_clerk"], "H2")
    url = reverse("receipts:edit", args=[receipt.pk])
    page = officer.get(url).content.decode()
    assert reverse("receipts:usage", args=[receipt.pk]) not in page  # would count a rating

    taken = officer.post(url, {"dossier_code": "H2", "procedure": "Chứng thực"})
    assert taken.status_code == 200 and "dossier_code" in taken.context["form"].errors

    officer.post(url, {"dossier_code": "H1-A", "procedure": "Chứng thực chữ ký"})
    receipt.refresh_from_db()
    assert (receipt.dossier_code, receipt.procedure) == ("H1-A", "Chứng thực chữ ký")
    assert receipt.officer == locality["commune_clerk"]  # who served is not edited
