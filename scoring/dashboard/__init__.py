"""The office's dashboard: this month's progress per unit on the admin home."""
