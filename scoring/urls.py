"""Machine-facing endpoints of the domain (under /api/v1/)."""

from django.urls import path

from scoring.ratings import api

app_name = "scoring_api"
urlpatterns = [
    path("receipts/", api.receipts, name="receipts"),
]
