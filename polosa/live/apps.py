from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "polosa.live"
    label = "live"
    verbose_name = _("Live broadcast and live blogs")

    def ready(self):
        from . import signal_handlers  # noqa: F401
