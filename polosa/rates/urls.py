from django.urls import path

from . import views

app_name = "rates"

urlpatterns = [
    path("rates/", views.rates_page, name="page"),
    path("rates/rates.csv", views.rates_csv, name="csv"),
]
