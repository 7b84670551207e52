"""A citizen rates a receipt end to end in a real Chromium on a phone, with and without JS.

Screenshots of the form and the thank-you page go to /tmp/rate-*.png for a human look.
"""

import pytest

from scoring.models import CitizenRating
from scoring.ratings import desks
from scoring.ratings import receipts as receipt_service

from .conftest import CHROMIUM, issue

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium"),
]


def phone(chromium, javascript: bool):
    return chromium.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript
    )


def answer_everything(page, levels: dict[str, int]) -> None:
    for code, level in levels.items():
        page.locator(f"label[for=q-{code}-{level}]").tap()


def assert_checked(page, levels: dict[str, int]) -> None:
    for code, level in levels.items():
        assert page.locator(f"#q-{code}-{level}").is_checked()


LEVELS = {"overall": 3, "time": 2, "attitude": 3, "guidance": 1, "visits": 2}


def test_a_citizen_rates_on_a_phone_with_javascript(chromium, live_server, desk, officer):
    receipt = issue(desk, officer, 1)
    context = phone(chromium, javascript=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/rate/{receipt.token}/")
    assert "Bộ phận một cửa xã Quyết Tiến" in page.content()
    page.screenshot(path="/tmp/rate-form-phone.png", full_page=True)

    for selector in (".card", ".lang button", ".submit"):
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    answer_everything(page, LEVELS)
    assert_checked(page, LEVELS)
    page.locator("textarea[name=comment]").fill("Cán bộ hướng dẫn tận tình <b>cảm ơn</b>")
    page.screenshot(path="/tmp/rate-form-answered-phone.png", full_page=True)
    page.locator("button.submit").tap()
    page.wait_for_url("**/rate/thanks/")
    assert "Cảm ơn ông/bà đã đánh giá" in page.content()
    page.screenshot(path="/tmp/rate-thanks-phone.png", full_page=True)
    context.close()

    rating = CitizenRating.objects.get(receipt=receipt)
    assert rating.answers == LEVELS and rating.channel == CitizenRating.Channel.LINK
    assert rating.comment == "Cán bộ hướng dẫn tận tình <b>cảm ơn</b>"


def test_a_citizen_rates_in_english_on_a_phone_without_javascript(
    chromium, live_server, desk, officer
):
    receipt = issue(desk, officer, 2)
    context = phone(chromium, javascript=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/rate/")
    page.locator("input[name=code]").fill(
        receipt_service.format_short_code(receipt.short_code).lower()
    )
    page.locator("button.submit").tap()
    page.wait_for_url(f"**/rate/{receipt.token}/?via=code")
    with page.expect_navigation():
        page.locator("button[value=en]").tap()
    assert page.url.endswith(f"/rate/{receipt.token}/?via=code")
    assert "Overall, how satisfied are you with the service?" in page.content()

    page.locator("button.submit").tap()  # nothing answered: the browser asks first
    page.wait_for_timeout(300)
    assert page.url.endswith("?via=code")
    levels = {**LEVELS, "overall": 1}
    answer_everything(page, levels)
    page.locator("textarea[name=comment]").fill("Phải đi lại hai lần")
    page.screenshot(path="/tmp/rate-form-nojs-en-phone.png", full_page=True)
    page.locator("button.submit").tap()
    page.wait_for_url("**/rate/thanks/")
    assert "Thank you for your rating" in page.content()
    page.screenshot(path="/tmp/rate-thanks-nojs-en-phone.png", full_page=True)
    context.close()

    rating = CitizenRating.objects.get(receipt=receipt)
    assert rating.answers == levels and rating.channel == CitizenRating.Channel.CODE
    assert (rating.overall, rating.satisfied) == (1, False)


def test_the_form_and_the_kiosk_on_a_desktop_and_a_landscape_tablet(
    chromium, live_server, desk, officer
):
    receipt, at_counter = issue(desk, officer, 3), issue(desk, officer, 4)
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/rate/{receipt.token}/")
    page.screenshot(path="/tmp/rate-form-desktop.png", full_page=True)
    page.keyboard.press("Tab")  # the language switch
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the first answer card
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    )
    assert page.evaluate("document.activeElement.type") == "radio" and outline == "solid"
    page.screenshot(path="/tmp/rate-focus-desktop.png")
    page.goto(f"{live_server.url}/rate/{receipt.token[:-1]}x/")
    page.screenshot(path="/tmp/rate-refused-desktop.png", full_page=True)
    context.close()

    secret = desks.new_desk_secret(desk, "kiosk_secret_hash")
    tablet = chromium.new_context(viewport={"width": 1280, "height": 800}, has_touch=True)
    page = tablet.new_page()
    page.goto(f"{live_server.url}/kiosk/")
    page.locator("input[name=secret]").fill(secret)
    page.locator("button.submit").click()
    page.wait_for_url("**/kiosk/")
    page.screenshot(path="/tmp/rate-kiosk-waiting.png")
    desks.release_to_kiosk(desk, at_counter)
    page.reload()
    page.screenshot(path="/tmp/rate-kiosk-form.png", full_page=True)
    answer_everything(page, LEVELS)
    page.locator("button.submit").tap()
    page.wait_for_url("**/kiosk/thanks/")
    page.screenshot(path="/tmp/rate-kiosk-thanks.png")
    page.wait_for_url("**/kiosk/", timeout=15_000)  # back to waiting by itself
    tablet.close()

    assert CitizenRating.objects.get(receipt=at_counter).channel == CitizenRating.Channel.KIOSK
