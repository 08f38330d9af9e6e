from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("_util/live/<id:page_id>/events/", views.blog_events, name="events"),
    path("_util/live/<id:page_id>/updates/", views.blog_updates, name="updates"),
]
