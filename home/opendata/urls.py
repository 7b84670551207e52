"""The open data endpoints, under /api/v1/."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("periods/", views.periods, name="periods"),
    path("periods/<str:period>/units/", views.units, name="units"),
    path("openapi.json", views.openapi, name="openapi"),
]
