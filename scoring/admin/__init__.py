"""Wagtail admin for the domain: viewsets, views and reports, registered in wagtail_hooks."""
