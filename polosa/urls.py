from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from polosa.core.uploads import PUBLIC_UPLOAD_FOLDERS

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("polosa.caching.urls")),
    path("", include("polosa.news.urls")),
    path("", include("polosa.feed.urls")),
    path("", include("polosa.rates.urls")),
    path("", include("polosa.promos.urls")),
    path("", include("polosa.search.urls")),
    path("", include("polosa.syndication.urls")),
    path("", include("polosa.live.urls")),
    path("", include("polosa.wire.urls")),
]

if settings.SERVE_MEDIA:
    # Under `make run` and `make serve` granian answers these from disk before Django sees them
    # (polosa.core.uploads); this view is for the test and development servers.
    folders = "|".join(PUBLIC_UPLOAD_FOLDERS)
    urlpatterns += [
        re_path(rf"^media/(?P<path>(?:{folders})/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail's page tree answers everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler500 = "polosa.core.errors.server_error"
