from django.urls import path, register_converter

from . import views

app_name = "promos"


class KindConverter:
    regex = "article|project|event"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(KindConverter, "promo_kind")

urlpatterns = [
    path("promos/accents.css", views.accents, name="accents"),
    # Under /_util/, which the page cache never stores: these count, so every request must arrive.
    path("_util/promos/seen/", views.seen, name="seen"),
    path("_util/promos/go/<promo_kind:kind>/<id:object_id>/", views.click, name="click"),
]
