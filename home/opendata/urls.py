"""The open data endpoints, under /api/v1/."""

app_name = "opendata"
urlpatterns: list = []
