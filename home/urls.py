"""Public pages that are not Wagtail pages: the citizen rating form and the kiosk."""

app_name = "ratings"
urlpatterns: list = []
