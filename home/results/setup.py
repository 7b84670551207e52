"""The results pages every site has, created under its home page (home.content's
``ensure_site`` asks here for them)."""

from __future__ import annotations


def ensure_results_pages(home) -> list:
    """Create (once) and publish the results index and methodology pages under ``home``;
    return them."""
    return []
