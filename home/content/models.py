"""Editors' pages and site settings."""

__all__: list[str] = []
