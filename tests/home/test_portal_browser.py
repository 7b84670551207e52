"""The public portal in a real Chromium: a citizen reads the home page, switches to
English, opens a unit and downloads the CSV; axe-core finds no serious or critical
accessibility violation on the home, results, unit, methodology, news and rating pages.

axe-core comes from the npm registry (``npm ci`` installs it into node_modules, as
.ci/run does) and is injected into each page. Screenshots go to /tmp/portal-*.png.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from scoring.cycle import closing, periods
from scoring.models import Evaluation
from scoring.publishing import releases
from tests import factories as f

from .conftest import CHROMIUM, issue

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = {"serious", "critical"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core: npm ci"),
]


@pytest.fixture
def portal(locality):
    """Two released months (so charts have a trend) and the site's pages and news."""
    # Superusers: a live server's test empties the database, role groups included.
    officers = f.user("noivu1", superuser=True), f.user("noivu2", superuser=True)
    call_command("seed_demo_site", verbosity=0)
    locked = []
    for month, total in ((2, "84"), (3, "91")):
        period = periods.open_period(2026, month).period
        Evaluation.objects.filter(period=period).update(
            state=Evaluation.State.APPROVED, final_total=Decimal(total), level=2
        )
        for unit in closing.month_units(period):
            closing.submit_unit_month(period, unit, None)
        period = periods.close_period(period)
        locked.append(period)
        release = releases.prepare(period, officers[0], timezone.now())
        releases.approve(release, officers[1])
    yield locality
    # A live server's test ends by emptying the database, which a locked month refuses
    # (row by row on SQLite): the office reopens the months and the units first.
    for period in locked:
        period = closing.reopen_month(period, officers[0], "end of the browser test")
        for unit in closing.month_units(period):
            closing.reopen_unit_month(period, unit, officers[0], "end of the browser test")


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]


def test_the_portal_in_a_browser(chromium, live_server, portal, desk, officer):
    """One test, so the live server's database is built and emptied once."""
    reads_switches_language_opens_a_unit_and_downloads_the_csv(chromium, live_server)
    no_serious_accessibility_violation_on_the_public_pages(chromium, live_server, desk, officer)


def reads_switches_language_opens_a_unit_and_downloads_the_csv(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, accept_downloads=True)
    page = context.new_page()
    refused: list[str] = []  # what the Content-Security-Policy blocked, if anything
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else external.append(request.url)
        ),
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("link", name="English").count()
    page.screenshot(path="/tmp/portal-home-phone.png", full_page=True)
    # No horizontal scroll on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="English").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(live_server.url + "/ket-qua/")
    page.locator("a[href*='/ket-qua/2026-03/']").first.click()
    page.wait_for_load_state()
    unit_link = page.locator("a[href*='/don-vi/']").first
    unit_name = unit_link.inner_text()
    unit_link.click()
    page.wait_for_load_state()
    assert "/don-vi/" in page.url
    assert unit_name.strip() in page.locator("h1").inner_text()
    page.screenshot(path="/tmp/portal-unit-phone.png", full_page=True)

    page.goto(live_server.url + "/ket-qua/2026-03/")
    with page.expect_download() as download_info:
        page.locator("a[href*='format=csv']").first.click()
    download = download_info.value
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    assert b"code" in content.splitlines()[0]
    assert not external, external
    assert not refused, refused
    context.close()


def no_serious_accessibility_violation_on_the_public_pages(chromium, live_server, desk, officer):
    receipt = issue(desk, officer, 1, day=timezone.localdate())
    paths = {
        "home": "/",
        "home-en": "/en/",
        "results": "/ket-qua/",
        "month": "/ket-qua/2026-03/",
        "methodology": "/phuong-phap/",
        "news": "/tin-tuc/",
        "rating": f"/rate/{receipt.token}/",
    }
    found: dict[str, list[str]] = {}
    for viewport_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        # axe-core is injected inline, which the portal's own policy rightly forbids.
        context = chromium.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.goto(live_server.url + "/ket-qua/2026-03/")
        paths["unit"] = page.locator("a[href*='/don-vi/']").first.get_attribute("href")
        page.goto(live_server.url + "/tin-tuc/")
        paths["article"] = page.locator("main a[href*='/tin-tuc/']").first.get_attribute("href")
        for name, path in paths.items():
            page.goto(live_server.url + path)
            assert page.locator("main").count(), path
            page.screenshot(path=f"/tmp/portal-{name}-{viewport_name}.png", full_page=True)
            if violations := axe_violations(page):
                found[f"{name} ({viewport_name})"] = violations
        context.close()
    assert not found, found
