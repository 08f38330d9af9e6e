from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "polosa.caching"
    label = "caching"
    verbose_name = _("Page cache")

    def ready(self):
        from . import signal_handlers  # noqa: F401
