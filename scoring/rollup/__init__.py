"""Quarters and years per person, from their months; discipline; the year-end lists."""
