"""Open data: the released months as JSON and CSV under /api/v1/ (DESIGN.md's contracts)."""
