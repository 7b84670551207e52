"""Wagtail admin for citizen ratings: desk dashboard, monthly report, moderation."""
