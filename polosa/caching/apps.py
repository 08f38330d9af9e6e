from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "polosa.caching"
    label = "caching"
    verbose_name = _("Page cache")

    def ready(self):
        from . import edge, signal_handlers, tasks  # noqa: F401
        from .dependencies import keys_invalidated

        keys_invalidated.connect(edge.on_keys_invalidated, dispatch_uid="polosa-edge-purge")
