"""Wagtail admin for one-stop desks and receipts: desks, secrets, receipts, slips."""
