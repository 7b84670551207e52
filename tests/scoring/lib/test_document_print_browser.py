"""The print view in a real Chromium: a phone reads it, a printer gets A4 pages with the
table's header on each. Screenshots go to /tmp/document-print-*.png for a human look."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from scoring.lib.document_views import render_print
from tests.scoring.lib.document_example import example_document

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CSS = Path(settings.BASE_DIR) / "static" / "css" / "document.css"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium"),
]


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def page_html(rows: int) -> str:
    """The print view with its style sheet inlined (no server needed)."""
    request = RequestFactory().get("/reports/month/", {"format": "print"})
    with translation.override("vi"):
        html = render_print(request, example_document(rows)).render().content.decode()
    link = '<link rel="stylesheet" href="/static/css/document.css">'
    return html.replace(link, f"<style>{CSS.read_text(encoding='utf-8')}</style>")


def test_a_phone_reads_the_document_and_scrolls_only_the_table(chromium):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.set_content(page_html(6))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator(".table").first
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")  # sideways, in its box
    page.screenshot(path="/tmp/document-print-phone.png", full_page=True)
    page.close()


def test_the_printed_pages_repeat_the_header_and_hide_the_toolbar(chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.set_content(page_html(60))
    page.screenshot(path="/tmp/document-print-desktop.png", full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".toolbar").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("thead").first.evaluate("e => getComputedStyle(e).display") == (
        "table-header-group"
    )
    assert page.locator(".signatures").evaluate("e => getComputedStyle(e).breakInside") == ("avoid")
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3
    page.close()
