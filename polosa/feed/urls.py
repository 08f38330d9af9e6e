from django.urls import path

from . import views

app_name = "feed"

urlpatterns = [
    path("news/", views.news_page, name="news"),
    # Under /_util/, which the page cache never stores: these answer per request.
    path("_util/feed/updates/", views.feed_updates, name="updates"),
    path("_util/feed/read/<id:article_id>/", views.read_beacon, name="read"),
]
