"""Machine-facing endpoints of the domain (under /api/v1/)."""

app_name = "scoring_api"
urlpatterns: list = []
