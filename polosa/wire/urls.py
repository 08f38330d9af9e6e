from django.urls import path

from . import views

urlpatterns = [path("wire/push/<slug:slug>/", views.push, name="wire_push")]
