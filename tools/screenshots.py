"""Screenshots of the portal as each role sees it, at phone and desktop widths.

Usage (against a running server with the demo data):
    .venv/bin/python tools/screenshots.py http://127.0.0.1:8000 OUT_DIR USER:PASSWORD:PATH ...

Uses Debian's Chromium through Playwright (``pip install playwright``; the browser
download of ``playwright install`` is not needed).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def shoot(base: str, out: Path, user: str, password: str, path: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for label, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            if user != "-":
                page.goto(f"{base}/admin/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", password)
                page.click("button[type=submit]")
            page.goto(base + path)
            name = f"{user}{path}".strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    base_url, out_dir = sys.argv[1], Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in sys.argv[3:]:
        username, pw, url_path = spec.split(":", 2)
        shoot(base_url, out_dir, username, pw, url_path)
        print("shot", spec)
