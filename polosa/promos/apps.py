from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromosConfig(AppConfig):
    name = "polosa.promos"
    label = "promos"
    verbose_name = _("Partner material and promos")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
