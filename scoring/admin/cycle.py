"""Wagtail admin for the monthly cycle's settings: criteria sets, work products, periods."""
