from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("tags/<slug:slug>/", views.tag_page, name="tag"),
    path("authors/<slug:slug>/", views.author_page, name="author"),
]
