"""The portal's URLs and ``/bench/ceiling/``: the least a Django view can do, served
through the same middleware, so the pages are measured against what the stack allows."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), *portal_urlpatterns]
