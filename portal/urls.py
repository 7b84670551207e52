from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.content import views as content_views
from portal.health import healthz
from scoring.access.history import ScopedLogEntriesView

# Outside the language prefix: these keep their addresses whatever the language (the
# rating form and the kiosk keep their cookie switch, portal/middleware.py).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before Wagtail's own: the site history through the access policy's scope.
    path("admin/reports/site-history/", ScopedLogEntriesView.as_view()),
    path(
        "admin/reports/site-history/results/",
        ScopedLogEntriesView.as_view(results_only=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("home.opendata.urls")),
    path("api/v1/", include("scoring.urls")),
    path("sitemap.xml", content_views.sitemap, name="sitemap"),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public pages: Vietnamese at /…, English at /en/… (Wagtail serves each page's
# translation in the path's language).
urlpatterns += i18n_patterns(
    path("tim-kiem/", content_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# The 500 page names the request id (portal/errors.py); 403 and 404 are Django's own
# views with the project's templates/403.html and 404.html.
handler500 = "portal.errors.server_error"
