from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "polosa.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from polosa.core import slots

        from . import components, signal_handlers  # noqa: F401

        slots.register("head", order=30)(components.assets)
        slots.register("header_tools", order=10)(components.search_box)
