from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_nlp_urls():
    return [
        path("nlp/articles/<id:article_id>/", views.panel, name="nlp_panel"),
        path("nlp/articles/<id:article_id>/refresh/", views.refresh, name="nlp_refresh"),
        path("nlp/articles/<id:article_id>/add/<id:suggestion_id>/", views.add, name="nlp_add"),
    ]
