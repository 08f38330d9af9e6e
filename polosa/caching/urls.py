from django.urls import path

from . import views

app_name = "caching"

urlpatterns = [
    path("_esi/<slug:name>/", views.piece, name="piece"),
    path("_util/health/", views.health, name="health"),
]
