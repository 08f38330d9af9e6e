from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polosa.core"
    label = "core"
    verbose_name = _("Polosa core")

    def ready(self):
        from . import converters, signal_handlers  # noqa: F401

        converters.register()
