"""Public pages that are not Wagtail pages: the citizen rating form and the kiosk."""

from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("rate/", views.enter_code, name="enter_code"),
    path("rate/thanks/", views.thanks, name="thanks"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/setup/", views.kiosk_setup, name="kiosk_setup"),
    path("kiosk/thanks/", views.kiosk_thanks, name="kiosk_thanks"),
]
