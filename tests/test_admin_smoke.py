"""Every page of the domain's admin opens for the office, on realistic demo data.

A crawl of each viewset's listing, creation and editing pages catches a page that
breaks (a 500) where no behaviour test happens to look.
"""

import contextlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from scoring.demo import locality as demo
from scoring.demo import month as demo_month
from scoring.demo import ratings as demo_ratings


@pytest.fixture
def demo_data(db):
    demo.seed_demo(staff=200)
    demo_ratings.ensure_demo_desks()
    demo_month.open_demo_month()


def scoring_viewsets() -> list[ModelViewSet]:
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model._meta.app_label == "scoring"
    ]


def pages_of(viewset: ModelViewSet) -> list[str]:
    urls = [reverse(f"{viewset.name}:index")]
    with contextlib.suppress(NoReverseMatch):
        urls.append(reverse(f"{viewset.name}:add"))
    instance = viewset.model._default_manager.order_by("pk").first()
    if instance is not None:
        for view in ("edit", "inspect", "history", "usage"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{viewset.name}:{view}", args=[instance.pk]))
    return urls


@pytest.mark.django_db
def test_every_admin_page_of_the_domain_opens(client, demo_data):
    client.force_login(get_user_model().objects.get(username="admin"))
    broken = []
    for viewset in scoring_viewsets():
        for url in pages_of(viewset):
            status = client.get(url).status_code
            if status != 200:
                broken.append((url, status))
    for name in (
        "wagtailadmin_home",  # its panels: the month, and the office's progress of the month
        "scoring_my_month",
        "scoring_queue",
        "scoring_unresolved_routes",
        "scoring_ratings_dashboard",
        "scoring_ratings_report",
        "scoring_ratings_moderation",
        "scoring_unit_results",
    ):
        status = client.get(reverse(name)).status_code
        if status not in (200, 302):
            broken.append((name, status))
    assert broken == []
    assert len(scoring_viewsets()) >= 14
